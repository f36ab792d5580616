// Throughput of the simulation engine on the reference workload bench-193 and its larger
// siblings, against two baselines and the physical ceiling, all in one binary so every
// figure is a ratio from one run. Throughput is member-updates per second:
// N x R x T x K / seconds, both phases included.
#include <benchmark/benchmark.h>

#include <cmath>

#include "plenary/engine/random.hpp"
#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"
#include "plenary/scenario/generate.hpp"

namespace plenary {
namespace {

Model bench_model(int members, int ties_per_member) {
  GenerateOptions o;
  o.members = members;
  o.ties_per_member = ties_per_member;
  return compile(generate_scenario(o));
}

void set_counters(benchmark::State& state, const Model& m, long replicates) {
  const double updates = static_cast<double>(m.members) * static_cast<double>(m.drafts.size()) *
                         m.rounds * static_cast<double>(replicates);
  state.counters["member_updates/s"] = benchmark::Counter(
      updates * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["replicates/s"] = benchmark::Counter(
      static_cast<double>(replicates) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

// The engine: a whole run of both phases. Args: members, ties per member (0 = bloc ties),
// replicates, threads.
void BM_Run(benchmark::State& state) {
  const Model m = bench_model(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  RunOptions o;
  o.replicates = state.range(2);
  o.threads = static_cast<int>(state.range(3));
  o.seed = 1;
  for (auto _ : state) benchmark::DoNotOptimize(simulate(m, o));
  set_counters(state, m, o.replicates);
}
BENCHMARK(BM_Run)
    ->ArgNames({"N", "ties", "K", "threads"})
    ->Args({193, 0, 1, 1})
    ->Args({193, 0, 64, 1})
    ->Args({193, 0, 1024, 1})
    ->Args({193, 0, 10000, 1})
    ->Args({193, 0, 10000, 2})
    ->Args({1000, 0, 64, 1})
    ->Args({10000, 50, 64, 1})
    ->Args({100000, 50, 64, 1})
    ->Args({100000, 50, 64, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Baseline: what a NumPy user writes, vectorised over replicates: per round and draft a
// dense product W S (N x N times N x K), then the logit and a uniform per cell. Phase 1
// only, peer term and distance only; a lower bound on that approach's cost.
void BM_BaselineDenseProduct(benchmark::State& state) {
  const Model m = bench_model(193, 0);
  const long k = state.range(0);
  const Eigen::MatrixXd w(m.ties);
  const int n = m.members;
  const int r_count = static_cast<int>(m.drafts.size());
  for (auto _ : state) {
    std::vector<Eigen::MatrixXd> s(static_cast<std::size_t>(r_count), Eigen::MatrixXd::Zero(n, k));
    for (int r = 0; r < r_count; ++r) s[static_cast<std::size_t>(r)].row(r).setOnes();
    for (int t = 0; t < m.rounds; ++t) {
      for (int r = 0; r < r_count; ++r) {
        Eigen::MatrixXd& sr = s[static_cast<std::size_t>(r)];
        const Eigen::MatrixXd peer = w * sr;
        for (long c = 0; c < k; ++c) {
          for (int i = 0; i < n; ++i) {
            if (sr(i, c) != 0) continue;
            const double d2 = (m.positions.row(i).transpose() - m.drafts[static_cast<std::size_t>(r)].position).squaredNorm();
            const double z = -4 - d2 + 3 * peer(i, c);
            const auto words = philox_block(1, static_cast<std::uint32_t>(c), Phase::kSponsorship,
                                            static_cast<std::uint32_t>(t), static_cast<std::uint64_t>(i));
            if (to_uniform(words[0]) * (1 + std::exp(-z)) < 1) sr(i, c) = 1;
          }
        }
      }
    }
    benchmark::DoNotOptimize(s);
  }
  set_counters(state, m, k);
}
BENCHMARK(BM_BaselineDenseProduct)->ArgName("K")->Arg(1024)->Unit(benchmark::kMillisecond)->UseRealTime();

// Baseline: a plain scalar loop, one replicate at a time, peer pressure recomputed as a
// dot product over all members for every member-update.
void BM_BaselineScalar(benchmark::State& state) {
  const Model m = bench_model(193, 0);
  const long k = state.range(0);
  const Eigen::MatrixXd w(m.ties);
  const int n = m.members;
  const int r_count = static_cast<int>(m.drafts.size());
  for (auto _ : state) {
    long joined = 0;
    for (long c = 0; c < k; ++c) {
      Eigen::MatrixXd s = Eigen::MatrixXd::Zero(n, r_count);
      for (int r = 0; r < r_count; ++r) s(r, r) = 1;
      for (int t = 0; t < m.rounds; ++t) {
        Eigen::MatrixXd next = s;
        for (int r = 0; r < r_count; ++r) {
          for (int i = 0; i < n; ++i) {
            if (s(i, r) != 0) continue;
            double peer = 0;
            for (int j = 0; j < n; ++j) peer += w(i, j) * s(j, r);
            const double d2 = (m.positions.row(i).transpose() - m.drafts[static_cast<std::size_t>(r)].position).squaredNorm();
            const double z = -4 - d2 + 3 * peer;
            const auto words = philox_block(1, static_cast<std::uint32_t>(c), Phase::kSponsorship,
                                            static_cast<std::uint32_t>(t), static_cast<std::uint64_t>(i));
            if (to_uniform(words[0]) * (1 + std::exp(-z)) < 1) {
              next(i, r) = 1;
              ++joined;
            }
          }
        }
        s = next;
      }
    }
    benchmark::DoNotOptimize(joined);
  }
  set_counters(state, m, k);
}
BENCHMARK(BM_BaselineScalar)->ArgName("K")->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime();

// The physical ceiling: per member-update only one uniform and one comparison (a quarter
// Philox block, as the engine packs four replicates into one).
void BM_Ceiling(benchmark::State& state) {
  const long updates = state.range(0);
  for (auto _ : state) {
    long hits = 0;
    for (long b = 0; b < updates / 4; ++b) {
      const auto words = philox_block(1, static_cast<std::uint32_t>(b), Phase::kSponsorship, 0, 7);
      for (std::uint32_t w : words) hits += to_uniform(w) < 0.02;
    }
    benchmark::DoNotOptimize(hits);
  }
  state.counters["member_updates/s"] = benchmark::Counter(
      static_cast<double>(updates) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Ceiling)->ArgName("updates")->Arg(1 << 22)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace plenary

BENCHMARK_MAIN();
