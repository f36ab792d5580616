#pragma once
/// The task layer: many ensembles (grid points of a sweep, candidates of a fit) split into
/// (point, replicate block) tasks, computed on the threads of one process or on the ranks
/// of an MPI job, their integer counts added up per point (docs/sweep.md, "MPI").
///
/// Because every random number is a pure function of (seed, replicate, ...) and results are
/// integer counts, a point's Results are bit-identical however its replicates are split
/// into blocks and whichever thread or rank computes them: a sweep gives the same bytes on
/// 1 thread, 8 threads or 64 ranks.
///
/// Use:
///
///     auto runner = plenary::scale::make_runner({.threads = 0});  // MPI_Init if built with MPI
///     // ... every rank prepares the same points (a rank's setup error: runner->all_ok) ...
///     const auto tasks = plenary::scale::make_tasks(points, replicates, 1024);
///     runner->run(tasks,
///                 [&](const Task& t, TaskContext& c) {
///                   return simulate_task(model_of(t.point), t, seed, c);
///                 },
///                 [&](std::size_t point, Results r) { /* root only: the point's total */ });
///
/// `run` is collective: every process calls it with the same tasks. The task function runs
/// on every process (rank 0 included: on a machine with as many ranks as cores, a rank that
/// only waited would waste a core); the point function only on the root (rank 0), one call
/// at a time, as soon as a point's last block is in.

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plenary/engine/simulate.hpp"
#include "plenary/util/error.hpp"

namespace plenary::scale {

/// One unit of work: replicates first .. first + count - 1 of one point's ensemble.
struct Task {
  /// The point (grid point, candidate) as the caller numbers it.
  std::size_t point = 0;
  /// The first replicate, a multiple of 4 (RunOptions::first_replicate).
  long first = 0;
  /// The number of replicates, >= 1.
  long count = 0;
  bool operator==(const Task&) const = default;
};

/// The tasks of `points` (in the order given), each point's `replicates` split into blocks
/// of `block` replicates (rounded up to a multiple of 4; the last block takes the rest).
/// Throws UsageError for replicates < 1 or block < 1.
std::vector<Task> make_tasks(const std::vector<std::size_t>& points, long replicates, long block);

/// Handed to a task function by the runner.
class TaskContext {
 public:
  virtual ~TaskContext() = default;
  /// Call every few milliseconds of work (simulate_task() does, from
  /// RunOptions::progress): the MPI backend uses it to hand out tasks and take in results
  /// while this process computes, so that no rank waits for rank 0. Cheap; thread-safe
  /// (only calls from the thread that runs the task act); a no-op on the local backend.
  virtual void poll() {}
};

/// Computes one task: typically simulate_task(). May be called concurrently from several
/// threads.
using TaskFunction = std::function<Results(const Task& task, TaskContext& context)>;

/// simulate() of one task's block of replicates (RunOptions::first_replicate = task.first,
/// replicates = task.count) with `threads` threads, polling `context` between batches,
/// drawing `uncertainty`'s estimation error and, with `log`, keeping the block's replicate
/// log (RunOptions::uncertainty, RunOptions::log).
Results simulate_task(const Model& model, const Task& task, std::uint64_t seed,
                      TaskContext& context, int threads = 1,
                      UncertaintySource uncertainty = UncertaintySource::kNone,
                      ReplicateLog* log = nullptr);

/// Receives one point's Results, the sum of its blocks (`replicates` = the whole
/// ensemble's). Called on the root only, one call at a time, in completion order.
using PointFunction = std::function<void(std::size_t point, Results results)>;

/// How to run tasks.
struct RunnerOptions {
  /// Local backend: worker threads, 0 = one per hardware thread. MPI backend: ignored
  /// (one rank per core is the MPI norm; a task may still use threads of its own).
  int threads = 0;
  /// MPI backend: tasks handed to a rank ahead of the one it computes, so that it never
  /// waits for rank 0 between tasks (>= 1).
  int prefetch = 2;
};

/// Where tasks run: the threads of this process, or the ranks of an MPI job.
class TaskRunner {
 public:
  virtual ~TaskRunner() = default;
  /// This process's rank, 0 .. ranks() - 1 (0 for the local backend).
  virtual int rank() const = 0;
  /// The number of processes (1 for the local backend).
  virtual int ranks() const = 0;
  /// True on the process that receives the results and writes the outputs (rank 0).
  bool is_root() const { return rank() == 0; }
  /// A short description for messages, e.g. "2 threads" or "4 MPI ranks".
  virtual std::string describe() const = 0;

  /// Collective: true when `ok` is true on every process. Lets all processes agree to stop
  /// after a setup error on any of them, instead of some waiting forever in run().
  virtual bool all_ok(bool ok) = 0;
  /// Collective: the root's `bytes` on every process (the others' argument is ignored).
  virtual std::string broadcast(const std::string& bytes) = 0;
  /// Collective: every process's `bytes`, in rank order, on the root (an empty vector on
  /// the others).
  virtual std::vector<std::string> gather(const std::string& bytes) = 0;
  /// Collective: returns on each process once every process has called it.
  virtual void barrier() = 0;

  /// Collective: computes every task and hands each point's total to `done` on the root.
  /// An exception from `compute` or `done` on the local backend is rethrown to the caller;
  /// on the MPI backend it is printed with the rank and the job is aborted (MPI_Abort with
  /// status 2), since the other ranks could not otherwise learn of it.
  virtual void run(const std::vector<Task>& tasks, const TaskFunction& compute,
                   const PointFunction& done) = 0;
};

/// The local backend: a pool of threads pulling tasks in order.
std::unique_ptr<TaskRunner> make_local_runner(const RunnerOptions& options);

/// The runner for this process. In a build with MPI (-DPLENARY_MPI=ON) started by an MPI
/// launcher (launched_by_mpi()), it initialises MPI (finalised when the runner is destroyed)
/// and returns the MPI backend, which runs on local threads when the job has one process;
/// otherwise, the local backend without touching MPI.
std::unique_ptr<TaskRunner> make_runner(const RunnerOptions& options);

/// True when this build has the MPI backend.
bool have_mpi();

/// True when the environment says this process was started by an MPI launcher (mpirun,
/// mpiexec, srun): one of OMPI_COMM_WORLD_SIZE, PMI_RANK, PMI_SIZE, PMIX_RANK,
/// MPI_LOCALNRANKS or SLURM_STEP_NUM_TASKS is set.
bool launched_by_mpi();

/// True when the environment says this process was started by an MPI launcher with more
/// than one process (Open MPI, MPICH/PMI, PMIx, Slurm). A build without MPI refuses to run
/// a sweep then, rather than have every process run the whole sweep.
bool launched_as_many_processes();

/// After a preparation step that failed on some process (`failure` is this process's error,
/// null if it succeeded). Collective. With one process, rethrows `failure`. With several,
/// exactly one message is shown, by rank 0 (on stderr as main() shows an error, flushed): its own
/// error if it failed, else the first failed rank's prefixed with that rank; then every process
/// passes a barrier and returns, and the caller should stop with status 2 (kExitUserError). The
/// barrier is what makes the message certain to appear: a launcher such as mpirun kills
/// the whole job as soon as one process ends with a nonzero status, so no process may end
/// before rank 0 has written the message. `what` names the work ("the sweep").
void throw_preparation_failure(TaskRunner& runner, std::exception_ptr failure,
                               std::string_view what);

/// Runs `prepare()` (which returns a T and throws plenary::Error on bad input) on every
/// process and agrees on the outcome, so that no process is left waiting for the others:
/// the prepared value when every process succeeded; otherwise `abandon(value)` undoes the
/// work on the processes that succeeded and the error is shown once
/// (throw_preparation_failure: rethrown with one process; printed by rank 0 with several,
/// and then every process gets nullopt and should stop with status 2).
template <class T, class Prepare, class Abandon>
std::optional<T> prepare_on_every_rank(TaskRunner& runner, std::string_view what, Prepare prepare,
                                       Abandon abandon) {
  std::optional<T> value;
  std::exception_ptr failure;
  try {
    value.emplace(prepare());
  } catch (const Error&) {
    failure = std::current_exception();
  }
  if (runner.all_ok(!failure)) return value;
  if (value) abandon(*value);
  throw_preparation_failure(runner, failure, what);
  return std::nullopt;
}

}  // namespace plenary::scale
