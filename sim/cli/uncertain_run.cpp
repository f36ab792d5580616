#include "cli/uncertain_run.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "plenary/util/error.hpp"

namespace plenary::cli {

UncertaintySource parse_uncertainty(const std::string& name) {
  if (name == "positions") return UncertaintySource::kPositions;
  if (name == "parameters") return UncertaintySource::kFitParameters;
  if (name == "both") return UncertaintySource::kBoth;
  return UncertaintySource::kNone;
}

// Stein's two-stage rule (docs/uncertainty.md): the pilot's replicates only choose the
// count; the reported figures come from fresh replicates 0 .. n - 1, independent of the
// pilot, so each is a plain mean of n independent replicates whatever n is: unbiased.
long plan_replicates(const RunArgs& args, const RunOptions& options,
                     const std::function<double(const RunOptions&)>& pilot_run,
                     UncertaintyRun& run) {
  if (!args.target_se) return options.replicates;
  if (options.replicates > args.max_replicates) {
    throw UsageError(fmt::format(
        "--replicates {} (the pilot of --target-se) exceeds --max-replicates {}; give a smaller "
        "pilot or a larger cap",
        options.replicates, args.max_replicates));
  }
  if (options.replicates < 4) {
    throw UsageError(
        fmt::format("--target-se needs a pilot of at least 4 replicates (--replicates), got {}",
                    options.replicates));
  }
  RunOptions pilot = options;
  pilot.first_replicate = kPilotFirstReplicate;
  const double worst = pilot_run(pilot);
  run.target_se = args.target_se;
  run.pilot = options.replicates;
  run.cap = args.max_replicates;
  const long unbounded =
      planned_replicates(worst, options.replicates, *args.target_se, kPilotFirstReplicate);
  run.cap_hit = unbounded > args.max_replicates;
  return std::min(unbounded, args.max_replicates);
}

void finish_target(UncertaintyRun& run) {
  if (!run.target_se) return;
  run.target_met = largest_se(run.variance).first <= *run.target_se;
}

}  // namespace plenary::cli
