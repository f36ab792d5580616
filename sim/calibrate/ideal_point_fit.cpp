#include "plenary/calibrate/ideal_point_fit.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <Eigen/LU>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "calibrate/estimator_detail.hpp"

namespace plenary::calibrate {

namespace {

// The member farthest from the centre on column d (the first such, for determinism).
Eigen::Index farthest(const Eigen::MatrixXd& x, Eigen::Index d) {
  Eigen::Index best = 0;
  x.col(d).cwiseAbs().maxCoeff(&best);
  return best;
}

// The vote of an observed cell of the ordered model.
Vote observed_vote(const Observations& obs, Eigen::Index i, Eigen::Index j) {
  if (obs.yes(i, j) != 0.0) return Vote::kYes;
  return obs.abstain(i, j) != 0.0 ? Vote::kAbstain : Vote::kNo;
}

// The ordered model's log-likelihood of `vote` given u1 = a + b.x, u2 = c + b.x.
double ordered_log_likelihood(Vote vote, double u1, double u2) {
  return detail::ordered_terms(vote, u1, u2, -std::expm1(u1 - u2)).loglik;
}

// PCC, majority PCC and APRE from the counts, and each member's PCC from its errors.
void finish_fit(FitStatistics& fit, const Eigen::VectorXi& member_errors) {
  fit.member_pcc.resize(member_errors.size());
  for (Eigen::Index i = 0; i < member_errors.size(); ++i) {
    fit.member_pcc(i) = fit.member_votes(i) > 0
                            ? 1.0 - static_cast<double>(member_errors(i)) / fit.member_votes(i)
                            : std::numeric_limits<double>::quiet_NaN();
  }
  const auto cells = static_cast<double>(fit.cells);
  fit.pcc = fit.cells > 0 ? 1.0 - static_cast<double>(fit.errors) / cells : 0.0;
  fit.majority_pcc = fit.cells > 0 ? 1.0 - static_cast<double>(fit.majority_errors) / cells : 0.0;
  fit.apre = fit.majority_errors > 0 ? static_cast<double>(fit.majority_errors - fit.errors) /
                                           static_cast<double>(fit.majority_errors)
                                     : 0.0;
}

// compute_fit() of the ordered model: three categories, the modal vote predicted, APRE
// against each roll call's most frequent vote.
FitStatistics compute_ordered_fit(const Observations& obs, const IdealPoints& est) {
  const Eigen::MatrixXd eta = est.linear_predictor();
  const Eigen::VectorXd gap = est.abstain_intercept - est.intercept;
  const Eigen::Index n = obs.yes.rows();
  const Eigen::Index m = obs.yes.cols();
  FitStatistics fit;
  Eigen::VectorXi member_errors = Eigen::VectorXi::Zero(n);
  fit.member_votes = Eigen::VectorXi::Zero(n);
  fit.roll_call_pcc.resize(m);
  for (Eigen::Index j = 0; j < m; ++j) {
    std::array<long, kVotes> count{};
    long cells = 0;
    long errors = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (obs.observed(i, j) == 0.0) continue;
      const Vote vote = observed_vote(obs, i, j);
      const bool wrong = ordered_prediction(eta(i, j), eta(i, j) + gap(j)) != vote;
      ++count[vote_index(vote)];
      ++cells;
      errors += wrong;
      member_errors(i) += wrong;
      ++fit.member_votes(i);
      fit.log_likelihood += ordered_log_likelihood(vote, eta(i, j), eta(i, j) + gap(j));
    }
    fit.cells += cells;
    fit.errors += errors;
    fit.majority_errors +=
        cells - std::max({count[vote_index(Vote::kYes)], count[vote_index(Vote::kNo)],
                          count[vote_index(Vote::kAbstain)]});
    fit.roll_call_pcc(j) = cells > 0
                               ? 1.0 - static_cast<double>(errors) / static_cast<double>(cells)
                               : std::numeric_limits<double>::quiet_NaN();
  }
  finish_fit(fit, member_errors);
  return fit;
}

}  // namespace

Identification identify(IdealPoints& est, Eigen::Index reference) {
  const Eigen::Index n = est.positions.rows();
  const Eigen::Index dims = est.positions.cols();
  Identification id;
  id.centre = est.positions.colwise().mean();
  const Eigen::MatrixXd centred = est.positions.rowwise() - id.centre;
  const Eigen::MatrixXd cov = centred.transpose() * centred / static_cast<double>(n);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
  // Eigen sorts eigenvalues in increasing order; the principal axis comes first here.
  Eigen::MatrixXd axes(dims, dims);
  Eigen::VectorXd scale(dims);
  for (Eigen::Index d = 0; d < dims; ++d) {
    axes.col(d) = eig.eigenvectors().col(dims - 1 - d);
    scale(d) = std::sqrt(std::max(eig.eigenvalues()(dims - 1 - d), 1e-300));
  }
  id.transform = axes * scale.cwiseInverse().asDiagonal();
  Eigen::MatrixXd x = centred * id.transform;
  for (Eigen::Index d = 0; d < dims; ++d) {
    const Eigen::Index who = d == 0 && reference >= 0 ? reference : farthest(x, d);
    if (x(who, d) < 0.0) {
      x.col(d) *= -1.0;
      id.transform.col(d) *= -1.0;
    }
  }
  // eta = a + x b = (a + centre b) + x' (T^-1 b): x = x' T^-1 + centre.
  est.intercept += est.discrimination * id.centre.transpose();
  if (est.ordered()) est.abstain_intercept += est.discrimination * id.centre.transpose();
  est.discrimination = est.discrimination * id.transform.inverse().transpose();
  est.positions = x;
  return id;
}

FitStatistics compute_fit(const Observations& obs, const IdealPoints& est, Link link) {
  if (est.ordered()) {
    return compute_ordered_fit(obs, est);
  }
  const Eigen::MatrixXd eta = est.linear_predictor();
  const Eigen::Index n = obs.yes.rows();
  const Eigen::Index m = obs.yes.cols();
  FitStatistics fit;
  Eigen::VectorXi member_errors = Eigen::VectorXi::Zero(n);
  fit.member_votes = Eigen::VectorXi::Zero(n);
  fit.roll_call_pcc.resize(m);
  for (Eigen::Index j = 0; j < m; ++j) {
    long yes = 0;
    long cells = 0;
    long errors = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (obs.observed(i, j) == 0.0) continue;
      const bool voted_yes = obs.yes(i, j) != 0.0;
      const bool wrong = (eta(i, j) > 0.0) != voted_yes;
      yes += voted_yes;
      ++cells;
      errors += wrong;
      member_errors(i) += wrong;
      ++fit.member_votes(i);
      fit.log_likelihood += cell_log_likelihood(link, voted_yes, eta(i, j));
    }
    fit.cells += cells;
    fit.errors += errors;
    fit.majority_errors += std::min(yes, cells - yes);
    fit.roll_call_pcc(j) = cells > 0
                               ? 1.0 - static_cast<double>(errors) / static_cast<double>(cells)
                               : std::numeric_limits<double>::quiet_NaN();
  }
  finish_fit(fit, member_errors);
  return fit;
}

double masked_pcc(const Observations& obs, const Eigen::ArrayXXd& mask, const IdealPoints& est,
                  long& cells) {
  const Eigen::MatrixXd eta = est.linear_predictor();
  cells = 0;
  long correct = 0;
  for (Eigen::Index j = 0; j < eta.cols(); ++j) {
    for (Eigen::Index i = 0; i < eta.rows(); ++i) {
      if (mask(i, j) == 0.0 || obs.observed(i, j) == 0.0) continue;
      ++cells;
      if (est.ordered()) {
        const double c = eta(i, j) + est.abstain_intercept(j) - est.intercept(j);
        correct += ordered_prediction(eta(i, j), c) == observed_vote(obs, i, j);
      } else {
        correct += (eta(i, j) > 0.0) == (obs.yes(i, j) != 0.0);
      }
    }
  }
  return cells > 0 ? static_cast<double>(correct) / static_cast<double>(cells)
                   : std::numeric_limits<double>::quiet_NaN();
}

Eigen::MatrixXd curvature_standard_errors(const Observations& obs, const IdealPoints& est,
                                          const Identification& id, Link link,
                                          double position_precision) {
  const Eigen::MatrixXd eta = est.linear_predictor();
  const Eigen::Index dims = est.positions.cols();
  // The prior x ~ N(0, I / precision) in the identified coordinates x' = (x - c) T.
  const Eigen::MatrixXd t_inv = id.transform.inverse();
  const Eigen::MatrixXd prior = position_precision * t_inv * t_inv.transpose();
  Eigen::MatrixXd se(est.positions.rows(), dims);
  for (Eigen::Index i = 0; i < eta.rows(); ++i) {
    Eigen::MatrixXd info = prior;
    for (Eigen::Index j = 0; j < eta.cols(); ++j) {
      if (obs.observed(i, j) == 0.0) continue;
      const double p = yes_probability(link, eta(i, j));
      double w = p * (1.0 - p);
      if (est.ordered()) {
        // Fisher information of an ordered cell: sum over the votes of (dP/deta)^2 / P.
        const double c = eta(i, j) + est.abstain_intercept(j) - est.intercept(j);
        const OrderedProbabilities pr = ordered_probabilities(eta(i, j), c);
        const double f1 = pr.yes * (1.0 - pr.yes);
        const double f2 = pr.no * (1.0 - pr.no);
        w = pr.yes * (1.0 - pr.yes) * (1.0 - pr.yes) + pr.no * (1.0 - pr.no) * (1.0 - pr.no) +
            (pr.abstain > 0.0 ? (f2 - f1) * (f2 - f1) / pr.abstain : 0.0);
      } else if (link == Link::kProbit) {
        // Fisher information of a probit cell: phi^2 / (Phi (1 - Phi)).
        const double phi = std::exp(-0.5 * eta(i, j) * eta(i, j)) * 0.39894228040143267794;
        w = w > 0.0 ? phi * phi / w : 0.0;
      }
      info += w * est.discrimination.row(j).transpose() * est.discrimination.row(j);
    }
    se.row(i) = info.inverse().diagonal().cwiseSqrt().transpose();
  }
  return se;
}

}  // namespace plenary::calibrate
