// The task layer's cost per task against the work of a task (README, "Scaling out"):
// the bookkeeping every task's Results go through (serialised for the wire, read back,
// added into its point), and the simulation of one task, on bench-193.
//   bench/bench_scale --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include "plenary/model/model.hpp"
#include "plenary/scale/tasks.hpp"
#include "plenary/scenario/generate.hpp"
#include "scale/accumulator.hpp"

namespace {

using namespace plenary;

const Model& bench_model() {
  static const Model model = compile(generate_scenario(GenerateOptions{}));
  return model;
}

// One task of `block` replicates of bench-193 on one thread.
void BM_TaskWork(benchmark::State& state) {
  const scale::Task task{0, 0, state.range(0)};
  scale::TaskContext context;
  for (auto _ : state) {
    benchmark::DoNotOptimize(scale::simulate_task(bench_model(), task, 1, context));
  }
  state.SetLabel("replicates per task");
}
BENCHMARK(BM_TaskWork)->Arg(16)->Arg(1024)->Unit(benchmark::kMillisecond);

// What rank 0 and a worker do with one task's Results besides the transfer: serialise,
// deserialise, add into the point's sum.
void BM_TaskBookkeeping(benchmark::State& state) {
  const scale::Task task{0, 0, 16};
  scale::TaskContext context;
  const Results block = scale::simulate_task(bench_model(), task, 1, context);
  const std::vector<scale::Task> tasks(1 << 20, task);
  scale::Accumulator acc(tasks);
  Results total;
  for (auto _ : state) {
    const std::vector<std::uint64_t> words = scale::serialize(block);
    Results back = scale::deserialize(words.data(), words.size());
    benchmark::DoNotOptimize(acc.add(task, std::move(back), total));
  }
  state.counters["message_bytes"] =
      static_cast<double>(scale::serialize(block).size() * sizeof(std::uint64_t));
}
BENCHMARK(BM_TaskBookkeeping)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
