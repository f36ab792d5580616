// `plenary sensitivity` end to end: the outputs on a real scenario, the same bytes on 1 and
// 2 threads, bad inputs exit 2 with their reason and leave no file. (Ranks:
// sensitivity_ranks_test.py; killed and resumed: tests/e2e/crash_test.py.)
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/cli.hpp"

namespace {

namespace fs = std::filesystem;
using plenary::testing::Outcome;
using plenary::testing::read_file;

class Sensitivity : public plenary::testing::CliTest {
 protected:
  std::string files(const std::string& name) const {
    const std::string base = (dir_ / name).string();
    return " --out '" + base + ".csv' --json '" + base + ".json' --report '" + base + ".html'";
  }
  std::string bytes(const std::string& name) const {
    return read_file(dir_ / (name + ".csv")) + read_file(dir_ / (name + ".json")) +
           read_file(dir_ / (name + ".html"));
  }
  static constexpr const char* kStudy =
      "sensitivity scenarios/cyber-2021-joint.yaml --vary theta_fit=2:4 --vary tau_yes=0:2 "
      "--samples 4 -k 200 --seed 3 ";
};

TEST_F(Sensitivity, WritesTheIndicesTheDesignAndATornadoChart) {
  const Outcome o = plenary(std::string(kStudy) + files("a"));
  ASSERT_EQ(o.status, 0) << o.err;
  const std::string csv = read_file(dir_ / "a.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "parameter,goal,mu_star,mu_star_lo,mu_star_hi,mu,sigma,lo,hi");
  EXPECT_NE(csv.find("\ntau_yes,sponsors,0,0,0,0,0,0,2\n"), std::string::npos) << csv;
  // The table ranks theta_fit first.
  EXPECT_LT(o.out.find("  theta_fit"), o.out.find("  tau_yes")) << o.out;
  const std::string json = read_file(dir_ / "a.json");
  EXPECT_NE(json.find("\"schema\": \"plenary-sensitivity/1\""), std::string::npos);
  EXPECT_NE(json.find("\"points\": 12"), std::string::npos);
  const std::string html = read_file(dir_ / "a.html");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("Tornado chart"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "a.csv.journal"));
}

TEST_F(Sensitivity, SobolWritesItsColumns) {
  const Outcome o = plenary(std::string(kStudy) + "--method sobol -q" + files("s"));
  ASSERT_EQ(o.status, 0) << o.err;
  const std::string csv = read_file(dir_ / "s.csv");
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "parameter,goal,S1,S1_lo,S1_hi,ST,ST_lo,ST_hi,S1_se,ST_se,lo,hi");
}

TEST_F(Sensitivity, OneAndTwoThreadsGiveTheSameBytes) {
  ASSERT_EQ(plenary(std::string(kStudy) + "-q -j 1" + files("one")).status, 0);
  ASSERT_EQ(plenary(std::string(kStudy) + "-q -j 2 --block 16" + files("two")).status, 0);
  EXPECT_EQ(bytes("one"), bytes("two"));
}

TEST_F(Sensitivity, BadInputsExitTwoWithTheReasonAndNoFile) {
  const std::string base = "sensitivity scenarios/example.yaml -k 20 -q" + files("bad") + " ";
  for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
           {"--vary theta_pear=0:2",
            "--vary 'theta_pear=0:2': unknown parameter 'theta_pear' (did you mean "
            "'theta_peer'?)"},
           {"--vary theta_peer=2:0", "--vary 'theta_peer=2:0': LO (2) must be below HI (0)"},
           {"--vary GGE.majority=0:1", "--vary 'GGE.majority=0:1': expected 'simple' or"},
           {"--vary theta_peer=0:1 --vary theta_peer=1:2", "'theta_peer' is varied twice"},
           {"--vary theta_peer=0:2 --goal sponsers", "--goal 'sponsers': unknown goal"},
           {"--vary theta_peer=0:2 --draft GG", "--draft 'GG': no such draft"},
           {"--vary theta_peer=0:2 --resume", "--resume: there is no journal"},
           {"--vary theta_peer=0:2 --method fast", "--method"},
       }) {
    const Outcome o = plenary(base + args);
    EXPECT_EQ(o.status, 2) << args;
    EXPECT_NE(o.err.find(message), std::string::npos) << args << "\n" << o.err;
    EXPECT_EQ(bytes("bad"), "") << args;
    EXPECT_FALSE(fs::exists(dir_ / "bad.csv.journal")) << args;
  }
}

TEST_F(Sensitivity, AJournalOfAnotherStudyOrSweepIsRefused) {
  std::ofstream(dir_ / "j.csv.journal") << "# plenary sweep journal\tversion=1\n";
  const std::string args =
      "sensitivity scenarios/example.yaml --vary theta_peer=0:2 -k 20 -q --out '" +
      (dir_ / "j.csv").string() + "' ";
  Outcome o = plenary(args);
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("add --resume to finish that sweep, or delete the journal"),
            std::string::npos)
      << o.err;
  o = plenary(args + "--resume");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("belongs to a different sweep (it has (nothing) where this sweep has "
                       "scenario_sha256="),
            std::string::npos)
      << o.err;
  EXPECT_FALSE(fs::exists(dir_ / "j.csv"));
}

}  // namespace
