#include "plenary/engine/parameter_draws.hpp"

#include <algorithm>
#include <cmath>

#include "plenary/core/random.hpp"
#include "plenary/util/assert.hpp"

namespace plenary {

std::vector<double> drawn_parameters(const Model& model, std::uint64_t seed, std::uint32_t draw) {
  PLENARY_ASSERT(model.parameter_uncertainty.has_value());
  const ParameterUncertainty& u = *model.parameter_uncertainty;
  const Eigen::Index m = u.factor.cols();
  Eigen::VectorXd z(m);
  constexpr double kTwoPi = 6.283185307179586;
  for (Eigen::Index j = 0; j < m; ++j) {
    const auto w = philox_block(seed, draw, Phase::kFitParameters, 0,
                                pair_key(static_cast<std::uint64_t>(j), kParametersStream));
    z(j) = std::sqrt(-2.0 * std::log(to_uniform(w[0]))) * std::cos(kTwoPi * to_uniform(w[1]));
  }
  const Eigen::VectorXd delta = u.factor * z;
  std::vector<double> out(u.coordinates.size());
  for (std::size_t k = 0; k < out.size(); ++k) {
    const DrawnCoordinate& c = u.coordinates[k];
    out[k] = std::clamp(c.value + delta(static_cast<Eigen::Index>(k)), c.lower, c.upper);
  }
  return out;
}

void apply_parameter_draw(const Model& model, const std::vector<double>& values,
                          std::vector<DraftDraw>& drafts, double& absence_factor) {
  drafts.resize(model.drafts.size());
  for (std::size_t r = 0; r < drafts.size(); ++r) {
    const ModelDraft& d = model.drafts[r];
    DraftDraw& out = drafts[r];
    out.params = d.params;
    for (Eigen::Index k = 0; k < model.dims; ++k) {
      out.position[k] = d.position(k);
      out.status_quo[k] = d.status_quo(k);
    }
    out.lobbying = d.lobbying;
    out.position_drawn = false;
  }
  absence_factor = 1;
  const ParameterUncertainty& u = *model.parameter_uncertainty;
  for (std::size_t k = 0; k < values.size(); ++k) {
    const DrawnCoordinate& c = u.coordinates[k];
    const double v = values[k];
    if (c.what.kind == FitCoordinateKind::kAbsenceScale) {
      // The scenario's rates are the fitted scale's; a fitted scale of 0 left none to move.
      absence_factor = c.value > 0 ? v / c.value : 1.0;
      continue;
    }
    for (int r : c.drafts) {
      DraftDraw& out = drafts[static_cast<std::size_t>(r)];
      switch (c.what.kind) {
        case FitCoordinateKind::kParameter:
          out.params.*(kParameters[c.what.parameter].field) = v;
          break;
        case FitCoordinateKind::kPosition:
          out.position[c.what.dim] = v;
          out.position_drawn = true;
          break;
        case FitCoordinateKind::kStatusQuo:
          out.status_quo[c.what.dim] = v;
          break;
        case FitCoordinateKind::kLobbying:
          out.lobbying = v;
          break;
        case FitCoordinateKind::kAbsenceScale:
          break;
      }
    }
  }
}

}  // namespace plenary
