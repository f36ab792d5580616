#pragma once
/// Reading scenario files (docs/scenario-format.md): strict YAML in, a validated
/// Scenario out, or a ScenarioError naming the file, line, column and the fix.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "plenary/scenario/scenario.hpp"

namespace plenary {

/// Loads and validates a scenario file, following `members: {include: ...}` and
/// `positions:` files and an `agreement:` file relative to the file's directory.
/// Throws ScenarioError (or DataError for a broken agreement/positions CSV file).
Scenario load_scenario(const std::filesystem::path& file);

/// Loads a scenario from YAML text. `display_name` is used in messages; relative
/// include paths are resolved against `base_dir`. `source` and `sha256` are left empty.
Scenario load_scenario_text(std::string_view yaml, const std::string& display_name = "<string>",
                            const std::filesystem::path& base_dir = ".");

/// The largest magnitude `validate` accepts for a model parameter (theta_*, phi_*, tau_*,
/// ...) and for any coordinate of a position, its standard error, a draft's position or
/// status quo: within it, weights times squared distances stay far from overflow.
inline constexpr double kMaxMagnitude = 1e6;

/// Checks the invariants the engine relies on (the semantic checks of the loader that do
/// not need a file position), e.g. after `apply_set`. Throws ScenarioError.
void validate(const Scenario& scenario);

/// Applies one `--set` assignment: `NAME=VALUE` for a global parameter (`theta_peer=2`),
/// `DRAFT.NAME=VALUE` for a draft's parameter or field (`GGE.theta_peer=2`,
/// `GGE.closes=8`, `GGE.lobbying=1.5`, `GGE.withdraw_below=0.3`, `GGE.opens=2`,
/// `GGE.majority=two_thirds`, `GGE.position=0.1,0.2`, `GGE.status_quo=0,0`).
/// Throws UsageError with a did-you-mean hint for an unknown name; call validate() after.
void apply_set(Scenario& scenario, std::string_view assignment);

/// Applies `--set` assignments in order (apply_set), records them in `overrides`, and
/// validates the result: a scenario they make invalid is refused with a ScenarioError
/// whose message starts with the assignments (`--set 'GGE.closes=0': ...`).
void apply_sets(Scenario& scenario, const std::vector<std::string>& assignments);

}  // namespace plenary
