// Phase 2 alone: withdrawal and the vote on the sponsorship phase 1 left. Phase 1 runs
// once, before timing; every iteration then votes the same K replicates again. A vote
// is N x R member-updates per replicate, but the counters below count N x R x T like the
// others, so that the figures add up: a run's time is the sponsorship's plus the vote's.
#include "engine_fixture.hpp"

namespace plenary::bench {
namespace {

// Args: members N, ties per member (0 = bloc ties), replicates K.
void BM_Vote(benchmark::State& state) {
  const Model& m = model(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  const long k = state.range(2);
  const int batch = static_cast<int>(std::min<long>(engine_batch(m), (k + 3) / 4 * 4));
  std::vector<DraftCounts> counts = empty_counts(m);
  std::vector<Batch> batches;
  for (long first = 0; first < k; first += batch) {
    batches.emplace_back(m, batch);
    BatchProbe::sponsorship(batches.back(), first,
                            static_cast<int>(std::min<long>(batch, k - first)), 1, counts);
  }
  timed(state, updates_per_replicate(m) * static_cast<double>(k), static_cast<double>(k),
        kLaneBytesPerMemberDraft, [&] {
          for (std::size_t b = 0; b < batches.size(); ++b) {
            const long first = static_cast<long>(b) * batch;
            BatchProbe::vote(batches[b], first, static_cast<int>(std::min<long>(batch, k - first)),
                             1, counts);
          }
          benchmark::DoNotOptimize(counts.data());
        });
}
BENCHMARK(BM_Vote)
    ->ArgNames({"N", "ties", "K"})
    ->Args({193, 0, 1})
    ->Args({193, 0, 64})
    ->Args({193, 0, 1024})
    ->Args({1000, 0, 64})
    ->Args({10000, 50, 64})
    ->Args({100000, 50, 64})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace
}  // namespace plenary::bench
