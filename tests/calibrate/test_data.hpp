#pragma once
// Helpers for the calibration tests: small vote-data directories and synthetic roll calls.

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

}  // namespace plenary::calibrate::testing
