// The fast path of plenary lobby (sim/stats/lobby_fast.hpp) against one full run of the
// engine per candidate: the same bytes of output, for every goal, on scenarios with one
// draft, with rival drafts, with withdrawal thresholds and on a shipped 193-member scenario;
// and its outcomes replicate by replicate when nearly every decision is sent to the engine
// and when none is.

#include "stats/lobby_fast.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "plenary/model/rules.hpp"
#include "plenary/report/lobby_report.hpp"
#include "plenary/scenario/generate.hpp"
#include "plenary/scenario/loader.hpp"
#include "plenary/stats/lobby.hpp"

namespace plenary {
namespace {

// 40 members with sparse ties and a planted hub, one draft (as tests/stats/lobby_test.cpp).
Scenario hub_scenario() {
  GenerateOptions g;
  g.members = 40;
  g.blocs = 4;
  g.ties_per_member = 2;
  g.drafts = 1;
  g.rounds = 8;
  g.seed = 11;
  Scenario s = generate_scenario(g);
  const int hub = s.find_member("M7");
  for (int i = 10; i < 34; ++i) s.ties.push_back({i, hub, 20.0});
  s.parameters.theta_0 = -3;
  return s;
}

// bench-193's shape, smaller: dense bloc ties, two rival drafts, both with a withdrawal
// threshold that binds in some replicates, D1 opening late.
Scenario rivals_scenario() {
  GenerateOptions g;
  g.members = 60;
  g.blocs = 6;
  g.drafts = 2;
  g.rounds = 10;
  g.seed = 5;
  Scenario s = generate_scenario(g);
  s.drafts[0].withdraw_below = 0.55;
  s.drafts[1].withdraw_below = 0.5;
  s.drafts[1].opens = 2;
  s.parameters.theta_0 = -2.5;
  return s;
}

// Three mutual rivals with sparse ties: the commitment's effect crosses two drafts.
Scenario three_drafts() {
  GenerateOptions g;
  g.members = 50;
  g.blocs = 5;
  g.ties_per_member = 3;
  g.drafts = 3;
  g.rounds = 7;
  g.seed = 9;
  Scenario s = generate_scenario(g);
  s.parameters.theta_0 = -2;
  return s;
}

const char* const kGoals[] = {"sponsors", "reach:20", "yes", "adopted", "without-vote", "margin"};

void expect_same_bytes(const Scenario& s, int draft, const std::string& goal,
                       const std::string& candidates, long replicates, int budget) {
  LobbyOptions o;
  o.replicates = replicates;
  o.seed = 77;
  o.threads = 2;
  o.budget = budget;
  LobbyOptions naive = o;
  naive.fast = false;
  const LobbyGoal g = parse_lobby_goal(goal, static_cast<int>(s.members.size()));
  const LobbyResult fast = lobby(s, draft, g, lobby_candidates(s, candidates), o);
  const LobbyResult full = lobby(s, draft, g, lobby_candidates(s, candidates), naive);
  EXPECT_EQ(fast.fast_mismatches, 0) << goal;
  EXPECT_GT(fast.fast_candidates, 0) << goal;
  EXPECT_EQ(full.fast_candidates, 0) << goal;
  EXPECT_EQ(lobby_json(s, fast), lobby_json(s, full)) << goal;
  EXPECT_EQ(lobby_csv(fast), lobby_csv(full)) << goal;
}

TEST(LobbyFast, SameBytesAsFullRerunsOnOneDraft) {
  const Scenario s = hub_scenario();
  for (const char* goal : kGoals) expect_same_bytes(s, 0, goal, "members", 600, 2);
}

TEST(LobbyFast, SameBytesAsFullRerunsWithRivalsAndWithdrawal) {
  const Scenario s = rivals_scenario();
  for (const char* goal : kGoals) {
    expect_same_bytes(s, 0, goal, "members", 400, 0);
    expect_same_bytes(s, 1, goal, "members", 400, 0);
  }
  expect_same_bytes(s, 0, "margin", "blocs", 400, 2);
}

TEST(LobbyFast, SameBytesAsFullRerunsWithThreeRivals) {
  const Scenario s = three_drafts();
  for (const char* goal : kGoals) expect_same_bytes(s, 2, goal, "members", 300, 0);
}

TEST(LobbyFast, SameBytesAsFullRerunsOnAShipped193MemberScenario) {
  const Scenario s = load_scenario(PLENARY_SOURCE_DIR "/scenarios/cyber-2018-competing.yaml");
  const int oewg = s.find_draft("OEWG");
  ASSERT_GE(oewg, 0);
  expect_same_bytes(s, oewg, "sponsors", "members", 200, 0);
  expect_same_bytes(s, oewg, "margin", "members", 200, 0);
}

// The outcomes replicate by replicate against the engine's, with the screen so wide that
// many decisions go to the engine, and with no screen and no band at all (every decision
// by the fast path's own arithmetic).
TEST(LobbyFast, OutcomesAreTheEnginesWithAndWithoutFallbacks) {
  const Scenario s = rivals_scenario();
  const Model base = compile(s);
  const long k = 203;  // not a multiple of 4
  ReplicateLog log;
  RunOptions ro;
  ro.replicates = k;
  ro.seed = 3;
  ro.log = &log;
  simulate(base, ro);
  // The last two sets name a member twice and an original sponsor, which change nothing:
  // the engine runs them without.
  const int sponsor = base.drafts[0].sponsors.front();
  const std::vector<std::vector<int>> sets = {
      {5}, {7, 30}, {0}, {12}, {44, 45, 46}, {7, 30, 7}, {sponsor, 12, sponsor}};
  const std::vector<std::vector<int>> engine_sets = {{5},          {7, 30}, {0}, {12},
                                                     {44, 45, 46}, {7, 30}, {12}};
  std::vector<ReplicateLog> truth(sets.size());
  for (std::size_t c = 0; c < sets.size(); ++c) {
    RunOptions r = ro;
    r.log = &truth[c];
    simulate(lobby_fast::forced_model(s, 0, engine_sets[c]), r);
  }
  struct Band {
    double screen, band;
    bool fallbacks;
  };
  for (const Band b : {Band{0.5, 0.05, true}, Band{0, 0, false}, Band{1e-3, 1e-9, false}}) {
    lobby_fast::Options o;
    o.replicates = k;
    o.seed = 3;
    o.threads = 2;
    o.vote = true;
    o.screen = b.screen;
    o.band = b.band;
    lobby_fast::Stats stats;
    const auto out = lobby_fast::outcomes(s, base, 0, sets, log, o, &stats);
    EXPECT_EQ(stats.mismatches, 0);
    if (b.fallbacks) {
      EXPECT_GT(stats.fallbacks, 0);
    } else {
      EXPECT_EQ(stats.fallbacks, 0);
    }
    for (std::size_t c = 0; c < sets.size(); ++c) {
      for (long j = 0; j < k; ++j) {
        ASSERT_EQ(out[c][static_cast<std::size_t>(j)], truth[c].outcome(j, 0))
            << "set " << c << ", replicate " << j << ", screen " << b.screen;
      }
    }
  }
}

// A lobbying term of 0.03 per member (clout 1 of 60, lobbying 1.8): one commitment moves it
// beyond the windows' slack (0.02) but not beyond the near lists (0.05), a second sponsor
// more than either, and the committed member's own joining in the baseline back to 0. The
// windows are redrawn (counted) and rounds passed over between events; the outcomes are the
// engine's, replicate by replicate, on 1 and 2 threads.
TEST(LobbyFast, OutcomesAreTheEnginesWhenTheLobbyingTermRedrawsTheWindows) {
  Scenario s = rivals_scenario();
  s.drafts[0].lobbying = 1.8;
  const Model base = compile(s);
  ASSERT_NEAR(
      rules::lobby_coefficient(base.drafts[0].params, base.drafts[0].lobbying, base.total_clout),
      0.03, 1e-12);
  const long k = 300;
  ReplicateLog log;
  RunOptions ro;
  ro.replicates = k;
  ro.seed = 8;
  ro.log = &log;
  simulate(base, ro);
  // Every member that does not sponsor the draft from the start, alone.
  std::vector<std::vector<int>> sets;
  for (int i = 0; i < base.members; ++i) {
    const auto& sponsors = base.drafts[0].sponsors;
    if (std::find(sponsors.begin(), sponsors.end(), i) == sponsors.end()) sets.push_back({i});
  }
  ASSERT_GE(sets.size(), 50U);
  for (const int threads : {1, 2}) {
    lobby_fast::Options o;
    o.replicates = k;
    o.seed = 8;
    o.threads = threads;
    o.vote = true;
    lobby_fast::Stats stats;
    const auto out = lobby_fast::outcomes(s, base, 0, sets, log, o, &stats);
    EXPECT_EQ(stats.mismatches, 0);
    EXPECT_EQ(stats.fallbacks, 0);
    EXPECT_GT(stats.redraws, 0);
    for (std::size_t c = 0; c < sets.size(); ++c) {
      ReplicateLog truth;
      RunOptions r = ro;
      r.log = &truth;
      simulate(lobby_fast::forced_model(s, 0, sets[c]), r);
      for (long j = 0; j < k; ++j) {
        ASSERT_EQ(out[c][static_cast<std::size_t>(j)], truth.outcome(j, 0))
            << "set " << c << ", replicate " << j << ", threads " << threads;
      }
    }
  }
}

// A commitment whose round's changes bring every sponsorship back to the baseline's (the
// committed member's own joining in the baseline, with nobody drawn in, or the last of the
// members it drew in caught up) is settled there as the baseline's replicate: the path is
// taken (counted), and the outcomes are the engine's, replicate by replicate, for every
// member alone, across three rival drafts and on the hub scenario. Through the rival term,
// some moved members' log-odds fall, where apply()'s shortcut (screen_key, for windows whose
// lower end is -screen) must not be taken: this test fails if it is taken regardless.
TEST(LobbyFast, OutcomesAreTheEnginesWhenACommitmentReconverges) {
  for (const Scenario& s : {three_drafts(), hub_scenario()}) {
    const Model base = compile(s);
    const long k = 150;
    ReplicateLog log;
    RunOptions ro;
    ro.replicates = k;
    ro.seed = 21;
    ro.log = &log;
    simulate(base, ro);
    std::vector<std::vector<int>> sets;
    for (int i = 0; i < base.members; ++i) sets.push_back({i});
    lobby_fast::Options o;
    o.replicates = k;
    o.seed = 21;
    o.threads = 1;
    o.vote = true;
    lobby_fast::Stats stats;
    const auto out = lobby_fast::outcomes(s, base, 0, sets, log, o, &stats);
    EXPECT_EQ(stats.mismatches, 0);
    EXPECT_EQ(stats.fallbacks, 0);
    EXPECT_GT(stats.reconverged, k);
    for (std::size_t c = 0; c < sets.size(); ++c) {
      ReplicateLog truth;
      RunOptions r = ro;
      r.log = &truth;
      simulate(lobby_fast::forced_model(s, 0, sets[c]), r);
      for (long j = 0; j < k; ++j) {
        ASSERT_EQ(out[c][static_cast<std::size_t>(j)], truth.outcome(j, 0))
            << s.name << ", set " << c << ", replicate " << j;
      }
    }
  }
}

}  // namespace
}  // namespace plenary
