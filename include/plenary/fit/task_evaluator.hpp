#pragma once
/// The fit's candidates evaluated on the task layer (plenary/scale/tasks.hpp): on the
/// threads of one process, or on the ranks of an MPI job (docs/fit.md, "MPI").
///
/// A batch of n candidates is n points; each point's K replicates are split into blocks,
/// the blocks' integer counts summed per point (bit-identical to one simulate() of K
/// replicates), and each candidate's Results measured by FitProblem::achieved() on the
/// root. The root then broadcasts the batch's Achieved values, so every process returns
/// the same values as problem.evaluate(): with a deterministic search (fit()) run on every
/// process, all processes stay in lockstep, each calling the evaluator (and so the
/// collective TaskRunner::run) with the same batches.

#include "plenary/fit/problem.hpp"
#include "plenary/scale/tasks.hpp"

namespace plenary {

/// How task_evaluator() shares the work out.
struct TaskEvaluatorOptions {
  /// The processes or threads that compute tasks side by side (ranks under MPI, else the
  /// runner's threads): the blocks are sized to give each several tasks per batch.
  int workers = 1;
  /// Threads per task (simulate_task()).
  int task_threads = 1;
  /// The smallest block of replicates (a multiple of 4), so that a task is worth a message.
  long min_block = 64;
  /// The largest block.
  long max_block = 1024;
};

/// An Evaluator that computes each batch on `runner` and returns the same Achieved values
/// as problem.evaluate() on every process. Collective under MPI: every process must call
/// it with the same candidates. `problem` and `runner` must outlive it.
Evaluator task_evaluator(const FitProblem& problem, scale::TaskRunner& runner,
                         const TaskEvaluatorOptions& options = {});

/// The Achieved values of a batch as bytes (exact: the doubles' bits), and back. Throws
/// std::runtime_error on malformed bytes.
std::string encode_achieved(const std::vector<Achieved>& batch);
std::vector<Achieved> decode_achieved(const std::string& bytes);

}  // namespace plenary
