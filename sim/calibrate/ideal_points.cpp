#include "plenary/calibrate/ideal_points.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <Eigen/LU>
#include <cmath>

#include "calibrate/estimator_detail.hpp"
#include "plenary/util/assert.hpp"
#include "plenary/util/error.hpp"
#include "plenary/util/text.hpp"

namespace plenary::calibrate {

namespace {

// Too few roll calls per dimension and the positions are not identified by the data.
constexpr int kMinRollCallsPerDim = 10;
// Step halvings tried before a block keeps its old value in an iteration.
constexpr int kMaxHalvings = 30;
constexpr double kLogSqrt2Pi = 0.91893853320467274178;
constexpr double kSqrtHalf = 0.70710678118654752440;

// Log-likelihood of one cell, its derivative in eta, and minus its second derivative.
struct CellTerms {
  double loglik;
  double grad;
  double weight;
};

CellTerms logit_terms(bool yes, double eta) {
  const double e = std::exp(-std::abs(eta));
  const double softplus = std::max(eta, 0.0) + std::log1p(e);
  const double p = eta >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
  return {yes ? eta - softplus : -softplus, (yes ? 1.0 : 0.0) - p, p * (1.0 - p)};
}

// log Phi(z) and the inverse Mills ratio phi(z) / Phi(z); an asymptotic series far in the
// lower tail, where erfc underflows (Abramowitz & Stegun 26.2.12).
double log_normal_cdf(double z, double& mills) {
  if (z > -20.0) {
    const double cdf = 0.5 * std::erfc(-z * kSqrtHalf);
    mills = std::exp(-0.5 * z * z - kLogSqrt2Pi) / cdf;
    return std::log(cdf);
  }
  const double z2 = z * z;
  const double series = 1.0 - 1.0 / z2 + 3.0 / (z2 * z2) - 15.0 / (z2 * z2 * z2);
  mills = -z / series;
  return -0.5 * z2 - kLogSqrt2Pi - std::log(-z) + std::log(series);
}

CellTerms probit_terms(bool yes, double eta) {
  const double q = yes ? 1.0 : -1.0;
  const double z = q * eta;
  double mills = 0.0;
  const double loglik = log_normal_cdf(z, mills);
  return {loglik, q * mills, mills * (mills + z)};
}

CellTerms cell_terms(Link link, bool yes, double eta) {
  return link == Link::kProbit ? probit_terms(yes, eta) : logit_terms(yes, eta);
}

using Small = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, 5, 5>;
using SmallVec = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, 5, 1>;
using detail::newton_steps;
using detail::pair_products;

// The joint posterior mode by alternating Newton steps: all roll calls given the members,
// then all members given the roll calls, then parameter expansion. Each block's objective
// is concave (the logit and probit log-likelihoods are concave in eta), so in careful mode
// a Newton step halved until the block's objective does not fall makes every iteration
// monotone; fast mode takes whole steps and falls back to careful mode if one overshoots.
class Fitter {
 public:
  Fitter(const Observations& obs, const EstimatorOptions& options, Eigen::MatrixXd positions,
         Eigen::MatrixXd theta)
      : obs_(obs),
        o_(options),
        dims_(options.dims),
        x_(std::move(positions)),
        theta_(std::move(theta)) {
    eta_.resize(obs.yes.rows(), obs.yes.cols());
    loglik_.resizeLike(obs.yes);
    grad_.resizeLike(obs.yes);
    weight_.resizeLike(obs.yes);
    compute_eta();
    evaluate_all(true);
  }

  double log_posterior() const {
    return loglik_.sum() - 0.5 * o_.position_precision * x_.squaredNorm() -
           0.5 * o_.roll_call_precision * theta_.squaredNorm();
  }

  // Newton step for every member given the roll calls. In fast mode the step is taken
  // whole; in careful mode each member's step is halved until its objective does not fall.
  // `with_loglik`: whether the cells' log-likelihoods must be fresh afterwards.
  void member_step(bool with_loglik) {
    const Eigen::MatrixXd b = theta_.rightCols(dims_);
    const Eigen::MatrixXd g = grad_.matrix() * b - o_.position_precision * x_;
    const Eigen::MatrixXd h = weight_.matrix() * pair_products(b);
    const Eigen::MatrixXd delta = newton_steps(g, h, o_.position_precision);
    if (!careful_) {
      x_ += delta;
      compute_eta();
      evaluate_all(with_loglik);
      return;
    }
    const Eigen::ArrayXd before = member_objective();
    const Eigen::MatrixXd old = x_;
    x_ += delta;
    compute_eta();
    evaluate_all(true);
    const Eigen::ArrayXd after = member_objective();
    for (Eigen::Index i = 0; i < x_.rows(); ++i) {
      double step = 1.0;
      double value = after(i);
      for (int k = 0; !(value >= before(i)) && k < kMaxHalvings; ++k) {
        step = k + 1 < kMaxHalvings ? 0.5 * step : 0.0;
        x_.row(i) = old.row(i) + step * delta.row(i);
        eta_.row(i) = theta_.col(0).transpose() + x_.row(i) * b.transpose();
        evaluate_row(i);
        value = loglik_.row(i).sum() - 0.5 * o_.position_precision * x_.row(i).squaredNorm();
      }
    }
  }

  // Newton step for every roll call given the members; as member_step().
  void roll_call_step(bool with_loglik) {
    Eigen::MatrixXd z(x_.rows(), dims_ + 1);
    z.col(0).setOnes();
    z.rightCols(dims_) = x_;
    const Eigen::MatrixXd g = grad_.matrix().transpose() * z - o_.roll_call_precision * theta_;
    const Eigen::MatrixXd h = weight_.matrix().transpose() * pair_products(z);
    const Eigen::MatrixXd delta = newton_steps(g, h, o_.roll_call_precision);
    if (!careful_) {
      theta_ += delta;
      compute_eta();
      evaluate_all(with_loglik);
      return;
    }
    const Eigen::ArrayXd before = roll_call_objective();
    const Eigen::MatrixXd old = theta_;
    theta_ += delta;
    compute_eta();
    evaluate_all(true);
    const Eigen::ArrayXd after = roll_call_objective();
    for (Eigen::Index j = 0; j < theta_.rows(); ++j) {
      double step = 1.0;
      double value = after(j);
      for (int k = 0; !(value >= before(j)) && k < kMaxHalvings; ++k) {
        step = k + 1 < kMaxHalvings ? 0.5 * step : 0.0;
        theta_.row(j) = old.row(j) + step * delta.row(j);
        eta_.col(j) = z * theta_.row(j).transpose();
        evaluate_col(j);
        value = loglik_.col(j).sum() - 0.5 * o_.roll_call_precision * theta_.row(j).squaredNorm();
      }
    }
  }

  // One iteration: roll calls, members, parameter expansion. Fast mode takes whole Newton
  // steps; should that ever lower the log-posterior or make it non-finite (a step
  // overshooting far from the mode), the iteration is undone and it and all later ones are
  // careful. Returns the log-posterior after it. From a finite point a careful iteration
  // never lowers the log-posterior, so it stays finite.
  double iterate() {
    const double before = log_posterior();
    const Eigen::MatrixXd x = x_;
    const Eigen::MatrixXd theta = theta_;
    roll_call_step(false);
    member_step(true);
    expand();
    const double after = log_posterior();
    // Written so that a NaN counts as a fall.
    if (!careful_ && std::isfinite(before) && !(after >= before - 1e-12 * std::abs(before))) {
      restore_carefully(x, theta);
      return iterate();
    }
    return after;
  }

  // Moves to `x`, `theta`.
  void set(Eigen::MatrixXd x, Eigen::MatrixXd theta) {
    x_ = std::move(x);
    theta_ = std::move(theta);
    compute_eta();
    evaluate_all(true);
  }

  // Switches to careful mode and returns to `x`, `theta`.
  void restore_carefully(const Eigen::MatrixXd& x, const Eigen::MatrixXd& theta) {
    careful_ = true;
    x_ = x;
    theta_ = theta;
    compute_eta();
    evaluate_all(true);
  }
  bool careful() const { return careful_; }

  // Parameter expansion (in the spirit of Liu, Rubin & Wu's PX-EM): the likelihood is
  // unchanged by x -> (x - m) A, a -> a + b.m, b -> A^-1 b, so choose m, then A, to
  // minimise the prior penalty. Alternating blocks creep along this ridge; one jump per
  // iteration removes the slow mode. Never lowers the log-posterior.
  void expand() {
    const Eigen::Index n = x_.rows();
    const double lx = o_.position_precision;
    const double lt = o_.roll_call_precision;
    Eigen::MatrixXd b = theta_.rightCols(dims_);
    // Shift: (lx n I + lt B'B) m = lx X'1 - lt B'a.
    const Eigen::MatrixXd lhs =
        lx * static_cast<double>(n) * Eigen::MatrixXd::Identity(dims_, dims_) +
        lt * b.transpose() * b;
    const Eigen::VectorXd rhs =
        lx * x_.colwise().sum().transpose() - lt * b.transpose() * theta_.col(0);
    const Eigen::RowVectorXd m = lhs.ldlt().solve(rhs).transpose();
    if (!m.allFinite()) return;
    x_.rowwise() -= m;
    theta_.col(0) += b * m.transpose();
    // Linear map: minimise lx tr(P X'X) + lt tr(P^-1 B'B) over P = A A'; the minimiser is
    // sqrt(lt / lx) times the matrix geometric mean of (X'X)^-1 and B'B.
    const Eigen::MatrixXd sx = x_.transpose() * x_;
    const Eigen::MatrixXd sb = b.transpose() * b;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> ex(sx);
    if (ex.eigenvalues().minCoeff() <= 1e-12 * ex.eigenvalues().maxCoeff()) return;
    const Eigen::MatrixXd half = ex.operatorSqrt();
    const Eigen::MatrixXd half_inv = ex.operatorInverseSqrt();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> inner(half * sb * half);
    if (inner.eigenvalues().minCoeff() <= 0.0) return;
    const Eigen::MatrixXd p = std::sqrt(lt / lx) * half_inv * inner.operatorSqrt() * half_inv;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> ep(p);
    const Eigen::MatrixXd a = ep.operatorSqrt();
    const Eigen::MatrixXd a_inv = a.inverse();
    if (!a.allFinite() || !a_inv.allFinite()) return;
    x_ = x_ * a;
    theta_.rightCols(dims_) = b * a_inv.transpose();
    // eta, and so the cells' terms, are unchanged up to rounding; eta_ is not recomputed
    // here, as every step recomputes it from x and theta before reading it.
  }

  const Eigen::MatrixXd& positions() const { return x_; }
  const Eigen::MatrixXd& theta() const { return theta_; }

 private:
  Eigen::ArrayXd member_objective() const {
    return loglik_.rowwise().sum() -
           0.5 * o_.position_precision * x_.rowwise().squaredNorm().array();
  }
  Eigen::ArrayXd roll_call_objective() const {
    return loglik_.colwise().sum().transpose() -
           0.5 * o_.roll_call_precision * theta_.rowwise().squaredNorm().array();
  }

  void compute_eta() {
    eta_.noalias() = x_ * theta_.rightCols(dims_).transpose();
    eta_.rowwise() += theta_.col(0).transpose();
  }

  void evaluate(Eigen::Index i, Eigen::Index j) {
    if (obs_.observed(i, j) == 0.0) {
      loglik_(i, j) = grad_(i, j) = weight_(i, j) = 0.0;
      return;
    }
    const CellTerms t = cell_terms(o_.link, obs_.yes(i, j) != 0.0, eta_(i, j));
    loglik_(i, j) = t.loglik;
    grad_(i, j) = t.grad;
    weight_(i, j) = t.weight;
  }
  void evaluate_all(bool with_loglik) {
    if (o_.link == Link::kLogit) {
      evaluate_all_logit(with_loglik);
      return;
    }
    for (Eigen::Index j = 0; j < eta_.cols(); ++j) {
      for (Eigen::Index i = 0; i < eta_.rows(); ++i) evaluate(i, j);
    }
  }
  // The same as evaluate() (logit_terms()) for every cell, in Eigen's vectorised array
  // arithmetic, with one exp and (when the log-likelihood is wanted) one log1p per cell.
  // exp is only ever taken of -|eta| <= 0, so nothing overflows for any finite eta: Eigen's
  // exp does not clamp large arguments (exp(710) is inf), and the former exp(-eta) made
  // p (1 - p) = 0 x inf = NaN and the log-likelihood -inf once eta < -709.8, which a
  // diverging first step of the 70-72 window reached.
  // Column by column, so that the scratch vectors stay in the L1 cache.
  void evaluate_all_logit(bool with_loglik) {
    for (Eigen::Index j = 0; j < eta_.cols(); ++j) {
      const auto eta = eta_.col(j).array();
      const auto observed = obs_.observed.col(j);
      e_ = (-eta.abs()).exp();  // in (0, 1]
      p_ = 1.0 / (1.0 + e_);    // F(|eta|); F(eta) = 1 - F(|eta|) = e F(|eta|) when eta < 0
      grad_.col(j) = observed * (obs_.yes.col(j) - (eta >= 0.0).select(p_, e_ * p_));
      weight_.col(j) = observed * (e_ * p_ * p_);  // F (1 - F)
      // y eta - softplus(eta), softplus(eta) = max(eta, 0) + log(1 + exp(-|eta|)).
      if (with_loglik) {
        loglik_.col(j) = observed * (obs_.yes.col(j) * eta - eta.max(0.0) - e_.log1p());
      }
    }
  }
  void evaluate_row(Eigen::Index i) {
    for (Eigen::Index j = 0; j < eta_.cols(); ++j) evaluate(i, j);
  }
  void evaluate_col(Eigen::Index j) {
    for (Eigen::Index i = 0; i < eta_.rows(); ++i) evaluate(i, j);
  }

  const Observations& obs_;
  EstimatorOptions o_;
  Eigen::Index dims_;
  Eigen::MatrixXd x_;      // members x D
  Eigen::MatrixXd theta_;  // roll calls x (1 + D): intercept, discriminations
  Eigen::MatrixXd eta_;
  Eigen::ArrayXXd loglik_, grad_, weight_;
  Eigen::ArrayXd e_, p_;  // scratch of evaluate_all_logit()
  bool careful_ = false;
};

void check(const Observations& obs, const EstimatorOptions& o) {
  if (o.dims < 1 || o.dims > 3) {
    throw UsageError(fmt::format("--dims {}: expected 1, 2 or 3 dimensions", o.dims));
  }
  if (!(o.position_precision > 0.0) || !(o.roll_call_precision > 0.0) || !(o.tolerance > 0.0) ||
      o.max_iterations < 1) {
    throw UsageError(
        "estimator options out of range: precisions and tolerance must be > 0 and "
        "max_iterations >= 1");
  }
  if (o.model == IdealPointModel::kOrdered && o.link != Link::kLogit) {
    throw UsageError(
        fmt::format("--model ordered --link {}: the ordered model is implemented "
                    "with the logit link only; drop --link",
                    o.link));
  }
  if ((o.model == IdealPointModel::kOrdered) != obs.ordered()) {
    throw UsageError(fmt::format("the {} model was asked for, but the observations are {}",
                                 model_name(o.model),
                                 obs.ordered() ? "Yes/Abstain/No" : "Yes/No only"));
  }
  if (obs.yes.cols() < kMinRollCallsPerDim * o.dims) {
    throw DataError(
        fmt::format("too few roll calls for {}: {} left after the cuts, "
                    "need at least {} ({} per dimension)",
                    count_noun(o.dims, "dimension"), obs.yes.cols(), kMinRollCallsPerDim * o.dims,
                    kMinRollCallsPerDim));
  }
  if (obs.yes.rows() < o.dims + 2) {
    throw DataError(
        fmt::format("too few members for {}: {} left after the cuts, "
                    "need at least {}",
                    count_noun(o.dims, "dimension"), obs.yes.rows(), o.dims + 2));
  }
}

Eigen::MatrixXd initial_roll_calls(const Observations& obs, int dims) {
  Eigen::MatrixXd theta = Eigen::MatrixXd::Zero(obs.yes.cols(), dims + 1);
  for (Eigen::Index j = 0; j < theta.rows(); ++j) {
    const double yes = (obs.yes.col(j) * obs.observed.col(j)).sum();
    const double n = obs.observed.col(j).sum();
    const double share = (yes + 0.5) / (n + 1.0);
    theta(j, 0) = std::log(share / (1.0 - share));
  }
  return theta;
}

}  // namespace

Observations observations_from(const VoteCodes& votes, IdealPointModel model) {
  Observations obs;
  obs.yes = (votes.array() == vote_code(Vote::kYes)).cast<double>();
  obs.observed = obs.yes + (votes.array() == vote_code(Vote::kNo)).cast<double>();
  if (model == IdealPointModel::kOrdered) {
    obs.abstain = (votes.array() == vote_code(Vote::kAbstain)).cast<double>();
    obs.observed += obs.abstain;
  }
  return obs;
}

namespace detail {

Eigen::MatrixXd pair_products(const Eigen::MatrixXd& m) {
  const Eigen::Index p = m.cols();
  Eigen::MatrixXd out(m.rows(), p * (p + 1) / 2);
  Eigen::Index k = 0;
  for (Eigen::Index d = 0; d < p; ++d) {
    for (Eigen::Index e = d; e < p; ++e) out.col(k++) = m.col(d).cwiseProduct(m.col(e));
  }
  return out;
}

Eigen::MatrixXd newton_steps(const Eigen::MatrixXd& g, const Eigen::MatrixXd& h, double precision) {
  const Eigen::Index p = g.cols();
  Eigen::MatrixXd delta(g.rows(), p);
  Small hess(p, p);
  for (Eigen::Index r = 0; r < g.rows(); ++r) {
    Eigen::Index k = 0;
    for (Eigen::Index d = 0; d < p; ++d) {
      for (Eigen::Index e = d; e < p; ++e) hess(d, e) = hess(e, d) = h(r, k++);
      hess(d, d) += precision;
    }
    const SmallVec rhs = g.row(r).transpose();
    delta.row(r) = hess.ldlt().solve(rhs).transpose();
    // Only reachable from non-finite cell terms; a zero step keeps the block where it is.
    if (!delta.row(r).allFinite()) delta.row(r).setZero();
  }
  return delta;
}

// Abstentions (ordered model) count 0: Y is +1 for Yes, 0 for Abstain, -1 for No.
// Leading eigenvectors of Y Y', Y the Yes(+1)/No(-1) matrix centred by roll call over the
// observed cells (missing cells 0): a classical scaling of the members' agreement.
Eigen::MatrixXd initial_positions(const Observations& obs, int dims) {
  Eigen::ArrayXXd coded = 2.0 * obs.yes - 1.0;
  if (obs.ordered()) coded += obs.abstain;
  Eigen::MatrixXd y = coded.matrix().cwiseProduct(obs.observed.matrix());
  for (Eigen::Index j = 0; j < y.cols(); ++j) {
    const double n = obs.observed.col(j).sum();
    if (n > 0) y.col(j) -= (y.col(j).sum() / n) * obs.observed.col(j).matrix();
  }
  const Eigen::MatrixXd s = y * y.transpose();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(s);
  const Eigen::Index n = s.rows();
  Eigen::MatrixXd x(n, dims);
  for (int d = 0; d < dims; ++d) {
    x.col(d) = eig.eigenvectors().col(n - 1 - d) * std::sqrt(static_cast<double>(n));
  }
  return x;
}

}  // namespace detail

OrderedProbabilities ordered_probabilities(double a, double c) {
  // F(c) - F(a) = F(c) F(-a) (1 - exp(-(c - a))): no cancellation in either tail.
  const double yes = yes_probability(Link::kLogit, a);
  const double no = yes_probability(Link::kLogit, -c);
  const double abstain = c > a ? yes_probability(Link::kLogit, c) *
                                     yes_probability(Link::kLogit, -a) * -std::expm1(a - c)
                               : 0.0;
  return {yes, abstain, no};
}

Vote ordered_prediction(double a, double c) {
  const OrderedProbabilities p = ordered_probabilities(a, c);
  if (p.yes >= p.no && p.yes >= p.abstain) return Vote::kYes;
  return p.no >= p.abstain ? Vote::kNo : Vote::kAbstain;
}

Eigen::MatrixXd IdealPoints::linear_predictor() const {
  Eigen::MatrixXd eta = positions * discrimination.transpose();
  eta.rowwise() += intercept.transpose();
  return eta;
}

double cell_log_likelihood(Link link, bool yes, double eta) {
  return cell_terms(link, yes, eta).loglik;
}

double yes_probability(Link link, double eta) {
  if (link == Link::kProbit) return 0.5 * std::erfc(-eta * kSqrtHalf);
  return 1.0 / (1.0 + std::exp(-eta));
}

IdealPoints estimate_ideal_points(const Observations& obs, const EstimatorOptions& options,
                                  const IdealPoints* start) {
  check(obs, options);
  if (options.model == IdealPointModel::kOrdered) {
    return detail::estimate_ordered(obs, options, start);
  }
  Eigen::MatrixXd x;
  Eigen::MatrixXd theta;
  if (start != nullptr) {
    PLENARY_ASSERT(start->positions.rows() == obs.yes.rows());
    x = start->positions;
    theta.resize(obs.yes.cols(), options.dims + 1);
    theta.col(0) = start->intercept;
    theta.rightCols(options.dims) = start->discrimination;
  } else {
    x = detail::initial_positions(obs, options.dims);
    theta = initial_roll_calls(obs, options.dims);
  }
  if (!x.allFinite() || !theta.allFinite()) {
    throw DataError("ideal points: the starting values are not all finite");
  }
  Fitter fitter(obs, options, std::move(x), std::move(theta));
  IdealPoints out;
  detail::run_squarem(fitter, options, out);
  out.positions = fitter.positions();
  out.intercept = fitter.theta().col(0);
  out.discrimination = fitter.theta().rightCols(options.dims);
  // Unreachable with the safeguards above; never hand non-finite numbers on.
  if (!std::isfinite(out.log_posterior) || !out.positions.allFinite() ||
      !out.intercept.allFinite() || !out.discrimination.allFinite()) {
    throw DataError(
        fmt::format("ideal points: the estimator diverged ({} members x {} roll "
                    "calls, {} dimensions, {} iterations): non-finite estimates",
                    obs.yes.rows(), obs.yes.cols(), options.dims, out.iterations));
  }
  return out;
}

Eigen::VectorXd fit_roll_call(const Eigen::MatrixXd& positions, const Eigen::VectorXd& yes,
                              const EstimatorOptions& options) {
  const Eigen::Index p = positions.cols() + 1;
  Eigen::MatrixXd z(positions.rows(), p);
  z.col(0).setOnes();
  z.rightCols(p - 1) = positions;
  const double precision = options.roll_call_precision;
  const auto objective = [&](const Eigen::VectorXd& theta) {
    const Eigen::VectorXd eta = z * theta;
    double value = -0.5 * precision * theta.squaredNorm();
    for (Eigen::Index i = 0; i < eta.size(); ++i) {
      value += cell_terms(options.link, yes(i) != 0.0, eta(i)).loglik;
    }
    return value;
  };
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(p);
  double current = objective(theta);
  for (int it = 0; it < options.max_iterations; ++it) {
    const Eigen::VectorXd eta = z * theta;
    Eigen::VectorXd g = -precision * theta;
    Eigen::MatrixXd h = precision * Eigen::MatrixXd::Identity(p, p);
    for (Eigen::Index i = 0; i < eta.size(); ++i) {
      const CellTerms t = cell_terms(options.link, yes(i) != 0.0, eta(i));
      g += t.grad * z.row(i).transpose();
      h += t.weight * z.row(i).transpose() * z.row(i);
    }
    const Eigen::VectorXd delta = h.ldlt().solve(g);
    double step = 1.0;
    Eigen::VectorXd next = theta + delta;
    double value = objective(next);
    for (int k = 0; value < current && k < kMaxHalvings; ++k) {
      step *= 0.5;
      next = theta + step * delta;
      value = objective(next);
    }
    if (value < current) break;
    theta = next;
    const bool done = value - current <= options.tolerance * std::abs(value);
    current = value;
    if (done) break;
  }
  return theta;
}

}  // namespace plenary::calibrate
