#pragma once
/// Draws of a fitted scenario's parameters from the fit's covariance (docs/model.md,
/// "Estimation uncertainty in parameters"; --uncertainty parameters).

#include <cstdint>
#include <vector>

#include "plenary/model/model.hpp"

namespace plenary {

/// Draw `draw` of the fit's coordinates (Model::parameter_uncertainty, which must be set):
/// value + factor z, each clamped into the fit's bounds, with z standard normals from
/// Phase::kFitParameters block `draw` (normal j keyed by pair_key(j, kParametersStream)): a pure
/// function of (seed, draw). In the order of ParameterUncertainty::coordinates.
std::vector<double> drawn_parameters(const Model& model, std::uint64_t seed, std::uint32_t draw);

/// What one draft runs with under a draw of the parameters.
struct DraftDraw {
  Parameters params;
  double position[3] = {};
  double status_quo[3] = {};
  double lobbying = 1;
  /// True when the draw sets the position (it then replaces a `sponsors` rule).
  bool position_drawn = false;
};

/// Every draft's values under `values` (a drawn_parameters result), and the factor of the
/// members' absence rates below 1 (the drawn absence scale over the fitted one; 1 without).
void apply_parameter_draw(const Model& model, const std::vector<double>& values,
                          std::vector<DraftDraw>& drafts, double& absence_factor);

}  // namespace plenary
