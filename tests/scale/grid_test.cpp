// The grid of a sweep: ranges, lists, the order of points, and refused specs.
#include "plenary/scale/grid.hpp"

#include <gtest/gtest.h>

#include "plenary/util/error.hpp"
#include "support/assembly.hpp"

namespace plenary::scale {
namespace {

using V = std::vector<std::string>;

std::string error_of(std::string_view spec) {
  try {
    parse_axis(spec);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Grid, RangesIncludeTheStopAndAreRounded) {
  EXPECT_EQ(parse_axis("theta_peer=0:4:0.5").values,
            (V{"0", "0.5", "1", "1.5", "2", "2.5", "3", "3.5", "4"}));
  EXPECT_EQ(parse_axis("rho=0:1:0.1").values,
            (V{"0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1"}));
  EXPECT_EQ(parse_axis("GGE.closes = 6:11:2").values, (V{"6", "8", "10"}));
  EXPECT_EQ(parse_axis("theta_0=-1:-1:1").values, (V{"-1"}));
  EXPECT_EQ(parse_axis("theta_0=-1:1:1").name, "theta_0");
}

TEST(Grid, ListsAndVectorFields) {
  EXPECT_EQ(parse_axis("GGE.closes=6,8,10").values, (V{"6", "8", "10"}));
  EXPECT_EQ(parse_axis("GGE.majority=simple, two_thirds").values, (V{"simple", "two_thirds"}));
  EXPECT_EQ(parse_axis("GGE.position=0,0; 0.5,0.5").values, (V{"0,0", "0.5,0.5"}));
  EXPECT_EQ(parse_axis("A/C.1/78/L.11.position=sponsors").values, (V{"sponsors"}));
  EXPECT_EQ(parse_axis("theta_peer=2").values, (V{"2"}));
}

TEST(Grid, BadSpecsAreRefusedWithTheReason) {
  EXPECT_EQ(error_of("theta_peer=0:4:0"),
            "--set 'theta_peer=0:4:0': the step must be positive, got 0");
  EXPECT_EQ(error_of("theta_peer=0:4:-1"),
            "--set 'theta_peer=0:4:-1': the step must be positive, got -1");
  EXPECT_EQ(error_of("theta_peer=4:0:1"),
            "--set 'theta_peer=4:0:1': the stop (0) is below the start (4)");
  EXPECT_EQ(error_of("theta_peer=0:4"),
            "--set 'theta_peer=0:4': expected a range start:stop:step, got '0:4'");
  EXPECT_EQ(error_of("theta_peer=a:4:1"),
            "--set 'theta_peer=a:4:1': expected a number for the range's start, got 'a' (a "
            "range is start:stop:step, e.g. theta_peer=0:4:0.5)");
  EXPECT_EQ(error_of("theta_peer="), "--set 'theta_peer=': no values given");
  EXPECT_EQ(error_of("theta_peer=1,,2"), "--set 'theta_peer=1,,2': empty value in the list");
  EXPECT_EQ(error_of("theta_peer"),
            "--set 'theta_peer': expected NAME=VALUES, e.g. 'theta_peer=0:4:0.5' or "
            "'GGE.closes=6,8,10'");
  EXPECT_EQ(error_of("theta_peer=0:1e9:1"),
            "--set 'theta_peer=0:1e9:1': the range has more than 100000 values");
}

TEST(Grid, PointsRunTheFirstAxisSlowest) {
  const Grid g({parse_axis("a=1,2"), parse_axis("b=x,y,z")});
  ASSERT_EQ(g.size(), 6u);
  EXPECT_EQ(g.assignments(0), (V{"a=1", "b=x"}));
  EXPECT_EQ(g.assignments(1), (V{"a=1", "b=y"}));
  EXPECT_EQ(g.assignments(3), (V{"a=2", "b=x"}));
  EXPECT_EQ(g.assignments(5), (V{"a=2", "b=z"}));
}

TEST(Grid, EmptyDuplicateAndHugeGridsAreRefused) {
  EXPECT_THROW(Grid({}), UsageError);
  EXPECT_THROW(Grid({parse_axis("a=1"), parse_axis("a=2")}), UsageError);
  EXPECT_THROW(Grid({parse_axis("a=0:999:1"), parse_axis("b=0:999:1")}), UsageError);
  try {
    Grid({parse_axis("a=0:999:1"), parse_axis("b=0:999:1")});
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "the grid has more than 100000 points; sweep fewer values or split the sweep");
  }
}

TEST(Grid, EachPointIsAValidatedScenario) {
  testing::AssemblyBuilder b;
  b.member("A", {0, 0}).member("B", {1, 0});
  b.draft("D", {"A"}, 5);
  const Scenario base = b.build();
  const Grid g({parse_axis("theta_peer=1,2"), parse_axis("D.closes=3,6")});
  const Scenario s = g.scenario(base, 3);
  EXPECT_EQ(s.parameters.theta_peer, 2);
  EXPECT_EQ(s.drafts[0].closes, 6);
  EXPECT_EQ(s.overrides, (V{"theta_peer=2", "D.closes=6"}));
  const Grid bad({parse_axis("D.closes=3,0")});
  EXPECT_THROW(bad.scenario(base, 1), ScenarioError);
  const Grid unknown({parse_axis("theta_peeer=1")});
  try {
    unknown.scenario(base, 0);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "grid point 0 (theta_peeer=1): --set 'theta_peeer=1': unknown parameter "
                 "'theta_peeer' (did you mean 'theta_peer'?)");
  }
}

}  // namespace
}  // namespace plenary::scale
