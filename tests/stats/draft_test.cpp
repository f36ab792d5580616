// plenary draft (include/plenary/stats/draft.hpp): the search recovers a planted optimum
// known in closed form, with and without a radius, and threads do not change a byte.

#include "plenary/stats/draft.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "plenary/report/draft_report.hpp"
#include "plenary/scenario/generate.hpp"
#include "plenary/util/error.hpp"
#include "support/assembly.hpp"

namespace plenary {
namespace {

// The planted optimum. In one dimension, the sponsor S sits at 0 and 100 other members all at
// c = 1.3, every social term off (no peers, blocs, lobbying or rivals). Then each of the 100
// joins in each of the T rounds with probability sigma(theta_0 - theta_fit (c - p)^2),
// independently, so
//   E[sponsors](p) = 1 + 100 (1 - (1 - sigma(theta_0 - theta_fit (c - p)^2))^T),
// strictly decreasing in |c - p|: the best text is p* = c, and under a radius r < c around
// S the best is p* = r.
//
// With common random numbers the same uniform u decides a member's join in a round at every
// position, and the member joins when u < sigma(z): so a member that joins by the close at p
// joins at any p' nearer c. Replicate by replicate, the count can only fall with |c - p|,
// and the search picks the evaluated point nearest c, or one that ties with it on every draw
// (the earlier in the search's order). The finest grid has a step of h = coarse step / 4 and
// contains a point within h / 2 of p*; a tie needs every draw to miss the window between the
// two points' join probabilities, which at the 100 x 8 x 2000 decisions here is ruled out one
// step further out (the window at 1.5 h from c holds about 500 draws on average), so the
// tolerance is 1.5 h.
constexpr double kC = 1.3;
constexpr double kTheta0 = -3;
constexpr double kThetaFit = 20;
constexpr int kRounds = 8;
constexpr int kOthers = 100;

Scenario planted() {
  testing::AssemblyBuilder b(1);
  b.member("S", {0.0});
  for (int i = 0; i < kOthers; ++i) b.member("M" + std::to_string(i), {kC});
  b.draft("T", {"S"}, kRounds);
  Parameters& p = b.parameters();
  testing::switch_off_social_terms(p);
  p.theta_0 = kTheta0;
  p.theta_fit = kThetaFit;
  return b.build();
}

double expected_sponsors(double p) {
  const double z = kTheta0 - kThetaFit * (kC - p) * (kC - p);
  const double join = 1 / (1 + std::exp(-z));
  return 1 + kOthers * (1 - std::pow(1 - join, kRounds));
}

DraftSearchOptions options(const Scenario& s, int threads = 1) {
  DraftSearchOptions o;
  o.replicates = 2000;
  o.seed = 20261207;
  o.threads = threads;
  o.keep = draft_keep_list(s, 0, "");
  return o;
}

// The finest step of the search over [lower, upper] with the default grid.
double finest_step(const DraftSearchResult& r) {
  return (r.upper[0] - r.lower[0]) / (r.grid - 1) / 4;
}

TEST(Draft, RecoversThePlantedOptimum) {
  const Scenario s = planted();
  DraftSearchOptions o = options(s);
  o.keep_probability = 0;  // the sponsor may walk away: no constraint
  const DraftSearchResult r = draft_search(s, 0, parse_lobby_goal("sponsors", 101), o);
  ASSERT_TRUE(r.best);
  const DraftPoint& best = r.points[*r.best];
  const double h = finest_step(r);
  EXPECT_NEAR(best.position[0], kC, 1.5 * h) << "finest step " << h;
  // Its value against the closed form at the point found, within 4 standard errors.
  ASSERT_TRUE(best.figure.b && best.figure.b_se);
  EXPECT_NEAR(*best.figure.b, expected_sponsors(best.position[0]), 4 * *best.figure.b_se);
  // The current text (at S) is far worse, and the paired gain says so.
  ASSERT_TRUE(best.figure.low);
  EXPECT_GT(*best.figure.low, 0);
  // At S itself each of the 100 joins with probability about e^-37 a round, so the current
  // text has its sponsor alone.
  EXPECT_LT(expected_sponsors(0) - 1, 1e-12);
  EXPECT_EQ(*r.current.figure.b, 1);
  // The frontier rises with the distance from S and ends at the best.
  ASSERT_FALSE(r.frontier.empty());
  EXPECT_EQ(r.frontier.back(), *r.best);
}

TEST(Draft, ARadiusHoldsTheTextNearTheSponsor) {
  const Scenario s = planted();
  DraftSearchOptions o = options(s);
  o.radius = 0.8;
  const DraftSearchResult r = draft_search(s, 0, parse_lobby_goal("sponsors", 101), o);
  ASSERT_TRUE(r.best);
  const DraftPoint& best = r.points[*r.best];
  // The goal rises all the way to the radius (the gradient there is steep, so no ties): the
  // best is the largest evaluated point at most 0.8 from S, within one finest step of it.
  EXPECT_LE(best.position[0], 0.8);
  EXPECT_GE(best.position[0], 0.8 - finest_step(r));
  EXPECT_TRUE(best.feasible);
  for (const DraftPoint& p : r.points) EXPECT_EQ(p.feasible, std::abs(p.position[0]) <= 0.8);
}

TEST(Draft, TheSponsorsProbabilityOfStayingBinds) {
  // By default S must stay on board with probability 0.5: as a non-sponsor it would vote Yes
  // with sigma(phi_fit (|x_S - q|^2 - |x_S - p|^2) - tau_yes), and with q at S it never
  // would, so no position keeps it.
  const Scenario s = planted();
  const DraftSearchResult r = draft_search(s, 0, parse_lobby_goal("sponsors", 101), options(s));
  EXPECT_FALSE(r.best);
  EXPECT_TRUE(r.frontier.empty());
  EXPECT_NE(draft_text(s, r).find("No position searched keeps every listed member"),
            std::string::npos);
}

TEST(Draft, SameBytesOnOneAndTwoThreads) {
  GenerateOptions g;
  g.members = 30;
  g.blocs = 3;
  g.drafts = 2;
  g.rounds = 6;
  g.seed = 5;
  const Scenario s = generate_scenario(g);
  auto run = [&](int threads) {
    DraftSearchOptions o = options(s, threads);
    o.replicates = 200;
    o.grid = 5;
    o.status_quo = true;
    return draft_search(s, 0, parse_lobby_goal("yes", 30), o);
  };
  const DraftSearchResult one = run(1);
  const DraftSearchResult two = run(2);
  EXPECT_EQ(draft_json(s, one), draft_json(s, two));
  EXPECT_EQ(draft_csv(one), draft_csv(two));
  EXPECT_EQ(draft_html(s, one, "cmd"), draft_html(s, two, "cmd"));
  EXPECT_NE(draft_heatmap_svg(s, one).find("<svg"), std::string::npos);
  EXPECT_GT(one.runs, 25);
}

TEST(Draft, BadKeepListsAreRefused) {
  const Scenario s = planted();
  EXPECT_THROW(draft_keep_list(s, 0, "S,XX"), UsageError);
  EXPECT_THROW(draft_keep_list(s, 0, "S,S"), UsageError);
  EXPECT_THROW(draft_keep_list(s, 0, "S,"), UsageError);
  EXPECT_EQ(draft_keep_list(s, 0, "M3, S"), (std::vector<int>{4, 0}));
  DraftSearchOptions o = options(s);
  o.grid = 1;
  EXPECT_THROW(draft_search(s, 0, parse_lobby_goal("sponsors", 101), o), UsageError);
}

}  // namespace
}  // namespace plenary
