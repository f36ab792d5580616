// The MPI backend of the task layer (include/plenary/scale/tasks.hpp, docs/sweep.md).
//
// Dynamic load balancing with rank 0 as both dispatcher and worker. Every rank holds the
// same task list, so a task travels as its index. Rank 0 hands each other rank `prefetch`
// task indices; a rank sends each finished task's Results back (non-blocking) and rank 0
// answers with the next index. Nobody blocks while there is work: rank 0 computes tasks
// too, and every rank services its messages from TaskContext::poll(), i.e. between the
// engine's batches of replicates, so a finished result or a request for work waits at
// most one batch. A rank blocks (MPI_Wait, MPI_Mprobe) only when it has nothing left to
// compute. Integer counts add up the same in any order, so the results do not depend on
// which rank computed what.

#include "scale/mpi_runner.hpp"

#include <fmt/format.h>
#include <mpi.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <exception>
#include <list>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "plenary/util/error.hpp"
#include "scale/accumulator.hpp"

namespace plenary::scale {

namespace {

constexpr int kTagTask = 1;    // rank 0 -> worker: one int64, a task index or kStop
constexpr int kTagResult = 2;  // worker -> rank 0: task index, then serialize(Results)
constexpr std::int64_t kStop = -1;

using Clock = std::chrono::steady_clock;

// A message being sent: its buffer must live until the request completes.
struct Outgoing {
  std::vector<std::uint64_t> words;
  std::int64_t task = 0;
  MPI_Request request = MPI_REQUEST_NULL;
};

// Drops the sends that have completed.
template <typename T>
void reap(std::list<T>& sends) {
  for (auto it = sends.begin(); it != sends.end();) {
    int flag = 0;
    MPI_Test(&it->request, &flag, MPI_STATUS_IGNORE);
    it = flag ? sends.erase(it) : std::next(it);
  }
}

std::string processor_name() {
  char name[MPI_MAX_PROCESSOR_NAME] = {};
  int length = 0;
  MPI_Get_processor_name(name, &length);
  return std::string(name, static_cast<std::size_t>(length));
}

// Rank 0's side of run(): dispatches, computes, gathers.
class Root final : public TaskContext {
 public:
  Root(const std::vector<Task>& tasks, const TaskFunction& compute, const PointFunction& done,
       int ranks, int prefetch)
      : tasks_(tasks),
        compute_(compute),
        done_(done),
        acc_(tasks),
        outstanding_(static_cast<std::size_t>(ranks), 0),
        main_(std::this_thread::get_id()) {
    for (int w = 1; w < ranks; ++w) {
      for (int k = 0; k < prefetch; ++k) refill(w, k == 0);
    }
  }

  void run() {
    while (completed_ < tasks_.size()) {
      service();
      if (next_ < tasks_.size()) {
        const std::size_t k = next_++;
        complete(k, compute_(tasks_[k], *this));
      } else if (completed_ < tasks_.size()) {
        wait_for_a_result();
      }
    }
    for (Outgoing& o : sends_) MPI_Wait(&o.request, MPI_STATUS_IGNORE);
  }

  void poll() override {
    if (std::this_thread::get_id() != main_) return;
    const Clock::time_point now = Clock::now();
    if (now - last_poll_ < std::chrono::milliseconds(1)) return;
    last_poll_ = now;
    service();
  }

 private:
  struct Incoming {
    std::vector<std::uint64_t> words;
    int source = 0;
    MPI_Request request = MPI_REQUEST_NULL;
  };

  // Gives rank `w` its next task, or tells it to stop when none is left and it has none
  // outstanding (`may_stop` false while it is still being handed its first tasks).
  void refill(int w, bool may_stop) {
    if (next_ < tasks_.size()) {
      send(w, static_cast<std::int64_t>(next_++));
      ++outstanding_[static_cast<std::size_t>(w)];
    } else if (may_stop && outstanding_[static_cast<std::size_t>(w)] == 0) {
      send(w, kStop);
    }
  }

  void send(int w, std::int64_t task) {
    sends_.emplace_back();
    Outgoing& o = sends_.back();
    o.task = task;
    MPI_Isend(&o.task, 1, MPI_INT64_T, w, kTagTask, MPI_COMM_WORLD, &o.request);
  }

  // Starts receiving every result that has arrived, finishes those received.
  void service() {
    for (;;) {
      int flag = 0;
      MPI_Message message;
      MPI_Status status;
      MPI_Improbe(MPI_ANY_SOURCE, kTagResult, MPI_COMM_WORLD, &flag, &message, &status);
      if (!flag) break;
      receive(message, status, false);
    }
    for (auto it = receiving_.begin(); it != receiving_.end();) {
      int flag = 0;
      MPI_Test(&it->request, &flag, MPI_STATUS_IGNORE);
      if (!flag) {
        ++it;
        continue;
      }
      finish(*it);
      it = receiving_.erase(it);
    }
    reap(sends_);
  }

  void receive(MPI_Message& message, const MPI_Status& status, bool blocking) {
    int count = 0;
    MPI_Get_count(&status, MPI_UINT64_T, &count);
    receiving_.emplace_back();
    Incoming& in = receiving_.back();
    in.source = status.MPI_SOURCE;
    in.words.resize(static_cast<std::size_t>(count));
    if (blocking) {
      MPI_Mrecv(in.words.data(), count, MPI_UINT64_T, &message, MPI_STATUS_IGNORE);
      finish(in);
      receiving_.pop_back();
    } else {
      MPI_Imrecv(in.words.data(), count, MPI_UINT64_T, &message, &in.request);
    }
  }

  // Nothing left to compute here: wait (blocking) for the next result.
  void wait_for_a_result() {
    if (!receiving_.empty()) {
      Incoming& in = receiving_.front();
      MPI_Wait(&in.request, MPI_STATUS_IGNORE);
      finish(in);
      receiving_.pop_front();
      return;
    }
    MPI_Message message;
    MPI_Status status;
    MPI_Mprobe(MPI_ANY_SOURCE, kTagResult, MPI_COMM_WORLD, &message, &status);
    receive(message, status, true);
  }

  void finish(const Incoming& in) {
    if (in.words.empty() || in.words[0] >= tasks_.size()) {
      throw std::runtime_error(fmt::format("malformed result message from rank {}", in.source));
    }
    --outstanding_[static_cast<std::size_t>(in.source)];
    refill(in.source, true);
    complete(static_cast<std::size_t>(in.words[0]),
             deserialize(in.words.data() + 1, in.words.size() - 1));
  }

  void complete(std::size_t k, Results&& block) {
    Results total;
    ++completed_;
    if (acc_.add(tasks_[k], std::move(block), total)) done_(tasks_[k].point, std::move(total));
  }

  const std::vector<Task>& tasks_;
  const TaskFunction& compute_;
  const PointFunction& done_;
  Accumulator acc_;
  std::vector<long> outstanding_;
  std::size_t next_ = 0;
  std::size_t completed_ = 0;
  std::list<Outgoing> sends_;
  std::list<Incoming> receiving_;
  std::thread::id main_;
  Clock::time_point last_poll_{};
};

// Another rank's side of run(): computes the tasks rank 0 hands it.
class Worker final : public TaskContext {
 public:
  Worker(const std::vector<Task>& tasks, const TaskFunction& compute)
      : tasks_(tasks), compute_(compute), main_(std::this_thread::get_id()) {
    post();
  }

  void run() {
    for (;;) {
      service();
      if (queue_.empty()) {
        if (stopped_) break;
        MPI_Wait(&request_, MPI_STATUS_IGNORE);  // nothing to compute: wait for work
        take();
        continue;
      }
      const std::int64_t k = queue_.front();
      queue_.pop_front();
      Results r = compute_(tasks_[static_cast<std::size_t>(k)], *this);
      sends_.emplace_back();
      Outgoing& o = sends_.back();
      o.words.push_back(static_cast<std::uint64_t>(k));
      const std::vector<std::uint64_t> words = serialize(r);
      o.words.insert(o.words.end(), words.begin(), words.end());
      if (o.words.size() > static_cast<std::size_t>(INT_MAX)) {
        throw std::runtime_error("a task's results are too large for one MPI message");
      }
      MPI_Isend(o.words.data(), static_cast<int>(o.words.size()), MPI_UINT64_T, 0, kTagResult,
                MPI_COMM_WORLD, &o.request);
    }
    for (Outgoing& o : sends_) MPI_Wait(&o.request, MPI_STATUS_IGNORE);
  }

  void poll() override {
    if (std::this_thread::get_id() != main_) return;
    const Clock::time_point now = Clock::now();
    if (now - last_poll_ < std::chrono::milliseconds(1)) return;
    last_poll_ = now;
    service();
  }

 private:
  void post() { MPI_Irecv(&word_, 1, MPI_INT64_T, 0, kTagTask, MPI_COMM_WORLD, &request_); }

  // The receive has completed: queue the task, or note the stop.
  void take() {
    if (word_ == kStop) {
      stopped_ = true;
      return;
    }
    if (word_ < 0 || static_cast<std::size_t>(word_) >= tasks_.size()) {
      throw std::runtime_error(fmt::format("malformed task message ({})", word_));
    }
    queue_.push_back(word_);
    post();
  }

  void service() {
    while (!stopped_) {
      int flag = 0;
      MPI_Test(&request_, &flag, MPI_STATUS_IGNORE);
      if (!flag) break;
      take();
    }
    reap(sends_);
  }

  const std::vector<Task>& tasks_;
  const TaskFunction& compute_;
  std::int64_t word_ = 0;
  MPI_Request request_ = MPI_REQUEST_NULL;
  std::deque<std::int64_t> queue_;
  bool stopped_ = false;
  std::list<Outgoing> sends_;
  std::thread::id main_;
  Clock::time_point last_poll_{};
};

class MpiRunner final : public TaskRunner {
 public:
  explicit MpiRunner(const RunnerOptions& options) : options_(options) {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized) {
      int provided = 0;
      MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
      owns_ = true;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    if (size_ == 1) local_ = make_local_runner(options);
  }
  MpiRunner(const MpiRunner&) = delete;
  MpiRunner& operator=(const MpiRunner&) = delete;
  ~MpiRunner() override {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (owns_ && !finalized) MPI_Finalize();
  }

  int rank() const override { return rank_; }
  int ranks() const override { return size_; }
  std::string describe() const override {
    return local_ ? local_->describe() : fmt::format("{} MPI ranks", size_);
  }

  bool all_ok(bool ok) override {
    int mine = ok ? 1 : 0;
    int all = 0;
    MPI_Allreduce(&mine, &all, 1, MPI_INT, MPI_LAND, MPI_COMM_WORLD);
    return all != 0;
  }

  std::string broadcast(const std::string& bytes) override {
    std::uint64_t size = bytes.size();
    MPI_Bcast(&size, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
    std::string out = rank_ == 0 ? bytes : std::string(size, '\0');
    for (std::uint64_t at = 0; at < size; at += INT_MAX) {
      const int n = static_cast<int>(std::min<std::uint64_t>(INT_MAX, size - at));
      MPI_Bcast(out.data() + at, n, MPI_CHAR, 0, MPI_COMM_WORLD);
    }
    return out;
  }

  std::vector<std::string> gather(const std::string& bytes) override {
    if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
      throw std::length_error("MPI gather of more than INT_MAX bytes");
    }
    const int size = static_cast<int>(bytes.size());
    std::vector<int> sizes(rank_ == 0 ? size_ : 0);
    MPI_Gather(&size, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
    std::vector<int> offsets(sizes.size());
    long long total = 0;
    for (std::size_t r = 0; r < sizes.size(); ++r) {
      if (total + sizes[r] > INT_MAX) {
        throw std::length_error("MPI gather of more than INT_MAX bytes");
      }
      offsets[r] = static_cast<int>(total);
      total += sizes[r];
    }
    std::string all(static_cast<std::size_t>(total), '\0');
    MPI_Gatherv(bytes.data(), size, MPI_CHAR, all.data(), sizes.data(), offsets.data(), MPI_CHAR, 0,
                MPI_COMM_WORLD);
    std::vector<std::string> out;
    for (std::size_t r = 0; r < sizes.size(); ++r) out.push_back(all.substr(offsets[r], sizes[r]));
    return out;
  }

  void barrier() override { MPI_Barrier(MPI_COMM_WORLD); }

  void run(const std::vector<Task>& tasks, const TaskFunction& compute,
           const PointFunction& done) override {
    if (local_) {
      local_->run(tasks, compute, done);
      return;
    }
    try {
      if (rank_ == 0) {
        Root(tasks, compute, done, size_, std::max(1, options_.prefetch)).run();
      } else {
        Worker(tasks, compute).run();
      }
    } catch (const std::exception& e) {
      abort(e.what(), dynamic_cast<const Error*>(&e) != nullptr ? kExitUserError : 1);
    } catch (...) {
      abort("unknown exception", 1);
    }
  }

 private:
  // One rank cannot tell the others that it failed; it prints why and ends the whole job.
  [[noreturn]] void abort(const std::string& what, int status) const {
    std::fprintf(stderr, "plenary: error: MPI rank %d of %d (on %s) failed: %s\n", rank_, size_,
                 processor_name().c_str(), what.c_str());
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, status);
    std::_Exit(status);
  }

  RunnerOptions options_;
  int rank_ = 0;
  int size_ = 1;
  bool owns_ = false;
  std::unique_ptr<TaskRunner> local_;
};

}  // namespace

std::unique_ptr<TaskRunner> make_mpi_runner(const RunnerOptions& options) {
  return std::make_unique<MpiRunner>(options);
}

}  // namespace plenary::scale
