// `plenary sensitivity`: Morris screening and Sobol indices of a draft's goals over varied
// parameters, every design point a run on the sweep machinery (docs/sensitivity.md).

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
#include "plenary/report/sensitivity_report.hpp"
#include "plenary/scale/sensitivity.hpp"
#include "plenary/util/atomic_file.hpp"
#include "plenary/util/error.hpp"
#include "plenary/util/text.hpp"

namespace plenary::cli {

namespace {

using scale::SensitivityPlan;

struct SensitivityArgs {
  std::string file;
  std::vector<std::string> varies;
  std::string method = "morris";
  std::optional<int> samples;
  int levels = 4;
  std::vector<std::string> goals;
  std::string draft;
  RunArgs run;  // its sets unused
  std::string out = "sensitivity.csv";
  std::string json;
  std::string report;
  std::string svg;
  int bootstrap = kDefaultBootstrap;
  long block = 1024;
  bool resume = false;
  bool quiet = false;
};

constexpr int kMorrisSamples = 10;
constexpr int kSobolSamples = 256;

// The command line that gives the same numbers (for the report).
std::string reproduce(const SensitivityArgs& args, const SensitivityResult& r) {
  std::string cmd = fmt::format("plenary sensitivity {} --method {} --samples {}", args.file,
                                args.method, r.design.samples);
  for (const std::string& v : args.varies) cmd += " --vary '" + v + "'";
  if (r.design.method == SensitivityMethod::kMorris)
    cmd += fmt::format(" --levels {}", r.design.levels);
  cmd += " --draft '" + r.draft + "'";
  for (const LobbyGoal& g : r.goals) cmd += " --goal " + g.name;
  return cmd + fmt::format(" --replicates {} --seed {} --bootstrap {}", r.replicates, r.seed,
                           r.bootstrap);
}

scale::SensitivitySpec spec_of(const SensitivityArgs& args) {
  scale::SensitivitySpec spec;
  spec.varies = args.varies;
  spec.method = args.method == "sobol" ? SensitivityMethod::kSobol : SensitivityMethod::kMorris;
  spec.samples = args.samples.value_or(spec.method == SensitivityMethod::kMorris ? kMorrisSamples
                                                                                 : kSobolSamples);
  spec.levels = args.levels;
  spec.goals = args.goals.empty() ? std::vector<std::string>{"sponsors"} : args.goals;
  spec.draft = args.draft;
  spec.replicates = args.run.replicates;
  spec.seed = args.run.seed;
  spec.bootstrap = args.bootstrap;
  return spec;
}

// Root: renders every output, then writes them (each a temporary file renamed into place),
// the CSV last, and deletes the journal.
void write_outputs(const SensitivityArgs& args, SensitivityPlan& plan) {
  const SensitivityResult r = plan.result();
  const std::string csv = sensitivity_csv(r);
  const std::string json = args.json.empty() ? "" : sensitivity_json(plan.base(), r);
  const std::string html =
      args.report.empty() ? "" : sensitivity_html(plan.base(), r, reproduce(args, r));
  const std::string svg = args.svg.empty() ? "" : sensitivity_tornado_svg(r, 0);
  if (!args.json.empty()) write_file_atomically(args.json, json);
  if (!args.svg.empty()) write_file_atomically(args.svg, svg);
  if (!args.report.empty()) write_file_atomically(args.report, html);
  write_file_atomically(args.out, csv);
  plan.finish();
  if (!args.quiet) fmt::print("{}", sensitivity_text(plan.base(), r));
}

int sensitivity(const SensitivityArgs& args) {
  if (!scale::have_mpi() && scale::launched_as_many_processes()) {
    throw UsageError(
        "this plenary was built without MPI, but it was started as one of several processes "
        "(mpirun, srun), each of which would run the whole study; rebuild with "
        "-DPLENARY_MPI=ON (docs/sweep.md), or run one process with --threads");
  }
  const auto started = std::chrono::steady_clock::now();
  const std::unique_ptr<scale::TaskRunner> runner =
      scale::make_runner({.threads = args.run.threads});
  const int task_threads = runner->ranks() > 1 ? std::max(1, args.run.threads) : 1;
  std::optional<SensitivityPlan> plan = scale::prepare_on_every_rank<SensitivityPlan>(
      *runner, "the study",
      [&] {
        SensitivityPlan p(prepare_scenario(args.file).scenario, spec_of(args));
        if (runner->is_root()) {
          if (!args.json.empty()) check_writable(args.json);
          if (!args.report.empty()) check_writable(args.report);
          if (!args.svg.empty()) check_writable(args.svg);
          p.open_output(args.out, args.resume);
        }
        return p;
      },
      [](SensitivityPlan& p) { p.abandon(); });
  if (!plan) return kExitUserError;
  const std::vector<std::size_t> points =
      scale::missing_points(*runner, plan->points(), plan->rows());
  Progress progress(static_cast<long>(points.size()), runner->is_root() && !args.quiet, "points");
  scale::run_sensitivity(*runner, *plan, points,
                         {.block = args.block,
                          .task_threads = task_threads,
                          .on_point = [&progress](long finished) { progress.update(finished); }});
  progress.finish();
  if (!runner->is_root()) return 0;
  write_outputs(args, *plan);
  if (!args.quiet) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    fmt::print(stderr,
               "plenary sensitivity: {} ({} run now, {} from the journal) x {} on {} in {:.1f} "
               "s; wrote {}\n",
               count_noun(static_cast<long long>(plan->points()), "point"), points.size(),
               plan->points() - points.size(), count_noun(plan->replicates(), "replicate"),
               runner->describe(), seconds, args.out);
  }
  return 0;
}

}  // namespace

void add_sensitivity_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SensitivityArgs>();
  CLI::App* sub = app.add_subcommand(
      "sensitivity",
      "Which parameters drive a draft's outcome: Morris screening (mu*, sigma) or Sobol indices "
      "(S1, ST) with bootstrap intervals, every design point a run on the sweep machinery "
      "(docs/sensitivity.md); under mpirun/srun the points are shared out over the MPI ranks");
  sub->add_option("FILE", args->file, "Scenario file (YAML)")->required();
  sub->add_option("--vary", args->varies,
                  "A varied parameter or draft field and its range: NAME=LO:HI "
                  "(theta_peer=0:4, GGE.lobbying=0:2; NAME is anything --set takes that holds "
                  "one number; DRAFT.opens and DRAFT.closes are rounded to integers). "
                  "Repeatable")
      ->take_all()
      ->required();
  sub->add_option("--method", args->method,
                  "morris (elementary effects: screening many parameters, the default) or "
                  "sobol (first-order and total indices with Saltelli sampling)")
      ->check(CLI::IsMember({"morris", "sobol"}))
      ->capture_default_str();
  sub->add_option("--samples", args->samples,
                  fmt::format("Morris: trajectories r, each of (parameters + 1) points (default "
                              "{}). Sobol: base samples N, N (parameters + 2) points (default {})",
                              kMorrisSamples, kSobolSamples))
      ->check(CLI::Range(2, 1'000'000));
  sub->add_option("--levels", args->levels,
                  "Morris: levels p of the grid, even; each step moves a parameter by "
                  "p / (2 (p - 1)) of its range")
      ->check(CLI::Range(2, 1000))
      ->capture_default_str();
  sub->add_option("--goal", args->goals,
                  "What to measure, as in lobby: sponsors (the default), reach:N, yes, "
                  "adopted, without-vote, margin. Repeatable: one set of indices per goal");
  sub->add_option("--draft,-d", args->draft, "The draft the goals are of (default: the first)");
  add_run_options(
      *sub, args->run,
      {.min_replicates = 1,
       .defaults_from = "the scenario's",
       .replicates_of = " per design point",
       .set_of = "",
       .with_set = false,
       .mpi = true,
       .fixed_replicates = std::nullopt,
       .seed_of = ", shared by every point (common random numbers), and of the design"});
  sub->add_option("--out,-o", args->out,
                  "The CSV of the indices, one row per parameter and goal (default "
                  "sensitivity.csv); its journal is OUT.journal while the study runs")
      ->capture_default_str();
  sub->add_option("--json", args->json,
                  "Also write everything as JSON: the design, every point's goal values and the "
                  "indices");
  sub->add_option("--report", args->report,
                  "Also write a self-contained HTML report with a tornado chart per goal");
  sub->add_option("--svg", args->svg,
                  "Also write the first goal's tornado chart as a standalone SVG file");
  sub->add_flag("--resume", args->resume,
                "Finish an interrupted study: keep the points its journal holds, run the rest");
  sub->add_option("--bootstrap", args->bootstrap,
                  "Bootstrap resamples of the 95% intervals (over trajectories or base samples)")
      ->check(CLI::Range(2, 100'000))
      ->capture_default_str();
  sub->add_option("--block", args->block,
                  "Replicates per task (rounded up to a multiple of 4). Results do not depend on "
                  "it")
      ->check(CLI::Range(1L, 2'147'483'647L))
      ->capture_default_str();
  sub->add_flag("--quiet,-q", args->quiet, "No progress line, table or closing summary");
  sub->callback([args, &exit_code] { exit_code = sensitivity(*args); });
}

}  // namespace plenary::cli
