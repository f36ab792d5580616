// Title normalisation and kin matching (docs/forecast.md, "Kin").
#include "plenary/forecast/kin.hpp"

#include <gtest/gtest.h>

namespace {

using plenary::calibrate::RollCall;
using plenary::calibrate::VoteData;
using namespace plenary::forecast;

TEST(NormaliseTitle, SurvivesTheDataVariants) {
  EXPECT_EQ(normalise_title("The Syrian Golan : resolution / adopted by the General Assembly"),
            "the syrian golan");
  EXPECT_EQ(normalise_title("THE SYRIAN GOLAN"), "the syrian golan");
  EXPECT_EQ(normalise_title("  The  Syrian-Golan. "), "the syrian golan");
  EXPECT_EQ(normalise_title("Advancing responsible State behaviour in cyberspace"),
            normalise_title("Advancing responsible state behavior in cyberspace"));
  EXPECT_EQ(normalise_title("Decolonisation programme of the Centre"),
            normalise_title("Decolonization program of the center"));
  EXPECT_EQ(normalise_title("Organisation of work, defence"), "organization of work defense");
  // A colon that is part of the title stays.
  EXPECT_EQ(normalise_title("Sport : a means to promote education"),
            "sport a means to promote education");
}

TEST(TokenSimilarity, IsJaccardOfContentWords) {
  const auto a = content_tokens(normalise_title("Situation of human rights in Myanmar"));
  const auto b = content_tokens(normalise_title("Situation on human rights in Myanmar"));
  EXPECT_EQ(a, (std::vector<std::string>{"human", "myanmar", "rights", "situation"}));
  EXPECT_DOUBLE_EQ(token_similarity(a, b), 1.0);
  const auto c = content_tokens("international migration and development");
  const auto d = content_tokens("international development");
  EXPECT_DOUBLE_EQ(token_similarity(c, d), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(token_similarity({}, {}), 0.0);
}

RollCall roll_call(int rcid, int session, std::string title, bool amendment = false,
                   std::vector<std::string> issues = {}) {
  RollCall rc;
  rc.rcid = rcid;
  rc.session = session;
  rc.title = std::move(title);
  rc.amendment = amendment;
  rc.issues = std::move(issues);
  return rc;
}

class KinFinderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_.roll_calls = {
        roll_call(1, 70, "Jerusalem"),
        roll_call(2, 71, "Jerusalem : resolution / adopted by the General Assembly"),
        roll_call(3, 71, "Jerusalem", true),  // an amendment, later than rcid 2
        roll_call(4, 71, "Human rights and unilateral coercive measures", false, {"hr"}),
        roll_call(5, 71, "Coercive measures and human rights, unilateral", false, {"ec"}),
        roll_call(6, 71, "Nuclear disarmament"),
        roll_call(7, 72, "Jerusalem"),  // the session forecast: never a kin
        roll_call(8, 60, "Status of outer space"),
        roll_call(15, 71, ""),  // untitled, as some rows of the data
    };
    has_votes_.assign(data_.roll_calls.size(), true);
  }
  VoteData data_;
  std::vector<bool> has_votes_;
};

TEST_F(KinFinderTest, AWholeResolutionPrefersAWholeResolutionKin) {
  const KinFinder finder(data_, 72, has_votes_);
  const auto kin =
      finder.find(roll_call(9, 72, "JERUSALEM : resolution / adopted by the General Assembly"));
  ASSERT_TRUE(kin);
  EXPECT_EQ(data_.roll_calls[kin->roll_call].rcid, 2);
  EXPECT_EQ(kin->rule, KinRule::kExactTitle);
  const auto amendment = finder.find(roll_call(10, 72, "Jerusalem", true));
  ASSERT_TRUE(amendment);
  EXPECT_EQ(data_.roll_calls[amendment->roll_call].rcid, 3);
}

TEST_F(KinFinderTest, OnlyEarlierSessionsWithVotesAreKin) {
  has_votes_[1] = false;  // rcid 2 has no recorded votes
  const KinFinder finder(data_, 72, has_votes_);
  const auto kin = finder.find(roll_call(9, 72, "Jerusalem"));
  ASSERT_TRUE(kin);
  EXPECT_EQ(data_.roll_calls[kin->roll_call].rcid, 1);  // the whole one before, not amendment 3
  const KinFinder early(data_, 71, has_votes_);
  EXPECT_EQ(data_.roll_calls[early.find(roll_call(9, 71, "Jerusalem"))->roll_call].rcid, 1);
  const KinFinder none(data_, 70, has_votes_);
  EXPECT_FALSE(none.find(roll_call(9, 70, "Jerusalem")));
}

TEST_F(KinFinderTest, SimilarTitlesAtTheThresholdTieBrokenByIssue) {
  const KinFinder finder(data_, 72, has_votes_);
  // Same content words as rcids 4 and 5 (similarity 1): the shared issue code decides.
  const auto hr = finder.find(
      roll_call(11, 72, "Unilateral coercive measures and human rights", false, {"hr"}));
  ASSERT_TRUE(hr);
  EXPECT_EQ(hr->rule, KinRule::kSimilarTitle);
  EXPECT_EQ(data_.roll_calls[hr->roll_call].rcid, 4);
  const auto ec = finder.find(
      roll_call(12, 72, "Unilateral coercive measures and human rights", false, {"ec"}));
  EXPECT_EQ(data_.roll_calls[ec->roll_call].rcid, 5);
  // 3 of 4 content words shared: 0.75, exactly the threshold.
  const auto outer = finder.find(roll_call(13, 72, "Status of outer space treaty"));
  ASSERT_TRUE(outer);
  EXPECT_DOUBLE_EQ(outer->similarity, 0.75);
  EXPECT_EQ(data_.roll_calls[outer->roll_call].rcid, 8);
  // An untitled item has no kin, not the untitled rcid 15.
  EXPECT_FALSE(finder.find(roll_call(16, 72, " ")));
  // 2 of 3: below it.
  EXPECT_FALSE(finder.find(roll_call(14, 72, "Nuclear disarmament verification")));
}

TEST(OwnTitle, ShortElseDescrElseTheTitleAMeetingRecordQuotes) {
  RollCall rc;
  rc.title = "Jerusalem";
  rc.description = "To adopt a draft on Jerusalem";
  EXPECT_EQ(own_title(rc), "Jerusalem");
  rc.title = " ";
  rc.description = "The Syrian Golan : resolution / adopted by the General Assembly";
  EXPECT_EQ(own_title(rc), rc.description);
  rc.description =
      "The Acting President: Draft resolution V is entitled _Confidence-building "
      "measures in the regional and subregional context<d3>. The First Committee";
  EXPECT_EQ(own_title(rc), "Confidence-building measures in the regional and subregional context");
  rc.description = "The Acting President: Draft resolution XXII is entitled \"United action\". S";
  EXPECT_EQ(own_title(rc), "United action");
  rc.description = "The Acting President: I now put to the vote operative paragraph 2. A";
  EXPECT_EQ(own_title(rc), "");
  rc.description = "The President: a draft entitled _Unclosed quotation";
  EXPECT_EQ(own_title(rc), "");
}

// Sessions 61-68: `short` is a library subject heading shared by several resolutions of a
// session; the resolution's own title is in `descr`.
TEST(OwnTitle, ASubjectHeadingGivesWayToTheResolutionTitleInDescr) {
  RollCall rc;
  rc.title = "HUMAN RIGHTS ADVANCEMENT";
  rc.description = "The right to development : resolution / adopted by the General Assembly";
  EXPECT_EQ(own_title(rc), rc.description);
  EXPECT_EQ(normalise_title(own_title(rc)), "the right to development");
  // Written without the space before the colon.
  rc.description =
      "Human rights and cultural diversity: resolution / adopted by the General Assembly";
  EXPECT_EQ(normalise_title(own_title(rc)), "human rights and cultural diversity");
  // A descr that is a summary, not a titled resolution (sessions 50-57), leaves the heading.
  rc.title = "CUBA, U.S. EMBARGO";
  rc.description = "Necessity of ending the economic, commercial and financial embargo";
  EXPECT_EQ(own_title(rc), "CUBA, U.S. EMBARGO");
  // An upper-case descr (sessions 6-16) is no title either.
  rc.description = "TO ADOPT THE 23-POWER RESOLUTION: RESOLUTION A/3326";
  EXPECT_EQ(own_title(rc), "CUBA, U.S. EMBARGO");
  // A title in mixed case is a title, whatever descr says.
  rc.title = "Jerusalem";
  rc.description = "The Syrian Golan : resolution / adopted by the General Assembly";
  EXPECT_EQ(own_title(rc), "Jerusalem");
}

TEST(KinFinder, AnUntitledVoteTakesTheTitleOfItsResolutionInTheSameSession) {
  VoteData data;
  auto add = [&](int rcid, int session, std::string unres, std::string title, std::string descr) {
    RollCall rc;
    rc.rcid = rcid;
    rc.session = session;
    rc.unres = std::move(unres);
    rc.title = std::move(title);
    rc.description = std::move(descr);
    data.roll_calls.push_back(rc);
  };
  add(1, 71, "R/71/5", "", "The Acting President: I now put to the vote operative paragraph 2. A");
  add(2, 71, "R/71/5", "",
      "The Acting President: Draft resolution I is entitled _Nuclear disarmament<d3>.");
  add(3, 72, "R/72/9", "", "The Acting President: I now put to the vote operative paragraph 4. A");
  add(4, 72, "R/72/9", "Nuclear disarmament", "");
  add(5, 72, "R/72/10", "", "The Acting President: I now put to the vote operative paragraph 4. A");
  const KinFinder finder(data, 72, std::vector<bool>(data.roll_calls.size(), true));
  EXPECT_EQ(finder.title_of(data.roll_calls[0]), "nuclear disarmament");
  EXPECT_EQ(finder.title_of(data.roll_calls[2]), "nuclear disarmament");
  EXPECT_EQ(finder.title_of(data.roll_calls[4]), "");  // no titled vote on R/72/10
  const auto kin = finder.find(data.roll_calls[3]);
  ASSERT_TRUE(kin);
  EXPECT_EQ(data.roll_calls[kin->roll_call].rcid, 2);
  EXPECT_FALSE(finder.find(data.roll_calls[4]));
}

}  // namespace
