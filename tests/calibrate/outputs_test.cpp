#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "calibrate/test_data.hpp"
#include "plenary/calibrate/calibrate.hpp"
#include "plenary/calibrate/place_roll_calls.hpp"
#include "plenary/util/error.hpp"

namespace plenary::calibrate {
namespace {

// A VoteData in memory: synthetic votes of the first `members` UN member states (the
// United States among them) on roll calls of session 70.
VoteData synthetic_data(const testing::Synthetic& s) {
  VoteData data;
  const auto states = un_member_states();
  for (Eigen::Index i = 0; i < s.obs.yes.rows(); ++i) {
    const MemberState& m = i == 0 ? *find_member_state("USA") : states[static_cast<std::size_t>(i)];
    data.states.push_back({std::string(m.alpha3), std::string(m.name)});
  }
  for (Eigen::Index j = 0; j < s.obs.yes.cols(); ++j) {
    RollCall rc;
    rc.rcid = 100 + static_cast<int>(j);
    rc.session = 70;
    rc.date = "2015-10-01";
    data.roll_calls.push_back(rc);
    for (Eigen::Index i = 0; i < s.obs.yes.rows(); ++i) {
      const Vote v = s.obs.observed(i, j) == 0.0 ? Vote::kAbstain
                     : s.obs.yes(i, j) != 0.0    ? Vote::kYes
                                                 : Vote::kNo;
      data.votes.push_back({static_cast<std::int32_t>(j), static_cast<std::int32_t>(i), v});
    }
  }
  data.membership.assign(data.states.size(), {0, static_cast<std::int32_t>(s.obs.yes.cols() - 1)});
  return data;
}

class Outputs : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    synthetic_ = new testing::Synthetic(testing::make_synthetic(40, 80, 2, 0.1, 21));
    data_ = new VoteData(synthetic_data(*synthetic_));
    options_.window.first_session = 70;
    options_.window.last_session = 70;
    options_.window.min_minority = 0.0;
    result_ = new Calibration(calibrate(*data_, options_));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete data_;
    delete synthetic_;
  }
  static inline testing::Synthetic* synthetic_ = nullptr;
  static inline VoteData* data_ = nullptr;
  static inline CalibrationOptions options_;
  static inline Calibration* result_ = nullptr;
};

TEST_F(Outputs, PositionsFileIsValidYamlWithTheAgreedFields) {
  const std::string text = format_positions(*result_, options_, "plenary calibrate --test");
  EXPECT_TRUE(text.starts_with("# Members' positions estimated from recorded UN General Assembly"));
  EXPECT_NE(text.find("# Produced by: plenary calibrate --test"), std::string::npos);
  EXPECT_NE(text.find("without a position here"), std::string::npos);
  const YAML::Node root = YAML::Load(text);
  ASSERT_TRUE(root["positions"].IsSequence());
  EXPECT_EQ(root["positions"].size(), result_->matrix.members.size());
  EXPECT_TRUE(root["description"].IsScalar());
  EXPECT_TRUE(root["data"].IsMap());
  for (const YAML::Node& p : root["positions"]) {
    EXPECT_EQ(p["code"].as<std::string>().size(), 3u);
    EXPECT_EQ(p["position"].size(), 2u);
    EXPECT_GE(p["absence"].as<double>(), 0.0);
    EXPECT_GT(p["data"]["votes"].as<int>(), 0);
    EXPECT_LE(p["data"]["pcc"].as<double>(), 1.0);
    EXPECT_EQ(p["data"]["se"].size(), 2u);
    if (p["code"].as<std::string>() == "USA") {
      EXPECT_GT(p["position"][0].as<double>(), 0.0);
    }
  }
}

// A member with too few votes is dropped and named in the header, with its votes, both
// among the dropped and among the UN members without a position.
TEST_F(Outputs, PositionsHeaderNamesDroppedMembers) {
  VoteData data = *data_;
  std::erase_if(data.votes, [](const CastVote& v) { return v.state == 5 && v.roll_call >= 3; });
  const Calibration r = calibrate(data, options_);
  ASSERT_EQ(r.matrix.dropped_members.size(), 1u);
  const DroppedMember& d = r.matrix.dropped_members[0];
  EXPECT_EQ(d.state.alpha3, data.states[5].alpha3);
  EXPECT_LE(d.votes, 3);
  const std::string text = format_positions(r, options_, "test");
  const std::string header = text.substr(0, text.find("\npositions:"));
  const std::string named = fmt::format("{} {} ({} votes)", d.state.alpha3, d.state.name, d.votes);
  EXPECT_NE(header.find("Dropped for fewer than 20 Yes/No votes: " + named), std::string::npos)
      << header;
  const std::size_t missing = header.find("without a position here");
  ASSERT_NE(missing, std::string::npos);
  EXPECT_NE(header.find(" " + d.state.alpha3, missing), std::string::npos) << header;
  EXPECT_EQ(text.find("code: " + d.state.alpha3 + ","), std::string::npos);
}

TEST_F(Outputs, ReportHasTheRequiredKeys) {
  const auto j = nlohmann::json::parse(format_report(*result_, options_));
  for (const char* key :
       {"dims", "members", "roll_calls", "dropped_lopsided", "dropped_members", "iterations",
        "log_likelihood", "pcc", "apre", "holdout_pcc", "seconds"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["dims"], 2);
  EXPECT_EQ(j["members"], 40);
  EXPECT_EQ(j["roll_calls"], 80);
  EXPECT_DOUBLE_EQ(j["pcc"].get<double>(), result_->fit.pcc);
}

TEST_F(Outputs, RollCallsPlacedInTheWrittenSpaceMatchTheirFit) {
  const testing::DataDir dir("positions");
  dir.write("p.yaml", format_positions(*result_, options_, "test"));
  const PositionsFile file = read_positions(dir.path() / "p.yaml");
  EXPECT_EQ(file.positions.rows(), 40);
  EXPECT_EQ(file.positions.cols(), 2);
  const auto placed = place_roll_calls(*data_, file, {100, 101}, options_.estimator);
  ASSERT_EQ(placed.size(), 2u);
  for (std::size_t k = 0; k < placed.size(); ++k) {
    // Fitted with the members fixed at the written (rounded) positions, a roll call is
    // classified as well as, give or take a vote, in the joint estimation.
    EXPECT_NEAR(placed[k].pcc, result_->fit.roll_call_pcc(static_cast<Eigen::Index>(k)), 0.051);
    EXPECT_EQ(placed[k].yes + placed[k].no,
              result_->fit.cells > 0 ? placed[k].yes + placed[k].no : 0);
  }
  EXPECT_THROW(place_roll_calls(*data_, file, {99}, options_.estimator), DataError);
  EstimatorOptions ordered = options_.estimator;
  ordered.model = IdealPointModel::kOrdered;
  EXPECT_THROW(place_roll_calls(*data_, file, {100}, ordered), UsageError);
}

// A file with a NaN or an infinity in it is worse than no file: scenarios refuse to load
// it. The writers throw a DataError naming the member instead.
TEST_F(Outputs, WritersRefuseNonFiniteNumbers) {
  const std::string code = result_->matrix.members[3].alpha3;
  const auto expect_refused = [&](const auto& write, const std::string& what) {
    try {
      write();
      FAIL() << "expected a DataError for " << what;
    } catch (const DataError& e) {
      EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
    }
  };
  {
    Calibration r = *result_;
    r.estimate.positions(3, 1) = std::numeric_limits<double>::quiet_NaN();
    expect_refused([&] { format_positions(r, options_, "test"); }, "position of " + code);
  }
  {
    Calibration r = *result_;
    r.se(3, 0) = std::numeric_limits<double>::infinity();
    expect_refused([&] { format_positions(r, options_, "test"); }, "standard error of " + code);
  }
  {
    Calibration r = *result_;
    r.fit.member_pcc(3) = std::numeric_limits<double>::quiet_NaN();
    expect_refused([&] { format_report(r, options_); }, "PCC of " + code);
    expect_refused([&] { format_positions(r, options_, "test"); }, "PCC of " + code);
  }
  {
    Calibration r = *result_;
    r.estimate.log_posterior = std::numeric_limits<double>::quiet_NaN();
    expect_refused([&] { format_report(r, options_); }, "log-posterior");
  }
}

TEST(Agreement, VoetensDefinition) {
  VoteMatrix m;
  m.members = {{"AAA", "A"}, {"BBB", "B"}, {"CCC", "C"}};
  m.window_votes.resize(3, 4);
  using V = Vote;
  const auto c = [](V v) { return vote_code(v); };
  m.window_votes << c(V::kYes), c(V::kYes), c(V::kNo), c(V::kAbsent),  //
      c(V::kYes), c(V::kAbstain), c(V::kYes), c(V::kNo),               //
      c(V::kAbsent), c(V::kAbsent), c(V::kAbsent), c(V::kAbsent);
  // A-B: identical 1, Yes/Abstain 0.5, No/Yes 0 over 3 shared roll calls. C voted never.
  EXPECT_EQ(format_agreement(m), "code_a,code_b,n,agreement\nAAA,BBB,3,0.5000\n");
}

TEST(PositionsFileErrors, MissingAndMalformed) {
  const testing::DataDir dir("bad_positions");
  EXPECT_THROW(read_positions(dir.path() / "none.yaml"), DataError);
  dir.write("a.yaml", "members: []\n");
  try {
    read_positions(dir.path() / "a.yaml");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_EQ(e.what(),
              (dir.path() / "a.yaml").string() + ":1: expected a map with a list 'positions:'");
  }
  dir.write("b.yaml",
            "positions:\n  - {code: USA, position: [1, 2]}\n  - {code: RUS, position: [1]}\n");
  EXPECT_THROW(read_positions(dir.path() / "b.yaml"), DataError);
}

TEST(CalibrateErrors, BadResamplingOptions) {
  const auto s = testing::make_synthetic(30, 40, 1, 0.0, 2);
  const VoteData data = synthetic_data(s);
  CalibrationOptions o;
  o.bootstrap = 1;
  EXPECT_THROW(calibrate(data, o), UsageError);
}

}  // namespace
}  // namespace plenary::calibrate

namespace plenary::calibrate {
namespace {

// scenarios/un-members.yaml (tools/make-members) and scenarios/positions-65-72.yaml
// (plenary calibrate) agree with each other and with the member table.
TEST(ScenarioFiles, MemberListAndPositionsAgree) {
  const YAML::Node members = YAML::LoadFile(PLENARY_SOURCE_DIR "/scenarios/un-members.yaml");
  ASSERT_TRUE(members["members"].IsSequence());
  EXPECT_EQ(members["members"].size(), 193u);
  std::set<std::string> codes;
  for (const YAML::Node& m : members["members"]) {
    const auto code = m["code"].as<std::string>();
    EXPECT_NE(find_member_state(code), nullptr) << code;
    codes.insert(code);
    EXPECT_EQ(m["blocs"][0].as<std::string>(), m["group"].as<std::string>());
    for (const YAML::Node& bloc : m["blocs"]) {
      EXPECT_TRUE(members["blocs"][bloc.as<std::string>()].IsMap()) << bloc.as<std::string>();
    }
  }
  EXPECT_EQ(codes.size(), 193u);
  const PositionsFile positions =
      read_positions(PLENARY_SOURCE_DIR "/scenarios/positions-65-72.yaml");
  EXPECT_EQ(positions.positions.cols(), 2);
  for (const std::string& code : positions.codes) EXPECT_TRUE(codes.contains(code)) << code;
  EXPECT_EQ(positions.codes.size(), 193u);
}

}  // namespace
}  // namespace plenary::calibrate
