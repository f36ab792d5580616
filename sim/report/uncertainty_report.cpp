// The uncertainty section: text and JSON (docs/uncertainty.md, docs/output.md).

#include <fmt/format.h>

#include <cmath>

#include "report/uncertainty_json.hpp"

namespace plenary {

namespace {

std::string sources(UncertaintySource u) {
  switch (u) {
    case UncertaintySource::kPositions:
      return "Monte-Carlo and the members' positions";
    case UncertaintySource::kFitParameters:
      return "Monte-Carlo and the fitted parameters";
    case UncertaintySource::kBoth:
      return "Monte-Carlo, the members' positions and the fitted parameters";
    case UncertaintySource::kNone:
      break;
  }
  return "Monte-Carlo only";
}

std::string groups(const VarianceReport& v) {
  switch (v.uncertainty) {
    case UncertaintySource::kPositions:
      return fmt::format(" in {} pairs sharing a draw of the positions", (v.replicates + 1) / 2);
    case UncertaintySource::kFitParameters:
      return fmt::format(" in {} pairs sharing a draw of the parameters", (v.replicates + 1) / 2);
    case UncertaintySource::kBoth:
      return fmt::format(
          " in {} fours sharing a draw of the positions, each two pairs sharing one of the "
          "parameters",
          (v.replicates + 3) / 4);
    case UncertaintySource::kNone:
      break;
  }
  return "";
}

// A component's standard deviation ("*" when clamped at 0) and share of the total, or "-"
// when the run does not draw that source.
std::pair<std::string, std::string> component(bool drawn, double variance, const VarianceSplit& s) {
  if (!drawn) return {"-", "-"};
  const double share = s.total > 0 ? 100 * variance / s.total : 0;
  return {fmt::format("{:.4g}{}", std::sqrt(variance), s.clamped && variance == 0 ? "*" : ""),
          fmt::format("{:.0f}%", share)};
}

std::string target_line(const UncertaintyRun& run) {
  if (!run.target_se) return "";
  const auto [worst, figure] = largest_se(run.variance);
  std::string line = fmt::format(
      "Target standard error {}: {} replicates, planned from a pilot of {} (discarded); "
      "the largest standard error is {:.4g} ({}).\n",
      *run.target_se, run.variance.replicates, run.pilot, worst, figure);
  if (run.cap_hit) {
    line += fmt::format(
        "  The target needs more than --max-replicates {}: stopped at the cap, target {}.\n",
        run.cap, run.target_met ? "met anyway" : "NOT met");
  } else if (!run.target_met) {
    line +=
        "  Target NOT met: the pilot under-estimated the variance; run again with a "
        "larger --replicates (the pilot).\n";
  }
  return line;
}

}  // namespace

std::string uncertainty_text(const UncertaintyRun& run) {
  const VarianceReport& v = run.variance;
  const bool drawn = v.uncertainty != UncertaintySource::kNone;
  const bool pos = draws_positions(v.uncertainty);
  const bool par = draws_parameters(v.uncertainty);
  std::string out =
      fmt::format("\nUncertainty: {} (--uncertainty {}), {} replicates{}.\n",
                  sources(v.uncertainty), uncertainty_name(v.uncertainty), v.replicates, groups(v));
  out += target_line(run);
  out += drawn ? fmt::format(
                     "  ± is the standard error of the mean over {} (it counts every "
                     "source; the ± of the tables above treat replicates as "
                     "independent).\n",
                     v.uncertainty == UncertaintySource::kBoth ? "fours" : "pairs")
               : "  ± is the standard error of the mean.\n";
  out +=
      "  sd: the standard deviation of one replicate's value, split by the law of total\n"
      "  variance: total^2 = Monte-Carlo^2 + positions^2 + parameters^2 (docs/uncertainty.md).\n";
  out += fmt::format("  {:<10} {:<13} {:>9} {:>8} {:>9} {:>9} {:>10} {:>7} {:>10} {:>7}\n", "draft",
                     "figure", "mean", "±", "sd total", "sd MC", "sd pos.", "pos. %", "sd par.",
                     "par. %");
  for (const DraftVariance& d : v.drafts) {
    for (const VarianceSplit& s : d.figures) {
      if (s.n == 0) continue;
      const auto [sd_pos, share_pos] = component(pos, s.positions, s);
      const auto [sd_par, share_par] = component(par, s.parameters, s);
      out += fmt::format(
          "  {:<10} {:<13} {:>9.4g} {:>8} {:>9.4g} {:>9.4g} {:>10} {:>7} {:>10} {:>7}\n", d.id,
          s.figure, s.mean, s.se ? fmt::format("{:.3g}", *s.se) : "-", std::sqrt(s.total),
          std::sqrt(s.monte_carlo), sd_pos, share_pos, sd_par, share_par);
    }
  }
  bool clamped = false;
  for (const DraftVariance& d : v.drafts) {
    for (const VarianceSplit& s : d.figures) clamped = clamped || s.clamped;
  }
  if (clamped) {
    out +=
        "  * a component's estimate came out negative by chance (within-pair variance above the "
        "total, or between pairs below it): shown as 0.\n";
  }
  return out;
}

std::string compare_json_with_uncertainty(const std::string& json, const UncertaintyRun& a,
                                          const UncertaintyRun& b) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(json);
  doc["uncertainty"] = {{"a", uncertainty_json(a)}, {"b", uncertainty_json(b)}};
  return doc.dump(1) + "\n";
}

std::string json_with_target(const std::string& json, const UncertaintyRun& run, double largest) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(json);
  doc["target_se"] = {{"target", run.target_se.value_or(0.0)},
                      {"pilot_replicates", run.pilot},
                      {"max_replicates", run.cap},
                      {"cap_hit", run.cap_hit},
                      {"met", run.target_met},
                      {"largest_se", largest}};
  return doc.dump(1) + "\n";
}

nlohmann::ordered_json uncertainty_json(const UncertaintyRun& run) {
  using nlohmann::ordered_json;
  const VarianceReport& v = run.variance;
  ordered_json drafts = ordered_json::array();
  for (const DraftVariance& d : v.drafts) {
    ordered_json figures = ordered_json::array();
    for (const VarianceSplit& s : d.figures) {
      figures.push_back({{"figure", s.figure},
                         {"n", s.n},
                         {"mean", s.mean},
                         {"se", s.se ? ordered_json(*s.se) : ordered_json(nullptr)},
                         {"variance",
                          {{"total", s.total},
                           {"monte_carlo", s.monte_carlo},
                           {"positions", s.positions},
                           {"parameters", s.parameters}}},
                         {"clamped", s.clamped}});
    }
    drafts.push_back({{"id", d.id}, {"figures", std::move(figures)}});
  }
  ordered_json out = {{"sources", uncertainty_name(v.uncertainty)},
                      {"replicates", v.replicates},
                      {"pairs_share_draws", v.uncertainty != UncertaintySource::kNone},
                      {"fours_share_positions", v.uncertainty == UncertaintySource::kBoth}};
  if (run.target_se) {
    out["target_se"] = {{"target", *run.target_se},
                        {"pilot_replicates", run.pilot},
                        {"max_replicates", run.cap},
                        {"cap_hit", run.cap_hit},
                        {"met", run.target_met}};
  } else {
    out["target_se"] = nullptr;
  }
  out["drafts"] = std::move(drafts);
  return out;
}

}  // namespace plenary
