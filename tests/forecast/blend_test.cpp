// The blend weights are recovered from cells drawn from the blend model itself.
#include "plenary/forecast/blend.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace {

using namespace plenary::forecast;

TEST(Blend, RecoversPlantedWeightsWithinFourStandardErrors) {
  BlendWeights truth;
  truth.w.head(4) << 0.8, -0.7, 0.6, 0.5;  // spatial, old_kin, habit, majority
  // beta[r][r2][k] (k = Abstain, No against Yes): repeating the kin and its kin is likely.
  for (int r = 0; r < 4; ++r) {
    for (int r2 = 0; r2 < 4; ++r2) {
      for (int k = 1; k < 3; ++k) {
        truth.w(4 + 8 * r + 2 * r2 + (k - 1)) = (r == k   ? 2.0
                                                 : r == 0 ? -1.5
                                                          : -0.4) +
                                                (r2 == k   ? 0.9
                                                 : r2 == 0 ? -0.6
                                                           : 0.1) -
                                                0.2 * k;
      }
    }
  }
  truth.w(kRepeatPropensityWeight) = 0.7;
  truth.w(kAbstainPersistenceWeight) = 0.5;
  // The spatial weight's change for a kin Abstain, a kin No, no kin vote, a repeated chain.
  truth.w.segment<4>(kSpatialByKinWeight) << -0.2, -0.4, 0.3, 0.25;
  std::mt19937_64 rng(42);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::vector<BlendCell> cells(200000);
  for (BlendCell& c : cells) {
    Eigen::Vector3d s(normal(rng), normal(rng), normal(rng));
    s = (s.array() - s.maxCoeff()).exp();
    s /= s.sum();
    for (int k = 0; k < 3; ++k) c.log_spatial[k] = std::log(s(k));
    c.kin_vote = static_cast<int>(uniform(rng) * 4.0) - 1;  // -1 (absent), 0, 1, 2
    c.old_kin = uniform(rng) < 0.3;
    c.kin2_vote = static_cast<int>(uniform(rng) * 4.0) - 1;
    c.kin_majority = static_cast<int>(uniform(rng) * 3.0);
    c.habit = normal(rng) - 1.5;
    c.repeat_propensity = 0.8 * normal(rng);
    c.abstain_persistence = 0.8 * normal(rng);
    const Eigen::Vector3d p = blend_probabilities(c, truth);
    const double u = uniform(rng);
    c.outcome = u < p(0) ? 0 : u < p(0) + p(1) ? 1 : 2;
  }
  const BlendWeights fit = fit_blend(cells);
  EXPECT_TRUE(fit.converged);
  EXPECT_EQ(fit.cells, 200000);
  for (int k = 0; k < kBlendWeights; ++k) {
    ASSERT_GT(fit.se(k), 0.0) << kBlendWeightNames[k];
    EXPECT_LT(fit.se(k), 0.1) << kBlendWeightNames[k];
    EXPECT_NEAR(fit.w(k), truth.w(k), 4.0 * fit.se(k)) << kBlendWeightNames[k];
  }
}

// The spatial model's weight depends on the member's kin vote: with the spatial weight 1,
// its change -1 for a kin No and every other weight 0, a member who voted No on the kin gets
// uniform probabilities and one who voted Yes the spatial model's; on a repeated chain
// (kin vote = kin's-kin vote) the chain's change adds to it.
TEST(Blend, SpatialWeightDependsOnTheKinVote) {
  BlendWeights w;
  w.w(kSpatialByKinWeight + 1) = -1.0;  // spatial_kin_no
  w.w(kSpatialRepeatedChainWeight) = 0.5;
  BlendCell c;
  c.log_spatial = {std::log(0.7), std::log(0.2), std::log(0.1)};
  c.kin_vote = static_cast<int>(VoteClass::kNo);
  Eigen::Vector3d p = blend_probabilities(c, w);
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(p(k), 1.0 / 3.0, 1e-12) << k;
  c.kin_vote = static_cast<int>(VoteClass::kYes);
  p = blend_probabilities(c, w);
  EXPECT_NEAR(p(0), 0.7, 1e-12);
  EXPECT_NEAR(p(1), 0.2, 1e-12);
  c.kin2_vote = static_cast<int>(VoteClass::kYes);  // weight 1.5: p proportional to p_spatial^1.5
  p = blend_probabilities(c, w);
  const double z = std::pow(0.7, 1.5) + std::pow(0.2, 1.5) + std::pow(0.1, 1.5);
  EXPECT_NEAR(p(0), std::pow(0.7, 1.5) / z, 1e-12);
  EXPECT_NEAR(p(2), std::pow(0.1, 1.5) / z, 1e-12);
}

TEST(Blend, WithoutOutcomesKeepsTheSpatialModel) {
  std::vector<BlendCell> cells(3);
  const BlendWeights fit = fit_blend(cells);
  EXPECT_EQ(fit.cells, 0);
  BlendCell c;
  c.log_spatial = {std::log(0.7), std::log(0.2), std::log(0.1)};
  c.kin_vote = 2;
  const Eigen::Vector3d p = blend_probabilities(c, fit);
  EXPECT_NEAR(p(0), 0.7, 1e-12);
  EXPECT_NEAR(p(1), 0.2, 1e-12);
  EXPECT_NEAR(p(2), 0.1, 1e-12);
}

}  // namespace
