#pragma once
/// The blend (docs/forecast.md, "Blend"): a multinomial logit over the three votes that
/// weighs the spatial model against the member's own vote on the kin and its abstention
/// habit,
///
///   P(k) proportional to exp(w_spatial log p_spatial(k) + beta[q_i][r_i][k]
///                            + w_old_kin [kin vote = k][kin before the window]
///                            + w_kin2 [vote on the kin's own kin = k]
///                            + w_habit h_i [k = Abstain]
///                            + w_majority [no kin vote][kin's most common vote = k]
///                            + w_repeat rho_i [kin vote = k, k != Yes]
///                            + w_persist alpha_i [kin vote = k = Abstain]
///                            + (w_spatial[r_i] + w_chain [r_i = q_i]) log p_spatial(k)),
///
/// k in {Yes, Abstain, No}, r_i the member's vote on the kin (Yes, Abstain, No, or none:
/// absent or not a member), q_i whether the member has a vote on the kin's kin, beta[q][r][Yes]
/// = 0 (a full table of the kin vote against the class: a model that knows the kin vote can
/// always repeat it; one table with and one without the kin's kin, since the kin vote must
/// carry more when the kin's kin is missing), h_i the member's smoothed
/// abstention logit, rho_i the member's repeat propensity (how often, among the items of
/// the same session forecast, its kin vote repeated an Abstain or No on the kin's kin,
/// shrunk to the session's rate, as a logit relative to it), alpha_i its abstention
/// persistence; w_spatial[r] (r an Abstain, a No or none; 0 for a Yes) and w_chain (when the
/// kin vote repeats the kin's-kin vote) change the spatial model's weight by what the member's
/// kin vote is (docs/forecast.md, "Blend", sixth pass). The weights are fitted (maximum
/// a posteriori, a prior centred on repeating the kin) on sessions the pipeline forecast
/// without seeing them.

#include <Eigen/Core>
#include <array>
#include <vector>

namespace plenary::forecast {

/// Index of a vote among the three classes of the blend.
enum class VoteClass : int { kYes = 0, kAbstain = 1, kNo = 2 };

/// The features of one (item, member) cell.
struct BlendCell {
  std::array<double, 3> log_spatial{};  ///< log p_spatial(k), Yes, Abstain, No
  int kin_vote = -1;                    ///< class of the member's vote on the kin, -1: none
  bool old_kin = false;                 ///< whether the kin lies before the training window
  int kin2_vote = -1;                   ///< class of its vote on the kin's kin, -1: none
  int kin_majority = -1;                ///< class of the kin's most common vote among the
                                        ///< members forecast (ties Yes, No, Abstain), -1: none
  double habit = 0.0;                   ///< h_i
  double repeat_propensity = 0.0;       ///< rho_i
  double abstain_persistence = 0.0;     ///< alpha_i: the member's empirical-Bayes logit of
                                        ///< repeating an abstention, centred on the pooled one
  int outcome = -1;                     ///< recorded class (for fitting), -1: unknown
};

/// Index of repeat_propensity among the weights; abstain_persistence follows it.
inline constexpr int kRepeatPropensityWeight = 4 + 4 * 4 * 2;
inline constexpr int kAbstainPersistenceWeight = kRepeatPropensityWeight + 1;
/// Index of the spatial weight's change for a kin Abstain; a kin No and no kin vote follow,
/// then the change on a repeated chain (kin vote = kin's-kin vote).
inline constexpr int kSpatialByKinWeight = kAbstainPersistenceWeight + 1;
inline constexpr int kSpatialRepeatedChainWeight = kSpatialByKinWeight + 3;

/// Number of blend weights: spatial, old_kin, habit, majority, beta[r][r2][k], then
/// repeat_propensity, abstain_persistence, the spatial weight by kin vote (3) and on a
/// repeated chain.
inline constexpr int kBlendWeights = kSpatialRepeatedChainWeight + 1;

/// Names of the weights, in order: beta[r][r2][k] is "kin_<r>_kin2_<r2>_<k>".
inline constexpr std::array<const char*, kBlendWeights> kBlendWeightNames = {
    "spatial",
    "old_kin",
    "habit",
    "majority",
#define PLENARY_BLEND_ROW(r)                                                               \
  "kin_" r "_kin2_yes_abstain", "kin_" r "_kin2_yes_no", "kin_" r "_kin2_abstain_abstain", \
      "kin_" r "_kin2_abstain_no", "kin_" r "_kin2_no_abstain", "kin_" r "_kin2_no_no",    \
      "kin_" r "_kin2_none_abstain", "kin_" r "_kin2_none_no"
    PLENARY_BLEND_ROW("yes"),
    PLENARY_BLEND_ROW("abstain"),
    PLENARY_BLEND_ROW("no"),
    PLENARY_BLEND_ROW("none"),
    "repeat_propensity",
    "abstain_persistence",
    "spatial_kin_abstain",
    "spatial_kin_no",
    "spatial_kin_none",
    "spatial_repeated_chain"
#undef PLENARY_BLEND_ROW
};

/// Fitted weights with standard errors from the inverse observed information.
struct BlendWeights {
  Eigen::Matrix<double, kBlendWeights, 1> w = Eigen::Matrix<double, kBlendWeights, 1>::Unit(0);
  Eigen::Matrix<double, kBlendWeights, 1> se = Eigen::Matrix<double, kBlendWeights, 1>::Zero();
  long cells = 0;  ///< cells fitted on (0: the default weights, pure spatial)
  double log_likelihood = 0.0;
  bool converged = false;
};

/// (Yes, Abstain, No) probabilities of a cell under weights `w`.
Eigen::Vector3d blend_probabilities(const BlendCell& cell, const BlendWeights& w);

/// Maximum-a-posteriori weights on the cells with a known outcome, by Newton's method with
/// step halving (the log-posterior is concave) under a prior centred on "repeat the kin's
/// vote", 10 |w - w0|^2 / 2 (each weight N(w0, 0.32^2), w0 = 4 for beta[r][r2][r] with a
/// kin Abstain or No, 0 for the others), which keeps it strictly concave when a feature
/// does not vary or a kin vote never meets a class, and holds the rarely seen kin chains
/// near repeating the kin. With no such cells, the default weights (1 on
/// the spatial model, 0 elsewhere) and cells = 0.
BlendWeights fit_blend(const std::vector<BlendCell>& cells);

}  // namespace plenary::forecast
