#include "engine/batch.hpp"

#include <immintrin.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <map>

#include "core/kernels.hpp"
#include "plenary/core/random.hpp"
#include "plenary/util/assert.hpp"

namespace plenary {

namespace {

// Members decided together: their random words are drawn in one vectorised call.
constexpr std::size_t kChunk = 256;

// Chosen once when the program starts (kernels.hpp, PLENARY_KERNEL_WIDE).
const bool kWide = kernels::has_avx512();

// The base log-odds of a member barred from sponsoring a draft: z stays finite (so no NaN
// can arise) and kernels::exp(-z) saturates at e^709, far above 1 / u for any u >= 2^-33.
constexpr double kNeverJoins = -1e300;

// The join decisions of one lane for `count` members (MODEL.md, phase 1):
// z = base + theta_peer peer + theta_bloc bloc + lobby - theta_rival rival, and a member
// not yet sponsoring joins when u (1 + exp(-z)) < 1, i.e. u < sigmoid(z).
struct DecideArgs {
  const double* base;
  const double* peer;
  const double* bloc;
  const double* rival;
  const std::uint8_t* sponsor;
  const std::uint32_t* words;
  double theta_peer;
  double theta_bloc;
  double theta_rival;
  double lobby;
};

// z in one fixed order of operations, shared by both passes of decide_kernel.
inline double join_logit(const DecideArgs& a, std::size_t k) {
  return a.base[k] + a.theta_peer * a.peer[k] + a.theta_bloc * a.bloc[k] + a.lobby -
         a.theta_rival * a.rival[k];
}

inline double join_uniform(const DecideArgs& a, std::size_t k) {
  return (static_cast<double>(a.words[k]) + 0.5) * 0x1p-32;
}

// Two passes give exactly the decisions of the test u (1 + exp(-z)) < 1 with exp() the
// full kernel. The vectorised pass brackets exp(-z) by a cubic (kernels::exp_bracket) and
// settles every member whose u is clear of the bracket: u (1 + hi) < 1 implies the test
// holds, u (1 + lo) >= 1 that it fails (rounding is monotone). The few left (a fraction
// of about 0.002 p (1 - p), p the join probability) get the exact test in a scalar pass.
PLENARY_KERNEL_BODY void decide_body(const DecideArgs& a, std::size_t count,
                                     std::uint8_t* __restrict decision) {
  // Restrict-qualified locals tell the vectoriser that the arrays do not overlap.
  const double* __restrict base = a.base;
  const double* __restrict peer = a.peer;
  const double* __restrict bloc = a.bloc;
  const double* __restrict rival = a.rival;
  const std::uint8_t* __restrict sponsor = a.sponsor;
  const std::uint32_t* __restrict words = a.words;
  // One byte per member: bit 0 the decision, bit 1 "unsure" (one array to pack and store
  // from the vector comparisons rather than two).
  std::uint8_t any_unsure = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const double z = base[k] + a.theta_peer * peer[k] + a.theta_bloc * bloc[k] + a.lobby -
                     a.theta_rival * rival[k];
    const double u = (static_cast<double>(words[k]) + 0.5) * 0x1p-32;
    double lo;
    double hi;
    kernels::exp_bracket(-z, lo, hi);
    const bool join = u * (1.0 + hi) < 1.0;
    const bool stay = !(u * (1.0 + lo) < 1.0);
    const bool open = sponsor[k] == 0;
    const auto code = static_cast<std::uint8_t>((join & open) | ((!join & !stay & open) << 1));
    decision[k] = code;
    any_unsure |= code;
  }
  if (!(any_unsure & 2)) return;
  for (std::size_t k = 0; k < count; ++k) {
    if (decision[k] & 2) {
      const double z = join_logit(a, k);
      decision[k] = static_cast<std::uint8_t>(join_uniform(a, k) * (1.0 + kernels::exp(-z)) < 1.0);
    }
  }
}

// The offsets of the members whose code (decide_body) is 1, in increasing order, from
// codes in groups of 8 (count a multiple of 8); returns how many. Joins are rare (about
// one member in a hundred on bench-193): 32 members at a time are skipped while none joins.
std::size_t collect_joins(const std::uint8_t* code, std::size_t count, std::uint32_t* joins) {
  std::size_t joined = 0;
  for (std::size_t k0 = 0; k0 < count; k0 += 8) {
    if (k0 % 32 == 0 && k0 + 32 <= count) {
      std::uint64_t four[4];
      std::memcpy(four, &code[k0], 32);
      if ((four[0] | four[1] | four[2] | four[3]) == 0) {
        k0 += 24;
        continue;
      }
    }
    std::uint64_t eight = 0;
    std::memcpy(&eight, &code[k0], 8);
    for (; eight != 0; eight &= eight - 1) {
      joins[joined++] = static_cast<std::uint32_t>(k0 + static_cast<std::size_t>(std::countr_zero(eight) / 8));
    }
  }
  return joined;
}

PLENARY_KERNEL_NARROW std::size_t decide_narrow(const DecideArgs& a, std::size_t count,
                                                std::uint8_t* __restrict code,
                                                std::uint32_t* __restrict joins) {
  decide_body(a, count, code);
  return collect_joins(code, count, joins);
}

// The AVX-512 copy of decide_body, with the same decisions, in intrinsics: z as
// join_logit computes it, then kernels::join_bracket_avx512 (its own, cheaper bracket of
// exp(-z), rigorous, unit-tested against the exact test) settles most members, and the
// rest get the exact test. Each block's decisions are kept as two mask bytes. Lanes are
// padded, so count is a multiple of 8.
// GCC 12's own AVX-512 headers trip -Wmaybe-uninitialized (_mm512_undefined_pd).
#pragma GCC diagnostic push
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq"))) std::size_t decide_wide(
    const DecideArgs& a, std::size_t count, std::uint8_t* __restrict code,
    std::uint32_t* __restrict joins) {
  const __m512d theta_peer = _mm512_set1_pd(a.theta_peer);
  const __m512d theta_bloc = _mm512_set1_pd(a.theta_bloc);
  const __m512d theta_rival = _mm512_set1_pd(a.theta_rival);
  const __m512d lobby = _mm512_set1_pd(a.lobby);
  // Masks per 8 members: bit m of join[b] (unsure[b]) for member 8 b + m.
  std::uint8_t* join_bits = code;
  std::uint8_t* unsure_bits = code + kChunk / 8;
  std::uint32_t any = 0;
  for (std::size_t k0 = 0; k0 < count; k0 += 8) {
    // z as join_logit computes it: the same operations in the same order.
    __m512d z = _mm512_add_pd(_mm512_loadu_pd(a.base + k0),
                              _mm512_mul_pd(theta_peer, _mm512_loadu_pd(a.peer + k0)));
    z = _mm512_add_pd(z, _mm512_mul_pd(theta_bloc, _mm512_loadu_pd(a.bloc + k0)));
    z = _mm512_add_pd(z, lobby);
    z = _mm512_sub_pd(z, _mm512_mul_pd(theta_rival, _mm512_loadu_pd(a.rival + k0)));
    // The 8 sponsor bytes (_mm_loadl_epi64 loads 8 and zeroes the rest): open where 0.
    const auto open = static_cast<__mmask8>(_mm_testn_epi8_mask(
        _mm_loadl_epi64(reinterpret_cast<const __m128i*>(a.sponsor + k0)), _mm_set1_epi8(-1)));
    const kernels::JoinMasks m = kernels::join_bracket_avx512(
        z, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a.words + k0)), open);
    join_bits[k0 / 8] = m.join;
    unsure_bits[k0 / 8] = m.unsure;
    any |= static_cast<std::uint32_t>(m.join | m.unsure);
  }
  if (any == 0) return 0;
  std::size_t joined = 0;
  for (std::size_t b = 0; b < count / 8; ++b) {
    for (unsigned bits = join_bits[b] | unsure_bits[b]; bits != 0; bits &= bits - 1) {
      const int m = std::countr_zero(bits);
      const std::size_t k = 8 * b + static_cast<std::size_t>(m);
      if ((unsure_bits[b] >> m & 1) != 0 &&
          !(join_uniform(a, k) * (1.0 + kernels::exp(-join_logit(a, k))) < 1.0)) {
        continue;
      }
      joins[joined++] = static_cast<std::uint32_t>(k);
    }
  }
  return joined;
}
#pragma GCC diagnostic pop

std::size_t decide_kernel(const DecideArgs& a, std::size_t count, std::uint8_t* code,
                          std::uint32_t* joins) {
  return kWide ? decide_wide(a, count, code, joins) : decide_narrow(a, count, code, joins);
}

// The votes of one lane on one draft for `count` members (MODEL.md, phase 2), as codes:
// Vote's values, or kNoRights for a member without voting rights. A present co-sponsor
// votes Yes; any other present member has m = fit + phi_peer peer + phi_bloc bloc -
// phi_rival rival and votes Yes when u (1 + exp(m - tau_yes)) > 1, else No when
// u (1 + exp(m + tau_no)) < 1, else Abstain (m plus logistic noise against the
// thresholds, without a logarithm).
constexpr std::uint8_t kNoRights = 4;

struct VoteArgs {
  const double* fit;
  const double* peer;
  const double* bloc;
  const double* rival;
  const double* absence;
  const std::uint8_t* rights;
  const std::uint8_t* sponsor;
  const std::uint32_t* words;  // rows of kChunk: absence, noise, request
  double phi_peer;
  double phi_bloc;
  double phi_rival;
  double tau_yes;
  double tau_no;
  double rho;
};

// m in one fixed order of operations, shared by both passes of vote_kernel and by the
// withdrawal rule (Batch::vote_utility).
inline double vote_logit(double fit, double peer, double bloc, double rival, double phi_peer,
                         double phi_bloc, double phi_rival) {
  return fit + phi_peer * peer + phi_bloc * bloc - phi_rival * rival;
}

// As decide_kernel: a vectorised pass brackets both exp() by kernels::exp_bracket and
// settles every member whose u is clear of both brackets; the rest get the exact tests in
// a scalar pass, so the codes are exactly those of the one-pass tests with the full exp.
// Returns whether a present member voting No asks for a recorded vote (u < rho).
PLENARY_KERNEL_BODY bool vote_body(const VoteArgs& a, std::size_t count,
                                   std::uint8_t* __restrict code) {
  const double* __restrict fit = a.fit;
  const double* __restrict peer = a.peer;
  const double* __restrict bloc = a.bloc;
  const double* __restrict rival = a.rival;
  const double* __restrict absence = a.absence;
  const std::uint8_t* __restrict rights = a.rights;
  const std::uint8_t* __restrict sponsor = a.sponsor;
  const std::uint32_t* __restrict words = a.words;
  alignas(64) std::uint8_t unsure[kChunk];
  std::uint8_t any_unsure = 0;
  std::uint8_t requested = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const double u_absent = (static_cast<double>(words[k]) + 0.5) * 0x1p-32;
    const double u = (static_cast<double>(words[kChunk + k]) + 0.5) * 0x1p-32;
    const double u_ask = (static_cast<double>(words[2 * kChunk + k]) + 0.5) * 0x1p-32;
    const double m =
        vote_logit(fit[k], peer[k], bloc[k], rival[k], a.phi_peer, a.phi_bloc, a.phi_rival);
    double yes_lo;
    double yes_hi;
    kernels::exp_bracket(m - a.tau_yes, yes_lo, yes_hi);
    double no_lo;
    double no_hi;
    kernels::exp_bracket(m + a.tau_no, no_lo, no_hi);
    // Rounding is monotone: the exact test lies between the tests on the bounds.
    const bool yes = u * (1.0 + yes_lo) > 1.0;
    const bool not_yes = !(u * (1.0 + yes_hi) > 1.0);
    const bool no = u * (1.0 + no_hi) < 1.0;
    const bool not_no = !(u * (1.0 + no_lo) < 1.0);
    const bool voting = rights[k] != 0;
    const bool absent = u_absent < absence[k];
    const bool free = voting & !absent & (sponsor[k] == 0);
    const std::uint8_t noisy = yes ? std::uint8_t{0} : no ? std::uint8_t{1} : std::uint8_t{2};
    const std::uint8_t fixed = !voting ? kNoRights : absent ? std::uint8_t{3} : std::uint8_t{0};
    code[k] = free ? noisy : fixed;
    unsure[k] = static_cast<std::uint8_t>(free & ((!yes & !not_yes) | (not_yes & !no & !not_no)));
    any_unsure |= unsure[k];
    requested |= static_cast<std::uint8_t>(free & not_yes & no & (u_ask < a.rho));
  }
  if (!any_unsure) return requested != 0;
  for (std::size_t k = 0; k < count; ++k) {
    if (!unsure[k]) continue;
    const double u = (static_cast<double>(words[kChunk + k]) + 0.5) * 0x1p-32;
    const double m =
        vote_logit(fit[k], peer[k], bloc[k], rival[k], a.phi_peer, a.phi_bloc, a.phi_rival);
    code[k] = u * (1.0 + kernels::exp(m - a.tau_yes)) > 1.0  ? std::uint8_t{0}
              : u * (1.0 + kernels::exp(m + a.tau_no)) < 1.0 ? std::uint8_t{1}
                                                             : std::uint8_t{2};
    if (code[k] == 1 && (static_cast<double>(words[2 * kChunk + k]) + 0.5) * 0x1p-32 < a.rho) {
      requested = 1;
    }
  }
  return requested != 0;
}

PLENARY_KERNEL_WIDE bool vote_wide(const VoteArgs& a, std::size_t count,
                                   std::uint8_t* __restrict code) {
  return vote_body(a, count, code);
}
PLENARY_KERNEL_NARROW bool vote_narrow(const VoteArgs& a, std::size_t count,
                                       std::uint8_t* __restrict code) {
  return vote_body(a, count, code);
}
bool vote_kernel(const VoteArgs& a, std::size_t count, std::uint8_t* code) {
  return kWide ? vote_wide(a, count, code) : vote_narrow(a, count, code);
}

// Adds one lane's vote codes to the tally and to the members' per-vote counters.
__attribute__((target_clones("avx512f", "avx2", "default"))) void count_votes(
    const std::uint8_t* __restrict code, std::size_t count, std::uint32_t* __restrict yes,
    std::uint32_t* __restrict no, std::uint32_t* __restrict abstain,
    std::uint32_t* __restrict absent, std::uint32_t* tally) {
  std::uint32_t t0 = 0, t1 = 0, t2 = 0, t3 = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const std::uint32_t c0 = code[k] == 0, c1 = code[k] == 1, c2 = code[k] == 2, c3 = code[k] == 3;
    yes[k] += c0;
    no[k] += c1;
    abstain[k] += c2;
    absent[k] += c3;
    t0 += c0;
    t1 += c1;
    t2 += c2;
    t3 += c3;
  }
  tally[0] += t0;
  tally[1] += t1;
  tally[2] += t2;
  tally[3] += t3;
}

PLENARY_KERNEL_BODY void philox_body(std::uint64_t seed, std::uint32_t block, std::uint32_t word1,
                                     const std::uint32_t* lo, const std::uint32_t* hi,
                                     std::size_t count, std::uint32_t* out) {
  kernels::philox_many(static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                       block, word1, lo, hi, count, out, kChunk);
}

// The AVX-512 generator (kernels::philox_many_avx512) reads and writes counters in whole
// vectors of 8: pair_lo_/pair_hi_ are padded to np_ per draft and words_ rows hold kChunk.
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq"))) void philox_wide(
    std::uint64_t seed, std::uint32_t block, std::uint32_t word1, const std::uint32_t* lo,
    const std::uint32_t* hi, std::size_t count, std::uint32_t* out) {
  kernels::philox_many_avx512(static_cast<std::uint32_t>(seed),
                              static_cast<std::uint32_t>(seed >> 32), block, word1, lo, hi,
                              count, out, kChunk);
}
PLENARY_KERNEL_NARROW void philox_narrow(std::uint64_t seed, std::uint32_t block,
                                         std::uint32_t word1, const std::uint32_t* lo,
                                         const std::uint32_t* hi, std::size_t count,
                                         std::uint32_t* out) {
  philox_body(seed, block, word1, lo, hi, count, out);
}
void philox_kernel(std::uint64_t seed, std::uint32_t block, std::uint32_t word1,
                   const std::uint32_t* lo, const std::uint32_t* hi, std::size_t count,
                   std::uint32_t* out) {
  if (kWide) {
    philox_wide(seed, block, word1, lo, hi, count, out);
  } else {
    philox_narrow(seed, block, word1, lo, hi, count, out);
  }
}

__attribute__((target_clones("avx512f", "avx2", "default"))) void add_column(
    double* __restrict peer, const double* __restrict column, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) peer[i] += column[i];
}

// The bloc term of every combination of at most three blocs, from the shares of one
// (draft, lane), as refresh_blocs() computes one combination: ((0 + share[slot 0]) +
// share[slot 1]) + share[slot 2] (padding slots read a 0 share), over the number of blocs.
// The combinations come grouped by their number of blocs: [0, end[0]) have one,
// [end[0], end[1]) two, [end[1], end[2]) three. A share is count / |g| with count >= 0, so
// it is finite and >= 0 and never -0; hence 0 + a == a and x + 0 == x bit for bit, x / 1
// == x, and x / 2 == x * 0.5 (the same real number, rounded once either way). So only the
// combinations of three blocs need a division, and the result has the same bits.
PLENARY_KERNEL_BODY void combination_values_body(const double* __restrict share,
                                                 const std::uint32_t* __restrict slot0,
                                                 const std::uint32_t* __restrict slot1,
                                                 const std::uint32_t* __restrict slot2,
                                                 const std::uint32_t* end,
                                                 double* __restrict value) {
  for (std::size_t c = 0; c < end[0]; ++c) value[c] = share[slot0[c]];
  for (std::size_t c = end[0]; c < end[1]; ++c) {
    value[c] = (share[slot0[c]] + share[slot1[c]]) * 0.5;
  }
  for (std::size_t c = end[1]; c < end[2]; ++c) {
    value[c] = ((share[slot0[c]] + share[slot1[c]]) + share[slot2[c]]) / 3.0;
  }
}

__attribute__((target_clones("avx512f", "avx2", "default"))) void combination_values(
    const double* __restrict share, const std::uint32_t* __restrict slot0,
    const std::uint32_t* __restrict slot1, const std::uint32_t* __restrict slot2,
    const std::uint32_t* end, double* __restrict value) {
  combination_values_body(share, slot0, slot1, slot2, end, value);
}

// The first k of 8 lanes.
inline __mmask8 first(std::size_t k) {
  return static_cast<__mmask8>(k >= 8 ? 0xff : (1u << k) - 1);
}

// Up to 16 doubles held in two registers, so that looking up eight of them is one
// permutation instead of eight loads.
struct Table {
  __m512d low;
  __m512d high;
};
PLENARY_KERNEL_WIDE inline Table load_table(const double* entry, std::size_t size) {
  return {_mm512_maskz_loadu_pd(first(size), entry),
          _mm512_maskz_loadu_pd(first(size > 8 ? size - 8 : 0), entry + 8)};
}
// entry[index[0 .. 7]] for the lanes in `mask` (0 elsewhere).
PLENARY_KERNEL_WIDE inline __m512d look_up(const Table& t, const std::uint32_t* index,
                                           __mmask8 mask) {
  const __m512i i = _mm512_maskz_cvtepu32_epi64(mask, _mm256_maskz_loadu_epi32(mask, index));
  return _mm512_maskz_permutex2var_pd(mask, t.low, i, t.high);
}

// The same with AVX-512 when there are at most 16 shares (blocs and the padding's 0): the
// shares sit in two registers and each lookup is one permutation, not eight loads. The
// same IEEE operations in the same order, so the same bits.
PLENARY_KERNEL_WIDE void combination_values_wide(const double* __restrict share, std::size_t shares,
                                                 const std::uint32_t* __restrict slot0,
                                                 const std::uint32_t* __restrict slot1,
                                                 const std::uint32_t* __restrict slot2,
                                                 const std::uint32_t* end,
                                                 double* __restrict value) {
  const Table s = load_table(share, shares);
  const __m512d half = _mm512_set1_pd(0.5);
  const __m512d three = _mm512_set1_pd(3.0);
  for (std::size_t c = 0; c < end[0]; c += 8) {
    const __mmask8 mask = first(end[0] - c);
    _mm512_mask_storeu_pd(value + c, mask, look_up(s, slot0 + c, mask));
  }
  for (std::size_t c = end[0]; c < end[1]; c += 8) {
    const __mmask8 mask = first(end[1] - c);
    const __m512d sum = _mm512_add_pd(look_up(s, slot0 + c, mask), look_up(s, slot1 + c, mask));
    _mm512_mask_storeu_pd(value + c, mask, _mm512_mul_pd(sum, half));
  }
  for (std::size_t c = end[1]; c < end[2]; c += 8) {
    const __mmask8 mask = first(end[2] - c);
    const __m512d sum =
        _mm512_add_pd(_mm512_add_pd(look_up(s, slot0 + c, mask), look_up(s, slot1 + c, mask)),
                      look_up(s, slot2 + c, mask));
    _mm512_mask_storeu_pd(value + c, mask, _mm512_div_pd(sum, three));
  }
}

// bloc[i] = value[combination of member i] (the last value, for members in no bloc, 0).
__attribute__((target_clones("avx512f", "avx2", "default"))) void copy_values(
    const double* __restrict value, const std::uint32_t* __restrict combination,
    std::size_t n, double* __restrict bloc) {
  for (std::size_t i = 0; i < n; ++i) bloc[i] = value[combination[i]];
}

// Every member's bloc term in one pass (AVX-512, at most 16 shares), for when the blocs
// are few: ((share[slot 0] + share[slot 1]) + ...) / divisor, the shares looked up
// in registers (Table), `rows` slots per member (slot q of member i at slot[q n + i]),
// padded with the share that is always 0, and the divisor its number of blocs (1 for
// none). A share is finite and >= 0, never -0, so 0 + a == a and adding the padding's 0
// leaves a sum as it is: the same bits as refresh_blocs() computes one combination.
// (Dividing every member, even by 1 or 2, measured cheaper here than dividing only the
// members in three blocs and merging their values in; bench/README.md.)
PLENARY_KERNEL_WIDE void member_values_wide(const double* __restrict share, std::size_t shares,
                                            const std::uint32_t* __restrict slot, std::size_t rows,
                                            const double* __restrict divisor, std::size_t n,
                                            double* __restrict bloc) {
  const Table s = load_table(share, shares);
  const __m512d one = _mm512_set1_pd(1.0);
  for (std::size_t i = 0; i < n; i += 8) {
    const __mmask8 mask = first(n - i);
    __m512d sum = look_up(s, slot + i, mask);
    for (std::size_t q = 1; q < rows; ++q) {
      sum = _mm512_add_pd(sum, look_up(s, slot + q * n + i, mask));
    }
    const __m512d d = _mm512_mask_loadu_pd(one, mask, divisor + i);
    _mm512_mask_storeu_pd(bloc + i, mask, _mm512_div_pd(sum, d));
  }
}

}  // namespace

Batch::Batch(const Model& model, int capacity)
    : m_(model),
      cap_(static_cast<std::size_t>(capacity)),
      n_(static_cast<std::size_t>(model.members)),
      np_((n_ + 7) / 8 * 8),
      r_(model.drafts.size()),
      g_(model.bloc_sizes.size()) {
  PLENARY_ASSERT(capacity % 4 == 0 && capacity > 0);
  base_.resize(r_ * np_);
  fit_.resize(r_ * np_);
  pair_lo_.resize(r_ * np_);
  pair_hi_.resize(r_ * np_);
  for (std::size_t r = 0; r < r_; ++r) {
    const ModelDraft& d = model.drafts[r];
    for (std::size_t i = 0; i < n_; ++i) {
      const Eigen::VectorXd x = model.positions.row(static_cast<Eigen::Index>(i)).transpose();
      const double dp = (x - d.position).squaredNorm();
      const double dq = (x - d.status_quo).squaredNorm();
      base_[ri(r, i)] = d.params.theta_0 - d.params.theta_fit * dp;
      fit_[ri(r, i)] = d.params.phi_fit * (dq - dp);
      const std::uint64_t pair = pair_key(model.member_keys[i], d.key);
      pair_lo_[ri(r, i)] = static_cast<std::uint32_t>(pair);
      pair_hi_[ri(r, i)] = static_cast<std::uint32_t>(pair >> 32);
    }
    // A member barred from sponsoring (a what-if) never joins: with z this low, exp(-z)
    // saturates and u (1 + exp(-z)) < 1 never holds, at no cost in the hot loop.
    for (int i : d.barred) base_[ri(r, static_cast<std::size_t>(i))] = kNeverJoins;
    lobby_coef_.push_back(d.params.theta_lobby * d.lobbying / model.total_clout);
  }
  build_combinations();
  sponsor_.resize(r_ * cap_ * np_);
  peer_.resize(r_ * cap_ * np_);
  bloc_.resize(r_ * cap_ * np_);
  rival_.resize(r_ * cap_ * np_);
  bloc_count_.resize(r_ * cap_ * g_);
  bloc_changed_.resize(r_ * cap_ * g_);
  lane_work_.resize(r_ * cap_);
  bloc_share_.resize(r_ * cap_ * (g_ + 1));
  clout_sum_.resize(r_ * cap_);
  count_.resize(r_ * cap_);
  words_.resize(4 * kChunk);
  decision_.resize(kChunk);
  joined_.resize(kChunk);
  vote_count_.resize(r_ * 4 * n_);
  vote_rival_.resize(n_);
  rights_.resize(n_);
  for (std::size_t i = 0; i < n_; ++i) rights_[i] = m_.votes[i] ? 1 : 0;
}

void Batch::build_combinations() {
  std::map<std::vector<int>, std::uint32_t> combination_of;
  std::vector<std::vector<std::uint32_t>> members;
  for (std::size_t i = 0; i < n_; ++i) {
    const std::vector<int>& blocs = m_.member_blocs[i];
    if (blocs.empty()) continue;
    const auto [it, fresh] =
        combination_of.try_emplace(blocs, static_cast<std::uint32_t>(members.size()));
    if (fresh) {
      Combination c{static_cast<std::uint32_t>(combination_blocs_.size()),
                    static_cast<std::uint32_t>(blocs.size()), 0, 0, {}, static_cast<double>(blocs.size())};
      for (std::size_t q = 0; q < 3; ++q) {
        c.slot[q] = static_cast<std::uint32_t>(q < blocs.size() ? static_cast<std::size_t>(blocs[q]) : g_);
      }
      combinations_.push_back(c);
      for (int g : blocs) combination_blocs_.push_back(static_cast<std::uint32_t>(g));
      members.emplace_back();
    }
    members[it->second].push_back(static_cast<std::uint32_t>(i));
  }
  // Numbered by their number of blocs (one, two, three, more), each group in order of
  // first appearance, so that a whole pass computes each group in one uniform loop.
  const auto group = [](const Combination& c) { return std::min<std::uint32_t>(c.blocs, 4); };
  std::vector<std::uint32_t> order(combinations_.size());
  for (std::size_t c = 0; c < order.size(); ++c) order[c] = static_cast<std::uint32_t>(c);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return group(combinations_[a]) < group(combinations_[b]);
  });
  {
    std::vector<Combination> sorted;
    std::vector<std::vector<std::uint32_t>> sorted_members;
    for (std::uint32_t c : order) {
      sorted.push_back(combinations_[c]);
      sorted_members.push_back(std::move(members[c]));
    }
    combinations_ = std::move(sorted);
    members = std::move(sorted_members);
  }
  for (std::uint32_t k = 0; k < 3; ++k) {
    combination_end_[k] = static_cast<std::uint32_t>(
        std::partition_point(combinations_.begin(), combinations_.end(),
                             [&](const Combination& c) { return group(c) <= k + 1; }) -
        combinations_.begin());
  }
  std::vector<std::vector<std::uint32_t>> of_bloc(g_);
  for (std::size_t c = 0; c < combinations_.size(); ++c) {
    Combination& combination = combinations_[c];
    combination.first_member = static_cast<std::uint32_t>(combination_members_.size());
    combination.members = static_cast<std::uint32_t>(members[c].size());
    combination_members_.insert(combination_members_.end(), members[c].begin(), members[c].end());
    for (std::uint32_t k = 0; k < combination.blocs; ++k) {
      of_bloc[combination_blocs_[combination.first_bloc + k]].push_back(
          static_cast<std::uint32_t>(c));
    }
  }
  bloc_combination_start_.push_back(0);
  for (const auto& list : of_bloc) {
    bloc_combinations_.insert(bloc_combinations_.end(), list.begin(), list.end());
    bloc_combination_start_.push_back(static_cast<std::uint32_t>(bloc_combinations_.size()));
  }
  // For refreshing a whole (draft, lane) at once: the slots as arrays, one more
  // combination (value 0) for the members in no bloc, and each member's combination.
  const std::size_t count = combinations_.size();
  for (std::size_t q = 0; q < 3; ++q) {
    combination_slot_[q].resize(count + 1, static_cast<std::uint32_t>(g_));
    for (std::size_t c = 0; c < count; ++c) combination_slot_[q][c] = combinations_[c].slot[q];
  }
  member_combination_.assign(n_, static_cast<std::uint32_t>(count));
  for (std::size_t c = 0; c < count; ++c) {
    const Combination& combination = combinations_[c];
    for (std::uint32_t q = 0; q < combination.members; ++q) {
      member_combination_[combination_members_[combination.first_member + q]] =
          static_cast<std::uint32_t>(c);
    }
  }
  combination_value_.resize(count + 1);
  // The one-pass refresh (member_values_wide) when the processor has AVX-512, the shares
  // fit two registers and no member is in more than 4 blocs. (On the real scenarios, 16
  // blocs and members in up to 6, a one pass with 32 shares in four registers took 19% of
  // the samples against 15% for the combinations and the copy.)
  std::size_t rows = 1;
  for (const std::vector<int>& blocs : m_.member_blocs) rows = std::max(rows, blocs.size());
  direct_ = kWide && g_ + 1 <= 16 && rows <= 4;
  if (direct_) {
    member_rows_ = rows;
    member_slot_.assign(rows * n_, static_cast<std::uint32_t>(g_));
    member_divisor_.assign(n_, 1.0);
    for (std::size_t i = 0; i < n_; ++i) {
      const std::vector<int>& blocs = m_.member_blocs[i];
      for (std::size_t q = 0; q < blocs.size(); ++q) {
        member_slot_[q * n_ + i] = static_cast<std::uint32_t>(blocs[q]);
      }
      if (!blocs.empty()) member_divisor_[i] = static_cast<double>(blocs.size());
    }
  }
  // What refreshing bloc g's combinations one by one costs: a few steps per combination,
  // one per member.
  bloc_work_.assign(g_, 1);
  for (std::size_t g = 0; g < g_; ++g) {
    for (std::uint32_t k = bloc_combination_start_[g]; k < bloc_combination_start_[g + 1]; ++k) {
      bloc_work_[g] += 4 + combinations_[bloc_combinations_[k]].members;
    }
  }
}

void Batch::reset(std::size_t lanes) {
  for (std::size_t r = 0; r < r_; ++r) {
    const std::size_t begin = at(r, 0, 0);
    const std::size_t end = at(r, lanes, 0);
    std::fill(&sponsor_[begin], &sponsor_[0] + end, std::uint8_t{0});
    std::fill(&peer_[begin], &peer_[0] + end, 0.0);
    std::fill(&bloc_[begin], &bloc_[0] + end, 0.0);
    std::fill(&rival_[begin], &rival_[0] + end, 0.0);
    // The padding members count as sponsors: phase 1 never lets them join.
    for (std::size_t l = 0; l < lanes; ++l) {
      std::fill(&sponsor_[0] + at(r, l, n_), &sponsor_[0] + at(r, l, np_), std::uint8_t{1});
    }
  }
  std::fill(clout_sum_.begin(), clout_sum_.end(), 0.0);
  std::fill(count_.begin(), count_.end(), 0);
  std::fill(bloc_count_.begin(), bloc_count_.end(), 0);
  std::fill(bloc_share_.begin(), bloc_share_.end(), 0.0);
  // s_ir(0) = 1 exactly for the original sponsors, whatever the draft's opening round.
  for (std::size_t r = 0; r < r_; ++r) {
    for (int j : m_.drafts[r].sponsors) {
      for (std::size_t l = 0; l < lanes; ++l) join(r, static_cast<std::size_t>(j), l);
    }
  }
  refresh_blocs();
}

void Batch::join(std::size_t r, std::size_t j, std::size_t l) {
  sponsor_[at(r, l, j)] = 1;
  count_[r * cap_ + l] += 1;
  clout_sum_[r * cap_ + l] += m_.clout(static_cast<Eigen::Index>(j));
  // Peer pressure: j's column of W goes to the members watching j. Walking the dense
  // column adds exact zeros elsewhere, so both storages give the same bits.
  double* peer = &peer_[at(r, l, 0)];
  if (m_.dense_ties) {
    add_column(peer, m_.ties_dense.col(static_cast<Eigen::Index>(j)).data(), n_);
  } else {
    for (Eigen::SparseMatrix<double>::InnerIterator it(m_.ties, static_cast<Eigen::Index>(j)); it;
         ++it) {
      peer[it.index()] += it.value();
    }
  }
  for (int g : m_.member_blocs[j]) {
    const std::size_t k = bg(r, l, static_cast<std::size_t>(g));
    bloc_count_[k] += 1;
    if (!bloc_changed_[k]) {
      bloc_changed_[k] = 1;
      changed_blocs_.push_back({static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(l),
                                static_cast<std::uint32_t>(g)});
      const std::size_t lane = r * cap_ + l;
      if (lane_work_[lane] == 0) stale_lanes_.push_back(static_cast<std::uint32_t>(lane));
      lane_work_[lane] += bloc_work_[static_cast<std::size_t>(g)];
    }
  }
  for (int q : m_.drafts[r].rivals) rival_[at(static_cast<std::size_t>(q), l, j)] += 1.0;
}

// Brings the bloc terms up to date after joins. b_ir = mean over i's blocs g of (sponsors
// of r in g) / |g| (MODEL.md, phase 1), from the counts, in the order of i's blocs: the
// same bits whatever the order of the joins (and the same as computing it from scratch, as
// tests/engine/reference_test.cpp does). Each combination containing a changed bloc is
// recomputed and copied to its members (once per changed bloc it contains, to the same
// value: cheaper than keeping track).
void Batch::refresh_blocs() {
  for (const Stale& b : changed_blocs_) {
    const std::size_t k = bg(b.draft, b.lane, b.index);
    bloc_changed_[k] = 0;
    bloc_share_[(b.draft * cap_ + b.lane) * (g_ + 1) + b.index] =
        static_cast<double>(bloc_count_[k]) / static_cast<double>(m_.bloc_sizes[b.index]);
  }
  // A (draft, lane) whose changed blocs reach more combinations and members than a whole
  // pass costs (refresh_lane: every combination, then every member, vectorised; or one
  // pass over the members) gets the whole pass; the others recompute only the
  // combinations of their changed blocs, below. All give the same bits.
  const std::size_t whole = (combinations_.size() + n_) / 2;
  for (std::uint32_t lane : stale_lanes_) {
    if (lane_work_[lane] <= whole) continue;
    lane_work_[lane] = 0;
    refresh_lane(lane);
  }
  for (const Stale& b : changed_blocs_) {
    const std::size_t lane = b.draft * cap_ + b.lane;
    if (lane_work_[lane] == 0) continue;  // refreshed whole above
    const double* share = &bloc_share_[lane * (g_ + 1)];
    double* bloc = &bloc_[at(b.draft, b.lane, 0)];
    for (std::uint32_t k = bloc_combination_start_[b.index];
         k < bloc_combination_start_[b.index + 1]; ++k) {
      const Combination& c = combinations_[bloc_combinations_[k]];
      double sum = 0;
      if (c.blocs <= 3) {
        // Adding the padding's +0 leaves the sum's bits as they are.
        sum = ((sum + share[c.slot[0]]) + share[c.slot[1]]) + share[c.slot[2]];
      } else {
        const std::uint32_t* blocs = &combination_blocs_[c.first_bloc];
        for (std::uint32_t q = 0; q < c.blocs; ++q) sum += share[blocs[q]];
      }
      const double value = sum / c.divisor;
      const std::uint32_t* members = &combination_members_[c.first_member];
      for (std::uint32_t q = 0; q < c.members; ++q) bloc[members[q]] = value;
    }
  }
  for (std::uint32_t lane : stale_lanes_) lane_work_[lane] = 0;
  stale_lanes_.clear();
  changed_blocs_.clear();
}

// Every bloc term of one (draft, lane), from its shares: in one pass over the members
// (member_values_wide) when direct_, else each combination's value, then every member's.
void Batch::refresh_lane(std::size_t lane) {
  const std::size_t r = lane / cap_;
  const std::size_t l = lane % cap_;
  const double* share = &bloc_share_[lane * (g_ + 1)];
  double* bloc = &bloc_[at(r, l, 0)];
  double* value = combination_value_.data();
  if (direct_) {
    member_values_wide(share, g_ + 1, member_slot_.data(), member_rows_, member_divisor_.data(), n_,
                       bloc);
    return;
  }
  if (kWide && g_ + 1 <= 16) {
    combination_values_wide(share, g_ + 1, combination_slot_[0].data(),
                            combination_slot_[1].data(), combination_slot_[2].data(),
                            combination_end_, value);
  } else {
    combination_values(share, combination_slot_[0].data(), combination_slot_[1].data(),
                       combination_slot_[2].data(), combination_end_, value);
  }
  // The combinations of more than three blocs, as in refresh_blocs().
  for (std::size_t c = combination_end_[2]; c < combinations_.size(); ++c) {
    const Combination& combination = combinations_[c];
    double sum = 0;
    const std::uint32_t* blocs = &combination_blocs_[combination.first_bloc];
    for (std::uint32_t q = 0; q < combination.blocs; ++q) sum += share[blocs[q]];
    value[c] = sum / combination.divisor;
  }
  value[combinations_.size()] = 0;
  copy_values(value, member_combination_.data(), n_, bloc);
}

void Batch::sponsorship_round(int t, long first, std::size_t lanes, std::uint64_t seed) {
  const std::uint32_t word1 =
      (static_cast<std::uint32_t>(Phase::kSponsorship) << 24) | static_cast<std::uint32_t>(t);
  for (std::size_t r = 0; r < r_; ++r) {
    const ModelDraft& d = m_.drafts[r];
    if (t < d.opens || t >= d.closes) continue;
    for (std::size_t l0 = 0; l0 < lanes; l0 += 4) {
      const std::size_t width = std::min<std::size_t>(4, lanes - l0);
      bool open_lanes = false;
      for (std::size_t w = 0; w < width; ++w) {
        open_lanes |= static_cast<std::size_t>(count_[r * cap_ + l0 + w]) < n_;
      }
      if (!open_lanes) continue;
      // Phase 1 packs replicates 4b..4b+3 into block b (include/plenary/core/random.hpp).
      const auto block = static_cast<std::uint32_t>((first + static_cast<long>(l0)) / 4);
      for (std::size_t i0 = 0; i0 < n_; i0 += kChunk) {
        const std::size_t count = std::min(kChunk, n_ - i0);
        philox_kernel(seed, block, word1, &pair_lo_[ri(r, i0)], &pair_hi_[ri(r, i0)], count,
                      words_.data());
        // Decided in whole vectors of 8, with the padding (never joins; its words are
        // whatever the buffer held).
        const std::size_t padded = std::min(kChunk, np_ - i0);
        for (std::size_t w = 0; w < width; ++w) {
          decide(r, l0 + w, i0, padded, words_.data() + w * kChunk);
        }
      }
    }
  }
}

void Batch::decide(std::size_t r, std::size_t l, std::size_t i0, std::size_t padded,
                   const std::uint32_t* words) {
  const Parameters& p = m_.drafts[r].params;
  const DecideArgs args{&base_[ri(r, i0)],   &peer_[at(r, l, i0)], &bloc_[at(r, l, i0)],
                        &rival_[at(r, l, i0)], &sponsor_[at(r, l, i0)], words,
                        p.theta_peer,          p.theta_bloc,        p.theta_rival,
                        lobby_coef_[r] * clout_sum_[r * cap_ + l]};
  const std::size_t joined = decide_kernel(args, padded, decision_.data(), joined_.data());
  for (std::size_t q = 0; q < joined; ++q) {
    joins_.push_back({static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(i0 + joined_[q]),
                      static_cast<std::uint32_t>(l)});
  }
}

void Batch::apply_joins() {
  // Synchronous update: every decision of the round read the state before any join.
  // Within a lane, joins are applied in (draft, member) order whatever the batch size.
  for (const Join& j : joins_) join(j.draft, j.member, j.lane);
  joins_.clear();
  refresh_blocs();
}

void Batch::record_round(int t, std::size_t lanes, std::vector<DraftCounts>& counts) const {
  const std::size_t row = static_cast<std::size_t>(t) * (n_ + 1);
  for (std::size_t r = 0; r < r_; ++r) {
    auto& hist = counts[r].sponsors_by_round;
    for (std::size_t l = 0; l < lanes; ++l) {
      hist[row + static_cast<std::size_t>(count_[r * cap_ + l])] += 1;
    }
  }
}

int Batch::standing_rivals(std::size_t r, std::size_t l, std::size_t i,
                           const std::vector<char>& standing) const {
  int n = 0;
  for (int q : m_.drafts[r].rivals) {
    const auto rival = static_cast<std::size_t>(q);
    if (standing[rival]) n += sponsor_[at(rival, l, i)];
  }
  return n;
}

double Batch::vote_utility(std::size_t r, std::size_t l, std::size_t i, double rivals) const {
  const Parameters& p = m_.drafts[r].params;
  return vote_logit(fit_[ri(r, i)], peer_[at(r, l, i)], bloc_[at(r, l, i)], rivals, p.phi_peer,
                    p.phi_bloc, p.phi_rival);
}

bool Batch::withdrawn(std::size_t r, std::size_t l) const {
  const ModelDraft& d = m_.drafts[r];
  if (!d.withdraw_below) return false;
  // MODEL.md, "Withdrawal": the expected Yes share of those present and voting, decided at
  // the end of phase 1 for all drafts at once (so every rival still stands).
  double yes = 0;
  double voting = 0;
  for (std::size_t i = 0; i < n_; ++i) {
    if (!m_.votes[i]) continue;
    const double present = 1.0 - m_.absence(static_cast<Eigen::Index>(i));
    if (sponsor_[at(r, l, i)]) {
      yes += present;
      voting += present;
    } else {
      const VoteProbabilities p =
          vote_probabilities(vote_utility(r, l, i, rival_[at(r, l, i)]), d.params);
      yes += present * p.yes;
      voting += present * (p.yes + p.no);
    }
  }
  // Nobody expected to vote: there is no share to judge by, and the draft stands.
  if (voting <= 0) return false;
  return yes / voting < *d.withdraw_below;
}

void Batch::vote(long first, std::size_t lanes, std::uint64_t seed,
                 std::vector<DraftCounts>& counts, ReplicateLog* log, long log_index) {
  std::vector<char> standing(r_);
  std::fill(vote_count_.begin(), vote_count_.end(), 0u);
  for (std::size_t l = 0; l < lanes; ++l) {
    const auto replicate = static_cast<std::uint32_t>(first + static_cast<long>(l));
    const long k = log_index + static_cast<long>(l);
    std::uint8_t* flags =
        log == nullptr ? nullptr : &log->member_flags[static_cast<std::size_t>(k) * n_];
    for (std::size_t r = 0; r < r_; ++r) standing[r] = !withdrawn(r, l);
    for (std::size_t r = 0; r < r_; ++r) {
      DraftCounts& c = counts[r];
      DraftOutcome* outcome =
          log == nullptr ? nullptr : &log->outcomes[static_cast<std::size_t>(k) * r_ + r];
      if (outcome != nullptr) {
        outcome->sponsors = count_[r * cap_ + l];
        const std::uint8_t* s = &sponsor_[at(r, l, 0)];
        for (std::size_t i = 0; i < n_; ++i) {
          if (s[i] != 0) flags[i] |= ReplicateLog::kSponsorsAny;
        }
      }
      if (!standing[r]) {
        c.withdrawn += 1;
        continue;
      }
      c.stood += 1;
      if (outcome != nullptr) outcome->flags |= DraftOutcome::kStood;
      const ModelDraft& d = m_.drafts[r];
      const Parameters& p = d.params;
      // The rival term counts standing rivals only: rival_ holds every rival's, so it is
      // recounted only when a rival was withdrawn (exact small integers either way).
      const double* rival = &rival_[at(r, l, 0)];
      bool all_stand = true;
      for (int q : d.rivals) all_stand &= standing[static_cast<std::size_t>(q)] != 0;
      if (!all_stand) {
        for (std::size_t i = 0; i < n_; ++i) {
          vote_rival_[i] = static_cast<double>(standing_rivals(r, l, i, standing));
        }
        rival = vote_rival_.data();
      }
      std::uint32_t* member_count = &vote_count_[r * 4 * n_];
      std::array<std::uint32_t, 4> tally{};
      bool requested = false;
      for (std::size_t i0 = 0; i0 < n_; i0 += kChunk) {
        const std::size_t count = std::min(kChunk, n_ - i0);
        // Phase 2: one block per (replicate, member, draft), words 0-2 used.
        philox_kernel(seed, replicate, static_cast<std::uint32_t>(Phase::kVote) << 24,
                      &pair_lo_[ri(r, i0)], &pair_hi_[ri(r, i0)], count, words_.data());
        const VoteArgs args{&fit_[ri(r, i0)],  &peer_[at(r, l, i0)], &bloc_[at(r, l, i0)],
                            rival + i0,        m_.absence.data() + i0, &rights_[i0],
                            &sponsor_[at(r, l, i0)], words_.data(), p.phi_peer,
                            p.phi_bloc,        p.phi_rival,          p.tau_yes,
                            p.tau_no,          p.rho};
        requested |= vote_kernel(args, count, decision_.data());
        count_votes(decision_.data(), count, member_count + i0, member_count + n_ + i0,
                    member_count + 2 * n_ + i0, member_count + 3 * n_ + i0, tally.data());
        if (flags != nullptr) {
          for (std::size_t q = 0; q < count; ++q) {
            if (decision_[q] == static_cast<std::uint8_t>(Vote::kNo)) {
              flags[i0 + q] |= ReplicateLog::kVotesNoAny;
            }
          }
        }
      }
      if (!requested) {
        // Nobody asked for a recorded vote: adopted without a vote, no tally recorded.
        c.adopted += 1;
        c.without_vote += 1;
        if (outcome != nullptr) {
          outcome->flags |= DraftOutcome::kAdopted | DraftOutcome::kWithoutVote;
        }
        continue;
      }
      c.recorded += 1;
      for (std::size_t v = 0; v < 4; ++v) {
        c.tally[v * (n_ + 1) + static_cast<std::size_t>(tally[v])] += 1;
      }
      const bool passed = adopted(d.majority, tally[0], tally[1]);
      if (passed) c.adopted += 1;
      if (outcome != nullptr) {
        outcome->flags |= DraftOutcome::kRecorded | (passed ? DraftOutcome::kAdopted : 0);
        for (std::size_t v = 0; v < 4; ++v) outcome->tally[v] = static_cast<std::int32_t>(tally[v]);
      }
    }
  }
  // Each member's votes over the batch's lanes, in the layout of DraftCounts.
  for (std::size_t r = 0; r < r_; ++r) {
    auto& member_votes = counts[r].member_votes;
    const std::uint32_t* member_count = &vote_count_[r * 4 * n_];
    for (std::size_t i = 0; i < n_; ++i) {
      for (std::size_t v = 0; v < 4; ++v) member_votes[4 * i + v] += member_count[v * n_ + i];
    }
  }
}

void Batch::run(long first, int lanes_used, std::uint64_t seed, std::vector<DraftCounts>& counts,
                ReplicateLog* log, long log_index) {
  const auto lanes = static_cast<std::size_t>(lanes_used);
  PLENARY_ASSERT(first % 4 == 0 && lanes <= cap_);
  reset(lanes);
  record_round(0, lanes, counts);
  for (int t = 0; t < m_.rounds; ++t) {
    sponsorship_round(t, first, lanes, seed);
    apply_joins();
    record_round(t + 1, lanes, counts);
  }
  for (std::size_t r = 0; r < r_; ++r) {
    auto& member_sponsor = counts[r].member_sponsor;
    for (std::size_t l = 0; l < lanes; ++l) {
      const std::uint8_t* s = &sponsor_[at(r, l, 0)];
      for (std::size_t i = 0; i < n_; ++i) member_sponsor[i] += s[i];
    }
  }
  vote(first, lanes, seed, counts, log, log_index);
}

}  // namespace plenary
