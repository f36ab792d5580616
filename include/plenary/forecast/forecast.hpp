#pragma once
/// `plenary forecast`: every member's vote on a session's roll calls, forecast from the
/// record before that session (docs/forecast.md). The pipeline, for a target session:
/// kin matching (kin.hpp), a dynamic ordered ideal-point model over the training window
/// (dynamic_ideal_points.hpp), each kin placed in that space, and a blend of the spatial
/// probabilities with the member's own kin vote and abstention habit (blend.hpp), whose
/// weights are fitted by running the same pipeline one session earlier.

#include <Eigen/Core>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "plenary/calibrate/vote_data.hpp"
#include "plenary/forecast/blend.hpp"
#include "plenary/forecast/dynamic_ideal_points.hpp"
#include "plenary/forecast/kin.hpp"

namespace plenary::forecast {

/// Everything a forecast needs besides the data.
struct ForecastOptions {
  /// The session forecast; its roll calls in roll_calls.csv are the agenda.
  int session = 0;
  /// Training window (first, last session), last < session; nullopt: the
  /// `train_sessions` sessions before `session` that have recorded votes.
  std::optional<std::pair<int, int>> train;
  /// Sessions in the default window, >= 1.
  int train_sessions = 8;
  /// Dimensions and estimator settings of the dynamic model.
  DynamicOptions dynamic;
  /// Pseudo-votes at the window's overall abstention rate in each member's smoothed
  /// abstention rate (the habit h_i), > 0.
  double habit_pseudo_votes = 10.0;
  /// Sessions (the last ones of the window, each forecast from the sessions before it) on
  /// whose pooled votes the blend weights are fitted, >= 1.
  int blend_sessions = 3;
};

/// Where a kin was placed.
enum class Placed : std::uint8_t { kInWindow, kBeforeWindow, kAfterWindow };

/// "window", "before-window" or "after-window".
constexpr const char* placed_name(Placed p) {
  return p == Placed::kInWindow       ? "window"
         : p == Placed::kBeforeWindow ? "before-window"
                                      : "after-window";
}

/// One agenda item with a forecast.
struct Item {
  std::size_t roll_call = 0;  ///< index into VoteData::roll_calls
  Kin kin;
  std::optional<Kin> kin2;  ///< the kin's own kin (one round earlier), if any
  Placed placed = Placed::kInWindow;
  Placement placement;  ///< the kin's (a, c, b) in the window's space, with SEs
};

/// One agenda item without one, and why.
struct SkippedItem {
  std::size_t roll_call = 0;
  std::string reason;
};

/// One forecast cell: item x member.
struct Cell {
  int item = 0;             ///< index into Stage::items
  int member = 0;           ///< index into Stage::members
  Eigen::Vector3d spatial;  ///< Yes, Abstain, No of the dynamic model alone
  Eigen::Vector3d p;        ///< Yes, Abstain, No after the blend
  BlendCell features;
};

/// One run of the pipeline for one target session.
struct Stage {
  int target = 0;                               ///< the session forecast
  std::vector<int> window;                      ///< training sessions (with recorded votes)
  std::vector<calibrate::CountryCode> members;  ///< members forecast, by alpha-3 code
  std::vector<Item> items;
  std::vector<SkippedItem> skipped;
  std::vector<Cell> cells;      ///< items x members, item-major
  double drift_variance = 0.0;  ///< tau^2 of the window's fit
  double drift_se = 0.0;
  long drift_steps = 0;
  int rounds = 0;
  int iterations = 0;
  bool converged = false;
  long fitted_cells = 0;  ///< votes the dynamic model was fitted on
  int fitted_roll_calls = 0;
};

/// The result.
struct Forecast {
  Stage main;  ///< the target session
  /// The sessions before, latest first, on whose votes the weights were fitted.
  std::vector<Stage> blend_stages;
  BlendWeights weights;
  double seconds = 0.0;  ///< wall-clock seconds of both stages and the blend fit
};

/// Runs the forecast. Votes of `options.session` and later in `data` are never read.
/// Throws DataError for a session without roll calls or a window without votes, and
/// UsageError for a training range that is out of order or not before the session.
Forecast run_forecast(const calibrate::VoteData& data, const ForecastOptions& options);

/// The CSV `rcid,code,p_yes,p_no,p_abstain,kin_rcid`, one row per item x member, items in
/// agenda order and members by code, probabilities with 6 decimals.
std::string format_csv(const calibrate::VoteData& data, const Forecast& forecast);

/// The `--json` document: window, kin titles and similarity, each kin's placement with
/// standard errors, the drift variance, the blend weights.
std::string format_json(const calibrate::VoteData& data, const Forecast& forecast,
                        const ForecastOptions& options);

/// Figures of one method on the scored cells (docs/forecast.md, "Scoring").
struct MethodScore {
  std::string method;
  double accuracy = 0.0;
  double brier = 0.0;
  double log_loss = 0.0;
  std::array<double, 3> f1{};  ///< Yes, Abstain, No
};

/// Epsilon of the log loss: every method's probabilities p become (1 - 3 eps) p + eps.
inline constexpr double kLogLossEpsilon = 0.01;

/// The score of a forecast against the target session's recorded votes.
struct Score {
  long cells = 0;                    ///< recorded votes that got a forecast
  long recorded = 0;                 ///< recorded votes on the agenda's roll calls
  double coverage = 0.0;             ///< cells / recorded
  std::vector<MethodScore> methods;  ///< forecast, repeat the kin, all Yes
};

/// Scores `forecast` against the votes of its session in `data`. Throws DataError when the
/// data hold no votes of that session.
Score score_forecast(const calibrate::VoteData& data, const Forecast& forecast);

/// Scores any stage against its target's votes (the blend stage, for the JSON).
Score score_stage(const calibrate::VoteData& data, const Stage& stage);

/// A table of the score for the terminal.
std::string format_score(const Score& score, int session);

}  // namespace plenary::forecast
