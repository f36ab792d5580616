// `plenary calibrate --votes FILE` on the UN's voting data and `plenary positions`, end to
// end: the same positions from either data source, and every bad input a message and exit
// status 2 with no output file.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "support/cli.hpp"

namespace {

namespace fs = std::filesystem;
using plenary::testing::Outcome;
using plenary::testing::read_file;

class VotesCli : public plenary::testing::CliTest {
 protected:
  // The file without its comment lines (which name the command and the data's source).
  static std::string without_comments(const std::string& text) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find('\n', start);
      end = end == std::string::npos ? text.size() : end + 1;
      if (text[start] != '#') out += text.substr(start, end - start);
      start = end;
    }
    return out;
  }

  // Runs calibrate on `votes` (relative to the source directory) into `name`; its text.
  std::string calibrate(const std::string& votes, const std::string& name) const {
    const fs::path out = dir_ / name;
    const Outcome o =
        plenary("calibrate --votes " + votes + " --sessions 44-61 --dims 1 --min-votes 5 --out '" +
                out.string() + "' --agreement '" + out.string() + ".csv' -q");
    EXPECT_EQ(o.status, 0) << o.err;
    return read_file(out);
  }

  // A bad --votes file: exit 2, a message naming `where` and `what`, no output file.
  void expect_refused(const fs::path& file, const std::string& where,
                      const std::string& what) const {
    const fs::path out = dir_ / "never.yaml";
    const Outcome o =
        plenary("calibrate --votes '" + file.string() + "' --out '" + out.string() + "'");
    EXPECT_EQ(o.status, 2) << o.err;
    EXPECT_EQ(o.err.rfind("plenary: error: " + where, 0), 0u) << o.err;
    EXPECT_NE(o.err.find(what), std::string::npos) << o.err;
    EXPECT_FALSE(fs::exists(out));
  }
};

constexpr const char* kFixtures = "tests/calibrate/data/undl/";
constexpr const char* kHeader =
    "undl_id,ms_code,ms_name,ms_vote,date,session,resolution,draft,committee_report,meeting,"
    "title,agenda_title,subjects,vote_note,total_yes,total_no,total_abstentions,"
    "total_non_voting,total_ms,undl_link\n";

TEST_F(VotesCli, SamePositionsFromVoetensAndTheUnsData) {
  const std::string voeten = calibrate(std::string(kFixtures) + "voeten", "voeten.yaml");
  ASSERT_NE(voeten.find("\npositions:\n  - {code: "), std::string::npos) << voeten;
  EXPECT_NE(voeten.find("code: NAM"), std::string::npos);
  EXPECT_NE(voeten.find("code: DDR"), std::string::npos);
  for (const char* form : {"long-v3.csv", "long-v1.csv", "wide.csv"}) {
    const std::string undl = calibrate(std::string(kFixtures) + form, std::string(form) + ".yaml");
    // (EXPECT_TRUE: a difference is better read with diff than in a 14,000-line message.)
    EXPECT_TRUE(without_comments(undl) == without_comments(voeten)) << form;
    EXPECT_TRUE(read_file(dir_ / (std::string(form) + ".yaml.csv")) ==
                read_file(dir_ / "voeten.yaml.csv"))
        << form;
    EXPECT_NE(undl.find("digitallibrary.un.org/record/4060887"), std::string::npos);
  }
}

TEST_F(VotesCli, BadUnFilesAreRefusedWithTheirPlace) {
  const fs::path header = write("header.csv", "rcid,country,vote\n1,USA,Y\n");
  expect_refused(header, header.string() + ":1: unrecognised header",
                 "long form (a row per member and resolution");
  const fs::path vote =
      write("vote.csv", std::string(kHeader) +
                            "7,USA,USA,Y,2018-12-05,73,A/RES/73/7,,,,T,,,,,,,,,\n"
                            "7,FRA,FRANCE,Yes,2018-12-05,73,A/RES/73/7,,,,T,,,,,,,,,\n");
  expect_refused(vote, vote.string() + ":3: unknown vote 'Yes'", "expected Y (yes), N (no)");
  const fs::path dup = write("dup.csv", std::string(kHeader) +
                                            "7,USA,USA,Y,2018-12-05,73,A/RES/73/7,,,,T,,,,,,,,,\n"
                                            "7,USA,USA,N,2018-12-05,73,A/RES/73/7,,,,T,,,,,,,,,\n");
  expect_refused(dup, dup.string() + ":3: a second row for United States of America (USA)",
                 "remove the duplicate");
  const fs::path empty = write("empty.csv", "");
  expect_refused(empty, empty.string() + ":1: the file is empty", "long form");
  const fs::path code =
      write("code.csv", std::string(kHeader) +
                            "7,UKR,UKRAINE,Y,2018-12-05,73,A/RES/73/7,,,,T,,,,,,,,,\n"
                            "7,UK,UNITED KINGDOM,N,2018-12-05,73,A/RES/73/7,,,,T,,,,,,,,,\n");
  expect_refused(code, code.string() + ":3: unknown member code 'UK' (UNITED KINGDOM)",
                 "correct the code");
  // A gzip file cut short: refused, naming the file.
  const fs::path cut = dir_ / "cut.csv.gz";
  const std::string command = "gzip -c '" PLENARY_SOURCE_DIR
                              "/tests/calibrate/data/undl/long-v3.csv' | "
                              "head -c 3000 > '" +
                              cut.string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  expect_refused(cut, cut.string() + ":", "");
  // Issue codes exist only in Voeten's data.
  const Outcome o =
      plenary(std::string("calibrate --votes ") + kFixtures + "long-v3.csv --issues hr");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("--issues needs Voeten's data"), std::string::npos) << o.err;
}

TEST_F(VotesCli, PositionsFromBsvLoadInAScenario) {
  const fs::path positions = dir_ / "bsv-2018.yaml";
  Outcome o = plenary(
      "positions --bsv tests/calibrate/data/bsv/IdealpointestimatesAll_fixture.csv --year 2018 "
      "--out '" +
      positions.string() + "'");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("wrote 17 positions of 2018 (idealpointall)"), std::string::npos) << o.out;
  EXPECT_NE(o.err.find("warning: 176 members without a position in 2018"), std::string::npos)
      << o.err;
  EXPECT_NE(o.err.find("ISR"), std::string::npos) << o.err;
  const std::string text = read_file(positions);
  EXPECT_NE(text.find("ISR Israel"), std::string::npos);
  EXPECT_NE(text.find("  - {code: NAM, position: [-1.0200]"), std::string::npos) << text;

  fs::copy_file(fs::path(PLENARY_SOURCE_DIR) / "scenarios/un-members.yaml",
                dir_ / "un-members.yaml");
  const fs::path scenario = write("bsv.yaml", R"(name: Standard positions
members: {include: un-members.yaml, positions: bsv-2018.yaml}
missing_position: bloc_mean
drafts:
  - {id: X, sponsors: [USA], closes: 4}
run: {replicates: 16, seed: 1}
)");
  o = plenary("validate '" + scenario.string() + "'");
  EXPECT_EQ(o.status, 0) << o.err;

  // A member list of the user's own.
  o = plenary(
      "positions --bsv tests/calibrate/data/bsv/IdealpointestimatesAll_fixture.csv "
      "--year 2017 --estimate fp --members '" +
      (dir_ / "un-members.yaml").string() + "' --out '" + (dir_ / "fp.yaml").string() + "' -q");
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_TRUE(o.out.empty());
  EXPECT_NE(read_file(dir_ / "fp.yaml").find("--members"), std::string::npos);
  EXPECT_NE(read_file(dir_ / "fp.yaml").find("(idealpointfp)"), std::string::npos);
}

TEST_F(VotesCli, PositionsRefusesBadInputWithoutWriting) {
  const fs::path out = dir_ / "never.yaml";
  const std::string bsv = "--bsv tests/calibrate/data/bsv/IdealpointestimatesAll_fixture.csv";
  Outcome o = plenary("positions " + bsv + " --year 1990 --out '" + out.string() + "'");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("no rows for year 1990: the file has years 2017 to 2018"), std::string::npos)
      << o.err;
  o = plenary("positions " + bsv + " --year 2018 --estimate legacy --out '" + out.string() + "'");
  EXPECT_EQ(o.status, 2);
  o = plenary("positions --bsv /nonexistent.csv --year 2018 --out '" + out.string() + "'");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("cannot read '/nonexistent.csv'"), std::string::npos) << o.err;
  o = plenary("positions " + bsv + " --year 2018");
  EXPECT_EQ(o.status, 2);
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
