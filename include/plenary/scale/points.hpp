#pragma once
/// Many scenarios, one per numbered point, each run for the same replicates on the same seed
/// (common random numbers) on the task layer (include/plenary/scale/tasks.hpp): what
/// `plenary sweep` (a grid's points) and `plenary sensitivity` (a design's points) share.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "plenary/engine/simulate.hpp"
#include "plenary/scale/tasks.hpp"
#include "plenary/scenario/scenario.hpp"

namespace plenary::scale {

/// How run_points() shares out the work.
struct PointRunOptions {
  /// Replicates per task (make_tasks(); rounded up to a multiple of 4). Results do not
  /// depend on it.
  long block = 1024;
  /// Threads of one task (simulate_task()).
  int task_threads = 1;
  /// On the root, after each finished point: how many points run_points() has finished.
  std::function<void(long finished)> on_point{};
  /// The estimation error every point's replicates draw (RunOptions::uncertainty): a pure
  /// function of (seed, replicate), so the points keep common random numbers.
  UncertaintySource uncertainty = UncertaintySource::kNone;
  /// When set, every task keeps its block's replicate log and this returns the words
  /// (Results::log_sums) to add up over the point's blocks, e.g. the variance split's
  /// sums. Called from several threads at once.
  std::function<std::vector<std::uint64_t>(const Model& model, const ReplicateLog& log)> log_sums{};
};

/// The scenario of a point, validated (called on every process, from several threads).
using PointScenario = std::function<Scenario(std::size_t point)>;

/// Receives a finished point's model and Results (on the root only, one call at a time).
using PointDone = std::function<void(std::size_t point, const Model& model, Results results)>;

/// Collective: the points of 0 .. count - 1 that `rows` (the root's finished points) lacks,
/// in order, on every process (broadcast from the root).
std::vector<std::size_t> missing_points(TaskRunner& runner, std::size_t count,
                                        const std::map<std::size_t, std::string>& rows);

/// Collective: runs `points` on `runner`, each `replicates` replicates of
/// compile(scenario_of(point)) on `seed`, compiling each point's model once per process
/// while it runs, and hands each point's total to `done` on the root as soon as its last
/// task is in. Throws or aborts as TaskRunner::run() does.
void run_points(TaskRunner& runner, const PointScenario& scenario_of,
                const std::vector<std::size_t>& points, long replicates, std::uint64_t seed,
                const PointRunOptions& options, const PointDone& done);

}  // namespace plenary::scale
