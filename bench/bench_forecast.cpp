// Benchmarks of plenary::forecast on the real record: a whole session forecast (both
// pipeline stages, estimation included, as `plenary forecast` times it), beside the static
// ordered calibrate fit of the same 8-session window as a baseline; and reading the data.
// Single-threaded.
#include <benchmark/benchmark.h>

#include "plenary/calibrate/calibrate.hpp"
#include "plenary/forecast/forecast.hpp"

namespace {

namespace cal = plenary::calibrate;
namespace fc = plenary::forecast;

const cal::VoteData& real_data() {
  static const cal::VoteData data = cal::load_vote_data(PLENARY_DATA_DIR "/unga");
  return data;
}

// plenary forecast --session S --dims D: window, kin, both dynamic fits, placements, blend.
void BM_ForecastSession(benchmark::State& state) {
  fc::ForecastOptions o;
  o.session = static_cast<int>(state.range(0));
  o.dynamic.dims = static_cast<int>(state.range(1));
  long cells = 0;
  double drift = 0.0;
  for (auto _ : state) {
    const fc::Forecast f = fc::run_forecast(real_data(), o);
    benchmark::DoNotOptimize(f.main.cells.data());
    cells = static_cast<long>(f.main.cells.size());
    drift = f.main.drift_variance;
  }
  state.counters["cells"] = static_cast<double>(cells);
  state.counters["drift"] = drift;
}
BENCHMARK(BM_ForecastSession)
    ->Args({73, 1})
    ->Args({73, 2})
    ->Args({72, 2})
    ->Unit(benchmark::kMillisecond);

// Baseline: calibrate's static ordered model on the same window as the forecast of 73
// (sessions 65-72), one fit.
void BM_StaticOrderedWindow(benchmark::State& state) {
  cal::WindowOptions w;
  w.first_session = 65;
  w.last_session = 72;
  static const cal::Observations obs = cal::observations_from(
      cal::select_window(real_data(), w).votes, cal::IdealPointModel::kOrdered);
  cal::EstimatorOptions o;
  o.dims = static_cast<int>(state.range(0));
  o.model = cal::IdealPointModel::kOrdered;
  for (auto _ : state) {
    const cal::IdealPoints est = cal::estimate_ideal_points(obs, o);
    benchmark::DoNotOptimize(est.positions.data());
  }
}
BENCHMARK(BM_StaticOrderedWindow)->Arg(2)->Unit(benchmark::kMillisecond);

// Reading the whole record, as the command does first.
void BM_LoadRecord(benchmark::State& state) {
  for (auto _ : state) {
    const cal::VoteData data = cal::load_vote_data(PLENARY_DATA_DIR "/unga");
    benchmark::DoNotOptimize(data.votes.data());
  }
}
BENCHMARK(BM_LoadRecord)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
