// `plenary sweep`: every point of a parameter grid, on threads or MPI ranks (docs/sweep.md).

#include <fmt/format.h>

#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "cli/scenario_input.hpp"
#include "plenary/model/model.hpp"
#include "plenary/scale/grid.hpp"
#include "plenary/scale/journal.hpp"
#include "plenary/scale/sweep.hpp"
#include "plenary/scale/tasks.hpp"
#include "plenary/scenario/loader.hpp"
#include "plenary/stats/summary.hpp"
#include "plenary/util/atomic_file.hpp"
#include "plenary/util/error.hpp"
#include "plenary/util/text.hpp"

namespace plenary::cli {

namespace {

using scale::Grid;
using scale::Journal;
using scale::Task;

struct SweepArgs {
  std::string file;
  std::vector<std::string> sets;  // the grid's axes
  RunArgs run;                    // its sets unused: --set is an axis here
  std::string out = "sweep.csv";
  long block = 1024;
  bool resume = false;
  bool quiet = false;
};

// Everything every process prepares identically before any point is run.
struct Plan {
  Scenario base;
  std::unique_ptr<Grid> grid;
  long replicates = 0;
  std::uint64_t seed = 0;
  std::string header;
  std::optional<Journal> journal;  // rank 0 only
  bool fresh_journal = false;
};

// The models of the points being run: compiled on first use, a few kept.
class Models {
 public:
  Models(const Scenario& base, const Grid& grid) : base_(base), grid_(grid) {}

  std::shared_ptr<const Model> get(std::size_t point) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      const auto it = cache_.find(point);
      if (it != cache_.end()) return it->second;
    }
    auto model = std::make_shared<const Model>(compile(grid_.scenario(base_, point)));
    const std::lock_guard<std::mutex> lock(mutex_);
    if (cache_.size() >= kKept) cache_.erase(cache_.begin());  // points run roughly in order
    cache_.emplace(point, model);
    return model;
  }

 private:
  static constexpr std::size_t kKept = 64;
  const Scenario& base_;
  const Grid& grid_;
  std::mutex mutex_;
  std::map<std::size_t, std::shared_ptr<const Model>> cache_;
};

Plan prepare(const SweepArgs& args, bool root) {
  Plan plan;
  // The --set flags are the grid's axes here, not overrides: the base is the file as it is.
  plan.base = prepare_scenario(args.file).scenario;
  std::vector<scale::Axis> axes;
  for (const std::string& s : args.sets) axes.push_back(scale::parse_axis(s));
  plan.grid = std::make_unique<Grid>(std::move(axes));
  // Every point is checked before the first is run, so that a bad combination (a draft
  // closing before it opens) is refused now, not hours into the sweep.
  for (std::size_t p = 0; p < plan.grid->size(); ++p) (void)plan.grid->scenario(plan.base, p);
  plan.replicates = args.run.replicates.value_or(plan.base.run.replicates);
  plan.seed = args.run.seed.value_or(plan.base.run.seed);
  plan.header = scale::sweep_header(plan.base, *plan.grid);
  if (!root) return plan;
  check_writable(args.out);
  const std::string identity =
      scale::sweep_identity(plan.base, args.sets, plan.replicates, plan.seed);
  const std::filesystem::path journal = Journal::path_for(args.out);
  if (args.resume) {
    plan.journal.emplace(Journal::resume(journal, identity, plan.grid->size()));
  } else {
    plan.journal.emplace(Journal::create(journal, identity));
    plan.fresh_journal = true;
  }
  return plan;
}

// The points still to run: all but those the journal holds.
std::string encode_points(const Plan& plan) {
  std::string bytes;
  for (std::size_t p = 0; p < plan.grid->size(); ++p) {
    if (plan.journal && plan.journal->rows().contains(p)) continue;
    const auto n = static_cast<std::uint64_t>(p);
    bytes.append(reinterpret_cast<const char*>(&n), sizeof n);
  }
  return bytes;
}

std::vector<std::size_t> decode_points(const std::string& bytes) {
  std::vector<std::size_t> points(bytes.size() / sizeof(std::uint64_t));
  for (std::size_t k = 0; k < points.size(); ++k) {
    std::uint64_t n = 0;
    std::memcpy(&n, bytes.data() + k * sizeof n, sizeof n);
    points[k] = static_cast<std::size_t>(n);
  }
  return points;
}

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
  std::optional<Plan> plan = scale::prepare_on_every_rank<Plan>(
      *runner, "the sweep", [&] { return prepare(args, runner->is_root()); },
      // A journal this process has just created goes again: the sweep never started.
      [](Plan& p) {
        if (p.fresh_journal) p.journal->remove();
      });
  if (!plan) return kExitUserError;
  const Grid& grid = *plan->grid;
  const std::vector<std::size_t> points =
      decode_points(runner->broadcast(runner->is_root() ? encode_points(*plan) : ""));
  const std::vector<Task> tasks = scale::make_tasks(points, plan->replicates, args.block);

  std::map<std::size_t, std::string> rows;
  if (plan->journal) rows = plan->journal->rows();
  Models models(plan->base, grid);
  Progress progress(static_cast<long>(points.size()), runner->is_root() && !args.quiet, "points");
  long finished = 0;
  runner->run(
      tasks,
      [&](const Task& task, scale::TaskContext& context) {
        return scale::simulate_task(*models.get(task.point), task, plan->seed, context,
                                    task_threads);
      },
      [&](std::size_t point, Results results) {
        const Summary summary = summarise(*models.get(point), results, plan->base.run.thresholds);
        std::string row = scale::sweep_row(point, grid, summary);
        plan->journal->append(row);
        rows.emplace(point, std::move(row));
        progress.update(++finished);
      });
  progress.finish();
  if (!runner->is_root()) return 0;

  write_file_atomically(args.out, [&](std::ostream& out) {
    out << plan->header << '\n';
    for (const auto& [point, row] : rows) out << row << '\n';
  });
  plan->journal->remove();
  if (!args.quiet) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    fmt::print(stderr,
               "plenary sweep: {} ({} run now, {} from the journal) x {} "
               "on {} in {:.1f} s; wrote {}\n",
               count_noun(static_cast<long long>(grid.size()), "point"), points.size(),
               grid.size() - points.size(), count_noun(plan->replicates, "replicate"),
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
                   .mpi = true});
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
