// plenary lobby's ranking of every member of bench-193 for one draft (docs/strategy.md,
// "The fast path"): the fast path against its baseline in the same run, one full run of the
// engine per candidate (LobbyOptions::fast = false). Both give the same bytes
// (tests/stats/lobby_fast_test.cpp). Counters: candidates ranked per second and
// replicate-candidates per second (wall time), and per CPU second of the process.
#include <benchmark/benchmark.h>

#include <ctime>

#include "plenary/scenario/generate.hpp"
#include "plenary/stats/lobby.hpp"

namespace plenary::bench {
namespace {

const Scenario& bench_193() {
  static const Scenario s = generate_scenario(GenerateOptions{});
  return s;
}

double cpu_seconds() {
  return static_cast<double>(std::clock()) / static_cast<double>(CLOCKS_PER_SEC);
}

// Args: replicates K, threads, fast (1) or one full run per candidate (0).
void BM_LobbyRanking(benchmark::State& state) {
  const Scenario& s = bench_193();
  LobbyOptions o;
  o.replicates = state.range(0);
  o.threads = static_cast<int>(state.range(1));
  o.fast = state.range(2) != 0;
  o.seed = 1;
  const LobbyGoal goal = parse_lobby_goal("sponsors", static_cast<int>(s.members.size()));
  const std::vector<LobbyCandidate> candidates = lobby_candidates(s, "members");
  double cpu = 0;
  for (auto _ : state) {
    const double start = cpu_seconds();
    benchmark::DoNotOptimize(lobby(s, 0, goal, candidates, o));
    cpu += cpu_seconds() - start;
  }
  const double n = static_cast<double>(candidates.size()) * static_cast<double>(state.iterations());
  const double k = static_cast<double>(o.replicates);
  state.counters["candidates/s"] = benchmark::Counter(n, benchmark::Counter::kIsRate);
  state.counters["replicate_candidates/s"] = benchmark::Counter(n * k, benchmark::Counter::kIsRate);
  state.counters["candidates_per_cpu_s"] = n / cpu;
}
BENCHMARK(BM_LobbyRanking)
    ->ArgNames({"K", "threads", "fast"})
    ->Args({64, 1, 1})
    ->Args({64, 1, 0})
    ->Args({1000, 1, 1})
    ->Args({1000, 1, 0})
    ->Args({10000, 1, 1})
    ->Args({10000, 1, 0})
    ->Args({10000, 2, 1})
    ->Args({10000, 2, 0})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

}  // namespace
}  // namespace plenary::bench

BENCHMARK_MAIN();
