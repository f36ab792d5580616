#pragma once
// What the engine benchmarks share: the synthetic workloads (bench-193 and its larger
// siblings, built once per shape), the throughput counters, and a window into
// sim/engine's Batch so that the co-sponsorship rounds and the vote can be timed apart.
//
// Throughput is member-updates per second, N x R x T x K / seconds (MODEL.md's N members,
// R drafts, T rounds, K replicates). Every benchmark reports it twice: per second of wall
// time (`member_updates/s`, the rate Google Benchmark computes) and per second of CPU time
// of the whole process (`updates_per_cpu_s`), because on a shared machine the wall time
// also counts the time other programs held the core.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "engine/batch.hpp"
#include "plenary/core/isa.hpp"
#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"
#include "plenary/scenario/generate.hpp"

namespace plenary {

/// The private steps of Batch::run, for the benchmarks only (a friend of Batch).
struct BatchProbe {
  /// Phase 1: reset and T co-sponsorship rounds of replicates first .. first + lanes - 1.
  static void sponsorship(Batch& b, long first, int lanes, std::uint64_t seed,
                          std::vector<DraftCounts>& counts) {
    const auto n = static_cast<std::size_t>(lanes);
    b.reset(n);
    b.record_round(0, n, counts);
    for (int t = 0; t < b.m_.rounds; ++t) {
      b.sponsorship_round(t, first, n, seed);
      b.apply_joins();
      b.record_round(t + 1, n, counts);
    }
  }
  /// Phase 2 (withdrawal and the vote) on the state phase 1 left.
  static void vote(Batch& b, long first, int lanes, std::uint64_t seed,
                   std::vector<DraftCounts>& counts) {
    b.vote(first, static_cast<std::size_t>(lanes), seed, counts, nullptr, 0);
  }
};

namespace bench {

// Runs the code of one scope on the kernels' path `isa` (0 scalar, 1 AVX2, 2 AVX-512:
// Isa's values), then restores the process's path; `ok` is false (and the benchmark
// skipped) where the processor lacks it.
class IsaScope {
 public:
  IsaScope(benchmark::State& state, long isa) : previous_(kernel_isa()) {
    const auto wanted = static_cast<Isa>(isa);
    ok_ = cpu_supports(wanted);
    if (!ok_) {
      state.SkipWithError("this processor lacks the instruction set");
      return;
    }
    use_kernel_isa(wanted);
    state.SetLabel(std::string(isa_name(wanted)));
  }
  ~IsaScope() { use_kernel_isa(previous_); }
  IsaScope(const IsaScope&) = delete;
  IsaScope& operator=(const IsaScope&) = delete;
  bool ok() const { return ok_; }

 private:
  Isa previous_;
  bool ok_ = false;
};

/// bench-193 (`plenary generate`'s defaults) with `members` members; ties_per_member = 0
/// keeps bloc co-membership ties (dense W), > 0 draws that many sparse ties per member
/// (the blocs then act through the bloc term only). Built once per shape, shared.
inline const Model& model(int members, int ties_per_member) {
  static std::mutex mutex;
  static std::map<std::pair<int, int>, std::unique_ptr<Model>> cache;
  const std::lock_guard<std::mutex> lock(mutex);
  auto& slot = cache[{members, ties_per_member}];
  if (!slot) {
    GenerateOptions o;
    o.members = members;
    o.ties_per_member = ties_per_member;
    slot = std::make_unique<Model>(compile(generate_scenario(o)));
  }
  return *slot;
}

/// N x R x T member-updates of one replicate.
inline double updates_per_replicate(const Model& m) {
  return static_cast<double>(m.members) * static_cast<double>(m.drafts.size()) * m.rounds;
}

/// Lane state per member and draft, as the engine counts it (an overestimate at large N,
/// where the rival counts take 2 bytes and the members' own bloc terms are not kept). A
/// member-replicate costs this times R.
inline constexpr double kLaneBytesPerMemberDraft = kLaneBytesPerMember;

/// The lanes per batch that simulate() picks for this model with default options (its
/// 32 MB lane-state budget per thread; sim/engine/simulate.cpp).
inline int engine_batch(const Model& m) {
  const double lane_bytes =
      kLaneBytesPerMemberDraft * m.members * static_cast<double>(m.drafts.size());
  const long affordable = std::max(4L, static_cast<long>(32.0 * 1024 * 1024 / lane_bytes));
  const long batch = std::min<long>(RunOptions{}.batch, affordable);
  return static_cast<int>(std::max<long>(4, (batch + 3) / 4 * 4));
}

/// Zeroed counts shaped as simulate() shapes them.
inline std::vector<DraftCounts> empty_counts(const Model& m) {
  const auto n1 = static_cast<std::size_t>(m.members) + 1;
  std::vector<DraftCounts> counts(m.drafts.size());
  for (DraftCounts& c : counts) {
    c.sponsors_by_round.assign((static_cast<std::size_t>(m.rounds) + 1) * n1, 0);
    c.member_sponsor.assign(n1 - 1, 0);
    c.member_votes.assign(4 * (n1 - 1), 0);
    c.tally.assign(4 * n1, 0);
  }
  return counts;
}

/// CPU time of the whole process (every thread), in seconds.
inline double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

/// Sets the counters of a benchmark that did `updates` member-updates per iteration
/// (and `replicates` replicates), `cpu_seconds` of process CPU time over all iterations.
inline void set_counters(benchmark::State& state, double updates, double replicates,
                         double lane_bytes, double cpu_seconds) {
  const auto iterations = static_cast<double>(state.iterations());
  state.counters["member_updates/s"] =
      benchmark::Counter(updates * iterations, benchmark::Counter::kIsRate);
  if (replicates > 0) {
    state.counters["replicates/s"] =
        benchmark::Counter(replicates * iterations, benchmark::Counter::kIsRate);
  }
  // Lane state swept per second: every member-update reads its member's lane state.
  if (lane_bytes > 0) {
    state.counters["lane_bytes/s"] =
        benchmark::Counter(updates * iterations * lane_bytes, benchmark::Counter::kIsRate,
                           benchmark::Counter::kIs1024);
  }
  if (cpu_seconds > 0) state.counters["updates_per_cpu_s"] = updates * iterations / cpu_seconds;
}

/// Times the body once per iteration and sets the counters; the body may pause timing.
template <typename Body>
void timed(benchmark::State& state, double updates, double replicates, double lane_bytes,
           Body&& body) {
  const double cpu0 = process_cpu_seconds();
  for (auto _ : state) body();
  set_counters(state, updates, replicates, lane_bytes, process_cpu_seconds() - cpu0);
}

}  // namespace bench
}  // namespace plenary
