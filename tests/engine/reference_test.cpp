// The engine against a second, deliberately plain implementation of MODEL.md written
// from the text: one replicate at a time, a fresh matrix product W s_r every round,
// sigmoid() compared directly. Both read the same counter-based random numbers, so the
// counts must agree exactly (a disagreement could only come from a uniform falling within
// rounding error of a probability, which the seeds here do not hit).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "plenary/core/random.hpp"
#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"
#include "plenary/model/rules.hpp"
#include "support/assembly.hpp"

namespace plenary {
namespace {

using testing::AssemblyBuilder;
using Matrix = Eigen::MatrixXd;

struct Reference {
  const Scenario& s;
  const Model& m;  // for W and the resolved draft positions only
  std::uint64_t seed;

  double bloc_share(const Matrix& S, int i, int r) const {
    const auto& blocs = s.members[static_cast<std::size_t>(i)].blocs;
    if (blocs.empty()) return 0;
    double sum = 0;
    for (int g : blocs) {
      double in = 0;
      for (int j : s.blocs[static_cast<std::size_t>(g)].members) in += S(j, r);
      sum += in / static_cast<double>(s.blocs[static_cast<std::size_t>(g)].members.size());
    }
    return sum / static_cast<double>(blocs.size());
  }

  double rivals(const Matrix& S, int i, int r, const std::vector<bool>& standing) const {
    double n = 0;
    for (int q : m.drafts[static_cast<std::size_t>(r)].rivals) {
      if (standing[static_cast<std::size_t>(q)]) n += S(i, q);
    }
    return n;
  }

  double utility(const Matrix& S, const Matrix& W, int i, int r,
                 const std::vector<bool>& standing) const {
    const ModelDraft& d = m.drafts[static_cast<std::size_t>(r)];
    const Eigen::VectorXd x = s.members[static_cast<std::size_t>(i)].position;
    const Eigen::VectorXd peer = W * S.col(r);
    return d.params.phi_fit * ((x - d.status_quo).squaredNorm() - (x - d.position).squaredNorm()) +
           d.params.phi_peer * peer(i) + d.params.phi_bloc * bloc_share(S, i, r) -
           d.params.phi_rival * rivals(S, i, r, standing);
  }

  // P(Yes), P(No) of a non-sponsor with utility u and abstention habit h, plainly.
  static VoteProbabilities ordered_logit(double u, const Parameters& p, double h) {
    VoteProbabilities v;
    v.yes = rules::sigmoid(u - (p.tau_yes + h));
    v.no = rules::sigmoid(-(p.tau_no + h) - u);
    v.abstain = 1 - v.yes - v.no;
    return v;
  }

  void replicate(long k, Results& out) const {
    const int n = m.members;
    const int R = static_cast<int>(m.drafts.size());
    const Matrix W(m.ties);
    Matrix S = Matrix::Zero(n, R);
    for (int r = 0; r < R; ++r) {
      for (int j : s.drafts[static_cast<std::size_t>(r)].sponsors) S(j, r) = 1;
    }
    auto record = [&](int t) {
      for (int r = 0; r < R; ++r) {
        const auto count = static_cast<std::size_t>(S.col(r).sum());
        out.drafts[static_cast<std::size_t>(r)]
            .sponsors_by_round[static_cast<std::size_t>(t) * (n + 1) + count] += 1;
      }
    };
    record(0);
    const std::vector<bool> all(static_cast<std::size_t>(R), true);
    double total_clout = 0;
    for (const Member& mem : s.members) total_clout += mem.clout;
    for (int t = 0; t < m.rounds; ++t) {
      Matrix next = S;
      for (int r = 0; r < R; ++r) {
        const ModelDraft& d = m.drafts[static_cast<std::size_t>(r)];
        if (t < d.opens || t >= d.closes) continue;
        const Eigen::VectorXd peer = W * S.col(r);
        double clout = 0;
        for (int j = 0; j < n; ++j) clout += s.members[static_cast<std::size_t>(j)].clout * S(j, r);
        const auto& barred = d.barred;
        for (int i = 0; i < n; ++i) {
          if (S(i, r) == 1) continue;
          // A member barred from sponsoring (what-if --forbid) never joins.
          if (std::find(barred.begin(), barred.end(), i) != barred.end()) continue;
          const Eigen::VectorXd x = s.members[static_cast<std::size_t>(i)].position;
          const Parameters& p = d.params;
          const double z = p.theta_0 - p.theta_fit * (x - d.position).squaredNorm() +
                           p.theta_peer * peer(i) + p.theta_bloc * bloc_share(S, i, r) +
                           p.theta_lobby * d.lobbying * clout / total_clout -
                           p.theta_rival * rivals(S, i, r, all);
          const auto words = philox_block(
              seed, static_cast<std::uint32_t>(k / 4), Phase::kSponsorship,
              static_cast<std::uint32_t>(t),
              pair_key(stream_key(s.members[static_cast<std::size_t>(i)].code), stream_key(d.id)));
          if (to_uniform(words[static_cast<std::size_t>(k % 4)]) < rules::sigmoid(z)) {
            next(i, r) = 1;
          }
        }
      }
      S = next;
      record(t + 1);
    }
    for (int r = 0; r < R; ++r) {
      for (int i = 0; i < n; ++i)
        out.drafts[static_cast<std::size_t>(r)].member_sponsor[static_cast<std::size_t>(i)] +=
            S(i, r) == 1;
    }
    vote(k, S, W, out);
  }

  void vote(long k, const Matrix& S, const Matrix& W, Results& out) const {
    const int n = m.members;
    const int R = static_cast<int>(m.drafts.size());
    const std::vector<bool> all(static_cast<std::size_t>(R), true);
    std::vector<bool> standing(static_cast<std::size_t>(R), true);
    for (int r = 0; r < R; ++r) {
      const ModelDraft& d = m.drafts[static_cast<std::size_t>(r)];
      if (!d.withdraw_below) continue;
      double yes = 0, voting = 0;
      for (int i = 0; i < n; ++i) {
        const Member& mem = s.members[static_cast<std::size_t>(i)];
        if (!mem.votes) continue;
        const VoteProbabilities v =
            S(i, r) == 1 ? VoteProbabilities{1, 0, 0}
                         : ordered_logit(utility(S, W, i, r, all), d.params, mem.abstain_habit);
        yes += (1 - mem.absence) * v.yes;
        voting += (1 - mem.absence) * (v.yes + v.no);
      }
      standing[static_cast<std::size_t>(r)] = !(voting > 0 && yes / voting < *d.withdraw_below);
    }
    for (int r = 0; r < R; ++r) {
      DraftCounts& c = out.drafts[static_cast<std::size_t>(r)];
      if (!standing[static_cast<std::size_t>(r)]) {
        ++c.withdrawn;
        continue;
      }
      ++c.stood;
      const ModelDraft& d = m.drafts[static_cast<std::size_t>(r)];
      std::array<long, kVotes> tally{};
      bool asked = false;
      for (int i = 0; i < n; ++i) {
        const Member& mem = s.members[static_cast<std::size_t>(i)];
        if (!mem.votes) continue;
        const auto w = philox_block(seed, static_cast<std::uint32_t>(k), Phase::kVote, 0,
                                    pair_key(stream_key(mem.code), stream_key(d.id)));
        Vote v = Vote::kYes;
        if (to_uniform(w[0]) < mem.absence) {
          v = Vote::kAbsent;
        } else if (S(i, r) == 0) {
          const double u = to_uniform(w[1]);
          const double eps = std::log(u) - std::log1p(-u);
          const double value = utility(S, W, i, r, standing) + eps;
          // The member's own cut points: tau + its abstention habit (model.md, "Extensions").
          const double tau_yes = d.params.tau_yes + mem.abstain_habit;
          const double tau_no = d.params.tau_no + mem.abstain_habit;
          v = value > tau_yes ? Vote::kYes : value < -tau_no ? Vote::kNo : Vote::kAbstain;
          if (v == Vote::kNo && to_uniform(w[2]) < d.params.rho) asked = true;
        }
        ++tally[vote_index(v)];
        ++c.member_votes[kVotes * static_cast<std::size_t>(i) + vote_index(v)];
      }
      if (!asked) {
        ++c.adopted;
        ++c.without_vote;
        continue;
      }
      ++c.recorded;
      for (std::size_t v = 0; v < kVotes; ++v)
        ++c.tally[v * (n + 1) + static_cast<std::size_t>(tally[v])];
      if (rules::adopted(d.majority, tally[vote_index(Vote::kYes)], tally[vote_index(Vote::kNo)]))
        ++c.adopted;
    }
  }
};

Scenario rich_scenario() {
  AssemblyBuilder b;
  for (int i = 0; i < 15; ++i) {
    b.member("C" + std::to_string(i), {std::sin(i * 2.1), std::cos(i * 1.1) * 0.8}, 0.5 + (i % 3),
             0.1 * (i % 3), i != 4);
  }
  b.bloc("X", {"C0", "C1", "C2", "C3", "C4", "C5"}).bloc("Y", {"C5", "C6", "C7", "C8"}, 1.5);
  b.bloc("Z", {"C9", "C10", "C11", "C0"}, 0.5);
  b.tie("C12", "C0", 1).tie("C13", "C1", 2).tie("C14", "C13", 1).tie("C6", "C9", 0.3);
  b.draft("GGE", {"C0"}, 7);
  b.last_draft().rivals = {1};
  b.last_draft().lobbying = 1.5;
  b.draft("OEWG", {"C9", "C10"}, 9);
  b.last_draft().opens = 1;
  b.last_draft().position = Eigen::Vector2d(-0.5, 0.2);
  b.last_draft().withdraw_below = 0.5;
  b.last_draft().parameters.values[*find_parameter("theta_peer")] = 4.0;
  b.draft("JOINT", {"C0", "C9"}, 5);
  b.last_draft().opens = 2;
  b.last_draft().majority = Majority::kTwoThirds;
  b.parameters().theta_0 = -2.5;
  b.parameters().rho = 0.8;
  return b.build();
}

// Runs the engine and the reference on the same replicates; returns (engine, reference).
std::pair<Results, Results> run_both(const Scenario& s, const Model& m, long k) {
  RunOptions o;
  o.replicates = k;
  o.seed = 2021;
  o.threads = 2;
  o.batch = 64;
  Results engine = simulate(m, o);
  Results ref;
  ref.replicates = k;
  ref.seed = o.seed;
  ref.members = m.members;
  ref.rounds = m.rounds;
  const auto n1 = static_cast<std::size_t>(m.members) + 1;
  for (std::size_t r = 0; r < m.drafts.size(); ++r) {
    DraftCounts c;
    c.sponsors_by_round.assign((static_cast<std::size_t>(m.rounds) + 1) * n1, 0);
    c.member_sponsor.assign(n1 - 1, 0);
    c.member_votes.assign(4 * (n1 - 1), 0);
    c.tally.assign(4 * n1, 0);
    ref.drafts.push_back(std::move(c));
  }
  const Reference reference{s, m, o.seed};
  for (long rep = 0; rep < k; ++rep) reference.replicate(rep, ref);
  return {std::move(engine), std::move(ref)};
}

void expect_same_counts(const Model& m, const Results& engine, const Results& ref) {
  for (std::size_t r = 0; r < ref.drafts.size(); ++r) {
    const DraftCounts& e = engine.drafts[r];
    const DraftCounts& x = ref.drafts[r];
    EXPECT_EQ(e.sponsors_by_round, x.sponsors_by_round) << m.drafts[r].id;
    EXPECT_EQ(e.member_sponsor, x.member_sponsor) << m.drafts[r].id;
    EXPECT_EQ(e.member_votes, x.member_votes) << m.drafts[r].id;
    EXPECT_EQ(e.tally, x.tally) << m.drafts[r].id;
    EXPECT_EQ(e.stood, x.stood) << m.drafts[r].id;
    EXPECT_EQ(e.recorded, x.recorded) << m.drafts[r].id;
    EXPECT_EQ(e.adopted, x.adopted) << m.drafts[r].id;
    EXPECT_EQ(e.without_vote, x.without_vote) << m.drafts[r].id;
    EXPECT_EQ(e.withdrawn, x.withdrawn) << m.drafts[r].id;
  }
}

TEST(Reference, EngineMatchesAPlainImplementationOfTheModel) {
  const Scenario s = rich_scenario();
  const Model m = compile(s);
  const long k = 403;
  const auto [engine, ref] = run_both(s, m, k);
  const auto n1 = static_cast<std::size_t>(m.members) + 1;
  // The comparison is not vacuous: members join, votes are recorded, a draft is withdrawn.
  std::uint64_t joined = 0;
  for (std::size_t i = 0; i < n1 - 1; ++i) joined += engine.drafts[0].member_sponsor[i];
  EXPECT_GT(joined, static_cast<std::uint64_t>(2 * k));
  EXPECT_GT(engine.drafts[0].recorded, 0u);
  EXPECT_GT(engine.drafts[1].withdrawn, 0u);
  EXPECT_GT(engine.drafts[1].stood, 0u);
  expect_same_counts(m, engine, ref);
}

// Two rival drafts with strong bloc terms on the assembly `b` holds, sponsored by `x` and
// `y`: the engine and the plain implementation give the same counts.
void expect_bloc_terms_match(AssemblyBuilder& b, const std::string& x, const std::string& y) {
  b.draft("X", {x}, 8);
  b.last_draft().rivals = {1};
  b.draft("Y", {y}, 8);
  b.parameters().theta_0 = -2;
  b.parameters().theta_bloc = 4;
  const Scenario s = b.build();
  const Model m = compile(s);
  const auto [engine, ref] = run_both(s, m, 301);
  EXPECT_GT(engine.drafts[0].member_sponsor[0], 0u);
  expect_same_counts(m, engine, ref);
}

// Bloc terms of members in many blocs (the engine's general path beyond three blocs per
// member) and of members sharing their list of blocs.
TEST(Reference, MembersInManyBlocs) {
  AssemblyBuilder b;
  for (int i = 0; i < 10; ++i) {
    b.member("P" + std::to_string(i), {std::cos(i * 0.9), std::sin(i * 1.7)}, 1, 0.05, true);
  }
  b.bloc("A", {"P0", "P1", "P2", "P3", "P4"}).bloc("B", {"P0", "P1", "P5", "P6"});
  b.bloc("C", {"P0", "P1", "P2", "P7"}, 0.5).bloc("D", {"P0", "P1", "P8", "P9", "P3"});
  b.bloc("E", {"P0", "P4", "P9"});
  expect_bloc_terms_match(b, "P2", "P9");
}

// Bloc terms of members in none to four blocs in many orders, 21 members (not a multiple
// of 8, so the decisions' padding members read the combination of no bloc): the engine
// keeps them per combination (sim/engine/bloc_terms.cpp) and the decisions look each
// member's up, which is checked here.
TEST(Reference, MembersInFewBlocs) {
  AssemblyBuilder b;
  for (int i = 0; i < 21; ++i) {
    b.member("Q" + std::to_string(i), {std::cos(i * 1.3), std::sin(i * 0.7)}, 1, 0.05, true);
  }
  const std::vector<std::vector<int>> lists = {
      {0},       {1, 0}, {2, 3, 0}, {3},       {0, 1}, {4, 2, 1}, {1, 2, 3, 4},
      {},        {2},    {3, 4},    {0, 2, 4}, {4},    {2, 0, 3}, {1, 3},
      {3, 1, 0}, {0, 4}, {4, 3},    {1, 4, 2}, {2, 1}, {3, 0},    {0, 3, 1}};
  for (int g = 0; g < 5; ++g) {
    std::vector<std::string> members;
    for (std::size_t i = 0; i < lists.size(); ++i) {
      for (int h : lists[i]) {
        if (h == g) members.push_back("Q" + std::to_string(i));
      }
    }
    b.bloc("G" + std::to_string(g), members);
  }
  // AssemblyBuilder lists a member's blocs in the order the blocs were declared: put
  // them in the order given above (it sets the order of the sum).
  for (std::size_t i = 0; i < lists.size(); ++i) b.scenario().members[i].blocs = lists[i];
  expect_bloc_terms_match(b, "Q2", "Q12");
}

// Members in none to three blocs, 13 blocs (more shares than one register holds), 21
// members: with AVX-512 the engine refreshes every member's bloc
// term in one pass from the blocs' counts (Batch::direct_, sim/engine/bloc_terms.cpp),
// checked here on that path (engine.isa_* run it on the others).
TEST(Reference, MembersInAtMostThreeBlocs) {
  AssemblyBuilder b;
  for (int i = 0; i < 21; ++i) {
    b.member("T" + std::to_string(i), {std::cos(i * 1.1), std::sin(i * 0.8)}, 1, 0.05, true);
  }
  const std::vector<std::vector<int>> lists = {
      {0},       {1, 9}, {2, 3, 0}, {3},       {0, 1}, {4, 2, 12}, {11, 10, 3},
      {},        {2},    {3, 4},    {0, 2, 4}, {12},   {2, 0, 3},  {1, 3},
      {3, 1, 0}, {0, 4}, {6, 3},    {1, 7, 2}, {8, 1}, {3, 0},     {5, 3, 1}};
  for (int g = 0; g < 13; ++g) {
    std::vector<std::string> members;
    for (std::size_t i = 0; i < lists.size(); ++i) {
      for (int h : lists[i]) {
        if (h == g) members.push_back("T" + std::to_string(i));
      }
    }
    b.bloc("G" + std::to_string(g), members);
  }
  for (std::size_t i = 0; i < lists.size(); ++i) b.scenario().members[i].blocs = lists[i];
  expect_bloc_terms_match(b, "T2", "T12");
}

// The what-if --forbid: members barred from sponsoring a draft never join it; everything
// else (their votes, the others' draws) is as the model says.
TEST(Reference, BarredMembersNeverJoin) {
  Scenario s = rich_scenario();
  const Model m = compile(s, RunConstraints{{{2, 5}}});
  const auto [engine, ref] = run_both(s, m, 403);
  expect_same_counts(m, engine, ref);
  EXPECT_EQ(engine.drafts[0].member_sponsor[2], 0u);
  EXPECT_EQ(engine.drafts[0].member_sponsor[5], 0u);
}

// Abstention habits (docs/model.md, "Extensions"): members' own cut points tau + h_i, in
// the vote and in the withdrawal judgement, wide and narrow, on a scenario whose draft
// OEWG is withdrawn in some replicates.
TEST(Reference, AbstentionHabits) {
  Scenario s = rich_scenario();
  const std::vector<double> habit = {2.0, -0.9, 0.5,  0,    3.5, -0.3, 1.2, 0,
                                     0.7, 4.0,  -1.0, 0.25, 2.2, 0.1,  1.6};
  for (std::size_t i = 0; i < habit.size(); ++i) s.members[i].abstain_habit = habit[i];
  const Model m = compile(s);
  const long k = 403;
  const auto [engine, ref] = run_both(s, m, k);
  expect_same_counts(m, engine, ref);
  EXPECT_GT(engine.drafts[1].withdrawn, 0u);
  EXPECT_GT(engine.drafts[1].stood, 0u);
  // Not vacuous: the habits change the abstentions, counted over every member and draft.
  const auto [plain, plain_ref] = run_both(rich_scenario(), compile(rich_scenario()), k);
  std::uint64_t with = 0;
  std::uint64_t without = 0;
  for (std::size_t r = 0; r < m.drafts.size(); ++r) {
    for (std::size_t i = 0; i < habit.size(); ++i) {
      with += engine.drafts[r].member_votes[kVotes * i + vote_index(Vote::kAbstain)];
      without += plain.drafts[r].member_votes[kVotes * i + vote_index(Vote::kAbstain)];
    }
  }
  EXPECT_GT(with, without + static_cast<std::uint64_t>(k));
}

// Sparse W (4 ties per member: density 0.04 or below) whose values are one, a few, or
// more than 256 distinct numbers: the engine reads a column of W through its own index of
// the values in the first two cases (Batch::index_tie_values) and through Eigen's in the
// third. Tie k of member i weighs 1, 1 + k % 2, or 1 + (k + 4 i) / 100.
class SparseTies : public ::testing::TestWithParam<int> {};

TEST_P(SparseTies, EngineMatchesThePlainImplementation) {
  const int kind = GetParam();  // 0: one value, 1: a few, 2: more than 256
  const int n = 100;
  AssemblyBuilder b;
  for (int i = 0; i < n; ++i) {
    b.member("S" + std::to_string(i), {std::sin(i * 0.37), std::cos(i * 0.91)}, 1, 0.05, true);
  }
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < 4; ++k) {
      const int j = (i * 7 + 1 + k * 13) % n;
      const double weight = kind == 0 ? 1.0 : kind == 1 ? 1.0 + (k % 2) : 1.0 + 0.01 * (k + 4 * i);
      b.tie("S" + std::to_string(i), "S" + std::to_string(j == i ? (j + 1) % n : j), weight);
    }
  }
  b.draft("X", {"S0", "S50"}, 8);
  b.last_draft().rivals = {1};
  b.draft("Y", {"S25"}, 8);
  b.parameters().theta_0 = -2.5;
  b.parameters().theta_peer = 6;
  const Scenario s = b.build();
  const Model m = compile(s);
  ASSERT_FALSE(m.dense_ties);
  // The case is the one named: W's distinct values.
  std::vector<double> values(m.ties.valuePtr(), m.ties.valuePtr() + m.ties.nonZeros());
  std::sort(values.begin(), values.end());
  const auto distinct = std::unique(values.begin(), values.end()) - values.begin();
  const std::ptrdiff_t lowest[] = {1, 2, 257};
  const std::ptrdiff_t highest[] = {1, 256, static_cast<std::ptrdiff_t>(values.size())};
  EXPECT_GE(distinct, lowest[kind]);
  EXPECT_LE(distinct, highest[kind]);
  const long k = 203;
  const auto [engine, ref] = run_both(s, m, k);
  // Not vacuous: peer pressure carries joins beyond the sponsors.
  std::uint64_t joined = 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
    joined += engine.drafts[0].member_sponsor[i];
  }
  EXPECT_GT(joined, static_cast<std::uint64_t>(10 * k));
  expect_same_counts(m, engine, ref);
}

INSTANTIATE_TEST_SUITE_P(Reference, SparseTies, ::testing::Values(0, 1, 2));

}  // namespace
}  // namespace plenary
