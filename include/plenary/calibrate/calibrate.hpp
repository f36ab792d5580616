#pragma once
/// `plenary calibrate`: members' positions from a window of recorded votes, with fit
/// figures, standard errors and a hold-out check. The library computes and formats; only
/// the `plenary` program prints and writes files.

#include <Eigen/Core>
#include <cstdint>
#include <string>

#include "plenary/calibrate/habits.hpp"
#include "plenary/calibrate/ideal_point_fit.hpp"
#include "plenary/calibrate/resample.hpp"
#include "plenary/calibrate/vote_matrix.hpp"

namespace plenary::calibrate {

/// Everything a calibration run needs besides the data.
struct CalibrationOptions {
  /// Which roll calls and members.
  WindowOptions window;
  /// The model and its estimator.
  EstimatorOptions estimator;
  /// Parametric-bootstrap replicates for standard errors; 0: curvature standard errors.
  int bootstrap = 0;
  /// Share of the observed Yes/No cells hidden for the hold-out PCC, in (0, 1); 0: skip.
  double holdout_share = 0.1;
  /// Seed of the hold-out choice and of the bootstrap draws.
  std::uint64_t seed = 20160801;
  /// Ordered model only: estimate the members' abstention habits and shrunk absence
  /// propensities and write them (`abstain_habit`, `absence`); false gives the positions
  /// file without habits, as before habits existed.
  bool habits = true;
  /// The habits' priors.
  HabitOptions habit;
};

/// The result of a calibration run.
struct Calibration {
  VoteMatrix matrix;               ///< the window, after the cuts
  IdealPoints estimate;            ///< identified (see identify())
  FitStatistics fit;               ///< of `estimate`, the parameters as written out
  Eigen::MatrixXd se;              ///< members x D standard errors of the positions
  bool bootstrap_se = false;       ///< whether `se` came from the bootstrap
  Holdout holdout;                 ///< hold-out check (cells = 0 when skipped)
  double seconds = 0.0;            ///< wall-clock seconds of estimation and identification alone
  double bootstrap_seconds = 0.0;  ///< seconds of the bootstrap
  double holdout_seconds = 0.0;    ///< seconds of the hold-out estimation
  bool has_habits = false;         ///< whether `habits` were estimated
  Habits habits;                   ///< members' habits (ordered model with habits on)
  /// With the habits, per member: the window's roll calls while a member, and how many of
  /// them it recorded no vote on (the counts behind `matrix.absence`).
  Eigen::VectorXd member_roll_calls, absent_roll_calls;
  double habit_seconds = 0.0;  ///< seconds of the habit estimation
};

/// Selects the window, estimates and identifies the positions (the United States positive
/// on dimension 1 when it is in the window), computes the fit, standard errors and the
/// hold-out PCC. Throws DataError when the estimator does not converge within
/// `options.estimator.max_iterations` or the identified positions are not finite.
Calibration calibrate(const VoteData& data, const CalibrationOptions& options);

/// Text of the positions file: a header comment naming `command` and the data window, the
/// members dropped and the current UN members without a position; then
/// `positions: [{code, position, absence, data: {votes, pcc, se}}]`. Throws DataError,
/// naming the member, rather than write a NaN or an infinity (also format_report()).
std::string format_positions(const Calibration& result, const CalibrationOptions& options,
                             const std::string& command);

/// Voeten's pairwise agreement over the window's roll calls (before the lopsided cut):
/// identical votes 1, Yes/Abstain or No/Abstain 0.5, Yes/No 0, averaged over the roll calls
/// both members voted on. CSV `code_a,code_b,n,agreement`, one row per pair (a before b).
std::string format_agreement(const VoteMatrix& matrix);

/// The `--report` JSON: dims, members, roll_calls, dropped_lopsided, dropped_members,
/// iterations, log_likelihood, pcc, apre, holdout_pcc, seconds and more.
std::string format_report(const Calibration& result, const CalibrationOptions& options);

/// The members x roll calls matrix as CSV for other software (tools/compare-pscl.R):
/// `code,<rcid>,...` with 1 for Yes, 0 for No and empty for abstention or absence.
std::string format_matrix(const VoteMatrix& matrix);

}  // namespace plenary::calibrate
