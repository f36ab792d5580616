#include "cli/scenario_input.hpp"

#include <utility>

#include "plenary/forecast/like.hpp"
#include "plenary/scenario/like_source.hpp"
#include "plenary/scenario/loader.hpp"

namespace plenary::cli {

Scenario load_scenario_placed(const std::filesystem::path& file, std::string* report) {
  std::vector<LikeSource> likes;
  Scenario scenario = load_scenario(file, likes);
  const auto placed = forecast::place_likes(scenario, likes);
  if (report != nullptr) *report = forecast::format_likes(placed);
  return scenario;
}

PreparedScenario prepare_scenario(const std::filesystem::path& file,
                                  const std::vector<std::string>& sets,
                                  const std::vector<WhatIf>& what_ifs,
                                  const std::function<void(const std::string&)>& on_likes) {
  PreparedScenario out;
  out.scenario = load_scenario_placed(file, &out.likes);
  if (on_likes) on_likes(out.likes);
  apply_sets(out.scenario, sets);
  if (!what_ifs.empty()) {
    WhatIfRun what_if = apply_what_ifs(out.scenario, what_ifs);
    out.scenario = std::move(what_if.scenario);
    out.constraints = std::move(what_if.constraints);
  }
  return out;
}

}  // namespace plenary::cli
