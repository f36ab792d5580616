// CMA-ES over the unit box (include/plenary/fit/cmaes.hpp), following the update equations
// of Hansen's tutorial (arXiv:1604.00772, appendix A) with its default constants.

#include "plenary/fit/cmaes.hpp"

#include <fmt/format.h>

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

#include "plenary/core/random.hpp"
#include "plenary/util/assert.hpp"

namespace plenary {

namespace {

// Standard normal deviates from a counter-based stream (SplitMix64 of a counter, then
// Box-Muller), so the search is the same on every run and platform.
class Normals {
 public:
  explicit Normals(std::uint64_t seed) : key_(mix64(seed ^ 0x636d612d65732121ULL)) {}

  double next() {
    if (have_spare_) {
      have_spare_ = false;
      return spare_;
    }
    const std::uint64_t w = mix64(key_ + mix64(++counter_));
    const double u1 = to_uniform(static_cast<std::uint32_t>(w));
    const double u2 = to_uniform(static_cast<std::uint32_t>(w >> 32));
    const double r = std::sqrt(-2 * std::log(u1));
    const double a = 2 * std::numbers::pi * u2;
    spare_ = r * std::sin(a);
    have_spare_ = true;
    return r * std::cos(a);
  }

 private:
  std::uint64_t key_;
  std::uint64_t counter_ = 0;
  double spare_ = 0;
  bool have_spare_ = false;
};

// The strategy's constants for dimension n and population lambda (tutorial, table 1).
struct Constants {
  int lambda = 0;
  int mu = 0;
  Eigen::VectorXd weights;
  double mueff = 0, cc = 0, cs = 0, c1 = 0, cmu = 0, damps = 0, chi_n = 0;

  Constants(int n, int population) {
    const double dn = n;
    lambda = population > 0 ? population : 4 + static_cast<int>(std::floor(3 * std::log(dn)));
    lambda = std::max(lambda, 2);
    mu = lambda / 2;
    weights.resize(mu);
    for (int i = 0; i < mu; ++i) weights[i] = std::log(mu + 0.5) - std::log(i + 1.0);
    weights /= weights.sum();
    mueff = 1 / weights.squaredNorm();
    cc = (4 + mueff / dn) / (dn + 4 + 2 * mueff / dn);
    cs = (mueff + 2) / (dn + mueff + 5);
    c1 = 2 / ((dn + 1.3) * (dn + 1.3) + mueff);
    cmu = std::min(1 - c1, 2 * (mueff - 2 + 1 / mueff) / ((dn + 2) * (dn + 2) + mueff));
    damps = 1 + 2 * std::max(0.0, std::sqrt((mueff - 1) / (dn + 1)) - 1) + cs;
    chi_n = std::sqrt(dn) * (1 - 1 / (4 * dn) + 1 / (21 * dn * dn));
  }
};

}  // namespace

std::string stop_reason_text(StopReason reason) {
  switch (reason) {
    case StopReason::kConverged:
      return "converged (the search steps fell below the tolerance)";
    case StopReason::kStalled:
      return "stalled (the best value stopped improving)";
    case StopReason::kBudget:
      return "used its share of the evaluation budget (--max-evals)";
    case StopReason::kTarget:
      return "reached the objective's target value";
  }
  return "?";
}

Eigen::VectorXd reflect_into_unit_box(const Eigen::VectorXd& y) {
  Eigen::VectorXd u(y.size());
  for (Eigen::Index k = 0; k < y.size(); ++k) {
    double t = std::fmod(y[k], 2.0);
    if (t < 0) t += 2;
    u[k] = t > 1 ? 2 - t : t;
  }
  return u;
}

CmaesResult minimise_cmaes(const BatchObjective& f, const Eigen::VectorXd& start,
                           const CmaesOptions& options) {
  const int n = static_cast<int>(start.size());
  PLENARY_ASSERT(n >= 1);
  const Constants k(n, options.population);
  const int stall = options.stall_generations > 0
                        ? options.stall_generations
                        : 30 + static_cast<int>(std::ceil(100.0 * n / k.lambda));
  Normals normals(options.seed);

  CmaesResult result;
  result.best = start;
  result.best_value = f({start}).at(0);
  result.evaluations = 1;

  Eigen::VectorXd mean = start;
  double sigma = options.sigma0;
  Eigen::MatrixXd c = Eigen::MatrixXd::Identity(n, n);
  Eigen::VectorXd pc = Eigen::VectorXd::Zero(n);
  Eigen::VectorXd ps = Eigen::VectorXd::Zero(n);
  int since_improvement = 0;

  for (int g = 0;; ++g) {
    if (result.best_value <= options.target_value) {
      result.reason = StopReason::kTarget;
      break;
    }
    if (result.evaluations + k.lambda > options.max_evaluations) {
      result.reason = StopReason::kBudget;
      break;
    }
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(c);
    const Eigen::MatrixXd b = eigen.eigenvectors();
    const Eigen::VectorXd d = eigen.eigenvalues().cwiseMax(1e-300).cwiseSqrt();

    // Sample lambda points y = m + sigma B D z and evaluate them mirrored into the box.
    Eigen::MatrixXd ys(n, k.lambda);
    std::vector<Eigen::VectorXd> points;
    for (int j = 0; j < k.lambda; ++j) {
      Eigen::VectorXd z(n);
      for (int i = 0; i < n; ++i) z[i] = normals.next();
      ys.col(j) = mean + sigma * (b * d.cwiseProduct(z));
      points.push_back(reflect_into_unit_box(ys.col(j)));
    }
    const std::vector<double> values = f(points);
    PLENARY_ASSERT(static_cast<int>(values.size()) == k.lambda);
    result.evaluations += k.lambda;
    result.generations = g + 1;
    std::vector<int> order(static_cast<std::size_t>(k.lambda));
    std::iota(order.begin(), order.end(), 0);
    // NaN sorts last, so a broken evaluation never steers the search.
    const auto key = [&](int j) {
      const double v = values[static_cast<std::size_t>(j)];
      return std::isnan(v) ? HUGE_VAL : v;
    };
    std::stable_sort(order.begin(), order.end(), [&](int a, int b2) { return key(a) < key(b2); });
    const double best_now = key(order[0]);
    if (best_now < result.best_value) {
      result.best_value = best_now;
      result.best = points[static_cast<std::size_t>(order[0])];
      since_improvement = 0;
    } else {
      ++since_improvement;
    }

    // Recombination, evolution paths, covariance and step size (tutorial, eqs. 39-47).
    const Eigen::VectorXd old_mean = mean;
    mean.setZero();
    for (int i = 0; i < k.mu; ++i)
      mean += k.weights[i] * ys.col(order[static_cast<std::size_t>(i)]);
    const Eigen::VectorXd yw = (mean - old_mean) / sigma;
    const Eigen::MatrixXd inv_sqrt_c = b * d.cwiseInverse().asDiagonal() * b.transpose();
    ps = (1 - k.cs) * ps + std::sqrt(k.cs * (2 - k.cs) * k.mueff) * (inv_sqrt_c * yw);
    const double ps_norm = ps.norm();
    const bool hsig =
        ps_norm / std::sqrt(1 - std::pow(1 - k.cs, 2.0 * (g + 1))) / k.chi_n < 1.4 + 2.0 / (n + 1);
    pc = (1 - k.cc) * pc + (hsig ? std::sqrt(k.cc * (2 - k.cc) * k.mueff) : 0.0) * yw;
    Eigen::MatrixXd rank_mu = Eigen::MatrixXd::Zero(n, n);
    for (int i = 0; i < k.mu; ++i) {
      const Eigen::VectorXd y = (ys.col(order[static_cast<std::size_t>(i)]) - old_mean) / sigma;
      rank_mu += k.weights[i] * y * y.transpose();
    }
    c = (1 - k.c1 - k.cmu) * c +
        k.c1 * (pc * pc.transpose() + (hsig ? 0.0 : k.cc * (2 - k.cc)) * c) + k.cmu * rank_mu;
    c = 0.5 * (c + c.transpose()).eval();
    sigma *= std::exp(std::min(1.0, k.cs / k.damps * (ps_norm / k.chi_n - 1)));
    // Flat fitness (common random numbers make the objective piecewise constant at small
    // scales): when most of the generation ties with the best, widen the search.
    const int q = std::min(k.lambda - 1, static_cast<int>(std::ceil(0.7 * k.lambda)));
    if (key(order[0]) == key(order[static_cast<std::size_t>(q)])) {
      sigma *= std::exp(0.2 + k.cs / k.damps);
    }
    sigma = std::min(sigma, 1.0);

    const double step = sigma * std::sqrt(c.diagonal().maxCoeff());
    if (step < options.tol_x && sigma * pc.cwiseAbs().maxCoeff() < options.tol_x) {
      result.reason = StopReason::kConverged;
      break;
    }
    if (since_improvement >= stall) {
      result.reason = StopReason::kStalled;
      break;
    }
  }
  return result;
}

}  // namespace plenary
