#include "plenary/calibrate/resample.hpp"

#include <Eigen/SVD>
#include <cmath>
#include <random>
#include <vector>

#include "plenary/util/error.hpp"

namespace plenary::calibrate {

namespace {

// A uniform double in [0, 1) from 53 random bits: the same on every standard library.
double uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// The rotation (or reflection) Q minimising |x Q - target|: orthogonal Procrustes.
Eigen::MatrixXd procrustes(const Eigen::MatrixXd& x, const Eigen::MatrixXd& target) {
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(x.transpose() * target,
                                        Eigen::ComputeFullU | Eigen::ComputeFullV);
  return svd.matrixU() * svd.matrixV().transpose();
}

}  // namespace

Eigen::MatrixXd bootstrap_standard_errors(const Observations& obs, const IdealPoints& estimate,
                                          const EstimatorOptions& options, int replicates,
                                          std::uint64_t seed) {
  if (replicates < 2) {
    throw UsageError(fmt::format("--bootstrap {}: expected at least 2 replicates", replicates));
  }
  const Eigen::MatrixXd eta = estimate.linear_predictor();
  const Eigen::Index n = eta.rows();
  const Eigen::Index dims = estimate.positions.cols();
  std::mt19937_64 rng(seed);
  Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(n, dims);
  Eigen::MatrixXd sum_sq = Eigen::MatrixXd::Zero(n, dims);
  Observations draw{Eigen::ArrayXXd::Zero(n, eta.cols()), obs.observed, Eigen::ArrayXXd()};
  if (estimate.ordered()) draw.abstain = Eigen::ArrayXXd::Zero(n, eta.cols());
  for (int b = 0; b < replicates; ++b) {
    for (Eigen::Index j = 0; j < eta.cols(); ++j) {
      for (Eigen::Index i = 0; i < n; ++i) {
        const double u = uniform(rng);  // drawn for every cell, so streams do not depend on gaps
        if (estimate.ordered()) {
          const double c = eta(i, j) + estimate.abstain_intercept(j) - estimate.intercept(j);
          const OrderedProbabilities p = ordered_probabilities(eta(i, j), c);
          draw.yes(i, j) = obs.observed(i, j) != 0.0 && u < p.yes;
          draw.abstain(i, j) = obs.observed(i, j) != 0.0 && !(u < p.yes) && u < p.yes + p.abstain;
          continue;
        }
        draw.yes(i, j) = obs.observed(i, j) != 0.0 && u < yes_probability(options.link, eta(i, j));
      }
    }
    IdealPoints replicate = estimate_ideal_points(draw, options, &estimate);
    identify(replicate, -1);
    Eigen::MatrixXd x = replicate.positions * procrustes(replicate.positions, estimate.positions);
    sum += x;
    sum_sq += x.cwiseProduct(x);
  }
  const double r = replicates;
  const Eigen::MatrixXd mean = sum / r;
  return ((sum_sq - r * mean.cwiseProduct(mean)) / (r - 1.0)).cwiseMax(0.0).cwiseSqrt();
}

Holdout holdout_pcc(const Observations& obs, const EstimatorOptions& options, double share,
                    std::uint64_t seed) {
  if (!(share > 0.0 && share < 1.0)) {
    throw UsageError(fmt::format("hold-out share {}: expected a share in (0, 1)", share));
  }
  std::vector<Eigen::Index> cells;
  for (Eigen::Index k = 0; k < obs.observed.size(); ++k) {
    if (obs.observed(k) != 0.0) cells.push_back(k);
  }
  // A partial Fisher-Yates shuffle picks exactly round(share x cells) cells.
  const auto hidden =
      static_cast<std::size_t>(std::lround(share * static_cast<double>(cells.size())));
  std::mt19937_64 rng(seed);
  for (std::size_t k = 0; k < hidden; ++k) {
    const auto pick =
        k + static_cast<std::size_t>(uniform(rng) * static_cast<double>(cells.size() - k));
    std::swap(cells[k], cells[pick]);
  }
  Observations train = obs;
  Eigen::ArrayXXd mask = Eigen::ArrayXXd::Zero(obs.observed.rows(), obs.observed.cols());
  for (std::size_t k = 0; k < hidden; ++k) {
    train.observed(cells[k]) = 0.0;
    mask(cells[k]) = 1.0;
  }
  const IdealPoints fitted = estimate_ideal_points(train, options);
  Holdout out;
  out.pcc = masked_pcc(obs, mask, fitted, out.cells);
  out.iterations = fitted.iterations;
  out.converged = fitted.converged;
  return out;
}

}  // namespace plenary::calibrate
