// The dynamic ordered ideal-point model (docs/forecast.md, "Dynamic positions"): the
// posterior mode given tau^2 by alternating damped Newton steps over roll calls and member
// trajectories (plain sweeps: calibrate's SQUAREM needs a monotone map); tau^2 by EM with
// Laplace posteriors of the trajectories.
#include "plenary/forecast/dynamic_ideal_points.hpp"

#include <fmt/format.h>

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <cmath>
#include <limits>
#include <numbers>

#include "calibrate/estimator_detail.hpp"
#include "logistic_kernels.hpp"
#include "plenary/calibrate/ideal_points.hpp"
#include "plenary/util/error.hpp"

namespace plenary::forecast {

namespace {

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

// softplus(u) = log(1 + exp(u)), F(u) and 1 - F(u), from e = exp(-|u|), 1 / (1 + e) and
// log(1 + e), which logistic_batch computes for a whole roll call or member at once.
struct Logistic {
  double softplus, p, q;
};
inline Logistic logistic(double u, double e, double inv, double log1p) {
  const double small = e * inv;  // 1 - F(|u|); inv is F(|u|)
  return {std::max(u, 0.0) + log1p, u >= 0.0 ? inv : small, u >= 0.0 ? small : inv};
}

// A batch of cells (one roll call's, or one member's trajectory): the linear predictors
// u1 = a + b.x and u2 = c + b.x, each cell's primary argument z (u2 for a No, else u1) and,
// for the abstentions in order, their u2; then the transcendental parts of both.
struct CellBatch {
  std::vector<double> u1, u2, z, za, e, inv, lp, ea, inva, lpa;
  std::size_t n = 0, na = 0;

  void reserve(std::size_t cells) {
    for (auto* v : {&u1, &u2, &z, &za, &e, &inv, &lp, &ea, &inva, &lpa}) v->resize(cells);
  }
  void clear() { n = na = 0; }
  void add(Vote vote, double a, double c) {
    u1[n] = a;
    u2[n] = c;
    z[n] = vote == Vote::kNo ? c : a;
    if (vote == Vote::kAbstain) za[na++] = c;
    ++n;
  }
  // The cells' log-likelihood (votes[k] is cell k's vote; log_s of each cell's roll call).
  template <class LogS>
  double loglik(const Vote* votes, const LogS& log_s) {
    log1p_exp_batch(z.data(), n, lp.data());
    log1p_exp_batch(za.data(), na, lpa.data());
    double sum = 0.0;
    std::size_t a = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const double sp = std::max(z[k], 0.0) + lp[k];
      if (votes[k] == Vote::kYes) {
        sum += u1[k] - sp;
      } else if (votes[k] == Vote::kNo) {
        sum -= sp;
      } else {
        sum += (u2[k] - (std::max(za[a], 0.0) + lpa[a])) - sp + log_s(k);
        ++a;
      }
    }
    return sum;
  }
  void transcendentals() {
    logistic_batch(z.data(), n, e.data(), inv.data(), lp.data());
    logistic_batch(za.data(), na, ea.data(), inva.data(), lpa.data());
  }
  // calibrate's ordered_terms (estimator_detail.hpp) for cell k, from the batch; `a`
  // counts the abstentions passed. The log-likelihood of the cell, its derivatives in u1
  // and u2 and minus its second derivatives.
  OrderedTerms terms(std::size_t k, Vote vote, double s, double log_s, std::size_t& a) const {
    const Logistic l = logistic(z[k], e[k], inv[k], lp[k]);
    if (vote == Vote::kYes) return {u1[k] - l.softplus, l.q, 0.0, l.p * l.q, 0.0, 0.0};
    if (vote == Vote::kNo) return {-l.softplus, 0.0, -l.p, 0.0, l.p * l.q, 0.0};
    const Logistic l2 = logistic(za[a], ea[a], inva[a], lpa[a]);
    ++a;
    const double loglik = (u2[k] - l2.softplus) - l.softplus + log_s;
    const double g2 = l2.q / (l.q * s);
    const double h1 = l.p / (l2.p * s);
    return {loglik, -h1, g2, h1 * (h1 + 1.0 - 2.0 * l.p), g2 * (g2 - 1.0 + 2.0 * l2.p), -g2 * h1};
  }
};

// The estimator for D dimensions (docs/forecast.md, "Estimator" and "Speed"). The votes are
// held twice in compressed rows: by roll call (each cell the row of its voter's position)
// and by member and period (each cell its roll call), so that both blocks of a sweep read
// contiguous arrays. Positions are stored D x (members * periods), column i * T + t is
// x_{i,t}; roll calls (2 + D) x roll calls. Roll-call blocks use fixed-size Eigen objects;
// a member's trajectory (T * D) uses workspaces allocated once.
template <int D>
class DynamicFitter {
 public:
  static constexpr int P = D + 2;
  using Vec = Eigen::Matrix<double, D, 1>;
  using Par = Eigen::Matrix<double, P, 1>;
  using ParMatrix = Eigen::Matrix<double, P, P>;
  using Block = Eigen::Matrix<double, D, D>;

  DynamicFitter(const DynamicData& data, const DynamicOptions& options)
      : data_(data), o_(options), t_(data.periods), n_(data.periods * D) {
    const int m = static_cast<int>(data.roll_call_period.size());
    rc_begin_.assign(m + 1, 0);
    mp_begin_.assign(static_cast<std::size_t>(data.members) * t_ + 1, 0);
    span_.assign(data.members, {-1, -1});
    for (const auto& c : data.cells) {
      ++rc_begin_[c.roll_call + 1];
      ++mp_begin_[static_cast<std::size_t>(c.member) * t_ + data.roll_call_period[c.roll_call] + 1];
    }
    for (std::size_t j = 1; j < rc_begin_.size(); ++j) rc_begin_[j] += rc_begin_[j - 1];
    for (std::size_t k = 1; k < mp_begin_.size(); ++k) mp_begin_[k] += mp_begin_[k - 1];
    const std::size_t cells = data.cells.size();
    rc_row_.resize(cells);
    rc_vote_.resize(cells);
    mp_roll_call_.resize(cells);
    mp_vote_.resize(cells);
    std::vector<int> fill_r(rc_begin_.begin(), rc_begin_.end() - 1);
    std::vector<int> fill_m(mp_begin_.begin(), mp_begin_.end() - 1);
    for (const auto& c : data.cells) {
      const int period = data.roll_call_period[c.roll_call];
      const std::size_t row = static_cast<std::size_t>(c.member) * t_ + period;
      const int r = fill_r[c.roll_call]++;
      rc_row_[r] = static_cast<std::int32_t>(row);
      rc_vote_[r] = c.vote;
      const int k = fill_m[row]++;
      mp_roll_call_[k] = c.roll_call;
      mp_vote_[k] = c.vote;
      auto& [first, last] = span_[c.member];
      first = first < 0 ? period : std::min(first, period);
      last = std::max(last, period);
    }
    s_.resize(m);
    log_s_.resize(m);
    int widest = 0;
    for (int j = 0; j < m; ++j) widest = std::max(widest, rc_begin_[j + 1] - rc_begin_[j]);
    for (int i = 0; i < data.members; ++i) {
      const std::size_t row = static_cast<std::size_t>(i) * t_;
      widest = std::max(widest, mp_begin_[row + t_] - mp_begin_[row]);
    }
    batch_.reserve(static_cast<std::size_t>(widest));
    g_.resize(n_);
    diagonal_.resize(t_);
    schur_inverse_.resize(t_);
    sigma_.resize(t_);
    cross_.resize(t_);
    delta_.resize(n_);
    trial_.resize(n_);
    drift_ = options.drift_start;
  }

  // Positions as (members x periods) x D and roll calls x (2 + D), as DynamicFit holds them.
  Eigen::MatrixXd positions() const { return x_.transpose(); }
  Eigen::MatrixXd theta() const { return theta_.transpose(); }
  void start(const Eigen::MatrixXd& x, const Eigen::MatrixXd& theta) {
    x_ = x.transpose();
    theta_ = theta.transpose();
  }

  double drift() const { return drift_; }
  void set_drift(double tau2) { drift_ = tau2; }
  const std::vector<std::pair<int, int>>& span() const { return span_; }

  // One sweep: every roll call, every member's trajectory (collecting the E-step's
  // statistics from each trajectory's curvature), then the scale normalised. Returns the
  // log-posterior at the end: the cells' log-likelihood is summed by the member steps
  // (the roll calls are fixed while they run, and the normalisation leaves every linear
  // predictor unchanged), the priors and barriers are added after the normalisation.
  double iterate() {
    const int m = static_cast<int>(data_.roll_call_period.size());
    for (int j = 0; j < m; ++j) roll_call_step(j);
    prepare_members();
    stats_ = {};
    double loglik = 0.0;
    for (int i = 0; i < data_.members; ++i) loglik += member_step(i);
    normalise();
    return loglik + priors();
  }

  // The M-step from the last sweep's statistics: the mean squared step per session.
  double drift_from_sweep() const {
    return stats_.steps > 0 ? stats_.sum / static_cast<double>(stats_.steps) : drift_;
  }

  // The E-step's statistics and the last periods' covariances at the current mode.
  void final_statistics(std::vector<Eigen::MatrixXd>& last_cov, double& mean_step_variance,
                        long& steps) {
    prepare_members();
    stats_ = {};
    last_cov.assign(data_.members, Eigen::MatrixXd::Zero(D, D));
    for (int i = 0; i < data_.members; ++i) {
      member_derivatives(i, trajectory(i));
      solve_member();
      last_cov[i] = sigma_[t_ - 1];
      collect(i);
    }
    steps = stats_.steps;
    mean_step_variance = steps > 0 ? stats_.variance / static_cast<double>(steps) : 0.0;
  }

 private:
  Eigen::Map<Eigen::VectorXd> trajectory(int i) {
    return {x_.data() + static_cast<std::size_t>(i) * n_, n_};
  }

  // Roll call j's objective at `par` (cells, barrier, prior), -inf once c <= a.
  double roll_call_objective(int j, const Par& par) {
    const double gap = par(1) - par(0);
    if (!(gap > 0.0)) return -std::numeric_limits<double>::infinity();
    const double log_s = std::log(-std::expm1(-gap));
    const Vec b = par.template tail<D>();
    const double* x = x_.data();
    batch_.clear();
    for (int k = rc_begin_[j]; k < rc_begin_[j + 1]; ++k) {
      const double e = Eigen::Map<const Vec>(x + static_cast<std::size_t>(rc_row_[k]) * D).dot(b);
      batch_.add(rc_vote_[k], par(0) + e, par(1) + e);
    }
    const double loglik =
        batch_.loglik(rc_vote_.data() + rc_begin_[j], [log_s](std::size_t) { return log_s; });
    return loglik + log_s - 0.5 * o_.roll_call_precision * par.squaredNorm();
  }

  // A damped Newton step on roll call j's (a, c, b), as damped_step: never worse.
  void roll_call_step(int j) {
    Eigen::Map<Par> par(theta_.data() + static_cast<std::size_t>(j) * P);
    const Par old = par;
    const double gap = old(1) - old(0);
    const double s = -std::expm1(-gap);
    const double log_s = std::log(s);
    const Vec b = old.template tail<D>();
    const double* x = x_.data();
    batch_.clear();
    for (int k = rc_begin_[j]; k < rc_begin_[j + 1]; ++k) {
      const double e = Eigen::Map<const Vec>(x + static_cast<std::size_t>(rc_row_[k]) * D).dot(b);
      batch_.add(rc_vote_[k], old(0) + e, old(1) + e);
    }
    batch_.transcendentals();
    double loglik = 0.0, g1 = 0.0, g2 = 0.0, w11 = 0.0, w22 = 0.0, w12 = 0.0;
    Vec gx = Vec::Zero(), h1x = Vec::Zero(), h2x = Vec::Zero();
    Eigen::Matrix<double, D, D> hxx = Eigen::Matrix<double, D, D>::Zero();
    std::size_t abstentions = 0;
    for (int k = rc_begin_[j]; k < rc_begin_[j + 1]; ++k) {
      const Vec xk = Eigen::Map<const Vec>(x + static_cast<std::size_t>(rc_row_[k]) * D);
      const OrderedTerms c = batch_.terms(static_cast<std::size_t>(k - rc_begin_[j]), rc_vote_[k],
                                          s, log_s, abstentions);
      loglik += c.loglik;
      g1 += c.g1;
      g2 += c.g2;
      gx += (c.g1 + c.g2) * xk;
      // d/dtheta of u1 is (1, 0, x), of u2 (0, 1, x).
      w11 += c.w11;
      w22 += c.w22;
      w12 += c.w12;
      h1x += (c.w11 + c.w12) * xk;
      h2x += (c.w22 + c.w12) * xk;
      hxx.noalias() += (c.w11 + c.w22 + 2.0 * c.w12) * xk * xk.transpose();
    }
    const double before = loglik + barrier(gap) - 0.5 * o_.roll_call_precision * old.squaredNorm();
    Par g;
    g << g1, g2, gx;
    ParMatrix h;
    h(0, 0) = w11;
    h(1, 1) = w22;
    h(0, 1) = h(1, 0) = w12;
    h.template block<1, D>(0, 2) = h1x.transpose();
    h.template block<D, 1>(2, 0) = h1x;
    h.template block<1, D>(1, 2) = h2x.transpose();
    h.template block<D, 1>(2, 1) = h2x;
    h.template bottomRightCorner<D, D>() = hxx;
    g -= o_.roll_call_precision * old;
    g(0) -= barrier_grad(gap);
    g(1) += barrier_grad(gap);
    const double w = barrier_weight(gap);
    h(0, 0) += w;
    h(1, 1) += w;
    h(0, 1) -= w;
    h(1, 0) -= w;
    h.diagonal().array() += o_.roll_call_precision;
    const Par delta = h.ldlt().solve(g);
    if (!delta.allFinite()) return;
    double step = 1.0;
    for (int k = 0; k < kMaxHalvings; ++k, step *= 0.5) {
      const Par trial = old + step * delta;
      if (roll_call_objective(j, trial) >= before) {
        par = trial;
        return;
      }
    }
  }

  // s = 1 - exp(-(c - a)) and its log per roll call, fixed while the members move.
  void prepare_members() {
    for (std::size_t j = 0; j < s_.size(); ++j) {
      const double gap =
          theta_(1, static_cast<Eigen::Index>(j)) - theta_(0, static_cast<Eigen::Index>(j));
      s_[j] = -std::expm1(-gap);
      log_s_[j] = std::log(s_[j]);
    }
  }

  // Random-walk prior of a trajectory (log density up to a constant).
  double member_prior(const double* v) const {
    double lp = -0.5 * o_.initial_precision * Eigen::Map<const Vec>(v).squaredNorm();
    for (int t = 1; t < t_; ++t) {
      lp -= 0.5 *
            (Eigen::Map<const Vec>(v + t * D) - Eigen::Map<const Vec>(v + (t - 1) * D))
                .squaredNorm() /
            (drift_ * data_.gaps[t - 1]);
    }
    return lp;
  }

  // The cells' log-likelihood of member i's trajectory v.
  double member_loglik(int i, const double* v) {
    gather_member(i, v);
    const int first = mp_begin_[static_cast<std::size_t>(i) * t_];
    return batch_.loglik(mp_vote_.data() + first,
                         [&](std::size_t k) { return log_s_[mp_roll_call_[first + k]]; });
  }

  // Fills batch_ with member i's cells at trajectory v, in order.
  void gather_member(int i, const double* v) {
    batch_.clear();
    const std::size_t row = static_cast<std::size_t>(i) * t_;
    for (int t = 0; t < t_; ++t) {
      const Vec xt = Eigen::Map<const Vec>(v + t * D);
      for (int k = mp_begin_[row + t]; k < mp_begin_[row + t + 1]; ++k) {
        const double* par = theta_.data() + static_cast<std::size_t>(mp_roll_call_[k]) * P;
        const double e = xt.dot(Eigen::Map<const Vec>(par + 2));
        batch_.add(mp_vote_[k], par[0] + e, par[1] + e);
      }
    }
  }

  // g_ and the negative Hessian of member i's log-posterior at v, which is block
  // tridiagonal: diagonal_[t] the D x D blocks, -coupling(t) I those between periods t - 1
  // and t (the random walk's precision). Returns the cells' log-likelihood.
  double member_derivatives(int i, const Eigen::Ref<const Eigen::VectorXd>& v) {
    g_.setZero();
    gather_member(i, v.data());
    batch_.transcendentals();
    double loglik = 0.0;
    const std::size_t row = static_cast<std::size_t>(i) * t_;
    const int first = mp_begin_[row];
    std::size_t abstentions = 0;
    for (int t = 0; t < t_; ++t) {
      Vec gt = Vec::Zero();
      Eigen::Matrix<double, D, D> ht = Eigen::Matrix<double, D, D>::Zero();
      for (int k = mp_begin_[row + t]; k < mp_begin_[row + t + 1]; ++k) {
        const int j = mp_roll_call_[k];
        const Vec b = Eigen::Map<const Vec>(theta_.data() + static_cast<std::size_t>(j) * P + 2);
        const OrderedTerms o = batch_.terms(static_cast<std::size_t>(k - first), mp_vote_[k], s_[j],
                                            log_s_[j], abstentions);
        loglik += o.loglik;
        gt += (o.g1 + o.g2) * b;
        ht.noalias() += (o.w11 + o.w22 + 2.0 * o.w12) * b * b.transpose();
      }
      g_.template segment<D>(t * D) = gt;
      diagonal_[t] = ht;
    }
    g_.template head<D>() -= o_.initial_precision * v.template head<D>();
    diagonal_[0].diagonal().array() += o_.initial_precision;
    for (int t = 1; t < t_; ++t) {
      const double k = coupling(t);
      const int a = (t - 1) * D;
      const int b = t * D;
      const Vec diff = v.template segment<D>(b) - v.template segment<D>(a);
      g_.template segment<D>(b) -= k * diff;
      g_.template segment<D>(a) += k * diff;
      diagonal_[t - 1].diagonal().array() += k;
      diagonal_[t].diagonal().array() += k;
    }
    return loglik;
  }

  // The random walk's precision between periods t - 1 and t.
  double coupling(int t) const { return 1.0 / (drift_ * data_.gaps[t - 1]); }

  // The Newton step delta_ = H^-1 g_ and the blocks of H^-1 the E-step needs (sigma_[t] the
  // covariance of period t, cross_[t] that of t with t - 1), for the block-tridiagonal H of
  // member_derivatives, in O(T D^3) (the Rauch-Tung-Striebel recursions): Schur complements
  // S_0 = H_00, S_t = H_tt - k_t^2 S_{t-1}^-1 forward, then back from the last period
  // Sigma_{t+1,t} = k_{t+1} Sigma_{t+1} S_t^-1 and
  // Sigma_t = S_t^-1 + k_{t+1}^2 S_t^-1 Sigma_{t+1} S_t^-1. A singular block leaves
  // non-finite values, and the step is not taken.
  void solve_member() {
    schur_inverse_[0] = diagonal_[0].inverse();
    delta_.template head<D>() = g_.template head<D>();
    for (int t = 1; t < t_; ++t) {
      const double k = coupling(t);
      schur_inverse_[t] = (diagonal_[t] - (k * k) * schur_inverse_[t - 1]).inverse();
      delta_.template segment<D>(t * D) =
          g_.template segment<D>(t * D) +
          k * (schur_inverse_[t - 1] * delta_.template segment<D>((t - 1) * D));
    }
    sigma_[t_ - 1] = schur_inverse_[t_ - 1];
    delta_.template segment<D>((t_ - 1) * D) =
        schur_inverse_[t_ - 1] * delta_.template segment<D>((t_ - 1) * D);
    for (int t = t_ - 2; t >= 0; --t) {
      const double k = coupling(t + 1);
      const Block& inverse = schur_inverse_[t];
      delta_.template segment<D>(t * D) = inverse * (delta_.template segment<D>(t * D) +
                                                     k * delta_.template segment<D>((t + 1) * D));
      cross_[t + 1] = k * (sigma_[t + 1] * inverse);
      sigma_[t] = inverse + (k * k) * (inverse * sigma_[t + 1] * inverse);
    }
  }

  // A damped Newton step on member i's trajectory; returns the cells' log-likelihood at
  // the trajectory kept. Collects the E-step's statistics at the new mean with the
  // curvature at the step's start (the same at the fixed point).
  double member_step(int i) {
    auto v = trajectory(i);
    const double loglik = member_derivatives(i, v);
    const double before = loglik + member_prior(v.data());
    solve_member();
    double kept = loglik;
    if (delta_.allFinite()) {
      double step = 1.0;
      for (int k = 0; k < kMaxHalvings; ++k, step *= 0.5) {
        trial_ = v + step * delta_;
        const double l = member_loglik(i, trial_.data());
        if (l + member_prior(trial_.data()) >= before) {
          v = trial_;
          kept = l;
          break;
        }
      }
    }
    collect(i);
    return kept;
  }

  // Adds member i's expected squared steps, E|x_t - x_{t-1}|^2 / g_t, over its voting
  // span, from the covariance blocks in sigma_ and cross_.
  void collect(int i) {
    const auto [first, last] = span_[i];
    const double* v = x_.data() + static_cast<std::size_t>(i) * n_;
    for (int t = std::max(first, 0) + 1; t <= last; ++t) {
      const int a = (t - 1) * D;
      const int b = t * D;
      const double var = sigma_[t].trace() + sigma_[t - 1].trace() - 2.0 * cross_[t].trace();
      const double step =
          (Eigen::Map<const Vec>(v + b) - Eigen::Map<const Vec>(v + a)).squaredNorm();
      stats_.sum += (step + var) / data_.gaps[t - 1];
      stats_.variance += var / data_.gaps[t - 1];
      stats_.steps += D;
    }
  }

  // The priors and barriers of the log-posterior (the cells' part is summed elsewhere).
  double priors() const {
    double total = -0.5 * o_.roll_call_precision * theta_.squaredNorm();
    for (Eigen::Index j = 0; j < theta_.cols(); ++j) total += barrier(theta_(1, j) - theta_(0, j));
    for (int i = 0; i < data_.members; ++i)
      total += member_prior(x_.data() + static_cast<std::size_t>(i) * n_);
    return total;
  }

  // Identification: the first session's positions of the members who voted in it are
  // centred and scaled to mean squared coordinate 1, the roll calls transformed so that
  // every linear predictor is unchanged (x -> (x - m) / s, a -> a + b.m, c -> c + b.m,
  // b -> s b). Without it the posterior mode shrinks the positions' scale, and tau^2 with
  // it, against the weak roll-call prior.
  void normalise() {
    Vec centre = Vec::Zero();
    int count = 0;
    for (int i = 0; i < data_.members; ++i) {
      if (span_[i].first != 0) continue;
      centre += x_.col(static_cast<Eigen::Index>(i) * t_);
      ++count;
    }
    if (count < 2) return;
    centre /= count;
    double square = 0.0;
    for (int i = 0; i < data_.members; ++i) {
      if (span_[i].first == 0)
        square += (x_.col(static_cast<Eigen::Index>(i) * t_) - centre).squaredNorm();
    }
    const double scale = std::sqrt(square / (static_cast<double>(count) * D));
    if (!(scale > 0.0) || !std::isfinite(scale)) return;
    x_.colwise() -= centre;
    x_ /= scale;
    const Eigen::RowVectorXd shift = centre.transpose() * theta_.bottomRows(D);
    theta_.row(0) += shift;
    theta_.row(1) += shift;
    theta_.bottomRows(D) *= scale;
  }

  struct Statistics {
    double sum = 0.0;
    double variance = 0.0;
    long steps = 0;
  };
  Statistics stats_;

  const DynamicData& data_;
  DynamicOptions o_;
  int t_;
  int n_;  // T * D
  std::vector<int> rc_begin_, mp_begin_;
  std::vector<std::int32_t> rc_row_, mp_roll_call_;
  std::vector<Vote> rc_vote_, mp_vote_;
  std::vector<double> s_, log_s_;
  std::vector<std::pair<int, int>> span_;
  Eigen::MatrixXd x_;      // D x (members x periods)
  Eigen::MatrixXd theta_;  // (2 + D) x roll calls
  Eigen::VectorXd g_, delta_, trial_;
  std::vector<Block> diagonal_, schur_inverse_, sigma_, cross_;  // per period
  CellBatch batch_;
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
void starting_values(const DynamicData& data, int dims, Eigen::MatrixXd& x,
                     Eigen::MatrixXd& theta) {
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
    for (int t = 0; t < data.periods; ++t)
      x.row(static_cast<Eigen::Index>(i) * data.periods + t) = pooled.row(i);
  }
  theta = starting_roll_calls(data, dims);
}

template <int D>
DynamicFit fit_dynamic(const DynamicData& data, const DynamicOptions& options,
                       const DynamicStart* start) {
  DynamicFitter<D> fitter(data, options);
  Eigen::MatrixXd x;
  Eigen::MatrixXd theta;
  const Eigen::Index roll_calls = static_cast<Eigen::Index>(data.roll_call_period.size());
  if (start != nullptr &&
      start->positions.rows() == static_cast<Eigen::Index>(data.members) * data.periods &&
      start->positions.cols() == D && start->theta.rows() == roll_calls &&
      start->theta.cols() == D + 2 && start->known.size() == static_cast<std::size_t>(roll_calls) &&
      start->positions.allFinite() && start->theta.allFinite()) {
    x = start->positions;
    theta = starting_roll_calls(data, D);
    for (Eigen::Index j = 0; j < roll_calls; ++j) {
      if (start->known[static_cast<std::size_t>(j)]) theta.row(j) = start->theta.row(j);
    }
    if (start->drift_variance > 0.0 && std::isfinite(start->drift_variance))
      fitter.set_drift(start->drift_variance);
  } else {
    starting_values(data, D, x, theta);
  }
  fitter.start(x, theta);
  DynamicFit out;
  out.dims = D;
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
  fitter.final_statistics(out.last_covariance, mean_step_variance, out.drift_steps);
  out.positions = fitter.positions();
  out.theta = fitter.theta();
  out.span = fitter.span();
  out.drift_variance = fitter.drift();
  // Each step d ~ N(0, tau^2 + v) with v its posterior variance: var(mean d^2) = 2 (tau^2 + v)^2 /
  // n.
  out.drift_se = out.drift_steps > 0 ? std::sqrt(2.0 / static_cast<double>(out.drift_steps)) *
                                           (out.drift_variance + mean_step_variance)
                                     : std::numeric_limits<double>::quiet_NaN();
  return out;
}

}  // namespace

DynamicFit estimate_dynamic(const DynamicData& data, const DynamicOptions& options,
                            const DynamicStart* start) {
  if (options.dims < 1 || options.dims > 3) {
    throw UsageError(fmt::format("--dims must be 1, 2 or 3, not {}", options.dims));
  }
  if (data.cells.empty() || data.periods < 1)
    throw DataError("dynamic ideal points: no votes to fit");
  if (data.members < options.dims + 2) {
    throw DataError(fmt::format("dynamic ideal points: {} members, fewer than dims + 2 = {}",
                                data.members, options.dims + 2));
  }
  DynamicFit out = options.dims == 1   ? fit_dynamic<1>(data, options, start)
                   : options.dims == 2 ? fit_dynamic<2>(data, options, start)
                                       : fit_dynamic<3>(data, options, start);
  if (!out.positions.allFinite() || !out.theta.allFinite() || !std::isfinite(out.drift_variance)) {
    throw DataError(
        fmt::format("dynamic ideal points: the estimator diverged ({} members, {} "
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
    const Eigen::VectorXd next =
        damped_step(theta, t.g, t.h, t.objective, [&](const Eigen::VectorXd& v) {
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
  const calibrate::OrderedProbabilities p =
      calibrate::ordered_probabilities(scale * u1, scale * u2);
  return {p.yes, p.abstain, p.no};
}

}  // namespace plenary::forecast
