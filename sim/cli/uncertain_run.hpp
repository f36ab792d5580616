#pragma once
// A run with --uncertainty and --target-se (docs/uncertainty.md): the pilot, the plan and
// the run that is reported, shared by `run` and `compare`.

#include <functional>
#include <optional>

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

/// Sets run.target_met from the reported run's split.
void finish_target(UncertaintyRun& run);

}  // namespace plenary::cli
