#pragma once
/// The coordinates of a fit's covariance (Scenario::fit, the `fit:` block of a fitted
/// scenario): what each name changes, and the checks the loader applies
/// (docs/scenario-format.md, "fit").

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "plenary/scenario/scenario.hpp"

namespace plenary {

/// What one coordinate of a fit changes.
enum class FitCoordinateKind {
  kParameter,     ///< a MODEL.md parameter, global (draft -1) or one draft's override
  kPosition,      ///< coordinate `dim` of a draft's position p_r
  kStatusQuo,     ///< coordinate `dim` of a draft's status quo q_r
  kLobbying,      ///< a draft's lobbying effort e_r
  kAbsenceScale,  ///< the factor of every member's absence rate below 1
};

struct FitCoordinate {
  FitCoordinateKind kind = FitCoordinateKind::kParameter;
  int draft = -1;             ///< index into Scenario::drafts, or -1
  std::size_t parameter = 0;  ///< index into kParameters (kParameter only)
  int dim = 0;                ///< 0-based (kPosition, kStatusQuo)
};

/// Resolves a coordinate name ("theta_0", "GGE.tau_yes", "A/C.1/73/L.27.position[2]",
/// "GGE.lobbying", "absence_scale") against `scenario`; nullopt with `why` set (what is
/// wrong, with the names that would be right) when it names nothing.
std::optional<FitCoordinate> resolve_fit_coordinate(const Scenario& scenario, std::string_view name,
                                                    std::string& why);

/// The value a coordinate has in `scenario` (a draft's `sponsors` position is resolved as
/// the sponsors' mean; the absence scale has no value of its own: 1).
double fit_coordinate_value(const Scenario& scenario, const FitCoordinate& c);

/// The relative tolerance of the covariance checks: symmetric to within this fraction of
/// the largest diagonal entry, and no eigenvalue below minus this fraction of the largest.
inline constexpr double kFitCovarianceTolerance = 1e-8;

}  // namespace plenary
