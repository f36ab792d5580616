#include "plenary/calibrate/calibrate.hpp"

#include <chrono>
#include <unordered_map>

#include "plenary/util/assert.hpp"
#include "plenary/util/error.hpp"

namespace plenary::calibrate {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Eigen::Index find_member(const VoteMatrix& m, std::string_view code) {
  for (std::size_t i = 0; i < m.members.size(); ++i) {
    if (m.members[i].alpha3 == code) return static_cast<Eigen::Index>(i);
  }
  return -1;
}

// Per member of the window: the window's roll calls while it was a member (between its first
// and last recorded vote in the whole data) and how many of them it recorded no vote on, as
// select_window() counts them for `absence`.
void membership_counts(const VoteData& data, const VoteMatrix& m, Eigen::VectorXd& absent,
                       Eigen::VectorXd& member) {
  std::unordered_map<int, std::int32_t> index;  // rcid -> roll call
  for (std::size_t k = 0; k < data.roll_calls.size(); ++k) {
    index.emplace(data.roll_calls[k].rcid, static_cast<std::int32_t>(k));
  }
  const auto n = static_cast<Eigen::Index>(m.members.size());
  absent = Eigen::VectorXd::Zero(n);
  member = Eigen::VectorXd::Zero(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const CountryCode& code = m.members[static_cast<std::size_t>(i)];
    for (std::size_t s = 0; s < data.states.size(); ++s) {
      if (data.states[s].alpha3 != code.alpha3 || data.states[s].name != code.name) continue;
      const auto [first, last] = data.membership[s];
      for (std::size_t j = 0; j < m.window_rcids.size(); ++j) {
        const std::int32_t r = index.at(m.window_rcids[j]);
        if (r < first || r > last) continue;
        member(i) += 1.0;
        absent(i) += m.window_votes(i, static_cast<Eigen::Index>(j)) == vote_code(Vote::kAbsent);
      }
      break;
    }
    PLENARY_ASSERT(member(i) == 0.0 ||
                   absent(i) / member(i) == m.absence[static_cast<std::size_t>(i)]);
  }
}

}  // namespace

Calibration calibrate(const VoteData& data, const CalibrationOptions& options) {
  if (options.bootstrap < 0 || options.bootstrap == 1) {
    throw UsageError(fmt::format("--bootstrap {}: expected 0 (off) or at least 2 replicates",
                                 options.bootstrap));
  }
  if (!(options.holdout_share >= 0.0 && options.holdout_share < 1.0)) {
    throw UsageError(
        fmt::format("--holdout {}: expected a share in [0, 1) (0: skip)", options.holdout_share));
  }
  Calibration r;
  r.matrix = select_window(data, options.window);
  const Observations obs = observations_from(r.matrix.votes, options.estimator.model);

  const auto start = std::chrono::steady_clock::now();
  r.estimate = estimate_ideal_points(obs, options.estimator);
  if (!r.estimate.converged) {
    throw DataError(fmt::format(
        "the ideal-point estimator did not converge in {} iterations ({} members x {} roll "
        "calls, {} dimension{}, tolerance {:g}); no positions written. Try fewer --dims, a "
        "wider --sessions window or a larger --tolerance",
        r.estimate.iterations, r.matrix.members.size(), r.matrix.rcids.size(),
        options.estimator.dims, options.estimator.dims == 1 ? "" : "s",
        options.estimator.tolerance));
  }
  const Identification id = identify(r.estimate, find_member(r.matrix, "USA"));
  if (!r.estimate.positions.allFinite() || !id.transform.allFinite()) {
    throw DataError(
        "identifying the estimated positions (centring, rotation, scaling) gave "
        "non-finite values: the positions are degenerate");
  }
  r.seconds = seconds_since(start);

  r.fit = compute_fit(obs, r.estimate, options.estimator.link);
  if (options.habits && options.estimator.model == IdealPointModel::kOrdered) {
    const auto habit_start = std::chrono::steady_clock::now();
    r.habits.abstain_habit =
        estimate_abstain_habits(obs, r.estimate, options.habit, &r.habits.abstain_habit_se);
    membership_counts(data, r.matrix, r.absent_roll_calls, r.member_roll_calls);
    estimate_absence(r.absent_roll_calls, r.member_roll_calls, options.habit, r.habits);
    r.has_habits = true;
    r.habit_seconds = seconds_since(habit_start);
  }
  if (options.bootstrap >= 2) {
    const auto bootstrap_start = std::chrono::steady_clock::now();
    r.se = bootstrap_standard_errors(obs, r.estimate, options.estimator, options.bootstrap,
                                     options.seed);
    r.bootstrap_se = true;
    r.bootstrap_seconds = seconds_since(bootstrap_start);
  } else {
    r.se = curvature_standard_errors(obs, r.estimate, id, options.estimator.link,
                                     options.estimator.position_precision);
  }
  if (options.holdout_share > 0.0) {
    const auto holdout_start = std::chrono::steady_clock::now();
    r.holdout = holdout_pcc(obs, options.estimator, options.holdout_share, options.seed);
    if (!r.holdout.converged) {
      throw DataError(fmt::format(
          "the ideal-point estimator did not converge in {} iterations on the hold-out "
          "training votes ({}% of the votes hidden); no positions written. Try --holdout 0, "
          "fewer --dims or a wider --sessions window",
          r.holdout.iterations, 100.0 * options.holdout_share));
    }
    r.holdout_seconds = seconds_since(holdout_start);
  }
  return r;
}

}  // namespace plenary::calibrate
