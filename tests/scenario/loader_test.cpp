// Tests of the scenario loader (sim/scenario): the example loads field by field, every
// file in scenarios/ loads, included and referenced files, --set and validate(), and the
// text helpers. Bad inputs are in loader_errors_test.cpp.

#include "plenary/scenario/loader.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>

#include "plenary/util/text.hpp"
#include "scenario/loader_test_util.hpp"

namespace plenary {
namespace {

using namespace testing_loader;
namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------
// Valid scenarios

TEST(Loader, ExampleLoadsEveryField) {
  const Scenario s = load_scenario_text(kExample);
  EXPECT_EQ(s.name, "Two rival drafts, three members");
  EXPECT_EQ(s.source, "");
  EXPECT_EQ(s.sha256, "");
  EXPECT_EQ(s.dims, 2);
  ASSERT_EQ(s.members.size(), 3u);
  const Member& usa = s.members[0];
  EXPECT_EQ(usa.code, "USA");
  EXPECT_EQ(usa.name, "United States");
  EXPECT_EQ(usa.position, Eigen::Vector2d(0.9, 0.1));
  EXPECT_EQ(usa.clout, 3);
  EXPECT_EQ(usa.absence, 0);
  EXPECT_TRUE(usa.votes);
  EXPECT_EQ(usa.group, "");
  EXPECT_EQ(s.members[1].clout, 2);
  EXPECT_EQ(s.members[2].code, "BRA");
  EXPECT_EQ(s.members[2].clout, 1);
  EXPECT_EQ(s.members[2].absence, 0.05);

  ASSERT_EQ(s.blocs.size(), 3u);
  EXPECT_EQ(s.find_bloc("WEOG"), 0);
  EXPECT_EQ(s.find_bloc("EEG"), 1);
  EXPECT_EQ(s.find_bloc("GRULAC"), 2);
  EXPECT_EQ(s.find_bloc("NATO"), -1);
  EXPECT_EQ(s.blocs[0].tie, 1);
  EXPECT_EQ(s.blocs[1].tie, 1);
  EXPECT_EQ(s.blocs[0].members, std::vector<int>{0});
  EXPECT_EQ(s.blocs[2].members, std::vector<int>{2});
  EXPECT_EQ(usa.blocs, std::vector<int>{0});
  EXPECT_EQ(s.members[2].blocs, std::vector<int>{2});

  ASSERT_EQ(s.ties.size(), 1u);
  EXPECT_EQ(s.ties[0].from, s.find_member("BRA"));
  EXPECT_EQ(s.ties[0].to, s.find_member("USA"));
  EXPECT_EQ(s.ties[0].weight, 0.5);
  EXPECT_FALSE(s.agreement);

  ASSERT_EQ(s.drafts.size(), 2u);
  const Draft& gge = s.drafts[0];
  EXPECT_EQ(gge.id, "GGE");
  EXPECT_EQ(gge.title, "Advancing responsible State behaviour in cyberspace");
  EXPECT_EQ(gge.sponsors, std::vector<int>{0});
  EXPECT_FALSE(gge.position);
  EXPECT_EQ(gge.status_quo, Eigen::Vector2d(0, 0));
  EXPECT_EQ(gge.opens, 0);
  EXPECT_EQ(gge.closes, 10);
  EXPECT_EQ(gge.rivals, std::vector<int>{1});
  EXPECT_EQ(gge.majority, Majority::kSimple);
  EXPECT_EQ(gge.lobbying, 1);
  EXPECT_FALSE(gge.withdraw_below);
  for (const auto& value : gge.parameters.values) EXPECT_FALSE(value);

  const Draft& oewg = s.drafts[1];
  EXPECT_EQ(s.find_draft("OEWG"), 1);
  EXPECT_EQ(s.find_draft("XYZ"), -1);
  EXPECT_EQ(oewg.title, "");
  EXPECT_EQ(oewg.sponsors, std::vector<int>{1});
  ASSERT_TRUE(oewg.position);
  EXPECT_EQ(*oewg.position, Eigen::Vector2d(-0.7, 0.2));
  EXPECT_EQ(oewg.status_quo, Eigen::Vector2d(0, 0));
  EXPECT_TRUE(oewg.rivals.empty());
  EXPECT_EQ(oewg.lobbying, 1.5);
  EXPECT_EQ(oewg.withdraw_below, 0.3);
  EXPECT_EQ(oewg.parameters.values[*find_parameter("theta_peer")], 2.0);
  EXPECT_EQ(oewg.parameters.apply(s.parameters).theta_peer, 2.0);
  EXPECT_EQ(oewg.parameters.apply(s.parameters).phi_fit, 2);

  EXPECT_EQ(s.parameters.theta_peer, 2.5);
  EXPECT_EQ(s.parameters.phi_fit, 2);
  EXPECT_EQ(s.parameters.theta_0, Parameters{}.theta_0);
  EXPECT_EQ(s.run.replicates, 2000);
  EXPECT_EQ(s.run.seed, 7u);
  EXPECT_EQ(s.run.thresholds, std::vector<int>{2});
}

TEST(Loader, OptionalFieldsAndDefaults) {
  const Scenario s = load_scenario_text(R"(name: Options
description: |
  Free text, ignored.
members:
  - code: A
    name: Alpha
    position: [1]
    votes: false
    group: GRULAC
    data: {source: [x, {y: 1}], anything: goes}
  - {code: B, name: Beta, position: [-1], clout: 0}
missing_position: error
drafts:
  - {id: D1, sponsors: [A, B], opens: 2, closes: 7, majority: two_thirds, lobbying: 0,
     withdraw_below: 0, status_quo: [0.5]}
run: {seed: 18446744073709551615}
)");
  EXPECT_EQ(s.dims, 1);
  EXPECT_FALSE(s.members[0].votes);
  EXPECT_EQ(s.members[0].group, "GRULAC");
  EXPECT_EQ(s.members[1].clout, 0);
  const Draft& d = s.drafts[0];
  EXPECT_EQ(d.sponsors, (std::vector<int>{0, 1}));
  EXPECT_EQ(d.opens, 2);
  EXPECT_EQ(d.closes, 7);
  EXPECT_EQ(d.majority, Majority::kTwoThirds);
  EXPECT_EQ(d.lobbying, 0);
  EXPECT_EQ(d.withdraw_below, 0);
  EXPECT_EQ(d.status_quo, Eigen::VectorXd::Constant(1, 0.5));
  EXPECT_EQ(s.run.replicates, RunSettings{}.replicates);
  EXPECT_EQ(s.run.seed, 18446744073709551615u);
}

TEST(Loader, AnchorsAndAliasesAreShared) {
  const Scenario s = load_scenario_text(R"(name: Aliases
members:
  - {code: A, name: Alpha, position: &p [0.5, 0.5]}
  - {code: B, name: Beta, position: *p}
drafts:
  - {id: D, sponsors: [A], closes: 3}
)");
  EXPECT_EQ(s.members[1].position, Eigen::Vector2d(0.5, 0.5));
}

TEST(Loader, BillionLaughsInDataIsNotExpanded) {
  // Nine levels of ten aliases: 10^9 leaves if copied, nothing if shared and never walked.
  std::string yaml = "name: Laughs\nmembers:\n  - code: A\n    name: Alpha\n    position: [0]\n";
  yaml += "    data:\n      l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int k = 1; k <= 9; ++k) {
    const std::string p = "*l" + std::to_string(k - 1);
    yaml += "      l" + std::to_string(k) + ": &l" + std::to_string(k) + " [" + p;
    for (int j = 1; j < 10; ++j) yaml += ", " + p;
    yaml += "]\n";
  }
  yaml += "drafts:\n  - {id: D, sponsors: [A], closes: 3}\n";
  EXPECT_EQ(load_scenario_text(yaml).members.size(), 1u);
  // Where a number is expected the alias is a list, reported at once. yaml-cpp shares the
  // aliased node, so the location is the anchor's (l9, line 16).
  yaml += "parameters: {rho: *l9}\n";
  EXPECT_EQ(error_of(yaml), "<string>:16:11: expected a number for 'rho', got a list");
}

TEST(Loader, SelfReferentialAliasIsAnError) {
  EXPECT_EQ(error_of_edit("position: [0.9, 0.1]", "position: &x [*x]"),
            "<string>:3:48: expected a number for 'position', got a list");
}

TEST(Loader, EveryScenarioFileLoads) {
  int loaded = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(PLENARY_SOURCE_DIR) / "scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    // Member lists and positions files live here too; scenarios are the maps with drafts.
    const YAML::Node root = YAML::LoadFile(entry.path().string());
    if (!root.IsMap() || !root["drafts"]) continue;
    SCOPED_TRACE(entry.path().string());
    const Scenario s = load_scenario(entry.path());
    EXPECT_EQ(s.source, entry.path().string());
    EXPECT_EQ(s.sha256.size(), 64u);
    EXPECT_FALSE(s.drafts.empty());
    ++loaded;
  }
  EXPECT_GE(loaded, 1);
}

TEST(Loader, ExampleFileMatchesTheIssueText) {
  const Scenario file = load_scenario(fs::path(PLENARY_SOURCE_DIR) / "scenarios" / "example.yaml");
  const Scenario text = load_scenario_text(kExample);
  EXPECT_EQ(file.name, text.name);
  EXPECT_EQ(file.members.size(), text.members.size());
  EXPECT_EQ(file.drafts[1].withdraw_below, text.drafts[1].withdraw_below);
}

// ---------------------------------------------------------------------------------------
// Files: includes, positions, agreement ties

TEST(LoaderFiles, IncludePositionsAndAgreement) {
  const Scenario s = load_scenario(kData / "included.yaml");
  EXPECT_EQ(s.dims, 1);
  ASSERT_EQ(s.members.size(), 4u);
  EXPECT_EQ(s.members[1].code, "FRA");
  EXPECT_EQ(s.members[1].position, Eigen::VectorXd::Constant(1, 0.7));
  EXPECT_EQ(s.members[1].absence, 0.1);
  EXPECT_EQ(s.members[3].position, Eigen::VectorXd::Constant(1, -0.5));
  EXPECT_FALSE(s.members[3].votes);
  EXPECT_EQ(s.members[0].group, "WEOG");
  // Included blocs first, in order, then the scenario's new ones; NATO's tie is the
  // scenario's.
  ASSERT_EQ(s.blocs.size(), 5u);
  EXPECT_EQ(s.blocs[0].name, "WEOG");
  EXPECT_EQ(s.blocs[0].tie, 2);
  EXPECT_EQ(s.blocs[1].name, "NATO");
  EXPECT_EQ(s.blocs[1].tie, 1.5);
  EXPECT_EQ(s.blocs[1].members, (std::vector<int>{0, 1}));
  EXPECT_EQ(s.blocs[4].name, "P5");
  EXPECT_TRUE(s.blocs[4].members.empty());
  EXPECT_EQ(s.members[0].blocs, (std::vector<int>{0, 1}));
  ASSERT_TRUE(s.agreement);
  EXPECT_EQ(s.agreement->file, "agreement-small.csv");
  EXPECT_EQ(s.agreement->weight, 0.5);
  EXPECT_EQ(s.agreement->floor, 0.25);
  // CHN is not a member: its pair is skipped.
  ASSERT_EQ(s.agreement->scores.size(), 4u);
  EXPECT_EQ(s.agreement->scores[1].a, 0);
  EXPECT_EQ(s.agreement->scores[1].b, 2);
  EXPECT_EQ(s.agreement->scores[1].n, 120);
  EXPECT_EQ(s.agreement->scores[1].score, 0.2);
}

TEST(LoaderFiles, NestedIncludeAndMissingPositionModes) {
  const TempDir dir;
  const std::string head =
      "name: N\nmembers: {include: " + (kData / "nested.yaml").string() + "}\n";
  const std::string drafts = "drafts:\n  - {id: A, sponsors: [USA], closes: 5}\n";
  EXPECT_EQ(error_of_file(dir.write("error.yaml", head + drafts)),
            (kData / "members-small.yaml").string() +
                ":7:5: member 'FRA' has no position (give it one, or set 'missing_position: "
                "bloc_mean' or 'origin')");
  const Scenario origin =
      load_scenario(dir.write("origin.yaml", head + "missing_position: origin\n" + drafts));
  EXPECT_EQ(origin.members[1].position, Eigen::VectorXd::Zero(1));
  EXPECT_EQ(origin.blocs[origin.find_bloc("EEG")].tie, 3);
  // FRA shares WEOG and NATO with USA only; VEN's GRULAC has nobody with a position.
  EXPECT_EQ(error_of_file(dir.write("mean.yaml", head + "missing_position: bloc_mean\n" + drafts)),
            (kData / "members-small.yaml").string() +
                ":9:5: member 'VEN' has no position and none of its blocs has a member with "
                "one (for 'missing_position: bloc_mean')");
}

TEST(LoaderFiles, BlocMeanAveragesPositionedBlocMembers) {
  const Scenario s = load_scenario_text(R"(name: Means
members: {include: mean-members.yaml}
missing_position: bloc_mean
drafts:
  - {id: D, sponsors: [A], closes: 3}
)",
                                        "<string>", [] {
                                          static const TempDir dir;
                                          dir.write("mean-members.yaml", R"(members:
  - {code: A, name: A, position: [1, 0], blocs: [X, Y]}
  - {code: B, name: B, position: [0, 1], blocs: [Y]}
  - {code: C, name: C, position: [5, 5]}
  - {code: D, name: D, blocs: [X, Y]}
blocs: {X: {}, Y: {}}
)");
                                          return dir.path();
                                        }());
  EXPECT_EQ(s.members[3].position, Eigen::Vector2d(0.5, 0.5));
}

TEST(LoaderFiles, IncludeCycle) {
  EXPECT_EQ(error_of_file(kData / "cycle.yaml"),
            (kData / "cycle-b.yaml").string() +
                ":2:20: include cycle: " + (kData / "cycle-a.yaml").string() + " -> " +
                (kData / "cycle-b.yaml").string() + " -> " + (kData / "cycle-a.yaml").string());
}

TEST(LoaderFiles, MissingFiles) {
  const TempDir dir;
  const fs::path nowhere = dir.path() / "nowhere.yaml";
  EXPECT_EQ(error_of_file(nowhere),
            nowhere.string() + ": cannot read the scenario file: No such file or directory");
  EXPECT_EQ(error_of_file(dir.path()),
            dir.path().string() + ": cannot read the scenario file: it is a directory");
  const std::string missing = (dir.path() / "un.yaml").string();
  EXPECT_EQ(error_of_file(dir.write("s.yaml", "name: x\nmembers: {include: un.yaml}\n")),
            dir.path().string() + "/s.yaml:2:20: cannot read included file '" + missing +
                "': No such file or directory");
  dir.write("un.yaml", "members: [{code: USA, name: U}]\n");
  EXPECT_EQ(error_of_file(dir.write("p.yaml",
                                    "name: x\nmembers: {include: un.yaml, positions: "
                                    "pos.yaml}\n")),
            dir.path().string() + "/p.yaml:2:40: cannot read positions file '" +
                (dir.path() / "pos.yaml").string() + "': No such file or directory");
  EXPECT_EQ(error_of_file(dir.write("a.yaml", std::string(kBase) + "agreement: {file: g.csv}\n")),
            dir.path().string() + "/a.yaml:9:19: cannot read agreement file '" +
                (dir.path() / "g.csv").string() + "': No such file or directory");
}

// Abstention habits come from the member list or from a positions file, which overrides.
TEST(LoaderFiles, AbstainHabitsFromMembersAndPositions) {
  const TempDir dir;
  dir.write("un.yaml",
            "members:\n  - {code: USA, name: U, abstain_habit: 0.5}\n"
            "  - {code: RUS, name: R, abstain_habit: -0.25}\n  - {code: FRA, name: F}\n");
  dir.write("pos.yaml",
            "positions:\n  - {code: USA, position: [1], abstain_habit: 1.75}\n"
            "  - {code: RUS, position: [2]}\n  - {code: FRA, position: [0]}\n");
  const Scenario s =
      load_scenario(dir.write("s.yaml",
                              "name: x\nmembers: {include: un.yaml, positions: pos.yaml}\n"
                              "drafts: [{id: A, sponsors: [USA], closes: 2}]\n"));
  EXPECT_EQ(s.members[0].abstain_habit, 1.75);
  EXPECT_EQ(s.members[1].abstain_habit, -0.25);
  EXPECT_EQ(s.members[2].abstain_habit, 0);
}

TEST(LoaderFiles, BadIncludedAndPositionsFiles) {
  const TempDir dir;
  const std::string d = dir.path().string() + "/";
  const std::string main =
      "name: x\nmembers: {include: un.yaml, positions: pos.yaml}\n"
      "drafts: [{id: A, sponsors: [USA], closes: 2}]\n";
  dir.write("un.yaml", "");
  EXPECT_EQ(error_of_file(dir.write("s.yaml", main)),
            d + "un.yaml: the included file is empty (expected a map with 'members')");
  dir.write("un.yaml", "members:\n  - {code: USA, name: U}\n  - {code: RUS, name: R}\n");
  dir.write("pos.yaml", "positions:\n  - {code: USX, position: [1]}\n");
  EXPECT_EQ(error_of_file(d + "s.yaml"),
            d + "pos.yaml:2:12: unknown member code 'USX' in positions (did you mean 'USA'?)");
  dir.write("pos.yaml",
            "positions:\n  - {code: USA, position: [1]}\n  - {code: USA, position: [2]}\n");
  EXPECT_EQ(error_of_file(d + "s.yaml"),
            d + "pos.yaml:3:12: duplicate code 'USA' in positions (first given at line 2)");
  dir.write("pos.yaml",
            "positions:\n  - {code: USA, position: [1]}\n  - {code: RUS, position: [2, 1]}\n");
  EXPECT_EQ(error_of_file(d + "s.yaml"),
            d + "pos.yaml:3:27: position of member 'RUS' has 2 dimensions but 'USA' has 1");
  dir.write("pos.yaml", "positions:\n  - {code: USA, position: [1], abstain_habit: x}\n");
  EXPECT_EQ(error_of_file(d + "s.yaml"),
            d + "pos.yaml:2:47: expected a number for 'abstain_habit', got 'x'");
  dir.write("pos.yaml",
            "positions:\n  - {code: USA, position: [1], abstain_habit: 60}\n"
            "  - {code: RUS, position: [2]}\n");
  EXPECT_EQ(error_of_file(d + "s.yaml"),
            d + "pos.yaml:2:47: 'abstain_habit' must be at most 50, got 60");
  dir.write("pos.yaml", "positions:\n  - {code: USA, positon: [1]}\n");
  EXPECT_EQ(error_of_file(d + "s.yaml"),
            d + "pos.yaml:2:17: unknown key 'positon' (did you mean 'position'?)");
  dir.write("pos.yaml", "positions: [{code: USA, position: [1]}, {code: RUS, position: [2]}]\n");
  dir.write("un.yaml", "members: [{code: USA, name: U, blocs: [NATO]}, {code: RUS, name: R}]\n");
  EXPECT_EQ(error_of_file(d + "s.yaml"),
            d + "un.yaml:1:40: bloc 'NATO' is not declared under 'blocs:'");
  dir.write("un.yaml",
            "name: x\nmembers: [{code: USA, name: U}, {code: RUS, name: R}]\ndrafts: []\n");
  EXPECT_EQ(error_of_file(d + "s.yaml"),
            d + "un.yaml:3:1: unknown key 'drafts' (expected 'members', 'blocs', 'name' or "
                "'description')");
}

TEST(LoaderFiles, AgreementCsvErrors) {
  const TempDir dir;
  const std::string d = dir.path().string() + "/";
  const fs::path scenario = dir.write("s.yaml", std::string(kBase) + "agreement: {file: g.csv}\n");
  const auto check = [&](std::string_view csv, const std::string& expected) {
    dir.write("g.csv", csv);
    try {
      load_scenario(scenario);
      ADD_FAILURE() << "no error for " << csv;
    } catch (const DataError& e) {
      EXPECT_EQ(e.what(), d + "g.csv:" + expected) << csv;
    }
  };
  dir.write("g.csv", "\n\n");
  EXPECT_EQ(error_of_file(scenario),
            d + "g.csv: the file is empty (expected the header 'code_a,code_b,n,agreement')");
  check("a,b,n,g\n", "1:1: expected the header 'code_a,code_b,n,agreement', got 'a,b,n,g'");
  check("code_a,code_b,n,agreement\nUSA,RUS,3\n",
        "2:1: expected 4 fields (code_a,code_b,n,agreement), got 3");
  check("code_a,code_b,n,agreement\nUSA,RUS,3.5,0.5\n",
        "2:9: expected a non-negative integer for 'n', got '3.5'");
  check("code_a,code_b,n,agreement\r\nUSA,RUS,3,1.5\r\n",
        "2:11: 'agreement' must be between 0 and 1, got 1.5");
  check("code_a,code_b,n,agreement\nUSA,RUS,3,high\n",
        "2:11: expected a number for 'agreement', got 'high'");
  check("code_a,code_b,n,agreement\n\"USA,RUS,3,0.5\n",
        "2:1: unterminated quoted field (a closing "
        "'\"' is missing)");
  check("code_a,code_b,n,agreement\n\"USA\"x,RUS,3,0.5\n",
        "2:6: unexpected text after a quoted field");
  check("code_a,code_b,n,agreement\nUSA,USA,3,0.5\n", "2:5: a pair of 'USA' with itself");
  check("code_a,code_b,n,agreement\nUSA,RUS,3,0.5\n\nRUS,USA,4,0.5\n",
        "4:1: duplicate pair 'RUS','USA' (first given at line 2)");
}

// ---------------------------------------------------------------------------------------
// validate() and apply_set()

std::string set_error(Scenario& s, std::string_view assignment) {
  try {
    apply_set(s, assignment);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

std::string validate_error(const Scenario& s) {
  try {
    validate(s);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ApplySet, ParametersAndDraftFields) {
  Scenario s = load_scenario_text(kExample);
  apply_set(s, "theta_peer=2");
  EXPECT_EQ(s.parameters.theta_peer, 2);
  apply_set(s, " rho = 0.5 ");
  EXPECT_EQ(s.parameters.rho, 0.5);
  apply_set(s, "GGE.theta_peer=1.25");
  EXPECT_EQ(s.drafts[0].parameters.values[*find_parameter("theta_peer")], 1.25);
  apply_set(s, "GGE.closes=8");
  apply_set(s, "GGE.opens=2");
  apply_set(s, "GGE.lobbying=1.5");
  apply_set(s, "GGE.withdraw_below=0.3");
  apply_set(s, "GGE.majority=two_thirds");
  apply_set(s, "GGE.position=0.1,0.2");
  apply_set(s, "GGE.status_quo=0, -1");
  const Draft& d = s.drafts[0];
  EXPECT_EQ(d.closes, 8);
  EXPECT_EQ(d.opens, 2);
  EXPECT_EQ(d.lobbying, 1.5);
  EXPECT_EQ(d.withdraw_below, 0.3);
  EXPECT_EQ(d.majority, Majority::kTwoThirds);
  ASSERT_TRUE(d.position);
  EXPECT_EQ(*d.position, Eigen::Vector2d(0.1, 0.2));
  EXPECT_EQ(d.status_quo, Eigen::Vector2d(0, -1));
  validate(s);
  apply_set(s, "GGE.withdraw_below=none");
  apply_set(s, "GGE.position=sponsors");
  apply_set(s, "GGE.majority=simple");
  EXPECT_FALSE(s.drafts[0].withdraw_below);
  EXPECT_FALSE(s.drafts[0].position);
  EXPECT_EQ(s.drafts[0].majority, Majority::kSimple);
  // Draft ids may contain dots: the field is after the last one.
  s.drafts[1].id = "A/C.1/78/L.11";
  apply_set(s, "A/C.1/78/L.11.closes=4");
  EXPECT_EQ(s.drafts[1].closes, 4);
}

TEST(ApplySet, Errors) {
  Scenario s = load_scenario_text(kExample);
  EXPECT_EQ(set_error(s, "theta_pear=2"),
            "--set 'theta_pear=2': unknown parameter 'theta_pear' (did you mean 'theta_peer'?)");
  EXPECT_EQ(set_error(s, "theta_peer"),
            "--set 'theta_peer': expected NAME=VALUE, e.g. 'theta_peer=2' or 'GGE.closes=8'");
  EXPECT_EQ(set_error(s, "=2"), "--set '=2': expected NAME=VALUE, but the name is missing");
  EXPECT_EQ(set_error(s, "theta_peer=abc"),
            "--set 'theta_peer=abc': expected a number for 'theta_peer', got 'abc'");
  EXPECT_EQ(set_error(s, "theta_peer=nan"),
            "--set 'theta_peer=nan': expected a number for 'theta_peer', got 'nan'");
  EXPECT_EQ(set_error(s, "rho=1e999"),
            "--set 'rho=1e999': 'rho' must be a finite number, got 1e999");
  EXPECT_EQ(set_error(s, "GEE.closes=8"),
            "--set 'GEE.closes=8': unknown draft 'GEE' (did you mean 'GGE'?)");
  EXPECT_EQ(set_error(s, "GGE.clozes=8"),
            "--set 'GGE.clozes=8': unknown draft field or parameter 'clozes' (did you mean "
            "'closes'?)");
  EXPECT_EQ(set_error(s, "GGE.theta_pear=8"),
            "--set 'GGE.theta_pear=8': unknown draft field or parameter 'theta_pear' (did you "
            "mean 'theta_peer'?)");
  EXPECT_EQ(set_error(s, "GGE.colour=red"),
            "--set 'GGE.colour=red': unknown draft field or parameter 'colour' (expected a "
            "parameter or 'opens', 'closes', 'lobbying', 'withdraw_below', 'majority', "
            "'position' or 'status_quo')");
  EXPECT_EQ(set_error(s, "GGE.closes=8.5"),
            "--set 'GGE.closes=8.5': expected an integer for 'closes', got '8.5'");
  EXPECT_EQ(set_error(s, "GGE.majority=twothirds"),
            "--set 'GGE.majority=twothirds': expected 'simple' or 'two_thirds' for 'majority', "
            "got 'twothirds' (did you mean 'two_thirds'?)");
  EXPECT_EQ(set_error(s, "GGE.position=0.1;0.2"),
            "--set 'GGE.position=0.1;0.2': expected 1 to 3 numbers separated by commas for "
            "'position', got '0.1;0.2'");
  EXPECT_EQ(set_error(s, "GGE.position=1,2,3,4"),
            "--set 'GGE.position=1,2,3,4': expected 1 to 3 numbers separated by commas for "
            "'position', got '1,2,3,4'");
  // Found by fuzz_set: a point of the wrong dimension was refused only by validate(), whose
  // message did not name the flag.
  EXPECT_EQ(set_error(s, "OEWG.status_quo=0.1"),
            "--set 'OEWG.status_quo=0.1': the scenario's policy space has 2 dimensions; give 2 "
            "numbers for 'status_quo', got '0.1'");
}

TEST(ApplySets, NamesTheAssignmentsThatMakeTheScenarioInvalid) {
  Scenario s = load_scenario_text(kExample);
  apply_sets(s, {"theta_peer=1", "GGE.closes=12"});
  EXPECT_EQ(s.overrides, (std::vector<std::string>{"theta_peer=1", "GGE.closes=12"}));
  try {
    apply_sets(s, {"GGE.opens=3", "GGE.closes=2"});
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    EXPECT_TRUE(
        std::string_view(e.what()).starts_with("--set 'GGE.opens=3' --set 'GGE.closes=2': "))
        << e.what();
  }
}

TEST(Validate, ChecksAfterApplySet) {
  Scenario s = load_scenario_text(kExample);
  EXPECT_EQ(validate_error(s), "no error");
  Scenario t = s;
  apply_set(t, "GGE.closes=0");
  EXPECT_EQ(validate_error(t),
            "draft 'GGE' closes at round 0, which is not after it opens (round 0)");
  t = s;
  apply_set(t, "GGE.lobbying=-1");
  EXPECT_EQ(validate_error(t), "draft 'GGE': 'lobbying' must be >= 0, got -1");
  t = s;
  // A point of the wrong dimension is refused by apply_set itself, naming the flag.
  EXPECT_EQ(set_error(t, "GGE.position=1,2,3"),
            "--set 'GGE.position=1,2,3': the scenario's policy space has 2 dimensions; give 2 "
            "numbers for 'position', got '1,2,3'");
  t = s;
  apply_set(t, "OEWG.tau_yes=-5");
  EXPECT_EQ(validate_error(t),
            "parameters of draft 'OEWG': 'tau_yes' + 'tau_no' must be >= 0, got -5 + 1 (with "
            "the global parameters)");
  t = s;
  apply_set(t, "rho=2");
  EXPECT_EQ(validate_error(t), "parameters: 'rho' must be between 0 and 1, got 2");
  t = s;
  t.members[0].absence = 1.5;
  EXPECT_EQ(validate_error(t), "member 'USA': 'absence' must be between 0 and 1, got 1.5");
  t = s;
  t.drafts[0].rivals = {0};
  EXPECT_EQ(validate_error(t), "draft 'GGE' cannot be its own rival");
  t = s;
  t.members[1].code = "USA";
  EXPECT_EQ(validate_error(t), "duplicate member code 'USA'");
}

// ---------------------------------------------------------------------------------------
// Text helpers

TEST(Text, DidYouMean) {
  const std::vector<std::string> keys = {"id", "title", "sponsors", "closes", "opens"};
  EXPECT_EQ(did_you_mean("sponsor", keys), " (did you mean 'sponsors'?)");
  EXPECT_EQ(did_you_mean("spnosors", keys), " (did you mean 'sponsors'?)");
  EXPECT_EQ(did_you_mean("Closes", keys), " (did you mean 'closes'?)");
  EXPECT_EQ(did_you_mean("colour", keys), "");
  EXPECT_EQ(did_you_mean("x", keys), "");
  EXPECT_EQ(did_you_mean("closes", keys), "");
  EXPECT_EQ(did_you_mean("anything", std::vector<std::string>{}), "");
  EXPECT_EQ(did_you_mean("usa", std::vector<std::string>{"RUS", "USA"}), " (did you mean 'USA'?)");
  EXPECT_EQ(did_you_mean("USX", std::vector<std::string>{"RUS", "USA"}), " (did you mean 'USA'?)");
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("ab", "ba"), 1u);
}

TEST(Text, NearestWord) {
  const std::vector<std::string> options = {"--replicates", "--seed", "--report", "-k"};
  EXPECT_EQ(nearest_word("--replicats", options), std::optional<std::string>("--replicates"));
  EXPECT_EQ(nearest_word("--Seed", options), std::optional<std::string>("--seed"));
  EXPECT_EQ(nearest_word("--colour", options), std::nullopt);
  EXPECT_EQ(nearest_word("--seed", options), std::nullopt);  // itself is no suggestion
}

TEST(Text, CountNoun) {
  EXPECT_EQ(count_noun(1, "draft"), "1 draft");
  EXPECT_EQ(count_noun(0, "draft"), "0 drafts");
  EXPECT_EQ(count_noun(4000, "replicate"), "4000 replicates");
  EXPECT_EQ(count_noun(-1, "round"), "-1 rounds");
  EXPECT_EQ(count_noun(1, "roll call"), "1 roll call");
  EXPECT_EQ(count_noun(2, "country", "countries"), "2 countries");
  EXPECT_EQ(count_noun(1, "country", "countries"), "1 country");
}

TEST(Text, JoinQuotedAndNumbers) {
  EXPECT_EQ(join_quoted(std::vector<std::string>{}), "");
  EXPECT_EQ(join_quoted(std::vector<std::string>{"a"}), "'a'");
  EXPECT_EQ(join_quoted(std::vector<std::string>{"a", "b"}), "'a' or 'b'");
  EXPECT_EQ(join_quoted(std::vector<std::string>{"a", "b", "c"}, " and "), "'a', 'b' and 'c'");
  EXPECT_EQ(parse_number("1.5"), 1.5);
  EXPECT_EQ(parse_number("+2e3"), 2000);
  EXPECT_EQ(parse_number(".5"), 0.5);
  EXPECT_EQ(parse_number("-3."), -3);
  EXPECT_FALSE(parse_number("nan"));
  EXPECT_FALSE(parse_number("0x10"));
  EXPECT_FALSE(parse_number("1e"));
  EXPECT_FALSE(parse_number(""));
  EXPECT_FALSE(parse_number("."));
  EXPECT_EQ(parse_integer("-12"), -12);
  EXPECT_FALSE(parse_integer("1.0"));
  EXPECT_FALSE(parse_integer("99999999999999999999"));
  EXPECT_FALSE(parse_unsigned("-1"));
  EXPECT_EQ(format_number(1.5), "1.5");
  EXPECT_EQ(format_number(-1), "-1");
}

}  // namespace
}  // namespace plenary

namespace plenary {
namespace {

TEST(Text, ValidUtf8) {
  EXPECT_TRUE(valid_utf8("plain ASCII"));
  EXPECT_TRUE(valid_utf8("C\xc3\xb4te d'Ivoire"));               // ô
  EXPECT_TRUE(valid_utf8("\xe2\x82\xac and \xf0\x9f\x8c\x8d"));  // € and an emoji
  EXPECT_FALSE(valid_utf8("Tw\xf6"));                            // Latin-1 ö
  EXPECT_FALSE(valid_utf8("\xc3"));                              // truncated
  EXPECT_FALSE(valid_utf8("\xc0\xaf"));                          // overlong '/'
  EXPECT_FALSE(valid_utf8("\xed\xa0\x80"));                      // a surrogate
  EXPECT_FALSE(valid_utf8("\xf4\x90\x80\x80"));                  // past U+10FFFF
}

}  // namespace
}  // namespace plenary
