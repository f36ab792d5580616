#pragma once
/// A derivative-free minimiser for `plenary fit`: CMA-ES, the covariance matrix adaptation
/// evolution strategy (Hansen, "The CMA Evolution Strategy: A Tutorial", arXiv:1604.00772,
/// with its default settings), over the unit box [0, 1]^n.
///
/// Bounds are handled by reflection: the strategy samples unconstrained points y and the
/// objective is evaluated at the point mirrored into the box (like pycma's BoundTransform,
/// piecewise linear), so every evaluation is feasible and no penalty needs tuning. Each
/// generation is evaluated as one batch, which a caller may spread over processes. The
/// strategy's own random numbers come from a counter-based generator keyed by `seed`, so a
/// run is reproducible.

#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace plenary {

/// Why a search stopped.
enum class StopReason {
  kConverged,  ///< the search steps fell below `tol_x`
  kStalled,    ///< the best value did not improve for `stall_generations`
  kBudget,     ///< `max_evaluations` ran out
  kTarget,     ///< the best value reached `target_value`
};

/// A sentence for the report, e.g. "converged: steps below 0.001 of the bounds".
std::string stop_reason_text(StopReason reason);

/// Settings of one search.
struct CmaesOptions {
  /// Stop after this many evaluations (a generation is never split).
  int max_evaluations = 1000;
  /// Initial step size, in units of the box (Hansen recommends about a quarter of the
  /// domain; 0.3 explores most of it).
  double sigma0 = 0.3;
  /// Stop when every coordinate's step is below this (units of the box).
  double tol_x = 1e-3;
  /// Stop when the best value has not improved for this many generations; 0 means
  /// 30 + 100 n / lambda (Hansen's tolstagnation, shortened).
  int stall_generations = 0;
  /// Stop as soon as the best value is at or below this.
  double target_value = -1;
  /// Population lambda; 0 means 4 + floor(3 ln n).
  int population = 0;
  /// Seed of the strategy's own random numbers.
  std::uint64_t seed = 0;
};

/// Values of a batch of points of the unit box, in the same order.
using BatchObjective = std::function<std::vector<double>(const std::vector<Eigen::VectorXd>&)>;

/// The outcome of a search.
struct CmaesResult {
  /// The best point evaluated (in the box) and its value.
  Eigen::VectorXd best;
  double best_value = 0;
  int evaluations = 0;
  int generations = 0;
  StopReason reason = StopReason::kBudget;
};

/// Mirrors a point into [0, 1]^n (period 2: 1.2 -> 0.8, -0.1 -> 0.1, 2.3 -> 0.3).
Eigen::VectorXd reflect_into_unit_box(const Eigen::VectorXd& y);

/// Minimises `f` over [0, 1]^n from `start` (in the box), n >= 1. The start itself is
/// evaluated first, so the result is never worse than it.
CmaesResult minimise_cmaes(const BatchObjective& f, const Eigen::VectorXd& start,
                           const CmaesOptions& options);

}  // namespace plenary
