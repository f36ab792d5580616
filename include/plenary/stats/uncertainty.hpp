#pragma once
/// The variance of a run's headline figures split into Monte-Carlo and positions
/// (docs/model.md, "Estimation uncertainty in positions"; docs/uncertainty.md), and the
/// replicate count that a target standard error asks for (--target-se).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"

namespace plenary {

/// One figure's mean, the standard error of that mean, and the variance of one replicate's
/// value split by the law of total variance: total = monte_carlo + positions + parameters
/// (docs/uncertainty.md, "The variance split").
struct VarianceSplit {
  /// "sponsors" (at the close), "adopted", "without_vote", "withdrawn" (0/1 per
  /// replicate), "yes", "no" (recorded tallies, over the replicates with a recorded vote).
  std::string figure;
  long n = 0;       ///< replicates with a value
  double mean = 0;  ///< the figure (a probability for the 0/1 figures)
  /// Standard error of the mean; with draws, over the groups of replicates that share a
  /// draw (pairs, or fours with both sources), so it counts every source. nullopt when it
  /// cannot be estimated.
  std::optional<double> se;
  double total = 0;        ///< s_T^2, the sample variance of one replicate's value
  double monte_carlo = 0;  ///< s_W^2 (within pairs) with draws; else s_T^2
  /// The positions' part: s_T^2 - s_W^2 with positions drawn alone; with both, what is
  /// left after Monte-Carlo and parameters. 0 when negative (then `clamped`).
  double positions = 0;
  /// The parameters' part: s_T^2 - s_W^2 with parameters drawn alone; with both, the
  /// variance between the two pairs of a four (which share the positions) less s_W^2 / 2.
  double parameters = 0;
  bool clamped = false;
};

/// The split of one draft's headline figures.
struct DraftVariance {
  std::string id;
  std::vector<VarianceSplit> figures;
};

/// The split of every draft's headline figures.
struct VarianceReport {
  UncertaintySource uncertainty = UncertaintySource::kNone;
  long replicates = 0;
  std::vector<DraftVariance> drafts;
};

/// Splits the variance of values y_k (nullopt: no value in replicate k). With `paired`,
/// replicates 2d and 2d + 1 share a draw of the positions: the Monte-Carlo variance is the
/// within-pair variance over the pairs with both values and the mean's standard error is
/// over pairs; otherwise every replicate is independent and the whole variance is
/// Monte-Carlo.
VarianceSplit split_variance(const std::vector<std::optional<double>>& y, bool paired);

/// The same for any source: kNone (independent replicates), kPositions or kParameters
/// (pairs 2d, 2d + 1 share a draw), kBoth (pairs share both draws; the two pairs of four
/// replicates 4q .. 4q + 3 share the positions).
VarianceSplit split_variance(const std::vector<std::optional<double>>& y,
                             UncertaintySource uncertainty);

/// The split of every draft's headline figures from a run's replicate log.
VarianceReport split_variance(const Model& model, const ReplicateLog& log,
                              UncertaintySource uncertainty);

/// The integer sums from which split_variance() of an integer-valued figure is computed,
/// added up over blocks of replicates in any order with the same result (`plenary sweep
/// --uncertainty`: blocks on threads and MPI ranks). Every block starts at a multiple of 4
/// and holds whole groups (but for the run's last), so pairs and fours never straddle two.
struct SplitSums {
  std::uint64_t n = 0;         ///< replicates with a value
  std::uint64_t sum = 0;       ///< sum of the values
  std::uint64_t squares = 0;   ///< sum of their squares
  std::uint64_t pairs = 0;     ///< complete pairs (2d, 2d + 1)
  std::uint64_t within = 0;    ///< sum over them of (y_2d - y_2d+1)^2
  std::uint64_t fours = 0;     ///< complete fours (4q .. 4q + 3)
  std::uint64_t between = 0;   ///< sum over them of (y_4q + y_4q+1 - y_4q+2 - y_4q+3)^2
  std::uint64_t groups = 0;    ///< groups sharing a draw (share_draws()) with a value
  std::uint64_t group_sq = 0;  ///< sum over groups of S_c^2, S_c the group's sum
  std::uint64_t group_nS = 0;  ///< sum over groups of n_c S_c
  std::uint64_t group_n2 = 0;  ///< sum over groups of n_c^2
  static constexpr std::size_t kWords = 11;

  /// Adds the values y (nullopt: none; each an integer >= 0) of consecutive replicates
  /// starting at a multiple of 4, grouped by `uncertainty`'s share_draws().
  void add(const std::vector<std::optional<std::int64_t>>& y, UncertaintySource uncertainty);
  /// As words (kWords), and their sum back.
  void append_to(std::vector<std::uint64_t>& words) const;
  static SplitSums from(const std::uint64_t* words);
};

/// split_variance() from the sums: the same rule (docs/uncertainty.md, "The variance
/// split"), computed exactly from integers, so that a figure's split does not depend on how
/// its replicates were shared out.
VarianceSplit split_variance(const SplitSums& sums, UncertaintySource uncertainty);

/// The largest standard error of any figure in `report`, and the figure that has it
/// ("DRAFT.figure"); a figure without one counts as infinite.
std::pair<double, std::string> largest_se(const VarianceReport& report);

/// The replicates --target-se asks for after a pilot of `pilot` replicates (docs/
/// uncertainty.md, "Replicates until a target error"): the smallest pilot * 2^b, b >= 0,
/// with every figure's standard error predicted below `target` (se * sqrt(pilot / n)),
/// at most `cap` (then the cap).
long planned_replicates(const VarianceReport& pilot_report, long pilot, double target, long cap);

/// The same from the pilot's largest standard error.
long planned_replicates(double largest_se, long pilot, double target, long cap);

}  // namespace plenary
