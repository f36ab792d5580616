// A sweep run through the library (include/plenary/scale/sweep.hpp), as a library user
// runs one: each row is what one simulate() of the point's whole ensemble gives, however
// the replicates are cut into tasks; a resumed sweep runs only the points its journal
// lacks and writes the same bytes as one that was never interrupted.
#include "plenary/scale/sweep.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "plenary/model/model.hpp"
#include "plenary/scenario/generate.hpp"
#include "plenary/scenario/loader.hpp"
#include "plenary/stats/summary.hpp"
#include "plenary/stats/uncertainty.hpp"

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

std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  for (std::string cell; std::getline(ss, cell, ',');) out.push_back(cell);
  return out;
}

// With positions drawn: a row's standard errors and split are run's split of the point's
// whole ensemble (docs/uncertainty.md), however the replicates are cut into blocks.
TEST_F(SweepTest, WithUncertaintyEachRowSplitsThePointsWholeEnsemble) {
  const auto run_with = [&](int threads, long block) {
    SweepPlan p(load_scenario(fs::path(PLENARY_SOURCE_DIR) / "scenarios/example.yaml"),
                {"theta_peer=0:2:1"}, 202, 7, UncertaintySource::kPositions);
    const auto runner = make_local_runner({.threads = threads});
    run_sweep(*runner, p, points_to_run(*runner, p), {.block = block});
    return p;
  };
  const SweepPlan p = run_with(1, 1000);
  EXPECT_EQ(run_with(2, 8).rows(), p.rows());
  const std::vector<std::string> header = cells(p.header());
  const auto column = [&](const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    EXPECT_NE(it, header.end()) << name;
    return static_cast<std::size_t>(it - header.begin());
  };
  for (std::size_t point = 0; point < p.grid().size(); ++point) {
    const Model model = compile(p.grid().scenario(p.base(), point));
    ReplicateLog log;
    (void)simulate(model, {.replicates = 202,
                           .seed = 7,
                           .threads = 1,
                           .log = &log,
                           .uncertainty = UncertaintySource::kPositions});
    const VarianceReport v = split_variance(model, log, UncertaintySource::kPositions);
    const std::vector<std::string> row = cells(p.rows().at(point));
    for (std::size_t r = 0; r < v.drafts.size(); ++r) {
      const std::string& id = v.drafts[r].id;
      const VarianceSplit& sponsors = v.drafts[r].figures[0];
      const VarianceSplit& adopted = v.drafts[r].figures[1];
      const auto near = [&](const std::string& name, double want) {
        EXPECT_NEAR(std::stod(row[column(id + "." + name)]), want, 1e-9 * (1 + std::abs(want)))
            << name << " at point " << point;
      };
      near("sponsors_mean", sponsors.mean);
      near("sponsors_se", *sponsors.se);
      near("sponsors_var_total", sponsors.total);
      near("sponsors_var_mc", sponsors.monte_carlo);
      near("sponsors_var_positions", sponsors.positions);
      near("sponsors_var_parameters", 0);
      near("p_adopted_se", *adopted.se);
      near("p_adopted_var_positions", adopted.positions);
    }
  }
}

TEST_F(SweepTest, AJournalRefusesAResumeWithAnotherUncertainty) {
  const Scenario base = load_scenario(fs::path(PLENARY_SOURCE_DIR) / "scenarios/example.yaml");
  {
    SweepPlan first(base, {"theta_peer=0:2:1"}, 40, 7, UncertaintySource::kPositions);
    first.open_output(dir_ / "s.csv", false);
    const auto runner = make_local_runner({.threads = 1});
    run_sweep(*runner, first, {1});
  }
  SweepPlan plain(base, {"theta_peer=0:2:1"}, 40, 7);
  try {
    plain.open_output(dir_ / "s.csv", true);
    FAIL() << "resumed";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "belongs to a different sweep (it has uncertainty=positions where this sweep "
                  "has uncertainty=none)"),
              std::string::npos)
        << e.what();
  }
  SweepPlan same(base, {"theta_peer=0:2:1"}, 40, 7, UncertaintySource::kPositions);
  same.open_output(dir_ / "s.csv", true);
  EXPECT_EQ(same.rows().size(), 1u);
}

TEST_F(SweepTest, UncertaintyNeedsTwoGroupsPerPoint) {
  const Scenario base = load_scenario(fs::path(PLENARY_SOURCE_DIR) / "scenarios/example.yaml");
  try {
    SweepPlan p(base, {"theta_peer=0:2:1"}, 3, 7, UncertaintySource::kPositions);
    FAIL() << "accepted";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "--replicates 3: --uncertainty positions splits the variance over groups of 2 "
                 "replicates that share a draw and needs at least two of them per point; give "
                 "--replicates 4 or more");
  }
}

}  // namespace
}  // namespace plenary::scale
