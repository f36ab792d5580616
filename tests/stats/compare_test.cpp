// plenary compare's statistics: the per-replicate log agrees with the run's counts, paired
// figures agree with summarise(), and common random numbers make differences far tighter
// than independent seeds do.
#include "plenary/stats/compare.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"
#include "plenary/scenario/loader.hpp"
#include "plenary/scenario/what_if.hpp"
#include "plenary/stats/summary.hpp"
#include "support/assembly.hpp"

namespace plenary {
namespace {

using testing::AssemblyBuilder;

// Twenty members in two blocs, two rival drafts, one of them with a withdrawal threshold.
Scenario assembly() {
  AssemblyBuilder b;
  for (int i = 0; i < 20; ++i) {
    b.member("M" + std::to_string(i), {std::sin(i * 1.7), std::cos(i * 0.9)}, 1 + i % 2,
             0.05 * (i % 3), i != 11);
  }
  b.bloc("North", {"M0", "M1", "M2", "M3", "M4", "M5", "M6"});
  b.bloc("South", {"M7", "M8", "M9", "M10", "M11", "M12"});
  b.draft("A", {"M0"}, 8);
  b.last_draft().rivals = {1};
  b.draft("B", {"M7"}, 8);
  b.last_draft().withdraw_below = 0.4;
  b.parameters().theta_0 = -2;
  b.parameters().rho = 0.6;
  return b.build();
}

struct LoggedRun {
  Results results;
  ReplicateLog log;
};

LoggedRun run(const Model& m, std::uint64_t seed, long k, int threads = 1) {
  LoggedRun out;
  RunOptions o;
  o.replicates = k;
  o.seed = seed;
  o.threads = threads;
  o.batch = 32;
  o.log = &out.log;
  out.results = simulate(m, o);
  return out;
}

TEST(ReplicateLog, AgreesWithTheRunsCounts) {
  const Model m = compile(assembly());
  const long k = 999;
  const LoggedRun r = run(m, 5, k, 2);
  ASSERT_EQ(r.log.outcomes.size(), static_cast<std::size_t>(k) * 2);
  for (int d = 0; d < 2; ++d) {
    const DraftCounts& c = r.results.drafts[static_cast<std::size_t>(d)];
    std::uint64_t stood = 0, recorded = 0, adopted = 0, without = 0;
    std::vector<std::uint64_t> final_hist(static_cast<std::size_t>(m.members) + 1, 0);
    std::uint64_t no_total = 0, no_from_counts = 0;
    for (long rep = 0; rep < k; ++rep) {
      const DraftOutcome& o = r.log.outcome(rep, d);
      stood += o.has(DraftOutcome::kStood);
      recorded += o.has(DraftOutcome::kRecorded);
      adopted += o.has(DraftOutcome::kAdopted);
      without += o.has(DraftOutcome::kWithoutVote);
      final_hist[static_cast<std::size_t>(o.sponsors)] += 1;
      no_total += static_cast<std::uint64_t>(o.tally[vote_index(Vote::kNo)]);
    }
    const auto n1 = static_cast<std::size_t>(m.members) + 1;
    for (std::size_t v = 0; v < n1; ++v)
      no_from_counts += v * c.tally[vote_index(Vote::kNo) * n1 + v];
    EXPECT_EQ(stood, c.stood);
    EXPECT_EQ(recorded, c.recorded);
    EXPECT_EQ(adopted, c.adopted);
    EXPECT_EQ(without, c.without_vote);
    EXPECT_EQ(no_total, no_from_counts);
    const std::vector<std::uint64_t> last(c.sponsors_by_round.end() - static_cast<long>(n1),
                                          c.sponsors_by_round.end());
    EXPECT_EQ(final_hist, last);
  }
  // The log does not depend on threads or batch size either.
  EXPECT_EQ(run(m, 5, k, 1).log, r.log);
}

TEST(Compare, FiguresAgreeWithTheRunSummary) {
  const Scenario s = assembly();
  const Model m = compile(s);
  const long k = 800;
  const LoggedRun r = run(m, 9, k);
  const Summary summary = summarise(m, r.results, {3});
  const Comparison c = compare({s, m, r.log, 9}, {s, m, r.log, 9}, {3});
  ASSERT_EQ(c.drafts.size(), 2u);
  for (std::size_t d = 0; d < 2; ++d) {
    const DraftSummary& ds = summary.drafts[d];
    auto find = [&](const std::string& key) {
      for (const PairedFigure& f : c.drafts[d].figures) {
        if (f.key == key) return f;
      }
      ADD_FAILURE() << key;
      return PairedFigure{};
    };
    EXPECT_DOUBLE_EQ(*find("sponsors").a, ds.sponsors_final.mean);
    EXPECT_NEAR(*find("sponsors").a_se, *ds.sponsors_final.se, 1e-12);
    EXPECT_DOUBLE_EQ(*find("p_adopted").a, ds.p_adopted.p);
    EXPECT_NEAR(*find("p_adopted").a_se, ds.p_adopted.se, 1e-12);
    EXPECT_DOUBLE_EQ(*find("p_withdrawn").a, ds.p_withdrawn.p);
    EXPECT_DOUBLE_EQ(*find("p_reach:3").a, ds.p_reach[0].second.p);
    if (ds.no) {
      EXPECT_NEAR(*find("no").a, ds.no->mean, 1e-12);
    }
    // A scenario compared with itself differs by exactly nothing.
    EXPECT_EQ(*find("sponsors").diff, 0.0);
    EXPECT_EQ(*find("sponsors").diff_se, 0.0);
  }
  for (const MemberMove& mv : c.members) EXPECT_EQ(mv.diff, 0.0) << mv.code;
}

// A variant that changes one member's choice (the typical what-if) is compared with its
// original. (A what-if that reshapes the whole sponsorship dynamic, or drafts with
// different ids, share fewer random numbers and gain less; docs/output.md says so.)
TEST(Compare, CommonRandomNumbersNarrowTheIntervalOfADifference) {
  const Scenario a = assembly();
  const WhatIfRun what_if = apply_what_ifs(assembly(), {{WhatIfKind::kForce, "M3:A"}});
  const Scenario& b = what_if.scenario;
  const Model ma = compile(a);
  const Model mb = compile(b, what_if.constraints);
  const long k = 2000;
  const LoggedRun ra = run(ma, 11, k);
  const LoggedRun rb_common = run(mb, 11, k);
  const LoggedRun rb_independent = run(mb, 12, k);
  const Comparison common = compare({a, ma, ra.log, 11}, {b, mb, rb_common.log, 11}, {});
  const Comparison independent = compare({a, ma, ra.log, 11}, {b, mb, rb_independent.log, 12}, {});
  EXPECT_TRUE(common.common_random_numbers);
  EXPECT_FALSE(independent.common_random_numbers);
  // Whole-scenario figures and the shared drafts: the paired interval is much narrower.
  int compared = 0;
  for (std::size_t f = 0; f < common.overall.size(); ++f) {
    const PairedFigure& c = common.overall[f];
    const PairedFigure& i = independent.overall[f];
    ASSERT_TRUE(c.diff_se && i.diff_se) << c.key;
    if (*i.diff_se == 0) continue;
    EXPECT_LT(*c.diff_se, 0.7 * *i.diff_se) << c.key;
    ++compared;
  }
  EXPECT_GE(compared, 4);
  // Draft B's co-sponsors: B's own draft is unchanged by forcing M3 onto A, except
  // through the rival term, so nearly every replicate pairs exactly.
  const PairedFigure& cb = common.drafts[1].figures[0];
  const PairedFigure& ib = independent.drafts[1].figures[0];
  EXPECT_LT(*cb.diff_se, 0.5 * *ib.diff_se);
  // Both intervals estimate the same difference: they agree within their joint error.
  const PairedFigure& c0 = common.overall[0];
  const PairedFigure& i0 = independent.overall[0];
  EXPECT_LT(std::abs(*c0.diff - *i0.diff),
            4 * std::sqrt(*c0.diff_se * *c0.diff_se + *i0.diff_se * *i0.diff_se));
}

TEST(Compare, DraftsInOneScenarioOnlyStandAlone) {
  const Scenario a = assembly();
  Scenario b = assembly();
  b.drafts[1].id = "C";
  const Model ma = compile(a);
  const Model mb = compile(b);
  const LoggedRun ra = run(ma, 3, 100);
  const LoggedRun rb = run(mb, 3, 100);
  const Comparison c = compare({a, ma, ra.log, 3}, {b, mb, rb.log, 3}, {});
  ASSERT_EQ(c.drafts.size(), 3u);
  EXPECT_TRUE(c.drafts[0].in_a && c.drafts[0].in_b);
  EXPECT_TRUE(c.drafts[1].in_a && !c.drafts[1].in_b);
  EXPECT_TRUE(!c.drafts[2].in_a && c.drafts[2].in_b);
  EXPECT_TRUE(c.drafts[1].figures[0].a.has_value());
  EXPECT_FALSE(c.drafts[1].figures[0].b.has_value());
  EXPECT_FALSE(c.drafts[1].figures[0].diff.has_value());
}

}  // namespace
}  // namespace plenary
