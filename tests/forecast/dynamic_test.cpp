// The dynamic ordered model recovers a planted drift variance and planted positions from
// votes simulated under it (tolerances from the estimates' standard errors, fixed seeds).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "forecast/logistic_kernels.hpp"
#include "forecast/synthetic.hpp"
#include "plenary/forecast/dynamic_ideal_points.hpp"
#include "plenary/util/error.hpp"

namespace {

using namespace plenary::forecast;

class DynamicRecovery : public ::testing::TestWithParam<unsigned> {};

TEST_P(DynamicRecovery, DriftVarianceAndPositions) {
  const synthetic::World world = synthetic::simulate(150, 6, 60, 0.1, GetParam());
  DynamicOptions options;
  options.dims = 1;
  const DynamicFit fit = estimate_dynamic(world.data, options);
  EXPECT_TRUE(fit.converged);
  ASSERT_GT(fit.drift_se, 0.0);
  EXPECT_LT(fit.drift_se, 0.03);
  EXPECT_NEAR(fit.drift_variance, world.drift, 4.0 * fit.drift_se)
      << "se " << fit.drift_se << ", sweeps " << fit.iterations;
  // Positions at the last session, in the model's identification: the first session's
  // positions centred and scaled to unit mean square (the planted ones too), up to the
  // sign. Each planted position within 2 posterior standard deviations for about 95% of
  // the members.
  const int last = world.periods - 1;
  double mean = 0.0, square = 0.0;
  for (int i = 0; i < world.members; ++i) mean += world.x[i][0] / world.members;
  for (int i = 0; i < world.members; ++i) square += (world.x[i][0] - mean) * (world.x[i][0] - mean);
  const double scale = std::sqrt(square / world.members);
  auto planted = [&](int i) { return (world.x[i][last] - mean) / scale; };
  double cross = 0.0;
  for (int i = 0; i < world.members; ++i) cross += fit.position(i, last)(0) * planted(i);
  const double sign = cross >= 0.0 ? 1.0 : -1.0;
  int inside = 0;
  for (int i = 0; i < world.members; ++i) {
    const double sd = std::sqrt(fit.last_covariance[i](0, 0));
    if (std::abs(sign * fit.position(i, last)(0) - planted(i)) <= 2.0 * sd) ++inside;
  }
  // Binomial standard error of the share at 0.95: sqrt(0.95 * 0.05 / 150) = 0.018.
  const double share = static_cast<double>(inside) / world.members;
  EXPECT_GT(share, 0.95 - 4.0 * 0.0178) << inside << " of " << world.members;
}

INSTANTIATE_TEST_SUITE_P(Seeds, DynamicRecovery, ::testing::Values(1u, 2u, 3u));

TEST(DynamicFit, FixedDriftIsKept) {
  const synthetic::World world = synthetic::simulate(40, 3, 20, 0.1, 9);
  DynamicOptions options;
  options.dims = 1;
  options.estimate_drift = false;
  options.drift_start = 0.2;
  const DynamicFit fit = estimate_dynamic(world.data, options);
  EXPECT_EQ(fit.drift_variance, 0.2);
}

TEST(DynamicFit, RejectsTooFewMembersAndNoVotes) {
  DynamicData empty;
  empty.members = 5;
  empty.periods = 1;
  EXPECT_THROW(estimate_dynamic(empty, DynamicOptions{}), plenary::DataError);
  synthetic::World world = synthetic::simulate(3, 2, 5, 0.1, 9);
  EXPECT_THROW(estimate_dynamic(world.data, DynamicOptions{}), plenary::DataError);
}

TEST(Placement, RecoversAPlantedRollCall) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const int n = 2000;
  Eigen::MatrixXd x(n, 2);
  std::vector<plenary::Vote> votes;
  const Eigen::Vector4d truth(0.3, 1.5, 1.2, -0.8);
  for (int i = 0; i < n; ++i) {
    x(i, 0) = normal(rng);
    x(i, 1) = normal(rng);
    const double e = truth(2) * x(i, 0) + truth(3) * x(i, 1);
    const Eigen::Vector3d p = ordered_probabilities(truth(0) + e, truth(1) + e, 0.0);
    const double u = uniform(rng);
    votes.push_back(u < p(0)          ? plenary::Vote::kYes
                    : u < p(0) + p(1) ? plenary::Vote::kAbstain
                                      : plenary::Vote::kNo);
  }
  const Placement placed = place_roll_call(x, votes, 0.04);
  EXPECT_TRUE(placed.converged);
  EXPECT_EQ(placed.voters, n);
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(placed.theta(k), truth(k), 4.0 * placed.se(k)) << k;
}

// The estimator's batched exp(-|z|), 1 / (1 + e) and log(1 + e) against libm, and the
// batch (vectorised on this processor) against the scalar log1p bit for bit. 1003 values:
// not a multiple of any vector width, so the loops' tails run too.
TEST(LogisticBatch, MatchesLibmAndTheScalarReference) {
  std::vector<double> z;
  for (int k = 0; k < 1000; ++k) z.push_back(-50.0 + 0.1 * k + 1e-3 * (k % 7));
  z.push_back(0.0);
  z.push_back(800.0);
  z.push_back(-1e-300);
  const std::size_t n = z.size();
  std::vector<double> e(n), inv(n), lp(n), alone(n);
  logistic_batch(z.data(), n, e.data(), inv.data(), lp.data());
  log1p_exp_batch(z.data(), n, alone.data());
  for (std::size_t k = 0; k < n; ++k) {
    const double exact = std::exp(-std::abs(z[k]));
    EXPECT_NEAR(e[k], exact, 1e-14 * exact + 1e-300) << z[k];
    EXPECT_EQ(inv[k], 1.0 / (1.0 + e[k])) << z[k];
    EXPECT_EQ(lp[k], log1p_unit(e[k])) << z[k];
    EXPECT_EQ(alone[k], lp[k]) << z[k];
    EXPECT_NEAR(lp[k], std::log1p(e[k]), 1e-15 * std::log1p(e[k]) + 1e-300) << z[k];
  }
  for (const double v : {0.0, 1e-300, 1e-17, 1e-9, 0.1, 0.4999999, 0.5, 0.5000001, 0.75, 1.0})
    EXPECT_NEAR(log1p_unit(v), std::log1p(v), 1e-15 * std::log1p(v)) << v;
}

}  // namespace
