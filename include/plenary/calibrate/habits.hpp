#pragma once
/// Members' habits from the record (docs/calibration.md, "Habits"): each member's abstention
/// habit h_i, the engine's `abstain_habit` (docs/model.md, "Abstention habits"), and its
/// absence propensity, both shrunk towards the Assembly's typical member.
///
/// The habit shifts both cut points of the ordered model by h_i:
///
///   P(Yes) = F(a_j + b_j . x_i - h_i),  P(Yes or Abstain) = F(c_j + b_j . x_i + h_i),
///
/// so the member's abstention band on roll call j is c_j - a_j + 2 h_i wide, exactly as the
/// engine's cut points tau_yes + h_i and tau_no + h_i widen a draft's band. It is estimated
/// per member with the positions and roll calls of the ordered fit held fixed (a roll call's
/// c_j - a_j is then the band of a member with h = 0), as the posterior mode under the prior
/// h_i ~ N(0, 1 / precision).

#include <Eigen/Core>

#include "plenary/calibrate/ideal_points.hpp"

namespace plenary::calibrate {

/// Settings of the habit estimator.
struct HabitOptions {
  /// Prior precision of a habit, h_i ~ N(0, 1 / precision), in (log-odds)^-2. > 0. With 1 a
  /// member needs tens of votes before its habit moves far from 0; with hundreds the record
  /// dominates.
  double precision = 1.0;
  /// Lowest habit written, <= 0. The engine refuses a habit below -(tau_yes + tau_no) / 2 of
  /// any draft of a scenario (it would invert the band); -1 is that floor for MODEL.md's
  /// default cut points, so a file made with the default loads with default drafts. A
  /// member whose free estimate lies below gets the floor (the constrained posterior mode).
  double floor = -1.0;
  /// Prior strength of the absence propensity, in roll calls: a member's share is shrunk
  /// towards the members' pooled share as if it had this many more roll calls at that
  /// share (a Beta prior). >= 0.
  double absence_prior = 20.0;
};

/// Habits of the members of an ordered fit, in its member order.
struct Habits {
  Eigen::VectorXd abstain_habit;     ///< h_i, log-odds
  Eigen::VectorXd abstain_habit_se;  ///< its standard error (curvature at the mode)
  Eigen::VectorXd absence;           ///< shrunk absence propensity, in [0, 1)
  Eigen::VectorXd absence_se;        ///< its standard error
  double pooled_absence = 0.0;       ///< the share absence is shrunk towards
};

/// The members' abstention habits given the ordered fit `est` (positions and roll calls held
/// fixed) and the observations it was fitted to. Throws UsageError unless `est` and `obs` are
/// the ordered model's, or the options are out of range.
Eigen::VectorXd estimate_abstain_habits(const Observations& obs, const IdealPoints& est,
                                        const HabitOptions& options, Eigen::VectorXd* se = nullptr);

/// Shrunk absence propensities from each member's absent roll calls and roll calls as a
/// member: (absent + k p) / (member + k), k = options.absence_prior, p the pooled share.
void estimate_absence(const Eigen::VectorXd& absent, const Eigen::VectorXd& member,
                      const HabitOptions& options, Habits& out);

}  // namespace plenary::calibrate
