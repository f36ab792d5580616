// The `plenary` program end to end: real files in, exit codes and outputs checked.
#include "support/cli.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "plenary/core/isa.hpp"
#include "support/gzip.hpp"

namespace {

namespace fs = std::filesystem;
using plenary::cpu_supports;
using plenary::Isa;
using plenary::isa_name;
using plenary::testing::Outcome;
using plenary::testing::read_file;

class Cli : public plenary::testing::CliTest {};

TEST_F(Cli, RunsTheExampleAndPrintsATable) {
  const Outcome o = plenary("run scenarios/example.yaml --replicates 400");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("Draft GGE: Advancing responsible State behaviour in cyberspace"),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("Draft OEWG"), std::string::npos);
  EXPECT_NE(o.out.find("P(reaching 2 co-sponsors)"), std::string::npos);
  EXPECT_NE(o.out.find("400 replicates, seed 7"), std::string::npos);
}

TEST_F(Cli, JsonFollowsTheContract) {
  const fs::path out = dir_ / "r.json";
  const Outcome o = plenary("run scenarios/example.yaml --quiet --out '" + out.string() + "'");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_TRUE(o.out.empty());
  const auto doc = nlohmann::json::parse(read_file(out));
  EXPECT_EQ(doc["schema"], 1);
  EXPECT_EQ(doc["replicates"], 2000);  // from the scenario's run: section
  EXPECT_EQ(doc["seed"], 7);
  EXPECT_EQ(doc["scenario"], "Two rival drafts, three members");
  EXPECT_EQ(doc["scenario_sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(doc["parameters"]["theta_peer"], 2.5);
  ASSERT_EQ(doc["drafts"].size(), 2u);
  const auto& gge = doc["drafts"][0];
  EXPECT_EQ(gge["id"], "GGE");
  EXPECT_EQ(gge["sponsors"]["by_round"].size(), 11u);
  EXPECT_EQ(gge["sponsors"]["by_round"][0]["mean"], 1.0);
  EXPECT_TRUE(gge["p_reach"].contains("2"));
  EXPECT_EQ(gge["members"].size(), 3u);
  EXPECT_EQ(doc["drafts"][1]["parameters"]["theta_peer"], 2.0);
  for (const auto& d : doc["drafts"]) {
    const double p = d["p_adopted"]["p"];
    EXPECT_GE(p, 0.0);
    EXPECT_LE(p, 1.0);
    for (const auto& m : d["members"]) {
      if (m["p_yes"].is_null()) continue;
      const double sum = m["p_yes"].get<double>() + m["p_no"].get<double>() +
                         m["p_abstain"].get<double>() + m["p_absent"].get<double>();
      EXPECT_NEAR(sum, 1.0, 1e-12);
    }
  }
}

TEST_F(Cli, SameSeedSameBytesOnAnyThreadCount) {
  std::string first;
  for (int threads : {1, 2, 4}) {
    const fs::path out = dir_ / ("t" + std::to_string(threads) + ".json");
    const Outcome o = plenary("run scenarios/example.yaml -q --threads " + std::to_string(threads) +
                              " --out '" + out.string() + "'");
    ASSERT_EQ(o.status, 0) << o.err;
    if (first.empty()) {
      first = read_file(out);
    } else {
      EXPECT_EQ(read_file(out), first) << threads << " threads";
    }
  }
  const fs::path other = dir_ / "seed.json";
  ASSERT_EQ(plenary("run scenarios/example.yaml -q --seed 8 --out '" + other.string() + "'").status,
            0);
  EXPECT_NE(read_file(other), first);
}

// The engine's kernels have three paths, one chosen when the program starts (the best the
// processor has, or PLENARY_ISA=avx512|avx2|scalar; PLENARY_NO_AVX512=1 the best without
// AVX-512). Every path must give the same bytes, on a workload with blocs, ties and rival
// drafts (bench-193's shape) and on a fitted scenario with withdrawal. Paths the processor
// lacks are left out (on a machine without AVX2 only the baseline runs).
TEST_F(Cli, SameBytesWithAndWithoutTheWideKernels) {
  const fs::path file = dir_ / "bench.yaml";
  ASSERT_EQ(plenary("generate --seed 5 --out '" + file.string() + "'").status, 0);
  const std::string bench = "'" + file.string() + "'";
  // The same scenario with abstention habits from -0.75 to 3 (docs/model.md, "Extensions"):
  // every member's own cut points, in the vote and in the withdrawal judgement.
  const fs::path habits = dir_ / "habits.yaml";
  {
    std::istringstream in(read_file(file));
    std::ostringstream out;
    int i = 0;
    for (std::string line; std::getline(in, line);) {
      const auto at = line.find(", position: ");
      if (line.rfind("  - {code: ", 0) == 0 && at != std::string::npos) {
        line.insert(at, ", abstain_habit: " + std::to_string(0.25 * (i++ % 16) - 0.75));
      }
      out << line << "\n";
    }
    ASSERT_GT(i, 100);
    std::ofstream(habits) << out.str();
  }
  const std::string with_habits = "'" + habits.string() + "'";
  // The AVX-512 kernels bracket exp(-z) differently from the others: also at the clamps of
  // kernels::exp (z beyond 708 and -709), near p = 1/2 (many members left to the exact
  // test) and with a member barred from sponsoring (z = -1e300).
  for (const std::string& scenario :
       {bench, bench + " --set theta_0=712", bench + " --set theta_0=-715",
        bench + " --set theta_0=-3 --set theta_fit=0.1 --forbid M3:D0", with_habits,
        with_habits + " --set theta_0=-3 --set theta_fit=0.1 --set phi_fit=0.2",
        std::string("scenarios/cyber-2018-competing.yaml"),
        std::string("scenarios/data-security-2021.yaml")}) {
    const fs::path best = dir_ / "best.json";
    const std::string args = "run " + scenario + " -q -k 600 --seed 4 --threads 2 --out ";
    ::unsetenv("PLENARY_ISA");
    Outcome o = plenary(args + "'" + best.string() + "'");
    ASSERT_EQ(o.status, 0) << o.err;
    for (const Isa isa : {Isa::kAvx512, Isa::kAvx2, Isa::kScalar}) {
      if (!cpu_supports(isa)) continue;
      const fs::path forced = dir_ / "forced.json";
      ::setenv("PLENARY_ISA", std::string(isa_name(isa)).c_str(), 1);
      o = plenary(args + "'" + forced.string() + "'");
      ::unsetenv("PLENARY_ISA");
      ASSERT_EQ(o.status, 0) << o.err;
      EXPECT_EQ(read_file(forced), read_file(best)) << scenario << " " << isa_name(isa);
    }
    const fs::path narrow = dir_ / "narrow.json";
    ::setenv("PLENARY_NO_AVX512", "1", 1);
    o = plenary(args + "'" + narrow.string() + "'");
    ::unsetenv("PLENARY_NO_AVX512");
    ASSERT_EQ(o.status, 0) << o.err;
    EXPECT_EQ(read_file(narrow), read_file(best)) << scenario;
  }
}

// A PLENARY_ISA the program does not know, or that contradicts PLENARY_NO_AVX512, ends it
// with status 2 and a message naming the variable and the accepted values, before any
// output is written.
TEST_F(Cli, UnknownIsaIsAUsageError) {
  const fs::path out = dir_ / "out.json";
  ::setenv("PLENARY_ISA", "sse9", 1);
  Outcome o = plenary("run scenarios/example.yaml -q -k 10 --out '" + out.string() + "'");
  ::unsetenv("PLENARY_ISA");
  EXPECT_EQ(o.status, 2);
  EXPECT_EQ(o.err,
            "plenary: error: PLENARY_ISA='sse9' is not an instruction set plenary knows: use "
            "avx512, avx2 or scalar, or unset it to use the best path this processor has\n");
  EXPECT_FALSE(fs::exists(out));
  ::setenv("PLENARY_ISA", "avx512", 1);
  ::setenv("PLENARY_NO_AVX512", "1", 1);
  o = plenary("validate scenarios/example.yaml");
  ::unsetenv("PLENARY_ISA");
  ::unsetenv("PLENARY_NO_AVX512");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("PLENARY_ISA=avx512"), std::string::npos) << o.err;
  ::setenv("PLENARY_ISA", "scalar", 1);
  o = plenary("validate scenarios/example.yaml");
  ::unsetenv("PLENARY_ISA");
  EXPECT_EQ(o.status, 0) << o.err;
  // The variable is documented in the program's help, which answers even when the
  // variable is bad (the help is how a user finds the accepted values), as does --version.
  ::setenv("PLENARY_ISA", "sse9", 1);
  o = plenary("--help");
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("PLENARY_ISA=avx512|avx2|scalar"), std::string::npos) << o.out;
  o = plenary("run --help");
  EXPECT_EQ(o.status, 0) << o.err;
  o = plenary("--version");
  EXPECT_EQ(o.status, 0) << o.err;
  // A command line with a parse error reports that error, not the variable.
  o = plenary("run --no-such-flag");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("--no-such-flag"), std::string::npos) << o.err;
  ::unsetenv("PLENARY_ISA");
}

TEST_F(Cli, CsvTablesAreWritten) {
  const fs::path csv = dir_ / "csv";
  const Outcome o = plenary("run scenarios/example.yaml -q -k 300 --csv '" + csv.string() + "'");
  ASSERT_EQ(o.status, 0) << o.err;
  const std::string rounds = read_file(csv / "sponsors_by_round.csv");
  EXPECT_EQ(rounds.rfind("draft,round,mean,se,p5,p50,p95\nGGE,0,1,0,1,1,1\n", 0), 0u) << rounds;
  const std::string members = read_file(csv / "members.csv");
  EXPECT_EQ(members.rfind("draft,code,p_sponsor,p_sponsor_se,p_yes,p_yes_se,p_no,p_no_se,p_abstain,"
                          "p_abstain_se,p_absent,p_absent_se\nGGE,USA,1,0,",
                          0),
            0u)
      << members;
  EXPECT_EQ(std::count(members.begin(), members.end(), '\n'), 7);
  EXPECT_TRUE(fs::exists(csv / "drafts.csv"));
}

TEST_F(Cli, SetOverridesParameters) {
  const fs::path a = dir_ / "a.json";
  const fs::path b = dir_ / "b.json";
  ASSERT_EQ(plenary("run scenarios/example.yaml -q -k 500 --out '" + a.string() + "'").status, 0);
  const Outcome o =
      plenary("run scenarios/example.yaml -q -k 500 --set theta_0=3 --set GGE.closes=4 --out '" +
              b.string() + "'");
  ASSERT_EQ(o.status, 0) << o.err;
  const auto doc = nlohmann::json::parse(read_file(b));
  EXPECT_EQ(doc["parameters"]["theta_0"], 3.0);
  EXPECT_EQ(doc["drafts"][0]["sponsors"]["by_round"].size(), 11u);  // OEWG still closes at 10
  EXPECT_NE(read_file(a), read_file(b));
}

TEST_F(Cli, BadInputExitsTwoWithAMessageAndNoOutput) {
  const fs::path out = dir_ / "never.json";
  const fs::path bad = write("bad.yaml", "name: x\nmembers: []\ndrafts: []\n");
  Outcome o = plenary("run '" + bad.string() + "' --out '" + out.string() + "'");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("plenary: error: "), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("bad.yaml"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(out));

  o = plenary("run scenarios/does-not-exist.yaml");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("does-not-exist.yaml"), std::string::npos) << o.err;

  o = plenary("run scenarios/example.yaml --set theta_pear=2");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("did you mean 'theta_peer'?"), std::string::npos) << o.err;

  o = plenary("run scenarios/example.yaml --replicates 0");
  EXPECT_EQ(o.status, 2) << o.err;
  o = plenary("run scenarios/example.yaml --no-such-flag");
  EXPECT_EQ(o.status, 2) << o.err;
  o = plenary("frobnicate");
  EXPECT_EQ(o.status, 2) << o.err;
  o = plenary("");
  EXPECT_EQ(o.status, 2) << o.err;
}

TEST_F(Cli, MoreBadInputFoundByReview) {
  // Seeds that CLI11 alone would wrap or saturate.
  for (const char* seed : {"-1", "18446744073709551616", "12x"}) {
    const Outcome o = plenary(std::string("run scenarios/example.yaml -q -k 8 --seed ") + seed);
    EXPECT_EQ(o.status, 2) << seed;
    EXPECT_NE(o.err.find("non-negative integer"), std::string::npos) << o.err;
  }
  // Text that is not UTF-8 would make the JSON unwritable after the whole simulation.
  const std::string example = read_file(fs::path(PLENARY_SOURCE_DIR) / "scenarios/example.yaml");
  std::string latin1 = example;
  latin1.replace(latin1.find("name: Two rival"), 15, "name: Tw\xf6 rival");
  Outcome o = plenary("validate '" + write("latin1.yaml", latin1).string() + "'");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("not valid UTF-8"), std::string::npos) << o.err;
  // Positions so far out that squared distances would overflow: refused where they stand.
  std::string far = example;
  far.replace(far.find("position: [0.1, -0.3]"), 21, "position: [1e200, -0.3]");
  o = plenary("run '" + write("far.yaml", far).string() + "' -q -k 8");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("far.yaml:11:41: position of member 'BRA' must lie within +-1000000"),
            std::string::npos)
      << o.err;
  // --csv naming an existing file is refused before anything is written.
  const fs::path json = dir_ / "r.json";
  o = plenary("run scenarios/example.yaml -q -k 8 --out '" + json.string() +
              "' --csv scenarios/example.yaml");
  EXPECT_EQ(o.status, 2);
  EXPECT_FALSE(fs::exists(json));
  // A device is not a scenario file.
  o = plenary("validate /dev/zero");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("not a regular file"), std::string::npos) << o.err;
}

TEST_F(Cli, OverridesAreRecordedInTheJson) {
  const fs::path out = dir_ / "r.json";
  ASSERT_EQ(
      plenary("run scenarios/example.yaml -q -k 8 --set GGE.closes=4 --set theta_0=-3 --out '" +
              out.string() + "'")
          .status,
      0);
  const auto doc = nlohmann::json::parse(read_file(out));
  EXPECT_EQ(doc["overrides"], nlohmann::json::array({"GGE.closes=4", "theta_0=-3"}));
}

TEST_F(Cli, UnwritableOutputExitsTwoAndLeavesNothing) {
  const fs::path out = dir_ / "missing-dir" / "r.json";
  const Outcome o = plenary("run scenarios/example.yaml -q -k 100 --out '" + out.string() + "'");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("missing-dir"), std::string::npos) << o.err;
  EXPECT_FALSE(fs::exists(out.parent_path()));
}

TEST_F(Cli, ValidateSaysOkOrExitsTwo) {
  Outcome o = plenary("validate scenarios/example.yaml");
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("ok"), std::string::npos);
  const fs::path bad =
      write("typo.yaml", read_file(fs::path(PLENARY_SOURCE_DIR) / "scenarios/example.yaml") +
                             "paramters: {theta_0: 1}\n");
  o = plenary("validate '" + bad.string() + "'");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("unknown key 'paramters' (did you mean 'parameters'?)"), std::string::npos)
      << o.err;
}

// A command line CLI11 refuses gets the program's own error form, exit status 2, and either
// the nearest option or command or the --help to read; nothing runs.
TEST_F(Cli, RefusedCommandLinesSayWhatToType) {
  const std::string all =
      "'run', 'compare', 'validate', 'calibrate', 'positions', 'generate', 'sweep', "
      "'sensitivity', 'fit', 'forecast'";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"run scenarios/example.yaml --replicats 10",
       "unknown option '--replicats'; did you mean '--replicates'?"},
      {"run scenarios/example.yaml --Seed=3", "unknown option '--Seed'; did you mean '--seed'?"},
      {"compare scenarios/example.yaml scenarios/example.yaml --indepndent",
       "unknown option '--indepndent'; did you mean '--independent'?"},
      {"fit scenarios/example.yaml --free theta_0 --targt GGE.yes=2",
       "unknown option '--targt'; did you mean '--target'?"},
      {"compare scenarios/example.yaml scenarios/example.yaml --csv out",
       "unknown option '--csv' for 'plenary compare'; run 'plenary compare --help' for its "
       "options"},
      {"rn scenarios/example.yaml", "unknown command 'rn'; did you mean 'run'?"},
      {"--quiet run scenarios/example.yaml",
       "option '--quiet' comes after the command: plenary run ... --quiet"},
      {"--quite run scenarios/example.yaml",
       "unknown option '--quite'; run 'plenary --help' for the commands"},
      {"run scenarios/example.yaml -x",
       "unknown option '-x' for 'plenary run'; run 'plenary run --help' for its options"},
      {"frobnicate", "unknown command 'frobnicate': the commands are " + all +
                         ", 'lobby' and 'draft'; run 'plenary --help' for the commands"},
      {"", "no command given: one of " + all +
               ", 'lobby' or 'draft' is needed; run 'plenary --help' for "
               "the commands"},
      {"run", "FILE is required; run 'plenary run --help' for its options"},
      {"run scenarios/example.yaml --replicates",
       "--replicates needs a value; run 'plenary run --help' for its options"},
      {"run scenarios/example.yaml --replicates many",
       "--replicates: Value many not in range 1 to 2147483647; run 'plenary run --help' for its "
       "options"},
      {"validate scenarios/example.yaml scenarios/example.yaml",
       "the following argument was not expected: scenarios/example.yaml; run 'plenary validate "
       "--help' for its options"},
  };
  for (const auto& [args, message] : cases) {
    const Outcome o = plenary(args);
    EXPECT_EQ(o.status, 2) << args;
    EXPECT_EQ(o.err, "plenary: error: " + message + "\n") << args;
    EXPECT_EQ(o.out, "") << args;
  }
  // The run does not start: its output is not written.
  const fs::path out = dir_ / "r.json";
  const Outcome o =
      plenary("run scenarios/example.yaml --out '" + out.string() + "' --replicats 9");
  EXPECT_EQ(o.status, 2);
  EXPECT_FALSE(fs::exists(out));
}

// Tallies are means over the replicates with a recorded vote only; compare says over how
// many on each side (the JSON's recorded_a and recorded_b), or that there was none.
TEST_F(Cli, CompareSaysOverWhichReplicatesTheTalliesAre) {
  const fs::path out = dir_ / "c.json";
  const Outcome o = plenary(
      "compare scenarios/example.yaml scenarios/example.yaml -k 300 -q "
      "--set rho=0 --out '" +
      out.string() + "'");
  ASSERT_EQ(o.status, 0) << o.err;
  const Outcome text = plenary(
      "compare scenarios/example.yaml scenarios/example.yaml -k 300 "
      "--set rho=0");
  const auto doc = nlohmann::json::parse(read_file(out));
  ASSERT_EQ(doc["drafts"].size(), 2u);
  for (const auto& d : doc["drafts"]) {
    const long a = d["recorded_a"];
    EXPECT_GT(a, 0);
    EXPECT_LE(a, 300);
    EXPECT_EQ(d["recorded_b"], 0);  // nobody asks for a recorded vote
    const std::string id = d["id"];
    const auto at = text.out.find("\nDraft " + id);
    ASSERT_NE(at, std::string::npos) << text.out;
    EXPECT_NE(text.out.find("  Tallies in A: over the " + std::to_string(a) +
                                " of 300 replicates with a recorded vote\n"
                                "  Tallies in B: no recorded vote in any replicate\n"
                                "  Yes (recorded votes)",
                            at),
              std::string::npos)
        << text.out;
  }
}

// One of anything is singular: "1 replicate", "over the 1 of 1 replicate".
TEST_F(Cli, CountsAgreeWithTheirNouns) {
  Outcome o = plenary("run scenarios/example.yaml -k 1");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("3 members, 2 drafts, 10 rounds; 1 replicate, seed 7."), std::string::npos)
      << o.out;
  EXPECT_EQ(o.out.find(" 1 replicates"), std::string::npos) << o.out;
  o = plenary("compare scenarios/example.yaml scenarios/example.yaml -k 2");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_TRUE(o.out.starts_with("plenary compare: 2 replicates, seed 7")) << o.out;
}

TEST_F(Cli, HelpAndVersion) {
  Outcome o = plenary("--help");
  EXPECT_EQ(o.status, 0);
  EXPECT_NE(o.out.find("run"), std::string::npos);
  o = plenary("run --help");
  EXPECT_EQ(o.status, 0);
  EXPECT_NE(o.out.find("--replicates"), std::string::npos);
  o = plenary("--version");
  EXPECT_EQ(o.status, 0);
  EXPECT_NE(o.out.find("plenary 0.1.0"), std::string::npos);
}

TEST_F(Cli, GeneratedScenariosRun) {
  const fs::path file = dir_ / "gen.yaml";
  Outcome o = plenary("generate --members 40 --blocs 4 --drafts 3 --rounds 5 --seed 3 --out '" +
                      file.string() + "'");
  ASSERT_EQ(o.status, 0) << o.err;
  o = plenary("run '" + file.string() + "' -q -k 64");
  EXPECT_EQ(o.status, 0) << o.err;
  o = plenary("generate --members 1");
  EXPECT_EQ(o.status, 2);
}

// `generate --format csv` writes the YAML with its members and ties in tables; both forms
// of the same scenario run to the same bytes.
TEST_F(Cli, GeneratedTablesRunToTheSameBytes) {
  const std::string shape = "generate --members 300 --ties-per-member 8 --drafts 3 --seed 4 ";
  const fs::path yaml = dir_ / "one.yaml";
  const fs::path tables = dir_ / "split.yaml";
  ASSERT_EQ(plenary(shape + "--format yaml --out '" + yaml.string() + "'").status, 0);
  ASSERT_EQ(plenary(shape + "--format csv --out '" + tables.string() + "'").status, 0);
  EXPECT_TRUE(fs::exists(dir_ / "split.members.csv"));
  EXPECT_TRUE(fs::exists(dir_ / "split.ties.csv"));
  EXPECT_NE(read_file(tables).find("members: {file: \"split.members.csv\"}"), std::string::npos);
  const Outcome a = plenary("run '" + yaml.string() + "' -q -k 200 --threads 2");
  const Outcome b = plenary("run '" + tables.string() + "' -q -k 200 --threads 1");
  ASSERT_EQ(a.status, 0) << a.err;
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_EQ(a.out, b.out);
  const Outcome bad = plenary(shape + "--format csv");
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(
      bad.err,
      "plenary: error: --format csv writes three files: give the YAML file's path with --out\n");
}

// plenary calibrate on the real data, end to end: its outputs feed a scenario that runs.
TEST_F(Cli, CalibrateFeedsAScenario) {
  const std::string votes = PLENARY_DATA_DIR "/unga";
  const fs::path positions = dir_ / "positions.yaml";
  const fs::path agreement = dir_ / "agreement.csv";
  const fs::path report = dir_ / "fit.json";
  Outcome o = plenary("calibrate --votes '" + votes + "' --sessions 71-72 --dims 2 --out '" +
                      positions.string() + "' --agreement '" + agreement.string() + "' --report '" +
                      report.string() + "'");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("PCC"), std::string::npos) << o.out;
  const auto fit = nlohmann::json::parse(read_file(report));
  for (const char* key :
       {"dims", "members", "roll_calls", "dropped_lopsided", "dropped_members", "iterations",
        "log_likelihood", "pcc", "apre", "holdout_pcc", "seconds"}) {
    EXPECT_TRUE(fit.contains(key)) << key;
  }
  EXPECT_GT(fit["pcc"].get<double>(), 0.9);
  EXPECT_EQ(read_file(agreement).rfind("code_a,code_b,n,agreement\n", 0), 0u);

  // A scenario on the shipped member list, these positions and these agreement ties.
  fs::copy_file(fs::path(PLENARY_SOURCE_DIR) / "scenarios/un-members.yaml",
                dir_ / "un-members.yaml");
  const fs::path scenario = write("calibrated.yaml", R"(name: Calibrated assembly
members: {include: un-members.yaml, positions: positions.yaml}
missing_position: bloc_mean
agreement: {file: agreement.csv, weight: 0.5}
drafts:
  - {id: X, sponsors: [USA, RUS], closes: 4}
run: {replicates: 64, seed: 1}
)");
  o = plenary("run '" + scenario.string() + "' -q");
  EXPECT_EQ(o.status, 0) << o.err;

  o = plenary("calibrate --votes /nonexistent/unga");
  EXPECT_EQ(o.status, 2);
  o = plenary("calibrate --votes '" + votes + "' --sessions 80-90");
  EXPECT_EQ(o.status, 2) << o.err;
  o = plenary("calibrate --votes '" + votes + "' --dims 4");
  EXPECT_EQ(o.status, 2) << o.err;
}

// Broken vote data: a gzip file cut short, an empty file, a wrong header. Each gets the file,
// the line and the fix, exit status 2, and no output file.
TEST_F(Cli, CalibrateRefusesBrokenDataFiles) {
  const fs::path shipped = fs::path(PLENARY_DATA_DIR) / "unga";
  const fs::path votes = dir_ / "unga";
  fs::create_directories(votes);
  fs::copy_file(shipped / "roll_calls.csv.gz", votes / "roll_calls.csv.gz");
  fs::copy_file(shipped / "roll_call_issues.csv.gz", votes / "roll_call_issues.csv.gz");
  const std::string whole = read_file(shipped / "votes.csv.gz");
  ASSERT_GT(whole.size(), 1000u);
  const fs::path positions = dir_ / "positions.yaml";
  const std::string command = "calibrate --votes '" + votes.string() +
                              "' --sessions 71-72 --out '" + positions.string() + "'";
  const auto expect_refused = [&](const std::string& start, const std::string& fix) {
    const Outcome o = plenary(command);
    EXPECT_EQ(o.status, 2) << o.err;
    EXPECT_EQ(o.err.rfind("plenary: error: " + start, 0), 0u) << o.err;
    EXPECT_NE(o.err.find(fix), std::string::npos) << o.err;
    EXPECT_FALSE(fs::exists(positions));
  };
  std::ofstream(votes / "votes.csv.gz", std::ios::binary) << whole.substr(0, whole.size() / 2);
  expect_refused((votes / "votes.csv.gz").string() + ":",
                 "the gzip data is truncated: the file ends inside the compressed text, here; "
                 "copy or download the file again");
  std::ofstream(votes / "votes.csv.gz", std::ios::binary) << "";
  expect_refused((votes / "votes.csv.gz").string() + ":1: ",
                 "the file is empty (expected the header 'rcid,country_code,country,vote' and "
                 "its rows)");
  fs::remove(votes / "votes.csv.gz");
  std::ofstream(votes / "votes.csv", std::ios::binary) << "rcid;country_code;country;vote\n";
  expect_refused((votes / "votes.csv").string() + ":1: ",
                 "missing column 'rcid': the header is 'rcid;country_code;country;vote', expected "
                 "columns rcid,country_code,country,vote");
  // The working data, plain and compressed side by side: which one is meant is not guessed.
  std::ofstream(votes / "votes.csv.gz", std::ios::binary) << whole;
  expect_refused("both '", "exist and either could be meant; remove one");
  fs::remove(votes / "votes.csv");
  const Outcome o = plenary(command);
  EXPECT_EQ(o.status, 0) << o.err;
  EXPECT_TRUE(fs::exists(positions));
}

// The files a scenario includes (member list, positions, agreement scores) may be gzip-
// compressed: recognised by their bytes, so the same names give the same results; a
// truncated one is refused naming it.
TEST_F(Cli, ScenarioIncludesMayBeGzipCompressed) {
  const fs::path scenarios = fs::path(PLENARY_SOURCE_DIR) / "scenarios";
  const std::string members = read_file(scenarios / "un-members.yaml");
  const std::string positions = read_file(scenarios / "positions-65-72.yaml");
  const std::string agreement =
      "code_a,code_b,n,agreement\nUSA,GBR,100,0.9\nUSA,RUS,100,0.2\nRUS,CHN,100,0.95\n";
  const std::string scenario = R"(name: Included files
members: {include: un-members.yaml, positions: positions.yaml}
missing_position: bloc_mean
agreement: {file: agreement.csv, weight: 0.5}
drafts:
  - {id: X, sponsors: [USA, GBR], closes: 4}
run: {replicates: 64, seed: 1}
)";
  std::string drafts[2];
  for (const bool packed : {false, true}) {
    const fs::path dir = dir_ / (packed ? "packed" : "plain");
    fs::create_directories(dir);
    const auto put = [&](const char* name, const std::string& text) {
      std::ofstream(dir / name, std::ios::binary)
          << (packed ? plenary::testing::gzip_text(text) : text);
    };
    put("un-members.yaml", members);
    put("positions.yaml", positions);
    put("agreement.csv", agreement);
    std::ofstream(dir / "scenario.yaml") << scenario;
    const fs::path out = dir / "r.json";
    const Outcome o =
        plenary("run '" + (dir / "scenario.yaml").string() + "' -q --out '" + out.string() + "'");
    ASSERT_EQ(o.status, 0) << o.err;
    drafts[packed] = nlohmann::json::parse(read_file(out))["drafts"].dump();
  }
  EXPECT_EQ(drafts[0], drafts[1]);

  const std::string gz = plenary::testing::gzip_text(positions);
  std::ofstream(dir_ / "packed" / "positions.yaml", std::ios::binary)
      << gz.substr(0, gz.size() / 2);
  const Outcome o = plenary("run '" + (dir_ / "packed" / "scenario.yaml").string() + "' -q");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("cannot read positions file '"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("positions.yaml': at line "), std::string::npos) << o.err;
  EXPECT_NE(o.err.find(": the gzip data is truncated"), std::string::npos) << o.err;
}

// The ordered Yes/Abstain/No model end to end, and its bad combinations of flags.
TEST_F(Cli, CalibrateOrderedModel) {
  const std::string votes = PLENARY_DATA_DIR "/unga";
  const fs::path positions = dir_ / "ordered.yaml";
  const fs::path report = dir_ / "ordered.json";
  Outcome o = plenary("calibrate --votes '" + votes +
                      "' --sessions 71-72 --dims 1 --model ordered "
                      "--out '" +
                      positions.string() + "' --report '" + report.string() + "'");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("Yes/Abstain/No votes"), std::string::npos) << o.out;
  const auto fit = nlohmann::json::parse(read_file(report));
  EXPECT_EQ(fit["model"], "ordered");
  EXPECT_GT(fit["apre"].get<double>(), 0.0);
  EXPECT_NE(read_file(positions).find("--model ordered"), std::string::npos);
  // Placing roll calls works from an ordered model's positions with the binary model, and
  // refuses --model ordered with a message.
  o = plenary("calibrate --votes '" + votes + "' --roll-calls 5848 --positions '" +
              positions.string() + "'");
  EXPECT_EQ(o.status, 0) << o.err;
  o = plenary("calibrate --votes '" + votes + "' --roll-calls 5848 --positions '" +
              positions.string() + "' --model ordered");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("binary Yes/No model only"), std::string::npos) << o.err;
  o = plenary("calibrate --votes '" + votes + "' --sessions 71-72 --model ordered --link probit");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("logit link only"), std::string::npos) << o.err;
  o = plenary("calibrate --votes '" + votes + "' --sessions 71-72 --model graded");
  EXPECT_EQ(o.status, 2);
}

// The ordered model writes each member's habits; --habits off writes the same positions
// without them (the file as before habits); the habit flags need the ordered model.
TEST_F(Cli, CalibrateOrderedHabits) {
  const std::string votes = PLENARY_DATA_DIR "/unga";
  const fs::path with = dir_ / "habits.yaml";
  const fs::path without = dir_ / "no-habits.yaml";
  const fs::path report = dir_ / "habits.json";
  const std::string base =
      "calibrate --votes '" + votes + "' --sessions 71-72 --dims 1 --model ordered --holdout 0 ";
  Outcome o = plenary(base + "--out '" + with.string() + "' --report '" + report.string() + "'");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_NE(o.out.find("habits: abstain_habit mean "), std::string::npos) << o.out;
  o = plenary(base + "--habits off --out '" + without.string() + "'");
  ASSERT_EQ(o.status, 0) << o.err;
  EXPECT_EQ(o.out.find("habits:"), std::string::npos) << o.out;
  const std::string a = read_file(with);
  const std::string b = read_file(without);
  EXPECT_NE(a.find("abstain_habit: "), std::string::npos);
  EXPECT_NE(a.find("abstain_habit_se: "), std::string::npos);
  EXPECT_EQ(b.find("abstain_habit"), std::string::npos);
  EXPECT_NE(b.find("--habits off"), std::string::npos);
  // The same positions, member by member.
  const auto positions = [](const std::string& text) {
    std::vector<std::string> out;
    for (std::size_t at = text.find("position: ["); at != std::string::npos;
         at = text.find("position: [", at + 1)) {
      out.push_back(text.substr(at, text.find(']', at) - at));
    }
    return out;
  };
  EXPECT_EQ(positions(a), positions(b));
  EXPECT_GT(positions(a).size(), 150u);
  const auto fit = nlohmann::json::parse(read_file(report));
  EXPECT_EQ(fit["member_fit"].size(), positions(a).size());
  EXPECT_TRUE(fit["member_fit"][0].contains("abstain_habit"));
  // The file loads in a scenario, habits and all.
  const fs::path scenario = dir_ / "habits-scenario.yaml";
  std::ofstream(scenario)
      << "name: habits\nmissing_position: bloc_mean\n"
         "members: {include: '" PLENARY_SOURCE_DIR "/scenarios/un-members.yaml', positions: '"
      << with.string()
      << "'}\ndrafts:\n  - {id: D, sponsors: [USA], position: [0.5], "
         "status_quo: [-0.5], closes: 2, parameters: {tau_yes: 3, tau_no: 3}}\n";
  o = plenary("validate '" + scenario.string() + "'");
  EXPECT_EQ(o.status, 0) << o.err << o.out;
  o = plenary("calibrate --votes '" + votes + "' --sessions 71-72 --habits off");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("--model ordered only"), std::string::npos) << o.err;
}

// Every scenario shipped in scenarios/ runs (member lists and positions files, which have
// no drafts, are validated as part of the scenarios that include them).
TEST_F(Cli, EveryShippedScenarioRuns) {
  int ran = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(PLENARY_SOURCE_DIR) / "scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    if (read_file(entry.path()).find("\ndrafts:") == std::string::npos) continue;
    const Outcome o = plenary("run '" + entry.path().string() + "' -q -k 64");
    EXPECT_EQ(o.status, 0) << entry.path() << "\n" << o.err;
    ++ran;
  }
  EXPECT_GE(ran, 1);
}

// A draft `like:` a recorded roll call: validate and run say what was used.
TEST_F(Cli, ValidateAndRunPrintTheLikePlacement) {
  for (const char* command : {"validate scenarios/fit/cyber-2019-competing.yaml",
                              "run scenarios/fit/cyber-2019-competing.yaml -k 32"}) {
    const Outcome o = plenary(command);
    ASSERT_EQ(o.status, 0) << command << "\n" << o.err;
    for (const char* s : {"draft 'OEWG' like A/RES/73/27: rcid 6073, 'R/73/27', 2018-12-05",
                          "119 yes, 14 abstain, 46 no by members of the scenario",
                          "draft 'GGE' like A/RES/73/266: rcid 6156", "138 yes, 16 abstain, 12 no",
                          "placed (ordered logit, posterior mode): a = ", "set: status_quo [",
                          "held: position [-1.02, 0.67], phi_fit 2"}) {
      EXPECT_NE(o.out.find(s), std::string::npos) << command << ": " << s << "\n" << o.out;
    }
  }
}

TEST_F(Cli, CompareShowsBothScenariosAndTheirDifference) {
  const fs::path out = dir_ / "compare.json";
  const Outcome o = plenary(
      "compare scenarios/example.yaml scenarios/example.yaml -k 400 "
      "--force BRA:GGE --out '" +
      out.string() + "'");
  ASSERT_EQ(o.status, 0) << o.err;
  for (const char* s :
       {"common random numbers", "--force BRA:GGE", "Distinct co-sponsors", "Polarisation index",
        "Draft GGE", "Draft OEWG", "B - A", "Members whose stance moves most", "BRA "}) {
    EXPECT_NE(o.out.find(s), std::string::npos) << s << "\n" << o.out;
  }
  const nlohmann::json j = nlohmann::json::parse(read_file(out));
  EXPECT_EQ(j["schema"], "plenary-compare/1");
  EXPECT_EQ(j["replicates"], 400);
  EXPECT_TRUE(j["common_random_numbers"].get<bool>());
  EXPECT_EQ(j["b"]["what_ifs"][0], "--force BRA:GGE");
  EXPECT_TRUE(j["a"]["what_ifs"].empty());
  // Brazil co-sponsors GGE in every replicate of B, and moves most.
  const auto& gge = j["drafts"][0];
  EXPECT_EQ(gge["id"], "GGE");
  EXPECT_EQ(j["members"][0]["code"], "BRA");
  EXPECT_EQ(j["members"][0]["p_sponsor_any_b"], 1.0);
  for (const auto& f : gge["figures"]) {
    if (f["key"] != "sponsors") continue;
    EXPECT_EQ(f["b"], 2.0);
    EXPECT_LT(f["diff_low"].get<double>(), f["diff"].get<double>());
    EXPECT_GT(f["diff_high"].get<double>(), f["diff"].get<double>());
  }
  // The same request gives the same bytes, on any number of threads.
  const fs::path again = dir_ / "again.json";
  ASSERT_EQ(plenary("compare scenarios/example.yaml scenarios/example.yaml -k 400 -q -j 1 "
                    "--force BRA:GGE --out '" +
                    again.string() + "'")
                .status,
            0);
  EXPECT_EQ(read_file(out), read_file(again));
}

TEST_F(Cli, WhatIfsChangeARunAndAreRecorded) {
  const fs::path out = dir_ / "run.json";
  const Outcome o = plenary(
      "run scenarios/example.yaml -k 200 -q --forbid BRA:GGE --absent RUS "
      "--shift USA=0.1,0 --out '" +
      out.string() + "'");
  ASSERT_EQ(o.status, 0) << o.err;
  const nlohmann::json j = nlohmann::json::parse(read_file(out));
  EXPECT_EQ(j["what_ifs"].size(), 3u);
  for (const auto& m : j["drafts"][0]["members"]) {
    if (m["code"] == "BRA") {
      EXPECT_EQ(m["p_sponsor"], 0.0);
    }
    if (m["code"] == "RUS") {
      EXPECT_EQ(m["p_absent"], 1.0);
    }
  }
}

TEST_F(Cli, CompareAndWhatIfBadInputExitsTwo) {
  const fs::path out = dir_ / "never.json";
  for (const std::string args :
       {"compare scenarios/example.yaml", "compare scenarios/example.yaml scenarios/nope.yaml",
        "compare scenarios/example.yaml scenarios/example.yaml --force BRA",
        "compare scenarios/example.yaml scenarios/example.yaml --forbid USA:GGE",
        "compare scenarios/example.yaml scenarios/example.yaml --shift USA=1",
        "compare scenarios/example.yaml scenarios/example.yaml -k 1",
        "compare scenarios/example.yaml scenarios/example.yaml --set theta_pear=1",
        "run scenarios/example.yaml --absent NOWHERE",
        "run scenarios/example.yaml --force XX:GGE"}) {
    const Outcome o = plenary(args + " --out '" + out.string() + "'");
    EXPECT_EQ(o.status, 2) << args << "\n" << o.err;
    EXPECT_FALSE(o.err.empty()) << args;
    EXPECT_FALSE(fs::exists(out)) << args;
  }
  const fs::path one_d =
      write("one-d.yaml",
            "name: one dimension\nmembers:\n  - {code: USA, name: U, position: [1]}\n"
            "drafts:\n  - {id: GGE, sponsors: [USA], closes: 2}\n");
  const Outcome o = plenary("compare scenarios/example.yaml '" + one_d.string() + "'");
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.err.find("dimensional"), std::string::npos) << o.err;
}

// The README's main job: the fitted 2018 competing drafts against the fitted 2021 joint
// draft. JOINT exists in B only; the whole-Assembly figures compare the two strategies.
TEST_F(Cli, TheMainJobComparesCompetingAndJointDrafts) {
  const fs::path out = dir_ / "main.json";
  const Outcome o = plenary(
      "compare scenarios/cyber-2018-competing.yaml "
      "scenarios/cyber-2021-joint.yaml -k 400 --out '" +
      out.string() + "'");
  ASSERT_EQ(o.status, 0) << o.err;
  for (const char* s : {"Draft OEWG (A only)", "Draft GGE (A only)", "Draft JOINT (B only)",
                        "Distinct co-sponsors", "Polarisation index"}) {
    EXPECT_NE(o.out.find(s), std::string::npos) << s << "\n" << o.out;
  }
  const nlohmann::json j = nlohmann::json::parse(read_file(out));
  const auto& overall = j["overall"];
  // The joint draft draws more distinct co-sponsors and far fewer No votes (the record:
  // 104 co-sponsors and consensus in 2021 against two divided votes in 2018).
  EXPECT_EQ(overall[0]["key"], "distinct_sponsors");
  EXPECT_GT(overall[0]["diff_low"].get<double>(), 0.0);
  EXPECT_EQ(overall[3]["key"], "no_votes");
  EXPECT_LT(overall[3]["diff_high"].get<double>(), 0.0);
}

}  // namespace
