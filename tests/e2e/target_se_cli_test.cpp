// --target-se and --max-replicates on `plenary lobby` and `plenary draft` end to end
// (docs/uncertainty.md, "In plenary lobby and plenary draft"): the planned count, the target
// met on the figures they rank on, the reported run that of the planned count on the
// command's own seed, the same bytes on 1 and 2 threads, the cap said plainly, and bad input
// refused with exit status 2 and no output file.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/cli.hpp"

namespace {

namespace fs = std::filesystem;
using plenary::testing::Outcome;
using plenary::testing::read_file;

constexpr const char* kLobby =
    "lobby scenarios/cyber-2021-joint.yaml --draft JOINT --candidates USA,EGY,African --seed 5";
constexpr const char* kDraft =
    "draft scenarios/cyber-2021-joint.yaml --draft JOINT --grid 3 --keep USA --seed 5";

class TargetSeCli : public plenary::testing::CliTest {
 protected:
  nlohmann::json json(const std::string& command, const std::string& name) {
    const fs::path out = dir_ / name;
    const Outcome o = plenary(command + " -q -o '" + out.string() + "'");
    EXPECT_EQ(o.status, 0) << o.err;
    return nlohmann::json::parse(read_file(out));
  }
};

bool pilot_times_power_of_two(long k, long pilot) {
  return k % pilot == 0 && ((k / pilot) & (k / pilot - 1)) == 0;
}

TEST_F(TargetSeCli, LobbyRunsUntilEveryGainIsWithinTheTarget) {
  const std::string cmd = std::string(kLobby) + " -k 40 --target-se 0.25";
  const auto doc = json(cmd + " -j 1", "one.json");
  const auto& t = doc["target_se"];
  EXPECT_EQ(t["target"], 0.25);
  EXPECT_EQ(t["pilot_replicates"], 40);
  EXPECT_FALSE(t["cap_hit"].get<bool>());
  EXPECT_TRUE(t["met"].get<bool>());
  const long k = doc["replicates"];
  EXPECT_GT(k, 40);  // a pilot of 40 is far from 0.25 on these gains
  EXPECT_TRUE(pilot_times_power_of_two(k, 40)) << k;
  double largest = 0;
  for (const auto& e : doc["ranking"]) {
    EXPECT_LE(e["gain_se"].get<double>(), 0.25) << e;
    largest = std::max(largest, e["gain_se"].get<double>());
  }
  EXPECT_EQ(t["largest_se"].get<double>(), largest);
  // The same bytes on 2 threads, and the reported run is the plain lobby of k replicates:
  // the pilot ran on its own seed and was discarded.
  (void)json(cmd + " -j 2", "two.json");
  EXPECT_EQ(read_file(dir_ / "one.json"), read_file(dir_ / "two.json"));
  auto plain = json(std::string(kLobby) + " -k " + std::to_string(k), "plain.json");
  auto targeted = doc;
  targeted.erase("target_se");
  EXPECT_EQ(targeted, plain);
  const Outcome text = plenary(cmd);
  EXPECT_NE(text.out.find("Target standard error 0.25 on each candidate's gain: " +
                          std::to_string(k) + " replicates, planned from a pilot of 40"),
            std::string::npos)
      << text.out;
}

TEST_F(TargetSeCli, LobbyOnTheFastPathAndFullRerunsAgree) {
  const std::string cmd = std::string(kLobby) + " -k 40 --target-se 0.3";
  EXPECT_EQ(json(cmd, "fast.json"), json(cmd + " --full-reruns", "full.json"));
}

TEST_F(TargetSeCli, LobbySaysPlainlyWhenTheCapIsHit) {
  const Outcome o = plenary(std::string(kLobby) + " -k 40 --target-se 0.001 --max-replicates 160");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find(": 160 replicates, planned from a pilot of 40"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("the target needs more than --max-replicates 160: stopped at the cap, "
                       "target NOT met."),
            std::string::npos)
      << o.out;
}

TEST_F(TargetSeCli, DraftRunsUntilTheGainAtTheBestPositionIsWithinTheTarget) {
  const std::string cmd = std::string(kDraft) + " -k 20 --target-se 0.4";
  const auto doc = json(cmd + " -j 1", "one.json");
  const auto& t = doc["target_se"];
  EXPECT_EQ(t["pilot_replicates"], 20);
  EXPECT_TRUE(t["met"].get<bool>());
  const long k = doc["replicates"];
  EXPECT_TRUE(pilot_times_power_of_two(k, 20)) << k;
  ASSERT_FALSE(doc["best"].is_null());
  EXPECT_LE(doc["best"]["gain_se"].get<double>(), 0.4);
  EXPECT_EQ(t["largest_se"].get<double>(), doc["best"]["gain_se"].get<double>());
  (void)json(cmd + " -j 2", "two.json");
  EXPECT_EQ(read_file(dir_ / "one.json"), read_file(dir_ / "two.json"));
  auto plain = json(std::string(kDraft) + " -k " + std::to_string(k), "plain.json");
  auto targeted = doc;
  targeted.erase("target_se");
  EXPECT_EQ(targeted, plain);
}

TEST_F(TargetSeCli, BadInputIsRefusedAndNothingIsWritten) {
  struct Case {
    std::string flags, message;
  };
  for (const char* command : {kLobby, kDraft}) {
    for (const Case& c : std::vector<Case>{
             {"-k 40 --target-se 0",
              "--target-se: expected a standard error > 0 in the figures' own units (e.g. 0.05), "
              "got '0'"},
             {"-k 40 --target-se -0.1", "got '-0.1'"},
             {"-k 40 --target-se abc", "got 'abc'"},
             {"-k 40 --target-se 1e999", "got '1e999'"},
             {"-k 40 --max-replicates 100", "--max-replicates requires --target-se"},
             {"-k 40 --target-se 0.1 --max-replicates 20",
              "--replicates 40 (the pilot of --target-se) exceeds --max-replicates 20; give a "
              "smaller pilot or a larger cap"},
             {"-k 2 --target-se 0.1",
              "--target-se needs a pilot of at least 4 replicates (--replicates), got 2"},
         }) {
      const fs::path out = dir_ / "never.json";
      const Outcome o =
          plenary(std::string(command) + " " + c.flags + " -o '" + out.string() + "'");
      EXPECT_EQ(o.status, 2) << command << " " << c.flags << ": " << o.err;
      EXPECT_NE(o.err.find(c.message), std::string::npos) << c.flags << ": " << o.err;
      EXPECT_FALSE(fs::exists(out)) << c.flags;
    }
  }
}

}  // namespace
