// A sweep run through the library (include/plenary/scale/sweep.hpp), as a library user
// runs one: each row is what one simulate() of the point's whole ensemble gives, however
// the replicates are cut into tasks; a resumed sweep runs only the points its journal
// lacks and writes the same bytes as one that was never interrupted.
#include "plenary/scale/sweep.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "plenary/model/model.hpp"
#include "plenary/scenario/generate.hpp"
#include "plenary/scenario/loader.hpp"
#include "plenary/stats/summary.hpp"

namespace plenary::scale {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class SweepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("plenary-sweep-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static SweepPlan plan() {
    return SweepPlan(load_scenario(fs::path(PLENARY_SOURCE_DIR) / "scenarios/example.yaml"),
                     {"theta_peer=0:2:1", "GGE.closes=6,10"}, 200, 7);
  }

  fs::path dir_;
};

TEST_F(SweepTest, EachRowIsOneSimulationOfThePointsWholeEnsemble) {
  const auto runner = make_local_runner({.threads = 2});
  SweepPlan p = plan();
  ASSERT_EQ(p.grid().size(), 6u);
  p.open_output(dir_ / "s.csv", false);
  const std::vector<std::size_t> points = points_to_run(*runner, p);
  ASSERT_EQ(points.size(), 6u);
  long finished = 0;
  // Blocks of 24 replicates: each point's 200 in 9 tasks, on 2 threads.
  run_sweep(*runner, p, points, {.block = 24, .on_point = [&](long n) { finished = n; }});
  EXPECT_EQ(finished, 6);
  ASSERT_EQ(p.rows().size(), 6u);
  for (std::size_t point = 0; point < p.grid().size(); ++point) {
    const Model model = compile(p.grid().scenario(p.base(), point));
    const Results whole = simulate(model, {.replicates = 200, .seed = 7, .threads = 1});
    EXPECT_EQ(p.rows().at(point),
              sweep_row(point, p.grid(), summarise(model, whole, p.base().run.thresholds)))
        << "point " << point;
  }
  p.write_output();
  EXPECT_FALSE(fs::exists(Journal::path_for(dir_ / "s.csv")));
  std::string expected = p.header() + "\n";
  for (const auto& [point, row] : p.rows()) expected += row + "\n";
  EXPECT_EQ(read(dir_ / "s.csv"), expected);
}

TEST_F(SweepTest, AResumedSweepRunsOnlyTheMissingPointsAndWritesTheSameBytes) {
  const auto runner = make_local_runner({.threads = 1});
  {
    SweepPlan whole = plan();
    whole.open_output(dir_ / "whole.csv", false);
    run_sweep(*runner, whole, points_to_run(*runner, whole));
    whole.write_output();
  }
  {
    // Interrupted after two points: the journal keeps their rows.
    SweepPlan first = plan();
    first.open_output(dir_ / "cut.csv", false);
    run_sweep(*runner, first, {1, 4});
  }
  SweepPlan resumed = plan();
  resumed.open_output(dir_ / "cut.csv", true);
  EXPECT_EQ(resumed.rows().size(), 2u);
  const std::vector<std::size_t> left = points_to_run(*runner, resumed);
  EXPECT_EQ(left, (std::vector<std::size_t>{0, 2, 3, 5}));
  run_sweep(*runner, resumed, left);
  resumed.write_output();
  EXPECT_EQ(read(dir_ / "cut.csv"), read(dir_ / "whole.csv"));
}

TEST_F(SweepTest, AbandoningAFreshPlanDeletesItsJournal) {
  SweepPlan p = plan();
  p.open_output(dir_ / "s.csv", false);
  EXPECT_TRUE(fs::exists(Journal::path_for(dir_ / "s.csv")));
  p.abandon();
  EXPECT_FALSE(fs::exists(Journal::path_for(dir_ / "s.csv")));
}

// A scenario's SHA-256 covers the tables it references, so a sweep journal is not taken for
// the same sweep once a table changed (docs/scenario-format.md, "The scenario's SHA-256").
TEST_F(SweepTest, AChangedTableMakesResumeRefuseNamingTheScenarioHash) {
  GenerateOptions o;
  o.members = 30;
  o.ties_per_member = 3;
  o.replicates = 16;
  const ScenarioFiles files =
      scenario_to_tables(generate_scenario(o), "", "g.members.csv", "g.ties.csv");
  std::ofstream(dir_ / "g.yaml", std::ios::binary) << files.yaml;
  std::ofstream(dir_ / "g.members.csv", std::ios::binary) << files.members_csv;
  std::ofstream(dir_ / "g.ties.csv", std::ios::binary) << files.ties_csv;
  const auto open = [&](bool resume) {
    SweepPlan p(load_scenario(dir_ / "g.yaml"), {"rho=0,1"}, 16, 3);
    p.open_output(dir_ / "s.csv", resume);
    return p.base().sha256;
  };
  const std::string before = open(false);  // leaves its journal
  EXPECT_EQ(open(true), before);           // the same files: resumed
  // One tie's weight changed (the first data row of the ties table).
  std::string ties = files.ties_csv;
  const std::size_t row = ties.find('\n') + 1;
  const std::size_t weight = ties.find('\n', row);
  ASSERT_EQ(ties.substr(weight - 2, 2), ",1");
  ties.replace(weight - 1, 1, "2");
  std::ofstream(dir_ / "g.ties.csv", std::ios::binary | std::ios::trunc) << ties;
  const std::string after = load_scenario(dir_ / "g.yaml").sha256;
  EXPECT_NE(after, before);
  try {
    open(true);
    FAIL() << "resumed a sweep whose ties table changed";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("belongs to a different sweep (it has scenario_sha256=" +
                                         before + " where this sweep has scenario_sha256=" + after),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace plenary::scale
