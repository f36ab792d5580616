// Synthetic scenarios and the scenario writer: what is generated has the documented shape,
// and every scenario written out loads back to the same scenario.
#include "plenary/scenario/generate.hpp"

#include <gtest/gtest.h>

#include "plenary/model/model.hpp"
#include "plenary/scenario/loader.hpp"
#include "scenario/loader_test_util.hpp"

namespace plenary {
namespace {

void expect_same(const Scenario& a, const Scenario& b) {
  ASSERT_EQ(a.members.size(), b.members.size());
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.dims, b.dims);
  for (std::size_t i = 0; i < a.members.size(); ++i) {
    const Member& x = a.members[i];
    const Member& y = b.members[i];
    EXPECT_EQ(x.code, y.code);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.position, y.position) << x.code;  // bit for bit: shortest round-trip form
    EXPECT_EQ(x.clout, y.clout);
    EXPECT_EQ(x.absence, y.absence);
    EXPECT_EQ(x.abstain_habit, y.abstain_habit) << x.code;
    EXPECT_EQ(x.votes, y.votes);
    EXPECT_EQ(x.blocs, y.blocs);
    EXPECT_EQ(x.position_se, y.position_se) << x.code;
    EXPECT_EQ(x.group, y.group) << x.code;
  }
  ASSERT_EQ(a.blocs.size(), b.blocs.size());
  for (std::size_t g = 0; g < a.blocs.size(); ++g) {
    EXPECT_EQ(a.blocs[g].name, b.blocs[g].name);
    EXPECT_EQ(a.blocs[g].tie, b.blocs[g].tie);
    EXPECT_EQ(a.blocs[g].members, b.blocs[g].members);
  }
  ASSERT_EQ(a.ties.size(), b.ties.size());
  for (std::size_t k = 0; k < a.ties.size(); ++k) {
    EXPECT_EQ(a.ties[k].from, b.ties[k].from);
    EXPECT_EQ(a.ties[k].to, b.ties[k].to);
    EXPECT_EQ(a.ties[k].weight, b.ties[k].weight);
  }
  ASSERT_EQ(a.drafts.size(), b.drafts.size());
  for (std::size_t r = 0; r < a.drafts.size(); ++r) {
    const Draft& x = a.drafts[r];
    const Draft& y = b.drafts[r];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.title, y.title);
    EXPECT_EQ(x.sponsors, y.sponsors);
    EXPECT_EQ(x.position.has_value(), y.position.has_value());
    if (x.position && y.position) {
      EXPECT_EQ(*x.position, *y.position);
    }
    EXPECT_EQ(x.status_quo, y.status_quo);
    EXPECT_EQ(x.opens, y.opens);
    EXPECT_EQ(x.closes, y.closes);
    EXPECT_EQ(x.rivals, y.rivals);
    EXPECT_EQ(x.majority, y.majority);
    EXPECT_EQ(x.lobbying, y.lobbying);
    EXPECT_EQ(x.withdraw_below, y.withdraw_below);
    EXPECT_EQ(x.parameters.values, y.parameters.values);
  }
  for (const auto& info : kParameters) {
    EXPECT_EQ(a.parameters.*(info.field), b.parameters.*(info.field)) << info.name;
  }
  EXPECT_EQ(a.run.replicates, b.run.replicates);
  EXPECT_EQ(a.run.seed, b.run.seed);
  EXPECT_EQ(a.run.thresholds, b.run.thresholds);
}

TEST(Generate, BenchWorkloadHasTheDocumentedShape) {
  const Scenario s = generate_scenario({});
  EXPECT_EQ(s.members.size(), 193u);
  EXPECT_EQ(s.blocs.size(), 12u);
  EXPECT_EQ(s.drafts.size(), 2u);
  EXPECT_EQ(s.dims, 2);
  for (const Member& m : s.members) {
    EXPECT_GE(m.blocs.size(), 1u);
    EXPECT_LE(m.blocs.size(), 3u);
    EXPECT_EQ(m.absence, 0.05);
  }
  EXPECT_EQ(s.drafts[0].sponsors, std::vector<int>{0});
  EXPECT_EQ(s.drafts[1].sponsors, std::vector<int>{1});
  EXPECT_EQ(s.drafts[0].closes, 20);
  const Model m = compile(s);
  EXPECT_EQ(m.drafts[0].rivals, std::vector<int>{1});
  EXPECT_EQ(m.drafts[1].rivals, std::vector<int>{0});
  EXPECT_EQ(m.drafts[0].position, s.members[0].position);  // at its sponsor's position
  // Standard-normal positions: mean within 4 standard errors of 0, variance near 1.
  const double n = 2 * 193;
  double sum = 0, sum_sq = 0;
  for (const Member& mem : s.members) {
    sum += mem.position.sum();
    sum_sq += mem.position.squaredNorm();
  }
  EXPECT_NEAR(sum / n, 0.0, 4 / std::sqrt(n));
  EXPECT_NEAR(sum_sq / n, 1.0, 4 * std::sqrt(2 / n));
}

TEST(Generate, SparseTiesAndSameOptionsSameScenario) {
  GenerateOptions o;
  o.members = 500;
  o.ties_per_member = 7;
  o.drafts = 3;
  const Scenario s = generate_scenario(o);
  EXPECT_EQ(s.ties.size(), 500u * 7u);
  for (const Bloc& b : s.blocs) EXPECT_EQ(b.tie, 0.0);
  expect_same(s, generate_scenario(o));
  o.seed = 2;
  EXPECT_NE(s.members[0].position, generate_scenario(o).members[0].position);
}

TEST(Generate, BadOptionsAreUsageErrors) {
  GenerateOptions o;
  o.members = 1;
  EXPECT_THROW(generate_scenario(o), UsageError);
  o = {};
  o.dims = 4;
  EXPECT_THROW(generate_scenario(o), UsageError);
  o = {};
  o.drafts = 0;
  EXPECT_THROW(generate_scenario(o), UsageError);
}

TEST(Writer, GeneratedScenarioRoundTrips) {
  GenerateOptions o;
  o.members = 60;
  o.ties_per_member = 3;
  o.drafts = 3;
  o.dims = 3;
  const Scenario s = generate_scenario(o);
  expect_same(load_scenario_text(scenario_to_yaml(s, "a header\nof two lines")), s);
}

TEST(Writer, ExampleRoundTripsWithEveryField) {
  Scenario s = load_scenario(PLENARY_SOURCE_DIR "/scenarios/example.yaml");
  s.members[1].votes = false;
  s.members[2].group = "GRULAC";
  s.drafts[0].opens = 2;
  s.drafts[0].majority = Majority::kTwoThirds;
  s.drafts[0].title = "Quotes \" and \\ backslashes: kept";
  s.parameters.rho = 0.25;
  s.members[0].abstain_habit = 1.0 / 3;
  s.members[2].abstain_habit = -0.75;
  expect_same(load_scenario_text(scenario_to_yaml(s)), s);
}

// The table form of a scenario (members and ties in CSV files) loads to the same Scenario
// as its YAML form, with every member field that a table holds, names that need quoting,
// and ties of varied weights.
TEST(Writer, TablesLoadToTheSameScenarioAsYaml) {
  GenerateOptions o;
  o.members = 300;
  o.ties_per_member = 5;
  o.drafts = 3;
  o.dims = 3;
  Scenario s = generate_scenario(o);
  s.members[0].name = "Korea, Republic of";
  s.members[1].name = "The \"Quoted\" One";
  s.members[2].votes = false;
  s.members[3].group = "GRULAC";
  s.members[4].clout = 2.5;
  s.members[5].abstain_habit = -0.25;
  for (Member& m : s.members) m.position_se = Eigen::VectorXd::Constant(3, 0.125);
  s.members[6].position_se = Eigen::VectorXd::Constant(3, 1e-300);
  for (std::size_t k = 0; k < s.ties.size(); ++k)
    s.ties[k].weight = 1.0 / static_cast<double>(1 + k % 7);
  const testing_loader::TempDir dir;
  const ScenarioFiles files = scenario_to_tables(s, "tables", "m.csv", "t.csv");
  dir.write("m.csv", files.members_csv);
  dir.write("t.csv", files.ties_csv);
  const Scenario from_tables = load_scenario(dir.write("s.yaml", files.yaml));
  const Scenario from_yaml = load_scenario(dir.write("y.yaml", scenario_to_yaml(s)));
  expect_same(from_tables, s);
  expect_same(from_tables, from_yaml);
}

TEST(Writer, TablesRefuseABlocNameWithASemicolon) {
  GenerateOptions o;
  o.members = 10;
  Scenario s = generate_scenario(o);
  s.blocs[s.members[0].blocs[0]].name = "A;B";
  EXPECT_THROW(scenario_to_tables(s, "", "m.csv", "t.csv"), UsageError);
}

}  // namespace
}  // namespace plenary

namespace plenary {
namespace {

TEST(Generate, DenseTiesUseEveryOtherMemberOnce) {
  GenerateOptions o;
  o.members = 50;
  o.blocs = 0;
  o.ties_per_member = 49;
  const Scenario s = generate_scenario(o);
  EXPECT_EQ(s.ties.size(), 50u * 49u);
  std::vector<int> seen(50 * 50, 0);
  for (const Tie& t : s.ties) {
    EXPECT_NE(t.from, t.to);
    EXPECT_EQ(++seen[static_cast<std::size_t>(t.from * 50 + t.to)], 1);
  }
}

}  // namespace
}  // namespace plenary
