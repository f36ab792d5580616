// `plenary sweep` end to end, one process: rows equal `plenary run` at the same point, and
// bad inputs exit 2 with a message. (Interrupting and resuming: sweep_kill_test.py.)
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/cli.hpp"

namespace {

namespace fs = std::filesystem;
using plenary::testing::Outcome;
using plenary::testing::read_file;

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  for (std::string cell; std::getline(ss, cell, ',');) out.push_back(cell);
  return out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  for (std::string line; std::getline(ss, line);) out.push_back(line);
  return out;
}

class Sweep : public plenary::testing::CliTest {
 protected:
  std::string out(const std::string& name = "s.csv") const { return (dir_ / name).string(); }
};

TEST_F(Sweep, ARowEqualsPlenaryRunAtThatPoint) {
  const Outcome o = plenary(
      "sweep scenarios/example.yaml --set theta_peer=0:2:1 --set "
      "GGE.closes=6,10 -k 500 -q --out '" +
      out() + "'");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_FALSE(fs::exists(out() + ".journal"));
  const std::vector<std::string> rows = lines(read_file(out()));
  ASSERT_EQ(rows.size(), 7u);
  const std::vector<std::string> header = split(rows[0]);
  EXPECT_EQ(header[0], "point");
  EXPECT_EQ(header[1], "theta_peer");
  EXPECT_EQ(header[2], "GGE.closes");
  EXPECT_EQ(header[3], "GGE.sponsors_mean");
  EXPECT_EQ(split(rows[4])[1], "1");
  EXPECT_EQ(split(rows[4])[2], "10");

  const Outcome r = plenary(
      "run scenarios/example.yaml --set theta_peer=1 --set GGE.closes=10 "
      "-k 500 -q --csv '" +
      (dir_ / "run").string() + "'");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::vector<std::string> drafts = lines(read_file(dir_ / "run" / "drafts.csv"));
  const std::vector<std::string> dh = split(drafts[0]);
  const std::vector<std::string> row = split(rows[4]);
  for (std::size_t d = 1; d < drafts.size(); ++d) {
    const std::vector<std::string> dv = split(drafts[d]);
    for (const char* column : {"sponsors_mean", "sponsors_se", "tally_replicates", "yes_mean",
                               "p_adopted", "p_adopted_se", "p_without_vote", "p_withdrawn"}) {
      const auto in_run = std::find(dh.begin(), dh.end(), column) - dh.begin();
      const auto in_sweep =
          std::find(header.begin(), header.end(), dv[0] + "." + column) - header.begin();
      ASSERT_LT(static_cast<std::size_t>(in_sweep), header.size()) << column;
      EXPECT_EQ(row[static_cast<std::size_t>(in_sweep)], dv[static_cast<std::size_t>(in_run)])
          << dv[0] << "." << column;
    }
  }
}

TEST_F(Sweep, ThreadsAndBlocksGiveTheSameBytes) {
  const std::string base =
      "sweep scenarios/example.yaml --set GGE.majority=simple,two_thirds "
      "--set rho=0.5,1 -k 300 -q ";
  ASSERT_EQ(plenary(base + "-j 1 --block 300 --out '" + out("a.csv") + "'").status, 0);
  ASSERT_EQ(plenary(base + "-j 3 --block 8 --out '" + out("b.csv") + "'").status, 0);
  EXPECT_EQ(read_file(out("a.csv")), read_file(out("b.csv")));
}

TEST_F(Sweep, BadInputsExitTwoWithTheReason) {
  const std::string s = "sweep scenarios/example.yaml -q --out '" + out() + "' ";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--set theta_peer=0:4:0", "the step must be positive, got 0"},
      {"--set theta_peer=4:0:1", "the stop (0) is below the start (4)"},
      {"--set theta_peer=0:4", "expected a range start:stop:step"},
      {"--set theta_peeer=1,2", "unknown parameter 'theta_peeer' (did you mean 'theta_peer'?)"},
      {"--set GGE.closes=0,10", "grid point 0 (GGE.closes=0)"},
      {"", "nothing to sweep: give at least one --set NAME=VALUES"},
      {"--set theta_0=0:99999:1 --set rho=0,1", "the grid has more than 100000 points"},
      {"--set rho=0,1 --resume", "--resume: there is no journal"},
  };
  for (const auto& [args, message] : cases) {
    const Outcome o = plenary(s + args);
    EXPECT_EQ(o.status, 2) << args;
    EXPECT_NE(o.err.find(message), std::string::npos) << args << "\n" << o.err;
    EXPECT_FALSE(fs::exists(out())) << args;
    EXPECT_FALSE(fs::exists(out() + ".journal")) << args;
  }
}

TEST_F(Sweep, AJournalIsNeitherOverwrittenNorTakenForAnotherSweep) {
  std::ofstream(out() + ".journal") << "# plenary sweep journal\tversion=1\n";
  const std::string s = "sweep scenarios/example.yaml -q --set rho=0,1 --out '" + out() + "' ";
  Outcome o = plenary(s);
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("add --resume to finish that sweep, or delete the journal"),
            std::string::npos)
      << o.err;
  o = plenary(s + "--resume");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("belongs to a different sweep (it has (nothing) where this sweep has "
                       "scenario_sha256="),
            std::string::npos)
      << o.err;
  std::ofstream(out() + ".journal") << "point,rho\n0,1\n";
  o = plenary(s + "--resume");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("is not a plenary sweep journal"), std::string::npos) << o.err;
}

}  // namespace
