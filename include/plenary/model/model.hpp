#pragma once
/// The compiled form of a Scenario that the engine runs: the influence matrix W, the
/// resolved draft positions, mutual rivalries and effective per-draft parameters
/// (MODEL.md, "Entities"). The rules of the model are in rules.hpp, the Vote in
/// core/vote.hpp.

#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "plenary/core/vote.hpp"
#include "plenary/model/parameters.hpp"
#include "plenary/scenario/fit_covariance.hpp"
#include "plenary/scenario/scenario.hpp"
#include "plenary/scenario/what_if.hpp"

namespace plenary {

/// A draft as the engine sees it.
struct ModelDraft {
  std::string id;
  /// stream_key(id).
  std::uint64_t key = 0;
  /// p_r (resolved: the clout-weighted mean of the sponsors when the scenario says so).
  Eigen::VectorXd position;
  /// True when p_r is the sponsors' clout-weighted mean (`position: sponsors`), so that it
  /// moves with drawn positions (docs/model.md, "Estimation uncertainty in positions").
  bool sponsor_mean = false;
  /// q_r.
  Eigen::VectorXd status_quo;
  int opens = 0;
  int closes = 0;
  /// Rivals, made mutual, ascending, without duplicates.
  std::vector<int> rivals;
  Majority majority = Majority::kSimple;
  /// e_r.
  double lobbying = 1;
  /// w_r, if any.
  std::optional<double> withdraw_below;
  /// The effective parameters: the global ones with the draft's overrides applied.
  Parameters params;
  /// Original sponsors, ascending.
  std::vector<int> sponsors;
  /// Members barred from sponsoring it (a what-if: `--forbid`), ascending; they never join.
  std::vector<int> barred;
};

/// One coordinate of a fit's covariance as a run draws it (docs/model.md, "Estimation
/// uncertainty in parameters").
struct DrawnCoordinate {
  std::string name;
  FitCoordinate what;
  /// The scenario's value: the centre of the draws (for the absence scale, the fit's
  /// estimate, by which the scenario's rates are already multiplied).
  double value = 0;
  /// The fit's bounds: a draw is clamped into them.
  double lower = 0;
  double upper = 0;
  /// The drafts whose effective parameters it changes, ascending (a global parameter: those
  /// that do not override it).
  std::vector<int> drafts;
};

/// The fit's covariance compiled for draws: a draw is value + factor z, clamped into the
/// bounds, for standard normals z (one per column).
struct ParameterUncertainty {
  std::vector<DrawnCoordinate> coordinates;
  /// coordinates x rank: the square root of the positive semi-definite part of the
  /// identified coordinates' covariance (V sqrt(max(L, 0)) of its eigendecomposition);
  /// zero rows for unidentified coordinates, which draws hold at their value.
  Eigen::MatrixXd factor;
};

/// Influence ties above this density (nonzeros / N^2) are stored dense for the engine.
inline constexpr double kDenseTieThreshold = 0.25;
/// ... and only up to this many members (a dense W takes 8 N^2 bytes).
inline constexpr int kMaxDenseMembers = 4096;

/// Everything the engine needs, immutable once built.
struct Model {
  int members = 0;  ///< N
  int dims = 0;     ///< D
  int rounds = 0;   ///< T = max over drafts of closes
  std::vector<std::string> codes;
  /// stream_key(code) per member.
  std::vector<std::uint64_t> member_keys;
  /// x_i as rows (N x D).
  Eigen::MatrixXd positions;
  /// The positions' standard errors as rows (N x D); a member without them has zeros and
  /// is listed in without_position_se.
  Eigen::MatrixXd position_se;
  /// Members without standard errors, ascending (they refuse position uncertainty).
  std::vector<int> without_position_se;
  Eigen::VectorXd clout;    ///< c_i
  Eigen::VectorXd absence;  ///< a_i
  /// h_i, the abstention habits (docs/model.md, "Extensions"); all 0 when the scenario
  /// gives none, which is the model of Part 1 exactly.
  Eigen::VectorXd abstain_habit;
  std::vector<bool> votes;  ///< voting rights
  double total_clout = 0;
  /// W, row-normalised, column-major so that column j lists the members watching j.
  Eigen::SparseMatrix<double, Eigen::ColMajor> ties;
  /// True when W is dense enough that the engine walks whole columns (same results).
  bool dense_ties = false;
  /// W as a dense matrix, filled only when dense_ties.
  Eigen::MatrixXd ties_dense;
  /// Blocs of each member (indices into bloc_sizes), in the scenario's order.
  std::vector<std::vector<int>> member_blocs;
  /// |g| per bloc.
  std::vector<int> bloc_sizes;
  std::vector<ModelDraft> drafts;
  /// The fit's covariance (Scenario::fit), for --uncertainty parameters; nullopt when the
  /// scenario carries none.
  std::optional<ParameterUncertainty> parameter_uncertainty;
};

/// Compiles a scenario's fit covariance (nullopt without one). Throws ScenarioError when a
/// name no longer resolves (a what-if cannot change names, but a hand-made Scenario can).
std::optional<ParameterUncertainty> compile_parameter_uncertainty(const Scenario& scenario);

/// Builds the Model of a validated scenario (W per MODEL.md, including agreement ties),
/// under the run's constraints (the members each draft bars, from apply_what_ifs).
Model compile(const Scenario& scenario, const RunConstraints& constraints = {});

/// Chooses how the engine stores W: dense (walks whole columns) or sparse. compile()
/// picks by density (kDenseTieThreshold); both give bit-identical results.
void set_tie_storage(Model& model, bool dense);

}  // namespace plenary
