// Global sensitivity (include/plenary/stats/sensitivity.hpp): the designs' shapes, Sobol
// indices of the Ishigami function and of a linear function within their bootstrap
// standard errors of the known values, Morris's ranking of the Ishigami function, exact
// Morris effects of a linear function, and goal_value() equal to the mean of goal_series().

#include "plenary/stats/sensitivity.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <numeric>

#include "plenary/model/model.hpp"
#include "plenary/scenario/generate.hpp"

namespace plenary {
namespace {

constexpr double kPi = std::numbers::pi;

// Ishigami & Homma (1990) with a = 7, b = 0.1 on [-pi, pi]^3.
double ishigami(const std::vector<double>& x) {
  return std::sin(x[0]) + 7 * std::sin(x[1]) * std::sin(x[1]) +
         0.1 * std::pow(x[2], 4) * std::sin(x[0]);
}

// Its indices (Sobol' & Levitan 1999; Saltelli et al. 2008, p. 179), to the digits the
// literature gives.
constexpr double kS1[] = {0.3139, 0.4424, 0.0};
constexpr double kST[] = {0.5576, 0.4424, 0.2437};

TEST(SensitivityDesign, MorrisTrajectoriesMoveEachFactorOnceByDelta) {
  const SensitivityDesign d = morris_design(5, 12, 4, 7);
  ASSERT_EQ(d.points(), 12u * 6);
  const double delta = 4 / (2.0 * 3);
  for (int t = 0; t < 12; ++t) {
    std::vector<int> moves(5, 0);
    for (int j = 1; j <= 5; ++j) {
      const std::size_t p = static_cast<std::size_t>(t * 6 + j);
      const int i = d.moved[p];
      ASSERT_GE(i, 0);
      ++moves[static_cast<std::size_t>(i)];
      for (int f = 0; f < 5; ++f) {
        const double step = d.at(p, f) - d.at(p - 1, f);
        EXPECT_NEAR(step, f == i ? d.direction[p] * delta : 0.0, 1e-12);
        EXPECT_GE(d.at(p, f), -1e-12);
        EXPECT_LE(d.at(p, f), 1 + 1e-12);
      }
    }
    EXPECT_EQ(moves, std::vector<int>(5, 1));
  }
}

TEST(SensitivityDesign, SaltelliRowsAreAThenBThenEachABi) {
  const SensitivityDesign d = sobol_design(3, 8, 7);
  ASSERT_EQ(d.points(), 8u * 5);
  for (std::size_t j = 0; j < 8; ++j) {
    const std::size_t a = j * 5, b = a + 1;
    for (int i = 0; i < 3; ++i) {
      for (int f = 0; f < 3; ++f) {
        EXPECT_EQ(d.at(a + 2 + static_cast<std::size_t>(i), f), f == i ? d.at(b, f) : d.at(a, f));
      }
    }
  }
}

TEST(SensitivityDesign, IsAPureFunctionOfTheSeed) {
  EXPECT_EQ(sobol_design(4, 50, 3).unit, sobol_design(4, 50, 3).unit);
  EXPECT_NE(sobol_design(4, 50, 3).unit, sobol_design(4, 50, 4).unit);
  EXPECT_EQ(morris_design(4, 50, 4, 3).unit, morris_design(4, 50, 4, 3).unit);
  // A trajectory does not depend on how many there are: point (seed, t) only.
  const SensitivityDesign a = morris_design(4, 10, 4, 3), b = morris_design(4, 20, 4, 3);
  EXPECT_TRUE(std::equal(a.unit.begin(), a.unit.end(), b.unit.begin()));
}

class IshigamiSobol : public ::testing::TestWithParam<std::uint64_t> {};

// Every index within 4 bootstrap standard errors of the known value, and those errors small
// enough (< 0.03) that the test could fail.
TEST_P(IshigamiSobol, IndicesMatchTheKnownValuesWithinFourStandardErrors) {
  const SensitivityDesign d = sobol_design(3, 4096, GetParam());
  const std::vector<double> y = evaluate_design(d, {-kPi, -kPi, -kPi}, {kPi, kPi, kPi}, ishigami);
  const std::vector<SobolIndex> s = sobol_indices(d, y, 500);
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_LT(s[i].s1_se, 0.03);
    EXPECT_LT(s[i].st_se, 0.03);
    EXPECT_NEAR(s[i].s1, kS1[i], 4 * s[i].s1_se);
    EXPECT_NEAR(s[i].st, kST[i], 4 * s[i].st_se);
    EXPECT_LE(s[i].s1_lo, s[i].s1);
    EXPECT_GE(s[i].s1_hi, s[i].s1);
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, IshigamiSobol, ::testing::Values(1, 2, 20261207));

// The seed fixed here: the known values inside the 95% bootstrap intervals, as the issue
// asks (with 6 intervals, a random seed would miss one about a quarter of the time).
TEST(IshigamiSobolIntervals, HoldTheKnownValuesAtTheFixedSeed) {
  const SensitivityDesign d = sobol_design(3, 4096, 20261207);
  const std::vector<double> y = evaluate_design(d, {-kPi, -kPi, -kPi}, {kPi, kPi, kPi}, ishigami);
  const std::vector<SobolIndex> s = sobol_indices(d, y);
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_LE(s[i].s1_lo, kS1[i]);
    EXPECT_GE(s[i].s1_hi, kS1[i]);
    EXPECT_LE(s[i].st_lo, kST[i]);
    EXPECT_GE(s[i].st_hi, kST[i]);
  }
}

TEST(Morris, RanksIshigamisFactorsAndFlagsX3AsInteractionOnly) {
  const SensitivityDesign d = morris_design(3, 2000, 4, 20261207);
  const std::vector<double> y = evaluate_design(d, {-kPi, -kPi, -kPi}, {kPi, kPi, kPi}, ishigami);
  const std::vector<MorrisIndex> m = morris_indices(d, y);
  // x1 and x2 above x3, the intervals apart.
  EXPECT_GT(m[0].mu_star_lo, m[2].mu_star_hi);
  EXPECT_GT(m[1].mu_star_lo, m[2].mu_star_hi);
  // x3 acts only through sin(x1): its effects change sign, so |mu| is far below mu*, and
  // sigma is large against mu*.
  EXPECT_LT(std::abs(m[2].mu), 0.5 * m[2].mu_star);
  EXPECT_GT(m[2].sigma, m[2].mu_star);
  // On the 4-level grid x2 steps between -pi and pi/3 or -pi/3 and pi, where 7 sin^2 changes
  // by 5.25 up or down: every effect is +-5.25 / (2/3), so mu* is exactly 7.875 and mu near 0.
  EXPECT_NEAR(m[1].mu_star, 7.875, 1e-9);
  EXPECT_LT(std::abs(m[1].mu), 0.5 * m[1].mu_star);
}

TEST(Morris, EffectsOfALinearFunctionAreExact) {
  const SensitivityDesign d = morris_design(3, 10, 6, 5);
  const std::vector<double> y = evaluate_design(
      d, {0, 0, 0}, {2, 1, 1}, [](const std::vector<double>& x) { return 3 * x[0] - x[1]; });
  const std::vector<MorrisIndex> m = morris_indices(d, y);
  // The effect of moving x0 across its range [0, 2] at slope 3 is 6; of x1, -1; of x2, 0.
  EXPECT_NEAR(m[0].mu_star, 6, 1e-9);
  EXPECT_NEAR(m[0].mu, 6, 1e-9);
  EXPECT_NEAR(m[0].sigma, 0, 1e-9);
  EXPECT_NEAR(m[1].mu, -1, 1e-9);
  EXPECT_NEAR(m[1].mu_star, 1, 1e-9);
  EXPECT_EQ(m[2].mu_star, 0);
  EXPECT_EQ(m[2].mu_star_hi, 0);
}

TEST(Sobol, AnAdditiveFunctionSplitsItsVarianceByTheSquaredCoefficients) {
  const SensitivityDesign d = sobol_design(3, 2048, 9);
  const std::vector<double> y = evaluate_design(
      d, {0, 0, 0}, {1, 1, 1}, [](const std::vector<double>& x) { return 2 * x[0] + x[1]; });
  const std::vector<SobolIndex> s = sobol_indices(d, y, 500);
  const double expected[] = {0.8, 0.2, 0};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(s[i].s1, expected[i], 4 * s[i].s1_se + 1e-12);
    EXPECT_NEAR(s[i].st, expected[i], 4 * s[i].st_se + 1e-12);
  }
  // x2 changes nothing: its total index is exactly 0 (Jansen's estimator of a constant).
  EXPECT_EQ(s[2].st, 0);
  EXPECT_EQ(s[2].st_hi, 0);
}

TEST(Sobol, AConstantOutputHasUndefinedIndices) {
  const SensitivityDesign d = sobol_design(2, 16, 9);
  const std::vector<SobolIndex> s = sobol_indices(d, std::vector<double>(d.points(), 3.0), 50);
  EXPECT_TRUE(std::isnan(s[0].s1));
  EXPECT_TRUE(std::isnan(s[0].st_hi));
}

// goal_value() from a run's counts is the mean of goal_series() from its replicate log, for
// every goal (weighted by the recorded votes for yes and margin).
TEST(GoalValue, IsTheMeanOfGoalSeries) {
  GenerateOptions g;
  g.members = 60;
  g.drafts = 2;
  g.seed = 4;
  const Scenario s = generate_scenario(g);
  const Model model = compile(s);
  ReplicateLog log;
  RunOptions o;
  o.replicates = 400;
  o.seed = 99;
  o.threads = 1;
  o.log = &log;
  const Results r = simulate(model, o);
  for (const char* name : {"sponsors", "reach:5", "yes", "adopted", "without-vote", "margin"}) {
    SCOPED_TRACE(name);
    const LobbyGoal goal = parse_lobby_goal(name, 60);
    for (int draft = 0; draft < 2; ++draft) {
      const GoalSeries series = goal_series(log, draft, goal);
      double sum = 0, weight = 0;
      for (std::size_t j = 0; j < series.y.size(); ++j) {
        const double w = series.w.empty() ? 1 : series.w[j];
        sum += w * series.y[j];
        weight += w;
      }
      if (weight == 0) {
        EXPECT_TRUE(std::isnan(goal_value(r, draft, goal)));
      } else {
        EXPECT_NEAR(goal_value(r, draft, goal), sum / weight, 1e-12 * (1 + std::abs(sum)));
      }
    }
  }
}

}  // namespace
}  // namespace plenary
