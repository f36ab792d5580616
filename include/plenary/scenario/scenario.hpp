#pragma once
/// A validated, immutable description of one General Assembly situation: the typed form
/// of a scenario file. Strings and YAML nodes stop at the loader; the engine compiles a
/// Scenario into a Model (include/plenary/model/model.hpp).

#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plenary/model/parameters.hpp"
#include "plenary/util/error.hpp"

namespace plenary {

/// Article 18 majority rules (MODEL.md, phase 2).
enum class Majority {
  kSimple,     ///< Yes > No.
  kTwoThirds,  ///< Yes > No and 3 Yes >= 2 (Yes + No).
};

/// The scenario-file spelling of a majority rule: "simple" or "two_thirds".
constexpr std::string_view majority_name(Majority m) {
  return m == Majority::kSimple ? "simple" : "two_thirds";
}

/// What to do with a member that neither its entry nor a positions file gives a position.
enum class MissingPosition {
  kError,     ///< The default: an error naming the member.
  kBlocMean,  ///< The mean position of the other (positioned) members of its blocs.
  kOrigin,    ///< The origin.
};

/// The largest abstention habit accepted (docs/model.md, "Extensions"): beyond it a member
/// that is present and does not sponsor abstains to the precision of the random numbers.
inline constexpr double kMaxAbstainHabit = 50;

/// One member state (MODEL.md, "Entities").
struct Member {
  /// Unique code, e.g. ISO 3166-1 alpha-3 "USA". Random streams are keyed by it.
  std::string code;
  /// Display name.
  std::string name;
  /// UN regional group (informational; the engine ignores it unless it is also a bloc).
  std::string group;
  /// Position x_i in the D-dimensional policy space, D = Scenario::dims.
  Eigen::VectorXd position;
  /// Standard errors of the position, one per dimension, >= 0; empty when not known
  /// (docs/model.md, "Estimation uncertainty in positions").
  Eigen::VectorXd position_se;
  /// Clout c_i >= 0 (default 1): weight in the lobbying term and the sponsor-position rule.
  double clout = 1;
  /// Absence probability a_i in [0, 1] for each vote.
  double absence = 0;
  /// Abstention habit h_i in log-odds units (docs/model.md, "Extensions"), default 0: the
  /// member's cut points are tau_yes + h_i and tau_no + h_i. At most kMaxAbstainHabit, and
  /// at least -(tau_yes + tau_no) / 2 with every draft's effective cut points.
  double abstain_habit = 0;
  /// Voting rights; false for a member in arrears under Article 19.
  bool votes = true;
  /// Indices into Scenario::blocs, each at most once, in the order given.
  std::vector<int> blocs;
};

/// A bloc: a group whose members watch each other (ties) and feel the bloc term.
struct Bloc {
  /// Name as declared under `blocs:`.
  std::string name;
  /// Tie weight >= 0 added to W[i][j] for each ordered pair of distinct members (default 1).
  double tie = 1;
  /// Indices into Scenario::members, ascending.
  std::vector<int> members;
};

/// An explicit tie: `from` watches `to` with `weight` >= 0 (added to W[from][to]).
struct Tie {
  int from = 0;
  int to = 0;
  double weight = 0;
};

/// One pairwise vote-agreement score g_ab in [0, 1] from an agreement file.
struct AgreementScore {
  int a = 0;   ///< member index
  int b = 0;   ///< member index
  long n = 0;  ///< number of roll calls behind the score
  double score = 0;
};

/// Optional agreement ties: weight * max(0, (g - floor) / (1 - floor)) added to W in both
/// directions for every pair in the file.
struct AgreementTies {
  /// The file as written in the scenario (for reporting).
  std::string file;
  /// Weight >= 0.
  double weight = 1;
  /// The floor in [0, 1); nullopt means the median of the scores loaded.
  std::optional<double> floor;
  /// Scores for pairs of scenario members (pairs naming other codes are skipped).
  std::vector<AgreementScore> scores;
};

/// A draft resolution (MODEL.md, "Entities").
struct Draft {
  /// Unique id, e.g. "GGE". Random streams are keyed by it.
  std::string id;
  /// Display title (may be empty).
  std::string title;
  /// Original sponsors: member indices, at least one, distinct, in the order given.
  std::vector<int> sponsors;
  /// Position p_r; nullopt means `sponsors`: the clout-weighted mean of the sponsors.
  std::optional<Eigen::VectorXd> position;
  /// Status quo q_r (default: the origin).
  Eigen::VectorXd status_quo;
  /// First round the draft is open (>= 0).
  int opens = 0;
  /// Round at which it closes (> opens): open in rounds opens <= t < closes.
  int closes = 0;
  /// Rivals as declared (draft indices, distinct, never itself). Rivalry is made mutual
  /// when the scenario is compiled.
  std::vector<int> rivals;
  /// Majority rule for adoption.
  Majority majority = Majority::kSimple;
  /// Lobbying effort e_r >= 0.
  double lobbying = 1;
  /// Withdrawal threshold w_r in [0, 1], if any.
  std::optional<double> withdraw_below;
  /// Per-draft parameter overrides.
  ParameterOverrides parameters;
};

/// Defaults for `plenary run` that a scenario may set under `run:`.
struct RunSettings {
  /// Number of Monte-Carlo replicates K >= 1.
  long replicates = 1000;
  /// Seed of the counter-based generator.
  std::uint64_t seed = 0;
  /// Sponsor counts whose probability of being reached by the close is reported.
  std::vector<int> thresholds;
};

/// The covariance of a fit's free coordinates, as `plenary fit --out` writes it in the
/// fitted scenario's `fit:` block (docs/scenario-format.md, docs/fit.md), for
/// `--uncertainty parameters` (docs/uncertainty.md). Names use the grammar of the fit's
/// coordinates: "theta_0", "GGE.tau_yes", "GGE.position[1]", "GGE.lobbying", "absence_scale".
struct FitCovariance {
  std::vector<std::string> parameters;
  /// The fitted values, in the order of `parameters`.
  Eigen::VectorXd estimate;
  /// The fit's bounds of each coordinate (a draw is clamped into them).
  Eigen::VectorXd lower;
  Eigen::VectorXd upper;
  /// False for a coordinate the fit could not identify: its row and column of
  /// `covariance` are NaN (`null` in the file) and draws hold it at its value.
  std::vector<bool> identified;
  /// Symmetric, positive semi-definite on the identified coordinates.
  Eigen::MatrixXd covariance;
};

/// A whole scenario.
struct Scenario {
  /// Human-readable name (`name:`).
  std::string name;
  /// The file it was loaded from (empty when loaded from a string).
  std::string source;
  /// Lower-case hex SHA-256 of the main file's bytes (empty when loaded from a string).
  std::string sha256;
  /// Dimension D of the policy space, 1..3.
  int dims = 0;
  std::vector<Member> members;
  std::vector<Bloc> blocs;
  std::vector<Tie> ties;
  std::optional<AgreementTies> agreement;
  std::vector<Draft> drafts;
  /// Global parameters (defaults overridden by `parameters:`).
  Parameters parameters;
  RunSettings run;
  /// The covariance of the fit that produced this scenario (`fit:`), if any.
  std::optional<FitCovariance> fit;
  /// The `--set` assignments applied after loading, in order (recorded in results).
  std::vector<std::string> overrides;
  /// The what-ifs applied after loading (`--force EU:JOINT`, ...), as given.
  std::vector<std::string> what_ifs;

  /// Index of the member with this code, or -1.
  int find_member(std::string_view code) const;
  /// Index of the draft with this id, or -1.
  int find_draft(std::string_view id) const;
  /// Index of the bloc with this name, or -1.
  int find_bloc(std::string_view bloc_name) const;
};

/// The clout-weighted mean of the given members' positions (a draft's `position:
/// sponsors`, MODEL.md "Entities"). Throws ScenarioError when their clout sums to 0.
Eigen::VectorXd sponsor_position(const Scenario& scenario, const std::vector<int>& sponsors,
                                 const std::string& draft_id);

}  // namespace plenary
