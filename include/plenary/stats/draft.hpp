#pragma once
/// Where to place the text (plenary draft, docs/strategy.md): a search of one draft's
/// position p_D (and, if asked, its status quo q_D) for a goal of `plenary lobby`, subject
/// to keeping listed members on board, every candidate position run on the same seed
/// (common random numbers), so that the differences between positions are paired. A coarse
/// grid over the policy space, then finer grids around the best point.

#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "plenary/scenario/scenario.hpp"
#include "plenary/stats/compare.hpp"
#include "plenary/stats/lobby.hpp"

namespace plenary {

/// The default probability with which every kept member must stay on board.
inline constexpr double kDefaultKeepProbability = 0.5;
/// The grid's box: the members' positions (and the current text) widened by this share of
/// their range on each side.
inline constexpr double kDraftMargin = 0.1;
/// Points per dimension of each refinement grid, and the number of refinements.
inline constexpr int kRefinePoints = 5;
inline constexpr int kRefineLevels = 2;

/// The default coarse grid: points per dimension for a policy space of `dims` dimensions
/// (41, 17, 7 for 1, 2, 3).
int default_draft_grid(int dims);

/// The members to keep from `--keep` ("CODE,..."), or the draft's original sponsors when
/// `spec` is empty. Throws UsageError naming --keep for an unknown code (with a "did you
/// mean"), an empty name or a code given twice.
std::vector<int> draft_keep_list(const Scenario& scenario, int draft, const std::string& spec);

struct DraftSearchOptions {
  long replicates = 1000;
  std::uint64_t seed = 0;
  int threads = 0;
  /// Estimation error drawn in every run (--uncertainty, docs/uncertainty.md): the same
  /// draws at every position searched.
  UncertaintySource uncertainty = UncertaintySource::kNone;
  /// Coarse grid points per dimension (>= 2); 0 for default_draft_grid().
  int grid = 0;
  /// Members to keep on board (indices).
  std::vector<int> keep;
  /// With a radius: every kept member's ideal point within this distance of the text.
  /// Without: every kept member on board with probability >= keep_probability.
  std::optional<double> radius;
  double keep_probability = kDefaultKeepProbability;
  /// Also search the status quo (with the text fixed at its best position).
  bool status_quo = false;
  /// Called with (runs finished, runs planned so far); may be empty.
  std::function<void(long, long)> progress;
};

/// One evaluated position of the text (and status quo).
struct DraftPoint {
  Eigen::VectorXd position;
  Eigen::VectorXd status_quo;
  /// |p - x_main|, the text's distance from the main sponsor's ideal point.
  double distance = 0;
  /// a = the goal with the current text, b = with this one, diff = the paired gain.
  PairedFigure figure;
  /// The smallest kept member's probability of staying on board, and that member (index).
  double keep_min = 1;
  int keep_member = -1;
  /// The farthest kept member's distance from the text.
  double keep_distance = 0;
  bool feasible = false;
  /// 0: the coarse grid over p; 1..: the refinements; for the status quo search the same
  /// plus 100. -1: the current text.
  int stage = 0;
};

struct DraftSearchResult {
  std::string draft;
  LobbyGoal goal;
  long replicates = 0;
  std::uint64_t seed = 0;
  int dims = 0;
  int grid = 0;
  /// The box searched, per dimension.
  Eigen::VectorXd lower, upper;
  /// The main sponsor (the first original sponsor) and the members kept (indices).
  int main_sponsor = 0;
  std::vector<int> keep;
  std::optional<double> radius;
  double keep_probability = kDefaultKeepProbability;
  bool status_quo_searched = false;
  /// The current text (stage -1).
  DraftPoint current;
  /// Every evaluated point, in order: the coarse grid first (grid^dims points, the first
  /// dimension varying fastest), then the refinements.
  std::vector<DraftPoint> points;
  /// Index into points of the best feasible point; nullopt when none is feasible.
  std::optional<std::size_t> best;
  /// The frontier: indices into points of the feasible text positions (status quo as
  /// given) each better than every feasible position nearer the main sponsor, by distance.
  std::vector<std::size_t> frontier;
  /// Simulations run.
  long runs = 0;
};

/// Searches draft `draft` (its index) for the goal; every run uses options.seed.
DraftSearchResult draft_search(const Scenario& scenario, int draft, const LobbyGoal& goal,
                               const DraftSearchOptions& options);

}  // namespace plenary
