#pragma once
/// A dynamic ordered ideal-point model (docs/forecast.md, "Dynamic positions"): every
/// member's position drifts between sessions as a Gaussian random walk, as in Martin &
/// Quinn (2002) and Bailey, Strezhnev & Voeten (2017), and every roll call has an ordered
/// No < Abstain < Yes vote line:
///
///   P(Yes) = F(a_j + b_j . x_{i,t(j)}),  P(Yes or Abstain) = F(c_j + b_j . x_{i,t(j)}),
///   x_{i,1} ~ N(0, I / initial_precision),  x_{i,t} ~ N(x_{i,t-1}, tau^2 g_t I),
///
/// F logistic, t(j) the period (session) of roll call j, g_t the number of sessions between
/// periods t-1 and t. The drift variance tau^2 is estimated, not assumed: an EM algorithm
/// whose E-step takes each member's trajectory posterior as Gaussian (Laplace: the mode and
/// the inverse curvature, roll-call parameters held at their mode) and whose M-step sets
/// tau^2 to the posterior mean squared step per session.

#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "plenary/calibrate/vote_data.hpp"

namespace plenary::forecast {

/// Settings of the dynamic estimator.
struct DynamicOptions {
  /// Dimensions D, 1..3.
  int dims = 2;
  /// Prior precision of each coordinate of a member's first position (as calibrate's).
  double initial_precision = 1.0;
  /// Prior precision of a roll call's intercepts and discriminations (pscl's 0.04).
  double roll_call_precision = 0.04;
  /// Starting value of tau^2, > 0.
  double drift_start = 0.05;
  /// Estimate tau^2 by EM (true) or keep drift_start fixed.
  bool estimate_drift = true;
  /// Convergence: the relative change of tau^2 in one sweep at most this...
  double drift_tolerance = 1e-3;
  /// ...and the relative change of the log-posterior at most this.
  double tolerance = 1e-6;
  /// Most sweeps.
  int max_iterations = 500;
};

/// The votes to fit. Members and roll calls are 0-based indices.
struct DynamicData {
  int members = 0;
  int periods = 0;
  /// periods - 1 gaps: sessions between consecutive periods (>= 1).
  std::vector<int> gaps;
  /// Period of every roll call; its size is the number of roll calls.
  std::vector<int> roll_call_period;
  /// One observed vote (Yes, Abstain or No; never kAbsent).
  struct Cell {
    std::int32_t member;
    std::int32_t roll_call;
    Vote vote;
  };
  std::vector<Cell> cells;
};

/// The estimate.
struct DynamicFit {
  int dims = 0;
  int periods = 0;
  /// (members x periods) x D: row member * periods + t is x_{member,t}.
  Eigen::MatrixXd positions;
  /// Roll calls x (2 + D): a_j, c_j, b_j.
  Eigen::MatrixXd theta;
  /// Per member: the Laplace covariance of its last period's position, D x D.
  std::vector<Eigen::MatrixXd> last_covariance;
  /// Per member: the first and last period on which it voted (-1, -1 for none).
  std::vector<std::pair<int, int>> span;
  double drift_variance = 0.0;  ///< tau^2, per session
  double drift_se = 0.0;        ///< its approximate standard error (docs/forecast.md)
  long drift_steps = 0;         ///< member-period steps (x D) that informed tau^2
  int rounds = 0;               ///< M-steps (one per sweep)
  int iterations = 0;           ///< sweeps over all roll calls and members
  bool converged = false;       ///< whether both the modes and tau^2 met their tolerances
  double log_posterior = 0.0;   ///< at the end, given tau^2

  /// x_{member, t}.
  Eigen::RowVectorXd position(int member, int t) const {
    return positions.row(static_cast<Eigen::Index>(member) * periods + t);
  }
};

/// A warm start: the estimate of a neighbouring window (docs/forecast.md, "Estimator").
struct DynamicStart {
  /// (members x periods) x D, as DynamicFit::positions.
  Eigen::MatrixXd positions;
  /// Roll calls x (2 + D); rows of roll calls the neighbour did not fit are ignored.
  Eigen::MatrixXd theta;
  /// Per roll call: whether its row of `theta` is an estimate.
  std::vector<bool> known;
  /// Starting tau^2, > 0.
  double drift_variance = 0.0;
};

/// Fits the model. Throws DataError when there are no cells or fewer than D + 2 members,
/// and UsageError for options out of range. Deterministic. With `start` (of matching
/// sizes), the sweeps begin there instead of at the pooled eigenvector start: the same
/// posterior mode, reached in fewer sweeps when the start is a neighbouring window's fit.
DynamicFit estimate_dynamic(const DynamicData& data, const DynamicOptions& options,
                            const DynamicStart* start = nullptr);

/// One roll call placed with the positions held fixed: the posterior mode of (a, c, b)
/// under the roll-call prior and the cutpoint barrier, and standard errors from the
/// inverse curvature there.
struct Placement {
  Eigen::VectorXd theta;       ///< a, c, b_1..b_D
  Eigen::VectorXd se;          ///< same order
  Eigen::MatrixXd covariance;  ///< the inverse curvature, same order (se is its diagonal's root)
  int voters = 0;
  bool converged = false;
};

/// Places a roll call given the voters' positions (voters x D) and votes. `start`, when not
/// empty, is the starting (a, c, b). Never throws for data that have no votes: the prior
/// mode is returned.
Placement place_roll_call(const Eigen::MatrixXd& positions, const std::vector<Vote>& votes,
                          double roll_call_precision, const Eigen::VectorXd& start = {});

/// The ordered model's (Yes, Abstain, No) probabilities at u1 = a + b.x, u2 = c + b.x
/// when b.x has variance `variance` (the position's uncertainty): the logistic-normal
/// integral by the probit approximation F(u / sqrt(1 + pi variance / 8)).
Eigen::Vector3d ordered_probabilities(double u1, double u2, double variance);

}  // namespace plenary::forecast
