#pragma once
// The accelerated outer loop shared by the binary and the ordered estimators (internal to
// plenary::calibrate).

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "plenary/calibrate/ideal_points.hpp"

namespace plenary::calibrate::detail {

// Runs `fitter` (positions(), theta(), iterate() returning the log-posterior after one
// iteration of the map, set(x, theta), log_posterior()) to convergence with SQUAREM
// (Varadhan & Roland 2008, scheme S3): two plain iterations, an extrapolation along them,
// one more iteration from there, kept only if it beats the plain ones. Fills `iterations`,
// `converged` and `log_posterior` of `out`.
template <class Fitter>
void run_squarem(Fitter& fitter, const EstimatorOptions& options, IdealPoints& out) {
  double current = fitter.log_posterior();
  while (out.iterations < options.max_iterations) {
    const Eigen::MatrixXd x0 = fitter.positions();
    const Eigen::MatrixXd t0 = fitter.theta();
    fitter.iterate();
    const Eigen::MatrixXd x1 = fitter.positions();
    const Eigen::MatrixXd t1 = fitter.theta();
    const double lp2 = fitter.iterate();
    out.iterations += 2;
    const double previous = current;
    current = lp2;
    if (lp2 - previous <= options.tolerance * std::abs(lp2)) {
      out.converged = true;
      break;
    }
    const Eigen::MatrixXd x2 = fitter.positions();
    const Eigen::MatrixXd t2 = fitter.theta();
    const double r2 = (x1 - x0).squaredNorm() + (t1 - t0).squaredNorm();
    const double v2 = (x2 - 2.0 * x1 + x0).squaredNorm() + (t2 - 2.0 * t1 + t0).squaredNorm();
    const double alpha = v2 > 0.0 ? std::min(-1.0, -std::sqrt(r2 / v2)) : -1.0;
    if (alpha == -1.0) continue;  // the extrapolation would be x2 itself
    fitter.set(x0 - 2.0 * alpha * (x1 - x0) + alpha * alpha * (x2 - 2.0 * x1 + x0),
               t0 - 2.0 * alpha * (t1 - t0) + alpha * alpha * (t2 - 2.0 * t1 + t0));
    if (!std::isfinite(fitter.log_posterior())) {  // extrapolated out of range
      fitter.set(x2, t2);
      continue;
    }
    const double lp3 = fitter.iterate();
    ++out.iterations;
    if (lp3 >= lp2) {
      current = lp3;
    } else {
      fitter.set(x2, t2);
    }
  }
  out.log_posterior = current;
}

// Column k of the result is the elementwise product of columns d <= e of m, in the
// order (0,0), (0,1), ..., (1,1), ...: the entries of the Hessians' upper triangles.
Eigen::MatrixXd pair_products(const Eigen::MatrixXd& m);

// Row r of the result solves (H_r + precision I) delta = g_r, H_r packed in row r of h
// (as pair_products() orders them).
Eigen::MatrixXd newton_steps(const Eigen::MatrixXd& g, const Eigen::MatrixXd& h, double precision);

// Leading eigenvectors of Y Y' (Y the Yes(+1)/No(-1) matrix centred by roll call over the
// observed Yes/No cells), scaled to unit variance.
Eigen::MatrixXd initial_positions(const Observations& obs, int dims);

// The ordered model's terms of one observed cell, u1 = a_j + b_j.x_i, u2 = c_j + b_j.x_i,
// s = 1 - exp(-(c_j - a_j)): the log-likelihood, its derivatives in u1 and u2 (g1, g2) and
// minus its second derivatives (w11, w22, w12). NaN when c_j <= a_j for an abstention.
struct OrderedTerms {
  double loglik, g1, g2, w11, w22, w12;
};
OrderedTerms ordered_terms(Vote vote, double u1, double u2, double s);

// The ordered model's posterior mode (ordered.cpp); `start` as estimate_ideal_points().
IdealPoints estimate_ordered(const Observations& obs, const EstimatorOptions& options,
                             const IdealPoints* start);

}  // namespace plenary::calibrate::detail
