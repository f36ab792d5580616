#pragma once
/// Writers of a comparison (plenary compare): the terminal table and the JSON document
/// (docs/output.md, "plenary compare").

#include <string>

#include "plenary/scenario/scenario.hpp"
#include "plenary/stats/compare.hpp"

namespace plenary {

/// The side-by-side table printed by `plenary compare`; `top` members that move most.
std::string compare_text(const Scenario& a, const Scenario& b, const Comparison& c, int top = 10);

/// The JSON document of a comparison, pretty-printed, ending in a newline. Every member
/// present in both scenarios is listed. The same inputs give the same bytes.
std::string compare_json(const Scenario& a, const Scenario& b, const Comparison& c);

}  // namespace plenary
