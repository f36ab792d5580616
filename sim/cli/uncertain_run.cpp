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
namespace {

// The pilot's count: at least 4 (so that its standard errors mean something) and within the
// cap.
void check_pilot(const RunArgs& args, long pilot) {
  if (pilot > args.max_replicates) {
    throw UsageError(fmt::format(
        "--replicates {} (the pilot of --target-se) exceeds --max-replicates {}; give a smaller "
        "pilot or a larger cap",
        pilot, args.max_replicates));
  }
  if (pilot < 4) {
    throw UsageError(fmt::format(
        "--target-se needs a pilot of at least 4 replicates (--replicates), got {}", pilot));
  }
}

// Steps 2 and 3 of the rule from the pilot's largest standard error.
long plan_from(const RunArgs& args, long pilot, double worst, UncertaintyRun& run) {
  run.target_se = args.target_se;
  run.pilot = pilot;
  run.cap = args.max_replicates;
  const long unbounded = planned_replicates(worst, pilot, *args.target_se, kPilotFirstReplicate);
  run.cap_hit = unbounded > args.max_replicates;
  return std::min(unbounded, args.max_replicates);
}

}  // namespace

long plan_replicates(const RunArgs& args, const RunOptions& options,
                     const std::function<double(const RunOptions&)>& pilot_run,
                     UncertaintyRun& run) {
  if (!args.target_se) return options.replicates;
  check_pilot(args, options.replicates);
  RunOptions pilot = options;
  pilot.first_replicate = kPilotFirstReplicate;
  return plan_from(args, options.replicates, pilot_run(pilot), run);
}

long plan_replicates_on_pilot_seed(const RunArgs& args, long replicates, std::uint64_t seed,
                                   const std::function<double(long, std::uint64_t)>& pilot_run,
                                   UncertaintyRun& run) {
  if (!args.target_se) return replicates;
  check_pilot(args, replicates);
  return plan_from(args, replicates, pilot_run(replicates, pilot_seed(seed)), run);
}

std::string target_line(const UncertaintyRun& run, long replicates, double largest,
                        std::string_view figures) {
  if (!run.target_se) return "";
  std::string tail;
  if (run.cap_hit) {
    tail = fmt::format(
        "; the target needs more than --max-replicates {}: stopped at the cap, target {}", run.cap,
        run.target_met ? "met anyway" : "NOT met");
  } else if (!run.target_met) {
    tail = "; target NOT met";
  }
  return fmt::format(
      "\nTarget standard error {} on {}: {} replicates, planned from a pilot of {} on its own "
      "seed (discarded); the largest standard error is {:.4g}{}.\n",
      *run.target_se, figures, replicates, run.pilot, largest, tail);
}

void finish_target(UncertaintyRun& run) {
  if (!run.target_se) return;
  run.target_met = largest_se(run.variance).first <= *run.target_se;
}

}  // namespace plenary::cli
