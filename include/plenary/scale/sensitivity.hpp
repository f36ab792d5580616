#pragma once
/// A sensitivity study on a scenario (`plenary sensitivity`, docs/sensitivity.md): every
/// point of a Morris or Sobol design (include/plenary/stats/sensitivity.hpp) is one run of
/// the scenario with the point's `--set` assignments, on the same replicates and seed as
/// every other point (common random numbers), shared out over threads or MPI ranks
/// (include/plenary/scale/points.hpp), with a journal that lets an interrupted study resume.
///
///     auto runner = plenary::scale::make_runner({.threads = 0});
///     std::optional<SensitivityPlan> plan = prepare_on_every_rank<SensitivityPlan>(
///         *runner, "the study",
///         [&] {
///           SensitivityPlan p(load_scenario("cyber.yaml"), {.varies = {"theta_peer=0:4"}});
///           if (runner->is_root()) p.open_output("sens.csv", /*resume=*/false);
///           return p;
///         },
///         [](SensitivityPlan& p) { p.abandon(); });
///     if (!plan) return 2;
///     run_sensitivity(*runner, *plan, missing_points(*runner, plan->points(), plan->rows()), {});
///     if (runner->is_root()) { SensitivityResult r = plan->result(); plan->finish(); }

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "plenary/scale/journal.hpp"
#include "plenary/scale/points.hpp"
#include "plenary/scenario/scenario.hpp"
#include "plenary/stats/sensitivity.hpp"

namespace plenary::scale {

/// What a study varies and measures, as the command line gives it.
struct SensitivitySpec {
  /// `NAME=LO:HI`, NAME anything `--set` takes that holds one number.
  std::vector<std::string> varies;
  SensitivityMethod method = SensitivityMethod::kMorris;
  /// Morris: trajectories r; Sobol: base samples N.
  int samples = 10;
  /// Morris: levels p.
  int levels = 4;
  /// Goals as `plenary lobby --goal` takes them.
  std::vector<std::string> goals = {"sponsors"};
  /// The draft the goals are of ("": the scenario's first).
  std::string draft;
  std::optional<long> replicates;
  std::optional<std::uint64_t> seed;
  int bootstrap = kDefaultBootstrap;
};

/// Parses one `--vary NAME=LO:HI` and checks with apply_set() and validate() that the
/// scenario takes NAME at LO and at HI. Throws UsageError or ScenarioError naming --vary.
SensitivityFactor parse_vary(const Scenario& base, const std::string& vary);

/// The most points one study may have.
inline constexpr std::size_t kMaxStudyPoints = 1'000'000;

/// Everything a study needs before its first point is run, alike on every process, and on
/// the root its journal and the goal values of the finished points.
class SensitivityPlan {
 public:
  /// Parses the factors and goals, makes the design and checks every point's scenario.
  /// Throws UsageError (naming --vary, --goal, --draft, --samples) or ScenarioError.
  SensitivityPlan(Scenario base, SensitivitySpec spec);

  /// Root only: as SweepPlan::open_output(), the journal beside `out`.
  void open_output(const std::filesystem::path& out, bool resume);
  /// Deletes the journal open_output() has just created (a resumed one stays).
  void abandon();

  const Scenario& base() const { return base_; }
  const SensitivitySpec& spec() const { return spec_; }
  const std::vector<SensitivityFactor>& factors() const { return factors_; }
  const SensitivityDesign& design() const { return design_; }
  int draft() const { return draft_; }
  long replicates() const { return replicates_; }
  std::uint64_t seed() const { return seed_; }
  std::size_t points() const { return design_.points(); }
  /// The `NAME=VALUE` assignments of a point, in factor order.
  std::vector<std::string> assignments(std::size_t point) const;
  /// The base with the point's assignments applied and validated.
  Scenario scenario(std::size_t point) const;
  /// On the root, the journal rows of the finished points (`point,goal values...`).
  const std::map<std::size_t, std::string>& rows() const { return rows_; }

  /// Records a finished point's goal values (and appends them to the journal). Throws
  /// UsageError when a goal is undefined there (`yes` with no recorded vote).
  void add_point(std::size_t point, const Results& results);
  /// Root only, once every point is in: the design, the values and the indices.
  SensitivityResult result() const;
  /// Root only: deletes the journal (after the outputs are written).
  void finish();

 private:
  Scenario base_;
  SensitivitySpec spec_;
  std::vector<SensitivityFactor> factors_;
  std::vector<LobbyGoal> goals_;
  SensitivityDesign design_;
  int draft_ = 0;
  long replicates_ = 0;
  std::uint64_t seed_ = 0;
  std::optional<Journal> journal_;
  bool fresh_journal_ = false;
  std::map<std::size_t, std::string> rows_;
};

/// Collective: runs `points` of the plan and on the root records each point's goal values.
void run_sensitivity(TaskRunner& runner, SensitivityPlan& plan,
                     const std::vector<std::size_t>& points, const PointRunOptions& options = {});

}  // namespace plenary::scale
