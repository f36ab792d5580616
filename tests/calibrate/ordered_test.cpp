// The ordered Yes/Abstain/No model: recovery of known positions and cutpoints,
// identification, fit figures over three votes, bad input.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>

#include "calibrate/test_data.hpp"
#include "plenary/calibrate/ideal_point_fit.hpp"
#include "plenary/calibrate/ideal_points.hpp"
#include "plenary/calibrate/resample.hpp"
#include "plenary/util/error.hpp"

namespace plenary::calibrate {
namespace {

using testing::correlation;
using testing::make_ordered_synthetic;
using testing::recovery;

EstimatorOptions ordered(int dims) {
  EstimatorOptions o;
  o.dims = dims;
  o.model = IdealPointModel::kOrdered;
  return o;
}

class OrderedRecovery : public ::testing::TestWithParam<int> {};

// 190 members x 400 roll calls, 10% of the cells missing: about the size of a few sessions.
TEST_P(OrderedRecovery, RealisticSizeRecoversKnownPositionsAndCutpoints) {
  const int dims = GetParam();
  const auto s = make_ordered_synthetic(190, 400, dims, 0.1, 21);
  const double abstentions = s.obs.abstain.sum() / s.obs.observed.sum();
  ASSERT_GT(abstentions, 0.1);  // the model has abstentions to fit
  IdealPoints est = estimate_ideal_points(s.obs, ordered(dims));
  ASSERT_TRUE(est.converged);
  ASSERT_TRUE(est.ordered());
  identify(est, 0);
  EXPECT_GT(recovery(s.positions, est.positions), 0.95);
  // The distance between the cutpoints, c - a, is unchanged by identification.
  const Eigen::VectorXd gap = est.abstain_intercept - est.intercept;
  EXPECT_GT(gap.minCoeff(), 0.0);
  EXPECT_GT(correlation(gap, s.abstain_intercept - s.intercept), 0.9);
  // Each cutpoint, as the point of the roll call's direction where the vote changes: on the
  // scale of the true b.x, the estimated and true a + b.x and c + b.x agree cell by cell.
  const Eigen::MatrixXd true_eta = s.positions * s.discrimination.transpose();
  const Eigen::MatrixXd eta = est.linear_predictor();
  Eigen::VectorXd a_true(true_eta.size()), a_est(true_eta.size());
  Eigen::VectorXd c_true(true_eta.size()), c_est(true_eta.size());
  for (Eigen::Index j = 0, k = 0; j < eta.cols(); ++j) {
    for (Eigen::Index i = 0; i < eta.rows(); ++i, ++k) {
      a_true(k) = s.intercept(j) + true_eta(i, j);
      c_true(k) = s.abstain_intercept(j) + true_eta(i, j);
      a_est(k) = eta(i, j);
      c_est(k) = eta(i, j) + gap(j);
    }
  }
  EXPECT_GT(correlation(a_true, a_est), 0.95);
  EXPECT_GT(correlation(c_true, c_est), 0.95);
}

INSTANTIATE_TEST_SUITE_P(Dims, OrderedRecovery, ::testing::Values(1, 2));

TEST(OrderedRecovery, ImprovesAsRollCallsAreAdded) {
  double previous = 0.0;
  for (const int roll_calls : {20, 80, 320}) {
    const auto s = make_ordered_synthetic(150, roll_calls, 1, 0.1, 22);
    IdealPoints est = estimate_ideal_points(s.obs, ordered(1));
    identify(est, 0);
    const double r = recovery(s.positions, est.positions);
    EXPECT_GT(r, previous) << roll_calls << " roll calls";
    previous = r;
  }
  EXPECT_GT(previous, 0.97);
}

TEST(OrderedIdentification, CentredUnitVarianceReferencePositiveAndPredictionsUnchanged) {
  const auto s = make_ordered_synthetic(120, 200, 2, 0.1, 23);
  const EstimatorOptions o = ordered(2);
  IdealPoints est = estimate_ideal_points(s.obs, o);
  const FitStatistics before = compute_fit(s.obs, est, o.link);
  const Eigen::VectorXd gap_before = est.abstain_intercept - est.intercept;
  const Eigen::MatrixXd eta_before = est.linear_predictor();
  const Eigen::Index reference = 5;
  identify(est, reference);
  const Eigen::MatrixXd& x = est.positions;
  const Eigen::MatrixXd centred = x.rowwise() - x.colwise().mean();
  const Eigen::MatrixXd cov = centred.transpose() * centred / static_cast<double>(x.rows());
  EXPECT_LT(x.colwise().mean().cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_LT((cov - Eigen::MatrixXd::Identity(2, 2)).cwiseAbs().maxCoeff(), 1e-10);
  EXPECT_GT(x(reference, 0), 0.0);
  Eigen::Index far = 0;
  x.col(1).cwiseAbs().maxCoeff(&far);
  EXPECT_GT(x(far, 1), 0.0);
  // Both intercepts moved with the positions: every prediction is unchanged.
  EXPECT_LT((est.linear_predictor() - eta_before).cwiseAbs().maxCoeff(), 1e-9);
  EXPECT_LT((est.abstain_intercept - est.intercept - gap_before).cwiseAbs().maxCoeff(), 1e-9);
  const FitStatistics after = compute_fit(s.obs, est, o.link);
  EXPECT_EQ(after.errors, before.errors);
  EXPECT_NEAR(after.log_likelihood, before.log_likelihood, 1e-6);
}

TEST(OrderedEstimator, IsDeterministicAndBeatsTheModalVote) {
  const auto s = make_ordered_synthetic(80, 150, 2, 0.1, 24);
  const IdealPoints a = estimate_ideal_points(s.obs, ordered(2));
  const IdealPoints b = estimate_ideal_points(s.obs, ordered(2));
  EXPECT_EQ(a.iterations, b.iterations);
  EXPECT_TRUE(a.positions == b.positions);
  const FitStatistics fit = compute_fit(s.obs, a, Link::kLogit);
  EXPECT_EQ(fit.cells, static_cast<long>(s.obs.observed.sum()));  // abstentions count
  EXPECT_GT(fit.apre, 0.3);
  EXPECT_GT(fit.pcc, fit.majority_pcc);
}

// A roll call with no abstentions has its cutpoints on top of each other in the likelihood;
// the barrier keeps them ordered and finite.
TEST(OrderedEstimator, RollCallsWithoutAbstentionsStayOrdered) {
  auto s = make_ordered_synthetic(100, 60, 1, 0.0, 25);
  for (const Eigen::Index j : {3, 17, 40}) {
    s.obs.abstain.col(j).setZero();
    s.obs.observed.col(j).setOnes();
  }
  const IdealPoints est = estimate_ideal_points(s.obs, ordered(1));
  EXPECT_TRUE(est.converged);
  EXPECT_TRUE(est.abstain_intercept.allFinite());
  EXPECT_GT((est.abstain_intercept - est.intercept).minCoeff(), 0.0);
  const FitStatistics fit = compute_fit(s.obs, est, Link::kLogit);
  EXPECT_TRUE(std::isfinite(fit.log_likelihood));
}

TEST(OrderedFit, CountsErrorsAgainstTheModalVote) {
  // Three members, two roll calls; a = -1, c = 1 and b = 0 everywhere: P(Abstain) =
  // F(1) - F(-1) = 0.46 is the modal vote, so Abstain is predicted for every cell.
  Observations obs{Eigen::ArrayXXd::Zero(3, 2), Eigen::ArrayXXd::Ones(3, 2),
                   Eigen::ArrayXXd::Zero(3, 2)};
  obs.yes(0, 0) = obs.yes(1, 0) = 1.0;  // roll call 1: Yes, Yes, No
  obs.abstain(0, 1) = 1.0;              // roll call 2: Abstain, No, No
  IdealPoints est;
  est.positions = Eigen::MatrixXd::Zero(3, 1);
  est.intercept = Eigen::VectorXd::Constant(2, -1.0);
  est.abstain_intercept = Eigen::VectorXd::Constant(2, 1.0);
  est.discrimination = Eigen::MatrixXd::Zero(2, 1);
  const FitStatistics f = compute_fit(obs, est, Link::kLogit);
  EXPECT_EQ(f.cells, 6);
  EXPECT_EQ(f.errors, 5);           // only the first member's abstention is right
  EXPECT_EQ(f.majority_errors, 2);  // 1 off the modal Yes, 1 off the modal No
  EXPECT_DOUBLE_EQ(f.pcc, 1.0 / 6.0);
  EXPECT_DOUBLE_EQ(f.apre, -1.5);
  const double yes = 1.0 / (1.0 + std::exp(1.0));  // F(-1)
  const double no = 1.0 - 1.0 / (1.0 + std::exp(-1.0));
  const double abstain = 1.0 - yes - no;
  EXPECT_NEAR(f.log_likelihood, 2 * std::log(yes) + 3 * std::log(no) + std::log(abstain), 1e-12);
  const OrderedProbabilities p = ordered_probabilities(-1.0, 1.0);
  EXPECT_NEAR(p.yes + p.abstain + p.no, 1.0, 1e-15);
  EXPECT_EQ(ordered_prediction(-1.0, 1.0), Vote::kAbstain);
  EXPECT_EQ(ordered_prediction(3.0, 5.0), Vote::kYes);
  EXPECT_EQ(ordered_prediction(-5.0, -3.0), Vote::kNo);
}

TEST(OrderedProbabilities, FiniteAndExactInTheTails) {
  for (const double a : {-800.0, -40.0, 0.0, 40.0, 800.0}) {
    const OrderedProbabilities p = ordered_probabilities(a, a + 0.5);
    EXPECT_NEAR(p.yes + p.abstain + p.no, 1.0, 1e-12) << a;
    EXPECT_GE(p.abstain, 0.0);
  }
  // Far in the upper tail the Abstain probability is tiny but not cancelled to 0.
  EXPECT_GT(ordered_probabilities(40.0, 41.0).abstain, 0.0);
}

TEST(OrderedResample, HoldoutAndBootstrapRun) {
  const auto s = make_ordered_synthetic(60, 120, 1, 0.1, 26);
  const EstimatorOptions o = ordered(1);
  const Holdout h = holdout_pcc(s.obs, o, 0.1, 3);
  EXPECT_TRUE(h.converged);
  EXPECT_EQ(h.cells, std::lround(0.1 * s.obs.observed.sum()));
  IdealPoints est = estimate_ideal_points(s.obs, o);
  const FitStatistics fit = compute_fit(s.obs, est, o.link);
  EXPECT_GT(h.pcc, fit.majority_pcc);
  EXPECT_LT(h.pcc, fit.pcc + 0.02);
  const Identification id = identify(est, 0);
  const Eigen::MatrixXd se = bootstrap_standard_errors(s.obs, est, o, 10, 4);
  const Eigen::MatrixXd curvature = curvature_standard_errors(s.obs, est, id, o.link, 1.0);
  EXPECT_GT(se.minCoeff(), 0.0);
  EXPECT_NEAR(se.mean() / curvature.mean(), 1.0, 0.5);
}

TEST(OrderedErrors, ProbitMismatchedObservationsAndUnorderedStart) {
  const auto s = make_ordered_synthetic(40, 40, 1, 0.0, 27);
  EstimatorOptions o = ordered(1);
  o.link = Link::kProbit;
  EXPECT_THROW(estimate_ideal_points(s.obs, o), UsageError);
  Observations binary{s.obs.yes, s.obs.observed - s.obs.abstain, Eigen::ArrayXXd()};
  EXPECT_THROW(estimate_ideal_points(binary, ordered(1)), UsageError);
  EXPECT_THROW(estimate_ideal_points(s.obs, EstimatorOptions{}), UsageError);
  IdealPoints start = estimate_ideal_points(s.obs, ordered(1));
  start.abstain_intercept(2) = start.intercept(2) - 1.0;
  EXPECT_THROW(estimate_ideal_points(s.obs, ordered(1), &start), DataError);
  const auto few = make_ordered_synthetic(40, 25, 3, 0.0, 28);
  EXPECT_THROW(estimate_ideal_points(few.obs, ordered(3)), DataError);  // 25 < 3 x 10 roll calls
}

}  // namespace
}  // namespace plenary::calibrate
