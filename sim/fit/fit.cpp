// The search and its uncertainty (include/plenary/fit/fit.hpp).

#include "plenary/fit/fit.hpp"

#include <Eigen/Cholesky>
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

int default_max_evaluations(int n) { return 300 + 150 * n; }

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
  const Eigen::VectorXd inverse_squares = sv.head(u.rank).array().square().inverse().matrix();
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

namespace {

// Evaluates points of the unit box through the Evaluator, keeping the start's figures and
// the best candidate so far (strictly better only, as the search keeps the first of equal
// values).
class Tracker {
 public:
  Tracker(const FitProblem& problem, const Evaluator& evaluate, const FitOptions& options,
          int budget, FitResult& result)
      : problem_(problem),
        evaluate_(evaluate),
        options_(options),
        budget_(budget),
        r_(result),
        width_(problem.upper() - problem.lower()),
        start_unit_(((problem.start() - problem.lower()).cwiseQuotient(width_))
                        .cwiseMax(0.0)
                        .cwiseMin(1.0)) {}

  const Eigen::VectorXd& start_unit() const { return start_unit_; }
  int evaluations() const { return evaluations_; }

  Candidate to_coordinates(const Eigen::VectorXd& unit) const {
    // The start maps back to the scenario's own values exactly, not through rounding.
    if (unit == start_unit_) return problem_.start();
    return (problem_.lower() + unit.cwiseProduct(width_))
        .cwiseMax(problem_.lower())
        .cwiseMin(problem_.upper());
  }

  std::vector<Achieved> operator()(const std::vector<Eigen::VectorXd>& units) {
    std::vector<Candidate> xs;
    for (const Eigen::VectorXd& unit : units) xs.push_back(to_coordinates(unit));
    std::vector<Achieved> as = evaluate_(xs);
    PLENARY_ASSERT(as.size() == xs.size());
    for (std::size_t k = 0; k < as.size(); ++k) {
      const double f = problem_.objective(as[k]);
      if (evaluations_ == 0 && k == 0) {
        r_.start = xs[k];
        r_.start_achieved = as[k];
        r_.start_objective = f;
      }
      if (f < best_) {
        best_ = f;
        best_unit_ = units[k];
        r_.fitted = xs[k];
        r_.achieved = as[k];
      }
    }
    evaluations_ += static_cast<int>(as.size());
    if (options_.progress) options_.progress(evaluations_, budget_, best_);
    return as;
  }

  double best() const { return best_; }
  const Eigen::VectorXd& best_unit() const { return best_unit_; }

 private:
  const FitProblem& problem_;
  const Evaluator& evaluate_;
  const FitOptions& options_;
  int budget_;
  FitResult& r_;
  Eigen::VectorXd width_;
  Eigen::VectorXd start_unit_;
  int evaluations_ = 0;
  double best_ = std::numeric_limits<double>::infinity();
  Eigen::VectorXd best_unit_;
};

Eigen::VectorXd distance_vector(const FitProblem& problem, const Achieved& a) {
  const std::vector<double> d = problem.distances(a);
  return Eigen::Map<const Eigen::VectorXd>(d.data(), static_cast<Eigen::Index>(d.size()));
}

// Levenberg-Marquardt (Marquardt 1963, diagonal scaling) on the standardised distances from
// the best point, in the unit box, with central-difference Jacobians of step `h`: the
// objective is a sum of squares, so near a minimum this converges in a few iterations
// where an evolution strategy needs hundreds of evaluations. Returns the iterations done.
int polish(const FitProblem& problem, Tracker& track, int budget, double h) {
  const int n = problem.size();
  Eigen::VectorXd u = track.best_unit();
  Eigen::VectorXd r = distance_vector(problem, track({u}).at(0));
  double f = r.squaredNorm();
  double lambda = 1e-2;
  int iterations = 0;
  for (; track.evaluations() + 2 * n + 1 <= budget; ++iterations) {
    std::vector<Eigen::VectorXd> steps;
    Eigen::VectorXd spans(n);
    for (int i = 0; i < n; ++i) {
      Eigen::VectorXd plus = u, minus = u;
      plus[i] = std::min(1.0, u[i] + h);
      minus[i] = std::max(0.0, u[i] - h);
      spans[i] = plus[i] - minus[i];
      steps.push_back(plus);
      steps.push_back(minus);
    }
    const std::vector<Achieved> as = track(steps);
    Eigen::MatrixXd j(r.size(), n);
    for (int i = 0; i < n; ++i) {
      j.col(i) = (distance_vector(problem, as[2 * static_cast<std::size_t>(i)]) -
                  distance_vector(problem, as[2 * static_cast<std::size_t>(i) + 1])) /
                 spans[i];
    }
    const Eigen::MatrixXd a = j.transpose() * j;
    const Eigen::VectorXd g = j.transpose() * r;
    bool improved = false;
    while (!improved && lambda < 1e8 && track.evaluations() < budget) {
      Eigen::MatrixXd damped = a;
      damped.diagonal() += lambda * (a.diagonal().array() + 1e-12).matrix();
      const Eigen::VectorXd next = (u - damped.ldlt().solve(g)).cwiseMax(0.0).cwiseMin(1.0);
      const Eigen::VectorXd r_next = distance_vector(problem, track({next}).at(0));
      if (r_next.squaredNorm() < f) {
        improved = f - r_next.squaredNorm() > 1e-6 * f;
        u = next;
        r = r_next;
        f = r.squaredNorm();
        lambda = std::max(lambda / 3, 1e-9);
        if (!improved) return iterations + 1;  // converged: no meaningful progress left
      } else {
        lambda *= 4;
      }
    }
    if (!improved) return iterations;
  }
  return iterations;
}

}  // namespace

int default_polish_reserve(int budget) { return budget / 4; }

FitResult fit(const FitProblem& problem, const Evaluator& evaluate, const FitOptions& options) {
  const int n = problem.size();
  const int budget =
      options.max_evaluations > 0 ? options.max_evaluations : default_max_evaluations(n);
  FitResult r;
  Tracker track(problem, evaluate, options, budget, r);
  CmaesOptions cmaes;
  cmaes.max_evaluations = std::max(1, budget - default_polish_reserve(budget));
  cmaes.seed = problem.settings().seed;
  const BatchObjective objective = [&](const std::vector<Eigen::VectorXd>& units) {
    std::vector<double> values;
    for (const Achieved& a : track(units)) values.push_back(problem.objective(a));
    return values;
  };

  const auto search_start = Clock::now();
  const CmaesResult search = minimise_cmaes(objective, track.start_unit(), cmaes);
  r.search_evaluations = search.evaluations;
  r.generations = search.generations;
  r.stop = search.reason;
  PLENARY_ASSERT(r.fitted == track.to_coordinates(search.best));
  r.polish_iterations = polish(problem, track, budget, options.step / 2);
  r.polish_evaluations = track.evaluations() - r.search_evaluations;
  r.search_seconds = seconds_since(search_start);

  r.objective = problem.objective(r.achieved);
  r.scales = problem.scales(r.achieved);
  r.distances = problem.distances(r.achieved);
  const Eigen::VectorXd width = problem.upper() - problem.lower();
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
