#pragma once
/// The model's behavioural parameters (MODEL.md, "Defaults"), by name.

#include <array>
#include <optional>
#include <string_view>

namespace plenary {

/// Every parameter of MODEL.md with its default. A scenario may override any of them
/// globally (`parameters:`) or per draft (a draft's `parameters:`).
struct Parameters {
  /// Phase 1 intercept of the join log-odds. Any real.
  double theta_0 = -4;
  /// Phase 1 weight of the squared distance |x_i - p_r|^2 (subtracted). Any real.
  double theta_fit = 1;
  /// Phase 1 weight of peer pressure (W s_r)_i, the share of watched members sponsoring.
  double theta_peer = 3;
  /// Phase 1 weight of the bloc term b_ir.
  double theta_bloc = 2;
  /// Phase 1 weight of lobbying: e_r times the sponsors' share of total clout.
  double theta_lobby = 1;
  /// Phase 1 weight of the rival term, the number of rivals i already sponsors (subtracted).
  double theta_rival = 4;
  /// Phase 2 weight of the spatial utility |x_i - q_r|^2 - |x_i - p_r|^2.
  double phi_fit = 2;
  /// Phase 2 weight of peer pressure (W s_r)_i at the close.
  double phi_peer = 1;
  /// Phase 2 weight of the bloc term b_ir at the close.
  double phi_bloc = 1;
  /// Phase 2 weight of the standing rivals the member sponsors (subtracted).
  double phi_rival = 2;
  /// Ordered-logit cut point: Yes when v_ir > tau_yes. tau_yes + tau_no >= 0.
  double tau_yes = 1;
  /// Ordered-logit cut point: No when v_ir < -tau_no.
  double tau_no = 1;
  /// Probability in [0, 1] that a present member voting No asks for a recorded vote.
  double rho = 1;
};

/// Name and field of one parameter, for lookup by MODEL.md name.
struct ParameterInfo {
  std::string_view name;
  double Parameters::*field;
};

inline constexpr std::array<ParameterInfo, 13> kParameters = {{
    {"theta_0", &Parameters::theta_0},
    {"theta_fit", &Parameters::theta_fit},
    {"theta_peer", &Parameters::theta_peer},
    {"theta_bloc", &Parameters::theta_bloc},
    {"theta_lobby", &Parameters::theta_lobby},
    {"theta_rival", &Parameters::theta_rival},
    {"phi_fit", &Parameters::phi_fit},
    {"phi_peer", &Parameters::phi_peer},
    {"phi_bloc", &Parameters::phi_bloc},
    {"phi_rival", &Parameters::phi_rival},
    {"tau_yes", &Parameters::tau_yes},
    {"tau_no", &Parameters::tau_no},
    {"rho", &Parameters::rho},
}};

/// Index of the parameter called `name` in kParameters, or nullopt.
constexpr std::optional<std::size_t> find_parameter(std::string_view name) {
  for (std::size_t k = 0; k < kParameters.size(); ++k) {
    if (kParameters[k].name == name) return k;
  }
  return std::nullopt;
}

/// A draft's overrides of the global parameters: unset entries take the global value.
struct ParameterOverrides {
  std::array<std::optional<double>, kParameters.size()> values{};

  /// The effective parameters: `global` with every set entry replaced.
  Parameters apply(const Parameters& global) const {
    Parameters out = global;
    for (std::size_t k = 0; k < values.size(); ++k) {
      if (values[k]) out.*(kParameters[k].field) = *values[k];
    }
    return out;
  }
};

}  // namespace plenary
