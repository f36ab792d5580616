// plenary lobby FILE --draft D: whom to court first, ranked on common random numbers
// (docs/strategy.md).

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "cli/scenario_input.hpp"
#include "cli/uncertain_run.hpp"
#include "plenary/report/lobby_report.hpp"
#include "plenary/report/uncertainty_report.hpp"
#include "plenary/scale/tasks.hpp"
#include "plenary/scenario/loader.hpp"
#include "plenary/stats/lobby.hpp"
#include "plenary/util/atomic_file.hpp"
#include "plenary/util/error.hpp"
#include "plenary/util/text.hpp"

namespace plenary::cli {

namespace {

struct LobbyArgs {
  std::string scenario;
  std::string draft;
  std::string goal = "sponsors";
  std::optional<int> budget;
  std::string candidates = "members";
  RunArgs run;
  std::string cost;
  std::optional<double> budget_cost;
  std::string out;
  std::string report;
  int top = 20;
  bool quiet = false;
  bool full_reruns = false;
};

// Collective: every process's bytes, in rank order, on every process (LobbyShare).
std::vector<std::string> all_gather(scale::TaskRunner& runner, const std::string& bytes) {
  const std::vector<std::string> parts = runner.gather(bytes);
  std::string joined;
  for (const std::string& part : parts) {
    const std::uint64_t n = part.size();
    joined.append(reinterpret_cast<const char*>(&n), sizeof n);
    joined += part;
  }
  joined = runner.broadcast(joined);
  std::vector<std::string> out;
  for (std::size_t at = 0; at + sizeof(std::uint64_t) <= joined.size();) {
    std::uint64_t n = 0;
    std::memcpy(&n, joined.data() + at, sizeof n);
    at += sizeof n;
    out.push_back(joined.substr(at, n));
    at += n;
  }
  return out;
}

// The command line that gives the same numbers (for the report).
std::string reproduce(const LobbyArgs& args, const LobbyResult& r) {
  std::string cmd = fmt::format(
      "plenary lobby {} --draft {} --goal {} --candidates '{}' --seed {} "
      "--replicates {}",
      args.scenario, args.draft, args.goal, args.candidates, r.seed, r.replicates);
  for (const std::string& set : args.run.sets) cmd += " --set '" + set + "'";
  if (args.budget) cmd += fmt::format(" --budget {}", *args.budget);
  if (!args.cost.empty()) cmd += " --cost '" + args.cost + "'";
  if (args.budget_cost) cmd += fmt::format(" --budget-cost {}", *args.budget_cost);
  if (!args.run.uncertainty.empty()) cmd += " --uncertainty " + args.run.uncertainty;
  return cmd;
}

// Everything a lobby needs before its first run, prepared alike on every process.
struct LobbySetup {
  Scenario scenario;
  int draft = 0;
  LobbyGoal goal;
  std::vector<LobbyCandidate> candidates;
  LobbyOptions options;
  bool csv = false;
};

LobbySetup prepare(const LobbyArgs& args, bool root) {
  LobbySetup p;
  p.scenario = prepare_scenario(args.scenario, args.run.sets).scenario;
  const Scenario& s = p.scenario;
  p.draft = find_draft_option(s, args.draft, args.scenario);
  p.goal = parse_lobby_goal(args.goal, static_cast<int>(s.members.size()));
  p.candidates = lobby_candidates(s, args.candidates);
  LobbyOptions& options = p.options;
  if (!args.cost.empty()) {
    read_lobby_costs(args.cost, s, p.candidates);
    options.costs = true;
  } else if (args.budget_cost) {
    throw UsageError(
        "--budget-cost needs the candidates' costs; give them with --cost FILE "
        "(CSV code,cost)");
  }
  p.csv = !args.out.empty() && out_is_csv(args.out, "the ranking");
  if (root && !args.out.empty()) check_writable(args.out);
  if (root && !args.report.empty()) check_writable(args.report);
  options.replicates = args.run.replicates.value_or(s.run.replicates);
  options.seed = args.run.seed.value_or(s.run.seed);
  options.threads = args.run.threads;
  options.budget = args.budget.value_or(0);
  options.budget_cost = args.budget_cost;
  options.fast = !args.full_reruns;
  options.uncertainty = parse_uncertainty(args.run.uncertainty);
  check_uncertainty(compile(s), options.uncertainty);
  return p;
}

// The figures --target-se bounds in a lobby: each candidate's gain (a candidate without a
// standard error, e.g. no recorded vote to average over, does not count).
double largest_gain_se(const LobbyResult& r) {
  double worst = 0;
  for (const LobbyEntry& e : r.ranking) worst = std::max(worst, e.figure.diff_se.value_or(0.0));
  return worst;
}

// The --target-se pilot: the single gains only (no greedy set), on the pilot's seed.
LobbyOptions pilot_options(const LobbyOptions& o, long replicates, std::uint64_t seed) {
  LobbyOptions pilot = o;
  pilot.replicates = replicates;
  pilot.seed = seed;
  pilot.budget = 0;
  pilot.budget_cost.reset();
  return pilot;
}

// One lobby with its progress line.
LobbyResult run_lobby(const Scenario& s, const LobbySetup& p,
                      std::vector<LobbyCandidate> candidates, LobbyOptions options, bool show) {
  Progress progress(1 + static_cast<long>(candidates.size()), show, "runs");
  options.progress = [&progress](long done, long) { progress.update(done); };
  LobbyResult r = lobby(s, p.draft, p.goal, std::move(candidates), options);
  progress.finish();
  return r;
}

int lobby_command(const LobbyArgs& args) {
  if (!scale::have_mpi() && scale::launched_as_many_processes()) {
    throw UsageError(
        "this plenary was built without MPI, but it was started as one of several processes "
        "(mpirun, srun), each of which would run the whole lobby; rebuild with "
        "-DPLENARY_MPI=ON (docs/strategy.md), or run one process with --threads");
  }
  // Under mpirun/srun every rank computes every run on its own block of replicates and all
  // of them put the blocks together (docs/strategy.md, "Under MPI"); only rank 0 writes.
  const std::unique_ptr<scale::TaskRunner> runner =
      scale::make_runner({.threads = args.run.threads});
  const bool root = runner->is_root();
  std::optional<LobbySetup> prepared = scale::prepare_on_every_rank<LobbySetup>(
      *runner, "the lobby", [&] { return prepare(args, root); }, [](LobbySetup&) {});
  if (!prepared) return kExitUserError;
  LobbySetup& p = *prepared;
  const Scenario& s = p.scenario;
  if (runner->ranks() > 1) {
    // One rank per core is the MPI norm: a rank runs on one thread unless --threads asks.
    p.options.threads = std::max(1, args.run.threads);
    p.options.share = {
        .rank = runner->rank(),
        .ranks = runner->ranks(),
        .all_gather = [&runner](const std::string& bytes) { return all_gather(*runner, bytes); }};
  }
  std::optional<LobbyResult> result;
  UncertaintyRun target;
  try {
    p.options.replicates = plan_replicates_on_pilot_seed(
        args.run, p.options.replicates, p.options.seed,
        [&](long replicates, std::uint64_t seed) {
          return largest_gain_se(run_lobby(
              s, p, p.candidates, pilot_options(p.options, replicates, seed), root && !args.quiet));
        },
        target);
    result = run_lobby(s, p, std::move(p.candidates), p.options, root && !args.quiet);
  } catch (const Error&) {
    // Every process fails alike (a rank's failure reaches every rank): one message, by rank 0.
    scale::throw_preparation_failure(*runner, std::current_exception(), "the lobby");
    return kExitUserError;
  }
  if (!root) return 0;
  const LobbyResult& r = *result;
  const double largest = largest_gain_se(r);
  target.target_met = !target.target_se || largest <= *target.target_se;
  // Everything is rendered before the first file is written.
  std::string out = args.out.empty() ? "" : p.csv ? lobby_csv(r) : lobby_json(s, r);
  if (target.target_se && !args.out.empty() && !p.csv) out = json_with_target(out, target, largest);
  const std::string html = args.report.empty() ? "" : lobby_html(s, r, reproduce(args, r), 30);
  if (!args.out.empty()) write_file_atomically(args.out, out);
  if (!args.report.empty()) write_file_atomically(args.report, html);
  if (!args.quiet) {
    fmt::print("{}", lobby_text(s, r, args.top));
    fmt::print("{}", target_line(target, r.replicates, largest, "each candidate's gain"));
  }
  return 0;
}

}  // namespace

void add_lobby_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<LobbyArgs>();
  CLI::App* sub = app.add_subcommand(
      "lobby",
      "Rank members or blocs by what their commitment to a draft gains, on common random "
      "numbers; optionally pick a set greedily (docs/strategy.md); under mpirun/srun every "
      "run's replicates are shared out over the MPI ranks");
  sub->add_option("FILE", args->scenario, "Scenario file (YAML)")->required();
  sub->add_option("--draft,-d", args->draft, "The draft to lobby for (its id)")->required();
  sub->add_option("--goal", args->goal,
                  "What to raise: sponsors (mean co-sponsors at the close, the default), "
                  "reach:N (P of N co-sponsors or more), yes (mean Yes in a recorded vote), "
                  "adopted, without-vote (P adopted without a vote), margin (Yes - No in a "
                  "recorded vote)");
  sub->add_option("--candidates", args->candidates,
                  "members (every member, the default), blocs (every bloc), or a comma-separated "
                  "list of member codes and bloc names, e.g. USA,EU");
  sub->add_option("--budget", args->budget,
                  "Also pick a set of this many candidates greedily (CELF) and print the path")
      ->check(CLI::Range(1, 1'000'000));
  sub->add_option("--cost", args->cost,
                  "CSV file code,cost: rank by gain per cost (a bloc without a line costs the "
                  "sum of its members)");
  sub->add_option("--budget-cost", args->budget_cost,
                  "Pick greedily by gain per cost until this total cost is spent (needs --cost)")
      ->check(CLI::PositiveNumber);
  add_run_options(*sub, args->run,
                  {.min_replicates = 2,
                   .defaults_from = "the scenario's",
                   .replicates_of = " of every run",
                   .set_of = "",
                   .with_set = true,
                   .mpi = true,
                   .fixed_replicates = std::nullopt,
                   .seed_of = "",
                   .with_uncertainty = true,
                   .target_se_of = "each candidate's gain"});
  sub->add_option("--out,-o", args->out,
                  "Write the ranking: NAME.csv (rank,candidate,gain,lo,hi,...) or NAME.json "
                  "(everything, docs/strategy.md)");
  sub->add_option("--report", args->report,
                  "Write a self-contained HTML report: the gains with their intervals, the "
                  "ranking and the greedy path (docs/strategy.md)");
  sub->add_option("--top", args->top, "Candidates printed (default 20; the files list all)")
      ->check(CLI::Range(0, 1'000'000));
  sub->add_flag("--quiet,-q", args->quiet, "Print nothing on standard output");
  sub->add_flag("--full-reruns", args->full_reruns,
                "Rank by one full run of the engine per candidate instead of the fast path "
                "(the same numbers, slower; docs/strategy.md)");
  sub->callback([args, &exit_code] { exit_code = lobby_command(*args); });
}

}  // namespace plenary::cli
