// Benchmarks of plenary::calibrate: the ideal-point estimator on the real General Assembly
// matrix (sessions 65-72 in 1, 2 and 3 dimensions, also with the ordered model; all 72
// sessions in 2) and on synthetic matrices of swept shape; the ordered calibration with and
// without the members' habits; and reading the vote data.
// Single-threaded.
#include <benchmark/benchmark.h>

#include <random>

#include "plenary/calibrate/calibrate.hpp"

namespace {

using namespace plenary::calibrate;

const VoteData& real_data() {
  static const VoteData data = load_vote_data(PLENARY_DATA_DIR "/unga");
  return data;
}

Observations real_matrix(int first_session, int last_session,
                         IdealPointModel model = IdealPointModel::kBinary) {
  WindowOptions w;
  w.first_session = first_session;
  w.last_session = last_session;
  return observations_from(select_window(real_data(), w).votes, model);
}

// Estimation and identification, as timed by `plenary calibrate` ("seconds").
void run_estimator(benchmark::State& state, const Observations& obs, int dims,
                   IdealPointModel model = IdealPointModel::kBinary) {
  EstimatorOptions o;
  o.dims = dims;
  o.model = model;
  double pcc = 0.0;
  int iterations = 0;
  for (auto _ : state) {
    IdealPoints est = estimate_ideal_points(obs, o);
    identify(est, 0);
    benchmark::DoNotOptimize(est.positions.data());
    iterations = est.iterations;
    state.PauseTiming();
    pcc = compute_fit(obs, est, o.link).pcc;
    state.ResumeTiming();
  }
  state.counters["iterations"] = iterations;
  state.counters["pcc"] = pcc;
  state.counters["cells"] =
      benchmark::Counter(obs.observed.sum(), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_Sessions65To72(benchmark::State& state) {
  static const Observations obs = real_matrix(65, 72);
  run_estimator(state, obs, static_cast<int>(state.range(0)));
}
BENCHMARK(BM_Sessions65To72)->Arg(1)->Arg(2)->Arg(3)->Unit(benchmark::kMillisecond);

// The ordered Yes/Abstain/No model on the same window (--model ordered).
void BM_Sessions65To72Ordered(benchmark::State& state) {
  static const Observations obs = real_matrix(65, 72, IdealPointModel::kOrdered);
  run_estimator(state, obs, static_cast<int>(state.range(0)), IdealPointModel::kOrdered);
}
BENCHMARK(BM_Sessions65To72Ordered)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

// The whole ordered calibration of the shipped window (sessions 65-72, 2 dimensions, no
// hold-out, curvature SEs), without (0) and with (1) the members' habits (--habits off/on):
// the habits' cost against the same run without them.
void BM_CalibrateOrdered(benchmark::State& state) {
  CalibrationOptions o;
  o.window.first_session = 65;
  o.window.last_session = 72;
  o.estimator.dims = 2;
  o.estimator.model = IdealPointModel::kOrdered;
  o.holdout_share = 0.0;
  o.habits = state.range(0) != 0;
  real_data();
  for (auto _ : state) {
    Calibration r = calibrate(real_data(), o);
    benchmark::DoNotOptimize(r.estimate.positions.data());
    state.counters["habit_ms"] = 1000.0 * r.habit_seconds;
  }
}
BENCHMARK(BM_CalibrateOrdered)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_AllSessions(benchmark::State& state) {
  static const Observations obs = real_matrix(1, 72);
  run_estimator(state, obs, static_cast<int>(state.range(0)));
}
BENCHMARK(BM_AllSessions)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(3);

// Synthetic logit votes: members x roll calls, 1 dimension, 20% missing.
Observations synthetic(int members, int roll_calls) {
  std::mt19937_64 rng(1);
  std::normal_distribution<double> normal(0.0, 1.0);
  Eigen::VectorXd x(members);
  for (int i = 0; i < members; ++i) x(i) = normal(rng);
  Observations obs{Eigen::ArrayXXd::Zero(members, roll_calls),
                   Eigen::ArrayXXd::Zero(members, roll_calls), Eigen::ArrayXXd()};
  for (int j = 0; j < roll_calls; ++j) {
    const double a = normal(rng);
    const double b = 2.0 * normal(rng);
    for (int i = 0; i < members; ++i) {
      const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
      const double m = static_cast<double>(rng() >> 11) * 0x1.0p-53;
      obs.observed(i, j) = m < 0.2 ? 0.0 : 1.0;
      obs.yes(i, j) =
          obs.observed(i, j) * (u < 1.0 / (1.0 + std::exp(-(a + b * x(i)))) ? 1.0 : 0.0);
    }
  }
  return obs;
}

void BM_SyntheticShape(benchmark::State& state) {
  const Observations obs =
      synthetic(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  run_estimator(state, obs, 1);
}
BENCHMARK(BM_SyntheticShape)
    ->Args({100, 200})
    ->Args({193, 400})
    ->Args({193, 1600})
    ->Args({400, 3200})
    ->Unit(benchmark::kMillisecond);

void BM_LoadVoteData(benchmark::State& state) {
  std::size_t votes = 0;
  for (auto _ : state) {
    VoteData data = load_vote_data(PLENARY_DATA_DIR "/unga");
    benchmark::DoNotOptimize(data.votes.data());
    votes = data.votes.size();
  }
  state.counters["votes"] =
      benchmark::Counter(static_cast<double>(votes), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_LoadVoteData)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
