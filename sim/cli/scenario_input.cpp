#include "cli/scenario_input.hpp"

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

}  // namespace plenary::cli
