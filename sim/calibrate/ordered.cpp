// The ordered Yes/Abstain/No item-response model (docs/calibration.md, "Ordered model"):
//
//   P(Yes) = F(a_j + b_j . x_i),  P(Yes or Abstain) = F(c_j + b_j . x_i),  c_j > a_j,
//
// F logistic, by the same alternating Newton scheme as the binary model (ideal_points.cpp):
// a Newton step for every roll call's (a_j, c_j, b_j), one for every member's x_i, a
// parameter-expansion jump, SQUAREM on top, and step halving per block should a whole-step
// iteration ever lower the log-posterior. The log-likelihood of a cumulative-logit model is
// concave in (a_j, c_j, b_j) and in x_i (Pratt 1981), so every block is a concave problem.
// Besides the priors of the binary model, each roll call carries the barrier prior
// log(1 - exp(-(c_j - a_j))), concave in the gap and unchanged by the parameter expansion:
// it keeps the cutpoints ordered when a roll call has few or no abstentions.
#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <Eigen/LU>
#include <cmath>
#include <limits>

#include "calibrate/estimator_detail.hpp"
#include "plenary/util/assert.hpp"
#include "plenary/util/error.hpp"

namespace plenary::calibrate {

namespace detail {

namespace {

// softplus(u) = log(1 + exp(u)), and F(u), 1 - F(u), from exp(-|u|) only.
struct Logistic {
  double softplus, p, q;
};
Logistic logistic(double u) {
  const double e = std::exp(-std::abs(u));
  const double big = 1.0 / (1.0 + e);  // F(|u|)
  const double small = e * big;        // 1 - F(|u|)
  return {std::max(u, 0.0) + std::log1p(e), u >= 0.0 ? big : small, u >= 0.0 ? small : big};
}

}  // namespace

OrderedTerms ordered_terms(Vote vote, double u1, double u2, double s) {
  if (vote == Vote::kYes) {
    const Logistic l = logistic(u1);
    return {u1 - l.softplus, l.q, 0.0, l.p * l.q, 0.0, 0.0};
  }
  if (vote == Vote::kNo) {
    const Logistic l = logistic(u2);
    return {-l.softplus, 0.0, -l.p, 0.0, l.p * l.q, 0.0};
  }
  // Abstain: log(F(u2) - F(u1)) = log F(u2) + log(1 - F(u1)) + log s.
  const Logistic l1 = logistic(u1);
  const Logistic l2 = logistic(u2);
  const double loglik = (u2 - l2.softplus) - l1.softplus + std::log(s);
  const double g2 = l2.q / (l1.q * s);  // f(u2) / (F(u2) - F(u1))
  const double h1 = l1.p / (l2.p * s);  // f(u1) / (F(u2) - F(u1))
  return {loglik, -h1, g2, h1 * (h1 + 1.0 - 2.0 * l1.p), g2 * (g2 - 1.0 + 2.0 * l2.p), -g2 * h1};
}

namespace {

constexpr int kMaxHalvings = 30;

// log(1 - exp(-gap)), its derivative and minus its second derivative; the log is NaN or
// -inf (a fall, to the safeguards) once gap <= 0.
double barrier(double gap) {
  return gap > 0.0 ? std::log(-std::expm1(-gap)) : -std::numeric_limits<double>::infinity();
}
double barrier_grad(double gap) { return 1.0 / std::expm1(gap); }
double barrier_weight(double gap) { return 1.0 / (std::expm1(gap) * -std::expm1(-gap)); }

class OrderedFitter {
 public:
  OrderedFitter(const Observations& obs, const EstimatorOptions& options, Eigen::MatrixXd x,
                Eigen::MatrixXd theta)
      : o_(options), dims_(options.dims), x_(std::move(x)), theta_(std::move(theta)) {
    const Eigen::Index n = obs.yes.rows();
    const Eigen::Index m = obs.yes.cols();
    vote_.resize(n, m);
    for (Eigen::Index j = 0; j < m; ++j) {
      for (Eigen::Index i = 0; i < n; ++i) {
        vote_(i, j) = obs.observed(i, j) == 0.0  ? Vote::kAbsent
                      : obs.yes(i, j) != 0.0     ? Vote::kYes
                      : obs.abstain(i, j) != 0.0 ? Vote::kAbstain
                                                 : Vote::kNo;
      }
    }
    eta_.resize(n, m);
    loglik_.resize(n, m);
    g1_.resize(n, m);
    g2_.resize(n, m);
    w11_.resize(n, m);
    w22_.resize(n, m);
    w12_.resize(n, m);
    compute_eta();
    evaluate_all();
  }

  double log_posterior() const {
    double barriers = 0.0;
    for (Eigen::Index j = 0; j < theta_.rows(); ++j) barriers += barrier(gap(j));
    return loglik_.sum() + barriers - 0.5 * o_.position_precision * x_.squaredNorm() -
           0.5 * o_.roll_call_precision * theta_.squaredNorm();
  }

  void member_step() {
    const Eigen::MatrixXd b = theta_.rightCols(dims_);
    const Eigen::MatrixXd g = (g1_ + g2_).matrix() * b - o_.position_precision * x_;
    const Eigen::MatrixXd h = (w11_ + w22_ + 2.0 * w12_).matrix() * pair_products(b);
    const Eigen::MatrixXd delta = newton_steps(g, h, o_.position_precision);
    const Eigen::ArrayXd before = careful_ ? member_objective() : Eigen::ArrayXd();
    const Eigen::MatrixXd old = x_;
    x_ += delta;
    compute_eta();
    evaluate_all();
    if (!careful_) return;
    const Eigen::ArrayXd after = member_objective();
    for (Eigen::Index i = 0; i < x_.rows(); ++i) {
      double step = 1.0;
      double value = after(i);
      for (int k = 0; !(value >= before(i)) && k < kMaxHalvings; ++k) {
        step = k + 1 < kMaxHalvings ? 0.5 * step : 0.0;
        x_.row(i) = old.row(i) + step * delta.row(i);
        eta_.row(i) = x_.row(i) * b.transpose();
        evaluate_row(i);
        value = loglik_.row(i).sum() - 0.5 * o_.position_precision * x_.row(i).squaredNorm();
      }
    }
  }

  void roll_call_step() {
    const Eigen::Index m = theta_.rows();
    const Eigen::Index p = dims_ + 2;
    const Eigen::MatrixXd xx = pair_products(x_);
    Eigen::MatrixXd g(m, p);
    g.col(0) = g1_.colwise().sum().transpose();
    g.col(1) = g2_.colwise().sum().transpose();
    g.rightCols(dims_) = (g1_ + g2_).matrix().transpose() * x_;
    g -= o_.roll_call_precision * theta_;
    Eigen::MatrixXd h(m, p * (p + 1) / 2);
    const Eigen::MatrixXd w1x = (w11_ + w12_).matrix().transpose() * x_;
    const Eigen::MatrixXd w2x = (w22_ + w12_).matrix().transpose() * x_;
    const Eigen::MatrixXd wxx = (w11_ + w22_ + 2.0 * w12_).matrix().transpose() * xx;
    // Packed upper triangle over (a, c, b_1..b_D), as pair_products() orders it.
    h.col(0) = w11_.colwise().sum().transpose();
    h.col(1) = w12_.colwise().sum().transpose();
    h.middleCols(2, dims_) = w1x;
    h.col(p) = w22_.colwise().sum().transpose();
    h.middleCols(p + 1, dims_) = w2x;
    h.rightCols(dims_ * (dims_ + 1) / 2) = wxx;
    for (Eigen::Index j = 0; j < m; ++j) {
      const double gj = gap(j);
      const double d1 = barrier_grad(gj);
      const double d2 = barrier_weight(gj);
      g(j, 0) -= d1;
      g(j, 1) += d1;
      h(j, 0) += d2;
      h(j, 1) -= d2;
      h(j, p) += d2;
    }
    const Eigen::MatrixXd delta = newton_steps(g, h, o_.roll_call_precision);
    const Eigen::ArrayXd before = careful_ ? roll_call_objective() : Eigen::ArrayXd();
    const Eigen::MatrixXd old = theta_;
    theta_ += delta;
    compute_eta();
    evaluate_all();
    if (!careful_) return;
    const Eigen::ArrayXd after = roll_call_objective();
    for (Eigen::Index j = 0; j < m; ++j) {
      double step = 1.0;
      double value = after(j);
      for (int k = 0; !(value >= before(j)) && k < kMaxHalvings; ++k) {
        step = k + 1 < kMaxHalvings ? 0.5 * step : 0.0;
        theta_.row(j) = old.row(j) + step * delta.row(j);
        eta_.col(j) = x_ * theta_.row(j).rightCols(dims_).transpose();
        evaluate_col(j);
        value = column_objective(j);
      }
    }
  }

  // As Fitter::iterate() of the binary model.
  double iterate() {
    const double before = log_posterior();
    const Eigen::MatrixXd x = x_;
    const Eigen::MatrixXd theta = theta_;
    roll_call_step();
    member_step();
    expand();
    const double after = log_posterior();
    if (!careful_ && std::isfinite(before) && !(after >= before - 1e-12 * std::abs(before))) {
      careful_ = true;
      set(x, theta);
      return iterate();
    }
    return after;
  }

  void set(Eigen::MatrixXd x, Eigen::MatrixXd theta) {
    x_ = std::move(x);
    theta_ = std::move(theta);
    compute_eta();
    evaluate_all();
  }

  // Parameter expansion, as the binary model's: x -> (x - m) A, a -> a + b.m,
  // c -> c + b.m, b -> A^-1 b leave the likelihood and the barrier unchanged; m and then A
  // minimise the prior penalty.
  void expand() {
    const Eigen::Index n = x_.rows();
    const double lx = o_.position_precision;
    const double lt = o_.roll_call_precision;
    const Eigen::MatrixXd b = theta_.rightCols(dims_);
    const Eigen::MatrixXd lhs =
        lx * static_cast<double>(n) * Eigen::MatrixXd::Identity(dims_, dims_) +
        2.0 * lt * b.transpose() * b;
    const Eigen::VectorXd rhs =
        lx * x_.colwise().sum().transpose() - lt * b.transpose() * (theta_.col(0) + theta_.col(1));
    const Eigen::RowVectorXd m = lhs.ldlt().solve(rhs).transpose();
    if (!m.allFinite()) return;
    x_.rowwise() -= m;
    theta_.col(0) += b * m.transpose();
    theta_.col(1) += b * m.transpose();
    const Eigen::MatrixXd sx = x_.transpose() * x_;
    const Eigen::MatrixXd sb = b.transpose() * b;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> ex(sx);
    if (ex.eigenvalues().minCoeff() <= 1e-12 * ex.eigenvalues().maxCoeff()) {
      compute_eta();
      return;
    }
    const Eigen::MatrixXd half = ex.operatorSqrt();
    const Eigen::MatrixXd half_inv = ex.operatorInverseSqrt();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> inner(half * sb * half);
    if (inner.eigenvalues().minCoeff() <= 0.0) {
      compute_eta();
      return;
    }
    const Eigen::MatrixXd pm = std::sqrt(lt / lx) * half_inv * inner.operatorSqrt() * half_inv;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> ep(pm);
    const Eigen::MatrixXd a = ep.operatorSqrt();
    const Eigen::MatrixXd a_inv = a.inverse();
    if (a.allFinite() && a_inv.allFinite()) {
      x_ = x_ * a;
      theta_.rightCols(dims_) = b * a_inv.transpose();
    }
    // eta = b.x changes with the shift; the cells' terms (functions of a + b.x, c + b.x)
    // do not, up to rounding.
    compute_eta();
  }

  const Eigen::MatrixXd& positions() const { return x_; }
  const Eigen::MatrixXd& theta() const { return theta_; }

 private:
  double gap(Eigen::Index j) const { return theta_(j, 1) - theta_(j, 0); }

  Eigen::ArrayXd member_objective() const {
    return loglik_.rowwise().sum() -
           0.5 * o_.position_precision * x_.rowwise().squaredNorm().array();
  }
  double column_objective(Eigen::Index j) const {
    return loglik_.col(j).sum() + barrier(gap(j)) -
           0.5 * o_.roll_call_precision * theta_.row(j).squaredNorm();
  }
  Eigen::ArrayXd roll_call_objective() const {
    Eigen::ArrayXd out(theta_.rows());
    for (Eigen::Index j = 0; j < theta_.rows(); ++j) out(j) = column_objective(j);
    return out;
  }

  // eta = b_j . x_i, without the intercepts.
  void compute_eta() { eta_.noalias() = x_ * theta_.rightCols(dims_).transpose(); }

  void evaluate(Eigen::Index i, Eigen::Index j, double s) {
    const Vote v = vote_(i, j);
    if (v == Vote::kAbsent) {
      loglik_(i, j) = g1_(i, j) = g2_(i, j) = w11_(i, j) = w22_(i, j) = w12_(i, j) = 0.0;
      return;
    }
    const OrderedTerms t =
        ordered_terms(v, theta_(j, 0) + eta_(i, j), theta_(j, 1) + eta_(i, j), s);
    loglik_(i, j) = t.loglik;
    g1_(i, j) = t.g1;
    g2_(i, j) = t.g2;
    w11_(i, j) = t.w11;
    w22_(i, j) = t.w22;
    w12_(i, j) = t.w12;
  }
  void evaluate_col(Eigen::Index j) {
    const double s = -std::expm1(-gap(j));
    for (Eigen::Index i = 0; i < eta_.rows(); ++i) evaluate(i, j, s);
  }
  void evaluate_row(Eigen::Index i) {
    for (Eigen::Index j = 0; j < eta_.cols(); ++j) evaluate(i, j, -std::expm1(-gap(j)));
  }
  void evaluate_all() {
    for (Eigen::Index j = 0; j < eta_.cols(); ++j) evaluate_col(j);
  }

  EstimatorOptions o_;
  Eigen::Index dims_;
  Eigen::Matrix<Vote, Eigen::Dynamic, Eigen::Dynamic> vote_;
  Eigen::MatrixXd x_;      // members x D
  Eigen::MatrixXd theta_;  // roll calls x (2 + D): a, c, discriminations
  Eigen::MatrixXd eta_;
  Eigen::ArrayXXd loglik_, g1_, g2_, w11_, w22_, w12_;
  bool careful_ = false;
};

// Intercepts at the logits of each roll call's Yes share and Yes-or-Abstain share (with
// half a vote of each kind added, so both are finite and c > a), discriminations 0.
Eigen::MatrixXd initial_roll_calls(const Observations& obs, int dims) {
  Eigen::MatrixXd theta = Eigen::MatrixXd::Zero(obs.yes.cols(), dims + 2);
  for (Eigen::Index j = 0; j < theta.rows(); ++j) {
    const double n = obs.observed.col(j).sum();
    const double yes = (obs.yes.col(j) * obs.observed.col(j)).sum();
    const double abstain = (obs.abstain.col(j) * obs.observed.col(j)).sum();
    const double low = (yes + 0.5) / (n + 1.5);
    const double high = (yes + abstain + 1.0) / (n + 1.5);
    theta(j, 0) = std::log(low / (1.0 - low));
    theta(j, 1) = std::log(high / (1.0 - high));
  }
  return theta;
}

}  // namespace

IdealPoints estimate_ordered(const Observations& obs, const EstimatorOptions& options,
                             const IdealPoints* start) {
  if (!obs.ordered() || obs.abstain.rows() != obs.yes.rows() ||
      obs.abstain.cols() != obs.yes.cols()) {
    throw UsageError("the ordered model needs the abstentions as observations");
  }
  if (options.link != Link::kLogit) {
    throw UsageError(
        fmt::format("--model ordered: only the logit link is implemented, not "
                    "--link {}",
                    options.link));
  }
  Eigen::MatrixXd x;
  Eigen::MatrixXd theta;
  if (start != nullptr) {
    PLENARY_ASSERT(start->positions.rows() == obs.yes.rows() && start->ordered());
    x = start->positions;
    theta.resize(obs.yes.cols(), options.dims + 2);
    theta.col(0) = start->intercept;
    theta.col(1) = start->abstain_intercept;
    theta.rightCols(options.dims) = start->discrimination;
  } else {
    x = initial_positions(obs, options.dims);
    theta = initial_roll_calls(obs, options.dims);
  }
  if (!x.allFinite() || !theta.allFinite() ||
      !((theta.col(1) - theta.col(0)).array() > 0.0).all()) {
    throw DataError(
        "ideal points: the starting values are not all finite, or a roll call's "
        "abstention intercept is not above its Yes intercept");
  }
  OrderedFitter fitter(obs, options, std::move(x), std::move(theta));
  IdealPoints out;
  run_squarem(fitter, options, out);
  out.positions = fitter.positions();
  out.intercept = fitter.theta().col(0);
  out.abstain_intercept = fitter.theta().col(1);
  out.discrimination = fitter.theta().rightCols(options.dims);
  if (!std::isfinite(out.log_posterior) || !out.positions.allFinite() ||
      !out.intercept.allFinite() || !out.abstain_intercept.allFinite() ||
      !out.discrimination.allFinite()) {
    throw DataError(
        fmt::format("ideal points: the ordered estimator diverged ({} members x {} "
                    "roll calls, {} dimensions, {} iterations): non-finite estimates",
                    obs.yes.rows(), obs.yes.cols(), options.dims, out.iterations));
  }
  return out;
}

}  // namespace detail

}  // namespace plenary::calibrate
