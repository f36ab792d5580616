#pragma once
/// Preparing a scenario for a command: load_scenario(), the drafts' `like:` placements
/// (include/plenary/forecast/like.hpp), the --set overrides, validation and the what-ifs
/// (include/plenary/scenario/what_if.hpp), in that order, the same for every command.

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "plenary/scenario/scenario.hpp"
#include "plenary/scenario/what_if.hpp"

namespace plenary::cli {

/// Loads `file` and places its drafts' `like:` roll calls. `report`, when not null, receives
/// what each placement used and set (format_likes()); "" when no draft says `like:`.
Scenario load_scenario_placed(const std::filesystem::path& file, std::string* report = nullptr);

/// A scenario ready to compile: compile(scenario, constraints).
struct PreparedScenario {
  Scenario scenario;
  /// The what-ifs' constraints on the run (empty without what-ifs).
  RunConstraints constraints;
  /// What each `like:` placement used and set (format_likes()); "" when no draft says
  /// `like:`.
  std::string likes;
};

/// Loads `file`, places its drafts' `like:` roll calls, applies the --set overrides `sets`
/// (NAME=VALUE or DRAFT.NAME=VALUE, in order, each recorded in the scenario's `overrides`),
/// validates again when there are any, and applies `what_ifs`. `on_likes`, when set, is
/// called with the like report as soon as the drafts are placed, before an override or a
/// what-if can fail (so that a command printing the report does so first). Throws what
/// load_scenario(), apply_sets() and apply_what_ifs() throw.
PreparedScenario prepare_scenario(const std::filesystem::path& file,
                                  const std::vector<std::string>& sets = {},
                                  const std::vector<WhatIf>& what_ifs = {},
                                  const std::function<void(const std::string&)>& on_likes = {});

/// The index of draft `id` (--draft) in `scenario`, loaded from `file`. Throws UsageError
/// naming --draft, with a "did you mean" and the drafts there are, when there is none.
int find_draft_option(const Scenario& scenario, const std::string& id, const std::string& file);

}  // namespace plenary::cli
