#pragma once
/// Free parameters of `plenary fit` (docs/fit.md): `--free NAME[=LOW:HIGH]`, a quantity of
/// the scenario the search may change, within bounds. A vector (a draft's position or status
/// quo) is D coordinates; the search works on the concatenation of all coordinates.

#include <Eigen/Core>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plenary/scenario/scenario.hpp"

namespace plenary {

/// What a free parameter changes.
enum class FreeKind {
  kParameter,  ///< a MODEL.md parameter, global or one draft's override
  kPosition,   ///< a draft's position p_r (replaces the `sponsors` rule with a vector)
  kStatusQuo,  ///< a draft's status quo q_r
  kLobbying,   ///< a draft's lobbying effort e_r
  /// `absence_scale`: every member's absence rate a_i multiplied by one factor (a scenario
  /// input of MODEL.md transformed, not a model parameter); a rate of 1 stays 1.
  kAbsenceScale,
};

/// The name of the absence scale in `--free`.
inline constexpr std::string_view kAbsenceScaleName = "absence_scale";

/// Largest magnitude of a bound, so that squared distances and log-odds stay finite.
inline constexpr double kMaxBound = 1e6;

/// One free parameter.
struct FreeParameter {
  /// Its name: "theta_peer", "GGE.theta_peer", "GGE.position", "GGE.lobbying".
  std::string name;
  FreeKind kind = FreeKind::kParameter;
  /// Index into Scenario::drafts, or -1 for a global parameter or the absence scale.
  int draft = -1;
  /// Index into kParameters (kParameter only).
  std::size_t parameter = 0;
  /// Bounds per coordinate (1, or D for a vector), lower < upper.
  Eigen::VectorXd lower;
  Eigen::VectorXd upper;
  /// True when the bounds were given (`=LOW:HIGH`), false for the defaults.
  bool bounds_given = false;
  /// The scenario's value before fitting, per coordinate (not clamped to the bounds).
  Eigen::VectorXd initial;

  /// Number of coordinates.
  int size() const { return static_cast<int>(lower.size()); }
  /// The name of coordinate k: the name itself for a scalar, "GGE.position[1]" (1-based)
  /// for a vector.
  std::string coordinate_name(int k) const;
};

/// Default bounds of a MODEL.md parameter (docs/fit.md): theta_0 in [-12, 4]; the other
/// weights in [0, 10]; tau_yes and tau_no in [0, 10]; rho in [0, 1].
std::pair<double, double> default_parameter_bounds(std::string_view parameter);

/// Default bounds of the absence scale: [0, min(4, 0.99 / a_max)], a_max the largest absence
/// rate below 1, so that every scaled rate stays below 1 (docs/fit.md). Throws UsageError
/// when no member has a rate strictly between 0 and 1 (there is nothing to scale).
std::pair<double, double> default_absence_scale_bounds(const Scenario& scenario);

/// Default bounds of position and status-quo coordinate k: the members' range along that
/// axis widened by a quarter of its length (at least 0.5) on each side.
std::pair<double, double> default_position_bounds(const Scenario& scenario, int k);

/// Parses one item of `--free` ("theta_peer", "GGE.position=-2:2"). Throws UsageError
/// naming the flag, what is wrong and the fix.
FreeParameter parse_free(const Scenario& scenario, std::string_view item);

/// Parses every `--free` value, each a comma-separated list; refuses none at all and a name
/// given twice.
std::vector<FreeParameter> parse_free_list(const Scenario& scenario,
                                           const std::vector<std::string>& texts);

/// The free parameters as written on the command line: "theta_0,GGE.position=-2:2".
std::string free_list_text(const std::vector<FreeParameter>& free);

/// Total coordinates.
int coordinate_count(const std::vector<FreeParameter>& free);

/// Writes the coordinates `x` (all free parameters, concatenated) into `scenario`. Does not
/// validate.
void apply_free(const std::vector<FreeParameter>& free, const Eigen::VectorXd& x,
                Scenario& scenario);

}  // namespace plenary
