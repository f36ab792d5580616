#include "plenary/calibrate/ideal_points.hpp"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <limits>

#include "calibrate/test_data.hpp"
#include "plenary/calibrate/ideal_point_fit.hpp"
#include "plenary/calibrate/resample.hpp"
#include "plenary/util/error.hpp"

namespace plenary::calibrate {
namespace {

using testing::make_synthetic;
using testing::recovery;

class Recovery : public ::testing::TestWithParam<std::tuple<int, Link>> {};

TEST_P(Recovery, RealisticSizeRecoversKnownPositions) {
  const auto [dims, link] = GetParam();
  const auto s = make_synthetic(190, 400, dims, 0.2, 11);
  EstimatorOptions o;
  o.dims = dims;
  o.link = link;
  IdealPoints est = estimate_ideal_points(s.obs, o);
  EXPECT_TRUE(est.converged);
  identify(est, 0);
  EXPECT_GT(recovery(s.positions, est.positions), 0.95);
}

INSTANTIATE_TEST_SUITE_P(Dims, Recovery,
                         ::testing::Values(std::tuple{1, Link::kLogit}, std::tuple{2, Link::kLogit},
                                           std::tuple{2, Link::kProbit}));

TEST(Recovery, ImprovesAsRollCallsAreAdded) {
  EstimatorOptions o;
  o.dims = 1;
  double previous = 0.0;
  for (const int roll_calls : {20, 80, 320}) {
    const auto s = make_synthetic(150, roll_calls, 1, 0.2, 5);
    IdealPoints est = estimate_ideal_points(s.obs, o);
    identify(est, 0);
    const double r = recovery(s.positions, est.positions);
    EXPECT_GT(r, previous) << roll_calls << " roll calls";
    previous = r;
  }
  EXPECT_GT(previous, 0.97);
}

TEST(Identification, CentredUnitVarianceReferencePositiveAndPredictionsUnchanged) {
  const auto s = make_synthetic(120, 200, 2, 0.1, 3);
  EstimatorOptions o;
  IdealPoints est = estimate_ideal_points(s.obs, o);
  const Eigen::MatrixXd eta_before = est.linear_predictor();
  const FitStatistics fit_before = compute_fit(s.obs, est, o.link);
  const Eigen::Index reference = 7;
  identify(est, reference);
  const Eigen::MatrixXd& x = est.positions;
  const Eigen::MatrixXd cov = (x.rowwise() - x.colwise().mean()).transpose() *
                              (x.rowwise() - x.colwise().mean()) / static_cast<double>(x.rows());
  EXPECT_LT(x.colwise().mean().cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_LT((cov - Eigen::MatrixXd::Identity(2, 2)).cwiseAbs().maxCoeff(), 1e-10);
  EXPECT_GT(x(reference, 0), 0.0);
  Eigen::Index far = 0;
  x.col(1).cwiseAbs().maxCoeff(&far);
  EXPECT_GT(x(far, 1), 0.0);
  // The roll-call parameters were transformed with the positions.
  EXPECT_LT((est.linear_predictor() - eta_before).cwiseAbs().maxCoeff(), 1e-9);
  const FitStatistics fit_after = compute_fit(s.obs, est, o.link);
  EXPECT_EQ(fit_after.errors, fit_before.errors);
  EXPECT_NEAR(fit_after.log_likelihood, fit_before.log_likelihood, 1e-6);
}

TEST(Identification, FlippingTheReferenceFlipsDimensionOne) {
  const auto s = make_synthetic(80, 120, 1, 0.1, 4);
  EstimatorOptions o;
  o.dims = 1;
  IdealPoints a = estimate_ideal_points(s.obs, o);
  IdealPoints b = a;
  identify(a, 0);
  identify(b, 1);
  if ((a.positions(0, 0) > 0) == (a.positions(1, 0) > 0)) GTEST_SKIP() << "same side";
  EXPECT_LT((a.positions + b.positions).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(Estimator, IsDeterministic) {
  const auto s = make_synthetic(60, 100, 2, 0.1, 8);
  const EstimatorOptions o;
  const IdealPoints a = estimate_ideal_points(s.obs, o);
  const IdealPoints b = estimate_ideal_points(s.obs, o);
  EXPECT_EQ(a.iterations, b.iterations);
  EXPECT_TRUE(a.positions == b.positions);
}

// From a start whose linear predictors reach +-1e5 (far past exp's range), the logit cell
// terms must stay finite (F(eta) (1 - F(eta)) once came out 0 x inf = NaN below -709.8)
// and the estimator must climb back to the same mode as from its own start.
TEST(Estimator, StartFarOutsideExpRangeStaysFiniteAndConverges) {
  const auto s = make_synthetic(80, 120, 2, 0.1, 13);
  EstimatorOptions o;
  const IdealPoints good = estimate_ideal_points(s.obs, o);
  IdealPoints start = good;
  start.positions *= 300.0;
  start.discrimination *= 300.0;
  const IdealPoints est = estimate_ideal_points(s.obs, o, &start);
  EXPECT_TRUE(est.converged);
  EXPECT_TRUE(est.positions.allFinite());
  EXPECT_TRUE(est.discrimination.allFinite());
  EXPECT_TRUE(std::isfinite(est.log_posterior));
  EXPECT_NEAR(est.log_posterior, good.log_posterior, 1e-5 * std::abs(good.log_posterior));
}

TEST(Estimator, NonFiniteStartIsRefused) {
  const auto s = make_synthetic(40, 60, 1, 0.1, 14);
  EstimatorOptions o;
  o.dims = 1;
  IdealPoints start = estimate_ideal_points(s.obs, o);
  start.positions(2, 0) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(estimate_ideal_points(s.obs, o, &start), DataError);
}

TEST(CellTerms, ExtremeLinearPredictors) {
  for (const Link link : {Link::kLogit, Link::kProbit}) {
    for (const double eta : {-1e5, -800.0, -40.0, 40.0, 800.0, 1e5}) {
      const double yes = cell_log_likelihood(link, true, eta);
      const double no = cell_log_likelihood(link, false, eta);
      EXPECT_TRUE(std::isfinite(yes)) << link_name(link) << " " << eta;
      EXPECT_TRUE(std::isfinite(no)) << link_name(link) << " " << eta;
      EXPECT_LE(yes, 0.0);
      EXPECT_LE(no, 0.0);
      EXPECT_NEAR(eta > 0 ? yes : no, 0.0, 1e-15);  // the likely vote
    }
  }
}

TEST(FitStatistics, CountsErrorsAgainstTheMajority) {
  // Two roll calls, three members; the model predicts Yes everywhere.
  Observations obs{Eigen::ArrayXXd(3, 2), Eigen::ArrayXXd::Ones(3, 2), Eigen::ArrayXXd()};
  obs.yes << 1, 1, 1, 0, 0, 0;
  IdealPoints est;
  est.positions = Eigen::MatrixXd::Zero(3, 1);
  est.intercept = Eigen::VectorXd::Ones(2);
  est.discrimination = Eigen::MatrixXd::Zero(2, 1);
  const FitStatistics f = compute_fit(obs, est, Link::kLogit);
  EXPECT_EQ(f.cells, 6);
  EXPECT_EQ(f.errors, 3);           // one No on roll call 1, two on roll call 2
  EXPECT_EQ(f.majority_errors, 2);  // minorities of 1 and 1
  EXPECT_DOUBLE_EQ(f.pcc, 0.5);
  EXPECT_DOUBLE_EQ(f.apre, -0.5);
  EXPECT_NEAR(f.log_likelihood,
              3 * std::log(1 / (1 + std::exp(-1.0))) + 3 * std::log(1 - 1 / (1 + std::exp(-1.0))),
              1e-12);
}

TEST(Resample, BootstrapStandardErrorsAreSmallButPositive) {
  const auto s = make_synthetic(60, 150, 1, 0.1, 9);
  EstimatorOptions o;
  o.dims = 1;
  IdealPoints est = estimate_ideal_points(s.obs, o);
  const Identification id = identify(est, 0);
  const Eigen::MatrixXd se = bootstrap_standard_errors(s.obs, est, o, 20, 1);
  const Eigen::MatrixXd curvature = curvature_standard_errors(s.obs, est, id, o.link, 1.0);
  EXPECT_GT(se.minCoeff(), 0.0);
  EXPECT_LT(se.mean(), 0.5);
  // The two estimates of uncertainty agree in size (within a factor of 2 on average).
  EXPECT_NEAR(se.mean() / curvature.mean(), 1.0, 0.5);
}

TEST(Resample, HoldoutPccIsNearTheInSamplePcc) {
  const auto s = make_synthetic(100, 200, 1, 0.1, 10);
  EstimatorOptions o;
  o.dims = 1;
  const Holdout h = holdout_pcc(s.obs, o, 0.1, 2);
  const long observed = static_cast<long>(s.obs.observed.sum());
  EXPECT_EQ(h.cells, std::lround(0.1 * static_cast<double>(observed)));
  const IdealPoints est = estimate_ideal_points(s.obs, o);
  const FitStatistics fit = compute_fit(s.obs, est, o.link);
  // Out of sample the model still beats voting with the majority, and does no better
  // than in sample.
  EXPECT_GT(h.pcc, fit.majority_pcc + 0.05);
  EXPECT_LT(h.pcc, fit.pcc + 0.01);
}

TEST(EstimatorErrors, TooFewRollCallsOrMembersAndBadDims) {
  const auto s = make_synthetic(30, 15, 1, 0.0, 1);
  EstimatorOptions o;
  o.dims = 2;
  try {
    estimate_ideal_points(s.obs, o);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(),
                 "too few roll calls for 2 dimensions: 15 left after the cuts, need at "
                 "least 20 (10 per dimension)");
  }
  o.dims = 4;
  try {
    estimate_ideal_points(s.obs, o);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "--dims 4: expected 1, 2 or 3 dimensions");
  }
}

TEST(FitRollCall, RecoversAKnownCutLine) {
  const auto s = make_synthetic(200, 1, 1, 0.0, 12);
  Eigen::VectorXd yes(200);
  for (int i = 0; i < 200; ++i) yes(i) = s.positions(i, 0) > 0.3 ? 1.0 : 0.0;
  EstimatorOptions o;
  const Eigen::VectorXd theta = fit_roll_call(s.positions, yes, o);
  EXPECT_GT(theta(1), 3.0);
  EXPECT_NEAR(-theta(0) / theta(1), 0.3, 0.1);  // the cut point
}

}  // namespace
}  // namespace plenary::calibrate
