#pragma once
// Checks shared by the subcommands' options.

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plenary/scenario/what_if.hpp"
#include "plenary/util/error.hpp"
#include "plenary/util/text.hpp"

namespace plenary::cli {

/// A seed: a decimal integer in [0, 2^64). CLI11 alone would wrap "-1" to 2^64 - 1 and
/// saturate values that are too large, silently making different requests collide.
inline CLI::Validator seed_check() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (parse_unsigned(text)) return {};
        return "expected a non-negative integer below 2^64, got '" + text + "'";
      },
      "SEED");
}

/// A standard error to aim for: a finite number > 0. CLI11's PositiveNumber would print
/// the whole range of a double.
inline CLI::Validator target_se_check() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double x = 0;
        std::size_t used = 0;
        try {
          x = std::stod(text, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used == text.size() && used > 0 && x > 0 && std::isfinite(x)) return {};
        return "expected a standard error > 0 in the figures' own units (e.g. 0.05), got '" + text +
               "'";
      },
      "X > 0");
}

/// The run options shared by `run`, `compare`, `lobby`, `sweep` and `fit`: --replicates,
/// --seed, --threads and (but for `sweep`, whose --set is a grid axis) --set. Unset
/// replicates and seed default to the scenario's run.replicates and run.seed (`fit`: a
/// fixed replicate count, RunOptionsSpec::fixed_replicates).
struct RunArgs {
  std::optional<long> replicates;
  std::optional<std::uint64_t> seed;
  int threads = 0;
  std::vector<std::string> sets;
  /// --uncertainty ("" when not given: then as "none", without the uncertainty section),
  /// --target-se and --max-replicates (run and compare).
  std::string uncertainty;
  std::optional<double> target_se;
  long max_replicates = 1'000'000;
};

/// What differs between the commands in their run options.
struct RunOptionsSpec {
  /// The fewest replicates accepted (2 where intervals of differences need them).
  long min_replicates = 1;
  /// Whose run.replicates and run.seed are the defaults: "the scenario's" or "A's".
  std::string defaults_from = "the scenario's";
  /// What a replicate count is of: "" (the run), " of each", " per grid point", ...
  std::string replicates_of;
  /// What --set overrides: "" (the scenario) or " of B".
  std::string set_of;
  /// False: no --set (the command declares its own).
  bool with_set = true;
  /// --threads also means threads per MPI rank (commands run on scale::TaskRunner).
  bool mpi = false;
  /// The default of --replicates when it is not the scenario's run.replicates (`fit`: a
  /// count per candidate): shown in --help, and the value of RunArgs::replicates unless
  /// the flag is given.
  std::optional<long> fixed_replicates;
  /// Said of the seed after "Seed of the random streams" (", shared by every candidate").
  std::string seed_of;
  /// --set takes one value per flag (`fit`), rather than every value up to the next flag.
  bool one_value_per_set = false;
  /// --uncertainty, --target-se and --max-replicates (docs/uncertainty.md).
  bool with_uncertainty = false;
  /// With with_uncertainty: also --target-se and --max-replicates.
  bool with_target_se = true;
  /// What --target-se bounds, in its help.
  std::string target_se_of = "every headline figure";
};

/// The largest --max-replicates: the pilot of --target-se runs on replicates from this
/// index on, so that the main run (below it) never shares its random numbers.
inline constexpr long kPilotFirstReplicate = 1L << 30;

/// Registers --replicates/-k, --seed, --threads/-j and --set on `sub`, one wording for all.
inline void add_run_options(CLI::App& sub, RunArgs& args, const RunOptionsSpec& spec = {}) {
  CLI::Option* replicates =
      sub.add_option("--replicates,-k", args.replicates,
                     "Monte-Carlo replicates" + spec.replicates_of +
                         (spec.fixed_replicates
                              ? " (not " + spec.defaults_from + " run.replicates)"
                              : " (default: " + spec.defaults_from + " run.replicates, else 1000)"))
          ->check(CLI::Range(spec.min_replicates, 2'147'483'647L));
  if (spec.fixed_replicates) {
    args.replicates = spec.fixed_replicates;
    replicates->default_str(std::to_string(*spec.fixed_replicates));
  }
  sub.add_option("--seed", args.seed,
                 "Seed of the random streams" + spec.seed_of + " (default: " + spec.defaults_from +
                     " run.seed, else 0)")
      ->check(seed_check());
  sub.add_option("--threads,-j", args.threads,
                 spec.mpi ? "Without MPI: worker threads, 0 = all cores. Under MPI: threads per "
                            "rank (default 1; run one rank per core instead). Results do not "
                            "depend on it"
                          : "Worker threads; 0 = all cores. Results do not depend on it")
      ->check(CLI::Range(0, 4096));
  if (spec.with_set) {
    CLI::Option* set = sub.add_option("--set", args.sets,
                                      "Override a parameter or draft field" + spec.set_of +
                                          ": NAME=VALUE (theta_peer=2) or DRAFT.NAME=VALUE "
                                          "(GGE.closes=8); repeatable")
                           ->take_all();
    if (spec.one_value_per_set) set->expected(1);
  }
  if (spec.with_uncertainty) {
    const std::string group = "Uncertainty (docs/uncertainty.md)";
    sub.add_option(
           "--uncertainty", args.uncertainty,
           "Estimation error carried into the run: 'none' (default: Monte-Carlo error "
           "only, the model at the scenario's positions and parameters, as fit and the "
           "published figures run it), 'positions' (each pair of replicates draws the "
           "members' positions from their standard errors, position_se), 'parameters' "
           "(each pair draws the fitted parameters from the fit's covariance, the "
           "scenario's 'fit:' block) or 'both'; run, compare and sweep split the variance in "
           "their output")
        ->check(CLI::IsMember({"none", "positions", "parameters", "both"}))
        ->group(group);
    if (!spec.with_target_se) return;
    CLI::Option* target =
        sub.add_option("--target-se", args.target_se,
                       "Run replicates until the standard error of " + spec.target_se_of +
                           " is at most this: a pilot of --replicates (discarded) plans the "
                           "count, doubling from the pilot's, then a fresh run of that many is "
                           "reported")
            ->check(target_se_check())
            ->group(group);
    sub.add_option("--max-replicates", args.max_replicates,
                   "Cap on the replicates --target-se may plan (default 1000000); said plainly "
                   "when hit")
        ->check(CLI::Range(1L, kPilotFirstReplicate))
        ->needs(target)
        ->group(group);
  }
}

/// Whether --out names a CSV file (true) or a JSON file (false), told by its ending. Throws
/// UsageError naming --out for any other ending; `csv_holds` says what the CSV has, e.g.
/// "the ranking".
inline bool out_is_csv(const std::string& path, std::string_view csv_holds) {
  const auto ends = [&](std::string_view e) {
    return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
  };
  if (ends(".csv")) return true;
  if (ends(".json")) return false;
  throw UsageError(std::string("--out '") + path +
                   "': the name must end in .json (everything) or .csv (" + std::string(csv_holds) +
                   ")");
}

/// The what-if flags of `run` and `compare` (include/plenary/scenario/what_if.hpp).
struct WhatIfArgs {
  std::vector<std::string> force, forbid, absent, shift;

  std::vector<WhatIf> what_ifs() const {
    std::vector<WhatIf> out;
    for (const auto& a : force) out.push_back({WhatIfKind::kForce, a});
    for (const auto& a : forbid) out.push_back({WhatIfKind::kForbid, a});
    for (const auto& a : absent) out.push_back({WhatIfKind::kAbsent, a});
    for (const auto& a : shift) out.push_back({WhatIfKind::kShift, a});
    return out;
  }
};

/// Registers --force, --forbid, --absent and --shift on `sub`; `target` says what they
/// change ("the scenario" or "B").
inline void add_what_if_options(CLI::App* sub, WhatIfArgs& args, const std::string& target) {
  const std::string group = "What-ifs (applied to " + target + "; docs/compare.md, What-ifs)";
  sub->add_option("--force", args.force,
                  "CODE:DRAFT or BLOC:DRAFT: the member(s) co-sponsor DRAFT from round 0 "
                  "(e.g. EU:JOINT); repeatable")
      ->group(group);
  sub->add_option("--forbid", args.forbid,
                  "CODE:DRAFT or BLOC:DRAFT: the member(s) never co-sponsor DRAFT; repeatable")
      ->group(group);
  sub->add_option("--absent", args.absent,
                  "CODE or BLOC: the member(s) are absent from every vote; repeatable")
      ->group(group);
  sub->add_option("--shift", args.shift,
                  "CODE=dx,dy or BLOC=dx,dy: move the member(s) in the policy space (one "
                  "number per dimension); repeatable")
      ->group(group);
}

}  // namespace plenary::cli
