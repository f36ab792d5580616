// --uncertainty parameters and both in the engine (docs/model.md, "Estimation uncertainty
// in parameters"): the draws follow the fit's covariance, stay in the fit's bounds, hold
// unidentified coordinates, are the same bytes on any thread count, and the variance split
// of both sources recovers known components and adds up.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "plenary/engine/parameter_draws.hpp"
#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"
#include "plenary/stats/uncertainty.hpp"
#include "plenary/util/error.hpp"
#include "support/assembly.hpp"

namespace plenary {
namespace {

using testing::AssemblyBuilder;

// Ten members with position standard errors, two rival drafts, and a fit covariance over
// theta_0 (global), B.tau_yes (a draft's override), A.status_quo[1] and an unidentified
// B.phi_fit.
Scenario fitted_assembly() {
  AssemblyBuilder b;
  for (int i = 0; i < 10; ++i) {
    b.member("M" + std::to_string(i), {std::sin(i * 1.3), std::cos(i * 0.7)}, 1 + i % 3,
             0.05 * (i % 4));
  }
  b.bloc("G1", {"M0", "M1", "M2", "M3", "M4"});
  b.draft("A", {"M0", "M2"}, 8);
  b.last_draft().rivals = {1};
  b.last_draft().position = Eigen::Vector2d(0.4, 0.1);
  b.draft("B", {"M5"}, 10);
  b.last_draft().position = Eigen::Vector2d(-0.3, 0.2);
  b.parameters().theta_0 = -2;
  Scenario s = b.build();
  s.drafts[1].parameters.values[*find_parameter("tau_yes")] = 1.5;
  s.drafts[1].parameters.values[*find_parameter("phi_fit")] = 2;
  for (std::size_t i = 0; i < s.members.size(); ++i) {
    s.members[i].position_se = Eigen::Vector2d(0.2, 0.1);
  }
  FitCovariance fit;
  fit.parameters = {"theta_0", "B.tau_yes", "A.status_quo[1]", "B.phi_fit"};
  fit.estimate = Eigen::Vector4d(-2, 1.5, 0, 2);
  fit.lower = Eigen::Vector4d(-12, 0, -5, 0);
  fit.upper = Eigen::Vector4d(4, 10, 5, 10);
  fit.identified = {true, true, true, false};
  const double nan = std::nan("");
  fit.covariance.resize(4, 4);
  fit.covariance << 0.25, 0.06, -0.05, nan,  //
      0.06, 0.09, 0.0, nan,                  //
      -0.05, 0.0, 0.16, nan,                 //
      nan, nan, nan, nan;
  s.fit = fit;
  return s;
}

// Over 20000 draws: each mean within 4 standard errors (sqrt(C_ii / n)) of the estimate and
// each covariance within 4 standard errors of the normal's sample covariance
// (sqrt((C_ii C_jj + C_ij^2) / n)); the unidentified coordinate never moves.
TEST(ParameterDraws, FollowTheFitsCovariance) {
  const Scenario s = fitted_assembly();
  const Model m = compile(s);
  const FitCovariance& fit = *s.fit;
  constexpr int kDraws = 20000;
  Eigen::MatrixXd draws(kDraws, 4);
  for (int d = 0; d < kDraws; ++d) {
    const std::vector<double> v = drawn_parameters(m, 7, static_cast<std::uint32_t>(d));
    for (int k = 0; k < 4; ++k) draws(d, k) = v[static_cast<std::size_t>(k)];
  }
  const Eigen::RowVectorXd mean = draws.colwise().mean();
  const Eigen::MatrixXd centred = draws.rowwise() - mean;
  const Eigen::MatrixXd cov = centred.transpose() * centred / (kDraws - 1);
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(mean(i), fit.estimate(i), 4 * std::sqrt(fit.covariance(i, i) / kDraws)) << i;
    for (int j = 0; j < 3; ++j) {
      const double c = fit.covariance(i, j);
      const double se = std::sqrt((fit.covariance(i, i) * fit.covariance(j, j) + c * c) / kDraws);
      EXPECT_NEAR(cov(i, j), c, 4 * se) << i << "," << j;
    }
  }
  EXPECT_EQ(draws.col(3).minCoeff(), 2);
  EXPECT_EQ(draws.col(3).maxCoeff(), 2);
}

TEST(ParameterDraws, AreClampedIntoTheFitsBounds) {
  Scenario s = fitted_assembly();
  s.fit->lower(1) = 1.4;
  s.fit->upper(1) = 1.6;
  const Model m = compile(s);
  int at_bound = 0;
  for (std::uint32_t d = 0; d < 2000; ++d) {
    const double v = drawn_parameters(m, 3, d)[1];
    EXPECT_GE(v, 1.4);
    EXPECT_LE(v, 1.6);
    at_bound += v == 1.4 || v == 1.6;
  }
  // sd 0.3 against a half-width of 0.1: about 74% of draws land on a bound.
  EXPECT_GT(at_bound, 1000);
}

// A global parameter moves every draft that does not override it; a draft's override only
// that draft.
TEST(ParameterDraws, ApplyWhereTheFitSays) {
  Scenario s = fitted_assembly();
  s.drafts[1].parameters.values[*find_parameter("theta_0")] = -3;
  const Model m = compile(s);
  std::vector<DraftDraw> drafts;
  double factor = 0;
  apply_parameter_draw(m, {-1.0, 2.5, 0.7, 2.0}, drafts, factor);
  EXPECT_EQ(drafts[0].params.theta_0, -1.0);
  EXPECT_EQ(drafts[1].params.theta_0, -3.0);
  EXPECT_EQ(drafts[1].params.tau_yes, 2.5);
  EXPECT_EQ(drafts[0].params.tau_yes, m.drafts[0].params.tau_yes);
  EXPECT_EQ(drafts[0].status_quo[0], 0.7);
  EXPECT_EQ(drafts[1].status_quo[0], 0.0);
  EXPECT_EQ(factor, 1.0);
}

RunOptions options(UncertaintySource u, int threads, long k = 1002) {
  RunOptions o;
  o.replicates = k;
  o.seed = 11;
  o.threads = threads;
  o.uncertainty = u;
  return o;
}

class ParameterThreads : public ::testing::TestWithParam<UncertaintySource> {};

TEST_P(ParameterThreads, SameBytesOnOneAndTwoThreads) {
  const Model m = compile(fitted_assembly());
  ReplicateLog one, two;
  RunOptions a = options(GetParam(), 1);
  a.log = &one;
  RunOptions b = options(GetParam(), 2);
  b.log = &two;
  b.batch = 8;
  EXPECT_EQ(simulate(m, a), simulate(m, b));
  EXPECT_EQ(one, two);
  EXPECT_NE(simulate(m, a), simulate(m, options(UncertaintySource::kNone, 1)));
}

INSTANTIATE_TEST_SUITE_P(Sources, ParameterThreads,
                         ::testing::Values(UncertaintySource::kFitParameters,
                                           UncertaintySource::kBoth));

TEST(ParameterUncertainty, RefusesAScenarioWithoutAFit) {
  Scenario s = fitted_assembly();
  s.fit.reset();
  const Model m = compile(s);
  EXPECT_THROW(simulate(m, options(UncertaintySource::kFitParameters, 1, 8)), UsageError);
  EXPECT_THROW(simulate(m, options(UncertaintySource::kBoth, 1, 8)), UsageError);
  EXPECT_NO_THROW(simulate(m, options(UncertaintySource::kPositions, 1, 8)));
}

// Synthetic fours: y = x_q + t_p + e with Var x = 4, Var t = 1, Var e = 2 (positions shared by
// four, parameters by two, noise per replicate). Each component within 4 of its standard
// errors: the within-pair mean of sigma^2 chi^2_1 over 2Q pairs has sd sigma^2 sqrt(2 / 2Q);
// the between-pairs one (1 + 2 / 2) sqrt(2 / Q); the total about Var Y sqrt(2 / Q) (Q
// clusters), and positions is their difference.
TEST(VarianceSplit, RecoversKnownComponentsOfBothSources) {
  constexpr int kFours = 40000;
  std::mt19937_64 rng(5);
  std::normal_distribution<double> n01;
  std::vector<std::optional<double>> y;
  for (int q = 0; q < kFours; ++q) {
    const double x = 2 * n01(rng);
    for (int p = 0; p < 2; ++p) {
      const double t = n01(rng);
      for (int k = 0; k < 2; ++k) y.emplace_back(x + t + std::sqrt(2.0) * n01(rng));
    }
  }
  const VarianceSplit s = split_variance(y, UncertaintySource::kBoth);
  const double se_mc = 2 * std::sqrt(2.0 / (2.0 * kFours));
  const double se_par = 2 * std::sqrt(2.0 / kFours) + se_mc / 2;
  const double se_total = 7 * std::sqrt(2.0 / kFours);
  EXPECT_NEAR(s.monte_carlo, 2, 4 * se_mc);
  EXPECT_NEAR(s.parameters, 1, 4 * se_par);
  EXPECT_NEAR(s.positions, 4, 4 * (se_total + se_mc + se_par));
  EXPECT_FALSE(s.clamped);
  EXPECT_DOUBLE_EQ(s.monte_carlo + s.positions + s.parameters, s.total);
}

// The split of a real run adds up, for each source drawn.
TEST(VarianceSplit, SumsToTheTotalInARun) {
  const Model m = compile(fitted_assembly());
  for (const UncertaintySource u : {UncertaintySource::kPositions,
                                    UncertaintySource::kFitParameters, UncertaintySource::kBoth}) {
    ReplicateLog log;
    RunOptions o = options(u, 2, 4000);
    o.log = &log;
    simulate(m, o);
    for (const DraftVariance& d : split_variance(m, log, u).drafts) {
      for (const VarianceSplit& s : d.figures) {
        if (s.clamped || s.n < 2) continue;
        EXPECT_NEAR(s.monte_carlo + s.positions + s.parameters, s.total, 1e-9 * (1 + s.total))
            << d.id << "." << s.figure;
        if (u == UncertaintySource::kPositions) {
          EXPECT_EQ(s.parameters, 0);
        }
        if (u == UncertaintySource::kFitParameters) {
          EXPECT_EQ(s.positions, 0);
        }
      }
    }
  }
}

}  // namespace
}  // namespace plenary
