#pragma once
/// The rules of the model (MODEL.md), one function per rule: how a member decides to
/// co-sponsor, how it votes, when a draft is withdrawn, adopted, or adopted without a vote.
///
/// Everything that decides an outcome is here; the engine (sim/engine) only keeps the
/// terms up to date, draws the random numbers and calls these functions over many members
/// at once. Its vectorised loops call the same inline functions, so the scalar and the
/// vectorised paths compute each value with the same IEEE operations in the same order
/// (docs/model.md, "Phase 1"); where a loop must avoid the full exp() it
/// brackets it first and settles the members left over with the exact test below.
/// The order of the operations inside each function is part of the results: changing it
/// changes the bits of every run (tests/golden). This header is the rules' one home: a
/// caller outside the engine (a test, a report) calls these same functions.

#include <algorithm>

#include "plenary/core/exp.hpp"
#include "plenary/model/model.hpp"
#include "plenary/model/parameters.hpp"

namespace plenary {

/// Ordered-logit vote probabilities with the noise integrated out (MODEL.md, phase 2).
struct VoteProbabilities {
  double yes = 0;
  double no = 0;
  double abstain = 0;
};

namespace rules {

// ---- Phase 1: co-sponsorship rounds (MODEL.md, "Phase 1: co-sponsorship rounds") ----

/// The part of z_ir fixed for the whole run: theta_0 - theta_fit |x_i - p_r|^2, from the
/// squared distance to the draft.
inline double join_base(const Parameters& p, double distance2_to_draft) {
  return p.theta_0 - p.theta_fit * distance2_to_draft;
}

/// The coefficient of the sponsors' clout in z_ir: theta_lobby e_r / sum_j c_j.
inline double lobby_coefficient(const Parameters& p, double lobbying, double total_clout) {
  return p.theta_lobby * lobbying / total_clout;
}

/// The join log-odds z_ir(t) = base + theta_peer (W s_r)_i + theta_bloc b_ir + lobby -
/// theta_rival (rivals of r that i sponsors), with lobby = lobby_coefficient times the
/// sponsors' clout.
inline double join_utility(double base, double peer, double bloc, double lobby, double rival,
                           double theta_peer, double theta_bloc, double theta_rival) {
  return base + theta_peer * peer + theta_bloc * bloc + lobby - theta_rival * rival;
}

/// A member not yet sponsoring joins with probability sigmoid(z): for a uniform u in
/// (0, 1), when u < sigmoid(z), tested as u (1 + exp(-z)) < 1 (no division, no logarithm).
inline bool joins(double u, double z) { return u * (1.0 + kernels::exp(-z)) < 1.0; }

// ---- Phase 2: the vote (MODEL.md, "Phase 2: the vote") ----

/// The spatial part of v_ir, fixed for the whole run: phi_fit (|x_i - q_r|^2 -
/// |x_i - p_r|^2), from the squared distances to the draft and to its status quo.
inline double vote_fit(const Parameters& p, double distance2_to_draft,
                       double distance2_to_status_quo) {
  return p.phi_fit * (distance2_to_status_quo - distance2_to_draft);
}

/// m, the noiseless part of v_ir: fit + phi_peer (W s_r)_i + phi_bloc b_ir - phi_rival
/// (standing rivals of r that i sponsors).
inline double vote_utility(double fit, double peer, double bloc, double rival, double phi_peer,
                           double phi_bloc, double phi_rival) {
  return fit + phi_peer * peer + phi_bloc * bloc - phi_rival * rival;
}

/// A member's own cut point (docs/model.md, "Extensions"): the draft's tau_yes or tau_no
/// plus the member's abstention habit h_i. With h_i = 0 it is tau itself, to the bit.
inline double cutpoint(double tau, double habit) { return tau + habit; }

/// A member with voting rights is absent with probability a_i: when u < a_i.
inline bool absent(double u, double absence) { return u < absence; }

/// Yes when m + eps > tau_yes, No when m + eps < -tau_no, Abstain otherwise, with eps
/// logistic drawn as eps = logit(u): Yes when u (1 + exp(m - tau_yes)) > 1, No when
/// u (1 + exp(m + tau_no)) < 1 (the same inequalities without a logarithm). A present
/// co-sponsor does not come here: it votes Yes. tau_yes and tau_no are the member's own
/// cut points (rules::cutpoint).
inline Vote vote_decision(double u, double m, double tau_yes, double tau_no) {
  if (u * (1.0 + kernels::exp(m - tau_yes)) > 1.0) return Vote::kYes;
  if (u * (1.0 + kernels::exp(m + tau_no)) < 1.0) return Vote::kNo;
  return Vote::kAbstain;
}

/// Without a vote: a present member voting No asks for a recorded vote with probability
/// rho (when u < rho). When nobody asks, the draft is adopted without a vote and no
/// tally is recorded.
inline bool asks_for_recorded_vote(Vote v, double u, double rho) {
  return v == Vote::kNo && u < rho;
}

/// Adopted (Charter, Article 18): `simple` needs Yes > No; `two_thirds` also 3 Yes >=
/// 2 (Yes + No). Abstentions and absences do not count; 0-0 fails.
inline bool adopted(Majority rule, long yes, long no) {
  if (yes <= no) return false;
  if (rule == Majority::kTwoThirds) return 3 * yes >= 2 * (yes + no);
  return true;
}

// ---- Withdrawal (MODEL.md, "Withdrawal") ----

/// sigmoid(z) = 1 / (1 + exp(-z)), with plenary's own exp, so that withdrawal decisions
/// are the same bits on every processor.
inline double sigmoid(double z) { return 1.0 / (1.0 + kernels::exp(-z)); }

/// P(Yes) = sigmoid(m - tau_yes), P(No) = sigmoid(-tau_no - m), P(Abstain) the rest, with
/// the member's own cut points tau + h (rules::cutpoint) for its abstention habit h.
inline VoteProbabilities vote_probabilities(double m, const Parameters& params, double habit) {
  VoteProbabilities p;
  p.yes = sigmoid(m - cutpoint(params.tau_yes, habit));
  p.no = sigmoid(-cutpoint(params.tau_no, habit) - m);
  p.abstain = std::max(0.0, 1.0 - p.yes - p.no);
  return p;
}

/// A draft with a threshold w_r is withdrawn at the end of phase 1 when its expected Yes
/// share of those present and voting, yes / voting (sums over members with voting rights
/// of (1 - a_i) P(Yes) and (1 - a_i) (P(Yes) + P(No)); a sponsor counts P(Yes) = 1), is
/// below w_r. When nobody is expected to vote there is no share to judge by and the
/// draft stands.
inline bool withdrawn(double yes, double voting, double threshold) {
  if (voting <= 0) return false;
  return yes / voting < threshold;
}

}  // namespace rules

}  // namespace plenary
