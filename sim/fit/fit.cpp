// The search and its uncertainty (include/plenary/fit/fit.hpp).

#include "plenary/fit/fit.hpp"

#include <Eigen/SVD>
#include <chrono>
#include <cmath>
#include <limits>

#include "plenary/util/assert.hpp"

namespace plenary {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A coordinate whose null-space component is below this (squared, of a unit vector) is
// identified; structural non-identification gives components of order 1.
constexpr double kNullComponent = 1e-6;
// Singular values below this fraction of the largest count as zero.
constexpr double kRankTolerance = 1e-9;

}  // namespace

int default_max_evaluations(int n) { return 200 + 100 * n; }

Uncertainty gauss_newton_uncertainty(const FitProblem& problem, const Evaluator& evaluate,
                                     const Candidate& x, const std::vector<double>& scales,
                                     double step) {
  const int n = problem.size();
  const int m = static_cast<int>(problem.targets().size());
  Uncertainty u;
  u.step = step * (problem.upper() - problem.lower());
  // Central differences, one-sided where a step would cross a bound.
  std::vector<Candidate> points;
  Eigen::VectorXd spans(n);
  for (int i = 0; i < n; ++i) {
    Candidate plus = x;
    Candidate minus = x;
    plus[i] = std::min(x[i] + u.step[i], problem.upper()[i]);
    minus[i] = std::max(x[i] - u.step[i], problem.lower()[i]);
    spans[i] = plus[i] - minus[i];
    points.push_back(plus);
    points.push_back(minus);
  }
  const std::vector<Achieved> achieved = evaluate(points);
  PLENARY_ASSERT(static_cast<int>(achieved.size()) == 2 * n);
  u.evaluations = 2 * n;
  u.jacobian.resize(m, n);
  Eigen::MatrixXd scaled(m, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < m; ++j) {
      const auto jj = static_cast<std::size_t>(j);
      u.jacobian(j, i) = (achieved[2 * static_cast<std::size_t>(i)].value[jj] -
                          achieved[2 * static_cast<std::size_t>(i) + 1].value[jj]) /
                         spans[i];
      scaled(j, i) = u.jacobian(j, i) / scales[jj];
    }
  }

  const Eigen::JacobiSVD<Eigen::MatrixXd> svd(scaled, Eigen::ComputeFullV);
  const Eigen::VectorXd sv = svd.singularValues();
  const double largest = sv.size() > 0 ? sv[0] : 0.0;
  u.rank = 0;
  for (Eigen::Index k = 0; k < sv.size(); ++k) {
    if (largest > 0 && sv[k] > kRankTolerance * largest) ++u.rank;
  }
  const Eigen::MatrixXd v = svd.matrixV();
  const Eigen::MatrixXd null_space = v.rightCols(n - u.rank);
  const Eigen::MatrixXd range = v.leftCols(u.rank);
  const Eigen::VectorXd inverse_squares =
      sv.head(u.rank).array().square().inverse().matrix();
  u.covariance = range * inverse_squares.asDiagonal() * range.transpose();
  u.se.resize(n);
  u.identified.assign(static_cast<std::size_t>(n), false);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (int i = 0; i < n; ++i) {
    const bool identified = null_space.row(i).squaredNorm() < kNullComponent;
    u.identified[static_cast<std::size_t>(i)] = identified;
    u.se[i] = identified ? std::sqrt(u.covariance(i, i)) : nan;
  }
  for (int i = 0; i < n; ++i) {
    if (u.identified[static_cast<std::size_t>(i)]) continue;
    u.covariance.row(i).setConstant(nan);
    u.covariance.col(i).setConstant(nan);
  }
  return u;
}

FitResult fit(const FitProblem& problem, const Evaluator& evaluate, const FitOptions& options) {
  const int n = problem.size();
  const Eigen::VectorXd width = problem.upper() - problem.lower();
  const auto to_coordinates = [&](const Eigen::VectorXd& unit) -> Candidate {
    return (problem.lower() + unit.cwiseProduct(width)).cwiseMax(problem.lower()).cwiseMin(
        problem.upper());
  };
  CmaesOptions cmaes;
  cmaes.max_evaluations =
      options.max_evaluations > 0 ? options.max_evaluations : default_max_evaluations(n);
  cmaes.seed = problem.settings().seed;

  FitResult r;
  bool first = true;
  int evaluations = 0;
  double best = std::numeric_limits<double>::infinity();
  const BatchObjective objective = [&](const std::vector<Eigen::VectorXd>& units) {
    std::vector<Candidate> xs;
    for (const Eigen::VectorXd& unit : units) xs.push_back(to_coordinates(unit));
    const std::vector<Achieved> as = evaluate(xs);
    PLENARY_ASSERT(as.size() == xs.size());
    std::vector<double> values;
    for (std::size_t k = 0; k < as.size(); ++k) {
      const double f = problem.objective(as[k]);
      values.push_back(f);
      if (first) {
        r.start = xs[k];
        r.start_achieved = as[k];
        r.start_objective = f;
        first = false;
      }
      // Strictly better only, as the search itself keeps the first of equal values.
      if (f < best) {
        best = f;
        r.fitted = xs[k];
        r.achieved = as[k];
      }
    }
    evaluations += static_cast<int>(as.size());
    if (options.progress) options.progress(evaluations, cmaes.max_evaluations, best);
    return values;
  };

  const Eigen::VectorXd start_unit =
      ((problem.start() - problem.lower()).cwiseQuotient(width)).cwiseMax(0.0).cwiseMin(1.0);
  const auto search_start = Clock::now();
  const CmaesResult search = minimise_cmaes(objective, start_unit, cmaes);
  r.search_seconds = seconds_since(search_start);
  r.search_evaluations = search.evaluations;
  r.generations = search.generations;
  r.stop = search.reason;
  PLENARY_ASSERT(r.fitted == to_coordinates(search.best));

  r.objective = problem.objective(r.achieved);
  r.scales = problem.scales(r.achieved);
  r.distances = problem.distances(r.achieved);
  for (int i = 0; i < n; ++i) {
    const double unit = (r.fitted[i] - problem.lower()[i]) / width[i];
    r.at_bound.push_back(unit < 1e-3 || unit > 1 - 1e-3);
  }
  if (!options.skip_uncertainty) {
    const auto uncertainty_start = Clock::now();
    r.uncertainty = gauss_newton_uncertainty(problem, evaluate, r.fitted, r.scales, options.step);
    r.uncertainty_seconds = seconds_since(uncertainty_start);
  }
  return r;
}

}  // namespace plenary
