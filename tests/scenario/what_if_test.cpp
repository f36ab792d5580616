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
  Scenario s = example();
  try {
    apply_what_ifs(s, what_ifs);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(WhatIf, ForceAddsSponsorsFromRoundZeroAndKeepsTheText) {
  Scenario s = example();
  const Eigen::VectorXd before = sponsor_position(s, s.drafts[0].sponsors, "GGE");
  apply_what_ifs(s, {{WhatIfKind::kForce, "BRA:GGE"}});
  EXPECT_EQ(s.drafts[0].sponsors, (std::vector<int>{0, 2}));
  ASSERT_TRUE(s.drafts[0].position.has_value());
  EXPECT_EQ(*s.drafts[0].position, before);  // not moved towards Brazil
  EXPECT_EQ(s.what_ifs, std::vector<std::string>{"--force BRA:GGE"});
  const Results r = simulate(compile(s), run_options(64, 1));
  EXPECT_EQ(r.drafts[0].member_sponsor[2], 64u);
}

TEST(WhatIf, BlocsExpandToTheirMembers) {
  Scenario s = example();
  apply_what_ifs(s, {{WhatIfKind::kForbid, "GRULAC:GGE"}, {WhatIfKind::kAbsent, "EEG"}});
  EXPECT_EQ(s.drafts[0].barred, std::vector<int>{2});
  EXPECT_EQ(s.members[1].absence, 1.0);
  const Results r = simulate(compile(s), run_options(200, 4));
  EXPECT_EQ(r.drafts[0].member_sponsor[2], 0u);
  // Russia is absent from every vote it could cast.
  for (const DraftCounts& d : r.drafts) {
    EXPECT_EQ(d.member_votes[4 * 1 + 3], d.stood);
  }
}

TEST(WhatIf, ShiftMovesMembersNotTexts) {
  Scenario s = example();
  apply_what_ifs(s, {{WhatIfKind::kShift, "USA=-0.5,0.25"}});
  EXPECT_DOUBLE_EQ(s.members[0].position[0], 0.4);
  EXPECT_DOUBLE_EQ(s.members[0].position[1], 0.35);
  // GGE's position was its sponsor's (the US's) and stays where it was.
  EXPECT_DOUBLE_EQ((*s.drafts[0].position)[0], 0.9);
}

TEST(WhatIf, TheOrderOfWhatIfsDoesNotMatter) {
  Scenario a = example();
  Scenario b = example();
  apply_what_ifs(a, {{WhatIfKind::kShift, "USA=1,0"}, {WhatIfKind::kForce, "RUS:GGE"}});
  apply_what_ifs(b, {{WhatIfKind::kForce, "RUS:GGE"}, {WhatIfKind::kShift, "USA=1,0"}});
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
  EXPECT_NE(error_of({{WhatIfKind::kForbid, "BRA:GGE"}, {WhatIfKind::kForce, "BRA:GGE"}})
                .find("--force"),
            std::string::npos);
  EXPECT_NE(error_of({{WhatIfKind::kShift, "USA=1"}}).find("2 dimensions"), std::string::npos);
  EXPECT_NE(error_of({{WhatIfKind::kShift, "USA=1,x"}}).find("finite numbers"),
            std::string::npos);
  EXPECT_NE(error_of({{WhatIfKind::kShift, "USA"}}).find("expected CODE=dx,dy"),
            std::string::npos);
  EXPECT_NE(error_of({{WhatIfKind::kAbsent, ""}}).find("member code or a bloc"),
            std::string::npos);
  EXPECT_NE(error_of({{WhatIfKind::kShift, "USA=1e308,0"}, {WhatIfKind::kShift, "USA=1e308,0"}})
                .find("not finite"),
            std::string::npos);
}

}  // namespace
}  // namespace plenary
