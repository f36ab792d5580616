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
  return split_variance(y, paired ? UncertaintySource::kPositions : UncertaintySource::kNone);
}

namespace {

// E[(a - b)^2] / 2 over the complete pairs (2d, 2d + 1): E[Var(Y | draw)], the Monte-Carlo
// variance. nullopt without a complete pair.
std::optional<double> within_pairs(const std::vector<std::optional<double>>& y) {
  double within = 0;
  long complete = 0;
  for (std::size_t k = 0; k + 1 < y.size(); k += 2) {
    if (!y[k] || !y[k + 1]) continue;
    within += (*y[k] - *y[k + 1]) * (*y[k] - *y[k + 1]) / 2;
    ++complete;
  }
  if (complete == 0) return std::nullopt;
  return within / static_cast<double>(complete);
}

// With both sources: the two pairs of a four share the positions and not the parameters, so
// E[(m1 - m2)^2] / 2 = E[Var(E[Y | x, theta] | x)] + E[Var(Y | x, theta)] / 2 for the pairs'
// means m1, m2 (complete fours only). nullopt without one.
std::optional<double> between_pairs(const std::vector<std::optional<double>>& y) {
  double between = 0;
  long complete = 0;
  for (std::size_t k = 0; k + 3 < y.size(); k += 4) {
    if (!y[k] || !y[k + 1] || !y[k + 2] || !y[k + 3]) continue;
    const double m1 = (*y[k] + *y[k + 1]) / 2;
    const double m2 = (*y[k + 2] + *y[k + 3]) / 2;
    between += (m1 - m2) * (m1 - m2) / 2;
    ++complete;
  }
  if (complete == 0) return std::nullopt;
  return between / static_cast<double>(complete);
}

// Clamps a variance component at 0, marking the split.
double nonnegative(double v, VarianceSplit& out) {
  if (v >= 0) return v;
  out.clamped = true;
  return 0;
}

}  // namespace

VarianceSplit split_variance(const std::vector<std::optional<double>>& y,
                             UncertaintySource uncertainty) {
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
  if (uncertainty == UncertaintySource::kNone) {
    if (out.n > 1) out.se = std::sqrt(out.total / static_cast<double>(out.n));
    return out;
  }
  if (const auto w = within_pairs(y)) {
    out.monte_carlo = *w;
    const double estimation = nonnegative(out.total - out.monte_carlo, out);
    if (uncertainty == UncertaintySource::kPositions) out.positions = estimation;
    if (uncertainty == UncertaintySource::kFitParameters) out.parameters = estimation;
    if (uncertainty == UncertaintySource::kBoth) {
      const auto b = between_pairs(y);
      out.parameters = b ? nonnegative(*b - out.monte_carlo / 2, out) : 0.0;
      out.parameters = std::min(out.parameters, estimation);
      out.positions = estimation - out.parameters;
    }
  }
  // Over the groups that share a draw as clusters: the standard error of a ratio mean,
  // G / (G - 1) sum_c (S_c - n_c ybar)^2 / n^2.
  const std::size_t group = uncertainty == UncertaintySource::kBoth ? 4 : 2;
  double clusters = 0;
  long units = 0;
  for (std::size_t k = 0; k < y.size(); k += group) {
    double s = 0;
    bool any = false;
    for (std::size_t j = k; j < std::min(y.size(), k + group); ++j) {
      if (!y[j]) continue;
      s += *y[j] - out.mean;
      any = true;
    }
    if (!any) continue;
    clusters += s * s;
    ++units;
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
  for (int r = 0; r < log.drafts; ++r) {
    const ModelDraft& d = model.drafts[static_cast<std::size_t>(r)];
    DraftVariance dv;
    dv.id = d.id;
    std::vector<std::string> figures = {"sponsors", "adopted", "without_vote"};
    if (d.withdraw_below) figures.emplace_back("withdrawn");
    figures.emplace_back("yes");
    figures.emplace_back("no");
    for (const std::string& f : figures) {
      VarianceSplit s = split_variance(figure_values(log, r, f), uncertainty);
      s.figure = f;
      dv.figures.push_back(std::move(s));
    }
    report.drafts.push_back(std::move(dv));
  }
  return report;
}

void SplitSums::add(const std::vector<std::optional<std::int64_t>>& y,
                    UncertaintySource uncertainty) {
  const auto u = [](std::int64_t v) { return static_cast<std::uint64_t>(v); };
  const auto sq = [](std::int64_t v) { return static_cast<std::uint64_t>(v * v); };
  for (const auto& v : y) {
    if (!v) continue;
    ++n;
    sum += u(*v);
    squares += sq(*v);
  }
  for (std::size_t k = 0; k + 1 < y.size(); k += 2) {
    if (!y[k] || !y[k + 1]) continue;
    ++pairs;
    within += sq(*y[k] - *y[k + 1]);
  }
  for (std::size_t k = 0; k + 3 < y.size(); k += 4) {
    if (!y[k] || !y[k + 1] || !y[k + 2] || !y[k + 3]) continue;
    ++fours;
    between += sq(*y[k] + *y[k + 1] - *y[k + 2] - *y[k + 3]);
  }
  const auto group = static_cast<std::size_t>(share_draws(uncertainty));
  for (std::size_t k = 0; k < y.size(); k += group) {
    std::uint64_t s = 0, m = 0;
    for (std::size_t j = k; j < std::min(y.size(), k + group); ++j) {
      if (!y[j]) continue;
      s += u(*y[j]);
      ++m;
    }
    if (m == 0) continue;
    ++groups;
    group_sq += s * s;
    group_nS += m * s;
    group_n2 += m * m;
  }
}

void SplitSums::append_to(std::vector<std::uint64_t>& words) const {
  words.insert(words.end(), {n, sum, squares, pairs, within, fours, between, groups, group_sq,
                             group_nS, group_n2});
}

SplitSums SplitSums::from(const std::uint64_t* w) {
  return SplitSums{w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8], w[9], w[10]};
}

VarianceSplit split_variance(const SplitSums& s, UncertaintySource uncertainty) {
  // Exact integer arithmetic up to the last division: 128 bits hold n^2 times a sum of
  // squared group sums for any run that fits in memory.
  __extension__ using Wide = __int128;
  VarianceSplit out;
  out.n = static_cast<long>(s.n);
  if (s.n == 0) return out;
  const auto n = static_cast<double>(s.n);
  out.mean = static_cast<double>(s.sum) / n;
  const Wide spread = Wide(s.n) * Wide(s.squares) - Wide(s.sum) * Wide(s.sum);
  out.total = s.n > 1 ? static_cast<double>(spread) / (n * (n - 1)) : 0;
  out.monte_carlo = out.total;
  if (uncertainty == UncertaintySource::kNone) {
    if (s.n > 1) out.se = std::sqrt(out.total / n);
    return out;
  }
  if (s.pairs > 0) {
    out.monte_carlo = static_cast<double>(s.within) / (2.0 * static_cast<double>(s.pairs));
    const double estimation = nonnegative(out.total - out.monte_carlo, out);
    if (uncertainty == UncertaintySource::kPositions) out.positions = estimation;
    if (uncertainty == UncertaintySource::kFitParameters) out.parameters = estimation;
    if (uncertainty == UncertaintySource::kBoth) {
      // (m1 - m2)^2 / 2 = (a + b - c - d)^2 / 8 for the pairs' means m1, m2.
      const double b = static_cast<double>(s.between) / (8.0 * static_cast<double>(s.fours));
      out.parameters = s.fours > 0 ? nonnegative(b - out.monte_carlo / 2, out) : 0.0;
      out.parameters = std::min(out.parameters, estimation);
      out.positions = estimation - out.parameters;
    }
  }
  // sum_c (S_c - n_c ybar)^2 n^2 = n^2 sum S_c^2 - 2 n S sum n_c S_c + S^2 sum n_c^2.
  const Wide clusters = Wide(s.n) * Wide(s.n) * Wide(s.group_sq) -
                        2 * Wide(s.n) * Wide(s.sum) * Wide(s.group_nS) +
                        Wide(s.sum) * Wide(s.sum) * Wide(s.group_n2);
  if (s.groups > 1) {
    const auto g = static_cast<double>(s.groups);
    out.se = std::sqrt(g / (g - 1) * static_cast<double>(clusters)) / (n * n);
  }
  return out;
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
