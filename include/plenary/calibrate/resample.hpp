#pragma once
/// Uncertainty and out-of-sample fit: parametric-bootstrap standard errors of the positions
/// and the PCC on a random share of held-out Yes/No cells.

#include <Eigen/Core>
#include <cstdint>

#include "plenary/calibrate/ideal_point_fit.hpp"

namespace plenary::calibrate {

/// Parametric-bootstrap standard errors: `replicates` times, draws every observed cell from
/// the fitted model (same Yes/No pattern of observation), re-estimates from `estimate`,
/// identifies, aligns to `estimate` (sign in one dimension, orthogonal Procrustes rotation
/// in more) and returns the standard deviation of each coordinate over the replicates.
/// `estimate` must be identified. Members x D; deterministic for a given seed.
Eigen::MatrixXd bootstrap_standard_errors(const Observations& obs, const IdealPoints& estimate,
                                          const EstimatorOptions& options, int replicates,
                                          std::uint64_t seed);

/// Result of a hold-out check.
struct Holdout {
  double pcc = 0.0;        ///< share of hidden cells classified correctly
  long cells = 0;          ///< hidden cells
  int iterations = 0;      ///< iterations of the estimation on the rest
  bool converged = false;  ///< whether that estimation converged
};

/// Hides `share` (0 < share < 1) of the observed Yes/No cells, chosen at random with `seed`,
/// estimates on the rest and classifies the hidden cells.
Holdout holdout_pcc(const Observations& obs, const EstimatorOptions& options, double share,
                    std::uint64_t seed);

}  // namespace plenary::calibrate
