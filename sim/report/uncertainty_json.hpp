#pragma once
// The "uncertainty" object of the JSON output (docs/output.md), shared by the run and
// compare writers.

#include <nlohmann/json.hpp>

#include "plenary/report/uncertainty_report.hpp"

namespace plenary {

nlohmann::ordered_json uncertainty_json(const UncertaintyRun& run);

}  // namespace plenary
