#pragma once
/// Drafts anchored to the record: a draft's `like: {roll_call, votes}` (docs/scenario-format.md)
/// places that recorded roll call in the scenario's positions space, by maximum a posteriori
/// under the ordered No < Abstain < Yes model of the vote phase (place_roll_call of
/// dynamic_ideal_points.hpp, the members' positions held fixed), and sets the draft's status
/// quo and cut points from the placement, with standard errors (docs/model.md, "Drafts like a
/// recorded roll call").

#include <Eigen/Core>
#include <string>
#include <vector>

#include "plenary/scenario/like_source.hpp"
#include "plenary/scenario/scenario.hpp"

namespace plenary::forecast {

/// The roll-call prior precision of a `like:` placement: calibrate's default (N(0, 25 I)).
inline constexpr double kLikePrecision = 0.04;

/// A placed roll call (a, c, b) mapped onto a draft's vote rule with its position p and
/// phi_fit held: P(Yes) = F(a + b.x), P(No) = F(-(c + b.x)) equals the simulator's
/// F(m - tau_yes), F(-m - tau_no) with m = phi (|x - q|^2 - |x - p|^2) exactly when
///   q = p - b / (2 phi),  K = phi (|q|^2 - |p|^2),  tau_yes = K - a,  tau_no = c - K.
struct LikeMap {
  Eigen::VectorXd status_quo;     ///< q
  Eigen::VectorXd status_quo_se;  ///< by the delta method from the placement's covariance
  double tau_yes = 0;
  double tau_yes_se = 0;
  double tau_no = 0;
  double tau_no_se = 0;
};

/// The map above. `theta` is (a, c, b_1..b_D), `covariance` its covariance (may be empty:
/// the SEs are then NaN), `position` p and `phi` > 0.
LikeMap map_placement(const Eigen::VectorXd& theta, const Eigen::MatrixXd& covariance,
                      const Eigen::VectorXd& position, double phi);

/// What one draft's `like:` used and set (printed by `plenary validate` and `plenary run`).
struct LikeReport {
  std::string draft;      ///< the draft's id
  std::string roll_call;  ///< as written
  std::string votes;      ///< the votes path as written
  int rcid = 0;
  std::string symbol;  ///< the data's `unres`
  std::string title;
  std::string date;
  int yes = 0;  ///< votes of the scenario's members on the roll call
  int abstain = 0;
  int no = 0;
  int others = 0;         ///< Yes/Abstain/No votes of states that are not members here
  Eigen::VectorXd theta;  ///< the placement (a, c, b)
  Eigen::VectorXd se;     ///< its standard errors
  bool converged = false;
  Eigen::VectorXd position;  ///< p used (the draft's own rule)
  bool position_sponsors = false;
  double phi_fit = 0;             ///< the draft's effective phi_fit, held
  LikeMap mapped;                 ///< the mapped values and SEs
  bool status_quo_given = false;  ///< the draft's own status_quo kept instead
  bool tau_yes_given = false;     ///< the draft's own tau_yes kept instead
  bool tau_no_given = false;      ///< the draft's own tau_no kept instead
};

/// Places every `like:` entry (as load_scenario(file, likes) returns them) and sets its
/// draft's status_quo, tau_yes and tau_no (per-draft overrides) from the map, except the
/// fields the draft gives itself. Reads each votes path once. Throws ScenarioError at the `like:`
/// entry's roll_call or votes for an unknown symbol or rcid (with a did-you-mean), a symbol of
/// several roll calls, a roll call without recorded votes by the scenario's members, or phi_fit <=
/// 0; DataError for a broken votes file. Validates the scenario again when there was any.
std::vector<LikeReport> place_likes(Scenario& scenario, const std::vector<LikeSource>& likes);

/// The reports as text, a few lines per draft ("" when there are none).
std::string format_likes(const std::vector<LikeReport>& reports);

/// A resolution symbol in one spelling: upper case, spaces dropped, "A/RES/73/27" and
/// "R/73/27" (Voeten's data) both "R/73/27".
std::string normalise_symbol(std::string_view symbol);

}  // namespace plenary::forecast
