#pragma once
/// A sweep (docs/sweep.md): a scenario run at every point of a parameter grid, one CSV row
/// per point with every draft's headline results and their standard errors, on the threads
/// of one process or the ranks of an MPI job (include/plenary/scale/tasks.hpp), with a
/// journal that lets an interrupted sweep resume. What `plenary sweep` does, as a library
/// user calls it:
///
///     auto runner = plenary::scale::make_runner({.threads = 0});
///     std::optional<SweepPlan> plan = prepare_on_every_rank<SweepPlan>(
///         *runner, "the sweep",
///         [&] {
///           SweepPlan p(load_scenario("assembly.yaml"), {"theta_peer=0:4:0.5"});
///           if (runner->is_root()) p.open_output("sweep.csv", /*resume=*/false);
///           return p;
///         },
///         [](SweepPlan& p) { p.abandon(); });
///     if (!plan) return 2;  // a setup error, shown once
///     const auto points = points_to_run(*runner, *plan);
///     run_sweep(*runner, *plan, points, {});
///     if (runner->is_root()) plan->write_output();

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plenary/scale/grid.hpp"
#include "plenary/scale/journal.hpp"
#include "plenary/scale/points.hpp"
#include "plenary/scale/tasks.hpp"
#include "plenary/scenario/scenario.hpp"
#include "plenary/stats/summary.hpp"

namespace plenary::scale {

/// The CSV header line (without newline): `point`, one column per axis (its name), then
/// for each draft D in the scenario's order the columns `D.sponsors_mean`, ... (docs/sweep.md);
/// with an estimation error drawn, each draft's columns end with the variance split of
/// its co-sponsors and of P(adopted) (`D.sponsors_var_total`, `_mc`, `_positions`,
/// `_parameters`, the same for `D.p_adopted`).
std::string sweep_header(const Scenario& base, const Grid& grid,
                         UncertaintySource uncertainty = UncertaintySource::kNone);

/// The figures of one draft that a row reports and, with --uncertainty, splits: co-sponsors,
/// P(reach n) per threshold, the four recorded tallies, adopted, without vote, withdrawn.
constexpr std::size_t sweep_figures(std::size_t thresholds) { return thresholds + kVotes + 4; }

/// The variance split's integer sums (SplitSums, include/plenary/stats/uncertainty.hpp) of
/// every draft's sweep_figures() in a block's replicate log: Results::log_sums of a sweep
/// with --uncertainty.
std::vector<std::uint64_t> sweep_log_sums(const ReplicateLog& log,
                                          const std::vector<int>& thresholds,
                                          UncertaintySource uncertainty);

/// The CSV row (without newline) of one grid point, matching sweep_header(). With an
/// estimation error drawn, `log_sums` (the point's sweep_log_sums() added up) gives every
/// standard error over the groups of replicates that share a draw, and the split columns.
std::string sweep_row(std::size_t point, const Grid& grid, const Summary& summary,
                      const std::vector<std::uint64_t>& log_sums = {},
                      UncertaintySource uncertainty = UncertaintySource::kNone);

/// What makes two sweeps the same: the SHA-256 of the scenario file and of the scenario as
/// loaded (members, positions and included files), the swept assignments as given, the
/// replicates, the seed and the estimation error drawn (only when drawn). Tab-separated
/// `key=value` fields, one line.
std::string sweep_identity(const Scenario& base, const std::vector<std::string>& sets,
                           long replicates, std::uint64_t seed,
                           UncertaintySource uncertainty = UncertaintySource::kNone);

/// Everything a sweep needs before its first point is run, prepared alike on every process
/// (with prepare_on_every_rank()), and on the root its output, journal and rows.
class SweepPlan {
 public:
  /// The sweep of `base` (as loaded: the axes are not overrides) over the grid of `axes`
  /// (parse_axis(): NAME=START:STOP:STEP, NAME=A,B,C or NAME=VALUE; the first varying
  /// slowest) with `replicates` per point and `seed` (default: base.run's). Every point's
  /// scenario is made and validated now, so that a bad combination is refused before any
  /// is run. Throws what parse_axis() and Grid::scenario() throw.
  /// With `uncertainty` other than none, every point's replicates draw that estimation
  /// error (docs/uncertainty.md; the same draws at every point): throws UsageError when the
  /// scenario cannot carry it (check_uncertainty()) or a point would have fewer than two
  /// whole groups of replicates that share a draw.
  SweepPlan(Scenario base, std::vector<std::string> axes,
            std::optional<long> replicates = std::nullopt,
            std::optional<std::uint64_t> seed = std::nullopt,
            UncertaintySource uncertainty = UncertaintySource::kNone);

  /// Root only: checks that `out` can be written and starts its journal
  /// (Journal::path_for(out)), or with `resume` reopens the journal of an interrupted sweep
  /// and takes its rows. Throws what check_writable(), Journal::create() and
  /// Journal::resume() throw.
  void open_output(const std::filesystem::path& out, bool resume);
  /// Deletes the journal that open_output() has just created (a setup error on another
  /// process: the sweep never started); a resumed journal stays.
  void abandon();

  const Scenario& base() const { return base_; }
  const Grid& grid() const { return *grid_; }
  long replicates() const { return replicates_; }
  std::uint64_t seed() const { return seed_; }
  UncertaintySource uncertainty() const { return uncertainty_; }
  /// The CSV header line (sweep_header()).
  const std::string& header() const { return header_; }
  /// On the root, the rows finished so far (the journal's, then run_sweep()'s), by point.
  const std::map<std::size_t, std::string>& rows() const { return rows_; }

  /// Records one finished point's row in rows() and, after open_output(), the journal
  /// (run_sweep() does). Without open_output() a sweep keeps its rows in memory only.
  void add_row(std::size_t point, std::string row);
  /// Root only, after open_output() and once every point has its row: writes the CSV file
  /// (a temporary file renamed into place) and deletes the journal.
  void write_output();

 private:
  Scenario base_;
  std::vector<std::string> axes_;
  std::unique_ptr<Grid> grid_;
  long replicates_ = 0;
  std::uint64_t seed_ = 0;
  UncertaintySource uncertainty_ = UncertaintySource::kNone;
  std::string header_;
  std::filesystem::path out_;
  std::optional<Journal> journal_;
  bool fresh_journal_ = false;
  std::map<std::size_t, std::string> rows_;
};

/// Collective: the points still to run, those the root's rows() lack, in order, on every
/// process (broadcast from the root).
std::vector<std::size_t> points_to_run(TaskRunner& runner, const SweepPlan& plan);

/// How run_sweep() shares out the work (include/plenary/scale/points.hpp).
using SweepRunOptions = PointRunOptions;

/// Collective: runs `points` (points_to_run()) on `runner`, compiling each point's model
/// once per process while it runs, and on the root adds each point's row to the plan (and
/// its journal) as soon as its last task is in. Throws or aborts as TaskRunner::run() does.
void run_sweep(TaskRunner& runner, SweepPlan& plan, const std::vector<std::size_t>& points,
               const SweepRunOptions& options = {});

}  // namespace plenary::scale
