#pragma once
// Helpers for the calibration tests: small vote-data directories and synthetic roll calls.

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "plenary/calibrate/ideal_points.hpp"

namespace plenary::calibrate::testing {

/// A fresh temporary directory holding the three CSV files, removed at the end.
class DataDir {
 public:
  explicit DataDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() / ("plenary_calibrate_" + name)) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~DataDir() { std::filesystem::remove_all(path_); }
  DataDir(const DataDir&) = delete;
  DataDir& operator=(const DataDir&) = delete;

  void write(const std::string& file, const std::string& text) const {
    std::ofstream(path_ / file, std::ios::binary) << text;
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// Smallest, over the true dimensions, of the multiple correlation of a true coordinate
/// with the estimated positions: recovery up to the rotation identification chooses.
inline double recovery(const Eigen::MatrixXd& truth, const Eigen::MatrixXd& estimate) {
  Eigen::MatrixXd design(estimate.rows(), estimate.cols() + 1);
  design.col(0).setOnes();
  design.rightCols(estimate.cols()) = estimate;
  double worst = 1.0;
  for (Eigen::Index d = 0; d < truth.cols(); ++d) {
    const Eigen::VectorXd y = truth.col(d);
    const Eigen::VectorXd fit = design * design.colPivHouseholderQr().solve(y);
    const Eigen::VectorXd yc = y.array() - y.mean();
    const Eigen::VectorXd rc = (y - fit);
    worst = std::min(worst, std::sqrt(1.0 - rc.squaredNorm() / yc.squaredNorm()));
  }
  return worst;
}

/// Pearson correlation of two vectors.
inline double correlation(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  const Eigen::VectorXd ac = a.array() - a.mean();
  const Eigen::VectorXd bc = b.array() - b.mean();
  return ac.dot(bc) / std::sqrt(ac.squaredNorm() * bc.squaredNorm());
}

/// Known parameters and the votes they generate.
struct Synthetic {
  Eigen::MatrixXd positions;  ///< members x D, standard normal
  Observations obs;
};

/// `members` x `roll_calls` Yes/No votes from a logit model with positions ~ N(0, I),
/// intercepts ~ N(0, 1), discriminations ~ N(0, 2^2 I); `missing` of the cells unobserved.
inline Synthetic make_synthetic(int members, int roll_calls, int dims, double missing,
                                std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Synthetic s;
  s.positions.resize(members, dims);
  for (Eigen::Index k = 0; k < s.positions.size(); ++k) s.positions(k) = normal(rng);
  s.obs.yes.resize(members, roll_calls);
  s.obs.observed.resize(members, roll_calls);
  for (int j = 0; j < roll_calls; ++j) {
    const double a = normal(rng);
    Eigen::VectorXd b(dims);
    for (int d = 0; d < dims; ++d) b(d) = 2.0 * normal(rng);
    for (int i = 0; i < members; ++i) {
      const double eta = a + s.positions.row(i).dot(b);
      s.obs.yes(i, j) = uniform(rng) < 1.0 / (1.0 + std::exp(-eta)) ? 1.0 : 0.0;
      s.obs.observed(i, j) = uniform(rng) < missing ? 0.0 : 1.0;
    }
  }
  s.obs.yes *= s.obs.observed;
  return s;
}

/// Known parameters of the ordered model and the votes they generate.
struct OrderedSynthetic {
  Eigen::MatrixXd positions;          ///< members x D, standard normal
  Eigen::VectorXd intercept;          ///< a_j ~ N(0, 1)
  Eigen::VectorXd abstain_intercept;  ///< c_j = a_j + gap_j, gap_j ~ 0.5 + Exp(mean 1.5)
  Eigen::MatrixXd discrimination;     ///< b_j ~ N(0, 2^2 I)
  Observations obs;                   ///< Yes, Abstain, No; `missing` of the cells unobserved
};

/// `members` x `roll_calls` votes from the ordered logit model,
/// P(Yes) = F(a + b.x), P(Yes or Abstain) = F(c + b.x).
/// With `habit` (one per member), member i's cut points move by habit(i):
/// P(Yes) = F(a + b.x - h), P(Yes or Abstain) = F(c + b.x + h) (docs/calibration.md, "Habits").
inline OrderedSynthetic make_ordered_synthetic(int members, int roll_calls, int dims,
                                               double missing, std::uint64_t seed,
                                               const Eigen::VectorXd* habit = nullptr) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::exponential_distribution<double> exponential(1.0 / 1.5);
  OrderedSynthetic s;
  s.positions.resize(members, dims);
  for (Eigen::Index k = 0; k < s.positions.size(); ++k) s.positions(k) = normal(rng);
  s.intercept.resize(roll_calls);
  s.abstain_intercept.resize(roll_calls);
  s.discrimination.resize(roll_calls, dims);
  s.obs.yes.resize(members, roll_calls);
  s.obs.abstain.resize(members, roll_calls);
  s.obs.observed.resize(members, roll_calls);
  const auto logistic = [](double u) { return 1.0 / (1.0 + std::exp(-u)); };
  for (int j = 0; j < roll_calls; ++j) {
    s.intercept(j) = normal(rng);
    s.abstain_intercept(j) = s.intercept(j) + 0.5 + exponential(rng);
    for (int d = 0; d < dims; ++d) s.discrimination(j, d) = 2.0 * normal(rng);
    for (int i = 0; i < members; ++i) {
      const double eta = s.positions.row(i).dot(s.discrimination.row(j));
      const double u = uniform(rng);
      const double h = habit != nullptr ? (*habit)(i) : 0.0;
      const bool yes = u < logistic(s.intercept(j) + eta - h);
      const bool abstain = !yes && u < logistic(s.abstain_intercept(j) + eta + h);
      const bool observed = !(uniform(rng) < missing);
      s.obs.yes(i, j) = observed && yes ? 1.0 : 0.0;
      s.obs.abstain(i, j) = observed && abstain ? 1.0 : 0.0;
      s.obs.observed(i, j) = observed ? 1.0 : 0.0;
    }
  }
  return s;
}

}  // namespace plenary::calibrate::testing
