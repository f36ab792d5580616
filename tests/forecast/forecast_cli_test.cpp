// `plenary forecast` end to end: outputs, bad input refused with exit status 2 and no
// output file.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "forecast/synthetic.hpp"
#include "support/cli.hpp"

namespace {

namespace fs = std::filesystem;
using plenary::testing::Outcome;
using plenary::testing::read_file;

class ForecastCli : public plenary::testing::CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    fs::create_directories(dir_ / "record");
    plenary::forecast::synthetic::write_record(dir_ / "record", 30, 60, 66, 12, 3);
  }
  std::string votes() const { return "--votes '" + (dir_ / "record").string() + "'"; }
};

TEST_F(ForecastCli, WritesTheCsvTheJsonAndTheScore) {
  const fs::path csv = dir_ / "f.csv";
  const fs::path json = dir_ / "f.json";
  const Outcome o = plenary("forecast " + votes() + " --session 66 --dims 1 --score --out '" +
                            csv.string() + "' --json '" + json.string() + "'");
  ASSERT_EQ(o.status, 0) << o.err;
  const std::string text = read_file(csv);
  EXPECT_EQ(text.substr(0, text.find('\n')), "rcid,code,p_yes,p_no,p_abstain,kin_rcid");
  EXPECT_NE(o.err.find("no forecast for roll call"), std::string::npos) << o.err;
  EXPECT_NE(o.out.find("repeat kin vote"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("all Yes"), std::string::npos) << o.out;
  const auto doc = nlohmann::json::parse(read_file(json));
  EXPECT_EQ(doc["session"], 66);
  EXPECT_GT(doc["forecast"]["drift_variance"]["estimate"].get<double>(), 0.0);
  EXPECT_EQ(doc["forecast"]["items"].size(), 11u);
  EXPECT_TRUE(doc["blend"]["weights"].contains("kin_yes_kin2_yes_no"));
}

TEST_F(ForecastCli, BadInputExitsTwoWithoutOutput) {
  const fs::path csv = dir_ / "f.csv";
  const std::string out = " --out '" + csv.string() + "'";
  Outcome o = plenary("forecast " + votes() + " --session 90" + out);
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("plenary: error: session 90 has no roll calls"), std::string::npos) << o.err;
  o = plenary("forecast " + votes() + " --session 66 --train 64-62" + out);
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("plenary: error: --train '64-62': the first session is after the last"),
            std::string::npos)
      << o.err;
  o = plenary("forecast " + votes() + " --session 66 --train 50-55" + out);
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("--train 50-55: no recorded votes in these sessions"), std::string::npos)
      << o.err;
  std::ofstream(dir_ / "record" / "votes.csv", std::ios::app) << "1000,US,United States,maybe\n";
  o = plenary("forecast " + votes() + " --session 66" + out);
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("votes.csv:"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("unknown vote 'maybe'"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(csv));
}

}  // namespace
