// The forecast pipeline on a synthetic record: the session's own votes are never used, bad
// requests are refused with a message naming the fix, and the score compares the baselines
// on the same cells.
#include "plenary/forecast/forecast.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "forecast/synthetic.hpp"
#include "plenary/calibrate/country_codes.hpp"
#include "plenary/forecast/kin.hpp"
#include "plenary/util/error.hpp"

namespace {

using namespace plenary::forecast;
namespace cal = plenary::calibrate;

constexpr int kMembers = 40;
constexpr int kPerSession = 16;

class ForecastTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    with_ = std::make_unique<synthetic::TempDir>("with");
    without_ = std::make_unique<synthetic::TempDir>("without");
    synthetic::write_record(with_->path(), kMembers, 55, 66, kPerSession, 7);
    synthetic::write_record(without_->path(), kMembers, 55, 66, kPerSession, 7, 66);
  }
  static void TearDownTestSuite() {
    with_.reset();
    without_.reset();
  }
  static ForecastOptions options(int session) {
    ForecastOptions o;
    o.session = session;
    o.dynamic.dims = 1;
    return o;
  }
  static std::unique_ptr<synthetic::TempDir> with_, without_;
};

std::unique_ptr<synthetic::TempDir> ForecastTest::with_;
std::unique_ptr<synthetic::TempDir> ForecastTest::without_;

TEST_F(ForecastTest, TheSessionsOwnVotesChangeNoByte) {
  const cal::VoteData with = cal::load_vote_data(with_->path());
  const cal::VoteData without = cal::load_vote_data(without_->path());
  ASSERT_GT(with.votes.size(), without.votes.size());
  const ForecastOptions o = options(66);
  const Forecast a = run_forecast(with, o);
  const Forecast b = run_forecast(without, o);
  EXPECT_EQ(format_csv(with, a), format_csv(without, b));
  EXPECT_EQ(format_json(with, a, o), format_json(without, b, o));
  // The default window: the 8 sessions before, 58-65; the weights fitted on 63-65.
  EXPECT_EQ(a.main.window, (std::vector<int>{58, 59, 60, 61, 62, 63, 64, 65}));
  ASSERT_EQ(a.blend_stages.size(), 3u);
  EXPECT_EQ(a.blend_stages[0].target, 65);
  EXPECT_EQ(a.blend_stages[0].window, (std::vector<int>{57, 58, 59, 60, 61, 62, 63, 64}));
  EXPECT_EQ(a.blend_stages[1].target, 64);
  EXPECT_EQ(a.blend_stages[1].window, (std::vector<int>{56, 57, 58, 59, 60, 61, 62, 63}));
  EXPECT_EQ(a.blend_stages[2].target, 63);
  EXPECT_EQ(a.blend_stages[2].window, (std::vector<int>{55, 56, 57, 58, 59, 60, 61, 62}));
}

TEST_F(ForecastTest, RecurringItemsGetKinAndTheNovelOneIsListed) {
  const cal::VoteData data = cal::load_vote_data(with_->path());
  const Forecast f = run_forecast(data, options(66));
  EXPECT_EQ(f.main.items.size(), static_cast<std::size_t>(kPerSession - 1));
  ASSERT_EQ(f.main.skipped.size(), 1u);
  EXPECT_EQ(data.roll_calls[f.main.skipped[0].roll_call].title, "Novel topic number 66");
  for (const Item& item : f.main.items) {
    EXPECT_EQ(data.roll_calls[item.kin.roll_call].session, 65);
    EXPECT_EQ(item.kin.rule, KinRule::kExactTitle);
    EXPECT_EQ(item.placed, Placed::kInWindow);
  }
  EXPECT_EQ(f.main.members.size(), static_cast<std::size_t>(kMembers));
  EXPECT_EQ(f.main.cells.size(), f.main.items.size() * kMembers);
  for (const Cell& c : f.main.cells) EXPECT_NEAR(c.p.sum(), 1.0, 1e-12);
  const std::string csv = format_csv(data, f);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "rcid,code,p_yes,p_no,p_abstain,kin_rcid");
}

TEST_F(ForecastTest, ScoresTheModelAndBothBaselinesOnTheSameCells) {
  const cal::VoteData data = cal::load_vote_data(with_->path());
  const Forecast f = run_forecast(data, options(66));
  const Score s = score_forecast(data, f);
  ASSERT_EQ(s.methods.size(), 3u);
  EXPECT_EQ(s.methods[0].method, "forecast");
  EXPECT_EQ(s.methods[1].method, "repeat kin vote");
  EXPECT_EQ(s.methods[2].method, "all Yes");
  // Every member votes on the novel item too, which has no forecast: coverage below 1.
  EXPECT_GT(s.cells, 0);
  EXPECT_LT(s.coverage, 1.0);
  EXPECT_GT(s.coverage, (kPerSession - 1.5) / kPerSession);
  // A hard forecast's Brier score is twice its error rate.
  EXPECT_NEAR(s.methods[2].brier, 2.0 * (1.0 - s.methods[2].accuracy), 1e-12);
  EXPECT_NEAR(s.methods[1].brier, 2.0 * (1.0 - s.methods[1].accuracy), 1e-12);
  const cal::VoteData without = cal::load_vote_data(without_->path());
  EXPECT_THROW(score_forecast(without, run_forecast(without, options(66))), plenary::DataError);
}

TEST_F(ForecastTest, AFragmentOfAFewVotesIsNobodysKin) {
  // Session 64 gets a roll call titled like session 66's novel item: as a real vote (every
  // member votes) it is the novel item's kin; as a fragment of kMinKinVotes - 1 rows (the
  // data hold such remnants of resolutions adopted without a vote) it is not.
  for (const int rows : {kMembers, kMinKinVotes - 1}) {
    synthetic::TempDir dir("fragment" + std::to_string(rows));
    synthetic::write_record(dir.path(), kMembers, 55, 66, kPerSession, 7);
    const auto states = cal::un_member_states();
    std::ofstream(dir.path() / "roll_calls.csv", std::ios::app)
        << "9999,64,0,2009-12-30,R/64/999,0,0,\"Novel topic number 66\",\n";
    std::ofstream votes(dir.path() / "votes.csv", std::ios::app);
    for (int i = 0; i < rows; ++i)
      votes << "9999," << states[i].alpha2 << ",\"" << states[i].name << "\",yes\n";
    votes.close();
    const cal::VoteData data = cal::load_vote_data(dir.path());
    const Forecast f = run_forecast(data, options(66));
    const bool real = rows >= kMinKinVotes;
    EXPECT_EQ(f.main.items.size(), static_cast<std::size_t>(kPerSession - (real ? 0 : 1)));
    EXPECT_EQ(f.main.skipped.size(), real ? 0u : 1u);
  }
}

TEST_F(ForecastTest, BadRequestsNameTheFix) {
  const cal::VoteData data = cal::load_vote_data(with_->path());
  try {
    run_forecast(data, options(80));
    FAIL() << "expected DataError";
  } catch (const plenary::DataError& e) {
    EXPECT_STREQ(e.what(),
                 "session 80 has no roll calls in roll_calls.csv (it lists sessions "
                 "55-66); the agenda of a forecast is its session's roll calls");
  }
  ForecastOptions o = options(66);
  o.train = {{60, 66}};
  try {
    run_forecast(data, o);
    FAIL() << "expected UsageError";
  } catch (const plenary::UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "--train 60-66: the training window must end before session 66 (try "
                 "--train 60-65)");
  }
  o.train = {{30, 40}};
  EXPECT_THROW(run_forecast(data, o), plenary::DataError);
  // The first session has nothing before it.
  try {
    run_forecast(data, options(55));
    FAIL() << "expected DataError";
  } catch (const plenary::DataError& e) {
    EXPECT_STREQ(e.what(), "no recorded votes before session 55: nothing to train on");
  }
}

TEST_F(ForecastTest, ATrainingRangeIsHonoured) {
  const cal::VoteData data = cal::load_vote_data(with_->path());
  ForecastOptions o = options(66);
  o.train = {{61, 63}};
  const Forecast f = run_forecast(data, o);
  EXPECT_EQ(f.main.window, (std::vector<int>{61, 62, 63}));
  // Kin from sessions 64-65 lie after the window: placed with its last positions.
  for (const Item& item : f.main.items) EXPECT_EQ(item.placed, Placed::kAfterWindow);
  ASSERT_EQ(f.blend_stages.size(), 3u);
  EXPECT_EQ(f.blend_stages[0].target, 63);
  EXPECT_EQ(f.blend_stages[0].window, (std::vector<int>{60, 61, 62}));
  EXPECT_EQ(f.blend_stages[1].target, 62);
  EXPECT_EQ(f.blend_stages[2].target, 61);
}

}  // namespace
