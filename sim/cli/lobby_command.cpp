// plenary lobby FILE --draft D: whom to court first, ranked on common random numbers
// (docs/strategy.md).

#include <fmt/format.h>

#include <memory>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "cli/scenario_input.hpp"
#include "cli/uncertain_run.hpp"
#include "plenary/report/lobby_report.hpp"
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
  return cmd;
}

int lobby_command(const LobbyArgs& args) {
  const Scenario s = prepare_scenario(args.scenario, args.run.sets).scenario;
  const int draft = find_draft_option(s, args.draft, args.scenario);
  const LobbyGoal goal = parse_lobby_goal(args.goal, static_cast<int>(s.members.size()));
  std::vector<LobbyCandidate> candidates = lobby_candidates(s, args.candidates);
  LobbyOptions options;
  if (!args.cost.empty()) {
    read_lobby_costs(args.cost, s, candidates);
    options.costs = true;
  } else if (args.budget_cost) {
    throw UsageError(
        "--budget-cost needs the candidates' costs; give them with --cost FILE "
        "(CSV code,cost)");
  }
  const bool csv = !args.out.empty() && out_is_csv(args.out, "the ranking");
  if (!args.out.empty()) check_writable(args.out);
  if (!args.report.empty()) check_writable(args.report);
  options.replicates = args.run.replicates.value_or(s.run.replicates);
  options.seed = args.run.seed.value_or(s.run.seed);
  options.threads = args.run.threads;
  options.budget = args.budget.value_or(0);
  options.budget_cost = args.budget_cost;
  options.fast = !args.full_reruns;
  options.uncertainty = parse_uncertainty(args.run.uncertainty);
  check_uncertainty(compile(s), options.uncertainty);
  Progress progress(1 + static_cast<long>(candidates.size()), !args.quiet, "runs");
  options.progress = [&progress](long done, long) { progress.update(done); };
  const LobbyResult r = lobby(s, draft, goal, std::move(candidates), options);
  progress.finish();
  // Everything is rendered before the first file is written.
  const std::string out = args.out.empty() ? "" : csv ? lobby_csv(r) : lobby_json(s, r);
  const std::string html = args.report.empty() ? "" : lobby_html(s, r, reproduce(args, r), 30);
  if (!args.out.empty()) write_file_atomically(args.out, out);
  if (!args.report.empty()) write_file_atomically(args.report, html);
  if (!args.quiet) fmt::print("{}", lobby_text(s, r, args.top));
  return 0;
}

}  // namespace

void add_lobby_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<LobbyArgs>();
  CLI::App* sub = app.add_subcommand(
      "lobby",
      "Rank members or blocs by what their commitment to a draft gains, on common random "
      "numbers; optionally pick a set greedily (docs/strategy.md)");
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
                   .mpi = false,
                   .with_uncertainty = true,
                   .with_target_se = false});
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
