// The engine's frequencies against MODEL.md's closed forms. Tolerances are 4 standard
// errors of the estimate, computed from the true probability; seeds are fixed.
#include <gtest/gtest.h>

#include <cmath>

#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"
#include "plenary/model/rules.hpp"
#include "plenary/stats/summary.hpp"
#include "support/assembly.hpp"

namespace plenary {
namespace {

using testing::AssemblyBuilder;

double logistic(double z) { return 1 / (1 + std::exp(-z)); }

Results run(const Scenario& s, long k, std::uint64_t seed) {
  RunOptions o;
  o.replicates = k;
  o.seed = seed;
  o.threads = 2;
  return simulate(compile(s), o);
}

void expect_probability(std::uint64_t hits, std::uint64_t n, double p, const std::string& what) {
  const double se = std::sqrt(p * (1 - p) / static_cast<double>(n));
  EXPECT_NEAR(static_cast<double>(hits) / static_cast<double>(n), p, 4 * se + 1e-12) << what;
}

// Without social terms every non-sponsor joins each open round independently with
// p_i = sigmoid(theta_0 - theta_fit |x_i - p_r|^2): after t open rounds it sponsors with
// probability 1 - (1 - p_i)^t, and the count is a sum of independent Bernoullis.
class BinomialJoins : public ::testing::TestWithParam<std::uint64_t> {};

TEST_P(BinomialJoins, RoundByRound) {
  AssemblyBuilder b;
  const std::vector<std::vector<double>> xs = {{0, 0},      {0.5, 0}, {1, 1},   {-1, 0.5},
                                               {0.2, -0.7}, {2, 0},   {0, 0.1}, {-0.3, -0.3}};
  for (std::size_t i = 0; i < xs.size(); ++i) b.member("M" + std::to_string(i), xs[i]);
  b.bloc("B", {"M0", "M1", "M2"});
  b.tie("M3", "M0", 1);
  b.draft("D", {"M0"}, 6);
  b.last_draft().opens = 2;  // open in rounds 2..5: four rounds of joining
  b.last_draft().position = Eigen::Vector2d(0.1, 0.1);
  Parameters& p = b.parameters();
  testing::switch_off_social_terms(p);
  p.theta_0 = -1.5;
  p.theta_fit = 0.8;
  const Scenario s = b.build();
  const long k = 20000;
  const Results r = run(s, k, GetParam());
  const Model m = compile(s);
  const Summary summary = summarise(m, r, {});
  const DraftCounts& c = r.drafts[0];

  std::vector<double> p_join(xs.size());
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double d2 =
        (m.positions.row(static_cast<Eigen::Index>(i)).transpose() - m.drafts[0].position)
            .squaredNorm();
    p_join[i] = i == 0 ? 1.0 : logistic(p.theta_0 - p.theta_fit * d2);
  }
  for (int t = 0; t <= 6; ++t) {
    const int open_rounds = std::clamp(t - 2, 0, 4);
    double mean = 0;
    double var = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      const double q = i == 0 ? 1.0 : 1 - std::pow(1 - p_join[i], open_rounds);
      mean += q;
      var += q * (1 - q);
      if (t == 6) expect_probability(c.member_sponsor[i], k, q, "member " + std::to_string(i));
    }
    const double se = std::sqrt(var / k);
    EXPECT_NEAR(summary.drafts[0].sponsors_by_round[static_cast<std::size_t>(t)].mean, mean,
                4 * se + 1e-12)
        << "after round " << t;
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, BinomialJoins, ::testing::Values(1u, 2u, 3u));

// In the first round every term of z_ir(0) is known from the original sponsors alone, so
// a one-round draft checks each term's formula: peer, bloc, lobby and rival.
TEST(FirstRound, EveryTermOfTheJoinLogit) {
  AssemblyBuilder b;
  b.member("S1", {0.5, 0}, 2)
      .member("S2", {0, 0.5}, 1)
      .member("A", {0.2, 0.2})
      .member("B", {-0.4, 0.1}, 0.5)
      .member("C", {1, -1})
      .member("R", {0, 0}, 1.5);
  b.bloc("G", {"S1", "A", "B"}).bloc("H", {"S2", "B", "C", "R"}, 2.0);
  b.tie("A", "S2", 0.7).tie("C", "S1", 1.0).tie("R", "A", 1.0);
  b.draft("D", {"S1", "S2"}, 1);
  b.last_draft().position = Eigen::Vector2d(0.3, 0.1);
  b.last_draft().lobbying = 1.3;
  b.draft("E", {"R"}, 1);
  b.last_draft().rivals = {0};
  Parameters& p = b.parameters();
  p.theta_0 = -1;
  p.theta_fit = 1.2;
  p.theta_peer = 1.5;
  p.theta_bloc = 2;
  p.theta_lobby = 0.8;
  p.theta_rival = 1.1;
  const Scenario s = b.build();
  const Model m = compile(s);
  const long k = 40000;
  const Results r = run(s, k, 5);

  // s(0) for draft D: S1 and S2. W s, bloc shares and the lobby share by hand.
  const Eigen::MatrixXd w(m.ties);
  Eigen::VectorXd s0 = Eigen::VectorXd::Zero(6);
  s0(0) = s0(1) = 1;
  const Eigen::VectorXd peer = w * s0;
  const double lobby = 1.3 * (2 + 1) / (2 + 1 + 1 + 0.5 + 1 + 1.5);
  // Bloc G has S1 (1 of 3 sponsors), H has S2 (1 of 4).
  const std::vector<double> bloc = {0, 0, 1.0 / 3, (1.0 / 3 + 1.0 / 4) / 2, 1.0 / 4, 1.0 / 4};
  for (int i = 2; i < 6; ++i) {
    const double d2 = (m.positions.row(i).transpose() - m.drafts[0].position).squaredNorm();
    const double rival = i == 5 ? 1 : 0;  // R sponsors E, D's rival (made mutual)
    const double z = p.theta_0 - p.theta_fit * d2 + p.theta_peer * peer(i) +
                     p.theta_bloc * bloc[static_cast<std::size_t>(i)] + p.theta_lobby * lobby -
                     p.theta_rival * rival;
    expect_probability(r.drafts[0].member_sponsor[static_cast<std::size_t>(i)], k, logistic(z),
                       s.members[static_cast<std::size_t>(i)].code);
  }
}

// Vote shares against the ordered logit: P(Yes) = (1 - a) sigmoid(m - tau_yes),
// P(No) = (1 - a) sigmoid(-tau_no - m), P(absent) = a.
TEST(Vote, SharesMatchTheOrderedLogit) {
  AssemblyBuilder b;
  b.member("S", {1, 0})
      .member("A", {0.3, 0.2})
      .member("B", {-0.5, 0.5}, 1, 0.3)
      .member("C", {0.1, -0.2})
      .member("E", {-1, -1});
  b.draft("D", {"S"}, 1);
  b.last_draft().position = Eigen::Vector2d(0.6, 0.1);
  b.last_draft().status_quo = Eigen::Vector2d(-0.2, 0.1);
  Parameters& p = b.parameters();
  testing::switch_off_social_terms(p);
  p.theta_0 = -1000;
  p.phi_fit = 1.7;
  p.tau_yes = 0.4;
  p.tau_no = 0.9;
  const Scenario s = b.build();
  const Model m = compile(s);
  const long k = 40000;
  const Results r = run(s, k, 9);
  const DraftCounts& c = r.drafts[0];
  ASSERT_EQ(c.stood, static_cast<std::uint64_t>(k));
  for (int i = 1; i < 5; ++i) {
    const Eigen::VectorXd x = m.positions.row(i).transpose();
    const double util = p.phi_fit * ((x - m.drafts[0].status_quo).squaredNorm() -
                                     (x - m.drafts[0].position).squaredNorm());
    const double present = 1 - m.absence(i);
    const VoteProbabilities v = rules::vote_probabilities(util, p, 0.0);
    const auto at = [&](Vote vote) {
      return c.member_votes[kVotes * static_cast<std::size_t>(i) + vote_index(vote)];
    };
    const std::string code = s.members[static_cast<std::size_t>(i)].code;
    expect_probability(at(Vote::kYes), c.stood, present * v.yes, code + " yes");
    expect_probability(at(Vote::kNo), c.stood, present * v.no, code + " no");
    expect_probability(at(Vote::kAbstain), c.stood, present * v.abstain, code + " abstain");
    expect_probability(at(Vote::kAbsent), c.stood, 1 - present, code + " absent");
  }
}

// Abstention habits (docs/model.md, "Extensions"): a member with habit h votes by the
// ordered logit with cut points tau_yes + h and tau_no + h, written out here with std::exp:
// P(Yes) = (1 - a) sigmoid(m - tau_yes - h), P(No) = (1 - a) sigmoid(-m - tau_no - h). A
// large habit makes Abstain the most likely vote of a member between text and status quo.
TEST(Vote, AbstentionHabitsWidenTheBandAsTheOrderedLogitSays) {
  AssemblyBuilder b;
  b.member("S", {1, 0})
      .member("A", {0.3, 0.2})
      .member("B", {-0.5, 0.5}, 1, 0.3)
      .member("C", {0.1, -0.2})
      .member("E", {-1, -1});
  b.draft("D", {"S"}, 1);
  b.last_draft().position = Eigen::Vector2d(0.6, 0.1);
  b.last_draft().status_quo = Eigen::Vector2d(-0.2, 0.1);
  Parameters& p = b.parameters();
  testing::switch_off_social_terms(p);
  p.theta_0 = -1000;
  p.phi_fit = 1.7;
  p.tau_yes = 0.4;
  p.tau_no = 0.9;
  const std::vector<double> habit = {0, 2.5, 1.5, -0.6, 0.8};
  for (std::size_t i = 0; i < habit.size(); ++i) b.scenario().members[i].abstain_habit = habit[i];
  const Scenario s = b.build();
  const Model m = compile(s);
  const long k = 40000;
  const Results r = run(s, k, 11);
  const DraftCounts& c = r.drafts[0];
  ASSERT_EQ(c.stood, static_cast<std::uint64_t>(k));
  const auto sig = [](double z) { return 1 / (1 + std::exp(-z)); };
  for (int i = 1; i < 5; ++i) {
    const Eigen::VectorXd x = m.positions.row(i).transpose();
    const double util = p.phi_fit * ((x - m.drafts[0].status_quo).squaredNorm() -
                                     (x - m.drafts[0].position).squaredNorm());
    const double present = 1 - m.absence(i);
    const double h = habit[static_cast<std::size_t>(i)];
    const double yes = sig(util - p.tau_yes - h);
    const double no = sig(-util - p.tau_no - h);
    const auto at = [&](Vote vote) {
      return c.member_votes[kVotes * static_cast<std::size_t>(i) + vote_index(vote)];
    };
    const std::string code = s.members[static_cast<std::size_t>(i)].code;
    expect_probability(at(Vote::kYes), c.stood, present * yes, code + " yes");
    expect_probability(at(Vote::kNo), c.stood, present * no, code + " no");
    expect_probability(at(Vote::kAbstain), c.stood, present * (1 - yes - no), code + " abstain");
    expect_probability(at(Vote::kAbsent), c.stood, 1 - present, code + " absent");
  }
  // Not vacuous: A (m = 0.272, h = 2.5) abstains 91% of the time; without its habit it
  // would vote Yes more often than it abstains.
  const auto a_abstain = c.member_votes[kVotes * 1 + vote_index(Vote::kAbstain)];
  const auto a_yes = c.member_votes[kVotes * 1 + vote_index(Vote::kYes)];
  EXPECT_GT(a_abstain, 3 * a_yes);
}

TEST(Summary, NearestRankPercentilesAndStandardError) {
  // Values 1..20 once each: 5% -> rank 1 -> 1; 50% -> rank 10 -> 10; 95% -> rank 19 -> 19.
  std::vector<std::uint64_t> hist(21, 1);
  hist[0] = 0;
  const auto d = summarise_histogram(hist.data(), hist.size());
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->p5, 1);
  EXPECT_EQ(d->p50, 10);
  EXPECT_EQ(d->p95, 19);
  EXPECT_DOUBLE_EQ(d->mean, 10.5);
  EXPECT_NEAR(*d->se, std::sqrt(35.0 / 20), 1e-12);  // sample variance 35 = 20*21/12
  std::vector<std::uint64_t> one = {0, 0, 1};
  EXPECT_FALSE(summarise_histogram(one.data(), 3)->se.has_value());
  std::vector<std::uint64_t> none = {0, 0};
  EXPECT_FALSE(summarise_histogram(none.data(), 2).has_value());
}

}  // namespace
}  // namespace plenary
