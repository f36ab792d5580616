// --uncertainty, --target-se and --max-replicates end to end (docs/uncertainty.md).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "support/cli.hpp"

namespace {

namespace fs = std::filesystem;
using plenary::testing::Outcome;
using plenary::testing::read_file;

class UncertaintyCli : public plenary::testing::CliTest {
 protected:
  nlohmann::json run_json(const std::string& flags, const std::string& name = "r.json") {
    const fs::path out = dir_ / name;
    const Outcome o =
        plenary("run scenarios/example.yaml -q " + flags + " --out '" + out.string() + "'");
    EXPECT_EQ(o.status, 0) << o.err;
    return nlohmann::json::parse(read_file(out));
  }
};

TEST_F(UncertaintyCli, SplitsTheVarianceInTextAndJson) {
  const Outcome o = plenary("run scenarios/example.yaml -k 400 --uncertainty positions");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("Uncertainty: Monte-Carlo and the members' positions (--uncertainty "
                       "positions), 400 replicates in 200 pairs sharing a draw of the positions."),
            std::string::npos)
      << o.out;
  const auto doc = run_json("-k 400 --uncertainty positions");
  const auto& u = doc["uncertainty"];
  EXPECT_EQ(u["sources"], "positions");
  EXPECT_EQ(u["replicates"], 400);
  EXPECT_TRUE(u["pairs_share_draws"].get<bool>());
  EXPECT_TRUE(u["target_se"].is_null());
  ASSERT_EQ(u["drafts"].size(), 2u);
  const auto& sponsors = u["drafts"][0]["figures"][0];
  EXPECT_EQ(sponsors["figure"], "sponsors");
  EXPECT_EQ(sponsors["n"], 400);
  // The mean is the summary's mean over the same replicates.
  EXPECT_DOUBLE_EQ(sponsors["mean"].get<double>(),
                   doc["drafts"][0]["sponsors"]["final"]["mean"].get<double>());
  for (const auto& d : u["drafts"]) {
    for (const auto& f : d["figures"]) {
      const auto& v = f["variance"];
      if (f["clamped"].get<bool>()) {
        EXPECT_EQ(v["positions"].get<double>(), 0.0);
        EXPECT_GE(v["monte_carlo"].get<double>(), v["total"].get<double>());
      } else {
        EXPECT_DOUBLE_EQ(v["monte_carlo"].get<double>() + v["positions"].get<double>(),
                         v["total"].get<double>());
      }
    }
  }
}

// `none` runs the plain model: the document is the plain run's plus the section.
TEST_F(UncertaintyCli, NoneIsThePlainRun) {
  auto with = run_json("-k 300 --uncertainty none", "a.json");
  const auto plain = run_json("-k 300", "b.json");
  EXPECT_FALSE(plain.contains("uncertainty"));
  EXPECT_EQ(with["uncertainty"]["sources"], "none");
  EXPECT_EQ(with["uncertainty"]["drafts"][0]["figures"][0]["variance"]["positions"], 0.0);
  with.erase("uncertainty");
  EXPECT_EQ(with, plain);
}

TEST_F(UncertaintyCli, SameBytesOnOneAndTwoThreads) {
  for (const char* flags :
       {"-k 200 --uncertainty positions", "-k 40 --uncertainty positions --target-se 0.02"}) {
    const fs::path one = dir_ / "one.json", two = dir_ / "two.json";
    ASSERT_EQ(plenary(std::string("run scenarios/example.yaml -q -j 1 ") + flags + " --out '" +
                      one.string() + "'")
                  .status,
              0);
    ASSERT_EQ(plenary(std::string("run scenarios/example.yaml -q -j 2 ") + flags + " --out '" +
                      two.string() + "'")
                  .status,
              0);
    EXPECT_EQ(read_file(one), read_file(two)) << flags;
  }
}

TEST_F(UncertaintyCli, TargetStandardError) {
  const auto doc = run_json("-k 100 --target-se 0.02");
  const auto& t = doc["uncertainty"]["target_se"];
  EXPECT_EQ(t["target"], 0.02);
  EXPECT_EQ(t["pilot_replicates"], 100);
  EXPECT_FALSE(t["cap_hit"].get<bool>());
  const long k = doc["replicates"];
  EXPECT_EQ(k % 100, 0);
  EXPECT_EQ((k / 100) & (k / 100 - 1), 0) << k;  // 100 x a power of 2
  EXPECT_TRUE(t["met"].get<bool>());
  for (const auto& d : doc["uncertainty"]["drafts"]) {
    for (const auto& f : d["figures"]) {
      if (f["n"].get<long>() > 0) {
        EXPECT_LE(f["se"].get<double>(), 0.02) << f;
      }
    }
  }
  // The pilot is discarded: the reported run is the plain run of that many replicates.
  auto plain = run_json("-k " + std::to_string(k) + " --uncertainty none", "plain.json");
  EXPECT_EQ(plain["drafts"], doc["drafts"]);
}

TEST_F(UncertaintyCli, CapIsSaidPlainly) {
  const Outcome o =
      plenary("run scenarios/example.yaml -k 100 --target-se 0.0001 --max-replicates 800");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("The target needs more than --max-replicates 800: stopped at the cap, "
                       "target NOT met."),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("800 replicates"), std::string::npos) << o.out;
}

TEST_F(UncertaintyCli, BadInput) {
  // A member without standard errors: named, exit 2, nothing written.
  const fs::path bad = dir_ / "no-se.yaml";
  std::ofstream(bad) << "name: x\nmembers:\n"
                        "  - {code: AAA, name: A, position: [0.1], position_se: [0.1]}\n"
                        "  - {code: BBB, name: B, position: [0.3]}\n"
                        "drafts:\n  - {id: D, sponsors: [AAA], closes: 2}\n";
  const fs::path out = dir_ / "never.json";
  Outcome o = plenary("run '" + bad.string() + "' -k 8 --uncertainty positions --out '" +
                      out.string() + "'");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("--uncertainty positions: 1 member has no position standard errors "
                       "('BBB'); take positions from a file written by `plenary calibrate`"),
            std::string::npos)
      << o.err;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_EQ(plenary("run '" + bad.string() + "' -q -k 8").status, 0);

  o = plenary("run scenarios/example.yaml -k 8 --uncertainty parameter");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("--uncertainty"), std::string::npos) << o.err;
  o = plenary("run scenarios/example.yaml -k 8 --max-replicates 100");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("--target-se"), std::string::npos) << o.err;
  o = plenary("run scenarios/example.yaml -k 8 --target-se 0");
  EXPECT_EQ(o.status, 2);
  o = plenary("run scenarios/example.yaml -k 200 --target-se 0.1 --max-replicates 100");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("exceeds --max-replicates 100"), std::string::npos) << o.err;

  // A negative standard error in a scenario: located.
  const fs::path negative = dir_ / "negative.yaml";
  std::ofstream(negative) << "name: x\nmembers:\n"
                             "  - {code: AAA, name: A, position: [0.1], position_se: [-0.1]}\n"
                             "drafts:\n  - {id: D, sponsors: [AAA], closes: 2}\n";
  o = plenary("validate '" + negative.string() + "'");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("negative.yaml:3:"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("'position_se' must be >= 0, got -0.1"), std::string::npos) << o.err;
}

TEST_F(UncertaintyCli, CompareCarriesPositionsAndTargets) {
  const std::string cmd =
      "compare scenarios/example.yaml scenarios/example.yaml --set GGE.lobbying=3 -q "
      "--uncertainty positions --target-se 0.02 -k 100";
  const fs::path one = dir_ / "one.json", two = dir_ / "two.json";
  ASSERT_EQ(plenary(cmd + " -j 1 --out '" + one.string() + "'").status, 0);
  ASSERT_EQ(plenary(cmd + " -j 2 --out '" + two.string() + "'").status, 0);
  EXPECT_EQ(read_file(one), read_file(two));
  const auto doc = nlohmann::json::parse(read_file(one));
  EXPECT_EQ(doc["uncertainty"]["a"]["sources"], "positions");
  EXPECT_EQ(doc["uncertainty"]["b"]["sources"], "positions");
  EXPECT_TRUE(doc["uncertainty"]["a"]["target_se"]["met"].get<bool>());
  // Every difference's standard error is within the target.
  for (const auto& d : doc["drafts"]) {
    for (const auto& f : d["figures"]) {
      if (!f["diff_se"].is_null()) {
        EXPECT_LE(f["diff_se"].get<double>(), 0.02) << f;
      }
    }
  }
  const Outcome o = plenary(
      "compare scenarios/example.yaml scenarios/example.yaml -k 200 --uncertainty positions");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("B: Two rival drafts, three members\nUncertainty: Monte-Carlo and the "
                       "members' positions"),
            std::string::npos)
      << o.out;
}

// Every shipped scenario carries its members' standard errors.
TEST_F(UncertaintyCli, EveryShippedScenarioTakesPositionUncertainty) {
  const fs::path root = fs::path(PLENARY_SOURCE_DIR) / "scenarios";
  int runs = 0;
  for (const fs::path& dir : {root, root / "fit"}) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      const fs::path p = entry.path();
      if (p.extension() != ".yaml") continue;
      const std::string name = p.filename().string();
      if (name == "un-members.yaml" || name.rfind("positions-", 0) == 0) continue;  // not scenarios
      const Outcome o = plenary("run '" + p.string() + "' -q -k 8 --uncertainty positions");
      EXPECT_EQ(o.status, 0) << name << ": " << o.err;
      ++runs;
    }
  }
  EXPECT_GE(runs, 13);
}

// --uncertainty parameters and both (docs/uncertainty.md, "Parameter uncertainty").
TEST_F(UncertaintyCli, ParametersNeedTheFitsCovariance) {
  const fs::path out = dir_ / "never.json";
  const Outcome o = plenary("run scenarios/example.yaml -k 8 --uncertainty parameters --out '" +
                            out.string() + "'");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("--uncertainty parameters: the scenario carries no fit covariance"),
            std::string::npos)
      << o.err;
  EXPECT_FALSE(fs::exists(out));
  const Outcome l = plenary("lobby scenarios/example.yaml --draft GGE -k 8 --uncertainty both");
  EXPECT_EQ(l.status, 2);
  EXPECT_NE(l.err.find("carries no fit covariance"), std::string::npos) << l.err;
}

// The fitted scenarios carry their fit's covariance; both sources split three ways, the same
// bytes on one and two threads, and `none` is the plain run.
TEST_F(UncertaintyCli, FittedScenariosTakeParameterUncertainty) {
  const std::string cmd = "run scenarios/cyber-2021-joint.yaml -q -k 400 --uncertainty both";
  const fs::path one = dir_ / "one.json", two = dir_ / "two.json";
  ASSERT_EQ(plenary(cmd + " -j 1 --out '" + one.string() + "'").status, 0);
  ASSERT_EQ(plenary(cmd + " -j 2 --out '" + two.string() + "'").status, 0);
  EXPECT_EQ(read_file(one), read_file(two));
  const auto u = nlohmann::json::parse(read_file(one))["uncertainty"];
  EXPECT_EQ(u["sources"], "both");
  EXPECT_TRUE(u["fours_share_positions"].get<bool>());
  const auto& f = u["drafts"][0]["figures"][0];
  EXPECT_EQ(f["figure"], "sponsors");
  const auto& v = f["variance"];
  if (!f["clamped"].get<bool>()) {
    EXPECT_NEAR(v["monte_carlo"].get<double>() + v["positions"].get<double>() +
                    v["parameters"].get<double>(),
                v["total"].get<double>(), 1e-9 * v["total"].get<double>());
  }
  const Outcome text =
      plenary("run scenarios/cyber-2021-joint.yaml -k 200 --uncertainty parameters");
  ASSERT_EQ(text.status, 0) << text.err;
  EXPECT_NE(text.out.find("Uncertainty: Monte-Carlo and the fitted parameters (--uncertainty "
                          "parameters), 200 replicates in 100 pairs sharing a draw of the "
                          "parameters."),
            std::string::npos)
      << text.out;
  const fs::path root = fs::path(PLENARY_SOURCE_DIR) / "scenarios";
  for (const char* name :
       {"cyber-2018-competing", "cyber-2019-competing", "cyber-2020-competing", "cyber-2021-joint",
        "cyber-series-cosponsorship", "data-security-2021"}) {
    const fs::path p = root / (std::string(name) + ".yaml");
    const Outcome o = plenary("run '" + p.string() + "' -q -k 8 --uncertainty both");
    EXPECT_EQ(o.status, 0) << name << ": " << o.err;
  }
}

// lobby and draft draw the same parameters with and without the intervention.
TEST_F(UncertaintyCli, StrategyCommandsTakeUncertainty) {
  const std::string lobby =
      "lobby scenarios/cyber-2021-joint.yaml --draft JOINT --candidates USA,EGY -k 40 -q "
      "--uncertainty both";
  const fs::path one = dir_ / "l1.json", two = dir_ / "l2.json";
  ASSERT_EQ(plenary(lobby + " -j 1 -o '" + one.string() + "'").status, 0);
  ASSERT_EQ(plenary(lobby + " -j 2 -o '" + two.string() + "'").status, 0);
  EXPECT_EQ(read_file(one), read_file(two));
  const Outcome d = plenary(
      "draft scenarios/cyber-2021-joint.yaml --draft JOINT -k 20 --grid 3 -q --uncertainty "
      "parameters");
  EXPECT_EQ(d.status, 0) << d.err;
}

// A broken `fit:` block: located, exit 2.
TEST_F(UncertaintyCli, BrokenFitBlocks) {
  const std::string head =
      "name: x\nmembers:\n"
      "  - {code: AAA, name: A, position: [0.1], position_se: [0.1]}\n"
      "  - {code: BBB, name: B, position: [0.3], position_se: [0.1]}\n"
      "drafts:\n  - {id: D, sponsors: [AAA], closes: 2}\n";
  const auto check = [&](const std::string& fit, const std::string& where,
                         const std::string& message) {
    const fs::path p = dir_ / "fit.yaml";
    std::ofstream(p) << head << fit;
    const Outcome o = plenary("validate '" + p.string() + "'");
    EXPECT_EQ(o.status, 2) << fit;
    EXPECT_NE(o.err.find("fit.yaml:" + where), std::string::npos) << o.err;
    EXPECT_NE(o.err.find(message), std::string::npos) << o.err;
  };
  const std::string bounds = "  estimate: [-4, 1]\n  lower: [-12, 0]\n  upper: [4, 10]\n";
  check("fit:\n  parameters: [theta_O, theta_fit]\n" + bounds + "  covariance: [[1, 0], [0, 1]]\n",
        "8:", "unknown parameter 'theta_O' (did you mean 'theta_0'?)");
  check("fit:\n  parameters: [theta_0, E.tau_yes]\n" + bounds + "  covariance: [[1, 0], [0, 1]]\n",
        "8:", "unknown draft id 'E'");
  check(
      "fit:\n  parameters: [theta_0, theta_fit]\n" + bounds + "  covariance: [[1, 0.5], [0, 1]]\n",
      "12:", "'covariance' is not symmetric");
  check("fit:\n  parameters: [theta_0, theta_fit]\n" + bounds + "  covariance: [[1, 2], [2, 1]]\n",
        "12:", "'covariance' is not positive semi-definite: it has the eigenvalue -1");
  check("fit:\n  parameters: [theta_0, theta_fit]\n" + bounds + "  covariance: [[1, 0]]\n",
        "12:", "'covariance' has 1 rows but 'parameters' has 2");
  check(
      "fit:\n  parameters: [theta_0, theta_fit]\n  estimate: [-4]\n  lower: [-12, 0]\n"
      "  upper: [4, 10]\n  covariance: [[1, 0], [0, 1]]\n",
      "9:", "'estimate' has 1 entries but 'parameters' has 2");
  check(
      "fit:\n  parameters: [theta_0, theta_fit]\n" + bounds + "  covariance: [[1, null], [0, 1]]\n",
      "12:", "is null, but both are identified");
  // An unidentified coordinate (null across its row and column) is fine.
  const fs::path ok = dir_ / "ok.yaml";
  std::ofstream(ok) << head << "fit:\n  parameters: [theta_0, theta_fit]\n"
                    << bounds << "  covariance: [[1, null], [null, null]]\n";
  const Outcome o = plenary("run '" + ok.string() + "' -q -k 8 --uncertainty parameters");
  EXPECT_EQ(o.status, 0) << o.err;
}

}  // namespace
