#pragma once
// The tornado chart of plenary sensitivity (sim/report/sensitivity_report.cpp).

#include <cstddef>
#include <string>

#include "plenary/stats/sensitivity.hpp"

namespace plenary::svg {

/// Goal g's factors as horizontal bars, the most important on top: Morris mu* (to the right
/// when mu >= 0, to the left when the goal falls) or Sobol ST and S1 side by side, each with
/// its 95% interval. Inline SVG (no xmlns), as the reports embed it.
std::string tornado(const SensitivityResult& r, std::size_t g);

}  // namespace plenary::svg
