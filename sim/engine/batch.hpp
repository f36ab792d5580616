#pragma once
/// One batch of replicates advancing together through both phases of MODEL.md.
///
/// State is laid out draft, then lane (replicate within the batch), then member
/// innermost, so that one lane's terms are contiguous vectors; each lane is padded to a
/// multiple of 8 members and starts on a cache line. Every term of z_ir that
/// depends on the sponsorship state is kept incrementally: when member j joins draft r in
/// a lane, column j of W is added to its watchers' peer pressure, 1 to the sponsor count
/// of each of its blocs, and 1 to its rival-sponsorship count on r's rivals, instead of
/// recomputing them every round. After a round's joins, the bloc term is recomputed from
/// the counts once per combination of blocs (members in the same blocs share it) that
/// contains a changed bloc, or for every combination of the lane when many changed (with
/// AVX-512 and few blocs, Batch::direct_: every member's term of a lane with a join, in the
/// pass that adds its columns of W). It is
/// kept per combination: when a batch's lane state exceeds a core's L2 cache (large N) the
/// decisions look each member's up through its combination (one index per member shared by
/// every lane), so a round streams 11 bytes of lane state per member and lane (peer 8,
/// rival count 2, sponsorship 1) and rewrites no member's bloc term; when it fits, each
/// member's term is copied out as well and read with one load (bench/README.md, "Large
/// N"). Within a lane, joins are applied in increasing member order, one (draft, lane) at
/// a time. Each lane's arithmetic happens in the same order whatever the batch size, so
/// results are bit-identical for any batch size and thread count.

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#include "plenary/engine/parameter_draws.hpp"
#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"

namespace plenary {

/// The bytes of lane state counted per member, lane and draft when sizing batches and
/// memory (simulate()) and when choosing to keep the members' own bloc terms (Batch): the
/// layout's largest, sponsorship 1, peer 8, bloc 8 and rival 8 as before the rival counts
/// took 2, so an overestimate (batch.hpp's comment above gives today's bytes).
inline constexpr double kLaneBytesPerMember = 25.0;

/// Allocates on 64-byte boundaries (a cache line, one 512-bit vector), so that every
/// lane of the padded lane state starts on one.
template <class T>
struct CacheAligned {
  using value_type = T;
  CacheAligned() = default;
  template <class U>
  CacheAligned(const CacheAligned<U>&) {}  // NOLINT(google-explicit-constructor)
  T* allocate(std::size_t n) {
    return static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{64}));
  }
  void deallocate(T* p, std::size_t) { ::operator delete (p, std::align_val_t{64}); }
  template <class U>
  bool operator==(const CacheAligned<U>&) const {
    return true;
  }
};
template <class T>
using AlignedVector = std::vector<T, CacheAligned<T>>;

class Batch {
 public:
  /// Allocates the state for up to `capacity` lanes (a multiple of 4).
  /// With `uncertainty`, replicates run with members' positions drawn from their standard
  /// errors and/or the fit's parameters drawn from its covariance (docs/model.md,
  /// "Estimation uncertainty in positions" and "... in parameters"; position_draw,
  /// parameter_draw).
  Batch(const Model& model, int capacity, UncertaintySource uncertainty = UncertaintySource::kNone);

  /// Runs replicates first .. first + lanes - 1 (first a multiple of 4) and adds their
  /// outcomes to `counts` (one entry per draft, shaped as by simulate()). When `log` is
  /// not null, lane l's outcomes go to its replicate log_index + l.
  void run(long first, int lanes, std::uint64_t seed, std::vector<DraftCounts>& counts,
           ReplicateLog* log = nullptr, long log_index = 0);

 private:
  // bench/engine_fixture.hpp times the co-sponsorship rounds and the vote apart.
  friend struct BatchProbe;

  // A bloc whose sponsor count changed in a lane this round.
  struct Stale {
    std::uint32_t draft;
    std::uint32_t lane;
    std::uint32_t index;
  };

  // Index of (draft r, lane l, member i) in the per-member lane state. Lanes are padded
  // to np_ members, so that phase 1 decides whole vectors of 8 (the padding members are
  // marked as sponsors, which never join, and nothing else reads them).
  std::size_t at(std::size_t r, std::size_t l, std::size_t i) const {
    return (r * cap_ + l) * np_ + i;
  }
  // Index of (draft r, lane l, combination c) in the bloc terms (values_ per lane).
  std::size_t bv(std::size_t r, std::size_t l, std::size_t c) const {
    return (r * cap_ + l) * values_ + c;
  }
  // The members' own bloc terms from member i0 in (draft r, lane l), or null when they are
  // only kept per combination.
  const double* member_bloc(std::size_t r, std::size_t l, std::size_t i0) const {
    return per_member_bloc_ ? bloc_.data() + at(r, l, i0) : nullptr;
  }
  // Index of (draft r, lane l, bloc g) in the per-bloc lane state: g_ + 1 per lane, the
  // last a count that direct_ joins add to for a padding slot and nothing reads.
  std::size_t bg(std::size_t r, std::size_t l, std::size_t g) const {
    return (r * cap_ + l) * (g_ + 1) + g;
  }
  // Index of (draft r, member i) in the per-draft constants (padded like the lanes).
  std::size_t ri(std::size_t r, std::size_t i) const { return r * np_ + i; }
  // Index of (draft r, lane l, member i) in the position-dependent constants base_ and
  // fit_: one row per draft shared by every lane, or one per lane when positions are drawn.
  std::size_t lri(std::size_t r, std::size_t l, std::size_t i) const {
    return (r * lane_rows_ + l * lane_step_) * np_ + i;
  }

  void reset(std::size_t lanes);
  void fill_constants(std::size_t lane, const Eigen::MatrixXd& x);
  void draw_lanes(long first, std::size_t lanes, std::uint64_t seed);
  void set_lane_parameters(std::size_t lane, const std::vector<DraftDraw>* drawn,
                           double absence_factor);
  // The effective parameters of draft r in lane l.
  const Parameters& params(std::size_t r, std::size_t l) const {
    return lane_params_[r * cap_ + l];
  }
  // The members' absence rates in lane l.
  const double* absence(std::size_t l) const {
    return draw_absence_ ? &lane_absence_[l * n_] : m_.absence.data();
  }
  void sponsorship_round(int t, long first, std::size_t lanes, std::uint64_t seed);
  void decide(std::size_t r, std::size_t l, std::size_t i0, std::size_t padded,
              const std::uint32_t* words);
  void apply_joins();
  void join(std::size_t r, std::size_t j, std::size_t l);
  void join_counts(std::size_t r, std::size_t j, std::size_t l);
  void index_tie_values();
  void prefetch_join(std::size_t j) const;
  void prefetch_targets(std::size_t r, std::size_t j, std::size_t l) const;
  void build_combinations();
  void refresh_blocs();
  void refresh_lane(std::size_t lane);
  void columns_and_blocs(std::size_t r, std::size_t l, const std::uint32_t* joins,
                         std::size_t count);
  int standing_rivals(std::size_t r, std::size_t l, std::size_t i,
                      const std::vector<char>& standing) const;
  double vote_utility(std::size_t r, std::size_t l, std::size_t i, double rivals) const;
  void record_round(int t, std::size_t lanes, std::vector<DraftCounts>& counts) const;
  void vote(long first, std::size_t lanes, std::uint64_t seed, std::vector<DraftCounts>& counts,
            ReplicateLog* log, long log_index);
  bool withdrawn(std::size_t r, std::size_t l) const;

  const Model& m_;
  std::size_t cap_;  // lanes allocated
  std::size_t n_;    // members
  std::size_t np_;   // members padded to a multiple of 8: the stride of a lane
  std::size_t r_;    // drafts
  std::size_t g_;    // blocs
  // Per (draft, member): theta_0 - theta_fit |x_i - p_r|^2; phi_fit (|x_i - q_r|^2 -
  // |x_i - p_r|^2); the random-stream pair key split into its low and high words.
  AlignedVector<double> base_;
  AlignedVector<double> fit_;
  std::vector<std::uint32_t> pair_lo_;
  std::vector<std::uint32_t> pair_hi_;
  // 1 and 0, or cap_ and 1 when positions are drawn per lane (lri).
  std::size_t lane_rows_ = 1;
  std::size_t lane_step_ = 0;
  bool draw_ = false;  // per-lane constants (positions or parameters drawn)
  UncertaintySource uncertainty_ = UncertaintySource::kNone;
  Eigen::MatrixXd drawn_;  // scratch: one draw of the members' positions (N x D)
  // Per (draft, lane) [r * cap_ + l]: the effective parameters, theta_lobby e_r / sum_j c_j,
  // and (parameters drawn) the draft's drawn values.
  std::vector<Parameters> lane_params_;
  std::vector<double> lobby_coef_;
  std::vector<DraftDraw> lane_drafts_;
  std::vector<DraftDraw> draft_draw_;  // scratch: one draw's values per draft
  // Per (lane, member) when the absence scale is drawn: the lane's absence rates.
  bool draw_absence_ = false;
  std::vector<double> lane_absence_;
  // Members' distinct bloc lists ("combinations", each in the scenario's order): ranges of
  // combination_blocs_ and combination_members_. The combinations bloc g is in are
  // bloc_combinations_[bloc_combination_start_[g] .. bloc_combination_start_[g + 1]).
  // Up to three blocs are also listed in `slot`, padded with g_, a share that is always 0.
  struct Combination {
    std::uint32_t first_bloc;
    std::uint32_t blocs;
    std::uint32_t first_member;
    std::uint32_t members;
    std::uint32_t slot[3];
    double divisor;  // blocs
  };
  std::vector<Combination> combinations_;
  std::vector<std::uint32_t> combination_blocs_;
  std::vector<std::uint32_t> combination_members_;
  std::vector<std::uint32_t> bloc_combination_start_;
  std::vector<std::uint32_t> bloc_combinations_;
  // Combinations are numbered by their number of blocs: [0, combination_end_[0]) have
  // one, then two up to combination_end_[1], three up to combination_end_[2], more after.
  // The same as arrays for a whole refresh: slots per combination, plus one for members
  // in no bloc (value 0, also the padding members'); each member's combination (padded
  // to np_, shared by every draft and lane).
  std::uint32_t combination_end_[3] = {};
  std::vector<std::uint32_t> combination_slot_[3];
  AlignedVector<std::uint32_t> member_combination_;
  std::size_t values_ = 1;                // combinations + 1: the stride of bloc_value_
  std::vector<std::uint32_t> bloc_work_;  // per bloc: cost of refreshing its combinations
  // With AVX-512, the members' own terms kept, at most 15 blocs and no member in more than
  // 3: a whole refresh recomputes every member's term in one pass from its blocs (3 slots
  // per member, slot q of member i at [q np_ + i], padded with g_, the share that is
  // always 0) and its divisor (its number of blocs, 1 for none), not each combination's
  // value and a copy; then only the members' own terms (bloc_) are read, never bloc_value_.
  // Then a join adds 1 to its 3 slots' counts (a padding slot to the unread count g_)
  // and marks its (draft, lane) stale (lane_stale_), and a refresh recomputes the shares of
  // every bloc of each stale (draft, lane) in registers from the counts and the blocs'
  // sizes (bloc_size_, padded with 1), then every member's term: no list of changed blocs.
  bool direct_ = false;
  AlignedVector<std::uint32_t> member_slot_;
  AlignedVector<double> member_divisor_;
  AlignedVector<double> member_reciprocal_;  // 1 / member_divisor_, rounded
  AlignedVector<double> bloc_size_;
  std::vector<std::uint8_t> lane_stale_;

  // Lane state.
  AlignedVector<std::uint8_t> sponsor_;  // [r][lane][i] = s_ir
  AlignedVector<double> peer_;           // [r][lane][i] = (W s_r)_i
  // [r][lane][c] = b_ir of the members i in combination c (the last, no bloc: 0).
  AlignedVector<double> bloc_value_;
  // When the whole lane state of a batch fits a core's L2 cache (small N): [r][lane][i] =
  // b_ir as well, copied from bloc_value_ at each refresh, since there one load per member
  // costs less than a gather (bench/README.md, "Large N"). The same values either way.
  bool per_member_bloc_ = false;
  AlignedVector<double> bloc_;
  std::vector<std::int32_t> bloc_count_;  // [r][lane][g] = sponsors of r in g
  std::vector<double> bloc_share_;        // [r][lane][g] = bloc_count_ / |g|, g <= g_ (the last 0)
  std::vector<std::uint8_t> bloc_changed_;  // [r][lane][g]: listed in changed_blocs_
  std::vector<Stale> changed_blocs_;
  // Per (draft, lane) with a changed bloc (listed in stale_lanes_): the sum of its changed
  // blocs' bloc_work_; 0 when none changed.
  std::vector<std::uint32_t> lane_work_;
  std::vector<std::uint32_t> stale_lanes_;
  // [r][lane][i] = sum over rivals r' of r of s_ir': a count, exact in 16 bits (simulate()
  // refuses a draft listed as a rival more than 65,535 times), converted to double where
  // read (the same value the sum of 1.0s had).
  AlignedVector<std::uint16_t> rival_;
  std::vector<double> clout_sum_;    // [r][lane] = sum_j c_j s_jr
  std::vector<std::int32_t> count_;  // [r][lane] sponsor count
  // Per (draft, lane) [r * cap_ + l]: the members who join it this round, in increasing
  // order. apply_joins() takes one (draft, lane) at a time, so the columns of W land in one
  // lane's peer terms (N doubles, within a core's L2 cache at N = 100,000) rather than in
  // every lane's in turn.
  std::vector<std::vector<std::uint32_t>> lane_joins_;
  // W's distinct values when it is sparse and has at most 256 of them (the usual case: a
  // row-normalised W of equal tie weights has one per row degree), else empty: entry k of
  // m_.ties (valuePtr() order) is tie_value_[tie_index_[k]], tie_index_ empty when there is
  // one value. A join then reads its column of W as the rows (4 bytes an entry) and one
  // byte an entry, or none, not 12: at large N the columns come from memory
  // (bench/README.md, "Large N"). The same values, so the same bits.
  std::vector<double> tie_value_;
  std::vector<std::uint8_t> tie_index_;
  // Each member's blocs (m_.member_blocs flattened: member i's are
  // member_bloc_[member_bloc_start_[i] .. member_bloc_start_[i + 1])), so that a join reads
  // one array rather than a vector per member.
  std::vector<std::uint32_t> member_bloc_start_;
  std::vector<std::uint32_t> member_bloc_;
  // Scratch for one chunk of members: four random words each, and join decisions.
  AlignedVector<std::uint32_t> words_;
  std::vector<std::uint8_t> decision_;  // vote codes
  std::vector<std::uint32_t> joined_;   // offsets of the members who join
  // Phase 2: per (draft, vote, member) votes over the batch's lanes; the rival term over
  // standing rivals when a rival was withdrawn; voting rights (1 or 0) per member.
  std::vector<std::uint32_t> vote_count_;
  std::vector<std::uint16_t> vote_rival_;
  std::vector<std::uint8_t> rights_;
};

}  // namespace plenary
