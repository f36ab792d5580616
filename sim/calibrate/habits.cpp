// Members' habits from the record (docs/calibration.md, "Habits"): the abstention habit h_i
// of each member given the ordered fit, by Newton steps on its own concave log-posterior,
// and the absence propensity shrunk towards the pooled share.
#include "plenary/calibrate/habits.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "calibrate/estimator_detail.hpp"
#include "plenary/util/error.hpp"

namespace plenary::calibrate {

namespace {

constexpr int kMaxIterations = 100;
constexpr int kMaxHalvings = 60;

// The cells of one member: its observed votes with a_j + b_j . x_i, c_j + b_j . x_i.
struct Cell {
  Vote vote;
  double u1, u2;
};

struct Value {
  double objective, gradient, curvature;
};

// log F(u) and log(1 - F(u)) of the logistic F, from exp(-|u|) only.
double log_sigmoid(double u) { return std::min(u, 0.0) - std::log1p(std::exp(-std::abs(u))); }

// The member's log-posterior in h, its derivative and minus its second derivative.
//
// A negative habit narrows every band by 2|h|; where that would close a roll call's band
// (c_j - a_j + 2 h <= 0, so that P(Yes) + P(No) would exceed 1) the band is closed at its
// midpoint: the member votes Yes with F((u1 + u2) / 2) and No otherwise, whatever h is
// below that, and cannot abstain (an abstention there has probability 0, so the log-
// posterior is -inf and the Newton steps stay away). Each cell's term stays concave in h.
Value evaluate(const std::vector<Cell>& cells, double h, double precision) {
  Value v{-0.5 * precision * h * h, -precision * h, precision};
  for (const Cell& c : cells) {
    const double u1 = c.u1 - h;
    const double u2 = c.u2 + h;
    if (!(u2 > u1)) {
      const double mid = 0.5 * (c.u1 + c.u2);
      v.objective += c.vote == Vote::kYes  ? log_sigmoid(mid)
                     : c.vote == Vote::kNo ? log_sigmoid(-mid)
                                           : -std::numeric_limits<double>::infinity();
      continue;
    }
    const detail::OrderedTerms t = detail::ordered_terms(c.vote, u1, u2, -std::expm1(u1 - u2));
    v.objective += t.loglik;
    // u1 falls and u2 rises with h: d/dh = g2 - g1, -d2/dh2 = w11 + w22 - 2 w12.
    v.gradient += t.g2 - t.g1;
    v.curvature += t.w11 + t.w22 - 2.0 * t.w12;
  }
  return v;
}

// The posterior mode of one member's habit subject to h >= floor and h > barrier (where the
// narrowest band it abstained on would close), by projected Newton steps with halving from
// h = 0 (the log-posterior is concave, so the constrained mode is the floor when the free
// one lies below it).
double member_mode(const std::vector<Cell>& cells, double barrier, double floor, double precision,
                   double* curvature) {
  double h = std::max(0.0, floor);
  Value v = evaluate(cells, h, precision);
  for (int k = 0; k < kMaxIterations; ++k) {
    double next = std::max(h + v.gradient / v.curvature, floor);
    if (next <= barrier) next = 0.5 * (h + barrier);
    double step = next - h;
    Value w = evaluate(cells, next, precision);
    for (int m = 0; !(w.objective >= v.objective) && m < kMaxHalvings; ++m) {
      step *= 0.5;
      next = h + step;
      w = evaluate(cells, next, precision);
    }
    if (!(w.objective >= v.objective)) break;
    h = next;
    v = w;
    if (std::abs(step) < 1e-10 * (1.0 + std::abs(h))) break;
  }
  *curvature = v.curvature;
  return h;
}

}  // namespace

Eigen::VectorXd estimate_abstain_habits(const Observations& obs, const IdealPoints& est,
                                        const HabitOptions& options, Eigen::VectorXd* se) {
  if (!obs.ordered() || !est.ordered()) {
    throw UsageError("abstention habits need the ordered model (--model ordered)");
  }
  if (!(options.precision > 0.0) || !std::isfinite(options.precision)) {
    throw UsageError(
        fmt::format("--habit-precision {}: expected a number above 0", options.precision));
  }
  if (!(options.floor <= 0.0) || !std::isfinite(options.floor)) {
    throw UsageError(fmt::format("--habit-floor {}: expected a number, 0 or below", options.floor));
  }
  const Eigen::MatrixXd eta = est.positions * est.discrimination.transpose();
  const Eigen::Index n = eta.rows();
  Eigen::VectorXd habit(n);
  if (se != nullptr) se->resize(n);
  std::vector<Cell> cells;
  for (Eigen::Index i = 0; i < n; ++i) {
    cells.clear();
    double narrowest = std::numeric_limits<double>::infinity();
    for (Eigen::Index j = 0; j < eta.cols(); ++j) {
      if (obs.observed(i, j) == 0.0) continue;
      const Vote v = obs.yes(i, j) != 0.0       ? Vote::kYes
                     : obs.abstain(i, j) != 0.0 ? Vote::kAbstain
                                                : Vote::kNo;
      cells.push_back({v, est.intercept(j) + eta(i, j), est.abstain_intercept(j) + eta(i, j)});
      if (v == Vote::kAbstain) {
        narrowest = std::min(narrowest, est.abstain_intercept(j) - est.intercept(j));
      }
    }
    if (cells.empty()) {  // no votes: the prior's mode
      habit(i) = 0.0;
      if (se != nullptr) (*se)(i) = 1.0 / std::sqrt(options.precision);
      continue;
    }
    const double barrier = -0.5 * narrowest;  // -inf if it never abstained
    double curvature = 0.0;
    habit(i) = member_mode(cells, barrier, options.floor, options.precision, &curvature);
    if (se != nullptr) (*se)(i) = 1.0 / std::sqrt(curvature);
  }
  return habit;
}

void estimate_absence(const Eigen::VectorXd& absent, const Eigen::VectorXd& member,
                      const HabitOptions& options, Habits& out) {
  if (!(options.absence_prior >= 0.0) || !std::isfinite(options.absence_prior)) {
    throw UsageError(fmt::format("--absence-prior {}: expected a number of roll calls, 0 or more",
                                 options.absence_prior));
  }
  const double total = member.sum();
  const double p = total > 0.0 ? absent.sum() / total : 0.0;
  const double k = options.absence_prior;
  out.pooled_absence = p;
  out.absence.resize(absent.size());
  out.absence_se.resize(absent.size());
  for (Eigen::Index i = 0; i < absent.size(); ++i) {
    const double weight = member(i) + k;
    const double share = weight > 0.0 ? (absent(i) + k * p) / weight : p;
    out.absence(i) = share;
    // The Beta(absent + k p, present + k (1 - p)) posterior's standard deviation.
    out.absence_se(i) = std::sqrt(share * (1.0 - share) / (weight + 1.0));
  }
}

}  // namespace plenary::calibrate
