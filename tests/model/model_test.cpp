// Compiling a scenario into the engine's model: W, draft positions, parameters.
#include "plenary/model/model.hpp"

#include <gtest/gtest.h>

#include "plenary/model/rules.hpp"
#include "plenary/scenario/generate.hpp"
#include "support/assembly.hpp"

namespace plenary {
namespace {

using testing::AssemblyBuilder;

TEST(Ties, BlocsAndTiesAddThenRowsNormalise) {
  AssemblyBuilder b;
  b.member("A", {0, 0}).member("B", {0, 0}).member("C", {0, 0}).member("D", {0, 0});
  b.bloc("G1", {"A", "B", "C"}, 1.0).bloc("G2", {"A", "B"}, 2.0);
  b.tie("C", "D", 0.5).tie("C", "D", 0.5);
  b.draft("X", {"A"}, 1);
  const Model m = compile(b.build());
  const Eigen::MatrixXd w(m.ties);
  // A watches B with 1 + 2 and C with 1: row (0, 3/4, 1/4, 0).
  EXPECT_DOUBLE_EQ(w(0, 1), 0.75);
  EXPECT_DOUBLE_EQ(w(0, 2), 0.25);
  EXPECT_DOUBLE_EQ(w(0, 0), 0.0);
  // C watches A and B with 1 each and D with 0.5 + 0.5.
  EXPECT_DOUBLE_EQ(w(2, 0), 1.0 / 3);
  EXPECT_DOUBLE_EQ(w(2, 3), 1.0 / 3);
  // D watches nobody: an empty row stays empty.
  EXPECT_DOUBLE_EQ(w.row(3).sum(), 0.0);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(w.row(i).sum(), 1.0, 1e-15);
}

TEST(Ties, AgreementTiesAboveTheMedianFloor) {
  AssemblyBuilder b;
  b.member("A", {0, 0}).member("B", {0, 0}).member("C", {0, 0});
  b.draft("X", {"A"}, 1);
  AgreementTies agreement;
  agreement.weight = 2.0;
  agreement.scores = {{0, 1, 10, 0.9}, {0, 2, 10, 0.5}, {1, 2, 10, 0.7}};  // median 0.7
  b.scenario().agreement = agreement;
  Model m = compile(b.build());
  Eigen::MatrixXd w(m.ties);
  // Only A-B is above the floor: A and B watch each other only; C watches nobody.
  EXPECT_DOUBLE_EQ(w(0, 1), 1.0);
  EXPECT_DOUBLE_EQ(w(1, 0), 1.0);
  EXPECT_DOUBLE_EQ(w.row(2).sum(), 0.0);
  // With a floor of 0.5 and a tie of weight 1 from A to C, A's row is
  // (0, 2 (0.9-0.5)/0.5 = 1.6, 1 + 0) / 2.6.
  b.scenario().agreement->floor = 0.5;
  b.tie("A", "C", 1.0);
  m = compile(b.build());
  w = Eigen::MatrixXd(m.ties);
  EXPECT_DOUBLE_EQ(w(0, 1), 1.6 / 2.6);
  EXPECT_DOUBLE_EQ(w(0, 2), 1.0 / 2.6);
  EXPECT_DOUBLE_EQ(w(2, 1), 1.0);  // C-B: 2 (0.7-0.5)/0.5 = 0.8, its only tie
}

TEST(Ties, StorageFollowsDensity) {
  AssemblyBuilder b;
  b.member("A", {0, 0}).member("B", {0, 0}).member("C", {0, 0});
  b.bloc("ALL", {"A", "B", "C"});
  b.draft("X", {"A"}, 1);
  EXPECT_TRUE(compile(b.build()).dense_ties);  // 6 of 9 entries
  AssemblyBuilder sparse;
  for (int i = 0; i < 10; ++i) sparse.member("M" + std::to_string(i), {0, 0});
  sparse.tie("M0", "M1", 1);
  sparse.draft("X", {"M0"}, 1);
  EXPECT_FALSE(compile(sparse.build()).dense_ties);
}

TEST(Drafts, SponsorPositionIsTheCloutWeightedMean) {
  AssemblyBuilder b;
  b.member("USA", {0.9, 0.1}, 3).member("RUS", {-0.8, 0.2}, 2).member("BRA", {0.1, -0.3});
  b.draft("J", {"USA", "RUS"}, 5);
  const Model m = compile(b.build());
  EXPECT_DOUBLE_EQ(m.drafts[0].position(0), (3 * 0.9 + 2 * -0.8) / 5);
  EXPECT_DOUBLE_EQ(m.drafts[0].position(1), (3 * 0.1 + 2 * 0.2) / 5);
}

TEST(Drafts, ZeroSponsorCloutIsAnError) {
  AssemblyBuilder b;
  b.member("A", {1, 1}, 0).member("B", {0, 0});
  b.draft("X", {"A"}, 1);
  try {
    compile(b.build());
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    EXPECT_STREQ(e.what(),
                 "draft 'X' takes its position from its sponsors, but their clout sums to 0; "
                 "give it a 'position:' or a sponsor with positive clout");
  }
}

TEST(Drafts, PerDraftParametersOverrideGlobalOnes) {
  AssemblyBuilder b;
  b.member("A", {0, 0});
  b.draft("X", {"A"}, 1);
  b.last_draft().parameters.values[*find_parameter("theta_peer")] = 2.0;
  b.draft("Y", {"A"}, 3);
  b.parameters().theta_peer = 2.5;
  b.parameters().phi_fit = 7;
  const Model m = compile(b.build());
  EXPECT_EQ(m.drafts[0].params.theta_peer, 2.0);
  EXPECT_EQ(m.drafts[1].params.theta_peer, 2.5);
  EXPECT_EQ(m.drafts[0].params.phi_fit, 7);
  EXPECT_EQ(m.rounds, 3);
}

TEST(VoteProbabilities, OrderedLogit) {
  Parameters p;
  p.tau_yes = 0.5;
  p.tau_no = 1.5;
  const VoteProbabilities v = rules::vote_probabilities(0.3, p, 0.0);
  EXPECT_DOUBLE_EQ(v.yes, 1 / (1 + std::exp(-(0.3 - 0.5))));
  EXPECT_DOUBLE_EQ(v.no, 1 / (1 + std::exp(-(-1.5 - 0.3))));
  EXPECT_NEAR(v.yes + v.no + v.abstain, 1.0, 1e-15);
}

// W as it was first built, by Eigen's setFromTriplets: the construction that compile()'s
// own (compressed rows gathered in two passes, model.cpp) must match bit for bit.
Eigen::SparseMatrix<double, Eigen::ColMajor> reference_ties(const Scenario& s) {
  const int n = static_cast<int>(s.members.size());
  std::vector<Eigen::Triplet<double>> triplets;
  for (const Tie& tie : s.ties) {
    if (tie.from != tie.to && tie.weight > 0) triplets.emplace_back(tie.from, tie.to, tie.weight);
  }
  for (const Bloc& bloc : s.blocs) {
    if (bloc.tie <= 0) continue;
    for (int i : bloc.members) {
      for (int j : bloc.members) {
        if (i != j) triplets.emplace_back(i, j, bloc.tie);
      }
    }
  }
  if (s.agreement && !s.agreement->scores.empty() && s.agreement->weight != 0) {
    std::vector<double> scores;
    for (const auto& a : s.agreement->scores) scores.push_back(a.score);
    std::sort(scores.begin(), scores.end());
    const std::size_t m = scores.size();
    const double floor = s.agreement->floor.value_or(
        m % 2 == 1 ? scores[m / 2] : 0.5 * (scores[m / 2 - 1] + scores[m / 2]));
    for (const auto& a : s.agreement->scores) {
      const double w = s.agreement->weight * std::max(0.0, (a.score - floor) / (1 - floor));
      if (a.a == a.b || w <= 0) continue;
      triplets.emplace_back(a.a, a.b, w);
      triplets.emplace_back(a.b, a.a, w);
    }
  }
  Eigen::SparseMatrix<double, Eigen::RowMajor> rows(n, n);
  rows.setFromTriplets(triplets.begin(), triplets.end());
  for (int i = 0; i < n; ++i) {
    double sum = 0;
    for (Eigen::SparseMatrix<double, Eigen::RowMajor>::InnerIterator it(rows, i); it; ++it) {
      sum += it.value();
    }
    if (sum <= 0) continue;
    for (Eigen::SparseMatrix<double, Eigen::RowMajor>::InnerIterator it(rows, i); it; ++it) {
      it.valueRef() /= sum;
    }
  }
  rows.prune(0.0);
  Eigen::SparseMatrix<double, Eigen::ColMajor> cols = rows;
  cols.makeCompressed();
  return cols;
}

// Duplicate ties (summed in their order), self ties and zero weights (dropped), bloc ties,
// agreement ties and members without ties: the same entries and the same bits.
TEST(Model, TiesAreTheBitsOfTheTripletConstruction) {
  GenerateOptions o;
  o.members = 300;
  o.ties_per_member = 6;
  Scenario s = generate_scenario(o);
  std::uint64_t x = 12345;
  const auto next = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  const std::size_t explicit_ties = s.ties.size();
  for (std::size_t k = 0; k < explicit_ties; k += 3) {
    Tie again = s.ties[k];
    again.weight = static_cast<double>(next() % 1000) / 7.0;  // a duplicate (i, j)
    s.ties.push_back(again);
  }
  s.ties.push_back(Tie{5, 5, 2.0});
  s.ties.push_back(Tie{6, 7, 0.0});
  // Members 290.. have no explicit ties.
  std::erase_if(s.ties, [](const Tie& t) { return t.from >= 290; });
  s.blocs[0].tie = 0.3;
  AgreementTies agreement;
  agreement.weight = 0.8;
  for (int k = 0; k < 400; ++k) {
    agreement.scores.push_back(AgreementScore{static_cast<int>(next() % 300),
                                              static_cast<int>(next() % 300), 10,
                                              static_cast<double>(next() % 1000) / 1000.0});
  }
  s.agreement = agreement;
  const Eigen::SparseMatrix<double> expected = reference_ties(s);
  const Model m = compile(s);
  ASSERT_FALSE(m.dense_ties);
  ASSERT_EQ(m.ties.nonZeros(), expected.nonZeros());
  ASSERT_TRUE(m.ties.isCompressed());
  for (int j = 0; j <= 300; ++j) ASSERT_EQ(m.ties.outerIndexPtr()[j], expected.outerIndexPtr()[j]);
  for (Eigen::Index k = 0; k < expected.nonZeros(); ++k) {
    ASSERT_EQ(m.ties.innerIndexPtr()[k], expected.innerIndexPtr()[k]) << k;
    ASSERT_EQ(m.ties.valuePtr()[k], expected.valuePtr()[k]) << k;  // bitwise: no tolerance
  }
}

}  // namespace
}  // namespace plenary
