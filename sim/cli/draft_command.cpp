// plenary draft FILE --draft D: where to place the text, searched on common random numbers
// (docs/strategy.md).

#include <fmt/format.h>

#include <cmath>
#include <memory>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "cli/scenario_input.hpp"
#include "cli/uncertain_run.hpp"
#include "plenary/report/draft_report.hpp"
#include "plenary/report/uncertainty_report.hpp"
#include "plenary/stats/draft.hpp"
#include "plenary/util/atomic_file.hpp"
#include "plenary/util/error.hpp"

namespace plenary::cli {

namespace {

// Replicates per position without --replicates: a search runs hundreds of positions, so it
// does not take the scenario's run.replicates (docs/strategy.md).
constexpr long kDraftReplicates = 400;

struct DraftArgs {
  std::string scenario;
  std::string draft;
  std::string goal = "sponsors";
  std::string keep;
  std::optional<double> keep_p;
  std::optional<double> radius;
  std::optional<int> grid;
  bool status_quo = false;
  RunArgs run;
  std::string out;
  std::string svg;
  std::string report;
  bool quiet = false;
};

// The command line that gives the same numbers (for the report).
std::string reproduce(const DraftArgs& args, const DraftSearchResult& r) {
  std::string cmd =
      fmt::format("plenary draft {} --draft {} --goal {} --grid {} --seed {} --replicates {}",
                  args.scenario, args.draft, args.goal, r.grid, r.seed, r.replicates);
  for (const std::string& set : args.run.sets) cmd += " --set '" + set + "'";
  if (!args.keep.empty()) cmd += " --keep '" + args.keep + "'";
  if (args.radius) cmd += fmt::format(" --radius {}", *args.radius);
  if (args.keep_p) cmd += fmt::format(" --keep-p {}", *args.keep_p);
  if (args.status_quo) cmd += " --status-quo";
  if (!args.run.uncertainty.empty()) cmd += " --uncertainty " + args.run.uncertainty;
  return cmd;
}

// Refuses a radius or grid the search cannot use, naming the flag and the fix.
void check_search_options(const DraftArgs& args) {
  if (args.radius && !(*args.radius > 0 && std::isfinite(*args.radius))) {
    throw UsageError(
        fmt::format("--radius {}: the radius must be a positive distance in the policy space, e.g. "
                    "--radius 1.5",
                    *args.radius));
  }
  if (args.radius && args.keep_p) {
    throw UsageError(
        "--radius and --keep-p are two ways to keep members on board; give one of them");
  }
  if (args.keep_p && !(*args.keep_p >= 0 && *args.keep_p <= 1)) {
    throw UsageError(fmt::format(
        "--keep-p {}: a probability must be between 0 and 1, e.g. --keep-p 0.5", *args.keep_p));
  }
  if (args.grid && *args.grid < 2) {
    throw UsageError(fmt::format(
        "--grid {}: a grid needs at least 2 points per dimension; ask for --grid 2 or more",
        *args.grid));
  }
}

// The figure --target-se bounds in a search: the standard error of the gain over the current
// text at the best position (the headline the report gives an interval for), or with no
// feasible position of the goal at the current text; 0 when it has none.
double best_gain_se(const DraftSearchResult& r) {
  if (!r.best) return r.current.figure.b_se.value_or(0.0);
  return r.points[*r.best].figure.diff_se.value_or(0.0);
}

int draft_command(const DraftArgs& args) {
  check_search_options(args);
  const Scenario s = prepare_scenario(args.scenario, args.run.sets).scenario;
  const int draft = find_draft_option(s, args.draft, args.scenario);
  const LobbyGoal goal = parse_lobby_goal(args.goal, static_cast<int>(s.members.size()));
  DraftSearchOptions options;
  options.keep = draft_keep_list(s, draft, args.keep);
  options.radius = args.radius;
  options.keep_probability = args.keep_p.value_or(kDefaultKeepProbability);
  options.grid = args.grid.value_or(0);
  options.status_quo = args.status_quo;
  options.replicates = args.run.replicates.value_or(kDraftReplicates);
  options.seed = args.run.seed.value_or(s.run.seed);
  options.threads = args.run.threads;
  options.uncertainty = parse_uncertainty(args.run.uncertainty);
  check_uncertainty(compile(s), options.uncertainty);
  if (options.grid > 0) {
    double points = 1;
    for (int k = 0; k < s.dims; ++k) points *= options.grid;
    if (points > 1e5) {
      throw UsageError(fmt::format(
          "--grid {}: {} dimensions make {:.0f} positions to run; ask for a smaller grid",
          options.grid, s.dims, points));
    }
  }
  const bool csv = !args.out.empty() && out_is_csv(args.out, "the frontier");
  if (!args.out.empty()) check_writable(args.out);
  if (!args.svg.empty()) check_writable(args.svg);
  if (!args.report.empty()) check_writable(args.report);
  Progress progress(1, !args.quiet, "runs");
  options.progress = [&progress](long done, long planned) {
    progress.show([&](double seconds) {
      return fmt::format("{} of {} positions run, {:.0f} s", done, planned, seconds);
    });
  };
  UncertaintyRun target;
  options.replicates = plan_replicates_on_pilot_seed(
      args.run, options.replicates, options.seed,
      [&](long replicates, std::uint64_t seed) {
        DraftSearchOptions pilot = options;
        pilot.replicates = replicates;
        pilot.seed = seed;
        const double se = best_gain_se(draft_search(s, draft, goal, pilot));
        progress.finish();
        return se;
      },
      target);
  const DraftSearchResult r = draft_search(s, draft, goal, options);
  progress.finish();
  const double largest = best_gain_se(r);
  target.target_met = !target.target_se || largest <= *target.target_se;
  // Everything is rendered before the first file is written.
  std::string out = args.out.empty() ? "" : csv ? draft_csv(r) : draft_json(s, r);
  if (target.target_se && !args.out.empty() && !csv) out = json_with_target(out, target, largest);
  const std::string svg = args.svg.empty() ? "" : draft_frontier_svg(s, r);
  const std::string html = args.report.empty() ? "" : draft_html(s, r, reproduce(args, r));
  if (!args.out.empty()) write_file_atomically(args.out, out);
  if (!args.svg.empty()) write_file_atomically(args.svg, svg);
  if (!args.report.empty()) write_file_atomically(args.report, html);
  if (!args.quiet) {
    fmt::print("{}", draft_text(s, r));
    fmt::print("{}", target_line(target, r.replicates, largest, "the gain at the best position"));
  }
  return 0;
}

}  // namespace

void add_draft_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<DraftArgs>();
  CLI::App* sub = app.add_subcommand(
      "draft",
      "Search where to place a draft's text (and, with --status-quo, its status quo) for a "
      "goal while keeping its sponsors on board, on common random numbers (docs/strategy.md)");
  sub->add_option("FILE", args->scenario, "Scenario file (YAML)")->required();
  sub->add_option("--draft,-d", args->draft, "The draft to place (its id)")->required();
  sub->add_option("--goal", args->goal,
                  "What to raise: sponsors (the default), reach:N, yes, adopted, without-vote, "
                  "margin (as in plenary lobby)");
  sub->add_option("--keep", args->keep,
                  "Members to keep on board, comma-separated codes (default: the draft's "
                  "original sponsors)");
  sub->add_option("--keep-p", args->keep_p,
                  "Keep each listed member on board with at least this probability (default "
                  "0.5; docs/strategy.md says how it is computed)");
  sub->add_option("--radius", args->radius,
                  "Instead: keep the text within this distance of every listed member's ideal "
                  "point");
  sub->add_option("--grid", args->grid,
                  "Coarse grid points per dimension (default 41, 17, 7 in 1, 2, 3 dimensions)");
  sub->add_flag("--status-quo", args->status_quo,
                "Then search the status quo too, the text held at its best position");
  add_run_options(*sub, args->run,
                  {.min_replicates = 2,
                   .defaults_from = "the scenario's",
                   .replicates_of = " per position",
                   .set_of = "",
                   .with_set = true,
                   .mpi = false,
                   .fixed_replicates = std::nullopt,
                   .seed_of = "",
                   .one_value_per_set = false,
                   .with_uncertainty = true,
                   .target_se_of = "the gain at the best position"});
  sub->get_option("--replicates")
      ->description(
          fmt::format("Monte-Carlo replicates per position (default {})", kDraftReplicates));
  sub->add_option("--out,-o", args->out,
                  "Write the result: NAME.csv (the frontier: distance,goal,lo,hi,...) or "
                  "NAME.json (everything, docs/strategy.md)");
  sub->add_option("--svg", args->svg, "Write the frontier chart (goal against distance) as SVG");
  sub->add_option("--report", args->report,
                  "Write a self-contained HTML report: the best text, the frontier and, in 2-D, "
                  "the heatmap of the goal over the policy space");
  sub->add_flag("--quiet,-q", args->quiet, "Print nothing on standard output");
  sub->callback([args, &exit_code] { exit_code = draft_command(*args); });
}

}  // namespace plenary::cli
