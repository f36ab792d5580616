#include <fmt/format.h>

#include <memory>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "cli/scenario_input.hpp"
#include "cli/uncertain_run.hpp"
#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"
#include "plenary/report/html.hpp"
#include "plenary/report/report.hpp"
#include "plenary/scenario/loader.hpp"
#include "plenary/stats/summary.hpp"
#include "plenary/util/atomic_file.hpp"
#include "plenary/util/error.hpp"

namespace plenary::cli {

namespace {

struct RunCommandArgs {
  std::string file;
  RunArgs run;
  std::string out;
  std::string csv;
  std::string report;
  bool quiet = false;
  WhatIfArgs what_if;
};

// The CSV directory may exist already (as a directory) or be created in an existing parent;
// an existing file of that name is refused before any work is done.
void check_csv_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return;
  if (std::filesystem::exists(dir, ec)) {
    throw UsageError(
        fmt::format("--csv '{}': a file of that name exists; give a directory", dir.string()));
  }
  check_writable(dir);
}

int run(const RunCommandArgs& args) {
  PreparedScenario prepared = prepare_scenario(args.file, args.run.sets, args.what_if.what_ifs(),
                                               [&args](const std::string& likes) {
                                                 if (!args.quiet) fmt::print("{}", likes);
                                               });
  const Scenario& scenario = prepared.scenario;
  const Model model = compile(scenario, prepared.constraints);
  if (!args.out.empty()) check_writable(args.out);
  if (!args.csv.empty()) check_csv_directory(args.csv);
  if (!args.report.empty()) check_writable(args.report);

  RunOptions options;
  options.replicates = args.run.replicates.value_or(scenario.run.replicates);
  options.seed = args.run.seed.value_or(scenario.run.seed);
  options.threads = args.run.threads;
  options.uncertainty = parse_uncertainty(args.run.uncertainty);
  check_uncertainty(model, options.uncertainty);
  // --uncertainty or --target-se: the replicate log is kept for the variance split.
  const bool uncertain = !args.run.uncertainty.empty() || args.run.target_se.has_value();
  UncertaintyRun uncertainty;
  ReplicateLog log;
  options.replicates = plan_replicates(
      args.run, options,
      [&](const RunOptions& pilot_options) {
        RunOptions pilot = pilot_options;
        ReplicateLog pilot_log;
        pilot.log = &pilot_log;
        Progress pilot_progress(pilot.replicates, !args.quiet);
        pilot.progress = [&pilot_progress](long done) { pilot_progress.update(done); };
        simulate(model, pilot);
        pilot_progress.finish();
        return largest_se(split_variance(model, pilot_log, pilot.uncertainty)).first;
      },
      uncertainty);
  if (uncertain) options.log = &log;
  Progress progress(options.replicates, !args.quiet);
  options.progress = [&progress](long done) { progress.update(done); };
  const Results results = simulate(model, options);
  progress.finish();
  const Summary summary = summarise(model, results, scenario.run.thresholds);
  if (uncertain) {
    uncertainty.variance = split_variance(model, log, options.uncertainty);
    finish_target(uncertainty);
  }
  const UncertaintyRun* extra = uncertain ? &uncertainty : nullptr;

  // Everything is rendered before the first file is written, and files before the table,
  // so that a failure to write is the last thing the user sees.
  const std::string json = args.out.empty() ? "" : json_report(scenario, model, summary, extra);
  if (!args.out.empty()) write_file_atomically(args.out, json);
  if (!args.csv.empty()) write_csv_report(args.csv, scenario, model, summary);
  if (!args.report.empty()) {
    write_html_report(args.report, ReportRun{scenario, model, results, summary});
  }
  if (!args.quiet) {
    fmt::print("{}", text_report(scenario, model, summary));
    if (extra != nullptr) fmt::print("{}", uncertainty_text(*extra));
  }
  return 0;
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<RunCommandArgs>();
  CLI::App* sub = app.add_subcommand("run", "Simulate a scenario: co-sponsorship, then the vote");
  sub->add_option("FILE", args->file, "Scenario file (YAML)")->required();
  RunOptionsSpec spec;
  spec.with_uncertainty = true;
  add_run_options(*sub, args->run, spec);
  sub->add_option("--out,-o", args->out, "Write the results as JSON (docs/output.md)");
  sub->add_option("--csv", args->csv,
                  "Write drafts.csv, sponsors_by_round.csv and members.csv into this directory");
  sub->add_option("--report", args->report,
                  "Write a self-contained HTML report with charts (docs/report.md)");
  sub->add_flag("--quiet,-q", args->quiet, "Print nothing on standard output");
  add_what_if_options(sub, args->what_if, "the scenario");
  sub->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace plenary::cli
