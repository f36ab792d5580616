#pragma once
/// Loading a scenario for a command: load_scenario() and then the drafts' `like:`
/// placements (include/plenary/forecast/like.hpp).

#include <filesystem>
#include <string>

#include "plenary/scenario/scenario.hpp"

namespace plenary::cli {

/// Loads `file` and places its drafts' `like:` roll calls. `report`, when not null, receives
/// what each placement used and set (format_likes()); "" when no draft says `like:`.
Scenario load_scenario_placed(const std::filesystem::path& file, std::string* report = nullptr);

}  // namespace plenary::cli
