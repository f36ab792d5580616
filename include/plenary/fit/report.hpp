#pragma once
/// What `plenary fit` writes (docs/fit.md): the terminal table, the JSON document and the
/// fitted scenario file.

#include <string>
#include <string_view>

#include "plenary/fit/fit.hpp"
#include "plenary/fit/problem.hpp"

namespace plenary {

/// The terminal table: fitted values with their uncertainty, each target's achieved value
/// and distance, identification and cost.
std::string fit_text_report(const FitProblem& problem, const FitResult& result);

/// The JSON document of `--json` (docs/fit.md lists its fields). `command` is the command
/// line that reproduces the fit.
std::string fit_json_report(const FitProblem& problem, const FitResult& result,
                            const std::string& command);

/// The fitted scenario: the problem's scenario with the fitted values in place and `run:`
/// set to the fit's replicates and seed (and the p_reach targets' thresholds), so that
/// `plenary run` on it reproduces the achieved values exactly. Its header comment gives
/// `command`, the targets with the achieved values, and the fitted values with their
/// uncertainty; `original_comment` (the source file's leading comment, see
/// leading_comment()) follows it. Bit-identical for the same fit on any number of threads
/// (no timings, no thread count).
std::string fitted_scenario_yaml(const FitProblem& problem, const FitResult& result,
                                 const std::string& command, const std::string& original_comment);

/// The block of `#` comment lines at the top of a scenario file, without the `#` and one
/// following space; "" when the file does not start with one.
std::string leading_comment(std::string_view text);

}  // namespace plenary
