#pragma once
/// Ideal points by maximum a posteriori estimation of an item-response model of Yes
/// against No (docs/calibration.md, "Method"):
///
///   P(member i votes Yes on roll call j) = F(a_j + b_j . x_i),
///
/// F the logistic or the normal distribution function, x_i in R^D the member's position,
/// a_j the roll call's intercept and b_j its discrimination. Abstention and absence are
/// missing. Priors x_i ~ N(0, I) and (a_j, b_j) ~ N(0, 25 I), as pscl::ideal's defaults,
/// make the joint posterior mode well defined even for perfectly separated roll calls.
/// The mode is found by alternating Newton steps over roll calls and members (block
/// coordinate ascent, in the spirit of Imai, Lo & Olmsted 2016), a parameter-expansion
/// step along the likelihood's invariances, and SQUAREM acceleration; should an iteration
/// ever lower the log-posterior or make it non-finite, the rest use step halving per block
/// (monotone, so convergent from any finite start).

#include <fmt/format.h>

#include <Eigen/Core>
#include <cstdint>

#include "plenary/calibrate/vote_matrix.hpp"

namespace plenary::calibrate {

/// The link F.
enum class Link : std::uint8_t { kLogit, kProbit };

/// "logit" or "probit".
constexpr const char* link_name(Link link) { return link == Link::kProbit ? "probit" : "logit"; }

/// What is modelled: Yes against No, abstention missing (kBinary), or the ordered vote
/// No < Abstain < Yes with two cutpoints per roll call (kOrdered; logit link only):
///
///   P(Yes) = F(a_j + b_j . x_i),  P(Yes or Abstain) = F(c_j + b_j . x_i),  c_j > a_j,
///
/// so -c_j < -a_j are the roll call's cutpoints on the scale of b_j . x_i. Absence is
/// missing in both.
enum class IdealPointModel : std::uint8_t { kBinary, kOrdered };

/// "binary" or "ordered".
constexpr const char* model_name(IdealPointModel model) {
  return model == IdealPointModel::kOrdered ? "ordered" : "binary";
}

/// Settings of the estimator.
struct EstimatorOptions {
  /// Dimensions D of the positions, 1..3.
  int dims = 2;
  /// Logistic (default, as W-NOMINATE's and Bailey et al.'s logit) or normal (pscl) link.
  Link link = Link::kLogit;
  /// Yes/No (default) or ordered Yes/Abstain/No.
  IdealPointModel model = IdealPointModel::kBinary;
  /// Stop when a SQUAREM cycle (two plain iterations) raises the log-posterior by less
  /// than tolerance x |log-posterior|. > 0.
  double tolerance = 1e-9;
  /// Give up after this many iterations (each updates every roll call and every member).
  int max_iterations = 1000;
  /// Prior precision of each coordinate of a position: x ~ N(0, I / precision). > 0.
  double position_precision = 1.0;
  /// Prior precision of a roll call's intercept and discriminations: N(0, I / precision).
  /// 0.04 is pscl::ideal's default (variance 25). > 0.
  double roll_call_precision = 0.04;
};

/// Observations, members x roll calls. Binary model: `yes` is 1 for Yes and 0 otherwise,
/// `observed` 1 where the member voted Yes or No and 0 where it abstained or was absent,
/// `abstain` empty (0 x 0). Ordered model: `abstain` is 1 for Abstain and 0 otherwise, and
/// `observed` is 1 for Yes, Abstain or No.
struct Observations {
  Eigen::ArrayXXd yes;
  Eigen::ArrayXXd observed;
  Eigen::ArrayXXd abstain;

  /// Whether abstentions are observations (the ordered model).
  bool ordered() const { return abstain.size() > 0; }
};

/// The observations of a vote matrix for `model`.
Observations observations_from(const VoteCodes& votes,
                               IdealPointModel model = IdealPointModel::kBinary);

/// Estimated parameters. The linear predictor is eta_ij = intercept_j + discrimination_j . x_i.
struct IdealPoints {
  Eigen::MatrixXd positions;       ///< members x D
  Eigen::VectorXd intercept;       ///< roll calls (a_j)
  Eigen::MatrixXd discrimination;  ///< roll calls x D (b_j)
  /// Ordered model: c_j, P(Yes or Abstain) = F(c_j + b_j . x_i), c_j > a_j; binary: empty.
  Eigen::VectorXd abstain_intercept;
  int iterations = 0;          ///< iterations used
  bool converged = false;      ///< whether the tolerance was met
  double log_posterior = 0.0;  ///< at the estimate, up to a constant

  /// eta for every cell, members x roll calls.
  Eigen::MatrixXd linear_predictor() const;
  /// Whether these are the ordered model's parameters.
  bool ordered() const { return abstain_intercept.size() > 0; }
};

/// The ordered model's vote probabilities given a = a_j + b_j . x_i and c = c_j + b_j . x_i
/// (logit link), computed without cancellation.
struct OrderedProbabilities {
  double yes;
  double abstain;
  double no;
};
OrderedProbabilities ordered_probabilities(double a, double c);

/// The most probable vote of the ordered model (ties: Yes, then No, then Abstain).
Vote ordered_prediction(double a, double c);

/// Estimates the model (options.model must match obs.ordered()). Starts from `start` when given
/// (same shape), otherwise from the leading eigenvectors of the members' centred vote cross-product
/// matrix (deterministic). Throws DataError when there are fewer than 10 roll calls per dimension
/// or fewer than D + 2 members or `start` is not finite, and UsageError for options out of range.
/// Never returns a non-finite number (it would throw DataError instead); check `converged`.
IdealPoints estimate_ideal_points(const Observations& obs, const EstimatorOptions& options,
                                  const IdealPoints* start = nullptr);

/// Parameters of one roll call, (intercept, discriminations), with the positions of the
/// members who voted Yes or No held fixed: the posterior mode under the roll-call prior of
/// `options`, by damped Newton steps to `options.tolerance`. `positions` is voters x D,
/// `yes` 1 for Yes and 0 for No.
Eigen::VectorXd fit_roll_call(const Eigen::MatrixXd& positions, const Eigen::VectorXd& yes,
                              const EstimatorOptions& options);

/// Log-likelihood of one Yes (yes = true) or No given eta.
double cell_log_likelihood(Link link, bool yes, double eta);

/// The probability of Yes given eta.
double yes_probability(Link link, double eta);

}  // namespace plenary::calibrate

template <>
struct fmt::formatter<plenary::calibrate::Link> : fmt::formatter<const char*> {
  auto format(plenary::calibrate::Link link, fmt::format_context& ctx) const {
    return fmt::formatter<const char*>::format(plenary::calibrate::link_name(link), ctx);
  }
};
