// The task layer's common parts and its local (threads) backend
// (include/plenary/scale/tasks.hpp).

#include "plenary/scale/tasks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "plenary/util/assert.hpp"
#include "plenary/util/error.hpp"
#include "plenary/util/text.hpp"
#include "scale/accumulator.hpp"

namespace plenary::scale {

std::vector<Task> make_tasks(const std::vector<std::size_t>& points, long replicates, long block) {
  if (replicates < 1) {
    throw UsageError(
        fmt::format("the number of replicates must be at least 1, got {}", replicates));
  }
  if (block < 1) throw UsageError(fmt::format("the block size must be at least 1, got {}", block));
  block = (block + 3) / 4 * 4;
  std::vector<Task> tasks;
  tasks.reserve(points.size() * static_cast<std::size_t>((replicates + block - 1) / block));
  for (std::size_t point : points) {
    for (long first = 0; first < replicates; first += block) {
      tasks.push_back(Task{point, first, std::min(block, replicates - first)});
    }
  }
  return tasks;
}

Accumulator::Accumulator(const std::vector<Task>& tasks) {
  for (const Task& t : tasks) ++pending_[t.point].blocks_left;
}

bool Accumulator::add(const Task& task, Results&& block, Results& total) {
  const auto it = pending_.find(task.point);
  PLENARY_ASSERT(it != pending_.end() && it->second.blocks_left > 0);
  Pending& p = it->second;
  if (!p.started) {
    p.sum = std::move(block);
    p.started = true;
  } else {
    if (p.sum.drafts.size() != block.drafts.size()) {
      throw std::runtime_error("blocks of one point have different shapes");
    }
    if (p.sum.log_sums.size() != block.log_sums.size()) {
      throw std::runtime_error("blocks of one point have different log sums");
    }
    p.sum.replicates += block.replicates;
    for (std::size_t r = 0; r < p.sum.drafts.size(); ++r) p.sum.drafts[r].add(block.drafts[r]);
    for (std::size_t w = 0; w < p.sum.log_sums.size(); ++w) p.sum.log_sums[w] += block.log_sums[w];
  }
  if (--p.blocks_left > 0) return false;
  total = std::move(p.sum);
  pending_.erase(it);
  return true;
}

namespace {

void put(std::vector<std::uint64_t>& out, const std::vector<std::uint64_t>& v) {
  out.push_back(v.size());
  out.insert(out.end(), v.begin(), v.end());
}

class Reader {
 public:
  Reader(const std::uint64_t* words, std::size_t size) : words_(words), size_(size) {}
  std::uint64_t word() {
    if (at_ >= size_) throw std::runtime_error("truncated Results message");
    return words_[at_++];
  }
  std::vector<std::uint64_t> vector() {
    const std::uint64_t n = word();
    if (n > size_ - at_) throw std::runtime_error("truncated Results message");
    std::vector<std::uint64_t> v(words_ + at_, words_ + at_ + n);
    at_ += static_cast<std::size_t>(n);
    return v;
  }
  bool done() const { return at_ == size_; }

 private:
  const std::uint64_t* words_;
  std::size_t size_;
  std::size_t at_ = 0;
};

}  // namespace

std::vector<std::uint64_t> serialize(const Results& results) {
  std::vector<std::uint64_t> out = {static_cast<std::uint64_t>(results.replicates), results.seed,
                                    static_cast<std::uint64_t>(results.members),
                                    static_cast<std::uint64_t>(results.rounds),
                                    results.drafts.size()};
  for (const DraftCounts& d : results.drafts) {
    put(out, d.sponsors_by_round);
    put(out, d.member_sponsor);
    put(out, d.member_votes);
    put(out, d.tally);
    out.insert(out.end(), {d.stood, d.recorded, d.adopted, d.without_vote, d.withdrawn});
  }
  put(out, results.log_sums);
  return out;
}

Results deserialize(const std::uint64_t* words, std::size_t size) {
  Reader in(words, size);
  Results r;
  r.replicates = static_cast<long>(in.word());
  r.seed = in.word();
  r.members = static_cast<int>(in.word());
  r.rounds = static_cast<int>(in.word());
  const std::uint64_t drafts = in.word();
  if (drafts > size) throw std::runtime_error("malformed Results message");
  for (std::uint64_t k = 0; k < drafts; ++k) {
    DraftCounts d;
    d.sponsors_by_round = in.vector();
    d.member_sponsor = in.vector();
    d.member_votes = in.vector();
    d.tally = in.vector();
    d.stood = in.word();
    d.recorded = in.word();
    d.adopted = in.word();
    d.without_vote = in.word();
    d.withdrawn = in.word();
    r.drafts.push_back(std::move(d));
  }
  r.log_sums = in.vector();
  if (!in.done()) throw std::runtime_error("malformed Results message (trailing words)");
  return r;
}

namespace {

class LocalRunner final : public TaskRunner {
 public:
  explicit LocalRunner(const RunnerOptions& options) {
    threads_ = options.threads > 0
                   ? options.threads
                   : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  int rank() const override { return 0; }
  int ranks() const override { return 1; }
  std::string describe() const override {
    return fmt::format("{} thread{}", threads_, threads_ == 1 ? "" : "s");
  }
  bool all_ok(bool ok) override { return ok; }
  std::string broadcast(const std::string& bytes) override { return bytes; }
  std::vector<std::string> gather(const std::string& bytes) override { return {bytes}; }
  void barrier() override {}

  void run(const std::vector<Task>& tasks, const TaskFunction& compute,
           const PointFunction& done) override {
    Accumulator acc(tasks);
    std::atomic<std::size_t> next{0};
    std::mutex mutex;  // guards acc, failure and the calls of `done`
    std::exception_ptr failure;
    auto work = [&] {
      try {
        for (std::size_t k = next++; k < tasks.size(); k = next++) {
          TaskContext context;
          Results block = compute(tasks[k], context);
          const std::lock_guard<std::mutex> lock(mutex);
          if (failure) return;
          Results total;
          if (acc.add(tasks[k], std::move(block), total)) done(tasks[k].point, std::move(total));
        }
      } catch (...) {
        next = tasks.size();
        const std::lock_guard<std::mutex> lock(mutex);
        if (!failure) failure = std::current_exception();
      }
    };
    const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(threads_), tasks.size());
    if (n <= 1) {
      work();
    } else {
      std::vector<std::thread> pool;
      for (std::size_t t = 0; t < n; ++t) pool.emplace_back(work);
      for (std::thread& t : pool) t.join();
    }
    if (failure) std::rethrow_exception(failure);
  }

 private:
  int threads_ = 1;
};

// An environment variable read as an integer (0 when unset or not a number).
long env_number(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return 0;
  const std::optional<std::int64_t> n = parse_integer(value);
  return n ? static_cast<long>(*n) : 0;
}

}  // namespace

std::unique_ptr<TaskRunner> make_local_runner(const RunnerOptions& options) {
  if (options.threads < 0) {
    throw UsageError(fmt::format("the number of threads must be 0 (all cores) or more, got {}",
                                 options.threads));
  }
  return std::make_unique<LocalRunner>(options);
}

bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_RANK", "PMI_SIZE", "PMIX_RANK",
                           "MPI_LOCALNRANKS", "SLURM_STEP_NUM_TASKS"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

bool launched_as_many_processes() {
  for (const char* name :
       {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "MPI_LOCALNRANKS", "SLURM_STEP_NUM_TASKS"}) {
    if (env_number(name) > 1) return true;
  }
  return false;
}

}  // namespace plenary::scale

namespace plenary::scale {

Results simulate_task(const Model& model, const Task& task, std::uint64_t seed,
                      TaskContext& context, int threads, UncertaintySource uncertainty,
                      ReplicateLog* log) {
  RunOptions options;
  options.uncertainty = uncertainty;
  options.log = log;
  options.replicates = task.count;
  options.first_replicate = task.first;
  options.seed = seed;
  options.threads = threads;
  // No wider a batch than the block: a small task should not allocate (and page in) lane
  // state for a full batch. Results do not depend on the batch size.
  options.batch = static_cast<int>(std::min<long>(options.batch, (task.count + 3) / 4 * 4));
  options.progress = [&context](long) { context.poll(); };
  return simulate(model, options);
}

void throw_preparation_failure(TaskRunner& runner, std::exception_ptr failure,
                               std::string_view what) {
  if (runner.ranks() == 1) {
    if (failure) std::rethrow_exception(failure);
    return;
  }
  // Each process's outcome travels as "" (prepared) or "!" and its message.
  std::string mine;
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      mine = std::string("!") + e.what();
    }
  }
  const std::vector<std::string> outcomes = runner.gather(mine);
  // The line main() prints for a plenary::Error, written here so that it is out before
  // the barrier.
  const auto show = [](std::string_view message) {
    fmt::print(stderr, "plenary: error: {}\n", message);
    std::fflush(stderr);
  };
  if (runner.is_root()) {
    for (std::size_t rank = 0; rank < outcomes.size(); ++rank) {
      if (outcomes[rank].empty()) continue;
      const std::string_view message = std::string_view(outcomes[rank]).substr(1);
      if (rank == 0) {
        show(message);
      } else {
        show(fmt::format("MPI rank {} could not prepare {}: {}", rank, what, message));
      }
      break;
    }
  }
  // No process may end before rank 0 has written the message: mpirun kills the whole job
  // when one process ends with a nonzero status.
  runner.barrier();
}

}  // namespace plenary::scale
