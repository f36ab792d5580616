// `plenary fit` end to end: real files in, exit codes and outputs checked; the fitted file
// run by `plenary run` gives the achieved values.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "support/cli.hpp"

namespace {

namespace fs = std::filesystem;
using plenary::testing::Outcome;
using plenary::testing::read_file;

class FitCli : public plenary::testing::CliTest {};

// The example has three members; a quick fit of GGE's intercept and position.
const std::string kFit =
    "fit scenarios/example.yaml --target GGE.sponsors@3=1.5 --target GGE.sponsors=2 "
    "--target GGE.p_adopted=0.9 --free theta_0 --free GGE.position -k 200 --max-evals 60";

TEST_F(FitCli, PrintsTheTableAndWritesAFittedScenarioThatReproducesIt) {
  const fs::path fitted = dir_ / "fitted.yaml";
  const fs::path json = dir_ / "fit.json";
  Outcome o = plenary(kFit + " --out '" + fitted.string() + "' --json '" + json.string() + "'");
  ASSERT_EQ(o.status, 0) << o.err;
  for (const char* text : {"Free parameter", "GGE.position[2]", "Target", "GGE.sponsors@3",
                           "Objective", "Search: CMA-ES", "Cost:"}) {
    EXPECT_NE(o.out.find(text), std::string::npos) << text << "\n" << o.out;
  }
  const std::string yaml = read_file(fitted);
  EXPECT_EQ(yaml.rfind("# Fitted by plenary", 0), 0u);
  EXPECT_NE(yaml.find("#   plenary fit scenarios/example.yaml --target GGE.sponsors@3=1.5 "),
            std::string::npos)
      << yaml;
  // The original file's leading comment is kept beneath the header.
  EXPECT_NE(yaml.find("# The smallest interesting scenario: two rival drafts and three members."),
            std::string::npos);

  const auto doc = nlohmann::json::parse(read_file(json));
  EXPECT_EQ(doc["parameters"].size(), 3u);
  EXPECT_EQ(doc["targets"].size(), 3u);
  EXPECT_EQ(doc["replicates"], 200);
  EXPECT_EQ(doc["seed"], 7);

  // `plenary run` on the fitted file (its run: section holds the fit's replicates and seed)
  // reports exactly the achieved values.
  const fs::path results = dir_ / "results.json";
  o = plenary("run '" + fitted.string() + "' -q --out '" + results.string() + "'");
  ASSERT_EQ(o.status, 0) << o.err;
  const auto run = nlohmann::json::parse(read_file(results));
  const auto& gge = run["drafts"][0];
  EXPECT_EQ(gge["sponsors"]["by_round"][3]["mean"], doc["targets"][0]["achieved"]);
  EXPECT_EQ(gge["sponsors"]["final"]["mean"], doc["targets"][1]["achieved"]);
  EXPECT_EQ(gge["p_adopted"]["p"], doc["targets"][2]["achieved"]);
  EXPECT_EQ(run["parameters"]["theta_0"], doc["parameters"][0]["value"]);
}

// Member targets and the absence scale: Brazil (absence 0.05) should be absent from OEWG's
// vote with probability 0.1, so the scale goes to about 2; the fitted file holds the scaled
// rates, and `plenary run` on it gives the achieved member probabilities exactly.
TEST_F(FitCli, MemberTargetsAndTheAbsenceScale) {
  const fs::path fitted = dir_ / "fitted.yaml";
  const fs::path json = dir_ / "fit.json";
  Outcome o = plenary(
      "fit scenarios/example.yaml --target OEWG.p_absent:BRA=0.1~0.01 "
      "--target OEWG.p_no:WEOG=0.5~0.2 --free absence_scale=0:10 -k 2000 --max-evals 40 -q "
      "--out '" +
      fitted.string() + "' --json '" + json.string() + "'");
  ASSERT_EQ(o.status, 0) << o.err;
  const auto doc = nlohmann::json::parse(read_file(json));
  ASSERT_EQ(doc["targets"].size(), 2u);
  EXPECT_EQ(doc["targets"][0]["target"], "OEWG.p_absent:BRA");
  const double scale = doc["parameters"][0]["value"];
  // Brazil's absence is the only random absence: P(absent) = 0.05 * scale within Monte-Carlo
  // error (2000 replicates: s.e. <= 0.007, so the scale's s.e. is ~0.2 with the tolerance):
  // 2 within 0.5. Without the scale applied, P(absent) would stay at 0.05.
  const double achieved = doc["targets"][0]["achieved"];
  EXPECT_NEAR(achieved, 0.1, 4 * 0.01);
  EXPECT_NEAR(scale, 2, 0.5);
  const std::string yaml = read_file(fitted);
  EXPECT_NE(yaml.find("absence_scale = "), std::string::npos) << yaml;

  const fs::path results = dir_ / "results.json";
  o = plenary("run '" + fitted.string() + "' -q --out '" + results.string() + "'");
  ASSERT_EQ(o.status, 0) << o.err;
  const auto run = nlohmann::json::parse(read_file(results));
  const auto& oewg = run["drafts"][1];
  EXPECT_EQ(oewg["members"][2]["code"], "BRA");
  EXPECT_EQ(oewg["members"][2]["p_absent"], doc["targets"][0]["achieved"]);
  EXPECT_EQ(oewg["members"][0]["p_no"], doc["targets"][1]["achieved"]);
}

TEST_F(FitCli, TheFittedFileIsTheSameOnAnyThreadCount) {
  std::string first;
  for (int threads : {1, 2}) {
    const fs::path fitted = dir_ / ("t" + std::to_string(threads) + ".yaml");
    const Outcome o = plenary(kFit + " -q --threads " + std::to_string(threads) + " --out '" +
                              fitted.string() + "'");
    ASSERT_EQ(o.status, 0) << o.err;
    EXPECT_TRUE(o.out.empty());
    if (first.empty()) {
      first = read_file(fitted);
    } else {
      EXPECT_EQ(read_file(fitted), first);
    }
  }
}

TEST_F(FitCli, BadInputExitsTwoWithAMessageAndWritesNothing) {
  const fs::path out = dir_ / "never.yaml";
  const std::string tail = " --out '" + out.string() + "'";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"fit scenarios/example.yaml --target GGE.yes=2 --free theta_pear",
       "plenary: error: --free 'theta_pear': 'theta_pear' is not a parameter that can be fitted "
       "(did you mean 'theta_peer'?)"},
      {"fit scenarios/example.yaml --target GGX.yes=2 --free theta_0",
       "plenary: error: --target 'GGX.yes=2': unknown draft 'GGX' (did you mean 'GGE'?)"},
      {"fit scenarios/example.yaml --target GGE.sponsors@12=2 --free theta_0",
       "plenary: error: --target 'GGE.sponsors@12=2': round 12 is out of range"},
      {"fit scenarios/example.yaml --target GGE.p_adopted=95 --free theta_0",
       "'p_adopted' is a probability"},
      {"fit scenarios/example.yaml --target GGE.yes=2 --free rho=-1:1",
       "with every free parameter at its lower bound the scenario is invalid"},
      {"fit scenarios/example.yaml --target GGE.yes=2 --free theta_0 --set theta_pear=1",
       "did you mean 'theta_peer'?"},
      {"fit scenarios/example.yaml --target OEWG.p_no:USB=1 --free theta_0",
       "plenary: error: --target 'OEWG.p_no:USB=1': 'USB' is neither a member code nor a bloc "
       "of the scenario (did you mean 'USA'?)"},
      {"fit scenarios/example.yaml --target OEWG.p_sponsor:WEOF=1 --free theta_0",
       "(did you mean 'WEOG'?)"},
      {"fit scenarios/example.yaml --target OEWG.p_no:USA=1 --free absence_scale=0:30",
       "--free 'absence_scale=0:30': at 30 the largest absence rate below 1 (0.05) would "
       "reach 1.5: keep the upper bound below 20"},
      {"fit scenarios/example.yaml --free theta_0", "--target is required"},
      {"fit scenarios/example.yaml --target GGE.yes=2", "--free is required"},
      {"fit scenarios/example.yaml --target GGE.yes=2 --free theta_0 -k 0", "--replicates"},
      {"fit scenarios/example.yaml --target GGE.yes=2 --free theta_0 --seed -1",
       "non-negative integer"},
      {"fit scenarios/does-not-exist.yaml --target GGE.yes=2 --free theta_0",
       "does-not-exist.yaml"},
  };
  for (const auto& [args, message] : cases) {
    const Outcome o = plenary(args + tail);
    EXPECT_EQ(o.status, 2) << args << "\n" << o.err;
    EXPECT_NE(o.err.find(message), std::string::npos) << args << "\n" << o.err;
    EXPECT_FALSE(fs::exists(out)) << args;
  }
  // An unwritable --out is refused before the search.
  const Outcome o = plenary(kFit + " --out '" + (dir_ / "missing" / "f.yaml").string() + "'");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("missing"), std::string::npos) << o.err;
  EXPECT_EQ(o.out, "");
}

TEST_F(FitCli, Help) {
  const Outcome o = plenary("fit --help");
  EXPECT_EQ(o.status, 0);
  for (const char* flag :
       {"--target", "--free", "--replicates", "--seed", "--threads", "--max-evals", "--out",
        "--json", "--quiet", "DRAFT.QUANTITY", "p_sponsor", "QUANTITY:BLOC", "absence_scale"}) {
    EXPECT_NE(o.out.find(flag), std::string::npos) << flag;
  }
  EXPECT_NE(plenary("--help").out.find("fit"), std::string::npos);
}

}  // namespace
