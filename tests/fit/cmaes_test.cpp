// CMA-ES over the unit box: convergence, bounds by reflection, budget, determinism.
#include "plenary/fit/cmaes.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace plenary {
namespace {

BatchObjective each(std::function<double(const Eigen::VectorXd&)> f) {
  return [f](const std::vector<Eigen::VectorXd>& xs) {
    std::vector<double> v;
    for (const auto& x : xs) {
      for (Eigen::Index k = 0; k < x.size(); ++k) {
        EXPECT_GE(x[k], 0.0);  // every evaluation is inside the box
        EXPECT_LE(x[k], 1.0);
      }
      v.push_back(f(x));
    }
    return v;
  };
}

TEST(Cmaes, ReflectsIntoTheBox) {
  Eigen::VectorXd y(6);
  y << 0.25, 1.25, -0.25, 2.25, -1.75, 1.0;
  Eigen::VectorXd u(6);
  u << 0.25, 0.75, 0.25, 0.25, 0.25, 1.0;
  EXPECT_TRUE(reflect_into_unit_box(y).isApprox(u, 1e-15)) << reflect_into_unit_box(y).transpose();
}

TEST(Cmaes, FindsTheMinimumOfAnIllConditionedQuadratic) {
  Eigen::VectorXd optimum(4);
  optimum << 0.3, 0.7, 0.5, 0.1;
  const auto f = [&](const Eigen::VectorXd& x) {
    double s = 0;
    for (Eigen::Index k = 0; k < x.size(); ++k) {
      s += std::pow(100.0, static_cast<double>(k) / 3) * (x[k] - optimum[k]) * (x[k] - optimum[k]);
    }
    return s;
  };
  CmaesOptions o;
  o.max_evaluations = 4000;
  const CmaesResult r = minimise_cmaes(each(f), Eigen::VectorXd::Constant(4, 0.9), o);
  EXPECT_EQ(r.reason, StopReason::kConverged);
  EXPECT_LT((r.best - optimum).cwiseAbs().maxCoeff(), 1e-3) << r.best.transpose();
  EXPECT_LE(r.evaluations, o.max_evaluations);
}

TEST(Cmaes, FindsAMinimumOnTheBoundary) {
  const auto f = [](const Eigen::VectorXd& x) {
    return (x - Eigen::Vector2d(1.5, -0.2)).squaredNorm();
  };
  const CmaesResult r = minimise_cmaes(each(f), Eigen::Vector2d(0.5, 0.5), {});
  EXPECT_LT((r.best - Eigen::Vector2d(1, 0)).cwiseAbs().maxCoeff(), 1e-3) << r.best.transpose();
}

TEST(Cmaes, StopsAtTheBudgetAndNeverReturnsWorseThanTheStart) {
  int calls = 0;
  const BatchObjective f = [&](const std::vector<Eigen::VectorXd>& xs) {
    calls += static_cast<int>(xs.size());
    return std::vector<double>(xs.size(), 1.0);  // flat: nothing is better than the start
  };
  CmaesOptions o;
  o.max_evaluations = 20;
  const CmaesResult r = minimise_cmaes(f, Eigen::Vector3d(0.1, 0.2, 0.3), o);
  EXPECT_LE(r.evaluations, 20);
  EXPECT_EQ(r.evaluations, calls);
  EXPECT_EQ(r.best, Eigen::Vector3d(0.1, 0.2, 0.3));
  EXPECT_TRUE(r.reason == StopReason::kBudget || r.reason == StopReason::kStalled);
}

TEST(Cmaes, TheSameSeedGivesTheSameSearch) {
  const auto f = [](const Eigen::VectorXd& x) {
    return std::abs(x[0] - 0.2) + std::abs(x[1] - 0.6);
  };
  CmaesOptions o;
  o.max_evaluations = 60;
  const CmaesResult a = minimise_cmaes(each(f), Eigen::Vector2d(0.9, 0.9), o);
  const CmaesResult b = minimise_cmaes(each(f), Eigen::Vector2d(0.9, 0.9), o);
  EXPECT_EQ(a.best, b.best);
  EXPECT_EQ(a.evaluations, b.evaluations);
  o.seed = 1;
  EXPECT_NE(minimise_cmaes(each(f), Eigen::Vector2d(0.9, 0.9), o).best, a.best);
}

}  // namespace
}  // namespace plenary
