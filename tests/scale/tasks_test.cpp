// The task layer: blocks of replicates on any number of threads add up, point by point,
// to exactly the whole runs.
#include "plenary/scale/tasks.hpp"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "plenary/model/model.hpp"
#include "plenary/util/error.hpp"
#include "scale/accumulator.hpp"
#include "support/assembly.hpp"

namespace plenary::scale {
namespace {

Model point_model(std::size_t point) {
  testing::AssemblyBuilder b;
  for (int i = 0; i < 8; ++i) b.member("M" + std::to_string(i), {0.3 * i - 1, 0.1 * i}, 1, 0.05);
  b.bloc("G", {"M0", "M1", "M2", "M3"});
  b.draft("A", {"M0"}, 4 + static_cast<int>(point % 3));
  b.last_draft().rivals = {1};
  b.draft("B", {"M7"}, 6);
  b.parameters().theta_peer = 1.0 + static_cast<double>(point);
  return compile(b.build());
}

TEST(Tasks, BlocksAreMultiplesOfFourAndCoverEveryReplicate) {
  const std::vector<Task> t = make_tasks({5, 2}, 10, 3);
  EXPECT_EQ(t,
            (std::vector<Task>{{5, 0, 4}, {5, 4, 4}, {5, 8, 2}, {2, 0, 4}, {2, 4, 4}, {2, 8, 2}}));
  EXPECT_THROW(make_tasks({0}, 0, 4), UsageError);
  EXPECT_THROW(make_tasks({0}, 4, 0), UsageError);
}

TEST(Tasks, SerializedResultsReadBackEqual) {
  RunOptions o;
  o.replicates = 37;
  o.threads = 1;
  const Results r = simulate(point_model(1), o);
  const std::vector<std::uint64_t> words = serialize(r);
  EXPECT_EQ(deserialize(words.data(), words.size()), r);
  EXPECT_THROW(deserialize(words.data(), words.size() - 1), std::runtime_error);
}

class LocalRunnerTest : public ::testing::TestWithParam<int> {};

TEST_P(LocalRunnerTest, PointsEqualTheirWholeRuns) {
  const long k = 203;
  std::vector<Model> models;
  for (std::size_t p = 0; p < 4; ++p) models.push_back(point_model(p));
  const auto runner = make_local_runner({.threads = GetParam()});
  std::map<std::size_t, Results> got;
  runner->run(
      make_tasks({0, 1, 2, 3}, k, 20),
      [&](const Task& t, TaskContext& c) { return simulate_task(models[t.point], t, 9, c); },
      [&](std::size_t point, Results r) { EXPECT_TRUE(got.emplace(point, std::move(r)).second); });
  ASSERT_EQ(got.size(), 4u);
  for (std::size_t p = 0; p < 4; ++p) {
    RunOptions o;
    o.replicates = k;
    o.seed = 9;
    o.threads = 1;
    EXPECT_EQ(got[p], simulate(models[p], o)) << "point " << p;
  }
}

INSTANTIATE_TEST_SUITE_P(Threads, LocalRunnerTest, ::testing::Values(1, 2, 4));

TEST(Tasks, AFailingTaskReachesTheCaller) {
  const auto runner = make_local_runner({.threads = 2});
  EXPECT_THROW(runner->run(
                   make_tasks({0, 1}, 40, 4),
                   [](const Task& t, TaskContext&) -> Results {
                     if (t.first == 12) throw DataError("boom");
                     return Results{};
                   },
                   [](std::size_t, Results) {}),
               DataError);
}

// With one process the preparation's own error reaches the caller (main prints it), after
// the work of the processes that succeeded was undone; a success returns the value.
TEST(Tasks, PreparationOnOneProcess) {
  const auto runner = make_local_runner({.threads = 1});
  int abandoned = 0;
  const std::optional<int> value = prepare_on_every_rank<int>(
      *runner, "the test", [] { return 7; }, [&](int&) { ++abandoned; });
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(*value, 7);
  try {
    prepare_on_every_rank<int>(
        *runner, "the test", []() -> int { throw UsageError("a bad --set"); },
        [&](int&) { ++abandoned; });
    ADD_FAILURE() << "no error";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "a bad --set");
  }
  EXPECT_EQ(abandoned, 0);
  EXPECT_EQ(runner->gather("x"), std::vector<std::string>{"x"});
}

}  // namespace
}  // namespace plenary::scale
