// A Morris screening on the sweep machinery (plenary sensitivity, docs/sensitivity.md)
// against its plain baseline in the same run: every design point's scenario made, compiled
// and simulated in a loop on one thread. Points per second, on bench-193.
//   bench/bench_sensitivity --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include "plenary/model/model.hpp"
#include "plenary/scale/sensitivity.hpp"
#include "plenary/scenario/generate.hpp"
#include "plenary/scenario/loader.hpp"

namespace {

using namespace plenary;

constexpr long kReplicates = 256;

scale::SensitivitySpec spec(int trajectories) {
  scale::SensitivitySpec s;
  s.varies = {"theta_0=-5:-3", "theta_fit=0.5:1.5", "theta_peer=2:4", "theta_bloc=1:3",
              "phi_fit=1:3",   "tau_yes=0.5:1.5",   "tau_no=0.5:1.5"};
  s.samples = trajectories;
  s.replicates = kReplicates;
  s.seed = 1;
  s.bootstrap = 200;
  return s;
}

const Scenario& bench_scenario() {
  static const Scenario s = generate_scenario(GenerateOptions{});
  return s;
}

// The study as plenary sensitivity runs it: the plan (design, every point checked), the
// points on the task layer with `threads` threads, the indices.
void BM_MorrisStudy(benchmark::State& state) {
  const auto threads = static_cast<int>(state.range(0));
  const int trajectories = 4;
  long points = 0;
  for (auto _ : state) {
    scale::SensitivityPlan plan(bench_scenario(), spec(trajectories));
    const auto runner = scale::make_local_runner({.threads = threads});
    scale::run_sensitivity(*runner, plan,
                           scale::missing_points(*runner, plan.points(), plan.rows()));
    benchmark::DoNotOptimize(plan.result());
    points += static_cast<long>(plan.points());
  }
  state.counters["points_per_s"] =
      benchmark::Counter(static_cast<double>(points), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MorrisStudy)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The baseline: the same points, each applied with apply_set, compiled and simulated
// (kReplicates, one thread) in a plain loop; no plan, no tasks, no indices.
void BM_PlainLoopOfRuns(benchmark::State& state) {
  const SensitivityDesign design = morris_design(7, 4, 4, 1);
  std::vector<SensitivityFactor> factors;
  for (const std::string& v : spec(4).varies)
    factors.push_back(scale::parse_vary(bench_scenario(), v));
  long points = 0;
  for (auto _ : state) {
    for (std::size_t p = 0; p < design.points(); ++p) {
      Scenario s = bench_scenario();
      for (std::size_t i = 0; i < factors.size(); ++i) {
        apply_set(s, factors[i].name + "=" +
                         std::to_string(factors[i].value(design.at(p, static_cast<int>(i)))));
      }
      RunOptions o;
      o.replicates = kReplicates;
      o.seed = 1;
      o.threads = 1;
      benchmark::DoNotOptimize(simulate(compile(s), o));
      ++points;
    }
  }
  state.counters["points_per_s"] =
      benchmark::Counter(static_cast<double>(points), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PlainLoopOfRuns)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
