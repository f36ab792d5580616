#pragma once
/// Identification of the estimated positions, and the fit figures of the field: percent
/// correctly classified (PCC), aggregate proportional reduction in error (APRE) and the
/// log-likelihood, computed from the parameters as they are written out.

#include <Eigen/Core>

#include "plenary/calibrate/ideal_points.hpp"

namespace plenary::calibrate {

/// The affine map applied by identify(): new position = (old - centre) * transform.
struct Identification {
  Eigen::RowVectorXd centre;  ///< 1 x D
  Eigen::MatrixXd transform;  ///< D x D
};

/// Fixes location, scale, rotation and sign (docs/calibration.md, "Identification"):
/// positions are centred on the members' mean; rotated to their principal axes, in order of
/// decreasing variance; each axis scaled to unit variance (dividing by the number of
/// members); dimension 1 oriented so that member `reference` (the United States) is
/// positive, or, when reference < 0, so that the member farthest from the centre is; each
/// further dimension so that the member farthest from the centre on it is positive. The
/// roll-call parameters are transformed to match, so every linear predictor is unchanged.
Identification identify(IdealPoints& estimate, Eigen::Index reference);

/// Fit of a model to its Yes/No observations. Predicted Yes when eta > 0.
struct FitStatistics {
  long cells = 0;                 ///< observed Yes/No cells
  long errors = 0;                ///< cells classified wrongly
  long majority_errors = 0;       ///< sum over roll calls of the minority side's size
  double pcc = 0.0;               ///< 1 - errors / cells
  double majority_pcc = 0.0;      ///< 1 - majority_errors / cells: always voting with the majority
  double apre = 0.0;              ///< (majority_errors - errors) / majority_errors
  double log_likelihood = 0.0;    ///< sum of the cells' log-likelihoods
  Eigen::VectorXd member_pcc;     ///< per member (NaN for a member with no cells)
  Eigen::VectorXi member_votes;   ///< per member: observed Yes/No cells
  Eigen::VectorXd roll_call_pcc;  ///< per roll call
};

/// Fit of `estimate` to `obs` under `link`.
FitStatistics compute_fit(const Observations& obs, const IdealPoints& estimate, Link link);

/// PCC on the observed cells where `mask` is 1; `cells` receives their number. NaN when
/// there are none.
double masked_pcc(const Observations& obs, const Eigen::ArrayXXd& mask, const IdealPoints& estimate,
                  long& cells);

/// Standard errors of the positions from the curvature of each member's log-posterior,
/// holding the roll-call parameters fixed, in the identified coordinates. Members x D.
Eigen::MatrixXd curvature_standard_errors(const Observations& obs, const IdealPoints& estimate,
                                          const Identification& id, Link link,
                                          double position_precision);

}  // namespace plenary::calibrate
