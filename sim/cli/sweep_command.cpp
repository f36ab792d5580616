// `plenary sweep`: every point of a parameter grid, on threads or MPI ranks (docs/sweep.md).

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "cli/scenario_input.hpp"
#include "cli/uncertain_run.hpp"
#include "plenary/scale/sweep.hpp"
#include "plenary/util/error.hpp"
#include "plenary/util/text.hpp"

namespace plenary::cli {

namespace {

using scale::Grid;
using scale::SweepPlan;

struct SweepArgs {
  std::string file;
  std::vector<std::string> sets;  // the grid's axes
  RunArgs run;                    // its sets unused: --set is an axis here
  std::string out = "sweep.csv";
  long block = 1024;
  bool resume = false;
  bool quiet = false;
};

int sweep(const SweepArgs& args) {
  if (!scale::have_mpi() && scale::launched_as_many_processes()) {
    throw UsageError(
        "this plenary was built without MPI, but it was started as one of several processes "
        "(mpirun, srun), each of which would run the whole sweep; rebuild with "
        "-DPLENARY_MPI=ON (docs/sweep.md), or run one process with --threads");
  }
  const auto started = std::chrono::steady_clock::now();
  const std::unique_ptr<scale::TaskRunner> runner =
      scale::make_runner({.threads = args.run.threads});
  // Under MPI a rank per core is the norm, so a task runs on one thread unless --threads
  // asks for more; locally the runner's threads each take a task.
  const int task_threads = runner->ranks() > 1 ? std::max(1, args.run.threads) : 1;
  std::optional<SweepPlan> plan = scale::prepare_on_every_rank<SweepPlan>(
      *runner, "the sweep",
      [&] {
        // The --set flags are the grid's axes here, not overrides: the base is the file as
        // it is.
        SweepPlan p(prepare_scenario(args.file).scenario, args.sets, args.run.replicates,
                    args.run.seed, parse_uncertainty(args.run.uncertainty));
        if (runner->is_root()) p.open_output(args.out, args.resume);
        return p;
      },
      // A journal this process has just created goes again: the sweep never started.
      [](SweepPlan& p) { p.abandon(); });
  if (!plan) return kExitUserError;
  const std::vector<std::size_t> points = scale::points_to_run(*runner, *plan);
  Progress progress(static_cast<long>(points.size()), runner->is_root() && !args.quiet, "points");
  scale::run_sweep(*runner, *plan, points,
                   {.block = args.block,
                    .task_threads = task_threads,
                    .on_point = [&progress](long finished) { progress.update(finished); }});
  progress.finish();
  if (!runner->is_root()) return 0;

  plan->write_output();
  const Grid& grid = plan->grid();
  if (!args.quiet) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    fmt::print(stderr,
               "plenary sweep: {} ({} run now, {} from the journal) x {} "
               "on {} in {:.1f} s; wrote {}\n",
               count_noun(static_cast<long long>(grid.size()), "point"), points.size(),
               grid.size() - points.size(), count_noun(plan->replicates(), "replicate"),
               runner->describe(), seconds, args.out);
  }
  return 0;
}

}  // namespace

void add_sweep_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SweepArgs>();
  CLI::App* sub = app.add_subcommand(
      "sweep",
      "Run a scenario at every point of a parameter grid and write one CSV row per point "
      "(docs/sweep.md); under mpirun/srun the points are shared out over the MPI ranks");
  sub->add_option("FILE", args->file, "Scenario file (YAML)")->required();
  sub->add_option("--set", args->sets,
                  "A swept parameter or draft field: NAME=START:STOP:STEP (theta_peer=0:4:0.5, "
                  "stop included), NAME=A,B,C (GGE.closes=6,8,10) or NAME=VALUE; for "
                  "DRAFT.position and DRAFT.status_quo separate the points with ';'. "
                  "Repeatable: the grid is the product, the first --set varying slowest")
      ->take_all();
  add_run_options(*sub, args->run,
                  {.min_replicates = 1,
                   .defaults_from = "the scenario's",
                   .replicates_of = " per grid point",
                   .set_of = "",
                   .with_set = false,
                   .mpi = true,
                   .fixed_replicates = std::nullopt,
                   .seed_of = "",
                   .with_uncertainty = true,
                   .with_target_se = false});
  sub->add_option("--out,-o", args->out,
                  "The CSV file written at the end (default sweep.csv); its journal is "
                  "OUT.journal while the sweep runs")
      ->capture_default_str();
  sub->add_flag("--resume", args->resume,
                "Finish an interrupted sweep: keep the points its journal holds, run the rest");
  sub->add_option("--block", args->block,
                  "Replicates per task (rounded up to a multiple of 4): the unit of work shared "
                  "out. Results do not depend on it")
      ->check(CLI::Range(1L, 2'147'483'647L))
      ->capture_default_str();
  sub->add_flag("--quiet,-q", args->quiet, "No progress line and no closing summary");
  sub->callback([args, &exit_code] { exit_code = sweep(*args); });
}

}  // namespace plenary::cli
