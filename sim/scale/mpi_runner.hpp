#pragma once
// The MPI backend of the task layer (include/plenary/scale/tasks.hpp); built only with
// -DPLENARY_MPI=ON.

#include <memory>

#include "plenary/scale/tasks.hpp"

namespace plenary::scale {

/// Initialises MPI (MPI_THREAD_FUNNELED) unless it already is, and finalises it when
/// destroyed if it initialised it. With one process it runs tasks on local threads.
std::unique_ptr<TaskRunner> make_mpi_runner(const RunnerOptions& options);

}  // namespace plenary::scale
