// What `plenary fit` writes (include/plenary/fit/report.hpp).

#include "plenary/fit/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "plenary/scenario/generate.hpp"
#include "plenary/util/text.hpp"

namespace plenary {

namespace {

using nlohmann::ordered_json;

// Decimals that show a value to the precision its standard error warrants (two significant
// digits of the error), within 0..8; four significant digits when there is no error.
int decimals_for(double se) {
  if (!(se > 0) || !std::isfinite(se)) return -1;
  return std::clamp(1 - static_cast<int>(std::floor(std::log10(se))), 0, 8);
}

std::string fixed(double x, int decimals) {
  return decimals < 0 ? fmt::format("{:.4g}", x) : fmt::format("{:.{}f}", x, decimals);
}

std::string bounds_text(double lo, double hi) { return fmt::format("[{:.4g}, {:.4g}]", lo, hi); }

std::string count_text(long long n) {
  std::string digits = std::to_string(n);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) {
    digits.insert(static_cast<std::size_t>(at), ",");
  }
  return digits;
}

// "fitted ± se" for coordinate i, or the reason there is no standard error.
std::string value_with_error(const FitResult& r, int i, bool full_precision) {
  const double x = r.fitted[i];
  const auto ii = static_cast<std::size_t>(i);
  if (r.uncertainty.identified.empty())
    return full_precision ? format_number(x) : fmt::format("{:.4g}", x);
  if (!r.uncertainty.identified[ii]) {
    return fmt::format("{}  (not identified)",
                       full_precision ? format_number(x) : fmt::format("{:.4g}", x));
  }
  const double se = r.uncertainty.se[i];
  const int d = decimals_for(se);
  return fmt::format("{} ± {}", full_precision ? format_number(x) : fixed(x, d), fixed(se, d));
}

std::string notes(const FitProblem& p, const FitResult& r, int i) {
  const auto ii = static_cast<std::size_t>(i);
  std::string out;
  if (r.at_bound[ii]) out += " at a bound;";
  if (!r.uncertainty.identified.empty() && r.uncertainty.identified[ii] &&
      2 * r.uncertainty.se[i] > p.upper()[i] - p.lower()[i]) {
    out += " weakly identified (± exceeds half the bounds);";
  }
  if (!out.empty()) out.pop_back();
  return out;
}

void parameter_table(std::string& out, const FitProblem& p, const FitResult& r) {
  const auto& names = p.coordinate_names();
  std::size_t width = 16;
  for (const std::string& n : names) width = std::max(width, n.size() + 2);
  out += fmt::format("{:<{}}{:>26}  {:>10}  {}\n", "Free parameter", width + 2, "fitted ± s.e.",
                     "start", "bounds");
  for (int i = 0; i < p.size(); ++i) {
    out += fmt::format("  {:<{}}{:>26}  {:>10.4g}  {}{}\n", names[static_cast<std::size_t>(i)],
                       width, value_with_error(r, i, false), r.start[i],
                       bounds_text(p.lower()[i], p.upper()[i]), notes(p, r, i));
  }
}

void target_table(std::string& out, const FitProblem& p, const FitResult& r) {
  std::vector<std::string> labels;
  std::size_t width = 16;
  for (const Target& t : p.targets()) {
    labels.push_back(target_label(p.scenario(), t));
    width = std::max(width, labels.back().size() + 2);
  }
  out += fmt::format("{:<{}}{:>10}  {:>20}  {:>8}  {:>8}\n", "Target", width + 2, "target",
                     "achieved ± s.e.", "scale", "distance");
  bool fallback = false;
  for (std::size_t j = 0; j < labels.size(); ++j) {
    const int d = decimals_for(r.achieved.se[j] > 0 ? r.achieved.se[j] : r.scales[j]);
    const std::string achieved =
        fmt::format("{} ± {}{}", fixed(r.achieved.value[j], d), fixed(r.achieved.se[j], d),
                    r.achieved.fallback[j] ? "*" : "");
    fallback = fallback || r.achieved.fallback[j];
    out += fmt::format("  {:<{}}{:>10}  {:>20}  {:>8.3g}  {:>8.2f}\n", labels[j], width,
                       format_number(p.targets()[j].value), achieved, r.scales[j], r.distances[j]);
  }
  if (fallback) {
    out += "  * no replicate recorded a vote: the expected intended count is shown instead\n";
  }
}

std::string identification_text(const FitProblem& p, const FitResult& r) {
  if (r.uncertainty.identified.empty()) return "Uncertainty: not computed.\n";
  const int n = p.size();
  const int m = static_cast<int>(p.targets().size());
  const long unidentified =
      std::count(r.uncertainty.identified.begin(), r.uncertainty.identified.end(), false);
  std::string out = fmt::format(
      "Identification: the targets pin down {} of {} free directions (rank of the Jacobian; "
      "{} target{}){}.\n",
      r.uncertainty.rank, n, m, m == 1 ? "" : "s",
      unidentified == 0 ? ""
                        : fmt::format("; {} coordinate{} not identified: add targets or fix "
                                      "them",
                                      unidentified, unidentified == 1 ? " is" : "s are"));
  return out;
}

}  // namespace

std::string fit_text_report(const FitProblem& p, const FitResult& r) {
  const EvaluationSettings& s = p.settings();
  std::string out = fmt::format("Fit: {}\n", p.scenario().name);
  out += fmt::format(
      "{} target{}, {} free coordinate{}; {} replicates per simulation, seed {} for every "
      "candidate (common random numbers). ± is one standard error.\n\n",
      p.targets().size(), p.targets().size() == 1 ? "" : "s", p.size(), p.size() == 1 ? "" : "s",
      s.replicates, s.seed);
  parameter_table(out, p, r);
  out += "\n";
  target_table(out, p, r);
  out += fmt::format("\nObjective {:.4g} (sum of squared distances; {:.4g} at the start).\n",
                     r.objective, r.start_objective);
  out += identification_text(p, r);
  const int simulations = r.search_evaluations + r.polish_evaluations + r.uncertainty.evaluations;
  const long long replicates = static_cast<long long>(simulations) * s.replicates;
  out += fmt::format(
      "Search: CMA-ES, {} simulations, {}; then Levenberg-Marquardt, {} simulations in {} "
      "iteration{}; {:.1f} s.\n",
      r.search_evaluations, stop_reason_text(r.stop), r.polish_evaluations, r.polish_iterations,
      r.polish_iterations == 1 ? "" : "s", r.search_seconds);
  if (!r.uncertainty.identified.empty()) {
    out += fmt::format(
        "Uncertainty: Gauss-Newton, central differences of {:g}% of the bounds, {} "
        "simulations in {:.1f} s.\n",
        100 * r.uncertainty.step[0] / (p.upper()[0] - p.lower()[0]), r.uncertainty.evaluations,
        r.uncertainty_seconds);
  }
  out += fmt::format("Cost: {} simulations, {} replicates, {:.1f} s.\n", simulations,
                     count_text(replicates), r.search_seconds + r.uncertainty_seconds);
  return out;
}

namespace {

ordered_json number_or_null(double x) {
  return std::isfinite(x) ? ordered_json(x) : ordered_json(nullptr);
}

ordered_json matrix_json(const Eigen::MatrixXd& m) {
  ordered_json out = ordered_json::array();
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    ordered_json row = ordered_json::array();
    for (Eigen::Index j = 0; j < m.cols(); ++j) row.push_back(number_or_null(m(i, j)));
    out.push_back(row);
  }
  return out;
}

}  // namespace

std::string fit_json_report(const FitProblem& p, const FitResult& r, const std::string& command) {
  ordered_json doc;
  doc["schema"] = 1;
  doc["plenary"] = PLENARY_VERSION;
  doc["command"] = command;
  doc["scenario"] = p.scenario().name;
  doc["scenario_file"] = p.scenario().source;
  doc["scenario_sha256"] = p.scenario().sha256;
  doc["replicates"] = p.settings().replicates;
  doc["seed"] = p.settings().seed;
  const bool have_uncertainty = !r.uncertainty.identified.empty();
  ordered_json parameters = ordered_json::array();
  for (int i = 0; i < p.size(); ++i) {
    const auto ii = static_cast<std::size_t>(i);
    parameters.push_back({
        {"name", p.coordinate_names()[ii]},
        {"value", r.fitted[i]},
        {"se", have_uncertainty ? number_or_null(r.uncertainty.se[i]) : ordered_json(nullptr)},
        {"identified", have_uncertainty ? ordered_json(bool(r.uncertainty.identified[ii]))
                                        : ordered_json(nullptr)},
        {"start", r.start[i]},
        {"lower", p.lower()[i]},
        {"upper", p.upper()[i]},
        {"at_bound", bool(r.at_bound[ii])},
    });
  }
  doc["parameters"] = parameters;
  ordered_json targets = ordered_json::array();
  for (std::size_t j = 0; j < p.targets().size(); ++j) {
    const Target& t = p.targets()[j];
    targets.push_back({
        {"target", target_label(p.scenario(), t)},
        {"value", t.value},
        {"tolerance", t.tolerance},
        {"achieved", r.achieved.value[j]},
        {"se", r.achieved.se[j]},
        {"scale", r.scales[j]},
        {"distance", r.distances[j]},
        {"intended_votes", bool(r.achieved.fallback[j])},
        {"start_achieved", r.start_achieved.value[j]},
    });
  }
  doc["targets"] = targets;
  doc["objective"] = r.objective;
  doc["start_objective"] = r.start_objective;
  doc["rank"] = have_uncertainty ? ordered_json(r.uncertainty.rank) : ordered_json(nullptr);
  doc["covariance"] =
      have_uncertainty ? matrix_json(r.uncertainty.covariance) : ordered_json(nullptr);
  doc["jacobian"] = have_uncertainty ? matrix_json(r.uncertainty.jacobian) : ordered_json(nullptr);
  doc["stop"] = stop_reason_text(r.stop);
  doc["cost"] = {
      {"search_simulations", r.search_evaluations},
      {"generations", r.generations},
      {"polish_simulations", r.polish_evaluations},
      {"polish_iterations", r.polish_iterations},
      {"uncertainty_simulations", r.uncertainty.evaluations},
      {"replicates", static_cast<long long>(r.search_evaluations + r.polish_evaluations +
                                            r.uncertainty.evaluations) *
                         p.settings().replicates},
      {"search_seconds", r.search_seconds},
      {"uncertainty_seconds", r.uncertainty_seconds},
  };
  return doc.dump(2) + "\n";
}

std::string leading_comment(std::string_view text) {
  std::string out;
  while (!text.empty() && text.front() == '#') {
    const std::size_t end = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(1, end - 1);
    if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out += std::string(line) + "\n";
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return out;
}

std::string fitted_scenario_yaml(const FitProblem& p, const FitResult& r,
                                 const std::string& command, const std::string& original_comment) {
  Scenario s = p.scenario_at(r.fitted);
  s.run.replicates = p.settings().replicates;
  s.run.seed = p.settings().seed;
  std::set<int> thresholds(s.run.thresholds.begin(), s.run.thresholds.end());
  thresholds.insert(p.thresholds().begin(), p.thresholds().end());
  s.run.thresholds.assign(thresholds.begin(), thresholds.end());
  // An agreement file is read relative to the scenario: point at it from anywhere.
  if (s.agreement && std::filesystem::path(s.agreement->file).is_relative() && !s.source.empty()) {
    s.agreement->file =
        std::filesystem::absolute(std::filesystem::path(s.source).parent_path() / s.agreement->file)
            .lexically_normal()
            .string();
  }

  // The fit's covariance goes with the fitted values (docs/fit.md, "The fitted file"), for
  // `--uncertainty parameters`; a source's own block describes another fit.
  s.fit.reset();
  if (!r.uncertainty.identified.empty()) {
    FitCovariance fit;
    fit.parameters = p.coordinate_names();
    fit.estimate = r.fitted;
    fit.lower = p.lower();
    fit.upper = p.upper();
    fit.identified = r.uncertainty.identified;
    fit.covariance = r.uncertainty.covariance;
    s.fit = std::move(fit);
  }

  std::string h = fmt::format("Fitted by plenary {}:\n  {}\n", PLENARY_VERSION, command);
  if (!p.scenario().sha256.empty()) {
    h += fmt::format("from {} (sha256 {}).\n", p.scenario().source, p.scenario().sha256);
  }
  h += fmt::format(
      "`plenary run` on this file ({} replicates, seed {}) reproduces the achieved values "
      "exactly.\n",
      p.settings().replicates, p.settings().seed);
  h += "Targets: target, achieved ± s.e., distance (achieved - target) / scale:\n";
  for (std::size_t j = 0; j < p.targets().size(); ++j) {
    h += fmt::format("  {:<28} {} ± {}{}  {:+.2f}\n", target_text(p.scenario(), p.targets()[j]),
                     format_number(r.achieved.value[j]), fmt::format("{:.3g}", r.achieved.se[j]),
                     r.achieved.fallback[j] ? " (intended votes: no recorded vote)" : "",
                     r.distances[j]);
  }
  h += "Fitted values ± s.e. (Gauss-Newton, docs/fit.md):\n";
  for (int i = 0; i < p.size(); ++i) {
    h += fmt::format("  {} = {}\n", p.coordinate_names()[static_cast<std::size_t>(i)],
                     value_with_error(r, i, true));
  }
  for (std::size_t k = 0, at = 0; k < p.free().size();
       at += static_cast<std::size_t>(p.free()[k].size()), ++k) {
    if (p.free()[k].kind != FreeKind::kAbsenceScale) continue;
    h += fmt::format(
        "Every member's absence rate below 1 is written below multiplied by absence_scale = "
        "{}.\n",
        format_number(r.fitted[static_cast<Eigen::Index>(at)]));
  }
  h += fmt::format("Objective {:.4g} after {} simulations.\n", r.objective,
                   r.search_evaluations + r.polish_evaluations + r.uncertainty.evaluations);
  if (!original_comment.empty()) {
    h += fmt::format("\nThe original file's comment:\n{}", original_comment);
  }
  return scenario_to_yaml(s, h);
}

}  // namespace plenary
