// Phase 1 of MODEL.md in the engine: the co-sponsorship rounds of a batch. Each round
// draws every open member's uniform, applies the join rule (rules::join_utility,
// rules::joins in include/plenary/model/rules.hpp) over whole vectors of members, and then
// applies the round's joins to the lane state (peer pressure, bloc counts, rival counts).

#include <immintrin.h>

#include <algorithm>
#include <bit>
#include <cstring>

#include "engine/batch.hpp"
#include "engine/lane_kernels.hpp"
#include "plenary/core/random.hpp"
#include "plenary/model/rules.hpp"

namespace plenary {

namespace {

using engine::kChunk;
using engine::philox_kernel;

// How many joins ahead apply_joins() fetches a join's column of W, and its peer terms.
constexpr std::size_t kFetchAhead = 8;
constexpr std::size_t kTargetsAhead = 4;

// The join decisions of one lane for `count` members (MODEL.md, phase 1): the join rule
// (rules::join_utility, rules::joins) for each member not yet sponsoring.
struct DecideArgs {
  const double* base;
  const double* peer;
  const double* bloc;                // the members' bloc terms, or null (Batch::bloc_)
  const double* bloc_value;          // else the lane's bloc term per combination
  const std::uint32_t* combination;  // and each member's combination
  const std::uint16_t* rival;
  const std::uint8_t* sponsor;
  const std::uint32_t* words;
  double theta_peer;
  double theta_bloc;
  double theta_rival;
  double lobby;
};

inline double join_utility(const DecideArgs& a, std::size_t k) {
  const double bloc = a.bloc ? a.bloc[k] : a.bloc_value[a.combination[k]];
  return rules::join_utility(a.base[k], a.peer[k], bloc, a.lobby, static_cast<double>(a.rival[k]),
                             a.theta_peer, a.theta_bloc, a.theta_rival);
}

// Two passes give exactly the decisions of rules::joins, u (1 + exp(-z)) < 1 with exp() the
// full kernel. The vectorised pass brackets exp(-z) by a cubic (kernels::exp_bracket) and
// settles every member whose u is clear of the bracket: u (1 + hi) < 1 implies the test
// holds, u (1 + lo) >= 1 that it fails (rounding is monotone). The few left (a fraction
// of about 0.002 p (1 - p), p the join probability) get the exact test in a scalar pass.
template <bool kPerMember>
PLENARY_KERNEL_BODY void decide_body(const DecideArgs& a, std::size_t count,
                                     std::uint8_t* __restrict decision) {
  // Restrict-qualified locals tell the vectoriser that the arrays do not overlap.
  const double* __restrict base = a.base;
  const double* __restrict peer = a.peer;
  const double* __restrict bloc = a.bloc;
  const double* __restrict bloc_value = a.bloc_value;
  const std::uint32_t* __restrict combination = a.combination;
  const std::uint16_t* __restrict rival = a.rival;
  const std::uint8_t* __restrict sponsor = a.sponsor;
  const std::uint32_t* __restrict words = a.words;
  // One byte per member: bit 0 the decision, bit 1 "unsure" (one array to pack and store
  // from the vector comparisons rather than two).
  std::uint8_t any_unsure = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const double b = kPerMember ? bloc[k] : bloc_value[combination[k]];
    const double z =
        rules::join_utility(base[k], peer[k], b, a.lobby, static_cast<double>(rival[k]),
                            a.theta_peer, a.theta_bloc, a.theta_rival);
    const double u = to_uniform(words[k]);
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
      decision[k] =
          static_cast<std::uint8_t>(rules::joins(to_uniform(a.words[k]), join_utility(a, k)));
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
      joins[joined++] =
          static_cast<std::uint32_t>(k0 + static_cast<std::size_t>(std::countr_zero(eight) / 8));
    }
  }
  return joined;
}

// The baseline path: the plain loop, compiled for the baseline x86-64 (SSE2).
std::size_t decide_scalar(const DecideArgs& a, std::size_t count, std::uint8_t* __restrict code,
                          std::uint32_t* __restrict joins) {
  if (a.bloc) {
    decide_body<true>(a, count, code);
  } else {
    decide_body<false>(a, count, code);
  }
  return collect_joins(code, count, joins);
}

// The AVX-512 copy of decide_body, with the same decisions, in intrinsics: z as
// rules::join_utility computes it, then kernels::join_bracket_avx512 (its own, cheaper bracket of
// exp(-z), rigorous, unit-tested against the exact test, in two steps: its pre-test for
// every vector, the bracket where the pre-test leaves a member that may join) settles most
// members, and the rest get the exact test. Lanes are padded, so count is a multiple of 8;
// `code` is not used.
// GCC 12's own AVX-512 and AVX2 headers trip -Wmaybe-uninitialized (_mm512_undefined_pd,
// and _mm256_undefined_pd in decide_avx2's gather).
#pragma GCC diagnostic push
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
struct WideTerms {
  __m512d theta_peer;
  __m512d theta_bloc;
  __m512d theta_rival;
  __m512d lobby;
};

// z of the 8 members from k0 as rules::join_utility computes it: the same operations in the
// same order; the bloc term the member's own (kPerMember) or looked up by its combination
// (the same value).
template <bool kPerMember>
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq"), always_inline)) inline __m512d
join_z_avx512(const DecideArgs& a, const WideTerms& t, std::size_t k0) {
  __m512d z = _mm512_add_pd(_mm512_loadu_pd(a.base + k0),
                            _mm512_mul_pd(t.theta_peer, _mm512_loadu_pd(a.peer + k0)));
  const __m512d bloc =
      kPerMember ? _mm512_loadu_pd(a.bloc + k0)
                 : _mm512_i32gather_pd(
                       _mm256_load_si256(reinterpret_cast<const __m256i*>(a.combination + k0)),
                       a.bloc_value, 8);
  z = _mm512_add_pd(z, _mm512_mul_pd(t.theta_bloc, bloc));
  z = _mm512_add_pd(z, t.lobby);
  // The rival counts, 8 of 16 bits, converted exactly.
  const __m512d rival = _mm512_cvtepu32_pd(
      _mm256_cvtepu16_epi32(_mm_load_si128(reinterpret_cast<const __m128i*>(a.rival + k0))));
  return _mm512_sub_pd(z, _mm512_mul_pd(t.theta_rival, rival));
}

// The open members of the 8 from k0: their sponsor bytes are 0 (_mm_loadl_epi64 loads 8
// and zeroes the rest).
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq"), always_inline)) inline __mmask8
open_avx512(const DecideArgs& a, std::size_t k0) {
  return static_cast<__mmask8>(_mm_testn_epi8_mask(
      _mm_loadl_epi64(reinterpret_cast<const __m128i*>(a.sponsor + k0)), _mm_set1_epi8(-1)));
}

// First pass, without branches: z, the uniforms and kernels::may_join_avx512 (the open
// members kernels::surely_stays_avx512 leaves) for every vector of 8, one mask byte each.
// Second pass: for the vectors with a member that may join (usually a few), z and the
// uniforms again (the same operations, so the same values), the full bracket on those
// members, and the members it leaves unsure settled by the exact test, vector by vector in
// increasing order.
template <bool kPerMember>
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq"))) std::size_t decide_wide_body(
    const DecideArgs& a, std::size_t count, std::uint32_t* __restrict joins) {
  const WideTerms t{_mm512_set1_pd(a.theta_peer), _mm512_set1_pd(a.theta_bloc),
                    _mm512_set1_pd(a.theta_rival), _mm512_set1_pd(a.lobby)};
  // may[b]: the members of vector b that may join (open and not surely staying), one mask
  // byte each, stored straight from the mask register.
  alignas(32) std::uint8_t may[kChunk / 8] = {};
  for (std::size_t k0 = 0; k0 < count; k0 += 8) {
    const __m512d z = join_z_avx512<kPerMember>(a, t, k0);
    const __m512d w = kernels::scaled_uniforms(
        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a.words + k0)));
    _store_mask8(reinterpret_cast<__mmask8*>(may + k0 / 8),
                 kernels::may_join_avx512(z, w, open_avx512(a, k0)));
  }
  std::size_t joined = 0;
  for (std::size_t b0 = 0; b0 < count / 8; b0 += 8) {
    std::uint64_t eight = 0;
    std::memcpy(&eight, may + b0, 8);
    for (; eight != 0; eight &= ~(std::uint64_t{0xff} << (std::countr_zero(eight) / 8 * 8))) {
      const auto byte = static_cast<std::size_t>(std::countr_zero(eight) / 8);
      const std::size_t b = b0 + byte;
      // The bracket for the members that may join only: the pre-test settled the others
      // as staying, which the bracket would too, or leave to the exact test, which agrees.
      const kernels::JoinMasks m = kernels::join_bracket_avx512_full(
          join_z_avx512<kPerMember>(a, t, 8 * b),
          kernels::scaled_uniforms(
              _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a.words + 8 * b))),
          static_cast<__mmask8>(eight >> (8 * byte)));
      for (unsigned bits = m.join | m.unsure; bits != 0; bits &= bits - 1) {
        const int q = std::countr_zero(bits);
        const std::size_t k = 8 * b + static_cast<std::size_t>(q);
        if ((m.unsure >> q & 1) != 0 && !rules::joins(to_uniform(a.words[k]), join_utility(a, k))) {
          continue;
        }
        joins[joined++] = static_cast<std::uint32_t>(k);
      }
    }
  }
  return joined;
}

__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq"))) std::size_t decide_wide(
    const DecideArgs& a, std::size_t count, std::uint8_t* /*code*/,
    std::uint32_t* __restrict joins) {
  return a.bloc ? decide_wide_body<true>(a, count, joins)
                : decide_wide_body<false>(a, count, joins);
}

// z of the 4 members from k as rules::join_utility computes it (AVX2): the same operations
// in the same order; the bloc term the member's own (kPerMember) or looked up by its
// combination (the same value).
template <bool kPerMember>
__attribute__((target("avx2,fma"), always_inline)) inline __m256d join_z_avx2(const DecideArgs& a,
                                                                              std::size_t k) {
  __m256d z =
      _mm256_add_pd(_mm256_loadu_pd(a.base + k),
                    _mm256_mul_pd(_mm256_set1_pd(a.theta_peer), _mm256_loadu_pd(a.peer + k)));
  const __m256d bloc =
      kPerMember ? _mm256_loadu_pd(a.bloc + k)
                 : _mm256_i32gather_pd(
                       a.bloc_value,
                       _mm_load_si128(reinterpret_cast<const __m128i*>(a.combination + k)), 8);
  z = _mm256_add_pd(z, _mm256_mul_pd(_mm256_set1_pd(a.theta_bloc), bloc));
  z = _mm256_add_pd(z, _mm256_set1_pd(a.lobby));
  const __m256d rival = _mm256_cvtepi32_pd(
      _mm_cvtepu16_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(a.rival + k))));
  return _mm256_sub_pd(z, _mm256_mul_pd(_mm256_set1_pd(a.theta_rival), rival));
}

// The AVX2 copy of decide_wide_body, on 256-bit vectors, two of 4 members per byte. First
// pass, without branches: z, the uniforms and kernels::surely_stays_avx2 (the pre-test) for
// every 8 members, the open members it leaves (those that may join) one byte each. Second
// pass: for the bytes with a member that may join, z and the uniforms again (the same
// operations, so the same values), kernels::join_bracket_avx2_scaled (rigorous, unit-tested
// against the exact test) on those members, and the members it leaves unsure settled by
// the exact test, in increasing order. Lanes are padded, so count is a multiple of 8.
template <bool kPerMember>
__attribute__((target("avx2,fma"))) std::size_t decide_avx2_body(const DecideArgs& a,
                                                                 std::size_t count,
                                                                 std::uint32_t* __restrict joins) {
  alignas(32) std::uint8_t may[kChunk / 8] = {};
  for (std::size_t k0 = 0; k0 < count; k0 += 8) {
    // The 8 sponsor bytes: bit m set where member k0 + m is open (not sponsoring).
    const auto open = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(
        _mm_loadl_epi64(reinterpret_cast<const __m128i*>(a.sponsor + k0)), _mm_setzero_si128())));
    unsigned stays = 0;
    for (std::size_t h = 0; h < 2; ++h) {
      const std::size_t k = k0 + 4 * h;
      stays |= kernels::surely_stays_avx2(join_z_avx2<kPerMember>(a, k),
                                          kernels::scaled_uniforms_avx2(_mm_loadu_si128(
                                              reinterpret_cast<const __m128i*>(a.words + k))))
               << (4 * h);
    }
    may[k0 / 8] = static_cast<std::uint8_t>(open & ~stays);
  }
  std::size_t joined = 0;
  for (std::size_t b0 = 0; b0 < count / 8; b0 += 8) {
    std::uint64_t eight = 0;
    std::memcpy(&eight, may + b0, 8);
    for (; eight != 0; eight &= ~(std::uint64_t{0xff} << (std::countr_zero(eight) / 8 * 8))) {
      const auto byte = static_cast<std::size_t>(std::countr_zero(eight) / 8);
      const std::size_t b = b0 + byte;
      const auto bits = static_cast<unsigned>(eight >> (8 * byte) & 0xff);
      // The bracket for the members that may join only: the pre-test settled the others
      // as staying, which the bracket would too, or leave to the exact test, which agrees.
      unsigned join = 0;
      unsigned unsure = 0;
      for (std::size_t h = 0; h < 2; ++h) {
        const std::size_t k = 8 * b + 4 * h;
        const kernels::JoinBits m = kernels::join_bracket_avx2_scaled(
            join_z_avx2<kPerMember>(a, k),
            kernels::scaled_uniforms_avx2(
                _mm_loadu_si128(reinterpret_cast<const __m128i*>(a.words + k))),
            bits >> (4 * h) & 0xf);
        join |= m.join << (4 * h);
        unsure |= m.unsure << (4 * h);
      }
      for (unsigned any = join | unsure; any != 0; any &= any - 1) {
        const int q = std::countr_zero(any);
        const std::size_t k = 8 * b + static_cast<std::size_t>(q);
        if ((unsure >> q & 1) != 0 && !rules::joins(to_uniform(a.words[k]), join_utility(a, k))) {
          continue;
        }
        joins[joined++] = static_cast<std::uint32_t>(k);
      }
    }
  }
  return joined;
}

__attribute__((target("avx2,fma"))) std::size_t decide_avx2(const DecideArgs& a, std::size_t count,
                                                            std::uint8_t* /*code*/,
                                                            std::uint32_t* __restrict joins) {
  return a.bloc ? decide_avx2_body<true>(a, count, joins)
                : decide_avx2_body<false>(a, count, joins);
}
#pragma GCC diagnostic pop

std::size_t decide_kernel(const DecideArgs& a, std::size_t count, std::uint8_t* code,
                          std::uint32_t* joins) {
  switch (kernel_isa()) {
    case Isa::kAvx512:
      return decide_wide(a, count, code, joins);
    case Isa::kAvx2:
      return decide_avx2(a, count, code, joins);
    case Isa::kScalar:
      break;
  }
  return decide_scalar(a, count, code, joins);
}

PLENARY_KERNEL_BODY void add_column_body(double* __restrict peer, const double* __restrict column,
                                         std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) peer[i] += column[i];
}
PLENARY_KERNEL_COPIES(void, add_column,
                      (double* __restrict peer, const double* __restrict column, std::size_t n),
                      (peer, column, n))

// The columns joins[0 .. count - 1] of the dense W (column j at w + j stride) added to
// one lane's peer terms: each member's term gets the columns in the order listed, peer_i
// + c1_i + c2_i + ..., the same additions in the same order as adding one column after
// another (add_column), so the same bits; the peer terms are read and written once for
// all the round's joins of the lane rather than once per join.
// (AVX-512 only: the same pass in AVX2 and baseline copies, 8 members at a time, executed
// more instructions than adding one column after another there.) 8 members per vector and
// the last vector masked.
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq"))) void add_columns_wide(
    double* __restrict peer, const double* __restrict w, std::size_t stride,
    const std::uint32_t* joins, std::size_t count, std::size_t n) {
  for (std::size_t i0 = 0; i0 < n; i0 += 8) {
    const auto mask = static_cast<__mmask8>(n - i0 >= 8 ? 0xff : (1u << (n - i0)) - 1);
    __m512d p = _mm512_maskz_loadu_pd(mask, peer + i0);
    for (std::size_t q = 0; q < count; ++q) {
      p = _mm512_add_pd(p, _mm512_maskz_loadu_pd(mask, w + joins[q] * stride + i0));
    }
    _mm512_mask_storeu_pd(peer + i0, mask, p);
  }
}

}  // namespace

void Batch::index_tie_values() {
  if (m_.dense_ties || !m_.ties.isCompressed()) return;
  // The distinct values bit for bit (a -0 and a 0 are two), in order of first appearance;
  // given up past 256.
  constexpr std::size_t kMaxValues = 256;
  const auto nonzeros = static_cast<std::size_t>(m_.ties.nonZeros());
  const double* value = m_.ties.valuePtr();
  std::vector<std::uint64_t> bits;
  std::vector<std::uint8_t> index(nonzeros);
  std::size_t last = 0;
  for (std::size_t k = 0; k < nonzeros; ++k) {
    const auto b = std::bit_cast<std::uint64_t>(value[k]);
    if (last >= bits.size() || bits[last] != b) {
      last = static_cast<std::size_t>(std::find(bits.begin(), bits.end(), b) - bits.begin());
      if (last == bits.size()) {
        if (bits.size() == kMaxValues) return;
        bits.push_back(b);
      }
    }
    index[k] = static_cast<std::uint8_t>(last);
  }
  for (const std::uint64_t b : bits) tie_value_.push_back(std::bit_cast<double>(b));
  if (bits.size() > 1) tie_index_ = std::move(index);
}

void Batch::join(std::size_t r, std::size_t j, std::size_t l) {
  join_counts(r, j, l);
  // Peer pressure: j's column of W goes to the members watching j. Walking the dense
  // column adds exact zeros elsewhere, so every storage gives the same bits.
  double* peer = peer_.data() + at(r, l, 0);
  if (m_.dense_ties) {
    add_column(peer, m_.ties_dense.col(static_cast<Eigen::Index>(j)).data(), n_);
  } else if (!tie_value_.empty()) {
    const int* outer = m_.ties.outerIndexPtr();
    const int* rows = m_.ties.innerIndexPtr();
    const auto begin = static_cast<std::size_t>(outer[j]);
    const auto end = static_cast<std::size_t>(outer[j + 1]);
    if (tie_index_.empty()) {
      const double w = tie_value_[0];
      for (std::size_t k = begin; k < end; ++k) peer[rows[k]] += w;
    } else {
      const double* values = tie_value_.data();
      const std::uint8_t* index = tie_index_.data();
      for (std::size_t k = begin; k < end; ++k) peer[rows[k]] += values[index[k]];
    }
  } else {
    for (Eigen::SparseMatrix<double>::InnerIterator it(m_.ties, static_cast<Eigen::Index>(j)); it;
         ++it) {
      peer[it.index()] += it.value();
    }
  }
}

// A join's counts: j's sponsorship, the sponsor count and clout, its blocs' counts (and
// the bloc terms they make stale), its rival counts; not its column of W (join()).
void Batch::join_counts(std::size_t r, std::size_t j, std::size_t l) {
  sponsor_[at(r, l, j)] = 1;
  count_[r * cap_ + l] += 1;
  clout_sum_[r * cap_ + l] += m_.clout(static_cast<Eigen::Index>(j));
  if (direct_) {
    // Without branches: 3 slots (padding ones count in the unread g_), the lane stale.
    std::int32_t* counts = bloc_count_.data() + bg(r, l, 0);
    counts[member_slot_[j]] += 1;
    counts[member_slot_[np_ + j]] += 1;
    counts[member_slot_[2 * np_ + j]] += 1;
    lane_stale_[r * cap_ + l] = 1;
    for (int q : m_.drafts[r].rivals) rival_[at(static_cast<std::size_t>(q), l, j)] += 1;
    return;
  }
  for (std::uint32_t b = member_bloc_start_[j]; b < member_bloc_start_[j + 1]; ++b) {
    const std::uint32_t g = member_bloc_[b];
    const std::size_t k = bg(r, l, g);
    bloc_count_[k] += 1;
    if (!bloc_changed_[k]) {
      bloc_changed_[k] = 1;
      changed_blocs_.push_back({static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(l), g});
      const std::size_t lane = r * cap_ + l;
      if (lane_work_[lane] == 0) stale_lanes_.push_back(static_cast<std::uint32_t>(lane));
      lane_work_[lane] += bloc_work_[g];
    }
  }
  for (int q : m_.drafts[r].rivals) rival_[at(static_cast<std::size_t>(q), l, j)] += 1;
}

// What join(r, j, l) will read from memory: column j of W (sparse) and j's blocs. Issued a
// few joins ahead, so that the reads of many joins overlap (at large N the columns are
// rarely cached: the members who join are scattered over all of W).
void Batch::prefetch_join(std::size_t j) const {
  if (!m_.dense_ties && m_.ties.isCompressed()) {
    const auto* outer = m_.ties.outerIndexPtr();
    const char* index = reinterpret_cast<const char*>(m_.ties.innerIndexPtr() + outer[j]);
    const auto ties = static_cast<std::size_t>(outer[j + 1] - outer[j]);
    for (std::size_t b = 0; b < ties * sizeof(*m_.ties.innerIndexPtr()); b += 64) {
      __builtin_prefetch(index + b);
    }
    if (tie_value_.empty()) {
      const char* value = reinterpret_cast<const char*>(m_.ties.valuePtr() + outer[j]);
      for (std::size_t b = 0; b < ties * sizeof(double); b += 64) __builtin_prefetch(value + b);
    } else if (!tie_index_.empty()) {
      const char* id = reinterpret_cast<const char*>(tie_index_.data() + outer[j]);
      for (std::size_t b = 0; b < ties; b += 64) __builtin_prefetch(id + b);
    }
  }
  __builtin_prefetch(member_bloc_.data() + member_bloc_start_[j]);
}

// The peer terms join(r, j, l) will add to (column j of W was fetched by prefetch_join).
void Batch::prefetch_targets(std::size_t r, std::size_t j, std::size_t l) const {
  if (m_.dense_ties || !m_.ties.isCompressed()) return;
  const auto* outer = m_.ties.outerIndexPtr();
  const auto* index = m_.ties.innerIndexPtr();
  const double* peer = peer_.data() + at(r, l, 0);
  for (auto k = outer[j]; k < outer[j + 1]; ++k) __builtin_prefetch(peer + index[k], 1);
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
        philox_kernel(seed, block, word1, pair_lo_.data() + ri(r, i0), pair_hi_.data() + ri(r, i0),
                      count, words_.data());
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
  const Parameters& p = params(r, l);
  const DecideArgs args{base_.data() + lri(r, l, i0),
                        peer_.data() + at(r, l, i0),
                        member_bloc(r, l, i0),
                        bloc_value_.data() + bv(r, l, 0),
                        member_combination_.data() + i0,
                        rival_.data() + at(r, l, i0),
                        sponsor_.data() + at(r, l, i0),
                        words,
                        p.theta_peer,
                        p.theta_bloc,
                        p.theta_rival,
                        lobby_coef_[r * cap_ + l] * clout_sum_[r * cap_ + l]};
  const std::size_t joined = decide_kernel(args, padded, decision_.data(), joined_.data());
  std::vector<std::uint32_t>& joins = lane_joins_[r * cap_ + l];
  for (std::size_t q = 0; q < joined; ++q) {
    joins.push_back(static_cast<std::uint32_t>(i0 + joined_[q]));
  }
}

void Batch::apply_joins() {
  // Synchronous update: every decision of the round read the state before any join.
  // Within a lane, joins are applied in (draft, member) order whatever the batch size; one
  // (draft, lane) after another, since a join changes only its own (draft, lane)'s peer
  // terms, and the counts it adds elsewhere (blocs, rivals) are exact integers.
  // With a dense W on AVX-512, a lane's columns are added in one pass (add_columns_wide).
  const bool columns_at_once = m_.dense_ties && kernels::wide();
  for (std::size_t r = 0; r < r_; ++r) {
    for (std::size_t l = 0; l < cap_; ++l) {
      std::vector<std::uint32_t>& joins = lane_joins_[r * cap_ + l];
      const std::size_t count = joins.size();
      if (count == 0) continue;
      if (columns_at_once) {
        for (std::size_t q = 0; q < count; ++q) join_counts(r, joins[q], l);
        if (direct_) {
          // The lane's bloc terms in the same pass (its counts are final for the round).
          columns_and_blocs(r, l, joins.data(), count);
          joins.clear();
          continue;
        }
        add_columns_wide(peer_.data() + at(r, l, 0), m_.ties_dense.data(),
                         static_cast<std::size_t>(m_.ties_dense.outerStride()), joins.data(), count,
                         n_);
        joins.clear();
        continue;
      }
      for (std::size_t q = 0; q < count; ++q) {
        if (q + kFetchAhead < count) prefetch_join(joins[q + kFetchAhead]);
        if (q + kTargetsAhead < count) prefetch_targets(r, joins[q + kTargetsAhead], l);
        join(r, joins[q], l);
      }
      joins.clear();
    }
  }
  refresh_blocs();
}

}  // namespace plenary
