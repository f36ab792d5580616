// The fit's candidates on the task layer: the same Achieved values as problem.evaluate(),
// bit for bit, however the replicates are split and on however many threads.
#include "plenary/fit/task_evaluator.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "plenary/fit/fit.hpp"
#include "plenary/fit/report.hpp"
#include "plenary/scenario/generate.hpp"

namespace plenary {
namespace {

Scenario assembly() {
  GenerateOptions g;
  g.members = 40;
  g.blocs = 3;
  g.drafts = 1;
  g.dims = 1;
  g.rounds = 8;
  g.seed = 4;
  return generate_scenario(g);
}

FitProblem problem(long replicates) {
  const Scenario s = assembly();
  EvaluationSettings e;
  e.replicates = replicates;
  e.seed = 9;
  return FitProblem(
      s,
      parse_targets(s, {"D0.sponsors@4=10", "D0.yes=25", "D0.p_reach:20=0.5", "D0.p_adopted=0.8"}),
      parse_free_list(s, {"theta_0,theta_peer"}), e);
}

TEST(TaskEvaluator, GivesTheReferenceValuesBitForBit) {
  // 203 replicates: blocks of 4, 8, 64 leave a ragged last block.
  const FitProblem p = problem(203);
  std::vector<Candidate> xs;
  for (double t0 : {-5.0, -4.0, -3.0}) xs.push_back(Eigen::Vector2d(t0, 2.5));
  const std::vector<Achieved> reference = p.evaluate(xs);
  for (int threads : {1, 3}) {
    for (long block : {4L, 8L, 64L, 1024L}) {
      const auto runner = scale::make_local_runner({.threads = threads});
      TaskEvaluatorOptions o;
      o.workers = threads;
      o.min_block = block;
      o.max_block = block;
      EXPECT_EQ(task_evaluator(p, *runner, o)(xs), reference)
          << threads << " threads, blocks of " << block;
    }
  }
  const auto runner = scale::make_local_runner({.threads = 2});
  EXPECT_TRUE(task_evaluator(p, *runner)({}).empty());
}

TEST(TaskEvaluator, AFitGivesTheSameFileAsWithTheReferenceEvaluator) {
  const FitProblem p = problem(120);
  FitOptions o;
  o.max_evaluations = 30;
  const std::string reference = fitted_scenario_yaml(p, fit(p, local_evaluator(p), o), "x", "");
  const auto runner = scale::make_local_runner({.threads = 3});
  TaskEvaluatorOptions t;
  t.workers = 3;
  t.min_block = 8;
  EXPECT_EQ(fitted_scenario_yaml(p, fit(p, task_evaluator(p, *runner, t), o), "x", ""), reference);
}

TEST(TaskEvaluator, AchievedValuesRoundTripAsBytes) {
  std::vector<Achieved> batch(3);
  batch[0] = {
      {1.5, -0.0, std::numeric_limits<double>::quiet_NaN()}, {0.1, 0.2, 0.3}, {false, true, false}};
  batch[2] = {{1e-300}, {std::numeric_limits<double>::infinity()}, {true}};
  const std::string bytes = encode_achieved(batch);
  const std::vector<Achieved> back = decode_achieved(bytes);
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[0].value[0], 1.5);
  EXPECT_TRUE(std::signbit(back[0].value[1]));
  EXPECT_TRUE(std::isnan(back[0].value[2]));
  EXPECT_EQ(back[0].se, batch[0].se);
  EXPECT_EQ(back[0].fallback, batch[0].fallback);
  EXPECT_TRUE(back[1].value.empty());
  EXPECT_EQ(back[2], batch[2]);
  EXPECT_THROW(decode_achieved(bytes.substr(0, bytes.size() - 1)), std::runtime_error);
  EXPECT_THROW(decode_achieved(bytes + "x"), std::runtime_error);
  EXPECT_TRUE(decode_achieved(encode_achieved({})).empty());
}

}  // namespace
}  // namespace plenary
