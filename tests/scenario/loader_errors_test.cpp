// The scenario loader's errors: for each kind of bad input, the exact message and location.

#include <gtest/gtest.h>

#include <string>

#include "plenary/scenario/loader.hpp"
#include "scenario/loader_test_util.hpp"

namespace plenary {
namespace {

using namespace testing_loader;

// ---------------------------------------------------------------------------------------
// Malformed files and documents

TEST(LoaderErrors, MalformedYaml) {
  EXPECT_EQ(error_of("name: x\nmembers: [1, 2\n"),
            "<string>:3:1: invalid YAML: end of sequence flow not found");
  EXPECT_EQ(error_of("name: x\nmembers: {a: 1\n"),
            "<string>:3:1: invalid YAML: end of map flow not found");
  EXPECT_EQ(error_of("name: x\n  members: []\n"), "<string>:2:10: invalid YAML: illegal map value");
}

TEST(LoaderErrors, EmptyAndNonMapDocuments) {
  EXPECT_EQ(error_of(""),
            "<string>: the file is empty (expected a map with 'name', 'members' and 'drafts')");
  EXPECT_EQ(error_of("# only a comment\n"),
            "<string>: the file is empty (expected a map with 'name', 'members' and 'drafts')");
  EXPECT_EQ(error_of("- a\n- b\n"), "<string>:1:1: expected a map at the top level, got a list");
  EXPECT_EQ(error_of("hello\n"), "<string>:1:1: expected a map at the top level, got 'hello'");
}

TEST(LoaderErrors, MultipleDocuments) {
  // Located at the '---' that starts the second document.
  EXPECT_EQ(error_of(std::string(kBase) + "---\nname: y\n"),
            "<string>:9:1: a second YAML document starts here; the file must hold exactly one "
            "(remove the '---' line and what follows, or split the file)");
}

// Inputs on which yaml-cpp 0.7's LoadAll loops forever, allocating (found by
// tests/fuzz/fuzz_scenario): they must be refused promptly, not hang.
TEST(LoaderErrors, InputsThatHangYamlCppLoadAll) {
  EXPECT_THROW(load_scenario_text(",\n"), ScenarioError);
  EXPECT_THROW(load_scenario(PLENARY_SOURCE_DIR "/tests/scenario/data/fuzz-loadall-hang.yaml"),
               ScenarioError);
}

// ---------------------------------------------------------------------------------------
// Keys

TEST(LoaderErrors, UnknownKeysAtEveryLevel) {
  EXPECT_EQ(error_of_edit("    sponsors: [USA]", "    sponsor: [USA]"),
            "<string>:7:5: unknown key 'sponsor' (did you mean 'sponsors'?)");
  EXPECT_EQ(error_of_edit("name: Base", "nmae: Base"),
            "<string>:1:1: unknown key 'nmae' (did you mean 'name'?)");
  EXPECT_EQ(error_of_edit("name: Base", "name: Base\nfoo: 1"),
            "<string>:2:1: unknown key 'foo' (expected 'name', 'description', 'members', 'blocs', "
            "'ties', 'agreement', 'drafts', 'parameters', 'run', 'missing_position' or 'fit')");
  EXPECT_EQ(error_of_edit("position: [0.9, 0.1]}", "position: [0.9, 0.1], clot: 3}"),
            "<string>:3:60: unknown key 'clot' (did you mean 'clout'?)");
  EXPECT_EQ(error_of(std::string(kBase) + "run: {replicate: 5}\n"),
            "<string>:9:7: unknown key 'replicate' (did you mean 'replicates'?)");
  EXPECT_EQ(error_of(std::string(kBase) + "parameters:\n  theta_pear: 2\n"),
            "<string>:10:3: unknown parameter 'theta_pear' (did you mean 'theta_peer'?)");
  EXPECT_EQ(error_of(std::string(kBase) + "    parameters: {Theta_0: 2}\n"),
            "<string>:9:18: unknown parameter 'Theta_0' (did you mean 'theta_0'?)");
  EXPECT_EQ(error_of(std::string(kBase) + "blocs: {WEOG: {tei: 1}}\n"),
            "<string>:9:16: unknown key 'tei' (did you mean 'tie'?)");
  EXPECT_EQ(error_of(std::string(kBase) + "ties: [{form: USA, to: RUS, weight: 1}]\n"),
            "<string>:9:9: unknown key 'form' (did you mean 'from'?)");
  EXPECT_EQ(error_of(std::string(kBase) + "agreement: {fiel: a.csv}\n"),
            "<string>:9:13: unknown key 'fiel' (did you mean 'file'?)");
  EXPECT_EQ(error_of("name: x\nmembers: {includes: un.yaml}\n"),
            "<string>:2:11: unknown key 'includes' (did you mean 'include'?)");
}

TEST(LoaderErrors, DuplicateKeys) {
  EXPECT_EQ(error_of(std::string(kBase) + "    closes: 12\n"),
            "<string>:9:5: duplicate key 'closes' (first given at line 8)");
  EXPECT_EQ(error_of(std::string(kBase) + "name: Again\n"),
            "<string>:9:1: duplicate key 'name' (first given at line 1)");
  EXPECT_EQ(error_of_edit("{code: USA, name", "{code: USA, code: USB, name"),
            "<string>:3:17: duplicate key 'code' (first given at line 3)");
  EXPECT_EQ(error_of(std::string(kBase) + "parameters: {rho: 1, rho: 0.5}\n"),
            "<string>:9:22: duplicate parameter 'rho' (first given at line 9)");
  EXPECT_EQ(error_of(std::string(kBase) + "blocs:\n  WEOG: {}\n  WEOG: {tie: 2}\n"),
            "<string>:11:3: duplicate bloc 'WEOG' (first given at line 10)");
  EXPECT_EQ(error_of("name: x\n? [a, b]\n: 1\n"), "<string>:2:3: expected a key name, got a list");
}

TEST(LoaderErrors, MissingRequiredKeys) {
  EXPECT_EQ(error_of_edit("    closes: 10\n", ""),
            "<string>:6:5: missing required key 'closes' in draft 'GGE'");
  EXPECT_EQ(error_of_edit("    sponsors: [USA]\n", ""),
            "<string>:6:5: missing required key 'sponsors' in draft 'GGE'");
  EXPECT_EQ(error_of_edit("  - id: GGE\n    sponsors", "  - sponsors"),
            "<string>:6:5: missing required key 'id' in a draft");
  EXPECT_EQ(error_of_edit("name: Base\n", ""),
            "<string>:1:1: missing required key 'name' in the scenario");
  EXPECT_EQ(error_of("name: x\nmembers: [{code: A, name: A, position: [0]}]\n"),
            "<string>:1:1: missing required key 'drafts' in the scenario");
  EXPECT_EQ(error_of("name: x\ndrafts: []\n"),
            "<string>:1:1: missing required key 'members' in the scenario");
  EXPECT_EQ(error_of_edit("{code: USA, name: United States, ", "{name: United States, "),
            "<string>:3:5: missing required key 'code' in a member");
  EXPECT_EQ(error_of_edit("name: United States, ", ""),
            "<string>:3:5: missing required key 'name' in member 'USA'");
  EXPECT_EQ(error_of_edit(", position: [0.9, 0.1]", ""),
            "<string>:3:5: missing required key 'position' in member 'USA'");
  EXPECT_EQ(error_of(std::string(kBase) + "ties: [{from: USA, to: RUS}]\n"),
            "<string>:9:8: missing required key 'weight' in a tie");
  EXPECT_EQ(error_of(std::string(kBase) + "agreement: {weight: 1}\n"),
            "<string>:9:12: missing required key 'file' in 'agreement'");
  EXPECT_EQ(error_of("name: x\nmembers: {positions: p.yaml}\n"),
            "<string>:2:10: missing required key 'include' in 'members'");
}

TEST(LoaderErrors, WrongTypes) {
  EXPECT_EQ(error_of_edit("sponsors: [USA]", "sponsors: USA"),
            "<string>:7:15: expected a list for 'sponsors', got 'USA'");
  EXPECT_EQ(error_of_edit("sponsors: [USA]", "sponsors: {USA: 1}"),
            "<string>:7:15: expected a list for 'sponsors', got a map");
  EXPECT_EQ(error_of_edit("position: [0.9, 0.1]}", "position: [0.9, 0.1], clout: three}"),
            "<string>:3:67: expected a number for 'clout', got 'three'");
  EXPECT_EQ(error_of_edit("position: [0.9, 0.1]}", "position: [0.9, 0.1], clout: \"3\"}"),
            "<string>:3:67: expected a number for 'clout', got the quoted string '3'");
  EXPECT_EQ(error_of_edit("position: [0.9, 0.1]}", "position: [0.9, 0.1], clout: 0x10}"),
            "<string>:3:67: expected a number for 'clout', got '0x10'");
  EXPECT_EQ(error_of_edit("position: [0.9, 0.1]}", "position: [0.9, 0.1], votes: yes}"),
            "<string>:3:67: expected true or false for 'votes', got 'yes'");
  EXPECT_EQ(error_of_edit("name: Base", "name: [a, b]"),
            "<string>:1:7: expected a string for 'name', got a list");
  EXPECT_EQ(error_of_edit("closes: 10", "closes: 10.5"),
            "<string>:8:13: expected an integer for 'closes', got 10.5");
  EXPECT_EQ(error_of_edit("closes: 10", "closes: ten"),
            "<string>:8:13: expected an integer for 'closes', got 'ten'");
  EXPECT_EQ(error_of_edit("closes: 10", "closes:"),
            "<string>:8:5: expected an integer for 'closes', got nothing");
  EXPECT_EQ(error_of_edit("closes: 10", "closes: 99999999999"),
            "<string>:8:13: 'closes' is out of range, got 99999999999");
  EXPECT_EQ(error_of_edit("drafts:\n  - id: GGE", "drafts:\n  GGE:\n    id: GGE"),
            "<string>:6:3: expected a list for 'drafts', got a map");
  EXPECT_EQ(error_of("name: x\nmembers: 5\ndrafts: []\n"),
            "<string>:2:10: expected a list of members, {include: FILE, positions: FILE} or {file: "
            "FILE} for "
            "'members', got '5'");
  EXPECT_EQ(error_of_edit("  - {code: USA", "  - - {code: USA"),
            "<string>:3:5: expected a map for 'members', got a list");
  EXPECT_EQ(error_of_edit("position: [0.9, 0.1]", "position: [0.9, x]"),
            "<string>:3:54: expected a number for 'position', got 'x'");
  EXPECT_EQ(error_of_edit("position: [0.9, 0.1]", "position: 0.9"),
            "<string>:3:48: expected a list of 1 to 3 numbers for 'position', got '0.9'");
  EXPECT_EQ(error_of(std::string(kBase) + "    majority: twothirds\n"),
            "<string>:9:15: expected 'simple' or 'two_thirds' for 'majority', got 'twothirds' "
            "(did you mean 'two_thirds'?)");
  EXPECT_EQ(error_of(std::string(kBase) + "    position: sponsor\n"),
            "<string>:9:15: expected 'sponsors' or a list of 1 to 3 numbers for 'position', got "
            "'sponsor' (did you mean 'sponsors'?)");
  EXPECT_EQ(error_of(std::string(kBase) + "missing_position: mean\n"),
            "<string>:9:19: expected 'error', 'bloc_mean' or 'origin' for 'missing_position', "
            "got 'mean'");
  EXPECT_EQ(error_of(std::string(kBase) + "parameters: [1]\n"),
            "<string>:9:13: expected a map for 'parameters', got a list");
  EXPECT_EQ(error_of(std::string(kBase) + "agreement: {file: a.csv, floor: mean}\n"),
            "<string>:9:33: expected 'median' or a number for 'floor', got 'mean'");
  EXPECT_EQ(error_of(std::string(kBase) + "run: {seed: -1}\n"),
            "<string>:9:13: 'seed' must be a non-negative integer, got -1");
  EXPECT_EQ(error_of(std::string(kBase) + "run: {seed: 1e3}\n"),
            "<string>:9:13: expected a non-negative integer for 'seed', got 1e3");
  EXPECT_EQ(error_of(std::string(kBase) + "run: {seed: 18446744073709551616}\n"),
            "<string>:9:13: 'seed' must be at most 18446744073709551615, got "
            "18446744073709551616");
  EXPECT_EQ(error_of(std::string(kBase) + "description: {a: 1}\n"),
            "<string>:9:14: expected a string for 'description', got a map");
}

// Abstention habits (docs/model.md, "Extensions"): a finite number at most 50 that never
// inverts the member's band, (tau_yes + h) + (tau_no + h) >= 0 for every draft.
TEST(LoaderErrors, AbstainHabit) {
  const auto member = [](std::string_view habit, std::string_view extra = "") {
    return error_of(edit("position: [0.9, 0.1]}",
                         "position: [0.9, 0.1], abstain_habit: " + std::string(habit) + "}") +
                    std::string(extra));
  };
  EXPECT_EQ(member("x"), "<string>:3:75: expected a number for 'abstain_habit', got 'x'");
  EXPECT_EQ(member("[1]"), "<string>:3:75: expected a number for 'abstain_habit', got a list");
  EXPECT_EQ(member(".nan"), "<string>:3:75: 'abstain_habit' must be a finite number, got .nan");
  EXPECT_EQ(member("51"), "<string>:3:75: 'abstain_habit' must be at most 50, got 51");
  EXPECT_EQ(member("-1.5"),
            "<string>:3:75: 'abstain_habit' must be at least -(tau_yes + tau_no) / 2 = -1 for "
            "draft 'GGE', got -1.5 (a smaller habit would invert the member's abstention band)");
  // The tightest draft decides, with its own cut points.
  EXPECT_EQ(member("-0.7", "    parameters: {tau_yes: 0}\n"),
            "<string>:3:75: 'abstain_habit' must be at least -(tau_yes + tau_no) / 2 = -0.5 for "
            "draft 'GGE', got -0.7 (a smaller habit would invert the member's abstention band)");
  EXPECT_EQ(member("-1", "parameters: {tau_no: 3}\n"), "no error");
  EXPECT_EQ(member("50"), "no error");
}

TEST(LoaderErrors, NonFiniteAndOutOfRangeNumbers) {
  const auto member = [](std::string_view extra) {
    return error_of_edit("position: [0.9, 0.1]}",
                         "position: [0.9, 0.1], " + std::string(extra) + "}");
  };
  EXPECT_EQ(member("clout: .nan"), "<string>:3:67: 'clout' must be a finite number, got .nan");
  EXPECT_EQ(member("clout: -.inf"), "<string>:3:67: 'clout' must be a finite number, got -.inf");
  EXPECT_EQ(member("clout: 1e999"), "<string>:3:67: 'clout' must be a finite number, got 1e999");
  EXPECT_EQ(member("clout: -1"), "<string>:3:67: 'clout' must be >= 0, got -1");
  EXPECT_EQ(member("absence: 1.5"), "<string>:3:69: 'absence' must be between 0 and 1, got 1.5");
  EXPECT_EQ(error_of_edit("position: [0.9, 0.1]", "position: [.inf, 0.1]"),
            "<string>:3:49: 'position' must be a finite number, got .inf");
  EXPECT_EQ(error_of(std::string(kBase) + "ties: [{from: USA, to: RUS, weight: -0.5}]\n"),
            "<string>:9:37: 'weight' must be >= 0, got -0.5");
  EXPECT_EQ(error_of(std::string(kBase) + "blocs: {WEOG: {tie: -1}}\n"),
            "<string>:9:21: 'tie' must be >= 0, got -1");
  EXPECT_EQ(error_of(std::string(kBase) + "    lobbying: -1\n"),
            "<string>:9:15: 'lobbying' must be >= 0, got -1");
  EXPECT_EQ(error_of(std::string(kBase) + "    withdraw_below: 2\n"),
            "<string>:9:21: 'withdraw_below' must be between 0 and 1, got 2");
  EXPECT_EQ(error_of(std::string(kBase) + "    opens: -1\n"),
            "<string>:9:12: 'opens' must be >= 0, got -1");
  EXPECT_EQ(error_of_edit("closes: 10", "opens: 5\n    closes: 3"),
            "<string>:9:13: draft 'GGE' closes at round 3, which is not after it opens (round 5)");
  EXPECT_EQ(error_of_edit("closes: 10", "closes: 100001"),
            "<string>:8:13: draft 'GGE' closes at round 100001, after the last round allowed "
            "(100000)");
  EXPECT_EQ(error_of(std::string(kBase) + "parameters: {rho: 1.5}\n"),
            "<string>:9:19: 'rho' must be between 0 and 1, got 1.5");
  EXPECT_EQ(error_of(std::string(kBase) + "parameters: {tau_yes: -2}\n"),
            "<string>:9:23: 'tau_yes' + 'tau_no' must be >= 0, got -2 + 1");
  EXPECT_EQ(error_of(std::string(kBase) + "    parameters: {tau_no: -3}\n"),
            "<string>:9:26: 'tau_yes' + 'tau_no' must be >= 0, got 1 + -3 (with the global "
            "parameters)");
  EXPECT_EQ(error_of(std::string(kBase) + "run: {replicates: 0}\n"),
            "<string>:9:19: 'replicates' must be at least 1, got 0");
  EXPECT_EQ(error_of(std::string(kBase) + "run: {thresholds: [3, -1]}\n"),
            "<string>:9:19: 'thresholds' must be >= 0, got -1");
  try {
    load_scenario_text(std::string(kBase) + "agreement: {file: agreement-small.csv, weight: -1}\n",
                       "<string>", kData);
    ADD_FAILURE() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_STREQ(e.what(), "<string>:9:48: 'weight' must be >= 0, got -1");
  }
  try {
    load_scenario_text(std::string(kBase) + "agreement: {file: agreement-small.csv, floor: 1}\n",
                       "<string>", kData);
    ADD_FAILURE() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_STREQ(e.what(),
                 "<string>:9:47: 'floor' must be 'median' or a number at least 0 and below 1, "
                 "got 1");
  }
}

TEST(LoaderErrors, Clout) {
  EXPECT_EQ(error_of_edit("0.1]}", "0.1], clout: 0}"),
            "<string>:7:15: draft 'GGE' takes its sponsors' mean position, but their clout sums "
            "to 0 (give the draft a 'position' or a sponsor a positive 'clout')");
  std::string zero = edit("0.1]}", "0.1], clout: 0}");
  zero.replace(zero.find("0.2]}"), 5, "0.2], clout: 0}");
  EXPECT_EQ(error_of(zero + "    position: [0, 0]\n"),
            "<string>:3:3: the total clout of the members is 0 (give at least one member a "
            "positive 'clout')");
}

TEST(LoaderErrors, PositionsAndDimensions) {
  EXPECT_EQ(error_of_edit("position: [0.9, 0.1]", "position: []"),
            "<string>:3:48: 'position' must have 1 to 3 numbers, got 0");
  EXPECT_EQ(error_of_edit("position: [0.9, 0.1]", "position: [1, 2, 3, 4]"),
            "<string>:3:48: 'position' must have 1 to 3 numbers, got 4");
  EXPECT_EQ(error_of_edit("[-0.8, 0.2]", "[-0.8, 0.2, 0]"),
            "<string>:4:53: position of member 'RUS' has 3 dimensions but 'USA' has 2");
  EXPECT_EQ(error_of(std::string(kBase) + "    position: [1]\n"),
            "<string>:9:15: position of draft 'GGE' has 1 dimension but member 'USA' has 2");
  EXPECT_EQ(error_of(std::string(kBase) + "    status_quo: [0, 0, 0]\n"),
            "<string>:9:17: status quo of draft 'GGE' has 3 dimensions but member 'USA' has 2");
}

TEST(LoaderErrors, CodesAndIds) {
  EXPECT_EQ(error_of_edit("sponsors: [USA]", "sponsors: [USX]"),
            "<string>:7:16: unknown member code 'USX' in sponsors of draft 'GGE' (did you mean "
            "'USA'?)");
  EXPECT_EQ(error_of_edit("sponsors: [USA]", "sponsors: [XYZ]"),
            "<string>:7:16: unknown member code 'XYZ' in sponsors of draft 'GGE'");
  EXPECT_EQ(error_of_edit("sponsors: [USA]", "sponsors: [USA, RUS, USA]"),
            "<string>:7:26: member 'USA' is listed twice in sponsors of draft 'GGE'");
  EXPECT_EQ(error_of_edit("sponsors: [USA]", "sponsors: []"),
            "<string>:7:15: draft 'GGE' has no sponsors (list at least one member code)");
  EXPECT_EQ(error_of(std::string(kBase) + "ties: [{from: RSU, to: USA, weight: 1}]\n"),
            "<string>:9:15: unknown member code 'RSU' in a tie (did you mean 'RUS'?)");
  EXPECT_EQ(error_of(std::string(kBase) + "ties: [{from: USA, to: USA, weight: 1}]\n"),
            "<string>:9:24: a tie from member 'USA' to itself (a member does not watch itself)");
  EXPECT_EQ(error_of_edit("0.1]}", "0.1], blocs: [NATO]}"),
            "<string>:3:68: bloc 'NATO' is not declared under 'blocs:'");
  EXPECT_EQ(error_of(edit("0.1]}", "0.1], blocs: [NATO]}") + "blocs: {NAT0: {}}\n"),
            "<string>:3:68: bloc 'NATO' is not declared under 'blocs:' (did you mean 'NAT0'?)");
  EXPECT_EQ(error_of(edit("0.1]}", "0.1], blocs: [WEOG, WEOG]}") + "blocs: {WEOG: }\n"),
            "<string>:3:74: bloc 'WEOG' is listed twice for member 'USA'");
  EXPECT_EQ(error_of_edit("code: RUS", "code: USA"),
            "<string>:4:12: duplicate member code 'USA' (first given at line 3)");
  EXPECT_EQ(error_of(std::string(kBase) + "  - {id: GGE, sponsors: [RUS], closes: 3}\n"),
            "<string>:9:10: duplicate draft id 'GGE' (first given at line 6)");
  EXPECT_EQ(
      error_of(std::string(kBase) +
               "    rivals: [OEWX]\n  - {id: OEWG, sponsors: [RUS], closes: 3}\n"),
      "<string>:9:14: unknown draft id 'OEWX' in rivals of draft 'GGE' (did you mean 'OEWG'?)");
  EXPECT_EQ(error_of(std::string(kBase) + "    rivals: [GGE]\n"),
            "<string>:9:14: draft 'GGE' cannot be its own rival");
  EXPECT_EQ(error_of(std::string(kBase) +
                     "    rivals: [B, B]\n  - {id: B, sponsors: [RUS], closes: 3}\n"),
            "<string>:9:17: draft 'B' is listed twice in rivals of draft 'GGE'");
}

TEST(LoaderErrors, EmptyLists) {
  EXPECT_EQ(error_of("name: x\nmembers: []\ndrafts: [{id: A, sponsors: [USA], closes: 2}]\n"),
            "<string>:2:10: the member list is empty (a scenario needs members)");
  EXPECT_EQ(error_of("name: x\nmembers:\ndrafts: [{id: A, sponsors: [USA], closes: 2}]\n"),
            "<string>:2:1: expected a list of members, {include: FILE, positions: FILE} or {file: "
            "FILE} for "
            "'members', got nothing");
  EXPECT_EQ(
      error_of_edit("drafts:\n  - id: GGE\n    sponsors: [USA]\n    closes: 10\n", "drafts: []\n"),
      "<string>:5:9: the scenario has no drafts (list at least one)");
}

}  // namespace
}  // namespace plenary
