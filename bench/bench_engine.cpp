// Throughput of the whole engine, simulate(): both phases, every replicate, on the
// reference workload bench-193 and its larger siblings. The co-sponsorship rounds and the
// vote are timed apart in bench_sponsorship.cpp and bench_vote.cpp, the baselines and the
// physical ceiling in bench_baselines.cpp; all four files make one binary, so every ratio
// in bench/README.md comes from one run.
#include "engine_fixture.hpp"
#include "plenary/scale/sweep.hpp"
#include "plenary/scale/tasks.hpp"
#include "plenary/stats/uncertainty.hpp"

namespace plenary::bench {
namespace {

// Args: members N, ties per member (0 = bloc ties, dense W), replicates K, threads.
void BM_Run(benchmark::State& state) {
  const Model& m = model(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  RunOptions o;
  o.replicates = state.range(2);
  o.threads = static_cast<int>(state.range(3));
  o.seed = 1;
  const double k = static_cast<double>(o.replicates);
  timed(state, updates_per_replicate(m) * k, k, kLaneBytesPerMemberDraft,
        [&] { benchmark::DoNotOptimize(simulate(m, o)); });
}
BENCHMARK(BM_Run)
    ->ArgNames({"N", "ties", "K", "threads"})
    // bench-193 over K; the goal's shape is K = 10,000.
    ->Args({193, 0, 1, 1})
    ->Args({193, 0, 64, 1})
    ->Args({193, 0, 1024, 1})
    ->Args({193, 0, 1024, 2})
    ->Args({193, 0, 10000, 1})
    ->Args({193, 0, 10000, 2})
    ->Args({1000, 0, 64, 1})
    ->Args({1000, 0, 1024, 1})
    ->Args({1000, 0, 1024, 2})
    // Linear cost: sparse ties (50 per member), 64 replicates, N = 1,000 .. 100,000.
    ->Args({1000, 50, 64, 1})
    ->Args({3000, 50, 64, 1})
    ->Args({10000, 50, 64, 1})
    ->Args({30000, 50, 64, 1})
    ->Args({100000, 50, 64, 1})
    ->Args({100000, 50, 64, 2})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// bench-193, 10,000 replicates, one thread, on each path of the kernels (isa: 0 scalar, 1
// AVX2, 2 AVX-512; PLENARY_ISA's choices) in one run, beside the ceilings of
// bench_baselines.cpp (BM_CeilingVectorised/isa:...). Every path gives the same bits.
void BM_RunIsa(benchmark::State& state) {
  const IsaScope scope(state, state.range(0));
  if (!scope.ok()) return;
  const Model& m = model(193, 0);
  RunOptions o;
  o.replicates = state.range(1);
  o.threads = 1;
  o.seed = 1;
  const double k = static_cast<double>(o.replicates);
  timed(state, updates_per_replicate(m) * k, k, kLaneBytesPerMemberDraft,
        [&] { benchmark::DoNotOptimize(simulate(m, o)); });
}
BENCHMARK(BM_RunIsa)
    ->ArgNames({"isa", "K"})
    ->ArgsProduct({{2, 1, 0}, {64, 10000}})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// The batch size (replicates advanced together) on bench-193, 10,000 replicates, 1 and 2
// threads: results do not depend on it, speed does (a batch's lane state, 25 bytes per
// member, draft and lane, should stay in the core's own cache).
void BM_RunBatch(benchmark::State& state) {
  const Model& m = model(193, 0);
  RunOptions o;
  o.replicates = 10000;
  o.batch = static_cast<int>(state.range(0));
  o.threads = static_cast<int>(state.range(1));
  o.seed = 1;
  const double k = static_cast<double>(o.replicates);
  timed(state, updates_per_replicate(m) * k, k, kLaneBytesPerMemberDraft,
        [&] { benchmark::DoNotOptimize(simulate(m, o)); });
}
BENCHMARK(BM_RunBatch)
    ->ArgNames({"batch", "threads"})
    ->ArgsProduct({{4, 8, 16, 32, 64, 128, 256}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// --uncertainty positions against the plain run on bench-193, in the same run (issue 17:
// at most 1.5x). bench-193 has no standard errors, so every member gets 0.15 on each
// dimension (the shipped positions' are 0.05 to 0.3). Arg mode: 0 the plain run, 1 drawn
// positions, 2 drawn positions with the replicate log and the variance split, as
// `plenary run --uncertainty positions` does; 3 drawn parameters (theta_0 and theta_fit
// with standard errors 0.1 and 0.2, as fitted on the cyber scenarios, every draft's), 4 both
// (3 and 4 with the log and the split, as `plenary run --uncertainty parameters|both`).
const Model& uncertain_model() {
  static const Model uncertain = [] {
    Model m = model(193, 0);
    m.position_se.setConstant(0.15);
    m.without_position_se.clear();
    ParameterUncertainty u;
    for (const char* name : {"theta_0", "theta_fit"}) {
      DrawnCoordinate c;
      c.name = name;
      c.what.parameter = *find_parameter(name);
      c.value = m.drafts[0].params.*(kParameters[c.what.parameter].field);
      c.lower = -1e6;
      c.upper = 1e6;
      for (int r = 0; r < static_cast<int>(m.drafts.size()); ++r) c.drafts.push_back(r);
      u.coordinates.push_back(c);
    }
    u.factor = Eigen::Vector2d(0.1, 0.2).asDiagonal();
    m.parameter_uncertainty = u;
    return m;
  }();
  return uncertain;
}

void BM_RunUncertainty(benchmark::State& state) {
  const Model& uncertain = uncertain_model();
  const long mode = state.range(0);
  RunOptions o;
  o.replicates = state.range(1);
  o.threads = static_cast<int>(state.range(2));
  o.seed = 1;
  o.uncertainty = mode == 0   ? UncertaintySource::kNone
                  : mode < 3  ? UncertaintySource::kPositions
                  : mode == 3 ? UncertaintySource::kFitParameters
                              : UncertaintySource::kBoth;
  const double k = static_cast<double>(o.replicates);
  timed(state, updates_per_replicate(uncertain) * k, k, kLaneBytesPerMemberDraft, [&] {
    if (mode < 2) {
      benchmark::DoNotOptimize(simulate(uncertain, o));
      return;
    }
    ReplicateLog log;
    o.log = &log;
    benchmark::DoNotOptimize(simulate(uncertain, o));
    benchmark::DoNotOptimize(split_variance(uncertain, log, o.uncertainty));
    o.log = nullptr;
  });
}
BENCHMARK(BM_RunUncertainty)
    ->ArgNames({"mode", "K", "threads"})
    ->ArgsProduct({{0, 1, 2, 3, 4}, {1024, 10000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// One task of `plenary sweep` on bench-193 (the default block of 1,024 replicates, one
// thread), as run_points() computes it: mode 0 without --uncertainty (simulate_task alone),
// 1 positions, 2 parameters, 3 both, each with the block's replicate log and the variance
// split's integer sums of every draft's figures (scale::sweep_log_sums), in the same run.
void BM_SweepTaskUncertainty(benchmark::State& state) {
  const Model& uncertain = uncertain_model();
  const long mode = state.range(0);
  const UncertaintySource u = mode == 0   ? UncertaintySource::kNone
                              : mode == 1 ? UncertaintySource::kPositions
                              : mode == 2 ? UncertaintySource::kFitParameters
                                          : UncertaintySource::kBoth;
  const scale::Task task{0, 0, 1024};
  scale::TaskContext context;
  const std::vector<int> thresholds = {97, 129};
  const double k = static_cast<double>(task.count);
  timed(state, updates_per_replicate(uncertain) * k, k, kLaneBytesPerMemberDraft, [&] {
    if (mode == 0) {
      benchmark::DoNotOptimize(scale::simulate_task(uncertain, task, 1, context));
      return;
    }
    ReplicateLog log;
    Results r = scale::simulate_task(uncertain, task, 1, context, 1, u, &log);
    r.log_sums = scale::sweep_log_sums(log, thresholds, u);
    benchmark::DoNotOptimize(r);
  });
}
BENCHMARK(BM_SweepTaskUncertainty)
    ->ArgNames({"mode"})
    ->DenseRange(0, 3)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace
}  // namespace plenary::bench

BENCHMARK_MAIN();
