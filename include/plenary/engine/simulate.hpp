#pragma once
/// Running K replicates of a Model: both phases of MODEL.md for every replicate, split
/// into batches of replicates that advance together, spread over threads. Every outcome
/// is accumulated as integer counts, so Results do not depend on the number of threads,
/// the batch size or the order of work.

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "plenary/model/model.hpp"

namespace plenary {

/// Raw counts for one draft over all replicates.
struct DraftCounts {
  /// Histogram of the sponsor count after t rounds: index t * (N + 1) + count, t = 0..T.
  std::vector<std::uint64_t> sponsors_by_round;
  /// Replicates in which each member sponsors the draft at the close.
  std::vector<std::uint64_t> member_sponsor;
  /// Each member's intended vote over the replicates in which the draft stood:
  /// index kVotes * i + vote_index(v). Members without voting rights stay at 0.
  std::vector<std::uint64_t> member_votes;
  /// Histograms of the recorded tallies (replicates with a recorded vote only):
  /// index vote_index(v) * (N + 1) + count.
  std::vector<std::uint64_t> tally;
  std::uint64_t stood = 0;         ///< replicates in which it was not withdrawn
  std::uint64_t recorded = 0;      ///< replicates with a recorded vote
  std::uint64_t adopted = 0;       ///< adopted, with or without a vote
  std::uint64_t without_vote = 0;  ///< adopted without a vote
  std::uint64_t withdrawn = 0;

  /// Adds another set of counts of the same shape.
  void add(const DraftCounts& other);
  bool operator==(const DraftCounts&) const = default;
};

/// The outcome of a run: counts per draft, in the model's draft order.
struct Results {
  long replicates = 0;
  std::uint64_t seed = 0;
  int members = 0;  ///< N
  int rounds = 0;   ///< T
  std::vector<DraftCounts> drafts;
  /// Integer sums a caller derives from the replicate log and wants added up with the
  /// counts (`plenary sweep --uncertainty`: the variance split's SplitSums per draft and
  /// figure, include/plenary/stats/uncertainty.hpp); empty unless filled. The task layer
  /// adds them word by word and carries them between MPI ranks.
  std::vector<std::uint64_t> log_sums;
  bool operator==(const Results&) const = default;
};

/// One draft's outcome in one replicate (ReplicateLog).
struct DraftOutcome {
  /// Bits of `flags`.
  static constexpr std::uint8_t kStood = 1, kRecorded = 2, kAdopted = 4, kWithoutVote = 8;
  /// Sponsor count at the close.
  std::int32_t sponsors = 0;
  /// Recorded tally, index vote_index(v) (Yes, No, Abstain, absent); all 0 unless kRecorded.
  std::array<std::int32_t, kVotes> tally{};
  std::uint8_t flags = 0;
  bool has(std::uint8_t bit) const { return (flags & bit) != 0; }
  bool operator==(const DraftOutcome&) const = default;
};

/// Every replicate's outcomes, kept when a comparison needs them paired replicate by
/// replicate (plenary compare): a few bytes per replicate and draft, one per member.
struct ReplicateLog {
  /// Bits of `member_flags`.
  static constexpr std::uint8_t kSponsorsAny = 1;  ///< sponsors at least one draft at the close
  static constexpr std::uint8_t kVotesNoAny = 2;   ///< votes No on at least one standing draft
  long replicates = 0;
  int drafts = 0;
  int members = 0;
  /// Index k * drafts + r, k the replicate's index within the run.
  std::vector<DraftOutcome> outcomes;
  /// Index k * members + i. "Votes No" is the member's vote, recorded or not.
  std::vector<std::uint8_t> member_flags;

  const DraftOutcome& outcome(long k, int r) const {
    return outcomes[static_cast<std::size_t>(k) * static_cast<std::size_t>(drafts) +
                    static_cast<std::size_t>(r)];
  }
  std::uint8_t member(long k, int i) const {
    return member_flags[static_cast<std::size_t>(k) * static_cast<std::size_t>(members) +
                        static_cast<std::size_t>(i)];
  }
  bool operator==(const ReplicateLog&) const = default;
};

/// Which estimation errors a run carries (docs/model.md, "Estimation uncertainty in
/// positions"): none (the model of Part 1, the default) or the members' positions.
enum class UncertaintySource : int { kNone = 0, kPositions = 1, kFitParameters = 2, kBoth = 3 };

/// Whether `u` draws the members' positions, the fit's parameters.
constexpr bool draws_positions(UncertaintySource u) {
  return u == UncertaintySource::kPositions || u == UncertaintySource::kBoth;
}
constexpr bool draws_parameters(UncertaintySource u) {
  return u == UncertaintySource::kFitParameters || u == UncertaintySource::kBoth;
}

/// Replicate k's draw of the positions: k / 2, or k / 4 with both drawn (four replicates
/// share the positions, two the parameters: docs/model.md, "The variance split").
constexpr std::uint32_t position_draw(UncertaintySource u, long replicate) {
  return static_cast<std::uint32_t>(replicate / (u == UncertaintySource::kBoth ? 4 : 2));
}
/// How many consecutive replicates share a draw, the independent units of a standard error:
/// 1 (none), 2 (one source), 4 (both: four share the positions).
constexpr int share_draws(UncertaintySource u) {
  return u == UncertaintySource::kNone ? 1 : u == UncertaintySource::kBoth ? 4 : 2;
}
/// Replicate k's draw of the fit's parameters: k / 2.
constexpr std::uint32_t parameter_draw(long replicate) {
  return static_cast<std::uint32_t>(replicate / 2);
}

/// Lower-case name of an Uncertainty ("none", "positions"), as --uncertainty takes it.
constexpr std::string_view uncertainty_name(UncertaintySource u) {
  switch (u) {
    case UncertaintySource::kNone:
      return "none";
    case UncertaintySource::kPositions:
      return "positions";
    case UncertaintySource::kFitParameters:
      return "parameters";
    case UncertaintySource::kBoth:
      return "both";
  }
  return "?";
}

/// How to run.
struct RunOptions {
  /// Number of replicates K >= 1.
  long replicates = 1000;
  /// Seed of the counter-based generator.
  std::uint64_t seed = 0;
  /// Index of the first replicate: the run covers replicates first_replicate ..
  /// first_replicate + replicates - 1, so that blocks of one ensemble can run apart (on
  /// other threads, processes or machines) and their counts add up to the whole run's.
  /// A multiple of 4 (phase 1 packs four replicates into one generator block).
  long first_replicate = 0;
  /// Worker threads; 0 means one per hardware thread. Results do not depend on it.
  int threads = 0;
  /// Replicates advanced together in one batch (rounded up to a multiple of 4).
  /// Results do not depend on it. 16 keeps a batch's lane state in the core's own cache for
  /// assemblies of some thousand members (bench/README.md, "Batch size").
  int batch = 16;
  /// Called from worker threads with the number of replicates finished so far (may be
  /// null). Must be thread-safe.
  std::function<void(long)> progress{};
  /// When not null, filled with every replicate's outcomes (resized by simulate()).
  ReplicateLog* log = nullptr;
  /// kPositions: replicates 2d and 2d + 1 run with draw d of the members' positions from
  /// their standard errors. Every member needs them (UsageError otherwise). kParameters:
  /// replicates 2d and 2d + 1 run with draw d of the fit's parameters (the scenario needs a
  /// `fit:` covariance). kBoth: both, the positions shared by four replicates
  /// (position_draw, parameter_draw).
  UncertaintySource uncertainty = UncertaintySource::kNone;
};

/// Throws UsageError when the model cannot carry `uncertainty`: position uncertainty with a
/// member that has no standard errors (the message names the first such members), parameter
/// uncertainty without a fit covariance.
void check_uncertainty(const Model& model, UncertaintySource uncertainty);

/// Runs K replicates of both phases. Throws UsageError for K < 1 or a bad thread count.
Results simulate(const Model& model, const RunOptions& options);

}  // namespace plenary
