// The dynamic ordered ideal-point model (docs/forecast.md, "Dynamic positions"): the
// posterior mode given tau^2 by alternating damped Newton steps over roll calls and member
// trajectories, accelerated by calibrate's SQUAREM (estimator_detail.hpp); tau^2 by EM
// with Laplace posteriors of the trajectories.
#include "plenary/forecast/dynamic_ideal_points.hpp"

#include <fmt/format.h>

#include <Eigen/Cholesky>
#include <cmath>
#include <limits>
#include <numbers>

#include "calibrate/estimator_detail.hpp"
#include "plenary/calibrate/ideal_points.hpp"
#include "plenary/util/error.hpp"

namespace plenary::forecast {

namespace {

using calibrate::Vote;
using calibrate::detail::ordered_terms;
using calibrate::detail::OrderedTerms;

constexpr int kMaxHalvings = 30;

// Vectors of at most 2 + 3 entries without heap allocation, for the per-cell loops.
using SmallVector = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, 5, 1>;
using SmallRow = Eigen::Matrix<double, 1, Eigen::Dynamic, Eigen::RowMajor, 1, 3>;
using SmallMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, 5, 5>;

double barrier(double gap) {
  return gap > 0.0 ? std::log(-std::expm1(-gap)) : -std::numeric_limits<double>::infinity();
}
double barrier_grad(double gap) { return 1.0 / std::expm1(gap); }
double barrier_weight(double gap) { return 1.0 / (std::expm1(gap) * -std::expm1(-gap)); }

// Gradient, negative Hessian and objective of one roll call's block, (a, c, b).
struct RollCallTerms {
  Eigen::VectorXd g;
  Eigen::MatrixXd h;
  double objective;
};

// Sums a roll call's cells: `x(k)` is voter k's position, `vote(k)` its vote.
template <class Position, class VoteOf>
RollCallTerms roll_call_terms(int voters, const Position& x, const VoteOf& vote,
                              const Eigen::VectorXd& theta, double precision, bool derivatives) {
  const Eigen::Index d = theta.size() - 2;
  const Eigen::Index p = theta.size();
  RollCallTerms t{Eigen::VectorXd::Zero(p), Eigen::MatrixXd::Zero(p, p), 0.0};
  const double gap = theta(1) - theta(0);
  const double s = -std::expm1(-gap);
  SmallVector z(p);
  SmallVector z2(p);
  SmallMatrix h = SmallMatrix::Zero(p, p);
  SmallVector g = SmallVector::Zero(p);
  for (int k = 0; k < voters; ++k) {
    const SmallRow xk = x(k);
    const double e = xk.dot(theta.tail(d));
    const OrderedTerms c = ordered_terms(vote(k), theta(0) + e, theta(1) + e, s);
    t.objective += c.loglik;
    if (!derivatives) continue;
    g(0) += c.g1;
    g(1) += c.g2;
    g.tail(d) += (c.g1 + c.g2) * xk.transpose();
    // d/dtheta of u1 is (1, 0, x), of u2 (0, 1, x).
    z.setZero();
    z(0) = 1.0;
    z.tail(d) = xk.transpose();
    z2.setZero();
    z2(1) = 1.0;
    z2.tail(d) = xk.transpose();
    h.noalias() += c.w11 * z * z.transpose() + c.w22 * z2 * z2.transpose() +
                   c.w12 * (z * z2.transpose() + z2 * z.transpose());
  }
  t.g = g;
  t.h = h;
  t.objective += barrier(gap) - 0.5 * precision * theta.squaredNorm();
  if (derivatives) {
    t.g -= precision * theta;
    t.g(0) -= barrier_grad(gap);
    t.g(1) += barrier_grad(gap);
    const double w = barrier_weight(gap);
    t.h(0, 0) += w;
    t.h(1, 1) += w;
    t.h(0, 1) -= w;
    t.h(1, 0) -= w;
    t.h.diagonal().array() += precision;
  }
  return t;
}

// Damped Newton step on a concave block: returns the new parameters, never worse.
template <class Objective>
Eigen::VectorXd damped_step(const Eigen::VectorXd& old, const Eigen::VectorXd& g,
                            const Eigen::MatrixXd& h, double before, const Objective& objective) {
  const Eigen::VectorXd delta = h.ldlt().solve(g);
  if (!delta.allFinite()) return old;
  double step = 1.0;
  for (int k = 0; k < kMaxHalvings; ++k, step *= 0.5) {
    const Eigen::VectorXd trial = old + step * delta;
    if (objective(trial) >= before) return trial;
  }
  return old;
}

class DynamicFitter {
 public:
  DynamicFitter(const DynamicData& data, const DynamicOptions& options)
      : data_(data), o_(options), d_(options.dims), t_(data.periods) {
    by_member_.assign(data.members + 1, 0);
    by_roll_call_.assign(data.roll_call_period.size() + 1, 0);
    for (const auto& c : data.cells) {
      ++by_member_[c.member + 1];
      ++by_roll_call_[c.roll_call + 1];
    }
    for (std::size_t i = 1; i < by_member_.size(); ++i) by_member_[i] += by_member_[i - 1];
    for (std::size_t j = 1; j < by_roll_call_.size(); ++j) by_roll_call_[j] += by_roll_call_[j - 1];
    member_cells_.resize(data.cells.size());
    roll_call_cells_.resize(data.cells.size());
    std::vector<int> fill_m(by_member_.begin(), by_member_.end() - 1);
    std::vector<int> fill_r(by_roll_call_.begin(), by_roll_call_.end() - 1);
    span_.assign(data.members, {-1, -1});
    for (int k = 0; k < static_cast<int>(data.cells.size()); ++k) {
      const auto& c = data.cells[k];
      member_cells_[fill_m[c.member]++] = k;
      roll_call_cells_[fill_r[c.roll_call]++] = k;
      const int period = data.roll_call_period[c.roll_call];
      auto& [first, last] = span_[c.member];
      first = first < 0 ? period : std::min(first, period);
      last = std::max(last, period);
    }
    drift_ = options.drift_start;
  }

  // positions(), theta(), set(), iterate(), log_posterior(): the interface of run_squarem.
  const Eigen::MatrixXd& positions() const { return x_; }
  const Eigen::MatrixXd& theta() const { return theta_; }
  void set(Eigen::MatrixXd x, Eigen::MatrixXd theta) {
    x_ = std::move(x);
    theta_ = std::move(theta);
  }

  double log_posterior() const {
    double total = 0.0;
    for (Eigen::Index j = 0; j < theta_.rows(); ++j) total += roll_call_block(j, theta_.row(j).transpose(), false).objective;
    // Roll-call blocks already hold every cell's log-likelihood; add the members' priors.
    for (int i = 0; i < data_.members; ++i) total += member_prior(trajectory(i));
    return total;
  }

  // One sweep: every roll call, every member's trajectory (collecting the E-step's
  // statistics from each trajectory's curvature), then the scale normalised.
  double iterate() {
    for (Eigen::Index j = 0; j < theta_.rows(); ++j) roll_call_step(j);
    stats_ = {};
    for (int i = 0; i < data_.members; ++i) member_step(i);
    normalise();
    return log_posterior();
  }

  // The M-step from the last sweep's statistics: the mean squared step per session.
  double drift_from_sweep() const {
    return stats_.steps > 0 ? stats_.sum / static_cast<double>(stats_.steps) : drift_;
  }

  void start(Eigen::MatrixXd x, Eigen::MatrixXd theta) { set(std::move(x), std::move(theta)); }

  double drift() const { return drift_; }
  void set_drift(double tau2) { drift_ = tau2; }
  const std::vector<std::pair<int, int>>& span() const { return span_; }

  // The M-step: tau^2 from each member's Laplace posterior over its voting span. Also
  // fills the last-period covariances and the mean posterior variance of a step.
  double em_drift(std::vector<Eigen::MatrixXd>& last_cov, double& mean_step_variance, long& steps) {
    stats_ = {};
    last_cov.assign(data_.members, Eigen::MatrixXd::Zero(d_, d_));
    for (int i = 0; i < data_.members; ++i) {
      Eigen::VectorXd g;
      Eigen::MatrixXd h;
      member_terms(i, trajectory(i), g, h, true);
      const Eigen::MatrixXd cov = h.ldlt().solve(Eigen::MatrixXd::Identity(h.rows(), h.cols()));
      last_cov[i] = cov.bottomRightCorner(d_, d_);
      collect(i, cov);
    }
    steps = stats_.steps;
    mean_step_variance = steps > 0 ? stats_.variance / static_cast<double>(steps) : 0.0;
    return drift_from_sweep();
  }

 private:
  Eigen::RowVectorXd position(int i, int t) const { return x_.row(static_cast<Eigen::Index>(i) * t_ + t); }
  Eigen::VectorXd trajectory(int i) const {
    Eigen::VectorXd out(static_cast<Eigen::Index>(t_) * d_);
    for (int t = 0; t < t_; ++t) out.segment(static_cast<Eigen::Index>(t) * d_, d_) = position(i, t).transpose();
    return out;
  }
  void set_trajectory(int i, const Eigen::VectorXd& v) {
    for (int t = 0; t < t_; ++t) x_.row(static_cast<Eigen::Index>(i) * t_ + t) = v.segment(static_cast<Eigen::Index>(t) * d_, d_).transpose();
  }

  RollCallTerms roll_call_block(Eigen::Index j, const Eigen::VectorXd& theta, bool derivatives) const {
    const int begin = by_roll_call_[j];
    const int period = data_.roll_call_period[j];
    auto x = [&](int k) { return position(data_.cells[roll_call_cells_[begin + k]].member, period); };
    auto vote = [&](int k) { return data_.cells[roll_call_cells_[begin + k]].vote; };
    return roll_call_terms(by_roll_call_[j + 1] - begin, x, vote, theta, o_.roll_call_precision, derivatives);
  }

  void roll_call_step(Eigen::Index j) {
    const Eigen::VectorXd old = theta_.row(j).transpose();
    const RollCallTerms t = roll_call_block(j, old, true);
    theta_.row(j) = damped_step(old, t.g, t.h, t.objective, [&](const Eigen::VectorXd& v) {
                      return roll_call_block(j, v, false).objective;
                    }).transpose();
  }

  // Random-walk prior of a trajectory (log density up to a constant).
  double member_prior(const Eigen::VectorXd& v) const {
    double lp = -0.5 * o_.initial_precision * v.head(d_).squaredNorm();
    for (int t = 1; t < t_; ++t) {
      lp -= 0.5 * (v.segment(static_cast<Eigen::Index>(t) * d_, d_) - v.segment(static_cast<Eigen::Index>(t - 1) * d_, d_)).squaredNorm() /
            (drift_ * data_.gaps[t - 1]);
    }
    return lp;
  }

  // Objective of member i's trajectory v; with derivatives, its gradient and negative Hessian.
  double member_terms(int i, const Eigen::VectorXd& v, Eigen::VectorXd& g, Eigen::MatrixXd& h,
                      bool derivatives) const {
    const Eigen::Index n = v.size();
    if (derivatives) {
      g = Eigen::VectorXd::Zero(n);
      h = Eigen::MatrixXd::Zero(n, n);
    }
    double objective = member_prior(v);
    for (int k = by_member_[i]; k < by_member_[i + 1]; ++k) {
      const auto& c = data_.cells[member_cells_[k]];
      const Eigen::Index at = static_cast<Eigen::Index>(data_.roll_call_period[c.roll_call]) * d_;
      const auto b = theta_.row(c.roll_call).tail(d_).transpose();
      const double e = v.segment(at, d_).dot(b);
      const double a = theta_(c.roll_call, 0);
      const double cc = theta_(c.roll_call, 1);
      const OrderedTerms o = ordered_terms(c.vote, a + e, cc + e, -std::expm1(-(cc - a)));
      objective += o.loglik;
      if (!derivatives) continue;
      g.segment(at, d_) += (o.g1 + o.g2) * b;
      h.block(at, at, d_, d_).noalias() += (o.w11 + o.w22 + 2.0 * o.w12) * b * b.transpose();
    }
    if (derivatives) {
      g.head(d_) -= o_.initial_precision * v.head(d_);
      h.topLeftCorner(d_, d_).diagonal().array() += o_.initial_precision;
      for (int t = 1; t < t_; ++t) {
        const double k = 1.0 / (drift_ * data_.gaps[t - 1]);
        const Eigen::Index a = static_cast<Eigen::Index>(t - 1) * d_;
        const Eigen::Index b = static_cast<Eigen::Index>(t) * d_;
        const Eigen::VectorXd diff = v.segment(b, d_) - v.segment(a, d_);
        g.segment(b, d_) -= k * diff;
        g.segment(a, d_) += k * diff;
        h.block(a, a, d_, d_).diagonal().array() += k;
        h.block(b, b, d_, d_).diagonal().array() += k;
        h.block(a, b, d_, d_).diagonal().array() -= k;
        h.block(b, a, d_, d_).diagonal().array() -= k;
      }
    }
    return objective;
  }

  void member_step(int i) {
    const Eigen::VectorXd old = trajectory(i);
    Eigen::VectorXd g;
    Eigen::MatrixXd h;
    const double before = member_terms(i, old, g, h, true);
    Eigen::VectorXd ignored_g;
    Eigen::MatrixXd ignored_h;
    set_trajectory(i, damped_step(old, g, h, before, [&](const Eigen::VectorXd& v) {
                     return member_terms(i, v, ignored_g, ignored_h, false);
                   }));
    // The E-step's statistics at the new mean with the curvature at the step's start (the
    // same at the fixed point).
    collect(i, h.ldlt().solve(Eigen::MatrixXd::Identity(h.rows(), h.cols())));
  }

  // Adds member i's expected squared steps, E|x_t - x_{t-1}|^2 / g_t, over its voting span.
  void collect(int i, const Eigen::MatrixXd& cov) {
    const auto [first, last] = span_[i];
    for (int t = std::max(first, 0) + 1; t <= last; ++t) {
      const Eigen::Index a = static_cast<Eigen::Index>(t - 1) * d_;
      const Eigen::Index b = static_cast<Eigen::Index>(t) * d_;
      const double v = cov.block(b, b, d_, d_).trace() + cov.block(a, a, d_, d_).trace() -
                       2.0 * cov.block(b, a, d_, d_).trace();
      const double step = (position(i, t) - position(i, t - 1)).squaredNorm();
      stats_.sum += (step + v) / data_.gaps[t - 1];
      stats_.variance += v / data_.gaps[t - 1];
      stats_.steps += d_;
    }
  }

  // Identification: the first session's positions of the members who voted in it are
  // centred and scaled to mean squared coordinate 1, the roll calls transformed so that
  // every linear predictor is unchanged (x -> (x - m) / s, a -> a + b.m, c -> c + b.m,
  // b -> s b). Without it the posterior mode shrinks the positions' scale, and tau^2 with
  // it, against the weak roll-call prior.
  void normalise() {
    Eigen::RowVectorXd centre = Eigen::RowVectorXd::Zero(d_);
    int count = 0;
    for (int i = 0; i < data_.members; ++i) {
      if (span_[i].first != 0) continue;
      centre += position(i, 0);
      ++count;
    }
    if (count < 2) return;
    centre /= count;
    double square = 0.0;
    for (int i = 0; i < data_.members; ++i) {
      if (span_[i].first == 0) square += (position(i, 0) - centre).squaredNorm();
    }
    const double scale = std::sqrt(square / (static_cast<double>(count) * d_));
    if (!(scale > 0.0) || !std::isfinite(scale)) return;
    x_.rowwise() -= centre;
    x_ /= scale;
    const Eigen::VectorXd shift = theta_.rightCols(d_) * centre.transpose();
    theta_.col(0) += shift;
    theta_.col(1) += shift;
    theta_.rightCols(d_) *= scale;
  }

  struct Statistics {
    double sum = 0.0;
    double variance = 0.0;
    long steps = 0;
  };
  Statistics stats_;

  const DynamicData& data_;
  DynamicOptions o_;
  int d_;
  int t_;
  std::vector<int> by_member_, by_roll_call_, member_cells_, roll_call_cells_;
  std::vector<std::pair<int, int>> span_;
  Eigen::MatrixXd x_;      // (members x periods) x D
  Eigen::MatrixXd theta_;  // roll calls x (2 + D)
  double drift_ = 0.05;
};

// Starting roll calls: intercepts at the logits of the Yes and Yes-or-Abstain shares,
// discriminations 0.
Eigen::MatrixXd starting_roll_calls(const DynamicData& data, int dims) {
  const Eigen::Index m = static_cast<Eigen::Index>(data.roll_call_period.size());
  Eigen::ArrayXd n = Eigen::ArrayXd::Zero(m), yes = n, abstain = n;
  for (const auto& c : data.cells) {
    n(c.roll_call) += 1.0;
    if (c.vote == Vote::kYes) yes(c.roll_call) += 1.0;
    if (c.vote == Vote::kAbstain) abstain(c.roll_call) += 1.0;
  }
  Eigen::MatrixXd theta = Eigen::MatrixXd::Zero(m, dims + 2);
  for (Eigen::Index j = 0; j < m; ++j) {
    const double low = (yes(j) + 0.5) / (n(j) + 1.5);
    const double high = (yes(j) + abstain(j) + 1.0) / (n(j) + 1.5);
    theta(j, 0) = std::log(low / (1.0 - low));
    theta(j, 1) = std::log(high / (1.0 - high));
  }
  return theta;
}

// Starting values: the leading eigenvectors of the pooled Yes/No matrix (calibrate's
// start), the same in every period; roll calls as starting_roll_calls.
void starting_values(const DynamicData& data, int dims, Eigen::MatrixXd& x, Eigen::MatrixXd& theta) {
  const Eigen::Index m = static_cast<Eigen::Index>(data.roll_call_period.size());
  calibrate::Observations obs;
  obs.yes = Eigen::ArrayXXd::Zero(data.members, m);
  obs.observed = Eigen::ArrayXXd::Zero(data.members, m);
  for (const auto& c : data.cells) {
    if (c.vote == Vote::kAbstain) continue;
    obs.observed(c.member, c.roll_call) = 1.0;
    obs.yes(c.member, c.roll_call) = c.vote == Vote::kYes ? 1.0 : 0.0;
  }
  Eigen::MatrixXd pooled = calibrate::detail::initial_positions(obs, dims);
  if (!pooled.allFinite()) pooled.setZero();
  x.resize(static_cast<Eigen::Index>(data.members) * data.periods, dims);
  for (int i = 0; i < data.members; ++i) {
    for (int t = 0; t < data.periods; ++t) x.row(static_cast<Eigen::Index>(i) * data.periods + t) = pooled.row(i);
  }
  theta = starting_roll_calls(data, dims);
}

}  // namespace

DynamicFit estimate_dynamic(const DynamicData& data, const DynamicOptions& options,
                            const DynamicStart* start) {
  if (options.dims < 1 || options.dims > 3) {
    throw UsageError(fmt::format("--dims must be 1, 2 or 3, not {}", options.dims));
  }
  if (data.cells.empty() || data.periods < 1) throw DataError("dynamic ideal points: no votes to fit");
  if (data.members < options.dims + 2) {
    throw DataError(fmt::format("dynamic ideal points: {} members, fewer than dims + 2 = {}",
                                data.members, options.dims + 2));
  }
  DynamicFitter fitter(data, options);
  Eigen::MatrixXd x;
  Eigen::MatrixXd theta;
  const Eigen::Index roll_calls = static_cast<Eigen::Index>(data.roll_call_period.size());
  if (start != nullptr && start->positions.rows() == static_cast<Eigen::Index>(data.members) * data.periods &&
      start->positions.cols() == options.dims && start->theta.rows() == roll_calls &&
      start->theta.cols() == options.dims + 2 && start->known.size() == static_cast<std::size_t>(roll_calls) &&
      start->positions.allFinite() && start->theta.allFinite()) {
    x = start->positions;
    theta = starting_roll_calls(data, options.dims);
    for (Eigen::Index j = 0; j < roll_calls; ++j) {
      if (start->known[static_cast<std::size_t>(j)]) theta.row(j) = start->theta.row(j);
    }
    if (start->drift_variance > 0.0 && std::isfinite(start->drift_variance)) fitter.set_drift(start->drift_variance);
  } else {
    starting_values(data, options.dims, x, theta);
  }
  fitter.start(std::move(x), std::move(theta));
  DynamicFit out;
  out.dims = options.dims;
  out.periods = data.periods;
  // Plain alternating sweeps (calibrate's SQUAREM needs a monotone map; the normalisation
  // and the tau^2 updates make this one not), each followed by the M-step (an ECM scheme:
  // the E-step's statistics come from the sweep's own curvatures).
  const bool drift = options.estimate_drift && data.periods >= 2;
  double previous = -std::numeric_limits<double>::infinity();
  for (out.iterations = 1;; ++out.iterations) {
    const double lp = fitter.iterate();
    double change = 0.0;
    if (drift) {
      const double next = std::max(fitter.drift_from_sweep(), 1e-8);
      change = std::abs(next - fitter.drift()) / fitter.drift();
      fitter.set_drift(next);
    }
    const bool settled = std::abs(lp - previous) <= options.tolerance * std::abs(lp) &&
                         change <= options.drift_tolerance;
    previous = lp;
    if (settled) {
      out.converged = true;
      break;
    }
    if (out.iterations >= options.max_iterations) break;
  }
  out.rounds = out.iterations;
  out.log_posterior = previous;
  double mean_step_variance = 0.0;
  fitter.em_drift(out.last_covariance, mean_step_variance, out.drift_steps);
  out.positions = fitter.positions();
  out.theta = fitter.theta();
  out.span = fitter.span();
  out.drift_variance = fitter.drift();
  // Each step d ~ N(0, tau^2 + v) with v its posterior variance: var(mean d^2) = 2 (tau^2 + v)^2 / n.
  out.drift_se = out.drift_steps > 0
                     ? std::sqrt(2.0 / static_cast<double>(out.drift_steps)) * (out.drift_variance + mean_step_variance)
                     : std::numeric_limits<double>::quiet_NaN();
  if (!out.positions.allFinite() || !out.theta.allFinite() || !std::isfinite(out.drift_variance)) {
    throw DataError(fmt::format("dynamic ideal points: the estimator diverged ({} members, {} "
                                "roll calls, {} periods): non-finite estimates",
                                data.members, data.roll_call_period.size(), data.periods));
  }
  return out;
}

Placement place_roll_call(const Eigen::MatrixXd& positions, const std::vector<Vote>& votes,
                          double roll_call_precision, const Eigen::VectorXd& start) {
  const Eigen::Index d = positions.cols();
  Placement out;
  out.voters = static_cast<int>(votes.size());
  Eigen::VectorXd theta = start;
  if (theta.size() != d + 2) {
    theta = Eigen::VectorXd::Zero(d + 2);
    theta(0) = -0.5;
    theta(1) = 0.5;
  }
  auto x = [&](int k) { return positions.row(k); };
  auto vote = [&](int k) { return votes[k]; };
  const int n = out.voters;
  for (int iteration = 0; iteration < 100; ++iteration) {
    const RollCallTerms t = roll_call_terms(n, x, vote, theta, roll_call_precision, true);
    const Eigen::VectorXd next = damped_step(theta, t.g, t.h, t.objective, [&](const Eigen::VectorXd& v) {
      return roll_call_terms(n, x, vote, v, roll_call_precision, false).objective;
    });
    const double moved = (next - theta).norm();
    theta = next;
    if (moved < 1e-9 * (1.0 + theta.norm())) {
      out.converged = true;
      break;
    }
  }
  const RollCallTerms t = roll_call_terms(n, x, vote, theta, roll_call_precision, true);
  out.theta = theta;
  out.covariance = t.h.ldlt().solve(Eigen::MatrixXd::Identity(d + 2, d + 2));
  out.se = out.covariance.diagonal().cwiseMax(0.0).cwiseSqrt();
  return out;
}

Eigen::Vector3d ordered_probabilities(double u1, double u2, double variance) {
  // calibrate's ordered probabilities at the scaled predictors (without cancellation).
  const double scale = 1.0 / std::sqrt(1.0 + std::numbers::pi * variance / 8.0);
  const calibrate::OrderedProbabilities p = calibrate::ordered_probabilities(scale * u1, scale * u2);
  return {p.yes, p.abstain, p.no};
}

}  // namespace plenary::forecast
