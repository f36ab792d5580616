// The uncertainty section: text and JSON (docs/uncertainty.md, docs/output.md).

#include <fmt/format.h>

#include <cmath>

#include "report/uncertainty_json.hpp"

namespace plenary {

namespace {

std::string sources(UncertaintySource u) {
  return u == UncertaintySource::kPositions ? "Monte-Carlo and the members' positions"
                                            : "Monte-Carlo only";
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
  const bool paired = v.uncertainty == UncertaintySource::kPositions;
  std::string out =
      fmt::format("\nUncertainty: {} (--uncertainty {}), {} replicates{}.\n",
                  sources(v.uncertainty), uncertainty_name(v.uncertainty), v.replicates,
                  paired ? fmt::format(" in {} pairs sharing a draw of the "
                                       "positions",
                                       (v.replicates + 1) / 2)
                         : "");
  out += target_line(run);
  out += paired ? "  ± is the standard error of the mean over pairs (it counts both sources; the "
                  "± of the tables above treat replicates as independent).\n"
                : "  ± is the standard error of the mean.\n";
  out +=
      "  sd: the standard deviation of one replicate's value, split by the law of total\n"
      "  variance: total^2 = Monte-Carlo^2 + positions^2 (docs/uncertainty.md).\n";
  out += fmt::format("  {:<10} {:<13} {:>9} {:>8} {:>9} {:>9} {:>10} {:>7}\n", "draft", "figure",
                     "mean", "±", "sd total", "sd MC", "sd pos.", "pos. %");
  for (const DraftVariance& d : v.drafts) {
    for (const VarianceSplit& s : d.figures) {
      if (s.n == 0) continue;
      const double share = s.total > 0 ? 100 * s.positions / s.total : 0;
      out += fmt::format(
          "  {:<10} {:<13} {:>9.4g} {:>8} {:>9.4g} {:>9.4g} {:>10} {:>7}\n", d.id, s.figure, s.mean,
          s.se ? fmt::format("{:.3g}", *s.se) : "-", std::sqrt(s.total), std::sqrt(s.monte_carlo),
          paired ? fmt::format("{:.4g}{}", std::sqrt(s.positions), s.clamped ? "*" : "") : "-",
          paired ? fmt::format("{:.0f}%", share) : "-");
    }
  }
  bool clamped = false;
  for (const DraftVariance& d : v.drafts) {
    for (const VarianceSplit& s : d.figures) clamped = clamped || s.clamped;
  }
  if (clamped) {
    out +=
        "  * the within-pair variance exceeded the total by chance: positions' share shown "
        "as 0.\n";
  }
  return out;
}

std::string compare_json_with_uncertainty(const std::string& json, const UncertaintyRun& a,
                                          const UncertaintyRun& b) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(json);
  doc["uncertainty"] = {{"a", uncertainty_json(a)}, {"b", uncertainty_json(b)}};
  return doc.dump(1) + "\n";
}

nlohmann::ordered_json uncertainty_json(const UncertaintyRun& run) {
  using nlohmann::ordered_json;
  const VarianceReport& v = run.variance;
  ordered_json drafts = ordered_json::array();
  for (const DraftVariance& d : v.drafts) {
    ordered_json figures = ordered_json::array();
    for (const VarianceSplit& s : d.figures) {
      figures.push_back(
          {{"figure", s.figure},
           {"n", s.n},
           {"mean", s.mean},
           {"se", s.se ? ordered_json(*s.se) : ordered_json(nullptr)},
           {"variance",
            {{"total", s.total}, {"monte_carlo", s.monte_carlo}, {"positions", s.positions}}},
           {"clamped", s.clamped}});
    }
    drafts.push_back({{"id", d.id}, {"figures", std::move(figures)}});
  }
  ordered_json out = {{"sources", uncertainty_name(v.uncertainty)},
                      {"replicates", v.replicates},
                      {"pairs_share_draws", v.uncertainty == UncertaintySource::kPositions}};
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
