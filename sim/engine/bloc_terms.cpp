// The bloc term b_ir of MODEL.md, phase 1, kept up to date in the engine: the members'
// distinct lists of blocs ("combinations"), refreshed after each round's joins from the
// blocs' sponsor counts, one combination at a time or a whole lane in one vectorised pass
// (the same bits either way; batch.hpp has the layout).

#include <immintrin.h>

#include <algorithm>
#include <map>

#include "engine/batch.hpp"
#include "engine/lane_kernels.hpp"

namespace plenary {

namespace {

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

PLENARY_KERNEL_COPIES(void, combination_values,
                      (const double* __restrict share, const std::uint32_t* __restrict slot0,
                       const std::uint32_t* __restrict slot1, const std::uint32_t* __restrict slot2,
                       const std::uint32_t* end, double* __restrict value),
                      (share, slot0, slot1, slot2, end, value))

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
PLENARY_KERNEL_BODY void copy_values_body(const double* __restrict value,
                                          const std::uint32_t* __restrict combination,
                                          std::size_t n, double* __restrict bloc) {
  for (std::size_t i = 0; i < n; ++i) bloc[i] = value[combination[i]];
}
PLENARY_KERNEL_COPIES(void, copy_values,
                      (const double* __restrict value, const std::uint32_t* __restrict combination,
                       std::size_t n, double* __restrict bloc),
                      (value, combination, n, bloc))

// The blocs' shares, count / size, as a table for look_up(): `blocs` of them (at most 16),
// the rest 0.
PLENARY_KERNEL_WIDE inline Table share_table(const std::int32_t* __restrict count,
                                             const double* __restrict size, std::size_t blocs) {
  const __mmask8 low = first(blocs);
  const __mmask8 high = first(blocs > 8 ? blocs - 8 : 0);
  const Table s{
      _mm512_maskz_div_pd(low, _mm512_maskz_cvtepi32_pd(low, _mm256_maskz_loadu_epi32(low, count)),
                          _mm512_load_pd(size)),
      _mm512_maskz_div_pd(high,
                          _mm512_maskz_cvtepi32_pd(high, _mm256_maskz_loadu_epi32(high, count + 8)),
                          _mm512_load_pd(size + 8))};
  return s;
}

// Every member's bloc term in one pass (AVX-512, at most 16 shares, members in at most
// three blocs), for the members' own terms (Batch::bloc_) when the blocs are few:
// ((share[slot 0] + share[slot 1]) + share[slot 2]) / divisor, the shares looked up in
// registers (Table), slot q of member i at slot[q np + i], padded with the share that is
// always 0, and the divisor its number of blocs (1 for none, and for the padding members).
// A share is finite and >= 0, never -0, so 0 + a == a and adding the padding's 0 leaves a
// sum as it is: the same bits as refresh_blocs() computes one combination. n is a multiple
// of 8 (the padded lane). The division is kernels::quotient_avx512's, the same bits from
// the divisor and its reciprocal without a vdivpd (which took three quarters of this pass's
// time; bench/README.md).
// The shares are computed here from the blocs' sponsor counts and sizes (count / size,
// as refresh_blocs() does; `blocs` of them, the rest 0).
PLENARY_KERNEL_WIDE void member_values_wide(const std::int32_t* __restrict count,
                                            const double* __restrict size, std::size_t blocs,
                                            const std::uint32_t* __restrict slot,
                                            const double* __restrict divisor,
                                            const double* __restrict reciprocal, std::size_t n,
                                            double* __restrict bloc) {
  const Table s = share_table(count, size, blocs);
  for (std::size_t i = 0; i < n; i += 8) {
    __m512d sum = look_up(s, slot + i, 0xff);
    sum = _mm512_add_pd(sum, look_up(s, slot + n + i, 0xff));
    sum = _mm512_add_pd(sum, look_up(s, slot + 2 * n + i, 0xff));
    _mm512_store_pd(bloc + i, kernels::quotient_avx512(sum, _mm512_load_pd(divisor + i),
                                                       _mm512_load_pd(reciprocal + i)));
  }
}

// member_values_wide fused with one lane's column additions (sim/engine/sponsorship.cpp,
// add_columns_wide: the columns joins[0 .. joined - 1] of the dense W, column j at w + j
// stride, added to the first `members` peer terms in the order listed), in one loop over
// the lane's vectors of 8: the same values as the two passes one after the other, while
// the loads of W (from L2) overlap the permutations.
PLENARY_KERNEL_WIDE void columns_and_values_wide(
    double* __restrict peer, const double* __restrict w, std::size_t stride,
    const std::uint32_t* joins, std::size_t joined, std::size_t members,
    const std::int32_t* __restrict count, const double* __restrict size, std::size_t blocs,
    const std::uint32_t* __restrict slot, const double* __restrict divisor,
    const double* __restrict reciprocal, std::size_t n, double* __restrict bloc) {
  const Table s = share_table(count, size, blocs);
  for (std::size_t i = 0; i < n; i += 8) {
    const __mmask8 mask = first(members - std::min(members, i));
    __m512d p = _mm512_maskz_loadu_pd(mask, peer + i);
    for (std::size_t q = 0; q < joined; ++q) {
      p = _mm512_add_pd(p, _mm512_maskz_loadu_pd(mask, w + joins[q] * stride + i));
    }
    _mm512_mask_storeu_pd(peer + i, mask, p);
    __m512d sum = look_up(s, slot + i, 0xff);
    sum = _mm512_add_pd(sum, look_up(s, slot + n + i, 0xff));
    sum = _mm512_add_pd(sum, look_up(s, slot + 2 * n + i, 0xff));
    _mm512_store_pd(bloc + i, kernels::quotient_avx512(sum, _mm512_load_pd(divisor + i),
                                                       _mm512_load_pd(reciprocal + i)));
  }
}

}  // namespace

// A (draft, lane)'s joined columns of W added to its peer terms and, its bloc counts being
// final for the round, its members' bloc terms recomputed in the same pass (direct_ and a
// dense W on AVX-512); the lane is no longer stale.
void Batch::columns_and_blocs(std::size_t r, std::size_t l, const std::uint32_t* joins,
                              std::size_t count) {
  columns_and_values_wide(peer_.data() + at(r, l, 0), m_.ties_dense.data(),
                          static_cast<std::size_t>(m_.ties_dense.outerStride()), joins, count, n_,
                          bloc_count_.data() + bg(r, l, 0), bloc_size_.data(), g_,
                          member_slot_.data(), member_divisor_.data(), member_reciprocal_.data(),
                          np_, bloc_.data() + at(r, l, 0));
  lane_stale_[r * cap_ + l] = 0;
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
                    static_cast<std::uint32_t>(blocs.size()),
                    0,
                    0,
                    {},
                    static_cast<double>(blocs.size())};
      for (std::size_t q = 0; q < 3; ++q) {
        c.slot[q] =
            static_cast<std::uint32_t>(q < blocs.size() ? static_cast<std::size_t>(blocs[q]) : g_);
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
  member_combination_.assign(np_, static_cast<std::uint32_t>(count));
  for (std::size_t c = 0; c < count; ++c) {
    const Combination& combination = combinations_[c];
    for (std::uint32_t q = 0; q < combination.members; ++q) {
      member_combination_[combination_members_[combination.first_member + q]] =
          static_cast<std::uint32_t>(c);
    }
  }
  values_ = count + 1;
  // The one-pass refresh of the members' own terms (member_values_wide) when the
  // processor has AVX-512, the shares fit two registers and no member is in more than 3
  // blocs (bench-193; on the real scenarios, 16 blocs and members in up to 6, a one pass
  // with 32 shares in four registers took 19% of the samples against 15% for the
  // combinations and the copy).
  std::size_t rows = 0;
  for (const std::vector<int>& blocs : m_.member_blocs) rows = std::max(rows, blocs.size());
  direct_ = per_member_bloc_ && kernels::wide() && g_ > 0 && g_ + 1 <= 16 && rows <= 3;
  if (direct_) {
    member_slot_.assign(3 * np_, static_cast<std::uint32_t>(g_));
    member_divisor_.assign(np_, 1.0);
    member_reciprocal_.assign(np_, 1.0);
    for (std::size_t i = 0; i < n_; ++i) {
      const std::vector<int>& blocs = m_.member_blocs[i];
      for (std::size_t q = 0; q < blocs.size(); ++q) {
        member_slot_[q * np_ + i] = static_cast<std::uint32_t>(blocs[q]);
      }
      if (blocs.empty()) continue;
      member_divisor_[i] = static_cast<double>(blocs.size());
      member_reciprocal_[i] = 1.0 / member_divisor_[i];
    }
    bloc_size_.assign(16, 1.0);
    for (std::size_t g = 0; g < g_; ++g) bloc_size_[g] = static_cast<double>(m_.bloc_sizes[g]);
  }
  // What refreshing bloc g's combinations one by one costs: a few steps per combination,
  // and one per member when the members' own terms are kept.
  bloc_work_.assign(g_, 1);
  for (std::size_t g = 0; g < g_; ++g) {
    for (std::uint32_t k = bloc_combination_start_[g]; k < bloc_combination_start_[g + 1]; ++k) {
      bloc_work_[g] += 4 + (per_member_bloc_ ? combinations_[bloc_combinations_[k]].members : 0);
    }
  }
}

// Brings the bloc terms up to date after joins. b_ir = mean over i's blocs g of (sponsors
// of r in g) / |g| (MODEL.md, phase 1), from the counts, in the order of i's blocs: the
// same bits whatever the order of the joins (and the same as computing it from scratch, as
// tests/engine/reference_test.cpp does). Each combination containing a changed bloc is
// recomputed (once per changed bloc it contains, to the same value: cheaper than keeping
// track); its members read it through member_combination_.
void Batch::refresh_blocs() {
  if (direct_) {
    for (std::size_t lane = 0; lane < lane_stale_.size(); ++lane) {
      if (lane_stale_[lane] == 0) continue;
      lane_stale_[lane] = 0;
      refresh_lane(lane);
    }
    return;
  }
  for (const Stale& b : changed_blocs_) {
    const std::size_t k = bg(b.draft, b.lane, b.index);
    bloc_changed_[k] = 0;
    bloc_share_[(b.draft * cap_ + b.lane) * (g_ + 1) + b.index] =
        static_cast<double>(bloc_count_[k]) / static_cast<double>(m_.bloc_sizes[b.index]);
  }
  // A (draft, lane) whose changed blocs reach more combinations than a whole pass costs
  // (refresh_lane: every combination, vectorised) gets the whole pass; the others
  // recompute only the combinations of their changed blocs, below. Both give the same bits.
  const std::size_t whole =
      per_member_bloc_ ? (combinations_.size() + n_) / 2 : 2 * combinations_.size();
  for (std::uint32_t lane : stale_lanes_) {
    if (lane_work_[lane] <= whole) continue;
    lane_work_[lane] = 0;
    refresh_lane(lane);
  }
  for (const Stale& b : changed_blocs_) {
    const std::size_t lane = b.draft * cap_ + b.lane;
    if (lane_work_[lane] == 0) continue;  // refreshed whole above
    const double* share = bloc_share_.data() + lane * (g_ + 1);
    double* value = bloc_value_.data() + lane * values_;
    for (std::uint32_t k = bloc_combination_start_[b.index];
         k < bloc_combination_start_[b.index + 1]; ++k) {
      const Combination& c = combinations_[bloc_combinations_[k]];
      double sum = 0;
      if (c.blocs <= 3) {
        // Adding the padding's +0 leaves the sum's bits as they are.
        sum = ((sum + share[c.slot[0]]) + share[c.slot[1]]) + share[c.slot[2]];
      } else {
        const std::uint32_t* blocs = combination_blocs_.data() + c.first_bloc;
        for (std::uint32_t q = 0; q < c.blocs; ++q) sum += share[blocs[q]];
      }
      const double v = sum / c.divisor;
      value[bloc_combinations_[k]] = v;
      if (per_member_bloc_) {
        double* bloc = bloc_.data() + at(b.draft, b.lane, 0);
        const std::uint32_t* members = combination_members_.data() + c.first_member;
        for (std::uint32_t q = 0; q < c.members; ++q) bloc[members[q]] = v;
      }
    }
  }
  for (std::uint32_t lane : stale_lanes_) lane_work_[lane] = 0;
  stale_lanes_.clear();
  changed_blocs_.clear();
}

// Every bloc term of one (draft, lane), from its shares: each combination's value.
void Batch::refresh_lane(std::size_t lane) {
  if (direct_) {
    // The members' own terms in one pass, from the counts; the shares and the combinations'
    // values are not read then (member_bloc, Batch::vote_utility).
    const std::size_t r = lane / cap_;
    const std::size_t l = lane % cap_;
    member_values_wide(bloc_count_.data() + bg(r, l, 0), bloc_size_.data(), g_, member_slot_.data(),
                       member_divisor_.data(), member_reciprocal_.data(), np_,
                       bloc_.data() + at(r, l, 0));
    return;
  }
  const double* share = bloc_share_.data() + lane * (g_ + 1);
  double* value = bloc_value_.data() + lane * values_;
  if (kernels::wide() && g_ + 1 <= 16) {
    combination_values_wide(share, g_ + 1, combination_slot_[0].data(), combination_slot_[1].data(),
                            combination_slot_[2].data(), combination_end_, value);
  } else {
    combination_values(share, combination_slot_[0].data(), combination_slot_[1].data(),
                       combination_slot_[2].data(), combination_end_, value);
  }
  // The combinations of more than three blocs, as in refresh_blocs().
  for (std::size_t c = combination_end_[2]; c < combinations_.size(); ++c) {
    const Combination& combination = combinations_[c];
    double sum = 0;
    const std::uint32_t* blocs = combination_blocs_.data() + combination.first_bloc;
    for (std::uint32_t q = 0; q < combination.blocs; ++q) sum += share[blocs[q]];
    value[c] = sum / combination.divisor;
  }
  value[combinations_.size()] = 0;
  if (per_member_bloc_) {
    copy_values(value, member_combination_.data(), n_,
                bloc_.data() + at(lane / cap_, lane % cap_, 0));
  }
}

}  // namespace plenary
