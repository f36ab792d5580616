#pragma once
// Synthetic General Assembly records for the forecast tests: members on a 1-D random walk,
// recurring resolutions voted on every session under the same title, ordered votes drawn
// from the model of dynamic_ideal_points.hpp, and a habit of abstaining for some members.

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "plenary/calibrate/country_codes.hpp"
#include "plenary/forecast/dynamic_ideal_points.hpp"

namespace plenary::forecast::synthetic {

/// A fresh temporary directory, removed at the end. Named by the process, so that test
/// processes running at once (ctest -j, other checkouts) never remove each other's.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("plenary_forecast_" + name + "_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// The planted truth of a simulated record.
struct World {
  int members = 0;
  int periods = 0;
  double drift = 0.0;
  std::vector<std::vector<double>> x;  ///< x[i][t], 1-D
  DynamicData data;                    ///< the votes, in the estimator's form
};

/// Simulates `members` x `periods` sessions of `per_period` roll calls each (1-D), with
/// drift variance `drift` per session. Roll call j of every period: b ~ N(0, 1.5^2) with
/// |b| >= 0.5, cutpoints -c < -a with a ~ N(0.5, 1), c = a + gap, gap ~ 0.5 + Exp(1).
inline World simulate(int members, int periods, int per_period, double drift, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::exponential_distribution<double> exponential(1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  World w;
  w.members = members;
  w.periods = periods;
  w.drift = drift;
  w.x.assign(members, std::vector<double>(periods));
  for (int i = 0; i < members; ++i) {
    w.x[i][0] = normal(rng);
    for (int t = 1; t < periods; ++t) w.x[i][t] = w.x[i][t - 1] + std::sqrt(drift) * normal(rng);
  }
  w.data.members = members;
  w.data.periods = periods;
  w.data.gaps.assign(periods - 1, 1);
  for (int t = 0; t < periods; ++t) {
    for (int j = 0; j < per_period; ++j) {
      double b = 1.5 * normal(rng);
      if (std::abs(b) < 0.5) b = b < 0 ? -0.5 : 0.5;
      const double a = 0.5 + normal(rng);
      const double c = a + 0.5 + exponential(rng);
      const int column = static_cast<int>(w.data.roll_call_period.size());
      w.data.roll_call_period.push_back(t);
      for (int i = 0; i < members; ++i) {
        const Eigen::Vector3d p = ordered_probabilities(a + b * w.x[i][t], c + b * w.x[i][t], 0.0);
        const double u = uniform(rng);
        const Vote v = u < p(0) ? Vote::kYes : u < p(0) + p(1) ? Vote::kAbstain : Vote::kNo;
        w.data.cells.push_back({i, column, v});
      }
    }
  }
  return w;
}

/// Writes a record in the format of data/unga: sessions first..last, `per_session` roll
/// calls each, all but the last of which recur every session under the same title
/// ("Recurring question K", issue "hr" for even K and "di" for odd); the last has a new
/// title every session. Members are the first `members` current UN members; member i
/// abstains where the spatial model says No with probability 0.6 when i % 5 == 0 (a
/// habit). Roll calls of session `drop_votes_of` keep their rows in roll_calls.csv but get
/// no votes (0: keep all).
inline void write_record(const std::filesystem::path& dir, int members, int first, int last,
                         int per_session, unsigned seed, int drop_votes_of = 0) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const auto states = calibrate::un_member_states();
  std::vector<double> x(members);
  for (double& v : x) v = normal(rng);
  std::vector<double> a(per_session), b(per_session), gap(per_session);
  for (int k = 0; k < per_session; ++k) {
    a[k] = 0.8 + normal(rng);
    b[k] = 2.0 * normal(rng);
    gap[k] = 1.0 + std::abs(normal(rng));
  }
  std::ofstream rc(dir / "roll_calls.csv");
  std::ofstream votes(dir / "votes.csv");
  std::ofstream issues(dir / "roll_call_issues.csv");
  rc << "rcid,session,importantvote,date,unres,amend,para,short,descr\n";
  votes << "rcid,country_code,country,vote\n";
  issues << "rcid,short_name,issue\n";
  int rcid = 1000;
  for (int s = first; s <= last; ++s) {
    for (double& v : x) v += 0.2 * normal(rng);
    for (int k = 0; k < per_session; ++k, ++rcid) {
      const bool fresh = k == per_session - 1;
      const std::string title =
          fresh ? "Novel topic number " + std::to_string(s)
                : "Recurring question " + std::to_string(k) +
                      (s % 2 == 0 ? " : resolution / adopted by the General Assembly" : "");
      rc << rcid << ',' << s << ",0," << (1945 + s) << "-12-" << (10 + k % 18) << ",R/" << s << '/'
         << k << ",0,0,\"" << title << "\",\n";
      issues << rcid << ',' << (k % 2 == 0 ? "hr,Human rights" : "di,Arms control and disarmament")
             << '\n';
      if (s == drop_votes_of) continue;
      a[k] += 0.1 * normal(rng);
      for (int i = 0; i < members; ++i) {
        if (uniform(rng) < 0.05) continue;  // absent
        const Eigen::Vector3d p =
            ordered_probabilities(a[k] + b[k] * x[i], a[k] + gap[k] + b[k] * x[i], 0.0);
        const double u = uniform(rng);
        std::string v = u < p(0) ? "yes" : u < p(0) + p(1) ? "abstain" : "no";
        if (v == "no" && i % 5 == 0 && uniform(rng) < 0.6) v = "abstain";
        votes << rcid << ',' << states[i].alpha2 << ",\"" << states[i].name << "\"," << v << '\n';
      }
    }
  }
}

}  // namespace plenary::forecast::synthetic
