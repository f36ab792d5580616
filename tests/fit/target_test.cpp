// `--target DRAFT.QUANTITY[@ROUND]=VALUE[~TOLERANCE]`: the grammar and every refusal.
#include "plenary/fit/target.hpp"

#include <gtest/gtest.h>

#include "plenary/scenario/loader.hpp"

namespace plenary {
namespace {

// scenarios/example.yaml: members USA, RUS, BRA; drafts GGE and OEWG, both closing at 10.
const Scenario& example() {
  static const Scenario s = load_scenario(PLENARY_SOURCE_DIR "/scenarios/example.yaml");
  return s;
}

std::string error_of(const std::string& text) {
  try {
    parse_target(example(), text);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Target, ParsesEveryForm) {
  Target t = parse_target(example(), "GGE.yes=2");
  EXPECT_EQ(t.draft, 0);
  EXPECT_EQ(t.quantity, Quantity::kYes);
  EXPECT_FALSE(t.round);
  EXPECT_EQ(t.value, 2);
  EXPECT_EQ(t.tolerance, kCountTolerance);
  EXPECT_FALSE(t.tolerance_given);

  t = parse_target(example(), "GGE.sponsors@8=2.5~0.25");
  EXPECT_EQ(t.quantity, Quantity::kSponsors);
  EXPECT_EQ(t.round, 8);
  EXPECT_EQ(t.value, 2.5);
  EXPECT_EQ(t.tolerance, 0.25);
  EXPECT_TRUE(t.tolerance_given);
  EXPECT_EQ(target_label(example(), t), "GGE.sponsors@8");
  EXPECT_EQ(target_text(example(), t), "GGE.sponsors@8=2.5~0.25");

  t = parse_target(example(), " OEWG.p_reach:2 = 0.9 ");
  EXPECT_EQ(t.draft, 1);
  EXPECT_EQ(t.quantity, Quantity::kPReach);
  EXPECT_EQ(t.reach, 2);
  EXPECT_EQ(t.tolerance, kProbabilityTolerance);
  EXPECT_EQ(target_text(example(), t), "OEWG.p_reach:2=0.9");

  for (const char* q : {"no", "abstain", "absent"}) {
    EXPECT_NO_THROW(parse_target(example(), std::string("GGE.") + q + "=1")) << q;
  }
  for (const char* q : {"p_adopted", "p_without_vote", "p_withdrawn"}) {
    EXPECT_TRUE(is_probability(parse_target(example(), std::string("GGE.") + q + "=1").quantity));
  }
  EXPECT_EQ(parse_target(example(), "GGE.sponsors@0=1").round, 0);
  EXPECT_EQ(parse_target(example(), "GGE.sponsors@10=1").round, 10);
}

TEST(Target, RefusesBadInputNamingTheFlagAndTheFix) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"GGE.yes",
       "--target 'GGE.yes': expected DRAFT.QUANTITY=VALUE, e.g. 'GGE.yes=139' or "
       "'GGE.sponsors@8=55~2'"},
      {"yes=2",
       "--target 'yes=2': expected DRAFT.QUANTITY before '=', e.g. 'GGE.yes=139' or "
       "'GGE.sponsors@8=55~2'"},
      {"GGX.yes=2", "--target 'GGX.yes=2': unknown draft 'GGX' (did you mean 'GGE'?)"},
      {"UNFCCC.yes=2",
       "--target 'UNFCCC.yes=2': unknown draft 'UNFCCC' (the drafts are 'GGE' and 'OEWG')"},
      {"GGE.yess=2", "--target 'GGE.yess=2': unknown quantity 'yess' (did you mean 'yes'?)"},
      {"GGE.turnout=2",
       "--target 'GGE.turnout=2': unknown quantity 'turnout' (expected 'sponsors', 'yes', 'no', "
       "'abstain', 'absent', 'p_adopted', 'p_without_vote', 'p_withdrawn', 'p_reach', 'p_yes', "
       "'p_no', 'p_abstain', 'p_absent' or 'p_sponsor')"},
      {"GGE.yes@3=2",
       "--target 'GGE.yes@3=2': '@ROUND' applies only to 'sponsors' (the count "
       "after a round), not to 'yes'"},
      {"GGE.sponsors@11=2",
       "--target 'GGE.sponsors@11=2': round 11 is out of range: the scenario runs rounds 0 to 10 "
       "(give 'sponsors@R' with 0 <= R <= 10, or 'sponsors' for the close)"},
      {"GGE.sponsors@-1=2",
       "--target 'GGE.sponsors@-1=2': round -1 is out of range: the scenario runs rounds 0 to 10 "
       "(give 'sponsors@R' with 0 <= R <= 10, or 'sponsors' for the close)"},
      {"GGE.sponsors@x=2",
       "--target 'GGE.sponsors@x=2': expected a whole number for the round, "
       "got 'x'"},
      {"GGE.p_reach=0.5",
       "--target 'GGE.p_reach=0.5': 'p_reach' needs the count to reach, e.g. "
       "'GGE.p_reach:55=0.9'"},
      {"GGE.p_reach:4=0.5",
       "--target 'GGE.p_reach:4=0.5': p_reach:4 is out of range: N must be "
       "1 to 3, the number of members"},
      {"GGE.yes:2=1",
       "--target 'GGE.yes:2=1': ':' applies only to 'p_reach:N' and the member "
       "quantities (p_yes, p_no, p_abstain, p_absent, p_sponsor), not to 'yes'"},
      {"GGE.p_no=1",
       "--target 'GGE.p_no=1': 'p_no' needs a member code or a bloc after ':', "
       "e.g. 'OEWG.p_no:USA=1'"},
      {"GGE.p_yes:=1",
       "--target 'GGE.p_yes:=1': 'p_yes' needs a member code or a bloc after "
       "':', e.g. 'OEWG.p_yes:USA=1'"},
      {"GGE.p_no:USB=1",
       "--target 'GGE.p_no:USB=1': 'USB' is neither a member code nor a bloc "
       "of the scenario (did you mean 'USA'?)"},
      {"GGE.p_sponsor:WEOF=1",
       "--target 'GGE.p_sponsor:WEOF=1': 'WEOF' is neither a member "
       "code nor a bloc of the scenario (did you mean 'WEOG'?)"},
      {"GGE.p_no:USA@3=1",
       "--target 'GGE.p_no:USA@3=1': '@ROUND' applies only to 'sponsors' "
       "(the count after a round), not to 'p_no'"},
      {"GGE.p_no:USA=2",
       "--target 'GGE.p_no:USA=2': 'p_no' is a probability: the value must be "
       "between 0 and 1, got 2"},
      {"GGE.yes=abc", "--target 'GGE.yes=abc': expected a finite number for the value, got 'abc'"},
      {"GGE.yes=", "--target 'GGE.yes=': expected a finite number for the value, got ''"},
      {"GGE.yes=nan", "--target 'GGE.yes=nan': expected a finite number for the value, got 'nan'"},
      {"GGE.yes=1e999",
       "--target 'GGE.yes=1e999': expected a finite number for the value, got '1e999'"},
      {"GGE.p_adopted=1.5",
       "--target 'GGE.p_adopted=1.5': 'p_adopted' is a probability: the "
       "value must be between 0 and 1, got 1.5"},
      {"GGE.yes=-1",
       "--target 'GGE.yes=-1': 'yes' counts members: the value must be between 0 "
       "and 3, got -1"},
      {"GGE.yes=2~0", "--target 'GGE.yes=2~0': the tolerance after '~' must be > 0, got 0"},
      {"GGE.yes=2~-1", "--target 'GGE.yes=2~-1': the tolerance after '~' must be > 0, got -1"},
      {"GGE.yes=2~x",
       "--target 'GGE.yes=2~x': expected a finite number for the tolerance after "
       "'~', got 'x'"},
  };
  for (const auto& [text, message] : cases) EXPECT_EQ(error_of(text), message) << text;
}

// Member and bloc quantities: `QUANTITY:CODE` or `QUANTITY:BLOC`.
TEST(Target, MemberAndBlocQuantities) {
  Target t = parse_target(example(), "OEWG.p_no:USA=1~0.1");
  EXPECT_EQ(t.draft, 1);
  EXPECT_EQ(t.quantity, Quantity::kPNo);
  EXPECT_TRUE(is_probability(t.quantity));
  EXPECT_EQ(t.subject, "USA");
  EXPECT_EQ(t.members, std::vector<int>{0});
  EXPECT_EQ(t.tolerance, 0.1);
  EXPECT_EQ(target_label(example(), t), "OEWG.p_no:USA");
  EXPECT_EQ(target_text(example(), t), "OEWG.p_no:USA=1~0.1");

  t = parse_target(example(), "GGE.p_sponsor:GRULAC=0.5");
  EXPECT_EQ(t.quantity, Quantity::kPSponsor);
  EXPECT_EQ(t.members, std::vector<int>{2});
  EXPECT_EQ(t.tolerance, kProbabilityTolerance);
  for (const char* q : {"p_yes", "p_abstain", "p_absent"}) {
    EXPECT_TRUE(
        is_member_quantity(parse_target(example(), std::string("GGE.") + q + ":RUS=0").quantity));
  }

  // A bloc of several members; a vote quantity keeps only those with voting rights.
  Scenario s = example();
  s.blocs[0].members = {0, 2};
  s.members[2].votes = false;
  EXPECT_EQ(parse_target(s, "GGE.p_sponsor:WEOG=1").members, (std::vector<int>{0, 2}));
  EXPECT_EQ(parse_target(s, "GGE.p_yes:WEOG=1").members, std::vector<int>{0});
  try {
    parse_target(s, "GGE.p_yes:BRA=1");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "--target 'GGE.p_yes:BRA=1': 'BRA' has no member with voting rights "
                 "in this scenario, so 'p_yes' has no value (name a member or bloc "
                 "that votes)");
  }

  // The same quantity for two members are two figures; for one member twice, a duplicate.
  EXPECT_NO_THROW(parse_targets(example(), {"OEWG.p_no:USA=1", "OEWG.p_no:BRA=0"}));
  EXPECT_THROW(parse_targets(example(), {"OEWG.p_no:USA=1", "OEWG.p_no:WEOG=1"}), UsageError);
}

TEST(Target, RefusesNoTargetsAndDuplicates) {
  try {
    parse_targets(example(), {"GGE.yes=2", "OEWG.yes=2", "GGE.yes=1~2"});
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "--target 'GGE.yes=1~2': 'GGE.yes' is already a target: give each "
                 "figure once");
  }
  EXPECT_NO_THROW(parse_targets(example(), {"GGE.sponsors=2", "GGE.sponsors@3=2"}));
  EXPECT_THROW(parse_targets(example(), {}), UsageError);
}

// A draft id with dots (as UN document symbols have) splits at the last dot.
TEST(Target, DraftIdsMayHoldDots) {
  Scenario s = example();
  s.drafts[0].id = "A/C.1/78/L.11";
  const Target t = parse_target(s, "A/C.1/78/L.11.sponsors@3=2");
  EXPECT_EQ(t.draft, 0);
  EXPECT_EQ(t.round, 3);
}

TEST(Target, MeasuresTheSummary) {
  Summary summary;
  DraftSummary d;
  d.sponsors_by_round = {{1, 0.0, 1, 1, 1}, {2.5, 0.25, 2, 2, 3}};
  d.sponsors_final = {3.5, 0.5, 3, 3, 4};
  d.yes = Distribution{40, 1.5, 38, 40, 42};
  d.p_adopted = {0.75, 0.01};
  d.p_reach = {{2, {0.6, 0.02}}};
  summary.drafts = {d};
  Target t;
  t.quantity = Quantity::kSponsors;
  EXPECT_EQ(measure(t, summary).value, 3.5);
  EXPECT_EQ(measure(t, summary).se, 0.5);
  t.round = 1;
  EXPECT_EQ(measure(t, summary).value, 2.5);
  t.quantity = Quantity::kYes;
  EXPECT_EQ(measure(t, summary).value, 40);
  EXPECT_FALSE(measure(t, summary).fallback);
  t.quantity = Quantity::kPAdopted;
  EXPECT_EQ(measure(t, summary).se, 0.01);
  t.quantity = Quantity::kPReach;
  t.reach = 2;
  EXPECT_EQ(measure(t, summary).value, 0.6);

  // No recorded vote: the expected intended count over the replicates in which it stood.
  summary.drafts[0].yes.reset();
  MemberSummary a, b;
  a.p_yes = 0.5;
  b.p_yes = 0.25;
  summary.drafts[0].members = {a, b, MemberSummary{}};
  t.quantity = Quantity::kYes;
  const Measurement m = measure(t, summary);
  EXPECT_TRUE(m.fallback);
  EXPECT_EQ(m.value, 0.75);

  // A member's probability, and a bloc's: the mean, with the mean standard error (an upper
  // bound on the error of the mean of correlated votes).
  a.p_no = 0.5;
  a.p_no_se = 0.02;
  b.p_no = 0.25;
  b.p_no_se = 0.01;
  a.p_sponsor = 0.125;
  a.p_sponsor_se = 0.004;
  summary.drafts[0].members = {a, b, MemberSummary{}};
  t.quantity = Quantity::kPNo;
  t.members = {0};
  EXPECT_EQ(measure(t, summary).value, 0.5);
  EXPECT_EQ(measure(t, summary).se, 0.02);
  EXPECT_FALSE(measure(t, summary).fallback);
  t.members = {0, 1};
  EXPECT_EQ(measure(t, summary).value, 0.375);
  EXPECT_DOUBLE_EQ(measure(t, summary).se, 0.015);
  t.members = {0, 2};  // the third never had an intended vote (the draft never stood): 0
  EXPECT_EQ(measure(t, summary).value, 0.25);
  t.quantity = Quantity::kPSponsor;
  t.members = {0};
  EXPECT_EQ(measure(t, summary).value, 0.125);
  EXPECT_EQ(measure(t, summary).se, 0.004);
}

}  // namespace
}  // namespace plenary
