// `--free NAME[=LOW:HIGH]`: names, default bounds, every refusal, and applying values.
#include "plenary/fit/free_parameter.hpp"

#include <gtest/gtest.h>

#include "plenary/fit/problem.hpp"
#include "plenary/scenario/loader.hpp"

namespace plenary {
namespace {

// scenarios/example.yaml: USA (0.9, 0.1, clout 3), RUS (-0.8, 0.2), BRA (0.1, -0.3); GGE
// takes its sponsor's position; OEWG overrides theta_peer = 2; globally theta_peer = 2.5.
const Scenario& example() {
  static const Scenario s = load_scenario(PLENARY_SOURCE_DIR "/scenarios/example.yaml");
  return s;
}

std::string error_of(const std::vector<std::string>& texts) {
  try {
    parse_free_list(example(), texts);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

TEST(FreeParameter, GlobalAndPerDraftParameters) {
  const auto free = parse_free_list(example(), {"theta_peer, OEWG.theta_peer", "GGE.theta_peer"});
  ASSERT_EQ(free.size(), 3u);
  EXPECT_EQ(free[0].draft, -1);
  EXPECT_EQ(free[0].kind, FreeKind::kParameter);
  EXPECT_EQ(free[0].initial[0], 2.5);
  EXPECT_EQ(free[0].lower[0], 0);
  EXPECT_EQ(free[0].upper[0], 10);
  EXPECT_EQ(free[1].draft, 1);
  EXPECT_EQ(free[1].initial[0], 2.0);  // its own override
  EXPECT_EQ(free[2].initial[0], 2.5);  // the global value it inherits
  EXPECT_EQ(coordinate_count(free), 3);
  EXPECT_EQ(free_list_text(free), "theta_peer,OEWG.theta_peer,GGE.theta_peer");
}

TEST(FreeParameter, DefaultBounds) {
  EXPECT_EQ(default_parameter_bounds("theta_0"), std::pair(-12.0, 4.0));
  EXPECT_EQ(default_parameter_bounds("rho"), std::pair(0.0, 1.0));
  EXPECT_EQ(default_parameter_bounds("tau_no"), std::pair(0.0, 10.0));
  EXPECT_EQ(default_parameter_bounds("phi_fit"), std::pair(0.0, 10.0));
  // The members span [-0.8, 0.9] x [-0.3, 0.2]: widened by max(a quarter, 0.5) each side.
  EXPECT_EQ(default_position_bounds(example(), 0), std::pair(-1.3, 1.4));
  EXPECT_EQ(default_position_bounds(example(), 1), std::pair(-0.8, 0.7));
}

TEST(FreeParameter, VectorsAndBounds) {
  const auto free =
      parse_free_list(example(), {"GGE.position,OEWG.status_quo=-2:2", "theta_0=-8:0"});
  ASSERT_EQ(free.size(), 3u);
  EXPECT_EQ(free[0].kind, FreeKind::kPosition);
  EXPECT_EQ(free[0].size(), 2);
  EXPECT_TRUE(free[0].initial.isApprox(Eigen::Vector2d(0.9, 0.1)));  // the sponsors' position
  EXPECT_EQ(free[0].coordinate_name(1), "GGE.position[2]");
  EXPECT_FALSE(free[0].bounds_given);
  EXPECT_EQ(free[1].kind, FreeKind::kStatusQuo);
  EXPECT_EQ(free[1].lower, Eigen::Vector2d(-2, -2));
  EXPECT_TRUE(free[1].bounds_given);
  EXPECT_EQ(free[2].lower[0], -8);
  EXPECT_EQ(free_list_text(free), "GGE.position,OEWG.status_quo=-2:2,theta_0=-8:0");

  Scenario s = example();
  Eigen::VectorXd x(5);
  x << 0.5, -0.5, 0.25, 0.75, -6;
  apply_free(free, x, s);
  EXPECT_EQ(*s.drafts[0].position, Eigen::Vector2d(0.5, -0.5));
  EXPECT_EQ(s.drafts[1].status_quo, Eigen::Vector2d(0.25, 0.75));
  EXPECT_EQ(s.parameters.theta_0, -6);
}

// absence_scale multiplies every member's absence rate (BRA's 0.05 here; the others are 0),
// bounded so that every rate stays below 1; a member certain to be absent stays so.
TEST(FreeParameter, AbsenceScale) {
  auto free = parse_free_list(example(), {"absence_scale"});
  ASSERT_EQ(free.size(), 1u);
  EXPECT_EQ(free[0].kind, FreeKind::kAbsenceScale);
  EXPECT_EQ(free[0].draft, -1);
  EXPECT_EQ(free[0].initial[0], 1);
  EXPECT_EQ(free[0].lower[0], 0);
  EXPECT_EQ(free[0].upper[0], 4);  // min(4, 0.99 / 0.05)
  EXPECT_EQ(free_list_text(free), "absence_scale");

  Scenario s = example();
  s.members[0].absence = 1;
  s.members[1].absence = 0.3;
  EXPECT_DOUBLE_EQ(default_absence_scale_bounds(s).second, 3.3);  // 0.99 / 0.3
  apply_free(free, Eigen::VectorXd::Constant(1, 2.5), s);
  EXPECT_EQ(s.members[0].absence, 1);
  EXPECT_DOUBLE_EQ(s.members[1].absence, 0.75);
  EXPECT_DOUBLE_EQ(s.members[2].absence, 0.125);

  free = parse_free_list(example(), {"absence_scale=0.5:1.5"});
  EXPECT_TRUE(free[0].bounds_given);
  EXPECT_EQ(free_list_text(free), "absence_scale=0.5:1.5");

  Scenario none = example();
  none.members[2].absence = 0;
  try {
    parse_free(none, "absence_scale");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "--free 'absence_scale': no member has an absence rate between 0 and "
                 "1, so there is nothing to scale (give members 'absence:' rates, e.g. "
                 "from a positions file)");
  }
}

TEST(FreeParameter, RefusesBadInputNamingTheFlagAndTheFix) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"theta_pear",
       "--free 'theta_pear': 'theta_pear' is not a parameter that can be fitted "
       "(did you mean 'theta_peer'?)"},
      {"position",
       "--free 'position': 'position' is not a parameter that can be fitted "
       "(expected a MODEL.md parameter such as 'theta_peer', or 'absence_scale'; a "
       "draft's position is 'DRAFT.position')"},
      {"absence_scal",
       "--free 'absence_scal': 'absence_scal' is not a parameter that can be "
       "fitted (did you mean 'absence_scale'?)"},
      {"absence_scale=0:25",
       "--free 'absence_scale=0:25': at 25 the largest absence rate below 1 (0.05) would reach "
       "1.25: keep the upper bound below 20"},
      {"absence_scale=-1:2",
       "--free 'absence_scale=-1:2': the lower bound must be >= 0 (a negative scale makes "
       "negative absence rates), got -1"},
      {"GGE.closes",
       "--free 'GGE.closes': 'closes' is not a parameter that can be fitted "
       "(expected a MODEL.md parameter or 'position', 'status_quo' or 'lobbying')"},
      {"GGE.positon",
       "--free 'GGE.positon': 'positon' is not a parameter that can be fitted "
       "(did you mean 'position'?)"},
      {"GGX.position", "--free 'GGX.position': unknown draft 'GGX' (did you mean 'GGE'?)"},
      {"theta_peer=6:0",
       "--free 'theta_peer=6:0': the lower bound 6 must be below the upper bound 0"},
      {"theta_peer=1:1",
       "--free 'theta_peer=1:1': the lower bound 1 must be below the upper bound 1"},
      {"theta_peer=0",
       "--free 'theta_peer=0': expected bounds LOW:HIGH after '=', e.g. "
       "'theta_peer=0:6', got '0'"},
      {"theta_peer=a:1",
       "--free 'theta_peer=a:1': expected bounds LOW:HIGH after '=', e.g. "
       "'theta_peer=0:6', got 'a:1'"},
      {"theta_peer=0:1e7",
       "--free 'theta_peer=0:1e7': bound 1e7 is out of range: bounds must "
       "be finite and within +-1000000"},
      {"=0:1",
       "--free '=0:1': expected NAME or NAME=LOW:HIGH, e.g. 'theta_peer' or "
       "'GGE.position=-2:2'"},
      {"theta_0,,theta_peer",
       "--free 'theta_0,,theta_peer': an empty name in the list "
       "(separate names with single commas: 'theta_0,theta_peer')"},
      {"theta_0,theta_0=-5:0", "--free 'theta_0=-5:0': 'theta_0' is already free: give it once"},
  };
  for (const auto& [text, message] : cases) EXPECT_EQ(error_of({text}), message) << text;
  EXPECT_EQ(error_of({}),
            "no --free given: name the parameters to fit, e.g. --free "
            "theta_0,theta_peer");
}

// Bounds that admit an invalid scenario are refused before any simulation.
TEST(FreeParameter, BoundsMustKeepTheScenarioValid) {
  const auto targets = parse_targets(example(), {"GGE.yes=2"});
  for (const char* item : {"rho=-1:1", "tau_yes=-5:1", "GGE.lobbying=-1:1"}) {
    try {
      FitProblem(example(), targets, parse_free_list(example(), {item}), {});
      FAIL() << item;
    } catch (const UsageError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("--free: with every free parameter at its lower "
                                            "bound the scenario is invalid: ",
                                            0),
                0u)
          << e.what();
      EXPECT_NE(std::string(e.what()).find("(narrow the bounds with NAME=LOW:HIGH)"),
                std::string::npos);
    }
  }
  // The start is the scenario's value clamped into the bounds.
  const FitProblem p(example(), targets, parse_free_list(example(), {"theta_peer=3:4,theta_0"}),
                     {});
  EXPECT_EQ(p.start(), Eigen::Vector2d(3, -4));
  EXPECT_EQ(p.coordinate_names(), (std::vector<std::string>{"theta_peer", "theta_0"}));
}

}  // namespace
}  // namespace plenary
