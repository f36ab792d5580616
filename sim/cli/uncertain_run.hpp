#pragma once
// A run with --uncertainty and --target-se (docs/uncertainty.md): the pilot, the plan and
// the run that is reported, shared by `run` and `compare`.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "cli/options.hpp"
#include "plenary/engine/simulate.hpp"
#include "plenary/report/uncertainty_report.hpp"

namespace plenary::cli {

/// The --uncertainty named on the command line.
UncertaintySource parse_uncertainty(const std::string& name);

/// The replicate count to report, given the run's options (replicates = the pilot's
/// count): without a target, options.replicates; with one, planned from a pilot run of
/// `pilot_run` (called with the pilot's options: replicates from kPilotFirstReplicate on)
/// which returns the largest standard error of its headline figures. Fills `run`'s target
/// fields.
long plan_replicates(const RunArgs& args, const RunOptions& options,
                     const std::function<double(const RunOptions&)>& pilot_run,
                     UncertaintyRun& run);

/// The seed of the --target-se pilot of `lobby` and `draft`, whose runs are numbered from
/// replicate 0: another key of the counter-based generator, so that the pilot shares no
/// random numbers with the run it plans (docs/uncertainty.md).
constexpr std::uint64_t pilot_seed(std::uint64_t seed) { return seed ^ 0xd1b54a32d192ed03ULL; }

/// plan_replicates() for `lobby` and `draft`: the pilot is `pilot_run(replicates,
/// pilot_seed(seed))`, returning the largest standard error of the figures the command
/// ranks on.
long plan_replicates_on_pilot_seed(const RunArgs& args, long replicates, std::uint64_t seed,
                                   const std::function<double(long, std::uint64_t)>& pilot_run,
                                   UncertaintyRun& run);

/// What --target-se did, for a command's text ("" without a target): the count, the pilot,
/// the largest standard error of `figures` ("each candidate's gain") and, plainly, whether
/// the cap was hit and the target met. run.target_met must be set.
std::string target_line(const UncertaintyRun& run, long replicates, double largest,
                        std::string_view figures);

/// Sets run.target_met from the reported run's split.
void finish_target(UncertaintyRun& run);

}  // namespace plenary::cli
