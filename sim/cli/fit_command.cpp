// `plenary fit`: scenario parameters fitted to a few public figures (docs/fit.md).

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "cli/scenario_input.hpp"
#include "plenary/fit/fit.hpp"
#include "plenary/fit/report.hpp"
#include "plenary/fit/task_evaluator.hpp"
#include "plenary/scale/tasks.hpp"
#include "plenary/scenario/loader.hpp"
#include "plenary/util/atomic_file.hpp"
#include "plenary/util/error.hpp"

namespace plenary::cli {

namespace {

// Replicates per simulated candidate unless --replicates says (docs/fit.md).
constexpr long kReplicatesPerCandidate = 1000;

struct FitArgs {
  std::string file;
  std::vector<std::string> targets;
  std::vector<std::string> free;
  RunArgs run;  // replicates: per candidate, 1000 unless given
  int max_evals = 0;
  std::string out;
  std::string json;
  bool quiet = false;
};

// A word as a POSIX shell reads it back: bare when it is plainly safe, else single-quoted.
std::string shell_word(const std::string& word) {
  const bool safe = !word.empty() && word.find_first_not_of(
                                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789_-+.,:=@~/%") == std::string::npos;
  if (safe) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The command that reproduces the fit: everything that changes the result, nothing that
// does not (threads, outputs, --quiet), so the fitted file is the same for any --threads.
std::string reproducing_command(const FitArgs& args, const FitProblem& problem,
                                int max_evaluations) {
  std::string out = "plenary fit " + shell_word(args.file);
  for (const std::string& s : args.run.sets) out += " --set " + shell_word(s);
  for (const Target& t : problem.targets()) {
    out += " --target " + shell_word(target_text(problem.scenario(), t));
  }
  out += " --free " + shell_word(free_list_text(problem.free()));
  out += fmt::format(" --replicates {} --seed {} --max-evals {}", problem.settings().replicates,
                     problem.settings().seed, max_evaluations);
  return out;
}

std::string read_text(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

FitProblem prepare(const FitArgs& args, bool root) {
  Scenario scenario = prepare_scenario(args.file, args.run.sets).scenario;
  std::vector<Target> targets = parse_targets(scenario, args.targets);
  std::vector<FreeParameter> free = parse_free_list(scenario, args.free);
  EvaluationSettings settings;
  settings.replicates = args.run.replicates.value_or(kReplicatesPerCandidate);
  settings.seed = args.run.seed.value_or(scenario.run.seed);
  settings.threads = args.run.threads;
  FitProblem problem(std::move(scenario), std::move(targets), std::move(free), settings);
  if (root && !args.out.empty()) check_writable(args.out);
  if (root && !args.json.empty()) check_writable(args.json);
  return problem;
}

int run_fit(const FitArgs& args) {
  if (!scale::have_mpi() && scale::launched_as_many_processes()) {
    throw UsageError(
        "this plenary was built without MPI, but it was started as one of several processes "
        "(mpirun, srun), each of which would run the whole fit; rebuild with "
        "-DPLENARY_MPI=ON (docs/sweep.md), or run one process with --threads");
  }
  // The candidates of each batch are computed as tasks on the threads of this process or,
  // under mpirun/srun, on the ranks of the job. Every rank runs the same deterministic
  // search on the same achieved values (rank 0's, broadcast); only rank 0 writes.
  const std::unique_ptr<scale::TaskRunner> runner =
      scale::make_runner({.threads = args.run.threads});
  const bool root = runner->is_root();
  std::optional<FitProblem> prepared = scale::prepare_on_every_rank<FitProblem>(
      *runner, "the fit", [&] { return prepare(args, runner->is_root()); }, [](FitProblem&) {});
  if (!prepared) return kExitUserError;
  const FitProblem& problem = *prepared;

  TaskEvaluatorOptions evaluation;
  if (runner->ranks() > 1) {
    // One rank per core is the MPI norm: a task runs on one thread unless --threads asks.
    evaluation.workers = runner->ranks();
    evaluation.task_threads = std::max(1, args.run.threads);
  } else {
    evaluation.workers = args.run.threads > 0
                             ? args.run.threads
                             : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }

  FitOptions options;
  options.max_evaluations =
      args.max_evals > 0 ? args.max_evals : default_max_evaluations(problem.size());
  Progress progress(options.max_evaluations, root && !args.quiet, "simulations");
  options.progress = [&progress](int done, int budget, double best) {
    progress.show([&](double seconds) {
      return fmt::format("fit: {}/{} simulations at most, best objective {:.4g}, {:.0f} s ", done,
                         budget, best, seconds);
    });
  };
  const FitResult result = fit(problem, task_evaluator(problem, *runner, evaluation), options);
  progress.finish();
  if (!root) return 0;

  const std::string command = reproducing_command(args, problem, options.max_evaluations);
  // Everything is rendered before the first file is written, and files before the table.
  const std::string yaml =
      args.out.empty()
          ? ""
          : fitted_scenario_yaml(problem, result, command, leading_comment(read_text(args.file)));
  const std::string json = args.json.empty() ? "" : fit_json_report(problem, result, command);
  if (!args.out.empty()) write_file_atomically(args.out, yaml);
  if (!args.json.empty()) write_file_atomically(args.json, json);
  if (!args.quiet) fmt::print("{}", fit_text_report(problem, result));
  return 0;
}

}  // namespace

void add_fit_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<FitArgs>();
  CLI::App* sub =
      app.add_subcommand("fit",
                         "Fit scenario parameters to public figures (vote tallies, sponsor counts, "
                         "probabilities) by simulation; docs/fit.md");
  sub->add_option("FILE", args->file, "Scenario file (YAML)")->required();
  sub->add_option("--target,-t", args->targets,
                  "A figure to reproduce: DRAFT.QUANTITY[@ROUND]=VALUE[~TOLERANCE], QUANTITY one "
                  "of sponsors, yes, no, abstain, absent, p_adopted, p_without_vote, "
                  "p_withdrawn, p_reach:N, or a member's (a bloc's mean) p_yes, p_no, p_abstain, "
                  "p_absent, p_sponsor as QUANTITY:CODE or QUANTITY:BLOC (e.g. GGE.yes=139, "
                  "GGE.sponsors@8=55~2, OEWG.p_no:USA=1~0.1); repeatable")
      ->required()
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_option("--free,-f", args->free,
                  "Parameters to fit, comma-separated, each NAME[=LOW:HIGH]: a model "
                  "parameter (theta_peer; docs/scenario-format.md), one draft's (GGE.theta_peer), "
                  "GGE.position, "
                  "GGE.status_quo, GGE.lobbying, or absence_scale (multiplies every member's "
                  "absence rate); repeatable")
      ->required()
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  add_run_options(*sub, args->run,
                  {.min_replicates = 1,
                   .defaults_from = "the scenario's",
                   .replicates_of = " per simulated candidate",
                   .set_of = " before fitting, as in plenary run",
                   .with_set = true,
                   .mpi = true,
                   .fixed_replicates = kReplicatesPerCandidate,
                   .seed_of = ", shared by every candidate: common random numbers",
                   .one_value_per_set = true});
  sub->add_option("--max-evals", args->max_evals,
                  "Search budget in simulations, CMA-ES and polish together (default 300 + 150 per "
                  "free coordinate)")
      ->check(CLI::Range(1, 10'000'000));
  sub->add_option("--out,-o", args->out,
                  "Write the fitted scenario here: complete, with the command, targets and "
                  "achieved values in its header comment");
  sub->add_option("--json", args->json, "Write the fit's results as JSON (docs/fit.md)");
  sub->add_flag("--quiet,-q", args->quiet, "Print nothing on standard output");
  sub->callback([args, &exit_code] { exit_code = run_fit(*args); });
}

}  // namespace plenary::cli
