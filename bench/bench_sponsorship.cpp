// Phase 1 alone: the co-sponsorship rounds (decisions, the vectorised generator, the
// incremental peer, bloc and rival terms), batch by batch as simulate() runs them on one
// thread, without the vote.
#include "engine_fixture.hpp"

namespace plenary::bench {
namespace {

// Args: members N, ties per member (0 = bloc ties), replicates K.
void BM_Sponsorship(benchmark::State& state) {
  const Model& m = model(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  const long k = state.range(2);
  const int batch = static_cast<int>(std::min<long>(engine_batch(m), (k + 3) / 4 * 4));
  Batch b(m, batch);
  std::vector<DraftCounts> counts = empty_counts(m);
  timed(state, updates_per_replicate(m) * static_cast<double>(k), static_cast<double>(k),
        kLaneBytesPerMemberDraft, [&] {
          for (long first = 0; first < k; first += batch) {
            BatchProbe::sponsorship(b, first, static_cast<int>(std::min<long>(batch, k - first)), 1,
                                    counts);
          }
          benchmark::DoNotOptimize(counts.data());
        });
}
BENCHMARK(BM_Sponsorship)
    ->ArgNames({"N", "ties", "K"})
    ->Args({193, 0, 1})
    ->Args({193, 0, 64})
    ->Args({193, 0, 1024})
    ->Args({193, 0, 10000})
    ->Args({1000, 0, 64})
    ->Args({1000, 0, 1024})
    ->Args({10000, 50, 64})
    ->Args({100000, 50, 64})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace
}  // namespace plenary::bench
