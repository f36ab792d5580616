// Members' habits from the record (docs/calibration.md, "Habits"): planted abstention habits
// recovered within their standard errors, a member that never abstains gets a low habit, a
// member with few votes stays near the prior, shrunk absence, bad input.
#include "plenary/calibrate/habits.hpp"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>

#include "calibrate/test_data.hpp"
#include "plenary/calibrate/ideal_point_fit.hpp"
#include "plenary/util/error.hpp"

namespace plenary::calibrate {
namespace {

using testing::correlation;
using testing::make_ordered_synthetic;

// Planted habits from -0.2 (the generator's narrowest band is 0.5 wide, so no band closes)
// to 2, in a fixed cycle.
Eigen::VectorXd planted(int members) {
  const double levels[] = {-0.2, 0.0, 0.5, 1.0, 2.0};
  Eigen::VectorXd h(members);
  for (int i = 0; i < members; ++i) h(i) = levels[i % 5];
  return h;
}

// The synthetic data's true parameters as an ordered fit.
IdealPoints truth(const testing::OrderedSynthetic& s) {
  IdealPoints t;
  t.positions = s.positions;
  t.intercept = s.intercept;
  t.abstain_intercept = s.abstain_intercept;
  t.discrimination = s.discrimination;
  return t;
}

EstimatorOptions ordered(int dims) {
  EstimatorOptions o;
  o.dims = dims;
  o.model = IdealPointModel::kOrdered;
  return o;
}

// With the roll calls and positions at their true values the habits' z-scores are standard
// normal up to the prior's small pull: every one within 4, and their spread within 4
// standard errors of 1 (the standard deviation of a sample sd of n normals is about
// 1 / sqrt(2 n)).
TEST(Habits, RecoversPlantedHabitsGivenTheRollCalls) {
  const int n = 190;
  const Eigen::VectorXd h = planted(n);
  const auto s = make_ordered_synthetic(n, 400, 2, 0.1, 77, &h);
  Eigen::VectorXd se;
  const Eigen::VectorXd est = estimate_abstain_habits(s.obs, truth(s), HabitOptions{}, &se);
  const Eigen::ArrayXd z = (est - h).array() / se.array();
  EXPECT_LT(z.abs().maxCoeff(), 4.0);
  const double sd = std::sqrt((z - z.mean()).square().sum() / (n - 1));
  EXPECT_NEAR(sd, 1.0, 4.0 / std::sqrt(2.0 * n));
  EXPECT_NEAR(z.mean(), 0.0, 4.0 / std::sqrt(n));
  EXPECT_GT(se.minCoeff(), 0.0);
}

// End to end: the ordered fit estimated from the votes, then the habits. The roll calls'
// bands absorb the members' average habit (0.66 here), so the estimates are departures from
// it: they order the members as planted, and each level's mean departure matches.
TEST(Habits, RecoversPlantedHabitsAfterTheOrderedFit) {
  const int n = 190;
  const Eigen::VectorXd h = planted(n);
  const auto s = make_ordered_synthetic(n, 400, 2, 0.1, 78, &h);
  IdealPoints fit = estimate_ideal_points(s.obs, ordered(2));
  ASSERT_TRUE(fit.converged);
  identify(fit, 0);
  Eigen::VectorXd se;
  const Eigen::VectorXd est = estimate_abstain_habits(s.obs, fit, HabitOptions{}, &se);
  EXPECT_GT(correlation(est, h), 0.95);
  // Members planted at 2 abstain more than those at 1, and so on down the levels.
  double previous = -1e9;
  for (int level = 0; level < 5; ++level) {
    double mean = 0.0;
    for (int i = level; i < n; i += 5) mean += est(i);
    mean /= n / 5;
    EXPECT_GT(mean, previous) << "level " << level;
    previous = mean;
  }
}

// A member that never abstains gets a habit below 0, beyond its standard errors; a member
// with three votes stays within a standard deviation of the prior's 0.
TEST(Habits, NeverAbstainingIsLowAndFewVotesStayNearZero) {
  auto s = make_ordered_synthetic(120, 300, 1, 0.0, 79);
  // Member 0 votes Yes wherever it abstained; member 1 votes on three roll calls only.
  for (Eigen::Index j = 0; j < s.obs.yes.cols(); ++j) {
    if (s.obs.abstain(0, j) != 0.0) {
      s.obs.abstain(0, j) = 0.0;
      s.obs.yes(0, j) = 1.0;
    }
    if (j >= 3) s.obs.observed(1, j) = s.obs.yes(1, j) = s.obs.abstain(1, j) = 0.0;
  }
  ASSERT_EQ(s.obs.abstain.row(0).sum(), 0.0);
  Eigen::VectorXd se;
  const Eigen::VectorXd est = estimate_abstain_habits(s.obs, truth(s), HabitOptions{}, &se);
  EXPECT_LT(est(0), -4.0 * se(0));
  EXPECT_LT(std::abs(est(1)), 1.0);
  EXPECT_GT(se(1), 0.5);  // little information beyond the prior's sd of 1
  // A stronger prior pulls every habit towards 0.
  HabitOptions strong;
  strong.precision = 100.0;
  const Eigen::VectorXd shrunk = estimate_abstain_habits(s.obs, truth(s), strong);
  EXPECT_LT(shrunk.cwiseAbs().maxCoeff(), est.cwiseAbs().maxCoeff());
}

TEST(Habits, AbsenceIsShrunkTowardsThePooledShare) {
  const Eigen::VectorXd absent = (Eigen::VectorXd(3) << 0, 30, 2).finished();
  const Eigen::VectorXd member = (Eigen::VectorXd(3) << 300, 300, 4).finished();
  Habits out;
  estimate_absence(absent, member, HabitOptions{}, out);
  const double p = 32.0 / 604.0;
  EXPECT_DOUBLE_EQ(out.pooled_absence, p);
  EXPECT_DOUBLE_EQ(out.absence(0), 20.0 * p / 320.0);
  EXPECT_DOUBLE_EQ(out.absence(1), (30.0 + 20.0 * p) / 320.0);
  EXPECT_DOUBLE_EQ(out.absence(2), (2.0 + 20.0 * p) / 24.0);  // 0.5 raw, pulled to the pool
  EXPECT_GT(out.absence_se(2), out.absence_se(1));
  HabitOptions off;
  off.absence_prior = 0.0;
  estimate_absence(absent, member, off, out);
  EXPECT_DOUBLE_EQ(out.absence(2), 0.5);
}

TEST(Habits, BadInputIsAUsageError) {
  const auto s = make_ordered_synthetic(30, 40, 1, 0.0, 80);
  IdealPoints binary = truth(s);
  binary.abstain_intercept.resize(0);
  EXPECT_THROW(estimate_abstain_habits(s.obs, binary, HabitOptions{}), UsageError);
  HabitOptions bad;
  bad.precision = 0.0;
  EXPECT_THROW(estimate_abstain_habits(s.obs, truth(s), bad), UsageError);
  Habits out;
  bad = HabitOptions{};
  bad.absence_prior = -1.0;
  EXPECT_THROW(estimate_absence(Eigen::VectorXd::Zero(2), Eigen::VectorXd::Ones(2), bad, out),
               UsageError);
}

}  // namespace
}  // namespace plenary::calibrate
