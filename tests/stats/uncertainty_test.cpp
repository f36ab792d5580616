// The variance split and the --target-se plan (include/plenary/stats/uncertainty.hpp) on
// values with a known structure: Y = A_d + e_k, A_d shared by the pair of replicates 2d
// and 2d + 1.
#include "plenary/stats/uncertainty.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>

namespace plenary {
namespace {

std::vector<std::optional<double>> nested(long pairs, double sd_between, double sd_within,
                                          std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::vector<std::optional<double>> y;
  for (long d = 0; d < pairs; ++d) {
    const double a = sd_between * normal(rng);
    y.emplace_back(a + sd_within * normal(rng));
    y.emplace_back(a + sd_within * normal(rng));
  }
  return y;
}

class Split : public ::testing::TestWithParam<std::uint64_t> {};

// With P pairs, the within-pair variance estimates sd_within^2 with a standard error of
// sd_within^2 sqrt(1 / P) (one degree of freedom per pair), and the total variance
// (sd_between^2 + sd_within^2) with about sqrt(2 / (2 P)) of it, inflated by the pairs'
// correlation (at most sqrt(2)); the positions part is their difference.
TEST_P(Split, RecoversKnownComponents) {
  constexpr long kPairs = 20000;
  const double b = 0.7, w = 1.3;
  const VarianceSplit s = split_variance(nested(kPairs, b, w, GetParam()), true);
  const double p = kPairs;
  const double se_within = w * w * std::sqrt(1 / p);
  const double se_total = (b * b + w * w) * std::sqrt(2.0) * std::sqrt(1 / p);
  EXPECT_EQ(s.n, 2 * kPairs);
  EXPECT_NEAR(s.monte_carlo, w * w, 4 * se_within);
  EXPECT_NEAR(s.positions, b * b, 4 * (se_within + se_total));
  EXPECT_DOUBLE_EQ(s.monte_carlo + s.positions, s.total);
  EXPECT_FALSE(s.clamped);
  // The mean's standard error over pairs: Var(pair mean) = b^2 + w^2 / 2, over P pairs;
  // the estimate's own relative error is about 1 / sqrt(2 P).
  const double se = std::sqrt((b * b + w * w / 2) / p);
  ASSERT_TRUE(s.se.has_value());
  EXPECT_NEAR(*s.se, se, 4 * se / std::sqrt(2 * p));
  EXPECT_NEAR(s.mean, 0, 4 * se);
}

INSTANTIATE_TEST_SUITE_P(Seeds, Split, ::testing::Values(1u, 2u, 3u));

TEST(Split, UnpairedIsAllMonteCarlo) {
  const auto y = nested(500, 0.7, 1.3, 4);
  const VarianceSplit s = split_variance(y, false);
  EXPECT_EQ(s.positions, 0);
  EXPECT_EQ(s.monte_carlo, s.total);
  ASSERT_TRUE(s.se.has_value());
  EXPECT_DOUBLE_EQ(*s.se, std::sqrt(s.total / 1000));
}

TEST(Split, HandComputed) {
  // Pairs (1, 3) and (2, 2): mean 2, total variance 2 / 3, within (4 / 2 + 0) / 2 = 1 >
  // total, so positions is clamped to 0; the pairs' sums about the mean are 0 and 0.
  const VarianceSplit s = split_variance({1.0, 3.0, 2.0, 2.0}, true);
  EXPECT_DOUBLE_EQ(s.mean, 2);
  EXPECT_DOUBLE_EQ(s.total, 2.0 / 3);
  EXPECT_DOUBLE_EQ(s.monte_carlo, 1);
  EXPECT_EQ(s.positions, 0);
  EXPECT_TRUE(s.clamped);
  EXPECT_DOUBLE_EQ(*s.se, 0);
  // Missing values: the incomplete pair adds to the mean and the clusters, not the within.
  const VarianceSplit m = split_variance({1.0, 3.0, std::nullopt, 5.0}, true);
  EXPECT_EQ(m.n, 3);
  EXPECT_DOUBLE_EQ(m.mean, 3);
  EXPECT_DOUBLE_EQ(m.monte_carlo, 2);
  EXPECT_DOUBLE_EQ(m.total, 4);
  // Clusters: (1 - 3) + (3 - 3) = -2 and 5 - 3 = 2: 2 / 1 * 8 / 9.
  EXPECT_DOUBLE_EQ(*m.se, std::sqrt(2.0 * 8) / 3);
}

VarianceReport one_figure(double se) {
  VarianceReport r;
  VarianceSplit s;
  s.figure = "sponsors";
  s.n = 100;
  s.se = se;
  r.drafts.push_back({"A", {s}});
  return r;
}

TEST(Plan, DoublesFromThePilotUntilThePredictedErrorIsBelowTheTarget) {
  // 0.1 at 100 replicates, raised by 1 + 2 / sqrt(198) to 0.1142: 0.03 needs 100 (0.1142 /
  // 0.03)^2 = 1449, so 1600; 0.1 needs 131, so 200; 0.05 needs 522, so 800.
  EXPECT_EQ(planned_replicates(one_figure(0.1), 100, 0.03, 1'000'000), 1600);
  EXPECT_EQ(planned_replicates(one_figure(0.1), 100, 0.1, 1'000'000), 200);
  EXPECT_EQ(planned_replicates(one_figure(0.1), 100, 0.05, 1'000'000), 800);
  EXPECT_EQ(planned_replicates(one_figure(0.1), 100, 0.2, 1'000'000), 100);
  EXPECT_EQ(planned_replicates(one_figure(0.1), 100, 0.001, 5000), 5000);
  EXPECT_EQ(largest_se(one_figure(0.1)).second, "A.sponsors");
}

// Stein's two-stage rule on a probability p = 0.3 (docs/uncertainty.md): a pilot of 40
// plans n, and n fresh replicates are reported. The reported standard error misses the
// target 0.02 only when the pilot drew at most 3 successes in 40 (then n <= 320, where the
// true standard error is 0.0256): P = 0.0006 by the binomial sum, so over 2000 trials the
// share met is 0.9994 with a standard error of 0.0006, and 0.99 is 16 of them below. With
// the pilot's error not raised (c = 1) 2.4% would miss (0.976, 4 of its standard errors
// below 0.99). The reported mean is unbiased: within 4 standard errors of p over the trials.
TEST(Plan, TheTwoStageRuleReachesTheTargetWithoutBias) {
  constexpr double kP = 0.3, kTarget = 0.02;
  constexpr long kPilot = 40, kTrials = 2000;
  std::mt19937_64 rng(20261207);
  const auto successes = [&](long n) {
    long hits = 0;
    for (long k = 0; k < n; ++k) hits += static_cast<double>(rng() >> 11) * 0x1p-53 < kP;
    return hits;
  };
  long met = 0;
  double sum = 0, squares = 0;
  for (long t = 0; t < kTrials; ++t) {
    const double pilot = static_cast<double>(successes(kPilot)) / kPilot;
    const double se_pilot = std::sqrt(pilot * (1 - pilot) / kPilot);
    const long n = planned_replicates(se_pilot, kPilot, kTarget, 1L << 30);
    const double m = static_cast<double>(successes(n)) / static_cast<double>(n);
    met += std::sqrt(m * (1 - m) / static_cast<double>(n)) <= kTarget;
    sum += m;
    squares += m * m;
  }
  EXPECT_GE(static_cast<double>(met) / kTrials, 0.99);
  const double mean = sum / kTrials;
  const double sd = std::sqrt((squares - kTrials * mean * mean) / (kTrials - 1));
  EXPECT_NEAR(mean, kP, 4 * sd / std::sqrt(static_cast<double>(kTrials)));
}

// Integer values with gaps (a recorded tally exists in some replicates only) and a
// structure in fours, pairs and replicates.
std::vector<std::optional<std::int64_t>> integer_values(long n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::poisson_distribution<int> four(30), pair(5), own(3);
  std::bernoulli_distribution missing(0.1);
  std::vector<std::optional<std::int64_t>> y(static_cast<std::size_t>(n));
  int f = 0, p = 0;
  for (long k = 0; k < n; ++k) {
    if (k % 4 == 0) f = four(rng);
    if (k % 2 == 0) p = pair(rng);
    if (!missing(rng)) y[static_cast<std::size_t>(k)] = f + p + own(rng);
  }
  return y;
}

// The sums give the split of the values themselves (to rounding: the value path sums in
// doubles), and the same sums however the replicates are cut into blocks of whole fours.
TEST(SplitSums, AgreeWithTheValuesAndAddUpOverBlocks) {
  constexpr long kN = 1003;  // a last block with a part of a four
  const auto y = integer_values(kN, 7);
  std::vector<std::optional<double>> as_double;
  for (const auto& v : y) {
    as_double.push_back(v ? std::optional<double>(static_cast<double>(*v)) : std::nullopt);
  }
  for (const UncertaintySource u : {UncertaintySource::kNone, UncertaintySource::kPositions,
                                    UncertaintySource::kFitParameters, UncertaintySource::kBoth}) {
    SplitSums whole;
    whole.add(y, u);
    const VarianceSplit a = split_variance(whole, u);
    const VarianceSplit b = split_variance(as_double, u);
    EXPECT_EQ(a.n, b.n);
    EXPECT_NEAR(a.mean, b.mean, 1e-12 * b.mean);
    EXPECT_NEAR(a.total, b.total, 1e-9 * b.total);
    EXPECT_NEAR(a.monte_carlo, b.monte_carlo, 1e-9 * b.total);
    EXPECT_NEAR(a.positions, b.positions, 1e-9 * b.total);
    EXPECT_NEAR(a.parameters, b.parameters, 1e-9 * b.total);
    EXPECT_EQ(a.clamped, b.clamped);
    ASSERT_TRUE(a.se && b.se);
    EXPECT_NEAR(*a.se, *b.se, 1e-9 * *b.se);
    if (u != UncertaintySource::kNone) {
      EXPECT_GT(a.monte_carlo, 0);
    }
    if (u == UncertaintySource::kBoth) {
      EXPECT_GT(a.positions, 0);
    }

    SplitSums blocks;
    std::vector<std::uint64_t> words;
    for (long first = 0; first < kN; first += 12) {
      SplitSums block;
      block.add({y.begin() + first, y.begin() + std::min(kN, first + 12)}, u);
      words.clear();
      block.append_to(words);
      std::vector<std::uint64_t> total;
      blocks.append_to(total);
      for (std::size_t w = 0; w < words.size(); ++w) total[w] += words[w];
      blocks = SplitSums::from(total.data());
    }
    std::vector<std::uint64_t> x, z;
    whole.append_to(x);
    blocks.append_to(z);
    EXPECT_EQ(x, z);
    ASSERT_EQ(x.size(), SplitSums::kWords);
  }
}

}  // namespace
}  // namespace plenary
