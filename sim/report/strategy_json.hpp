#pragma once
// The fields that open every strategy document, lobby's and draft's (docs/strategy.md),
// in the order the JSON shows them: what was run, on what, with which draws.

#include <nlohmann/json.hpp>
#include <string_view>

#include "plenary/report/report.hpp"
#include "plenary/scenario/scenario.hpp"

namespace plenary {

// Result is a LobbyResult or a DraftSearchResult: each names its draft, goal,
// replicates, seed and number of runs.
template <class Result>
nlohmann::ordered_json strategy_header(std::string_view schema, const Scenario& s,
                                       const Result& r) {
  return {{"schema", schema},
          {"plenary", kVersion},
          {"scenario", s.name},
          {"scenario_file", s.source},
          {"scenario_sha256", s.sha256},
          {"overrides", s.overrides},
          {"draft", r.draft},
          {"goal", r.goal.name},
          {"goal_label", r.goal.label},
          {"replicates", r.replicates},
          {"seed", r.seed},
          {"common_random_numbers", true},
          {"runs", r.runs}};
}

}  // namespace plenary
