// Choosing the task layer's backend (include/plenary/scale/tasks.hpp).

#include "plenary/scale/tasks.hpp"

#ifdef PLENARY_HAVE_MPI
#include "scale/mpi_runner.hpp"
#endif

namespace plenary::scale {

bool have_mpi() {
#ifdef PLENARY_HAVE_MPI
  return true;
#else
  return false;
#endif
}

std::unique_ptr<TaskRunner> make_runner(const RunnerOptions& options) {
#ifdef PLENARY_HAVE_MPI
  // Started by an MPI launcher: join the job (even of one process, which then runs on
  // threads). Started by hand: no MPI at all, so a plain run pays nothing for it.
  if (launched_by_mpi()) return make_mpi_runner(options);
  return make_local_runner(options);
#else
  return make_local_runner(options);
#endif
}

}  // namespace plenary::scale
