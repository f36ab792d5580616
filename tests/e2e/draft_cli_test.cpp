// `plenary draft` end to end: the frontier written as CSV and JSON, the same bytes on 1 and
// 2 threads, an HTML report with the heatmap, and every bad input a message naming the place
// and the fix, exit status 2 and no output file.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/cli.hpp"

namespace {

namespace fs = std::filesystem;
using plenary::testing::Outcome;
using plenary::testing::read_file;

constexpr const char* kScenario = "scenarios/cyber-2018-competing.yaml --draft OEWG";

class DraftCli : public plenary::testing::CliTest {
 protected:
  // `args` after `draft` must fail: exit 2, exactly `message` on standard error, no file.
  void expect_refused(const std::string& args, const std::string& message) const {
    const fs::path out = dir_ / "never.csv";
    const fs::path svg = dir_ / "never.svg";
    const fs::path report = dir_ / "never.html";
    const Outcome o = plenary("draft " + args + " -k 20 --grid 3 -o '" + out.string() +
                              "' --svg '" + svg.string() + "' --report '" + report.string() + "'");
    EXPECT_EQ(o.status, 2) << o.err;
    EXPECT_EQ(o.err, "plenary: error: " + message + "\n");
    EXPECT_TRUE(o.out.empty()) << o.out;
    EXPECT_FALSE(fs::exists(out));
    EXPECT_FALSE(fs::exists(svg));
    EXPECT_FALSE(fs::exists(report));
  }
};

TEST_F(DraftCli, WritesTheFrontierAsCsvJsonSvgAndHtml) {
  const fs::path csv = dir_ / "draft.csv";
  const fs::path json = dir_ / "draft.json";
  const fs::path svg = dir_ / "frontier.svg";
  const fs::path html = dir_ / "draft.html";
  const std::string common = std::string("draft ") + kScenario + " --goal yes -k 40 --grid 5";
  const Outcome a = plenary(common + " -j 1 -o '" + csv.string() + "'");
  ASSERT_EQ(a.status, 0) << a.err;
  const std::string text = read_file(csv);
  EXPECT_EQ(text.rfind("distance,goal,lo,hi,se,gain,gain_lo,gain_hi,keep_min,x1,x2\n", 0), 0u)
      << text;
  EXPECT_NE(a.out.find("Best    text ["), std::string::npos) << a.out;
  EXPECT_NE(a.out.find("Kept: RUS (one member), on board with probability >= 0.5"),
            std::string::npos)
      << a.out;

  const Outcome b = plenary(common + " -j 2 -q -o '" + json.string() + "' --svg '" + svg.string() +
                            "' --report '" + html.string() + "'");
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_TRUE(b.out.empty());
  const std::string doc = read_file(json);
  EXPECT_NE(doc.find("\"schema\": \"plenary-draft/1\""), std::string::npos);
  EXPECT_NE(doc.find("\"frontier\": "), std::string::npos);
  EXPECT_EQ(read_file(svg).rfind("<svg", 0), 0u);
  const std::string page = read_file(html);
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(page.find("<h1>Where to place OEWG"), std::string::npos);
  EXPECT_NE(page.find("The goal over the policy space"), std::string::npos);

  // One thread or two: the same bytes.
  const fs::path csv2 = dir_ / "draft2.csv";
  const Outcome c = plenary(common + " -j 2 -q -o '" + csv2.string() + "'");
  ASSERT_EQ(c.status, 0) << c.err;
  EXPECT_EQ(read_file(csv2), text);
}

TEST_F(DraftCli, RefusesAnUnknownDraft) {
  expect_refused("scenarios/cyber-2018-competing.yaml --draft OEWF",
                 "--draft 'OEWF': no draft 'OEWF' in 'scenarios/cyber-2018-competing.yaml' (did "
                 "you mean 'OEWG'?) (drafts: 'OEWG' and 'GGE')");
}

TEST_F(DraftCli, RefusesAnUnknownKeptMember) {
  expect_refused(std::string(kScenario) + " --keep RUS,CHNA",
                 "--keep 'RUS,CHNA': 'CHNA' is not a member code of the scenario (did you mean "
                 "'CHN'?)");
  expect_refused(std::string(kScenario) + " --keep RUS,RUS",
                 "--keep 'RUS,RUS': 'RUS' is given twice; list each member once");
}

TEST_F(DraftCli, RefusesAGoalThatDoesNotApply) {
  expect_refused(std::string(kScenario) + " --goal reach:194",
                 "--goal 'reach:194': the scenario has 193 members, so a draft can have 1 to 193 "
                 "co-sponsors; ask for reach:N with N in that range");
}

TEST_F(DraftCli, RefusesABadRadiusOrGrid) {
  expect_refused(std::string(kScenario) + " --radius 0",
                 "--radius 0: the radius must be a positive distance in the policy space, e.g. "
                 "--radius 1.5");
  expect_refused(std::string(kScenario) + " --radius -2",
                 "--radius -2: the radius must be a positive distance in the policy space, e.g. "
                 "--radius 1.5");
  const Outcome o = plenary(std::string("draft ") + kScenario + " -k 20 --grid 1 -o '" +
                            (dir_ / "never.csv").string() + "'");
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err,
            "plenary: error: --grid 1: a grid needs at least 2 points per dimension; ask for "
            "--grid 2 or more\n");
  EXPECT_FALSE(fs::exists(dir_ / "never.csv"));
  expect_refused(std::string(kScenario) + " --keep-p 1.5",
                 "--keep-p 1.5: a probability must be between 0 and 1, e.g. --keep-p 0.5");
  expect_refused(std::string(kScenario) + " --radius 1 --keep-p 0.5",
                 "--radius and --keep-p are two ways to keep members on board; give one of them");
}

TEST_F(DraftCli, RefusesAnOutputNameItCannotWrite) {
  const Outcome o = plenary(std::string("draft ") + kScenario + " -k 20 --grid 3 -o '" +
                            (dir_ / "draft.txt").string() + "'");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("the name must end in .json (everything) or .csv (the frontier)"),
            std::string::npos)
      << o.err;
  EXPECT_FALSE(fs::exists(dir_ / "draft.txt"));
}

}  // namespace
