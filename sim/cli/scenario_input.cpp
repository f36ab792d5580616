#include "cli/scenario_input.hpp"

#include <fmt/format.h>

#include <utility>

#include "plenary/forecast/like.hpp"
#include "plenary/scenario/like_source.hpp"
#include "plenary/scenario/loader.hpp"
#include "plenary/util/error.hpp"
#include "plenary/util/text.hpp"

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

int find_draft_option(const Scenario& s, const std::string& id, const std::string& file) {
  const int draft = s.find_draft(id);
  if (draft >= 0) return draft;
  std::vector<std::string> ids;
  for (const Draft& d : s.drafts) ids.push_back(d.id);
  throw UsageError(fmt::format("--draft '{}': no draft '{}' in '{}'{} (drafts: {})", id, id, file,
                               did_you_mean(id, ids), join_quoted(ids, " and ")));
}

}  // namespace plenary::cli
