// Baselines and the physical ceiling, in the same binary as the engine's benchmarks so
// that every speed-up is a ratio of one run on one machine.
#include <cmath>
#include <optional>

#include "core/kernels.hpp"
#include "engine_fixture.hpp"
#include "plenary/core/random.hpp"

namespace plenary::bench {
namespace {

// Baseline: what a NumPy user writes, vectorised over replicates: per round and draft a
// dense product W S (N x N times N x K), then the logit and a uniform per cell. Phase 1
// only, peer term and distance only; a lower bound on that approach's cost.
void BM_BaselineDenseProduct(benchmark::State& state) {
  const Model& m = model(193, 0);
  const long k = state.range(0);
  const Eigen::MatrixXd w(m.ties);
  const int n = m.members;
  const int r_count = static_cast<int>(m.drafts.size());
  timed(state, updates_per_replicate(m) * static_cast<double>(k), static_cast<double>(k), 0, [&] {
    std::vector<Eigen::MatrixXd> s(static_cast<std::size_t>(r_count), Eigen::MatrixXd::Zero(n, k));
    for (int r = 0; r < r_count; ++r) s[static_cast<std::size_t>(r)].row(r).setOnes();
    for (int t = 0; t < m.rounds; ++t) {
      for (int r = 0; r < r_count; ++r) {
        Eigen::MatrixXd& sr = s[static_cast<std::size_t>(r)];
        const Eigen::MatrixXd peer = w * sr;
        for (long c = 0; c < k; ++c) {
          for (int i = 0; i < n; ++i) {
            if (sr(i, c) != 0) continue;
            const double d2 =
                (m.positions.row(i).transpose() - m.drafts[static_cast<std::size_t>(r)].position)
                    .squaredNorm();
            const double z = -4 - d2 + 3 * peer(i, c);
            const auto words =
                philox_block(1, static_cast<std::uint32_t>(c), Phase::kSponsorship,
                             static_cast<std::uint32_t>(t), static_cast<std::uint64_t>(i));
            if (to_uniform(words[0]) * (1 + std::exp(-z)) < 1) sr(i, c) = 1;
          }
        }
      }
    }
    benchmark::DoNotOptimize(s);
  });
}
BENCHMARK(BM_BaselineDenseProduct)
    ->ArgName("K")
    ->Arg(1024)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// Baseline: a plain scalar loop, one replicate at a time, peer pressure recomputed as a
// dot product over all members for every member-update.
void BM_BaselineScalar(benchmark::State& state) {
  const Model& m = model(193, 0);
  const long k = state.range(0);
  const Eigen::MatrixXd w(m.ties);
  const int n = m.members;
  const int r_count = static_cast<int>(m.drafts.size());
  timed(state, updates_per_replicate(m) * static_cast<double>(k), static_cast<double>(k), 0, [&] {
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
            const double d2 =
                (m.positions.row(i).transpose() - m.drafts[static_cast<std::size_t>(r)].position)
                    .squaredNorm();
            const double z = -4 - d2 + 3 * peer;
            const auto words =
                philox_block(1, static_cast<std::uint32_t>(c), Phase::kSponsorship,
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
  });
}
BENCHMARK(BM_BaselineScalar)
    ->ArgName("K")
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// The physical ceiling with the reference generator: per member-update only one uniform
// and one comparison, a quarter of a scalar Philox4x32-10 block (Random123), as the engine
// packs four replicates into one block.
void BM_Ceiling(benchmark::State& state) {
  const long updates = state.range(0);
  timed(state, static_cast<double>(updates), 0, 0, [&] {
    long hits = 0;
    for (long b = 0; b < updates / 4; ++b) {
      const auto words = philox_block(1, static_cast<std::uint32_t>(b), Phase::kSponsorship, 0, 7);
      for (std::uint32_t w : words) hits += to_uniform(w) < 0.02;
    }
    benchmark::DoNotOptimize(hits);
  });
}
BENCHMARK(BM_Ceiling)
    ->ArgName("updates")
    ->Arg(1 << 22)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// One chunk of the vectorised ceiling: the engine's own Philox kernel (kernels.hpp) for
// `n` members, then one uniform and one comparison per word.
constexpr std::size_t kChunk = 256;

PLENARY_KERNEL_BODY long count_hits(const std::uint32_t* words) {
  long hits = 0;
  for (std::size_t k = 0; k < 4 * kChunk; ++k) {
    hits += (static_cast<double>(words[k]) + 0.5) * 0x1p-32 < 0.02;
  }
  return hits;
}
// One copy per path of the engine's kernels (kernel_isa()): the engine's AVX-512 or AVX2
// generator in intrinsics (kernels::philox_many_avx512, philox_many_avx2) and that
// instruction set's vectors for the comparisons, or the plain loop of the baseline path.
PLENARY_KERNEL_WIDE long ceiling_wide(std::uint32_t block, const std::uint32_t* lo,
                                      const std::uint32_t* hi, std::uint32_t* words) {
  kernels::philox_many_avx512(1, 0, block, 1u << 24, lo, hi, kChunk, words, kChunk);
  return count_hits(words);
}
PLENARY_KERNEL_AVX2 long ceiling_avx2(std::uint32_t block, const std::uint32_t* lo,
                                      const std::uint32_t* hi, std::uint32_t* words) {
  kernels::philox_many_avx2(1, 0, block, 1u << 24, lo, hi, kChunk, words, kChunk);
  return count_hits(words);
}
long ceiling_scalar(std::uint32_t block, const std::uint32_t* lo, const std::uint32_t* hi,
                    std::uint32_t* words) {
  kernels::philox_many(1, 0, block, 1u << 24, lo, hi, kChunk, words, kChunk);
  return count_hits(words);
}
long ceiling_chunk(std::uint32_t block, const std::uint32_t* lo, const std::uint32_t* hi,
                   std::uint32_t* words) {
  switch (kernel_isa()) {
    case Isa::kAvx512:
      return ceiling_wide(block, lo, hi, words);
    case Isa::kAvx2:
      return ceiling_avx2(block, lo, hi, words);
    case Isa::kScalar:
      break;
  }
  return ceiling_scalar(block, lo, hi, words);
}

// The physical ceiling as the engine draws its numbers: the vectorised generator, one word
// and one comparison per member-update, nothing else. No engine can beat it without a
// cheaper generator.
// isa: the path (0 scalar, 1 AVX2, 2 AVX-512, as BM_RunIsa), -1 the process's own.
void BM_CeilingVectorised(benchmark::State& state) {
  const long updates = state.range(0);
  std::optional<IsaScope> scope;
  if (state.range(1) >= 0) {
    scope.emplace(state, state.range(1));
    if (!scope->ok()) return;
  }
  std::vector<std::uint32_t> lo(kChunk), hi(kChunk), words(4 * kChunk);
  for (std::size_t i = 0; i < kChunk; ++i) {
    const std::uint64_t pair = pair_key(mix64(i), 7);
    lo[i] = static_cast<std::uint32_t>(pair);
    hi[i] = static_cast<std::uint32_t>(pair >> 32);
  }
  timed(state, static_cast<double>(updates), 0, 0, [&] {
    long hits = 0;
    for (long b = 0; b < updates / static_cast<long>(4 * kChunk); ++b) {
      hits += ceiling_chunk(static_cast<std::uint32_t>(b), lo.data(), hi.data(), words.data());
    }
    benchmark::DoNotOptimize(hits);
  });
}
BENCHMARK(BM_CeilingVectorised)
    ->ArgNames({"updates", "isa"})
    ->ArgsProduct({{1 << 22}, {-1, 2, 1, 0}})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace
}  // namespace plenary::bench
