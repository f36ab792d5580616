// `plenary lobby` end to end: a ranking written as CSV and JSON, the same bytes on 1 and 2
// threads, and every bad input a message naming the place and the fix, exit status 2 and no
// output file.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support/cli.hpp"

namespace {

namespace fs = std::filesystem;
using plenary::testing::Outcome;
using plenary::testing::read_file;

constexpr const char* kScenario = "scenarios/cyber-2021-joint.yaml --draft JOINT";

class LobbyCli : public plenary::testing::CliTest {
 protected:
  // `args` after `lobby` must fail: exit 2, exactly `message` on standard error, no file.
  void expect_refused(const std::string& args, const std::string& message) const {
    const fs::path out = dir_ / "never.csv";
    const fs::path report = dir_ / "never.html";
    const Outcome o = plenary("lobby " + args + " -k 20 -o '" + out.string() + "' --report '" +
                              report.string() + "'");
    EXPECT_EQ(o.status, 2) << o.err;
    EXPECT_EQ(o.err, "plenary: error: " + message + "\n");
    EXPECT_TRUE(o.out.empty()) << o.out;
    EXPECT_FALSE(fs::exists(out));
    EXPECT_FALSE(fs::exists(report));
  }
};

TEST_F(LobbyCli, WritesTheRankingAsCsvAndJson) {
  const fs::path csv = dir_ / "lobby.csv";
  const fs::path json = dir_ / "lobby.json";
  const std::string common = std::string("lobby ") + kScenario +
                             " --candidates USA,RUS,EGY,African,EU -k 200 --seed 3 --budget 2";
  const Outcome a = plenary(common + " -j 1 -o '" + csv.string() + "'");
  ASSERT_EQ(a.status, 0) << a.err;
  const std::string text = read_file(csv);
  EXPECT_EQ(text.rfind("rank,candidate,gain,lo,hi,", 0), 0u) << text;
  EXPECT_NE(text.find("\n1,"), std::string::npos);
  EXPECT_NE(text.find(",African,"), std::string::npos);
  EXPECT_NE(a.out.find("Variance reduction against independent runs: "), std::string::npos)
      << a.out;
  EXPECT_NE(a.out.find("Greedy carries no optimality guarantee"), std::string::npos);
  EXPECT_NE(a.out.find("Top 2 of the single ranking: "), std::string::npos);

  const Outcome b = plenary(common + " -j 2 -q -o '" + json.string() + "'");
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_TRUE(b.out.empty());
  const std::string doc = read_file(json);
  EXPECT_NE(doc.find("\"schema\": \"plenary-lobby/1\""), std::string::npos);
  EXPECT_NE(doc.find("\"variance_reduction\": "), std::string::npos);
  EXPECT_NE(doc.find("\"baseline\": "), std::string::npos);

  // One thread or two: the same bytes.
  const fs::path csv2 = dir_ / "lobby2.csv";
  const Outcome c = plenary(common + " -j 2 -q -o '" + csv2.string() + "'");
  ASSERT_EQ(c.status, 0) << c.err;
  EXPECT_EQ(read_file(csv2), text);
}

// The fast path (the default) and one full run per candidate (--full-reruns): the same bytes,
// on one thread and on two, for a vote goal over every member.
TEST_F(LobbyCli, FastPathGivesTheBytesOfFullReruns) {
  const std::string common = std::string("lobby ") + kScenario +
                             " --goal margin --candidates members -k 120 --seed 5 -q -o '";
  std::string first;
  for (const std::string extra : {" -j 1", " -j 2", " -j 1 --full-reruns"}) {
    const fs::path json = dir_ / "fast.json";
    const Outcome o = plenary(common + json.string() + "'" + extra);
    ASSERT_EQ(o.status, 0) << o.err;
    const std::string doc = read_file(json);
    if (first.empty()) {
      first = doc;
      EXPECT_NE(doc.find("\"ranking\": "), std::string::npos);
    } else {
      EXPECT_EQ(doc, first) << extra;
    }
  }
}

TEST_F(LobbyCli, WritesAnHtmlReport) {
  const fs::path html = dir_ / "lobby.html";
  const Outcome o =
      plenary(std::string("lobby ") + kScenario +
              " --candidates blocs -k 100 --budget 2 -q --report '" + html.string() + "'");
  ASSERT_EQ(o.status, 0) << o.err;
  const std::string page = read_file(html);
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(page.find("<h1>Lobbying for JOINT"), std::string::npos);
  EXPECT_NE(page.find("<svg"), std::string::npos);
  EXPECT_NE(page.find("Variance reduction against independent runs"), std::string::npos);
  EXPECT_NE(page.find("<h2>Greedy set (CELF)</h2>"), std::string::npos);
  EXPECT_NE(page.find("plenary lobby scenarios/cyber-2021-joint.yaml --draft JOINT --goal "
                      "sponsors --candidates &#39;blocs&#39; --seed 20240601 --replicates 100 "
                      "--budget 2"),
            std::string::npos);
}

TEST_F(LobbyCli, RefusesAnUnknownDraft) {
  expect_refused("scenarios/cyber-2021-joint.yaml --draft JOIN",
                 "--draft 'JOIN': no draft 'JOIN' in 'scenarios/cyber-2021-joint.yaml' (did you "
                 "mean 'JOINT'?) (drafts: 'JOINT')");
}

TEST_F(LobbyCli, RefusesAnUnknownMemberOrBloc) {
  expect_refused(std::string(kScenario) + " --candidates USA,XYZ",
                 "--candidates 'USA,XYZ': 'XYZ' is neither a member code nor a bloc of the "
                 "scenario");
  expect_refused(std::string(kScenario) + " --candidates Afrcan",
                 "--candidates 'Afrcan': 'Afrcan' is neither a member code nor a bloc of the "
                 "scenario (did you mean 'African'?)");
}

TEST_F(LobbyCli, RefusesAGoalThatDoesNotApply) {
  expect_refused(std::string(kScenario) + " --goal reach:194",
                 "--goal 'reach:194': the scenario has 193 members, so a draft can have 1 to 193 "
                 "co-sponsors; ask for reach:N with N in that range");
  expect_refused(std::string(kScenario) + " --goal without_vote",
                 "--goal 'without_vote': unknown goal (did you mean 'without-vote'?); use one of "
                 "'sponsors', 'reach:N', 'yes', 'adopted', 'without-vote' or 'margin'");
}

TEST_F(LobbyCli, RefusesABudgetLargerThanTheCandidates) {
  expect_refused(std::string(kScenario) + " --candidates USA,EU --budget 3",
                 "--budget 3: there are only 2 candidates; ask for at most 2 or add candidates "
                 "(--candidates)");
}

TEST_F(LobbyCli, RefusesACostFileWithMissingOrNegativeCosts) {
  const fs::path missing = write("missing.csv", "code,cost\nUSA,2\n");
  expect_refused(std::string(kScenario) + " --candidates USA,RUS --cost '" + missing.string() + "'",
                 "--cost '" + missing.string() +
                     "': no cost for 1 candidate (RUS); add a line 'code,cost' for each (a bloc "
                     "may instead have a cost for every member)");
  const fs::path negative = write("negative.csv", "code,cost\nUSA,2\nRUS,-1\n");
  expect_refused(
      std::string(kScenario) + " --candidates USA,RUS --cost '" + negative.string() + "'",
      negative.string() + ":3: the cost of 'RUS' must be a positive number, got '-1'");
  expect_refused(std::string(kScenario) + " --candidates USA,RUS --budget-cost 3",
                 "--budget-cost needs the candidates' costs; give them with --cost FILE (CSV "
                 "code,cost)");
}

}  // namespace
