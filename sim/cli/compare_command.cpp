// plenary compare A.yaml B.yaml: two scenarios on common random numbers, side by side.

#include <fmt/format.h>

#include <memory>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "cli/scenario_input.hpp"
#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"
#include "plenary/report/compare_report.hpp"
#include "plenary/scenario/loader.hpp"
#include "plenary/stats/compare.hpp"
#include "plenary/stats/summary.hpp"
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
  check_log_memory(ma, mb, options.replicates);
  Progress progress(2 * options.replicates, !args.quiet);
  const SideRun ra = run_side(ma, options, 0, progress);
  RunOptions options_b = options;
  // Independent streams for B: a different seed (for showing what common random numbers
  // buy; the intervals of differences are then the unpaired ones).
  if (args.independent) options_b.seed = options.seed ^ 0x9e3779b97f4a7c15ULL;
  const SideRun rb = run_side(mb, options_b, options.replicates, progress);
  progress.finish();

  std::vector<int> thresholds = a.run.thresholds;
  for (int n : b.run.thresholds) {
    if (std::find(thresholds.begin(), thresholds.end(), n) == thresholds.end())
      thresholds.push_back(n);
  }
  std::sort(thresholds.begin(), thresholds.end());
  const Comparison c =
      compare({a, ma, ra.log, options.seed}, {b, mb, rb.log, options_b.seed}, thresholds);
  // Everything is rendered before the first file is written.
  const std::string json = args.out.empty() ? "" : compare_json(a, b, c);
  std::string html;
  if (!args.report.empty()) {
    const Summary sa = summarise(ma, ra.results, a.run.thresholds);
    const Summary sb = summarise(mb, rb.results, b.run.thresholds);
    html =
        compare_html({a, ma, ra.results, sa}, {b, mb, rb.results, sb}, c, std::max(args.top, 15));
  }
  if (!args.out.empty()) write_file_atomically(args.out, json);
  if (!args.report.empty()) write_file_atomically(args.report, html);
  if (!args.quiet) fmt::print("{}", compare_text(a, b, c, args.top));
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
                   .mpi = false});
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
