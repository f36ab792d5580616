// The variance split of docs/model.md, "Estimation uncertainty in positions", and the plan
// of --target-se (docs/uncertainty.md).

#include "plenary/stats/uncertainty.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace plenary {

namespace {

// The figures of one draft in one replicate; nullopt where the replicate has none.
std::vector<std::optional<double>> figure_values(const ReplicateLog& log, int r,
                                                 const std::string& figure) {
  std::vector<std::optional<double>> y(static_cast<std::size_t>(log.replicates));
  for (long k = 0; k < log.replicates; ++k) {
    const DraftOutcome& o = log.outcome(k, r);
    auto& v = y[static_cast<std::size_t>(k)];
    if (figure == "sponsors") {
      v = o.sponsors;
    } else if (figure == "adopted") {
      v = o.has(DraftOutcome::kAdopted) ? 1.0 : 0.0;
    } else if (figure == "without_vote") {
      v = o.has(DraftOutcome::kWithoutVote) ? 1.0 : 0.0;
    } else if (figure == "withdrawn") {
      v = o.has(DraftOutcome::kStood) ? 0.0 : 1.0;
    } else if (o.has(DraftOutcome::kRecorded)) {
      v = o.tally[figure == "yes" ? 0 : 1];
    }
  }
  return y;
}

}  // namespace

VarianceSplit split_variance(const std::vector<std::optional<double>>& y, bool paired) {
  VarianceSplit out;
  double sum = 0;
  for (const auto& v : y) {
    if (!v) continue;
    ++out.n;
    sum += *v;
  }
  if (out.n == 0) return out;
  out.mean = sum / static_cast<double>(out.n);
  double squares = 0;
  for (const auto& v : y) {
    if (v) squares += (*v - out.mean) * (*v - out.mean);
  }
  out.total = out.n > 1 ? squares / static_cast<double>(out.n - 1) : 0;
  out.monte_carlo = out.total;
  if (!paired) {
    if (out.n > 1) out.se = std::sqrt(out.total / static_cast<double>(out.n));
    return out;
  }
  // Within pairs (both values present): E[(y1 - y2)^2] / 2 = E[Var(Y | x)]. Over pairs as
  // clusters: the standard error of a ratio mean, P / (P - 1) sum_c (S_c - n_c ybar)^2 / n^2.
  double within = 0;
  long complete = 0;
  double clusters = 0;
  long units = 0;
  for (std::size_t k = 0; k < y.size(); k += 2) {
    const auto& a = y[k];
    const std::optional<double> b = k + 1 < y.size() ? y[k + 1] : std::nullopt;
    if (a && b) {
      within += (*a - *b) * (*a - *b) / 2;
      ++complete;
    }
    if (!a && !b) continue;
    const double s = (a ? *a - out.mean : 0.0) + (b ? *b - out.mean : 0.0);
    clusters += s * s;
    ++units;
  }
  if (complete > 0) {
    out.monte_carlo = within / static_cast<double>(complete);
    out.positions = out.total - out.monte_carlo;
    if (out.positions < 0) {
      out.positions = 0;
      out.clamped = true;
    }
  }
  if (units > 1) {
    const auto n = static_cast<double>(out.n);
    out.se = std::sqrt(static_cast<double>(units) / static_cast<double>(units - 1) * clusters) / n;
  }
  return out;
}

VarianceReport split_variance(const Model& model, const ReplicateLog& log,
                              UncertaintySource uncertainty) {
  VarianceReport report;
  report.uncertainty = uncertainty;
  report.replicates = log.replicates;
  const bool paired = uncertainty == UncertaintySource::kPositions;
  for (int r = 0; r < log.drafts; ++r) {
    const ModelDraft& d = model.drafts[static_cast<std::size_t>(r)];
    DraftVariance dv;
    dv.id = d.id;
    std::vector<std::string> figures = {"sponsors", "adopted", "without_vote"};
    if (d.withdraw_below) figures.emplace_back("withdrawn");
    figures.emplace_back("yes");
    figures.emplace_back("no");
    for (const std::string& f : figures) {
      VarianceSplit s = split_variance(figure_values(log, r, f), paired);
      s.figure = f;
      dv.figures.push_back(std::move(s));
    }
    report.drafts.push_back(std::move(dv));
  }
  return report;
}

std::pair<double, std::string> largest_se(const VarianceReport& report) {
  std::pair<double, std::string> worst{0.0, ""};
  for (const DraftVariance& d : report.drafts) {
    for (const VarianceSplit& s : d.figures) {
      // A tally with no recorded vote at all has no figure to estimate: it does not count.
      if (s.n == 0) continue;
      const double se = s.se ? *s.se : std::numeric_limits<double>::infinity();
      if (se > worst.first || worst.second.empty()) worst = {se, d.id + "." + s.figure};
    }
  }
  return worst;
}

long planned_replicates(const VarianceReport& pilot_report, long pilot, double target, long cap) {
  return planned_replicates(largest_se(pilot_report).first, pilot, target, cap);
}

long planned_replicates(double worst, long pilot, double target, long cap) {
  // The pilot's standard error is itself estimated, with a relative error of about
  // 1 / sqrt(2 (pilot - 1)): plan for it raised by two of those, so that the final one is
  // rarely above the target (docs/uncertainty.md).
  worst *= 1 + 2 / std::sqrt(2.0 * static_cast<double>(std::max(pilot - 1, 1L)));
  long n = pilot;
  // se(n) = se(pilot) sqrt(pilot / n) <= target.
  while (n < cap &&
         worst * std::sqrt(static_cast<double>(pilot) / static_cast<double>(n)) > target) {
    n = n > cap / 2 ? cap : 2 * n;
  }
  return std::min(n, cap);
}

}  // namespace plenary
