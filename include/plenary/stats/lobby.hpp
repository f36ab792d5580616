#pragma once
/// Whom to court first (plenary lobby, docs/strategy.md): every candidate member or bloc
/// committed to one draft from round 0, each run on the baseline's random numbers, ranked
/// by its gain in a goal over the baseline with the 95% interval of the paired
/// (replicate-by-replicate) differences; and a set of k candidates chosen greedily with lazy
/// re-evaluation (CELF).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plenary/engine/simulate.hpp"
#include "plenary/scenario/scenario.hpp"
#include "plenary/stats/compare.hpp"

namespace plenary {

/// What the lobbying tries to raise, for one draft.
enum class LobbyGoalKind {
  kSponsors,     ///< `sponsors`: mean co-sponsors at the close
  kReach,        ///< `reach:N`: P(at least N co-sponsors at the close)
  kYes,          ///< `yes`: mean Yes in a recorded vote
  kAdopted,      ///< `adopted`: P(adopted, with or without a vote)
  kWithoutVote,  ///< `without-vote`: P(adopted without a vote)
  kMargin,       ///< `margin`: mean Yes - No in a recorded vote
};

struct LobbyGoal {
  LobbyGoalKind kind = LobbyGoalKind::kSponsors;
  /// N of `reach:N`.
  int n = 0;
  /// As spelled on the command line, e.g. "reach:100".
  std::string name = "sponsors";
  /// Human label, e.g. "P(reaching 100 co-sponsors)".
  std::string label = "Co-sponsors at the close";
  /// True for probabilities.
  bool probability = false;
  /// True for means over the replicates with a recorded vote only (yes, margin).
  bool recorded_only = false;
};

/// Parses a goal (`sponsors`, `reach:N`, `yes`, `adopted`, `without-vote`, `margin`) for a
/// scenario of `members` members. Throws UsageError naming --goal and the fix for an unknown
/// goal or a `reach:N` with N outside 1..members.
LobbyGoal parse_lobby_goal(std::string_view text, int members);

/// The goal's value in each replicate of a run, and the weights of a ratio goal (`yes`,
/// `margin`: 1 for a replicate with a recorded vote on the draft, else 0; empty for the
/// other goals, where every replicate counts). Shared by `plenary lobby` and `plenary draft`.
struct GoalSeries {
  std::vector<double> y;
  std::vector<double> w;
};

/// The goal per replicate for draft `draft` (its index) from a run's replicate log.
GoalSeries goal_series(const ReplicateLog& log, int draft, const LobbyGoal& goal);

/// One candidate: a member or a bloc, committed as a whole.
struct LobbyCandidate {
  /// Member code or bloc name.
  std::string name;
  bool bloc = false;
  /// Member indices, ascending.
  std::vector<int> members;
  /// Cost (1 unless a cost file gives one).
  double cost = 1;
};

/// The candidates of `--candidates`: "members" (every member), "blocs" (every bloc with
/// members) or a comma-separated list of member codes and bloc names. Throws UsageError
/// naming --candidates for an unknown name (with a "did you mean"), an empty bloc, an empty
/// list or a name given twice.
std::vector<LobbyCandidate> lobby_candidates(const Scenario& scenario, std::string_view spec);

/// Reads a cost file (CSV `code,cost`, an optional header line `code,cost`) and sets every
/// candidate's cost: a member's from its line, a bloc's from its own line if the file has
/// one, else the sum of its members'. Throws DataError naming file:line for a malformed line,
/// a negative, zero or non-finite cost, an unknown code or a code given twice, and
/// UsageError naming the candidates whose cost is missing.
void read_lobby_costs(const std::string& path, const Scenario& scenario,
                      std::vector<LobbyCandidate>& candidates);

/// The processes of an MPI job sharing one lobby (docs/strategy.md, "Under MPI"): each
/// computes every run on its own block of replicates, and `all_gather` puts together the
/// blocks of every process on every process, so that every process holds the same series,
/// makes the same choices (CELF) and returns the same result. The outcome of a replicate
/// does not depend on which process computes it, so neither does the result. The default
/// is one process.
struct LobbyShare {
  int rank = 0;
  int ranks = 1;
  /// Collective: every process's bytes, in rank order, on every process.
  std::function<std::vector<std::string>(const std::string&)> all_gather;
};

struct LobbyOptions {
  long replicates = 1000;
  std::uint64_t seed = 0;
  int threads = 0;
  /// Size of the greedy set; 0 for none.
  int budget = 0;
  /// Total cost the greedy set may use; nullopt for no cost limit. With costs, rankings and
  /// greedy picks are by gain per cost.
  std::optional<double> budget_cost;
  /// True when costs were given (rank by gain per cost).
  bool costs = false;
  /// Evaluate the single commitments on the fast path (docs/strategy.md, "The fast
  /// path"): the same bytes as one full run per candidate, in a fraction of the time. False:
  /// one full run of the engine per candidate (the reference the fast path is tested on).
  bool fast = true;
  /// Estimation error drawn in every run (--uncertainty, docs/uncertainty.md): the same
  /// draws with and without each commitment. Runs other than `none` take the full reruns.
  UncertaintySource uncertainty = UncertaintySource::kNone;
  /// Called with (runs finished, runs planned so far); may be empty.
  std::function<void(long, long)> progress;
  /// Several processes (MPI): each computes its block of replicates.
  LobbyShare share;
};

/// A member is marked as committing anyway when its baseline probability of co-sponsoring
/// the draft at the close is at least this.
inline constexpr double kNearCertain = 0.99;

/// One candidate's single gain.
struct LobbyEntry {
  LobbyCandidate candidate;
  int rank = 0;
  /// a = baseline, b = with the commitment, diff = the gain with its paired interval.
  PairedFigure figure;
  /// Gain per cost (= gain without costs).
  double score = 0;
  /// Baseline P(co-sponsoring the draft at the close): the member's, or for a bloc the
  /// smallest of its members'.
  double p_commit = 0;
  /// Every member is an original sponsor (the commitment changes nothing).
  bool original_sponsor = false;
  /// p_commit >= kNearCertain.
  bool near_certain = false;
  /// Variance of the difference with independent runs (a_se^2 + b_se^2) over the paired
  /// one (diff_se^2); nullopt when the paired variance is 0.
  std::optional<double> variance_reduction;
};

/// One pick of the greedy set.
struct GreedyStep {
  std::string candidate;
  double cost = 1;
  /// a = the goal with the set before, b = with this pick added, diff = the marginal gain.
  PairedFigure marginal;
  /// Candidates re-evaluated (runs) to make this pick.
  int evaluations = 0;
};

struct LobbyResult {
  std::string draft;
  LobbyGoal goal;
  long replicates = 0;
  std::uint64_t seed = 0;
  /// The goal in the baseline, with its standard error.
  std::optional<double> baseline, baseline_se;
  /// Every candidate, best first (score descending, ties in candidate order).
  std::vector<LobbyEntry> ranking;
  /// Sum over candidates of the independent-runs variance of the gain over the sum of the
  /// paired variances (candidates whose paired variance is 0 left out); nullopt if none.
  std::optional<double> variance_reduction;
  /// The greedy path (empty without a budget).
  std::vector<GreedyStep> greedy;
  /// The top of the single ranking with as many candidates as the greedy set, and the goal
  /// with them all committed; `greedy_vs_top` is b = greedy set, a = top set.
  std::vector<std::string> top;
  std::optional<PairedFigure> greedy_vs_top;
  /// Simulations run, the baseline included (a candidate made only of original sponsors
  /// reuses the baseline and runs none).
  long runs = 0;
  /// On the fast path: (candidate, replicate) pairs that were too close to call there and
  /// went to the engine, and replicates whose replayed baseline disagreed with the engine's
  /// (a bug if ever > 0; those went to the engine too). Not part of the outputs.
  long fast_fallbacks = 0;
  long fast_mismatches = 0;
  /// Candidates evaluated on the fast path.
  long fast_candidates = 0;
};

/// Ranks the candidates for draft `draft` (its index) and, with a budget, picks the greedy
/// set. Every run uses options.seed, so all share the baseline's random numbers. With
/// options.share, collective: every process calls it alike; a process that fails in its
/// block (any exception) makes every process throw the same Error, naming that rank.
LobbyResult lobby(const Scenario& scenario, int draft, const LobbyGoal& goal,
                  std::vector<LobbyCandidate> candidates, const LobbyOptions& options);

}  // namespace plenary
