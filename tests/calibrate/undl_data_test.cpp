// The UN Digital Library's voting data (long v3, long v1, wide) against Voeten's reader on
// the same roll calls: tests/calibrate/data/undl, written by tools/make-undl-fixtures.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "calibrate/test_data.hpp"
#include "plenary/calibrate/calibrate.hpp"
#include "plenary/calibrate/vote_data.hpp"
#include "plenary/calibrate/vote_matrix.hpp"
#include "plenary/util/error.hpp"

namespace plenary::calibrate {
namespace {

using testing::DataDir;

const std::filesystem::path kFixtures =
    std::filesystem::path(PLENARY_SOURCE_DIR) / "tests/calibrate/data/undl";

// Every vote as (rcid, code, vote), sorted: the readers list votes in file order, and the
// wide form's order within a roll call is its column order.
std::vector<std::tuple<int, std::string, int>> vote_list(const VoteData& d) {
  std::vector<std::tuple<int, std::string, int>> out;
  for (const CastVote& v : d.votes) {
    out.emplace_back(d.roll_calls[v.roll_call].rcid, d.states[v.state].alpha3,
                     static_cast<int>(v.vote));
  }
  std::sort(out.begin(), out.end());
  return out;
}

void expect_same_votes(const VoteData& voeten, const VoteData& undl) {
  ASSERT_EQ(undl.roll_calls.size(), voeten.roll_calls.size());
  for (std::size_t k = 0; k < voeten.roll_calls.size(); ++k) {
    const RollCall& a = voeten.roll_calls[k];
    const RollCall& b = undl.roll_calls[k];
    EXPECT_EQ(b.rcid, a.rcid);
    EXPECT_EQ(b.session, a.session) << a.rcid;
    EXPECT_EQ(b.date, a.date) << a.rcid;
    EXPECT_EQ(b.title, a.title) << a.rcid;
    EXPECT_EQ(b.unres, "A/RES/" + a.unres.substr(2)) << a.rcid;  // Voeten: R/44/22
  }
  ASSERT_EQ(undl.states.size(), voeten.states.size());
  for (std::size_t k = 0; k < voeten.states.size(); ++k) {
    EXPECT_EQ(undl.states[k].alpha3, voeten.states[k].alpha3) << k;
    EXPECT_EQ(undl.states[k].name, voeten.states[k].name) << k;
  }
  EXPECT_EQ(undl.membership, voeten.membership);
  EXPECT_EQ(vote_list(undl), vote_list(voeten));
  EXPECT_TRUE(undl.unmapped.empty());
  EXPECT_EQ(undl.source, VoteSource::kUndl);
}

class UndlFixtures : public ::testing::TestWithParam<const char*> {
 protected:
  static void SetUpTestSuite() { voeten_ = new VoteData(load_vote_data(kFixtures / "voeten")); }
  static void TearDownTestSuite() { delete voeten_; }
  static const VoteData* voeten_;
};
const VoteData* UndlFixtures::voeten_ = nullptr;

// The slice holds what a reader can get wrong: the historical states, Namibia (NA in
// Voeten's data), Yugoslavia before and Serbia after session 61, and absences.
TEST_F(UndlFixtures, TheSliceHoldsTheHardCases) {
  std::vector<std::string> codes;
  for (const CountryCode& s : voeten_->states) codes.push_back(s.alpha3);
  for (const char* code : {"DDR", "FRG", "YAR", "CSK", "YUG", "SRB", "NAM", "RUS"}) {
    EXPECT_NE(std::find(codes.begin(), codes.end(), code), codes.end()) << code;
  }
  EXPECT_EQ(voeten_->roll_calls.size(), 15u);
  EXPECT_GT(voeten_->votes.size(), 2000u);
}

TEST_P(UndlFixtures, GivesTheVoetenReadersVoteData) {
  const VoteData undl = load_vote_data(kFixtures / GetParam());
  expect_same_votes(*voeten_, undl);
  // The long forms list votes in Voeten's order, so even the vector is the same.
  if (std::string(GetParam()) != "wide.csv") {
    ASSERT_EQ(undl.votes.size(), voeten_->votes.size());
    for (std::size_t k = 0; k < undl.votes.size(); ++k) {
      EXPECT_EQ(undl.votes[k].roll_call, voeten_->votes[k].roll_call);
      EXPECT_EQ(undl.votes[k].state, voeten_->votes[k].state);
      EXPECT_EQ(undl.votes[k].vote, voeten_->votes[k].vote);
    }
  }
}

// The positions, agreement scores and matrix written from either form are the same bytes.
TEST_P(UndlFixtures, CalibratesToTheSamePositions) {
  const VoteData undl = load_vote_data(kFixtures / GetParam());
  CalibrationOptions o;
  o.window.first_session = 44;
  o.window.last_session = 61;
  o.window.min_votes = 5;
  o.estimator.dims = 1;
  const Calibration a = calibrate(*voeten_, o);
  const Calibration b = calibrate(undl, o);
  const std::string pa = format_positions(a, o, "test");
  const std::string pb = format_positions(b, o, "test");
  const auto body = [](const std::string& text) {
    return text.substr(text.find("\ndescription:"));
  };
  EXPECT_TRUE(body(pb) == body(pa)) << "the positions differ";
  EXPECT_NE(pa.find("Data: Voeten"), std::string::npos);
  EXPECT_NE(
      pb.find("# Data: United Nations Dag Hammarskjöld Library, General Assembly Voting Data\n"
              "#   (https://digitallibrary.un.org/record/4060887), sessions 44-61"),
      std::string::npos)
      << pb;
  EXPECT_TRUE(format_agreement(b.matrix) == format_agreement(a.matrix));
  EXPECT_TRUE(format_matrix(b.matrix) == format_matrix(a.matrix));
  EXPECT_GT(a.matrix.members.size(), 150u);
}

INSTANTIATE_TEST_SUITE_P(Forms, UndlFixtures,
                         ::testing::Values("long-v3.csv", "long-v1.csv", "wide.csv"),
                         [](const auto& param_info) {
                           std::string name = param_info.param;
                           name = name.substr(0, name.find('.'));
                           name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
                           return name;
                         });

// --- Small files ---------------------------------------------------------------------------

constexpr const char* kLongHeader =
    "undl_id,ms_code,ms_name,ms_vote,date,session,resolution,draft,committee_report,meeting,"
    "title,agenda_title,subjects,vote_note,total_yes,total_no,total_abstentions,"
    "total_non_voting,total_ms,undl_link\n";

std::string long_row(const std::string& id, const std::string& code, const std::string& vote,
                     const std::string& session = "73", const std::string& date = "2018-12-05") {
  return fmt::format("{},{},NAME,{},{},{},A/RES/73/{},,,,\"Title, {}\",,,,1.0,1.0,0.0,0.0,2.0,\n",
                     id, code, vote, date, session, id, id);
}

std::string load_error(const DataDir& dir, const std::string& file) {
  try {
    load_vote_data(dir.path() / file);
  } catch (const DataError& e) {
    return e.what();
  }
  return "no error";
}

TEST(UndlData, ColumnsByNameInAnyOrderExtraColumnsIgnored) {
  const DataDir dir("undl_order");
  dir.write("v.csv",
            "extra,title,ms_vote,resolution,date,ms_code,undl_id,ms_name\n"
            "x,\"Peace, now\",Y,A/RES/73/1 ,2018-12-05T00:00:00,USA,4000001,UNITED STATES\n"
            "x,\"Peace, now\",NV,A/RES/73/1 ,2018-12-05T00:00:00,NAM,4000001,NAMIBIA\n"
            "x,\"Peace, now\",,A/RES/73/1 ,2018-12-05T00:00:00,FRA,4000001,FRANCE\n"
            "x,Other,N,73/2,2019-01-10,NAM,4000002,NAMIBIA\n");
  const VoteData d = load_vote_data(dir.path() / "v.csv");
  ASSERT_EQ(d.roll_calls.size(), 2u);
  EXPECT_EQ(d.roll_calls[0].rcid, 4000001);
  EXPECT_EQ(d.roll_calls[0].unres, "A/RES/73/1");
  EXPECT_EQ(d.roll_calls[1].unres, "A/RES/73/2");
  EXPECT_EQ(d.roll_calls[0].date, "2018-12-05");
  EXPECT_EQ(d.roll_calls[0].title, "Peace, now");
  // No session column: the regular session in progress on the date.
  EXPECT_EQ(d.roll_calls[0].session, 73);
  EXPECT_EQ(d.roll_calls[1].session, 73);
  EXPECT_FALSE(d.roll_calls[0].important);
  EXPECT_TRUE(d.roll_calls[0].issues.empty());
  // NV and empty are absence: no vote, and France, which never voted, is not a state.
  ASSERT_EQ(d.votes.size(), 2u);
  ASSERT_EQ(d.states.size(), 2u);
  EXPECT_EQ(d.states[0].alpha3, "USA");
  EXPECT_EQ(d.states[1].alpha3, "NAM");
  EXPECT_EQ(d.votes[1].vote, Vote::kNo);
}

TEST(UndlData, SpecialSessionsCountInTheRegularSessionOfTheirDate) {
  const DataDir dir("undl_session");
  dir.write("v.csv", std::string(kLongHeader) + long_row("1", "USA", "Y", "ES-10", "2018-06-13") +
                         long_row("2", "USA", "N", "S-26", "2001-06-27") +
                         long_row("3", "USA", "A", "ES-10", "2017-12-21") +
                         long_row("4", "USA", "A", "", "1946-02-01"));
  const VoteData d = load_vote_data(dir.path() / "v.csv");
  ASSERT_EQ(d.roll_calls.size(), 4u);
  EXPECT_EQ(d.roll_calls[0].session, 1);   // 1946-02-01
  EXPECT_EQ(d.roll_calls[1].session, 55);  // 2001-06-27
  EXPECT_EQ(d.roll_calls[2].session, 72);  // 2017-12-21
  EXPECT_EQ(d.roll_calls[3].session, 72);  // 2018-06-13
}

TEST(UndlData, WideFormEmptyAndXAreAbsence) {
  const DataDir dir("undl_wide");
  dir.write("w.csv",
            "undl_id,date,session,resolution,title,total_yes,USA,YUG,NAM,Notes\n"
            "10,1999-12-01,54,A/RES/54/1,One,1,Y,X,,n\n"
            "11,2007-12-01,62,A/RES/62/1,Two,1,N,A,Y,n\n");
  const VoteData d = load_vote_data(dir.path() / "w.csv");
  std::vector<std::string> codes;
  for (const CountryCode& s : d.states) codes.push_back(s.alpha3);
  // YUG is Serbia from session 61, as Voeten's YU is.
  EXPECT_EQ(codes, (std::vector<std::string>{"USA", "SRB", "NAM"}));
  EXPECT_EQ(d.votes.size(), 4u);
}

TEST(UndlDataErrors, UnrecognisedHeaderSaysWhatIsAccepted) {
  const DataDir dir("undl_header");
  dir.write("v.csv", "rcid,vote\n1,Y\n");
  const std::string e = load_error(dir, "v.csv");
  EXPECT_EQ(e.rfind(fmt::format("{}:1: unrecognised header 'rcid,vote': expected the UN's General "
                                "Assembly Voting Data in its long form",
                                (dir.path() / "v.csv").string()),
                    0),
            0u)
      << e;
  EXPECT_NE(e.find("or a directory with Voeten's votes.csv"), std::string::npos) << e;
  dir.write("m.csv", "undl_id,ms_code,ms_vote,date,title\n1,USA,Y,2018-12-05,T\n");
  EXPECT_EQ(
      load_error(dir, "m.csv")
          .rfind(fmt::format("{}:1: the long form of the UN's voting data needs a column "
                             "'resolution', and the header is 'undl_id,ms_code,ms_vote,date,title'",
                             (dir.path() / "m.csv").string()),
                 0),
      0u);
  dir.write("w.csv", "undl_id,date,resolution,title,Notes\n1,2018-12-05,A/RES/73/1,T,n\n");
  EXPECT_NE(load_error(dir, "w.csv").find("has no member-state columns"), std::string::npos);
}

TEST(UndlDataErrors, UnknownVoteCode) {
  const DataDir dir("undl_vote");
  dir.write("v.csv",
            std::string(kLongHeader) + long_row("1", "USA", "Y") + long_row("1", "FRA", "yes"));
  EXPECT_EQ(load_error(dir, "v.csv"),
            fmt::format("{}:3: unknown vote 'yes' in column 'ms_vote': expected Y (yes), N (no), "
                        "A (abstention), X or NV (non-voting), or empty",
                        (dir.path() / "v.csv").string()));
  dir.write("w.csv", "undl_id,date,session,resolution,title,USA\n1,2018-12-05,73,R,T,Z\n");
  EXPECT_EQ(load_error(dir, "w.csv"),
            fmt::format("{}:2: unknown vote 'Z' in column 'USA': expected Y (yes), N (no), "
                        "A (abstention), X or NV (non-voting), or empty",
                        (dir.path() / "w.csv").string()));
}

TEST(UndlDataErrors, DuplicateRowOfOneMemberOnOneResolution) {
  const DataDir dir("undl_dup");
  dir.write("v.csv", std::string(kLongHeader) + long_row("7", "USA", "Y") +
                         long_row("7", "FRA", "N") + long_row("7", "USA", "X"));
  EXPECT_EQ(load_error(dir, "v.csv"),
            fmt::format("{}:4: a second row for United States of America (USA) on resolution "
                        "A/RES/73/7 (undl_id 7); the first is line 2: each member has one vote "
                        "per resolution; remove the duplicate",
                        (dir.path() / "v.csv").string()));
  dir.write("w.csv",
            "undl_id,date,session,resolution,title,USA\n1,2018-12-05,73,R/1,T,Y\n"
            "1,2018-12-05,73,R/1,T,N\n");
  EXPECT_EQ(load_error(dir, "w.csv"),
            fmt::format("{}:3: resolution A/RES/R/1 (undl_id 1) has a second row (the first is "
                        "line 2): the wide form has one row per resolution; remove the duplicate",
                        (dir.path() / "w.csv").string()));
  dir.write("c.csv", std::string(kLongHeader) + long_row("7", "USA", "Y", "73", "2018-12-05") +
                         long_row("7", "FRA", "N", "73", "2018-12-06"));
  EXPECT_EQ(load_error(dir, "c.csv"),
            fmt::format("{}:3: undl_id 7 is resolution A/RES/73/7 of 2018-12-06 here but "
                        "A/RES/73/7 of 2018-12-05 on line 2: one undl_id is one resolution",
                        (dir.path() / "c.csv").string()));
}

TEST(UndlDataErrors, EmptyFileAndHeaderOnly) {
  const DataDir dir("undl_empty");
  dir.write("v.csv", "");
  const std::string e = load_error(dir, "v.csv");
  EXPECT_EQ(e.rfind(fmt::format("{}:1: the file is empty; expected the UN's General Assembly "
                                "Voting Data",
                                (dir.path() / "v.csv").string()),
                    0),
            0u)
      << e;
  dir.write("h.csv", kLongHeader);
  EXPECT_EQ(load_error(dir, "h.csv"),
            fmt::format("{}:2: the file has a header but no rows of votes",
                        (dir.path() / "h.csv").string()));
}

TEST(UndlDataErrors, UnknownMemberCode) {
  const DataDir dir("undl_code");
  dir.write("v.csv",
            std::string(kLongHeader) + long_row("1", "USA", "Y") + long_row("1", "XYZ", "N"));
  EXPECT_EQ(load_error(dir, "v.csv"),
            fmt::format("{}:3: unknown member code 'XYZ' (NAME): expected the ISO 3166-1 alpha-3 "
                        "code of a UN member state or of a historical state (CSK, DDR, YMD, SUN, "
                        "TWN, FRG, YAR, ZAN, YUG); correct the code",
                        (dir.path() / "v.csv").string()));
  dir.write("w.csv", "undl_id,date,session,resolution,title,USA,QQQ\n1,2018-12-05,73,R,T,Y,N\n");
  EXPECT_NE(load_error(dir, "w.csv").find(":1: unknown member code 'QQQ' (a column of the header)"),
            std::string::npos);
}

TEST(UndlDataErrors, MalformedIdDateSessionAndFieldCount) {
  const DataDir dir("undl_malformed");
  dir.write("a.csv", std::string(kLongHeader) + long_row("A1", "USA", "Y"));
  EXPECT_EQ(load_error(dir, "a.csv"),
            fmt::format("{}:2: column 'undl_id' must be the UN Digital Library's record number "
                        "(a whole number), found 'A1'",
                        (dir.path() / "a.csv").string()));
  dir.write("b.csv", std::string(kLongHeader) + long_row("1", "USA", "Y", "73", "05/12/2018"));
  EXPECT_EQ(load_error(dir, "b.csv"),
            fmt::format("{}:2: column 'date' must be a date YYYY-MM-DD, found '05/12/2018'",
                        (dir.path() / "b.csv").string()));
  dir.write("c.csv", std::string(kLongHeader) + long_row("1", "USA", "Y", "seventy"));
  EXPECT_EQ(load_error(dir, "c.csv"),
            fmt::format("{}:2: column 'session' must be a session number (e.g. 73), S-n or ES-n, "
                        "found 'seventy'",
                        (dir.path() / "c.csv").string()));
  dir.write("d.csv", std::string(kLongHeader) + "1,USA,NAME,Y\n");
  EXPECT_EQ(load_error(dir, "d.csv"),
            fmt::format("{}:2: expected 20 fields as in the header, found 4",
                        (dir.path() / "d.csv").string()));
}

TEST(UndlDataErrors, IssueFiltersNeedVoetensData) {
  const DataDir dir("undl_issues");
  dir.write("v.csv",
            std::string(kLongHeader) + long_row("1", "USA", "Y") + long_row("1", "FRA", "N"));
  const VoteData d = load_vote_data(dir.path() / "v.csv");
  WindowOptions w;
  w.first_session = 73;
  w.last_session = 73;
  w.issues = {"hr"};
  try {
    select_window(d, w);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "--issues needs Voeten's data (a directory with votes.csv, roll_calls.csv and "
                 "roll_call_issues.csv): the UN's voting data has no issue codes and no list of "
                 "important votes");
  }
  w.issues.clear();
  w.important_only = true;
  EXPECT_THROW(select_window(d, w), UsageError);
}

TEST(UndlDataErrors, MissingPath) {
  try {
    load_vote_data("/nonexistent/votes.csv");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("--votes '/nonexistent/votes.csv': no such file or "
                                          "directory; give a directory with Voeten's votes.csv",
                                          0),
              0u);
  }
}

}  // namespace
}  // namespace plenary::calibrate
