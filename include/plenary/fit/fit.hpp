#pragma once
/// `plenary fit` (docs/fit.md): the search for the free coordinates that bring a scenario's
/// simulated figures closest to the targets, and the uncertainty of the values found.

#include <Eigen/Core>
#include <functional>
#include <string>
#include <vector>

#include "plenary/fit/cmaes.hpp"
#include "plenary/fit/problem.hpp"

namespace plenary {

/// The Gauss-Newton uncertainty of fitted coordinates.
///
/// J is the Jacobian of the standardised distances (achieved - target) / scale with respect
/// to the coordinates, by central differences on common random numbers (one-sided at a
/// bound). Its numerical rank is the number of effective targets; a coordinate with a
/// component in J's null space is not identified by the targets (any value along that
/// direction fits as well). For the others the covariance is (J^T J)^+, i.e. the change in
/// each coordinate that moves the standardised distances by one unit.
struct Uncertainty {
  /// Standard error per coordinate; NaN where not identified.
  Eigen::VectorXd se;
  /// Whether each coordinate is identified by the targets.
  std::vector<bool> identified;
  /// Covariance of the identified coordinates (rows and columns of the others are NaN).
  Eigen::MatrixXd covariance;
  /// d achieved / d coordinate, unstandardised (targets x coordinates).
  Eigen::MatrixXd jacobian;
  /// The difference step per coordinate, in natural units.
  Eigen::VectorXd step;
  /// Numerical rank of J: how many independent directions the targets pin down.
  int rank = 0;
  /// Simulations spent on the differences.
  int evaluations = 0;
};

/// Settings of a fit.
struct FitOptions {
  /// Search budget in evaluations (simulations of K replicates), CMA-ES and polish
  /// together; 0 means default_max_evaluations(n).
  int max_evaluations = 0;
  /// The Jacobian's difference step, as a fraction of each coordinate's bounds: large enough
  /// to move many replicates, small against the curvature.
  double step = 0.02;
  /// Skip the uncertainty (no Jacobian evaluations).
  bool skip_uncertainty = false;
  /// Called after every batch of evaluations with (evaluations so far, budget, best
  /// objective so far); may be null.
  std::function<void(int, int, double)> progress;
};

/// The default budget for n free coordinates: 300 + 150 n evaluations.
int default_max_evaluations(int n);

/// The part of a budget kept for the Levenberg-Marquardt polish: a quarter (CMA-ES may
/// leave it more).
int default_polish_reserve(int budget);

/// The outcome of a fit.
struct FitResult {
  /// The start (the scenario's values clamped to the bounds) and what it achieved.
  Candidate start;
  Achieved start_achieved;
  double start_objective = 0;
  /// The best candidate found and what it achieved.
  Candidate fitted;
  Achieved achieved;
  double objective = 0;
  /// Per target: scale sqrt(tolerance^2 + se^2) and distance (achieved - target) / scale.
  std::vector<double> scales;
  std::vector<double> distances;
  /// Which coordinates ended within 0.1% of the box's width of a bound (their uncertainty
  /// is then one-sided at best).
  std::vector<bool> at_bound;
  Uncertainty uncertainty;
  /// Search cost: CMA-ES evaluations and generations, then the polish's.
  int search_evaluations = 0;
  int generations = 0;
  int polish_evaluations = 0;
  int polish_iterations = 0;
  StopReason stop = StopReason::kBudget;
  double search_seconds = 0;
  double uncertainty_seconds = 0;
};

/// Searches with CMA-ES (include/plenary/fit/cmaes.hpp) over the box of the bounds from the
/// problem's start, polishes the best candidate by Levenberg-Marquardt on the standardised
/// distances (central differences of step/2 of the bounds), then estimates the uncertainty
/// at the best candidate. The budget covers both searches. Deterministic:
/// the same problem and options give the same result for any Evaluator that computes
/// problem.evaluate().
FitResult fit(const FitProblem& problem, const Evaluator& evaluate, const FitOptions& options);

/// The Gauss-Newton uncertainty at `x` (see Uncertainty), with difference steps of
/// `step` times each coordinate's bounds.
Uncertainty gauss_newton_uncertainty(const FitProblem& problem, const Evaluator& evaluate,
                                     const Candidate& x, const std::vector<double>& scales,
                                     double step);

}  // namespace plenary
