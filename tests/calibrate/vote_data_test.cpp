#include "plenary/calibrate/vote_data.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "calibrate/test_data.hpp"
#include "plenary/calibrate/vote_matrix.hpp"
#include "plenary/util/error.hpp"
#include "plenary/util/text.hpp"
#include "support/gzip.hpp"

namespace plenary::calibrate {
namespace {

using testing::DataDir;

constexpr const char* kRollCalls =
    "rcid,session,importantvote,date,unres,amend,para,short,descr\n"
    "1,60,0,2005-10-01,A/RES/60/1,,,\"ONE, FIRST\",\"a \"\"quoted\"\" text\"\n"
    "2,61,1,2006-10-01,A/RES/61/2,1,0,TWO,\n"
    "3,61,0,2006-10-02,A/RES/61/3,0,1,THREE,\n"
    "4,62,0,2007-10-01,A/RES/62/4,0,0,FOUR,\n";
constexpr const char* kIssues = "rcid,short_name,issue\n2,hr,Human rights\n4,nu,Nuclear weapons\n";

// Four members; roll call 4 is unanimous (lopsided); Namibia votes only once.
constexpr const char* kVotes =
    "rcid,country_code,country,vote\n"
    "1,US,United States,yes\n1,RU,Russia,no\n1,YU,Yugoslavia,yes\n1,FR,France,yes\n"
    "2,US,United States,no\n2,RU,Russia,yes\n2,YU,Yugoslavia,abstain\n2,NA,Namibia,yes\n"
    "3,US,United States,yes\n3,RU,Russia,no\n3,YU,Yugoslavia,no\n3,FR,France,yes\n"
    "4,US,United States,yes\n4,RU,Russia,yes\n4,YU,Yugoslavia,yes\n";

void fill(const DataDir& dir) {
  dir.write("roll_calls.csv", kRollCalls);
  dir.write("roll_call_issues.csv", kIssues);
  dir.write("votes.csv", kVotes);
}

TEST(VoteData, LoadsRollCallsIssuesAndVotes) {
  const DataDir dir("load");
  fill(dir);
  const VoteData data = load_vote_data(dir.path());
  ASSERT_EQ(data.roll_calls.size(), 4u);
  EXPECT_EQ(data.roll_calls[0].title, "ONE, FIRST");
  EXPECT_FALSE(data.roll_calls[0].amendment);
  EXPECT_TRUE(data.roll_calls[1].important);
  EXPECT_TRUE(data.roll_calls[1].amendment);
  EXPECT_TRUE(data.roll_calls[2].paragraph);
  EXPECT_EQ(data.roll_calls[1].issues, std::vector<std::string>{"hr"});
  EXPECT_EQ(data.votes.size(), 15u);
  // Yugoslavia up to session 60, Serbia from 61: two states.
  std::vector<std::string> codes;
  for (const CountryCode& s : data.states) codes.push_back(s.alpha3);
  EXPECT_EQ(codes, (std::vector<std::string>{"USA", "RUS", "YUG", "FRA", "SRB", "NAM"}));
}

TEST(VoteMatrix, FiltersBySessionIssueImportanceAndKind) {
  const DataDir dir("filters");
  fill(dir);
  const VoteData data = load_vote_data(dir.path());
  WindowOptions w;
  w.min_minority = 0.0;
  w.min_votes = 1;
  w.first_session = 61;
  w.last_session = 62;
  EXPECT_EQ(select_window(data, w).window_rcids, (std::vector<int>{2, 3, 4}));
  w.first_session = 60;
  w.drop_amendments = true;
  EXPECT_EQ(select_window(data, w).window_rcids, (std::vector<int>{1, 4}));
  w.drop_amendments = false;
  w.issues = {"hr", "nu"};
  EXPECT_EQ(select_window(data, w).window_rcids, (std::vector<int>{2, 4}));
  w.important_only = true;
  EXPECT_EQ(select_window(data, w).window_rcids, (std::vector<int>{2}));
}

TEST(VoteMatrix, DropsLopsidedRollCallsAndMembersWithFewVotes) {
  const DataDir dir("drops");
  fill(dir);
  const VoteData data = load_vote_data(dir.path());
  WindowOptions w;
  w.first_session = 61;
  w.last_session = 62;
  w.min_votes = 2;
  const VoteMatrix m = select_window(data, w);
  EXPECT_EQ(m.rcids, (std::vector<int>{2, 3}));  // 4 is unanimous
  EXPECT_EQ(m.dropped_lopsided, 1);
  // France, Serbia (an abstention and a No) and Namibia have one Yes/No vote each.
  ASSERT_EQ(m.dropped_members.size(), 3u);
  EXPECT_EQ(m.dropped_members[0].state.alpha3, "FRA");
  EXPECT_EQ(m.dropped_members[0].votes, 1);
  EXPECT_EQ(m.dropped_members[1].state.alpha3, "SRB");
  EXPECT_EQ(m.dropped_members[2].state.alpha3, "NAM");
  std::vector<std::string> kept;
  for (const CountryCode& c : m.members) kept.push_back(c.alpha3);
  EXPECT_EQ(kept, (std::vector<std::string>{"USA", "RUS"}));
}

TEST(VoteMatrix, AbsenceCountsOnlyWhileAMember) {
  const DataDir dir("absence");
  fill(dir);
  const VoteData data = load_vote_data(dir.path());
  WindowOptions w;
  w.min_minority = 0.0;
  w.min_votes = 1;
  const VoteMatrix m = select_window(data, w);
  for (std::size_t i = 0; i < m.members.size(); ++i) {
    // France: member from roll call 1 to 3 (its first and last votes), absent on 2.
    if (m.members[i].alpha3 == "FRA") {
      EXPECT_DOUBLE_EQ(m.absence[i], 1.0 / 3.0);
    }
    if (m.members[i].alpha3 == "USA") {
      EXPECT_DOUBLE_EQ(m.absence[i], 0.0);
    }
  }
}

void expect_data_error(const DataDir& dir, const std::string& message) {
  try {
    load_vote_data(dir.path());
    FAIL() << "expected: " << message;
  } catch (const DataError& e) {
    EXPECT_EQ(e.what(), message);
  }
}

TEST(VoteDataErrors, MissingFile) {
  DataDir dir("missing");
  dir.write("roll_calls.csv", kRollCalls);
  dir.write("roll_call_issues.csv", kIssues);
  expect_data_error(
      dir, fmt::format("cannot read '{}' (or '{}.gz'): no such file",
                       (dir.path() / "votes.csv").string(), (dir.path() / "votes.csv").string()));
}

// The shipped data is gzip-compressed (data/unga/*.csv.gz): each file may be either form.
TEST(VoteData, ReadsGzipCompressedFilesAsThePlainOnes) {
  const DataDir dir("gzip");
  dir.write("roll_calls.csv.gz", plenary::testing::gzip_text(kRollCalls));
  dir.write("roll_call_issues.csv", kIssues);
  dir.write("votes.csv.gz", plenary::testing::gzip_text(kVotes));
  const VoteData packed = load_vote_data(dir.path());
  const DataDir plain_dir("gzip_plain");
  fill(plain_dir);
  const VoteData plain = load_vote_data(plain_dir.path());
  ASSERT_EQ(packed.roll_calls.size(), plain.roll_calls.size());
  for (std::size_t i = 0; i < plain.roll_calls.size(); ++i) {
    EXPECT_EQ(packed.roll_calls[i].title, plain.roll_calls[i].title);
    EXPECT_EQ(packed.roll_calls[i].issues, plain.roll_calls[i].issues);
  }
  ASSERT_EQ(packed.votes.size(), plain.votes.size());
  for (std::size_t i = 0; i < plain.votes.size(); ++i) {
    EXPECT_EQ(packed.votes[i].roll_call, plain.votes[i].roll_call);
    EXPECT_EQ(packed.votes[i].state, plain.votes[i].state);
    EXPECT_EQ(packed.votes[i].vote, plain.votes[i].vote);
  }
}

TEST(VoteDataErrors, BothFormsOfOneFileAreAmbiguous) {
  const DataDir dir("both");
  fill(dir);
  dir.write("votes.csv.gz", plenary::testing::gzip_text(kVotes));
  const std::string plain = (dir.path() / "votes.csv").string();
  expect_data_error(dir, fmt::format("both '{}' and '{}.gz' exist and either could be meant; "
                                     "remove one (or move it out of '{}')",
                                     plain, plain, dir.path().string()));
}

TEST(VoteDataErrors, TruncatedGzipNamesTheFileAndLine) {
  const DataDir dir("truncated");
  fill(dir);
  std::filesystem::remove(dir.path() / "votes.csv");
  std::string votes = "rcid,country_code,country,vote\n";
  for (int i = 0; i < 3000; ++i) votes += "1,US,United States,yes\n";
  const std::string gz = plenary::testing::gzip_text(votes);
  dir.write("votes.csv.gz", gz.substr(0, gz.size() - 40));
  try {
    load_vote_data(dir.path());
    FAIL() << "expected a DataError";
  } catch (const DataError& e) {
    EXPECT_EQ(e.where().file, (dir.path() / "votes.csv.gz").string());
    EXPECT_GT(e.where().line, 1);
    EXPECT_TRUE(e.message().starts_with("the gzip data is truncated")) << e.what();
  }
}

TEST(VoteDataErrors, EmptyFileAndWrongHeaderInsideGzip) {
  const DataDir dir("gzip_header");
  fill(dir);
  std::filesystem::remove(dir.path() / "votes.csv");
  const std::string votes = (dir.path() / "votes.csv.gz").string();
  for (const std::string& empty : {std::string(), plenary::testing::gzip_text("")}) {
    dir.write("votes.csv.gz", empty);
    expect_data_error(dir, fmt::format("{}:1: the file is empty (expected the header "
                                       "'rcid,country_code,country,vote' and its rows)",
                                       votes));
  }
  dir.write("votes.csv.gz", plenary::testing::gzip_text("rcid,ccode,country,vote\n"));
  expect_data_error(dir, fmt::format("{}:1: missing column 'country_code': the header is "
                                     "'rcid,ccode,country,vote', expected columns "
                                     "rcid,country_code,country,vote",
                                     votes));
}

TEST(VoteDataErrors, WrongHeader) {
  const DataDir dir("header");
  fill(dir);
  dir.write("votes.csv", "rcid,ccode,country,vote\n1,US,United States,yes\n");
  expect_data_error(dir, fmt::format("{}:1: missing column 'country_code': the header is "
                                     "'rcid,ccode,country,vote', expected columns "
                                     "rcid,country_code,country,vote",
                                     (dir.path() / "votes.csv").string()));
}

TEST(VoteDataErrors, UnknownVoteValue) {
  const DataDir dir("vote");
  fill(dir);
  dir.write("votes.csv", "rcid,country_code,country,vote\n1,US,United States,yes\n1,FR,France,Y\n");
  expect_data_error(dir, fmt::format("{}:3: unknown vote 'Y': expected yes, no or abstain",
                                     (dir.path() / "votes.csv").string()));
}

TEST(VoteDataErrors, VoteOnUnknownRollCallAndDuplicateVote) {
  const DataDir dir("unknown_rc");
  fill(dir);
  dir.write("votes.csv", "rcid,country_code,country,vote\n9,US,United States,yes\n");
  expect_data_error(dir, fmt::format("{}:2: roll call 9 is not in roll_calls.csv",
                                     (dir.path() / "votes.csv").string()));
  dir.write("votes.csv", "rcid,country_code,country,vote\n1,US,United States,yes\n1,US,USA,no\n");
  expect_data_error(dir,
                    fmt::format("{}: United States of America (USA) has two votes on roll call 1",
                                (dir.path() / "votes.csv").string()));
}

TEST(VoteDataErrors, BadNumberAndFieldCount) {
  const DataDir dir("number");
  fill(dir);
  dir.write("roll_calls.csv",
            "rcid,session,importantvote,date,unres,amend,para,short,descr\n1,sixty,0,d,u,,,s,d\n");
  expect_data_error(dir, fmt::format("{}:2: column 'session' must be a whole number, found 'sixty'",
                                     (dir.path() / "roll_calls.csv").string()));
  dir.write("roll_calls.csv",
            "rcid,session,importantvote,date,unres,amend,para,short,descr\n1,60\n");
  expect_data_error(dir, fmt::format("{}:2: expected 9 fields as in the header, found 2",
                                     (dir.path() / "roll_calls.csv").string()));
}

TEST(VoteDataErrors, UnmappedCodesAreNamedNotFatal) {
  const DataDir dir("unmapped");
  fill(dir);
  dir.write("votes.csv",
            "rcid,country_code,country,vote\n1,US,United States,yes\n1,XX,Atlantis,no\n");
  const VoteData data = load_vote_data(dir.path());
  ASSERT_EQ(data.unmapped.size(), 1u);
  EXPECT_EQ(data.unmapped[0].code, "XX");
  EXPECT_EQ(data.unmapped[0].country, "Atlantis");
  EXPECT_EQ(data.unmapped[0].votes, 1);
}

TEST(WindowErrors, EmptyWindowAndEverythingLopsided) {
  const DataDir dir("window");
  fill(dir);
  const VoteData data = load_vote_data(dir.path());
  WindowOptions w;
  w.first_session = 70;
  w.last_session = 72;
  try {
    select_window(data, w);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(), "no roll calls in the window (sessions 70-72)");
  }
  w.first_session = 62;
  w.last_session = 62;
  try {
    select_window(data, w);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(),
                 "the only roll call in the window (sessions 62-62) is lopsided: no "
                 "Yes/No minority of at least 0.025");
  }
}

TEST(WindowErrors, BadOptions) {
  EXPECT_EQ(parse_session_range("65-72"), (std::pair<int, int>{65, 72}));
  EXPECT_EQ(parse_session_range("70"), (std::pair<int, int>{70, 70}));
  EXPECT_THROW(parse_session_range("72-65"), UsageError);
  EXPECT_THROW(parse_session_range("sixty"), UsageError);
  EXPECT_EQ(parse_issue_list("hr,nu"), (std::vector<std::string>{"hr", "nu"}));
  try {
    parse_issue_list("hr,xx");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "--issues: unknown issue code 'xx': expected one of me, nu, di, hr, co, ec");
  }
}

}  // namespace
}  // namespace plenary::calibrate
