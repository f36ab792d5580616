// Drafts like a recorded roll call (include/plenary/forecast/like.hpp): the map onto the
// vote rule, the recovery of a planted roll call, and the loader's messages for bad input.
#include "plenary/forecast/like.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "plenary/calibrate/country_codes.hpp"
#include "plenary/calibrate/ideal_points.hpp"
#include "plenary/scenario/loader.hpp"

namespace {

namespace fs = std::filesystem;
using namespace plenary;
using namespace plenary::forecast;

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// A uniform in (0, 1) from the 64-bit Mersenne Twister (whose output the standard fixes).
double uniform(std::mt19937_64& rng) {
  return (static_cast<double>(rng() >> 11) + 0.5) / 9007199254740992.0;
}

TEST(LikeMap, ReproducesThePlacedProbabilitiesExactly) {
  // Any (a, c, b), p and phi: the simulator's P(Yes), P(No) with the mapped q, tau_yes,
  // tau_no equal the ordered model's at every position.
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 20; ++trial) {
    Eigen::VectorXd theta(4);
    theta << -2 + 4 * uniform(rng), 0, -3 + 6 * uniform(rng), -3 + 6 * uniform(rng);
    theta(1) = theta(0) + 3 * uniform(rng);
    const Eigen::Vector2d p(-1 + 2 * uniform(rng), -1 + 2 * uniform(rng));
    const double phi = 0.2 + 4 * uniform(rng);
    const LikeMap m = map_placement(theta, {}, p, phi);
    EXPECT_NEAR(m.tau_yes + m.tau_no, theta(1) - theta(0), 1e-12);
    for (int k = 0; k < 10; ++k) {
      const Eigen::Vector2d x(-2 + 4 * uniform(rng), -2 + 4 * uniform(rng));
      const double util = phi * ((x - m.status_quo).squaredNorm() - (x - p).squaredNorm());
      const double eta = theta.tail(2).dot(x);
      const auto want = calibrate::ordered_probabilities(theta(0) + eta, theta(1) + eta);
      EXPECT_NEAR(sigmoid(util - m.tau_yes), want.yes, 1e-12);
      EXPECT_NEAR(sigmoid(-util - m.tau_no), want.no, 1e-12);
    }
  }
}

// A directory with a roll-call data set in data/unga's layout and a scenario using it.
class LikeFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           fmt::format("plenary_like_{}_{}",
                       ::testing::UnitTest::GetInstance()->current_test_info()->name(),
                       static_cast<long>(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "votes");
  }
  void TearDown() override { fs::remove_all(dir_); }

  static void write(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }

  // The members: the first `n` UN member states, at the given positions.
  std::string members_yaml(const std::vector<Eigen::Vector2d>& x) const {
    std::string out = "members:\n";
    const auto states = calibrate::un_member_states();
    for (std::size_t i = 0; i < x.size(); ++i) {
      out += fmt::format("  - {{code: {}, name: M{}, position: [{:.17g}, {:.17g}]}}\n",
                         states[i].alpha3, i, x[i](0), x[i](1));
    }
    return out;
  }

  // roll_calls.csv rows "rcid,session,,date,unres,amend,para,short,descr" and votes.
  void write_votes(const std::vector<std::string>& roll_calls,
                   const std::vector<std::string>& votes) const {
    std::string rc = "rcid,session,importantvote,date,unres,amend,para,short,descr\n";
    for (const std::string& row : roll_calls) rc += row + "\n";
    write(dir_ / "votes" / "roll_calls.csv", rc);
    std::string v = "rcid,country_code,country,vote\n";
    for (const std::string& row : votes) v += row + "\n";
    write(dir_ / "votes" / "votes.csv", v);
    write(dir_ / "votes" / "roll_call_issues.csv", "rcid,short_name,issue\n");
  }

  fs::path dir_;
};

TEST_F(LikeFiles, RecoversAPlantedRollCallWithinItsStandardErrors) {
  // 193 members spread over [-1.5, 1.5]^2; a draft at p = (0.5, 0.3) against a status quo
  // q = (-0.3, 0.6), phi_fit = 2, tau_yes = 0.4, tau_no = 1.1; the votes drawn from the
  // ordered logit of the vote phase (no peer, bloc or rival terms, no sponsors voting).
  const auto states = calibrate::un_member_states();
  std::mt19937_64 rng(20240601);
  std::vector<Eigen::Vector2d> x;
  for (std::size_t i = 0; i < states.size(); ++i)
    x.emplace_back(-1.5 + 3 * uniform(rng), -1.5 + 3 * uniform(rng));
  const Eigen::Vector2d p(0.5, 0.3);
  const Eigen::Vector2d q(-0.3, 0.6);
  const double phi = 2, tau_yes = 0.4, tau_no = 1.1;
  std::vector<std::string> votes;
  int counts[3] = {0, 0, 0};
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double m = phi * ((x[i] - q).squaredNorm() - (x[i] - p).squaredNorm());
    const double u = uniform(rng);
    const double yes = sigmoid(m - tau_yes), no = sigmoid(-m - tau_no);
    const int v = u < yes ? 0 : (u < yes + no ? 2 : 1);
    ++counts[v];
    votes.push_back(fmt::format("7001,{},M{},{}", states[i].alpha2, i,
                                v == 0   ? "yes"
                                : v == 1 ? "abstain"
                                         : "no"));
  }
  ASSERT_GT(counts[0], 20);
  ASSERT_GT(counts[1], 10);
  ASSERT_GT(counts[2], 20);
  write_votes({"7001,73,,2018-12-05,R/73/901,0,0,A planted text,"}, votes);
  write(dir_ / "s.yaml", members_yaml(x) +
                             "drafts:\n"
                             "  - {id: T, sponsors: [" +
                             std::string(states[0].alpha3) +
                             "], position: [0.5, 0.3], closes: 2,\n"
                             "     like: {roll_call: A/RES/73/901, votes: votes}}\n"
                             "name: planted\n");
  std::vector<LikeSource> likes;
  Scenario s = load_scenario(dir_ / "s.yaml", likes);
  ASSERT_EQ(likes.size(), 1u);
  const std::vector<LikeReport> reports = place_likes(s, likes);
  ASSERT_EQ(reports.size(), 1u);
  const LikeReport& r = reports[0];
  EXPECT_EQ(r.rcid, 7001);
  EXPECT_EQ(r.yes, counts[0]);
  EXPECT_EQ(r.abstain, counts[1]);
  EXPECT_EQ(r.no, counts[2]);
  EXPECT_TRUE(r.converged);
  // Each planted value within three of its standard errors (the seed is fixed).
  for (int k = 0; k < 2; ++k) {
    EXPECT_GT(r.mapped.status_quo_se(k), 0);
    EXPECT_LT(std::abs(r.mapped.status_quo(k) - q(k)), 3 * r.mapped.status_quo_se(k)) << k;
  }
  EXPECT_LT(std::abs(r.mapped.tau_yes - tau_yes), 3 * r.mapped.tau_yes_se);
  EXPECT_LT(std::abs(r.mapped.tau_no - tau_no), 3 * r.mapped.tau_no_se);
  // ... and the standard errors small enough to mean something (a few tenths).
  EXPECT_LT(r.mapped.status_quo_se.maxCoeff(), 0.3);
  EXPECT_LT(std::max(r.mapped.tau_yes_se, r.mapped.tau_no_se), 0.5);
  // The draft now carries them.
  const Draft& d = s.drafts[0];
  EXPECT_EQ(d.status_quo, r.mapped.status_quo);
  EXPECT_EQ(*d.parameters.values[*find_parameter("tau_yes")], r.mapped.tau_yes);
  EXPECT_EQ(*d.parameters.values[*find_parameter("tau_no")], r.mapped.tau_no);
  // The rcid names the same roll call, with the same result.
  write(dir_ / "t.yaml",
        members_yaml(x) +
            "drafts:\n"
            "  - {id: T, sponsors: [" +
            std::string(states[0].alpha3) +
            "], position: [0.5, 0.3], closes: 2, status_quo: [0, 0],\n"
            "     like: {roll_call: 7001, votes: votes}, parameters: {tau_no: 2}}\n"
            "name: planted\n");
  Scenario t = load_scenario(dir_ / "t.yaml", likes);
  const auto again = place_likes(t, likes);
  EXPECT_EQ(again[0].mapped.tau_yes, r.mapped.tau_yes);
  // Fields given beside `like:` are kept.
  EXPECT_EQ(t.drafts[0].status_quo, Eigen::Vector2d(0, 0));
  EXPECT_EQ(*t.drafts[0].parameters.values[*find_parameter("tau_no")], 2.0);
  EXPECT_EQ(*t.drafts[0].parameters.values[*find_parameter("tau_yes")], r.mapped.tau_yes);
  EXPECT_TRUE(again[0].status_quo_given);
  EXPECT_TRUE(again[0].tau_no_given);
  EXPECT_FALSE(again[0].tau_yes_given);
}

// The message of loading and placing `draft` (a draft's YAML) against the votes written.
class LikeErrors : public LikeFiles {
 protected:
  std::string error_of(const std::string& like) {
    const auto states = calibrate::un_member_states();
    std::vector<Eigen::Vector2d> x;
    for (int i = 0; i < 4; ++i) x.emplace_back(i, -i);
    write(dir_ / "s.yaml", "name: bad\n" + members_yaml(x) +
                               "drafts:\n"
                               "  - id: T\n"
                               "    sponsors: [" +
                               std::string(states[0].alpha3) +
                               "]\n"
                               "    closes: 2\n"
                               "    like: " +
                               like + "\n");
    try {
      std::vector<LikeSource> likes;
      Scenario s = load_scenario(dir_ / "s.yaml", likes);
      place_likes(s, likes);
    } catch (const ScenarioError& e) {
      const std::string file = (dir_ / "s.yaml").string();
      std::string what = e.what();
      if (what.rfind(file, 0) == 0) what = "FILE" + what.substr(file.size());
      return what;
    }
    return "no error";
  }
  void SetUp() override {
    LikeFiles::SetUp();
    const auto states = calibrate::un_member_states();
    std::vector<std::string> votes;
    for (int i = 0; i < 4; ++i)
      votes.push_back(fmt::format("10,{},X,{}", states[i].alpha2, i % 2 ? "yes" : "no"));
    votes.push_back("12,ZZ,Nowhere,yes");
    write_votes(
        {"10,73,,2018-12-05,R/73/27,0,0,Developments,",
         "11,73,,2018-12-06,R/73/266,0,1,A paragraph,", "12,73,,2018-12-06,R/73/266,0,0,Advancing,",
         "13,73,,2018-12-07,R/73/300,0,0,No votes,"},
        votes);
  }
};

TEST_F(LikeErrors, NamesThePlaceAndTheFix) {
  EXPECT_EQ(error_of("{roll_call: A/RES/73/28, votes: votes}"),
            "FILE:11:23: no roll call on resolution 'A/RES/73/28' in the votes at 'votes' (did you "
            "mean 'R/73/27', rcid 10, 2018-12-05?)");
  EXPECT_EQ(
      error_of("{roll_call: 99, votes: votes}"),
      "FILE:11:23: roll call 99 is not in the votes at 'votes' (their rcids run from 10 to 13; or "
      "give a resolution symbol, e.g. 'A/RES/73/27')");
  EXPECT_EQ(
      error_of("{roll_call: A/RES/73/266, votes: votes}"),
      "FILE:11:23: resolution 'A/RES/73/266' has 2 roll calls in the votes at 'votes': rcid 11 "
      "(2018-12-06, a paragraph), rcid 12 (2018-12-06); give the one meant by its rcid, e.g. "
      "'roll_call: 11'");
  EXPECT_EQ(
      error_of("{roll_call: 13, votes: votes}"),
      "FILE:11:23: roll call 13 ('R/73/300', rcid 13, 2018-12-07) has no recorded votes by the "
      "scenario's members in 'votes': a vote adopted without a vote cannot be placed; name a "
      "recorded vote");
  const std::string missing = (dir_ / "nowhere").string();
  EXPECT_EQ(error_of("{roll_call: 10, votes: nowhere}"),
            "FILE:11:34: no votes at '" + missing +
                "' (the path is relative to the scenario file's directory; give a directory in "
                "data/unga's layout, e.g. '../data/unga', or a voting-data CSV file)");
  EXPECT_EQ(error_of("{roll_call: 10}"), "FILE:11:11: missing required key 'votes' in 'like'");
  EXPECT_EQ(error_of("{roll_call: 10, vote: votes}"),
            "FILE:11:27: unknown key 'vote' (did you mean 'votes'?)");
  // A correct entry places.
  EXPECT_EQ(error_of("{roll_call: 10, votes: votes}"), "no error");
  // A reader that does not load the votes refuses `like:` rather than ignore it.
  try {
    load_scenario(dir_ / "s.yaml");
    ADD_FAILURE() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.message(),
              "'like' needs the roll-call data, which this reader does not load (a program "
              "places it with load_scenario(file, likes) and forecast::place_likes())");
    EXPECT_EQ(e.where().line, 11);
  }
}

}  // namespace
