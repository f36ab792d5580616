#pragma once
/// Comparing two scenarios run on common random numbers (plenary compare): every figure in
/// A and in B with its standard error, and the difference B - A with a 95% interval from
/// the replicate-by-replicate (paired) differences. With the same seed, replicate k of A
/// and replicate k of B share the random numbers of every member and draft they have in
/// common (MODEL.md, "Replicates and randomness"), so a difference is far less noisy than
/// either figure; with independent seeds the same formula gives the unpaired interval.

#include <optional>
#include <string>
#include <vector>

#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"
#include "plenary/scenario/scenario.hpp"

namespace plenary {

/// One figure in A and in B. Means over a subset of replicates (e.g. tallies over the
/// replicates with a recorded vote) are ratio estimators; their standard errors and the
/// difference's come from the linearised (delta-method) per-replicate contributions.
struct PairedFigure {
  /// Machine name, e.g. "distinct_sponsors", "p_reach:55", "yes".
  std::string key;
  /// Human label, e.g. "Distinct co-sponsors".
  std::string label;
  /// True for probabilities (printed as such), false for counts.
  bool probability = false;
  /// Values and standard errors; nullopt where undefined (no replicate to average over,
  /// or the draft absent from that scenario).
  std::optional<double> a, a_se, b, b_se;
  /// B - A, its standard error and 95% interval (diff -/+ 1.96 se); nullopt unless both
  /// sides are defined.
  std::optional<double> diff, diff_se, low, high;
};

/// The per-draft figures of a draft in either scenario.
struct DraftComparison {
  std::string id;
  std::string title;
  bool in_a = false;
  bool in_b = false;
  /// Replicates with a recorded vote on the draft in A and in B (nullopt where the draft is
  /// absent): the tallies (yes, no, abstain, absent) are means over these only.
  std::optional<long> recorded_a, recorded_b;
  std::vector<PairedFigure> figures;
};

/// A member's expected stance in A and B. The stance in one replicate is +1 for
/// co-sponsoring at least one draft, -1 for voting No on at least one standing draft (its
/// vote, recorded or not), their sum when both, 0 otherwise; its mean is in [-1, 1].
struct MemberMove {
  std::string code;
  std::string name;
  double sponsor_a = 0, sponsor_b = 0;  ///< P(co-sponsors at least one draft)
  double no_a = 0, no_b = 0;            ///< P(votes No on at least one standing draft)
  double stance_a = 0, stance_b = 0;    ///< expected stance
  double diff = 0, diff_se = 0;         ///< stance B - A and its standard error
};

/// Everything `plenary compare` reports.
struct Comparison {
  long replicates = 0;
  std::uint64_t seed_a = 0;
  std::uint64_t seed_b = 0;
  /// True when both ran on the same seed (common random numbers).
  bool common_random_numbers = true;
  /// The scenarios as wholes: distinct co-sponsors, P(every draft adopted), P(every adopted
  /// draft adopted without a vote), No votes cast, polarisation index.
  std::vector<PairedFigure> overall;
  /// Drafts in A's order, then B's drafts that A lacks.
  std::vector<DraftComparison> drafts;
  /// Members present in both scenarios (matched by code), largest |stance change| first
  /// (ties: member order in A).
  std::vector<MemberMove> members;
};

/// Inputs for one side of a comparison.
struct CompareSide {
  const Scenario& scenario;
  const Model& model;
  const ReplicateLog& log;
  std::uint64_t seed = 0;
  /// How many consecutive replicates share a draw (--uncertainty): 1 without draws, 2 when
  /// replicates 2d and 2d + 1 share one, 4 with `both` (four share the positions), so
  /// standard errors are over those groups (docs/uncertainty.md).
  int share_draws = 1;
};

/// Compares two runs with the same number of replicates. `thresholds` are the sponsor
/// counts n for P(reaching n co-sponsors).
Comparison compare(const CompareSide& a, const CompareSide& b, const std::vector<int>& thresholds);

/// One paired figure from per-replicate values of each side: a mean of `a` (weighted by
/// `a_weight`, every replicate counting when it is empty) and of `b`, their standard errors
/// and the paired difference b - a with its 95% interval, as compare() computes every figure
/// (ratio estimators through their linearised contributions). `a` and `b` have one value
/// per replicate, the same replicates in the same order. With `share_draws` > 1 (replicates
/// that share a draw of --uncertainty, simulate.hpp) standard errors are over those groups.
PairedFigure paired_figure(std::string key, std::string label, bool probability,
                           const std::vector<double>& a, const std::vector<double>& a_weight,
                           const std::vector<double>& b, const std::vector<double>& b_weight,
                           int share_draws = 1);

/// The 95% two-sided normal quantile used for intervals.
inline constexpr double kZ95 = 1.959963984540054;

}  // namespace plenary
