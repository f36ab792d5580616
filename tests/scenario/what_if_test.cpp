// What-ifs: --force, --forbid, --absent, --shift on a loaded scenario.
#include "plenary/scenario/what_if.hpp"

#include <gtest/gtest.h>

#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"
#include "plenary/scenario/loader.hpp"
#include "plenary/util/error.hpp"

namespace plenary {
namespace {

RunOptions run_options(long replicates, std::uint64_t seed) {
  RunOptions o;
  o.replicates = replicates;
  o.seed = seed;
  return o;
}

Scenario example() { return load_scenario(PLENARY_SOURCE_DIR "/scenarios/example.yaml"); }

std::string error_of(const std::vector<WhatIf>& what_ifs) {
  const Scenario s = example();
  try {
    apply_what_ifs(s, what_ifs);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(WhatIf, ForceAddsSponsorsFromRoundZeroAndKeepsTheText) {
  const Scenario loaded = example();
  const Eigen::VectorXd before = sponsor_position(loaded, loaded.drafts[0].sponsors, "GGE");
  const WhatIfRun run = apply_what_ifs(loaded, {{WhatIfKind::kForce, "BRA:GGE"}});
  const Scenario& s = run.scenario;
  EXPECT_EQ(loaded.drafts[0].sponsors, (std::vector<int>{0}));  // a new value, not an edit
  EXPECT_EQ(s.drafts[0].sponsors, (std::vector<int>{0, 2}));
  ASSERT_TRUE(s.drafts[0].position.has_value());
  EXPECT_EQ(*s.drafts[0].position, before);  // not moved towards Brazil
  EXPECT_EQ(s.what_ifs, std::vector<std::string>{"--force BRA:GGE"});
  const Results r = simulate(compile(s, run.constraints), run_options(64, 1));
  EXPECT_EQ(r.drafts[0].member_sponsor[2], 64u);
}

TEST(WhatIf, BlocsExpandToTheirMembers) {
  const WhatIfRun run = apply_what_ifs(
      example(), {{WhatIfKind::kForbid, "GRULAC:GGE"}, {WhatIfKind::kAbsent, "EEG"}});
  const Scenario& s = run.scenario;
  ASSERT_EQ(run.constraints.barred.size(), s.drafts.size());
  EXPECT_EQ(run.constraints.barred[0], std::vector<int>{2});
  EXPECT_EQ(s.members[1].absence, 1.0);
  const Model m = compile(s, run.constraints);
  EXPECT_EQ(m.drafts[0].barred, std::vector<int>{2});
  // Without the constraints, the same scenario bars no one.
  EXPECT_TRUE(compile(s).drafts[0].barred.empty());
  const Results r = simulate(m, run_options(200, 4));
  EXPECT_EQ(r.drafts[0].member_sponsor[2], 0u);
  // Russia is absent from every vote it could cast.
  for (const DraftCounts& d : r.drafts) {
    EXPECT_EQ(d.member_votes[4 * 1 + 3], d.stood);
  }
}

TEST(WhatIf, ShiftMovesMembersNotTexts) {
  const Scenario s = apply_what_ifs(example(), {{WhatIfKind::kShift, "USA=-0.5,0.25"}}).scenario;
  EXPECT_DOUBLE_EQ(s.members[0].position[0], 0.4);
  EXPECT_DOUBLE_EQ(s.members[0].position[1], 0.35);
  // GGE's position was its sponsor's (the US's) and stays where it was.
  EXPECT_DOUBLE_EQ((*s.drafts[0].position)[0], 0.9);
}

TEST(WhatIf, TheOrderOfWhatIfsDoesNotMatter) {
  const Scenario a =
      apply_what_ifs(example(), {{WhatIfKind::kShift, "USA=1,0"}, {WhatIfKind::kForce, "RUS:GGE"}})
          .scenario;
  const Scenario b =
      apply_what_ifs(example(), {{WhatIfKind::kForce, "RUS:GGE"}, {WhatIfKind::kShift, "USA=1,0"}})
          .scenario;
  EXPECT_EQ(*a.drafts[0].position, *b.drafts[0].position);
  EXPECT_EQ(a.drafts[0].sponsors, b.drafts[0].sponsors);
}

TEST(WhatIf, BadArgumentsNameTheFlagAndTheFix) {
  EXPECT_NE(error_of({{WhatIfKind::kForce, "BRA"}}).find("expected CODE:DRAFT"), std::string::npos);
  EXPECT_NE(error_of({{WhatIfKind::kForce, "BRZ:GGE"}}).find("did you mean 'BRA'"),
            std::string::npos);
  EXPECT_NE(error_of({{WhatIfKind::kForce, "BRA:GG"}}).find("no draft 'GG'"), std::string::npos);
  EXPECT_NE(error_of({{WhatIfKind::kForbid, "USA:GGE"}}).find("original sponsor"),
            std::string::npos);
  EXPECT_NE(
      error_of({{WhatIfKind::kForbid, "BRA:GGE"}, {WhatIfKind::kForce, "BRA:GGE"}}).find("--force"),
      std::string::npos);
  EXPECT_NE(error_of({{WhatIfKind::kShift, "USA=1"}}).find("2 dimensions"), std::string::npos);
  EXPECT_NE(error_of({{WhatIfKind::kShift, "USA=1,x"}}).find("finite numbers"), std::string::npos);
  EXPECT_NE(error_of({{WhatIfKind::kShift, "USA"}}).find("expected CODE=dx,dy"), std::string::npos);
  EXPECT_NE(error_of({{WhatIfKind::kAbsent, ""}}).find("member code or a bloc"), std::string::npos);
  EXPECT_NE(error_of({{WhatIfKind::kShift, "USA=1e308,0"}, {WhatIfKind::kShift, "USA=1e308,0"}})
                .find("beyond +-1e+06"),
            std::string::npos);
  // Finite but so far out that squared distances would overflow (found by fuzz_what_if).
  EXPECT_NE(error_of({{WhatIfKind::kShift, "USA=0,1e200"}}).find("use a smaller shift"),
            std::string::npos);
  EXPECT_EQ(error_of({{WhatIfKind::kShift, "USA=999999,0"}}), "");
}

}  // namespace
}  // namespace plenary
