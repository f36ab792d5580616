#pragma once
/// Writers of `plenary sensitivity` (docs/sensitivity.md): the printed tables ranked by
/// mu* or ST, the CSV of the indices, the JSON document, the tornado chart and the HTML
/// report. The same inputs give the same bytes.

#include <string>

#include "plenary/scenario/scenario.hpp"
#include "plenary/stats/sensitivity.hpp"

namespace plenary {

/// One table per goal, the factors ranked by mu* (Morris) or ST (Sobol).
std::string sensitivity_text(const Scenario& s, const SensitivityResult& r);

/// One row per parameter and goal: parameter,goal,mu_star,mu_star_lo,mu_star_hi,mu,sigma,
/// lo,hi (Morris) or parameter,goal,S1,S1_lo,S1_hi,ST,ST_lo,ST_hi,S1_se,ST_se,lo,hi (Sobol).
std::string sensitivity_csv(const SensitivityResult& r);

/// Everything (schema `plenary-sensitivity/1`): the factors, the design, every point's goal
/// values and the indices; pretty-printed, ending in a newline.
std::string sensitivity_json(const Scenario& s, const SensitivityResult& r);

/// The tornado chart of goal g as a standalone SVG: one bar per factor, largest on top.
std::string sensitivity_tornado_svg(const SensitivityResult& r, std::size_t g);

/// The HTML report: per goal the tornado chart and the table; `command` reproduces it.
std::string sensitivity_html(const Scenario& s, const SensitivityResult& r,
                             const std::string& command);

}  // namespace plenary
