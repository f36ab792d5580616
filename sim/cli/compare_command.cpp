// plenary compare A.yaml B.yaml: two scenarios on common random numbers, side by side.

#include <fmt/format.h>

#include <memory>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "cli/scenario_input.hpp"
#include "cli/uncertain_run.hpp"
#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"
#include "plenary/report/compare_report.hpp"
#include "plenary/report/uncertainty_report.hpp"
#include "plenary/scenario/loader.hpp"
#include "plenary/stats/compare.hpp"
#include "plenary/stats/summary.hpp"
#include "plenary/stats/uncertainty.hpp"
#include "plenary/util/atomic_file.hpp"
#include "plenary/util/error.hpp"

namespace plenary::cli {

namespace {

struct CompareArgs {
  std::string a;
  std::string b;
  RunArgs run;
  std::string out;
  std::string report;
  int top = 10;
  bool independent = false;
  bool quiet = false;
  WhatIfArgs what_if;
};

// The log keeps a few bytes per replicate and draft and one per member; refuse runs whose
// logs would not fit comfortably in memory before doing any work.
void check_log_memory(const Model& a, const Model& b, long replicates) {
  constexpr double kLimitBytes = 4.0 * 1024 * 1024 * 1024;
  const double per_replicate =
      static_cast<double>(a.drafts.size() + b.drafts.size()) * sizeof(DraftOutcome) + a.members +
      b.members;
  const double bytes = per_replicate * static_cast<double>(replicates);
  if (bytes > kLimitBytes) {
    throw UsageError(fmt::format(
        "comparing {} replicates would keep about {:.1f} GB of per-replicate outcomes; use "
        "fewer replicates (--replicates)",
        replicates, bytes / 1e9));
  }
}

struct SideRun {
  Results results;
  ReplicateLog log;
};

SideRun run_side(const Model& model, RunOptions options, long done_before, Progress& progress) {
  SideRun out;
  options.log = &out.log;
  options.progress = [&progress, done_before](long done) { progress.update(done_before + done); };
  out.results = simulate(model, options);
  return out;
}

// The largest standard error of a difference B - A, the figures --target-se bounds in a
// comparison (a figure without one, e.g. a draft one side lacks, does not count).
double largest_diff_se(const Comparison& c) {
  double worst = 0;
  for (const PairedFigure& f : c.overall) worst = std::max(worst, f.diff_se.value_or(0.0));
  for (const DraftComparison& d : c.drafts) {
    for (const PairedFigure& f : d.figures) worst = std::max(worst, f.diff_se.value_or(0.0));
  }
  return worst;
}

int compare_command(const CompareArgs& args) {
  const Scenario a = prepare_scenario(args.a).scenario;
  const PreparedScenario prepared_b =
      prepare_scenario(args.b, args.run.sets, args.what_if.what_ifs());
  const Scenario& b = prepared_b.scenario;
  if (a.dims != b.dims) {
    throw UsageError(
        fmt::format("'{}' has a {}-dimensional policy space and '{}' a {}-dimensional one; compare "
                    "scenarios built on the same positions",
                    args.a, a.dims, args.b, b.dims));
  }
  const Model ma = compile(a);
  const Model mb = compile(b, prepared_b.constraints);
  if (!args.out.empty()) check_writable(args.out);
  if (!args.report.empty()) check_writable(args.report);

  RunOptions options;
  options.replicates = args.run.replicates.value_or(a.run.replicates);
  options.seed = args.run.seed.value_or(a.run.seed);
  options.threads = args.run.threads;
  options.uncertainty = parse_uncertainty(args.run.uncertainty);
  check_uncertainty(ma, options.uncertainty);
  check_uncertainty(mb, options.uncertainty);
  const bool uncertain = !args.run.uncertainty.empty() || args.run.target_se.has_value();

  std::vector<int> thresholds = a.run.thresholds;
  for (int n : b.run.thresholds) {
    if (std::find(thresholds.begin(), thresholds.end(), n) == thresholds.end())
      thresholds.push_back(n);
  }
  std::sort(thresholds.begin(), thresholds.end());
  // Both sides on `o`; B on independent streams (a different seed) with --independent, for
  // showing what common random numbers buy (the intervals of differences are then the
  // unpaired ones). Drawn positions are common too: they are keyed by seed and code.
  const int pairs = share_draws(options.uncertainty);
  struct BothRuns {
    SideRun ra, rb;
    std::uint64_t seed_b = 0;
  };
  auto run_both = [&](const RunOptions& o) {
    check_log_memory(ma, mb, o.replicates);
    Progress progress(2 * o.replicates, !args.quiet);
    BothRuns both;
    both.ra = run_side(ma, o, 0, progress);
    RunOptions options_b = o;
    if (args.independent) options_b.seed = o.seed ^ 0x9e3779b97f4a7c15ULL;
    both.seed_b = options_b.seed;
    both.rb = run_side(mb, options_b, o.replicates, progress);
    progress.finish();
    return both;
  };
  auto compare_both = [&](const BothRuns& both, std::uint64_t seed_a) {
    return compare({a, ma, both.ra.log, seed_a, pairs}, {b, mb, both.rb.log, both.seed_b, pairs},
                   thresholds);
  };
  UncertaintyRun ua;
  options.replicates = plan_replicates(
      args.run, options,
      [&](const RunOptions& pilot) {
        return largest_diff_se(compare_both(run_both(pilot), pilot.seed));
      },
      ua);
  const BothRuns both = run_both(options);
  const SideRun& ra = both.ra;
  const SideRun& rb = both.rb;
  const Comparison c = compare_both(both, options.seed);
  UncertaintyRun ub = ua;
  if (uncertain) {
    ua.variance = split_variance(ma, ra.log, options.uncertainty);
    ub.variance = split_variance(mb, rb.log, options.uncertainty);
    // The target is on the differences B - A: met when every one is within it.
    ua.target_met = ub.target_met = !ua.target_se || largest_diff_se(c) <= *ua.target_se;
  }
  // Everything is rendered before the first file is written.
  std::string json = args.out.empty() ? "" : compare_json(a, b, c);
  if (uncertain && !json.empty()) json = compare_json_with_uncertainty(json, ua, ub);
  std::string html;
  if (!args.report.empty()) {
    const Summary sa = summarise(ma, ra.results, a.run.thresholds);
    const Summary sb = summarise(mb, rb.results, b.run.thresholds);
    html =
        compare_html({a, ma, ra.results, sa}, {b, mb, rb.results, sb}, c, std::max(args.top, 15));
  }
  if (!args.out.empty()) write_file_atomically(args.out, json);
  if (!args.report.empty()) write_file_atomically(args.report, html);
  if (!args.quiet) {
    fmt::print("{}", compare_text(a, b, c, args.top));
    if (uncertain) {
      if (ua.target_se) {
        fmt::print(
            "\nTarget standard error {} on the differences B - A: {} replicates of each, planned "
            "from a pilot of {} (discarded); the largest standard error is {:.4g}{}.\n",
            *ua.target_se, options.replicates, ua.pilot, largest_diff_se(c),
            ua.cap_hit ? fmt::format("; the target needs more than --max-replicates {}: stopped "
                                     "at the cap, target {}",
                                     ua.cap, ua.target_met ? "met anyway" : "NOT met")
                       : (ua.target_met ? "" : "; target NOT met"));
      }
      // Each side's split; the target was on the differences, said above.
      UncertaintyRun side_a = ua, side_b = ub;
      side_a.target_se.reset();
      side_b.target_se.reset();
      fmt::print("\nA: {}{}", a.name, uncertainty_text(side_a));
      fmt::print("\nB: {}{}", b.name, uncertainty_text(side_b));
    }
  }
  return 0;
}

}  // namespace

void add_compare_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* sub = app.add_subcommand(
      "compare", "Run two scenarios on common random numbers and show them side by side");
  sub->add_option("A", args->a, "First scenario file (YAML)")->required();
  sub->add_option("B", args->b, "Second scenario file (YAML); may be the same file as A")
      ->required();
  add_run_options(*sub, args->run,
                  {.min_replicates = 2,
                   .defaults_from = "A's",
                   .replicates_of = " of each",
                   .set_of = " of B",
                   .with_set = true,
                   .mpi = false,
                   .fixed_replicates = std::nullopt,
                   .seed_of = "",
                   .one_value_per_set = false,
                   .with_uncertainty = true});
  sub->add_option("--out,-o", args->out, "Write the comparison as JSON (docs/compare.md)");
  sub->add_option("--report", args->report,
                  "Write a self-contained HTML report: both scenarios side by side, the "
                  "differences and the members that move most (docs/report.md)");
  sub->add_option("--top", args->top, "Members listed as moving most (default 10)")
      ->check(CLI::Range(0, 100000));
  sub->add_flag("--independent", args->independent,
                "Run B on independent random numbers (a different seed) instead of common ones, "
                "to see how much wider the intervals of differences become");
  sub->add_flag("--quiet,-q", args->quiet, "Print nothing on standard output");
  add_what_if_options(sub, args->what_if, "B");
  sub->callback([args, &exit_code] { exit_code = compare_command(*args); });
}

}  // namespace plenary::cli
