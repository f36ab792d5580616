// Morris and Sobol designs and estimators (include/plenary/stats/sensitivity.hpp,
// docs/sensitivity.md).

#include "plenary/stats/sensitivity.hpp"

#include <Random123/philox.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "plenary/core/random.hpp"
#include "plenary/core/vote.hpp"
#include "plenary/util/assert.hpp"
#include "plenary/util/error.hpp"

namespace plenary {

namespace {

// The streams of the designs and the bootstrap: keys of their own, so that they share no
// counter with the model's draws (include/plenary/core/random.hpp).
constexpr std::uint64_t kMorrisStream = stream_key("#sensitivity-morris");
constexpr std::uint64_t kSobolStream = stream_key("#sensitivity-sobol");
constexpr std::uint64_t kBootstrapStream = stream_key("#sensitivity-bootstrap");

// Successive uniforms of one (seed, stream, index): Philox4x32-10 with key = seed and
// counter = (block, index, stream low 32 bits, stream high 32 bits), four words a block.
class Uniforms {
 public:
  Uniforms(std::uint64_t seed, std::uint64_t stream, std::uint32_t index)
      : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}},
        stream_(stream),
        index_(index) {}

  double next() {
    if (word_ == 4) {
      const philox4x32_ctr_t ctr = {{block_++, index_, static_cast<std::uint32_t>(stream_),
                                     static_cast<std::uint32_t>(stream_ >> 32)}};
      out_ = philox4x32_R(10, ctr, key_);
      word_ = 0;
    }
    return to_uniform(out_.v[word_++]);
  }
  // Uniform in 0 .. n - 1.
  std::size_t below(std::size_t n) {
    return std::min(n - 1, static_cast<std::size_t>(next() * static_cast<double>(n)));
  }

 private:
  philox4x32_key_t key_;
  std::uint64_t stream_;
  std::uint32_t index_;
  std::uint32_t block_ = 0;
  philox4x32_ctr_t out_{};
  int word_ = 4;
};

// The q-quantile of sorted values (linear interpolation, Hyndman & Fan type 7).
double quantile(const std::vector<double>& sorted, double q) {
  const double h = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

struct Interval {
  double lo = 0, hi = 0, se = 0;
};

// The 95% percentile interval and the standard deviation of bootstrap values.
Interval interval_of(std::vector<double> values) {
  const double n = static_cast<double>(values.size());
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  double ss = 0;
  for (double v : values) ss += (v - mean) * (v - mean);
  std::sort(values.begin(), values.end());
  return {quantile(values, 0.025), quantile(values, 0.975), n > 1 ? std::sqrt(ss / (n - 1)) : 0};
}

// The indices of a bootstrap resample b of n units.
std::vector<std::size_t> resample(std::uint64_t seed, int b, std::size_t n) {
  Uniforms u(seed, kBootstrapStream, static_cast<std::uint32_t>(b));
  std::vector<std::size_t> idx(n);
  for (std::size_t& j : idx) j = u.below(n);
  return idx;
}

void check_values(const SensitivityDesign& d, const std::vector<double>& y) {
  if (y.size() != d.points()) {
    throw UsageError(fmt::format("{} values for a design of {} points", y.size(), d.points()));
  }
}

// Morris: the elementary effects of factor i, one per trajectory.
std::vector<double> effects(const SensitivityDesign& d, const std::vector<double>& y, int i) {
  const double delta = d.levels / (2.0 * (d.levels - 1));
  std::vector<double> ee;
  for (std::size_t p = 0; p < d.points(); ++p) {
    if (d.moved[p] != i) continue;
    PLENARY_ASSERT(p % (static_cast<std::size_t>(d.factors) + 1) != 0);
    ee.push_back(d.direction[p] * (y[p] - y[p - 1]) / delta);
  }
  return ee;
}

double mean_abs(const std::vector<double>& ee, const std::vector<std::size_t>* idx) {
  double s = 0;
  const std::size_t n = idx ? idx->size() : ee.size();
  for (std::size_t j = 0; j < n; ++j) s += std::abs(ee[idx ? (*idx)[j] : j]);
  return s / static_cast<double>(n);
}

// Sobol: the estimates (S1 and ST of every factor) over the base rows `rows`.
struct SobolEstimate {
  std::vector<double> s1, st;
};

SobolEstimate sobol_estimate(const SensitivityDesign& d, const std::vector<double>& y,
                             const std::vector<std::size_t>& rows) {
  const auto k = static_cast<std::size_t>(d.factors);
  const std::size_t stride = k + 2;
  const double n = static_cast<double>(rows.size());
  double sum = 0;
  for (std::size_t j : rows) sum += y[j * stride] + y[j * stride + 1];
  const double mean = sum / (2 * n);
  double ss = 0;
  for (std::size_t j : rows) {
    ss += (y[j * stride] - mean) * (y[j * stride] - mean);
    ss += (y[j * stride + 1] - mean) * (y[j * stride + 1] - mean);
  }
  const double v = ss / (2 * n - 1);
  SobolEstimate e{std::vector<double>(k), std::vector<double>(k)};
  for (std::size_t i = 0; i < k; ++i) {
    double first = 0, total = 0;
    for (std::size_t j : rows) {
      const double fa = y[j * stride], fb = y[j * stride + 1], fab = y[j * stride + 2 + i];
      // Saltelli et al. (2010), Table 2 (b), with f(B) centred on the mean of A and B: the
      // same expectation (E[f(AB_i) - f(A)] = 0), a far smaller variance when the mean is
      // large against the spread (SALib centres likewise).
      first += (fb - mean) * (fab - fa);
      total += (fa - fab) * (fa - fab);  // Jansen (1999), Table 2 (f)
    }
    e.s1[i] = v > 0 ? first / n / v : std::numeric_limits<double>::quiet_NaN();
    e.st[i] = v > 0 ? total / (2 * n) / v : std::numeric_limits<double>::quiet_NaN();
  }
  return e;
}

}  // namespace

SensitivityDesign morris_design(int factors, int trajectories, int levels, std::uint64_t seed) {
  if (factors < 1) throw UsageError("a Morris design needs at least one factor");
  if (trajectories < 2) {
    throw UsageError(fmt::format(
        "--samples {}: Morris needs at least 2 trajectories (sigma is a standard deviation)",
        trajectories));
  }
  if (levels < 2 || levels % 2 != 0) {
    throw UsageError(
        fmt::format("--levels {}: expected an even number of levels, 2 or more "
                    "(4 is usual)",
                    levels));
  }
  SensitivityDesign d;
  d.method = SensitivityMethod::kMorris;
  d.factors = factors;
  d.samples = trajectories;
  d.levels = levels;
  d.seed = seed;
  const auto k = static_cast<std::size_t>(factors);
  const double delta = levels / (2.0 * (levels - 1));
  for (int t = 0; t < trajectories; ++t) {
    Uniforms u(seed, kMorrisStream, static_cast<std::uint32_t>(t));
    std::vector<double> x(k);
    std::vector<int> dir(k);
    for (std::size_t i = 0; i < k; ++i) {
      // The lower end of the step: a level l / (p - 1) with l + p/2 <= p - 1.
      const double low =
          static_cast<double>(u.below(static_cast<std::size_t>(levels / 2))) / (levels - 1);
      dir[i] = u.next() < 0.5 ? 1 : -1;
      x[i] = dir[i] > 0 ? low : low + delta;
    }
    std::vector<int> order(k);
    std::iota(order.begin(), order.end(), 0);
    for (std::size_t i = k; i-- > 1;) std::swap(order[i], order[u.below(i + 1)]);  // Fisher-Yates
    d.unit.insert(d.unit.end(), x.begin(), x.end());
    d.moved.push_back(-1);
    d.direction.push_back(0);
    for (const int i : order) {
      x[static_cast<std::size_t>(i)] += dir[static_cast<std::size_t>(i)] * delta;
      d.unit.insert(d.unit.end(), x.begin(), x.end());
      d.moved.push_back(i);
      d.direction.push_back(dir[static_cast<std::size_t>(i)]);
    }
  }
  return d;
}

SensitivityDesign sobol_design(int factors, int base_samples, std::uint64_t seed) {
  if (factors < 1) throw UsageError("a Sobol design needs at least one factor");
  if (base_samples < 2) {
    throw UsageError(fmt::format(
        "--samples {}: Sobol needs at least 2 base samples (hundreds are usual)", base_samples));
  }
  SensitivityDesign d;
  d.method = SensitivityMethod::kSobol;
  d.factors = factors;
  d.samples = base_samples;
  d.seed = seed;
  const auto k = static_cast<std::size_t>(factors);
  for (int j = 0; j < base_samples; ++j) {
    Uniforms u(seed, kSobolStream, static_cast<std::uint32_t>(j));
    std::vector<double> a(k), b(k);
    for (double& x : a) x = u.next();
    for (double& x : b) x = u.next();
    d.unit.insert(d.unit.end(), a.begin(), a.end());
    d.unit.insert(d.unit.end(), b.begin(), b.end());
    for (std::size_t i = 0; i < k; ++i) {
      std::vector<double> ab = a;
      ab[i] = b[i];
      d.unit.insert(d.unit.end(), ab.begin(), ab.end());
    }
  }
  return d;
}

std::vector<MorrisIndex> morris_indices(const SensitivityDesign& d, const std::vector<double>& y,
                                        int bootstrap) {
  PLENARY_ASSERT(d.method == SensitivityMethod::kMorris);
  check_values(d, y);
  std::vector<std::vector<std::size_t>> resamples;
  for (int b = 0; b < bootstrap; ++b) {
    resamples.push_back(resample(d.seed, b, static_cast<std::size_t>(d.samples)));
  }
  std::vector<MorrisIndex> out;
  for (int i = 0; i < d.factors; ++i) {
    const std::vector<double> ee = effects(d, y, i);
    const double n = static_cast<double>(ee.size());
    MorrisIndex m;
    m.mu_star = mean_abs(ee, nullptr);
    m.mu = std::accumulate(ee.begin(), ee.end(), 0.0) / n;
    double ss = 0;
    for (double e : ee) ss += (e - m.mu) * (e - m.mu);
    m.sigma = std::sqrt(ss / (n - 1));
    std::vector<double> boot;
    for (const auto& idx : resamples) boot.push_back(mean_abs(ee, &idx));
    const Interval ci = bootstrap > 1 ? interval_of(boot) : Interval{m.mu_star, m.mu_star, 0};
    m.mu_star_lo = ci.lo;
    m.mu_star_hi = ci.hi;
    out.push_back(m);
  }
  return out;
}

std::vector<SobolIndex> sobol_indices(const SensitivityDesign& d, const std::vector<double>& y,
                                      int bootstrap) {
  PLENARY_ASSERT(d.method == SensitivityMethod::kSobol);
  check_values(d, y);
  const auto n = static_cast<std::size_t>(d.samples);
  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), 0);
  const SobolEstimate point = sobol_estimate(d, y, all);
  const auto k = static_cast<std::size_t>(d.factors);
  std::vector<std::vector<double>> s1(k), st(k);
  for (int b = 0; b < bootstrap; ++b) {
    const SobolEstimate e = sobol_estimate(d, y, resample(d.seed, b, n));
    for (std::size_t i = 0; i < k; ++i) {
      s1[i].push_back(e.s1[i]);
      st[i].push_back(e.st[i]);
    }
  }
  std::vector<SobolIndex> out;
  for (std::size_t i = 0; i < k; ++i) {
    SobolIndex s{.s1 = point.s1[i], .st = point.st[i]};
    const bool defined =
        !std::isnan(point.s1[i]) && bootstrap > 1 &&
        std::none_of(s1[i].begin(), s1[i].end(), [](double v) { return std::isnan(v); });
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const Interval a = defined ? interval_of(s1[i]) : Interval{nan, nan, nan};
    const Interval b = defined ? interval_of(st[i]) : Interval{nan, nan, nan};
    s.s1_lo = a.lo;
    s.s1_hi = a.hi;
    s.s1_se = a.se;
    s.st_lo = b.lo;
    s.st_hi = b.hi;
    s.st_se = b.se;
    out.push_back(s);
  }
  return out;
}

std::vector<double> evaluate_design(const SensitivityDesign& d, const std::vector<double>& lo,
                                    const std::vector<double>& hi,
                                    const std::function<double(const std::vector<double>&)>& f) {
  std::vector<double> y;
  std::vector<double> x(static_cast<std::size_t>(d.factors));
  for (std::size_t p = 0; p < d.points(); ++p) {
    for (int i = 0; i < d.factors; ++i) {
      const auto u = static_cast<std::size_t>(i);
      x[u] = lo[u] + d.at(p, i) * (hi[u] - lo[u]);
    }
    y.push_back(f(x));
  }
  return y;
}

double goal_value(const Results& r, int draft, const LobbyGoal& goal) {
  const DraftCounts& c = r.drafts[static_cast<std::size_t>(draft)];
  const auto n1 = static_cast<std::size_t>(r.members) + 1;
  const double k = static_cast<double>(r.replicates);
  // The sponsor histogram at the close (round T) and a vote's tally histogram.
  const auto close = [&](std::size_t count) {
    return static_cast<double>(
        c.sponsors_by_round[static_cast<std::size_t>(r.rounds) * n1 + count]);
  };
  const auto tally_sum = [&](Vote v) {
    double s = 0;
    for (std::size_t count = 0; count < n1; ++count) {
      s += static_cast<double>(count) * static_cast<double>(c.tally[vote_index(v) * n1 + count]);
    }
    return s;
  };
  const double recorded = static_cast<double>(c.recorded);
  switch (goal.kind) {
    case LobbyGoalKind::kSponsors: {
      double s = 0;
      for (std::size_t count = 0; count < n1; ++count)
        s += static_cast<double>(count) * close(count);
      return s / k;
    }
    case LobbyGoalKind::kReach: {
      double s = 0;
      for (auto count = static_cast<std::size_t>(goal.n); count < n1; ++count) s += close(count);
      return s / k;
    }
    case LobbyGoalKind::kYes:
      return recorded > 0 ? tally_sum(Vote::kYes) / recorded
                          : std::numeric_limits<double>::quiet_NaN();
    case LobbyGoalKind::kAdopted:
      return static_cast<double>(c.adopted) / k;
    case LobbyGoalKind::kWithoutVote:
      return static_cast<double>(c.without_vote) / k;
    case LobbyGoalKind::kMargin:
      return recorded > 0 ? (tally_sum(Vote::kYes) - tally_sum(Vote::kNo)) / recorded
                          : std::numeric_limits<double>::quiet_NaN();
  }
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace plenary

namespace plenary {

double SensitivityFactor::value(double u) const {
  const double x = lo + u * (hi - lo);
  return integer ? std::round(x) : x;
}

void compute_indices(SensitivityResult& r) {
  r.morris.clear();
  r.sobol.clear();
  for (const std::vector<double>& y : r.values) {
    if (r.design.method == SensitivityMethod::kMorris) {
      r.morris.push_back(morris_indices(r.design, y, r.bootstrap));
    } else {
      r.sobol.push_back(sobol_indices(r.design, y, r.bootstrap));
    }
  }
}

std::vector<std::size_t> ranked_factors(const SensitivityResult& r, std::size_t g) {
  std::vector<std::size_t> order(r.factors.size());
  std::iota(order.begin(), order.end(), 0);
  const auto key = [&](std::size_t i) {
    const double v =
        r.design.method == SensitivityMethod::kMorris ? r.morris[g][i].mu_star : r.sobol[g][i].st;
    return std::isnan(v) ? -HUGE_VAL : v;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return key(a) > key(b); });
  return order;
}

}  // namespace plenary
