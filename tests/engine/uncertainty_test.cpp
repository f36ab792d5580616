// --uncertainty positions in the engine (docs/model.md, "Estimation uncertainty in
// positions"): the draws follow their distribution, replicates stay independent of the
// thread count, standard errors of 0 give the plain run's bits, and a member without
// standard errors is refused.
#include "plenary/stats/uncertainty.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "plenary/core/random.hpp"
#include "plenary/engine/position_draws.hpp"
#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"
#include "plenary/util/error.hpp"
#include "support/assembly.hpp"

namespace plenary {
namespace {

using testing::AssemblyBuilder;

// Ten members with standard errors (every one its own), two rival drafts, one taking its
// sponsors' mean position.
Scenario uncertain_assembly(double se_scale = 1) {
  AssemblyBuilder b;
  for (int i = 0; i < 10; ++i) {
    b.member("M" + std::to_string(i), {std::sin(i * 1.3), std::cos(i * 0.7)}, 1 + i % 3,
             0.05 * (i % 4));
  }
  b.bloc("G1", {"M0", "M1", "M2", "M3", "M4"}).tie("M8", "M0", 1);
  b.draft("A", {"M0", "M2"}, 8);
  b.last_draft().rivals = {1};
  b.last_draft().withdraw_below = 0.4;
  b.draft("B", {"M5"}, 10);
  b.last_draft().position = Eigen::Vector2d(-0.3, 0.2);
  b.parameters().theta_0 = -2;
  Scenario s = b.build();
  for (std::size_t i = 0; i < s.members.size(); ++i) {
    s.members[i].position_se = se_scale * Eigen::Vector2d(0.1 + 0.02 * static_cast<double>(i),
                                                          0.3 - 0.01 * static_cast<double>(i));
  }
  return s;
}

RunOptions options(UncertaintySource u, int threads, long k = 1002) {
  RunOptions o;
  o.replicates = k;
  o.seed = 11;
  o.threads = threads;
  o.uncertainty = u;
  return o;
}

// Over 4000 draws every member's drawn coordinate has mean x and standard deviation se,
// within 4 standard errors of those estimates (se / sqrt(n) and se / sqrt(2 (n - 1))).
TEST(PositionDraws, FollowTheirDistribution) {
  const Model m = compile(uncertain_assembly());
  constexpr int kDraws = 4000;
  Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(m.members, m.dims);
  Eigen::MatrixXd squares = Eigen::MatrixXd::Zero(m.members, m.dims);
  double cross = 0;
  for (int d = 0; d < kDraws; ++d) {
    const Eigen::MatrixXd x = drawn_positions(m, 11, static_cast<std::uint32_t>(d));
    const Eigen::MatrixXd z = x - m.positions;
    sum += z;
    squares += z.cwiseProduct(z);
    cross += z(0, 0) * z(0, 1) / (m.position_se(0, 0) * m.position_se(0, 1));
  }
  const double n = kDraws;
  for (int i = 0; i < m.members; ++i) {
    for (int k = 0; k < m.dims; ++k) {
      const double se = m.position_se(i, k);
      const double mean = sum(i, k) / n;
      const double sd = std::sqrt((squares(i, k) - n * mean * mean) / (n - 1));
      EXPECT_NEAR(mean, 0, 4 * se / std::sqrt(n)) << i << " " << k;
      EXPECT_NEAR(sd, se, 4 * se / std::sqrt(2 * (n - 1))) << i << " " << k;
    }
  }
  // Dimensions are drawn independently: the correlation's standard error is 1 / sqrt(n).
  EXPECT_NEAR(cross / n, 0, 4 / std::sqrt(n));
}

TEST(PositionDraws, ArePureFunctionsOfSeedDrawAndCode) {
  const Model m = compile(uncertain_assembly());
  EXPECT_EQ(drawn_positions(m, 11, 7), drawn_positions(m, 11, 7));
  EXPECT_NE(drawn_positions(m, 11, 7), drawn_positions(m, 11, 8));
  EXPECT_NE(drawn_positions(m, 12, 7), drawn_positions(m, 11, 7));
  // A member's draw does not depend on who else is in the scenario.
  Scenario fewer = uncertain_assembly();
  fewer.members.erase(fewer.members.begin() + 9);
  const Model mf = compile(fewer);
  EXPECT_EQ(drawn_positions(mf, 11, 7).row(3), drawn_positions(m, 11, 7).row(3));
}

// The engine's draws are standard_normals' (core/random.hpp), the layout docs/model.md gives.
TEST(PositionDraws, AreTheDocumentedNormals) {
  const Model m = compile(uncertain_assembly());
  const Eigen::MatrixXd x = drawn_positions(m, 11, 5);
  for (int i = 0; i < m.members; ++i) {
    const auto z = standard_normals(11, 5, m.member_keys[static_cast<std::size_t>(i)]);
    for (int k = 0; k < m.dims; ++k) {
      EXPECT_EQ(x(i, k), m.positions(i, k) + m.position_se(i, k) * z[static_cast<std::size_t>(k)]);
    }
  }
}

class UncertainThreads : public ::testing::TestWithParam<int> {};

TEST_P(UncertainThreads, SameBytesAsOneThread) {
  const Model m = compile(uncertain_assembly());
  ReplicateLog one, many;
  RunOptions a = options(UncertaintySource::kPositions, 1);
  a.log = &one;
  RunOptions b = options(UncertaintySource::kPositions, GetParam());
  b.log = &many;
  b.batch = 8;
  EXPECT_EQ(simulate(m, a), simulate(m, b));
  EXPECT_EQ(one, many);
}

INSTANTIATE_TEST_SUITE_P(Counts, UncertainThreads, ::testing::Values(2, 4));

TEST(PositionUncertainty, ChangesTheRun) {
  const Model m = compile(uncertain_assembly());
  EXPECT_NE(simulate(m, options(UncertaintySource::kPositions, 2)),
            simulate(m, options(UncertaintySource::kNone, 2)));
}

// With every standard error 0 the drawn positions are the positions, so the run has the
// bits of the plain one (every draft here has one sponsor or a given position, so the
// sponsors' mean is the same sum).
TEST(PositionUncertainty, ZeroStandardErrorsGiveThePlainRun) {
  Scenario s = uncertain_assembly(0);
  s.drafts[0].sponsors = {0};
  const Model m = compile(s);
  EXPECT_EQ(simulate(m, options(UncertaintySource::kPositions, 2)),
            simulate(m, options(UncertaintySource::kNone, 2)));
}

TEST(PositionUncertainty, RefusesMembersWithoutStandardErrors) {
  Scenario s = uncertain_assembly();
  s.members[3].position_se.resize(0);
  s.members[7].position_se.resize(0);
  const Model m = compile(s);
  EXPECT_NO_THROW(simulate(m, options(UncertaintySource::kNone, 1, 8)));
  try {
    simulate(m, options(UncertaintySource::kPositions, 1, 8));
    FAIL() << "expected a UsageError";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "--uncertainty positions: 2 members have no position standard errors ('M3', "
                 "'M7'); take positions from a file written by `plenary calibrate` (its data.se), "
                 "give each member 'position_se: [...]', or run with --uncertainty none");
  }
}

// The split of a real run: the sponsors' positions move draft A, so positions must take a
// share of its sponsor count's variance, and the split adds up.
TEST(PositionUncertainty, SplitsTheVarianceOfARun) {
  const Model m = compile(uncertain_assembly(3));
  ReplicateLog log;
  RunOptions o = options(UncertaintySource::kPositions, 2, 4000);
  o.log = &log;
  simulate(m, o);
  const VarianceReport report = split_variance(m, log, UncertaintySource::kPositions);
  ASSERT_EQ(report.drafts.size(), 2u);
  const VarianceSplit& s = report.drafts[0].figures[0];
  EXPECT_EQ(s.figure, "sponsors");
  EXPECT_EQ(s.n, 4000);
  EXPECT_DOUBLE_EQ(s.monte_carlo + s.positions, s.total);
  // The within-pair variance has a relative standard error of about sqrt(2 / P), P = 2000
  // pairs (for a roughly normal figure): a positions share of more than 4 of those is
  // real.
  EXPECT_GT(s.positions, 4 * std::sqrt(2.0 / 2000) * s.total);
  // The same run without drawn positions: pairs share nothing, so the variance is all
  // Monte-Carlo.
  ReplicateLog plain_log;
  RunOptions p = options(UncertaintySource::kNone, 2, 4000);
  p.log = &plain_log;
  simulate(m, p);
  const VarianceSplit plain =
      split_variance(m, plain_log, UncertaintySource::kNone).drafts[0].figures[0];
  EXPECT_EQ(plain.positions, 0);
  EXPECT_EQ(plain.monte_carlo, plain.total);
}

}  // namespace
}  // namespace plenary
