// The rules of MODEL.md, phase 2 and withdrawal, on assemblies whose every vote is certain.
#include "plenary/model/rules.hpp"

#include <gtest/gtest.h>

#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"
#include "support/assembly.hpp"

namespace plenary {
namespace {

using testing::AssemblyBuilder;

constexpr long kReplicates = 64;

// In one dimension with p = +1 and q = -1, the spatial utility is phi_fit * 4x: with
// phi_fit = 100 and tau = 50, x = +1 votes Yes, x = -1 No and x = 0 abstains in every
// replicate (the logistic noise of a 32-bit uniform never exceeds 23 in size).
AssemblyBuilder certain_assembly(int yes, int no, int abstain) {
  AssemblyBuilder b(1);
  b.member("SPO", {1.0});
  for (int k = 0; k < yes; ++k) b.member("Y" + std::to_string(k), {1.0});
  for (int k = 0; k < no; ++k) b.member("N" + std::to_string(k), {-1.0});
  for (int k = 0; k < abstain; ++k) b.member("A" + std::to_string(k), {0.0});
  b.draft("D", {"SPO"}, 1);
  b.last_draft().position = Eigen::VectorXd::Constant(1, 1.0);
  b.last_draft().status_quo = Eigen::VectorXd::Constant(1, -1.0);
  Parameters& p = b.parameters();
  testing::switch_off_social_terms(p);
  p.theta_0 = -1000;  // nobody joins: the sponsor is the only co-sponsor
  p.phi_fit = 100;
  p.tau_yes = p.tau_no = 50;
  return b;
}

Results run(const Scenario& s, long k = kReplicates) {
  RunOptions o;
  o.replicates = k;
  o.seed = 11;
  o.threads = 1;
  return simulate(compile(s), o);
}

// The recorded tally of a draft whose vote is the same in every replicate.
std::array<long, kVotes> certain_tally(const DraftCounts& c, int members) {
  std::array<long, kVotes> tally{};
  const auto n1 = static_cast<std::size_t>(members) + 1;
  for (std::size_t v = 0; v < kVotes; ++v) {
    for (std::size_t x = 0; x < n1; ++x) {
      if (c.tally[v * n1 + x] == c.recorded) tally[v] = static_cast<long>(x);
    }
  }
  return tally;
}

TEST(Majority, Rules) {
  EXPECT_TRUE(rules::adopted(Majority::kSimple, 2, 1));
  EXPECT_FALSE(rules::adopted(Majority::kSimple, 1, 1));  // a tie fails
  EXPECT_FALSE(rules::adopted(Majority::kSimple, 0, 0));  // 0-0 fails
  EXPECT_FALSE(rules::adopted(Majority::kTwoThirds, 0, 0));
  EXPECT_TRUE(rules::adopted(Majority::kTwoThirds, 2, 1));   // exactly two thirds
  EXPECT_FALSE(rules::adopted(Majority::kTwoThirds, 3, 2));  // 60%
  EXPECT_TRUE(rules::adopted(Majority::kTwoThirds, 200, 100));
  EXPECT_FALSE(rules::adopted(Majority::kTwoThirds, 199, 100));
  EXPECT_TRUE(rules::adopted(Majority::kSimple, 3, 2));
}

TEST(Vote, SimpleMajorityCountsOnlyYesAndNo) {
  // 1 sponsor + 1 Yes against 1 No, with 5 abstentions: adopted.
  const Results r = run(certain_assembly(1, 1, 5).build());
  const DraftCounts& c = r.drafts[0];
  EXPECT_EQ(c.recorded, static_cast<std::uint64_t>(kReplicates));
  EXPECT_EQ(c.adopted, static_cast<std::uint64_t>(kReplicates));
  EXPECT_EQ(c.without_vote, 0u);
  const auto tally = certain_tally(c, r.members);
  EXPECT_EQ(tally, (std::array<long, kVotes>{2, 1, 5, 0}));
}

TEST(Vote, TieFailsUnderSimpleMajority) {
  const Results r = run(certain_assembly(0, 1, 0).build());
  EXPECT_EQ(r.drafts[0].recorded, static_cast<std::uint64_t>(kReplicates));
  EXPECT_EQ(r.drafts[0].adopted, 0u);
}

TEST(Vote, TwoThirds) {
  auto at_least = certain_assembly(1, 1, 3);  // 2-1: exactly two thirds
  at_least.last_draft().majority = Majority::kTwoThirds;
  EXPECT_EQ(run(at_least.build()).drafts[0].adopted, static_cast<std::uint64_t>(kReplicates));
  auto short_of = certain_assembly(2, 2, 0);  // 3-2: a simple majority only
  short_of.last_draft().majority = Majority::kTwoThirds;
  EXPECT_EQ(run(short_of.build()).drafts[0].adopted, 0u);
  short_of.last_draft().majority = Majority::kSimple;
  EXPECT_EQ(run(short_of.build()).drafts[0].adopted, static_cast<std::uint64_t>(kReplicates));
}

TEST(Vote, NobodyAgainstMeansAdoptedWithoutAVote) {
  // Yes and abstentions only: nobody asks for a recorded vote, so there is no tally.
  const Results r = run(certain_assembly(2, 0, 3).build());
  const DraftCounts& c = r.drafts[0];
  EXPECT_EQ(c.recorded, 0u);
  EXPECT_EQ(c.without_vote, static_cast<std::uint64_t>(kReplicates));
  EXPECT_EQ(c.adopted, static_cast<std::uint64_t>(kReplicates));
}

TEST(Vote, RhoZeroMeansNobodyAsksForAVote) {
  auto b = certain_assembly(0, 3, 0);
  b.parameters().rho = 0;
  const DraftCounts c = run(b.build()).drafts[0];
  EXPECT_EQ(c.recorded, 0u);
  EXPECT_EQ(c.without_vote, static_cast<std::uint64_t>(kReplicates));
  // The intended votes are still counted.
  EXPECT_EQ(c.member_votes[kVotes * 1 + vote_index(Vote::kNo)],
            static_cast<std::uint64_t>(kReplicates));
}

TEST(Vote, RhoIsTheChanceEachNoVoterAsks) {
  // Two certain No voters, each asking with probability 1/2: P(without a vote) = 1/4.
  auto b = certain_assembly(0, 2, 0);
  b.parameters().rho = 0.5;
  const long k = 20000;
  const DraftCounts c = run(b.build(), k).drafts[0];
  const double p = static_cast<double>(c.without_vote) / k;
  EXPECT_NEAR(p, 0.25, 4 * std::sqrt(0.25 * 0.75 / k));
}

TEST(Vote, ArticleNineteenMembersSponsorButDoNotVote) {
  AssemblyBuilder b = certain_assembly(1, 1, 0);
  b.member("ARR", {-1.0}, 1, 0, /*votes=*/false);  // would vote No if it could
  b.last_draft().sponsors.push_back(b.scenario().find_member("ARR"));
  const Results r = run(b.build());
  const DraftCounts& c = r.drafts[0];
  const auto tally = certain_tally(c, r.members);
  EXPECT_EQ(tally, (std::array<long, kVotes>{2, 1, 0, 0}));  // nor counted absent
  EXPECT_EQ(c.member_sponsor[3], static_cast<std::uint64_t>(kReplicates));
  for (const Vote v : kAllVotes) EXPECT_EQ(c.member_votes[kVotes * 3 + vote_index(v)], 0u);
}

TEST(Vote, AbsentMembersAreCountedAbsent) {
  AssemblyBuilder b = certain_assembly(1, 1, 0);
  b.member("AWY", {-1.0}, 1, /*absence=*/1.0);
  const Results r = run(b.build());
  const auto tally = certain_tally(r.drafts[0], r.members);
  EXPECT_EQ(tally, (std::array<long, kVotes>{2, 1, 0, 1}));
}

TEST(Withdrawal, BelowThresholdIsWithdrawnAndNotVotedOn) {
  // Expected Yes share: the sponsor's 1 of 3 present and voting.
  auto b = certain_assembly(0, 2, 0);
  b.last_draft().withdraw_below = 0.4;
  const DraftCounts c = run(b.build()).drafts[0];
  EXPECT_EQ(c.withdrawn, static_cast<std::uint64_t>(kReplicates));
  EXPECT_EQ(c.stood, 0u);
  EXPECT_EQ(c.recorded, 0u);
  EXPECT_EQ(c.adopted, 0u);
  b.last_draft().withdraw_below = 0.3;
  const DraftCounts kept = run(b.build()).drafts[0];
  EXPECT_EQ(kept.withdrawn, 0u);
  EXPECT_EQ(kept.stood, static_cast<std::uint64_t>(kReplicates));
}

TEST(Withdrawal, AbsenceWeightsTheExpectedShare) {
  // Sponsor Yes, one No voter absent 90% of the time: share 1 / (1 + 0.1) > 0.85.
  AssemblyBuilder b(1);
  b.member("SPO", {1.0}).member("NO", {-1.0}, 1, 0.9);
  b.draft("D", {"SPO"}, 1);
  b.last_draft().position = Eigen::VectorXd::Constant(1, 1.0);
  b.last_draft().status_quo = Eigen::VectorXd::Constant(1, -1.0);
  b.last_draft().withdraw_below = 0.85;
  testing::switch_off_social_terms(b.parameters());
  b.parameters().theta_0 = -1000;
  b.parameters().phi_fit = 100;
  EXPECT_EQ(run(b.build()).drafts[0].withdrawn, 0u);
  b.last_draft().withdraw_below = 0.95;
  EXPECT_EQ(run(b.build()).drafts[0].withdrawn, static_cast<std::uint64_t>(kReplicates));
}

TEST(Withdrawal, AWithdrawnRivalDropsOutOfTheVote) {
  // "OWN" sponsors draft A (withdrawn for certain) and would vote Yes on its rival B but
  // for the rival term; while A stands the rival term makes it vote No.
  AssemblyBuilder b(1);
  b.member("OWN", {1.0}).member("BSP", {1.0}).member("NO1", {-1.0}).member("NO2", {-1.0});
  b.draft("A", {"OWN"}, 1);
  b.last_draft().position = Eigen::VectorXd::Constant(1, 1.0);
  b.last_draft().status_quo = Eigen::VectorXd::Constant(1, -1.0);
  b.last_draft().withdraw_below = 0.9;
  b.draft("B", {"BSP"}, 1);
  b.last_draft().position = Eigen::VectorXd::Constant(1, 1.0);
  b.last_draft().status_quo = Eigen::VectorXd::Constant(1, -1.0);
  b.last_draft().rivals = {0};
  Parameters& p = b.parameters();
  testing::switch_off_social_terms(p);
  p.theta_0 = -1000;
  p.phi_fit = 10;  // OWN's utility on B: 40 - phi_rival * 1
  p.phi_rival = 200;
  p.tau_yes = p.tau_no = 1;
  const Results withdrawn = run(b.build());
  EXPECT_EQ(withdrawn.drafts[0].withdrawn, static_cast<std::uint64_t>(kReplicates));
  EXPECT_EQ(withdrawn.drafts[1].member_votes[kVotes * 0 + vote_index(Vote::kYes)],
            static_cast<std::uint64_t>(kReplicates));
  b.scenario().drafts[0].withdraw_below.reset();
  const Results standing = run(b.build());
  EXPECT_EQ(standing.drafts[1].member_votes[kVotes * 0 + vote_index(Vote::kNo)],
            static_cast<std::uint64_t>(kReplicates));
}

TEST(Rivalry, IsMutual) {
  // Rivalry declared on A only. Everyone would join both drafts at once, but nobody
  // sponsoring one ever joins the other.
  AssemblyBuilder b(1);
  b.member("SA", {0.0}).member("SB", {0.0}).member("X", {0.0});
  b.draft("A", {"SA"}, 1);
  b.last_draft().rivals = {1};
  b.draft("B", {"SB"}, 1);
  Parameters& p = b.parameters();
  testing::switch_off_social_terms(p);
  p.theta_0 = 30;
  p.theta_rival = 100;
  const Model model = compile(b.build());
  EXPECT_EQ(model.drafts[1].rivals, std::vector<int>{0});
  const Results r = run(b.build());
  EXPECT_EQ(r.drafts[0].member_sponsor[1], 0u);  // SB never joins A
  EXPECT_EQ(r.drafts[1].member_sponsor[0], 0u);  // SA never joins B
  // X decides for both in the same round, before either rival term applies to it.
  EXPECT_EQ(r.drafts[0].member_sponsor[2], static_cast<std::uint64_t>(kReplicates));
  EXPECT_EQ(r.drafts[1].member_sponsor[2], static_cast<std::uint64_t>(kReplicates));
}

}  // namespace
}  // namespace plenary
