// A sensitivity study through the library (include/plenary/scale/sensitivity.hpp) on a real
// scenario whose goal depends on one varied parameter only: the 2021 joint draft's
// co-sponsors depend on theta_fit but not on tau_yes or tau_no, which act in the vote. With
// common random numbers the latter's indices are exactly 0, inside their intervals, and
// theta_fit's are 1 within their standard errors; threads, blocks and a resumed journal do
// not change a value; bad --vary ranges are refused with their reason.
#include "plenary/scale/sensitivity.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "plenary/scenario/loader.hpp"
#include "plenary/util/error.hpp"

namespace plenary::scale {
namespace {

namespace fs = std::filesystem;

Scenario joint() {
  return load_scenario(fs::path(PLENARY_SOURCE_DIR) / "scenarios/cyber-2021-joint.yaml");
}

SensitivitySpec spec(SensitivityMethod method, int samples) {
  SensitivitySpec s;
  s.varies = {"tau_yes=0:2", "theta_fit=2:4", "tau_no=0:2"};
  s.method = method;
  s.samples = samples;
  s.goals = {"sponsors", "reach:104"};
  s.replicates = 100;
  s.seed = 20261207;
  s.bootstrap = 400;
  return s;
}

SensitivityResult run(SensitivityPlan& plan, int threads, long block) {
  const auto runner = make_local_runner({.threads = threads});
  run_sensitivity(*runner, plan, missing_points(*runner, plan.points(), plan.rows()),
                  {.block = block});
  return plan.result();
}

TEST(SensitivityStudy, SobolFindsTheOneParameterTheCoSponsorsDependOn) {
  SensitivityPlan plan(joint(), spec(SensitivityMethod::kSobol, 48));
  const SensitivityResult r = run(plan, 2, 1024);
  ASSERT_EQ(r.sobol.size(), 2u);
  for (std::size_t g = 0; g < 2; ++g) {
    SCOPED_TRACE(g);
    for (const std::size_t i : {0u, 2u}) {  // tau_yes, tau_no
      EXPECT_EQ(r.sobol[g][i].s1, 0);
      EXPECT_EQ(r.sobol[g][i].st, 0);
      EXPECT_LE(r.sobol[g][i].s1_lo, 0);
      EXPECT_GE(r.sobol[g][i].s1_hi, 0);
    }
    const SobolIndex& fit = r.sobol[g][1];
    EXPECT_GT(fit.st_se, 0);
    EXPECT_NEAR(fit.s1, 1, 4 * fit.s1_se);
    EXPECT_NEAR(fit.st, 1, 4 * fit.st_se);
    EXPECT_EQ(ranked_factors(r, g).front(), 1u);
  }
}

TEST(SensitivityStudy, MorrisScreensOutTheVoteParameters) {
  SensitivityPlan plan(joint(), spec(SensitivityMethod::kMorris, 6));
  const SensitivityResult r = run(plan, 2, 1024);
  EXPECT_GT(r.morris[0][1].mu_star_lo, 0);
  EXPECT_LT(r.morris[0][1].mu, 0);  // a higher theta_fit: fewer co-sponsors far from the draft
  EXPECT_EQ(r.morris[0][0].mu_star, 0);
  EXPECT_EQ(r.morris[0][2].mu_star_hi, 0);
}

TEST(SensitivityStudy, ThreadsBlocksAndAResumedJournalGiveTheSameValues) {
  SensitivityPlan one(joint(), spec(SensitivityMethod::kMorris, 3));
  const SensitivityResult a = run(one, 1, 1024);
  SensitivityPlan two(joint(), spec(SensitivityMethod::kMorris, 3));
  const SensitivityResult b = run(two, 2, 8);
  EXPECT_EQ(a.values, b.values);

  const fs::path dir =
      fs::temp_directory_path() / ("plenary-sensitivity-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    // An interrupted study: its first 5 points in the journal.
    SensitivityPlan first(joint(), spec(SensitivityMethod::kMorris, 3));
    first.open_output(dir / "s.csv", false);
    const auto runner = make_local_runner({.threads = 2});
    run_sensitivity(*runner, first, {0, 1, 2, 3, 4});
  }
  SensitivityPlan resumed(joint(), spec(SensitivityMethod::kMorris, 3));
  resumed.open_output(dir / "s.csv", true);
  EXPECT_EQ(resumed.rows().size(), 5u);
  const SensitivityResult c = run(resumed, 2, 1024);
  EXPECT_EQ(a.values, c.values);
  resumed.finish();
  EXPECT_FALSE(fs::exists(dir / "s.csv.journal"));
  fs::remove_all(dir);
}

TEST(SensitivityStudy, AJournalOfAnotherStudyIsRefusedNamingTheField) {
  const fs::path dir =
      fs::temp_directory_path() / ("plenary-sensitivity-other-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    SensitivityPlan first(joint(), spec(SensitivityMethod::kMorris, 3));
    first.open_output(dir / "s.csv", false);
  }
  SensitivitySpec other = spec(SensitivityMethod::kMorris, 4);
  SensitivityPlan second(joint(), other);
  try {
    second.open_output(dir / "s.csv", true);
    ADD_FAILURE() << "a journal of another study was taken";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("belongs to a different sweep (it has samples=3 where "
                                         "this sweep has samples=4)"),
              std::string::npos)
        << e.what();
  }
  fs::remove_all(dir);
}

std::string refusal(const std::string& vary) {
  try {
    (void)parse_vary(joint(), vary);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(SensitivityStudy, BadRangesAreRefusedWithTheReason) {
  EXPECT_EQ(refusal("theta_pear=0:1"),
            "--vary 'theta_pear=0:1': unknown parameter 'theta_pear' (did you mean 'theta_peer'?)");
  EXPECT_EQ(refusal("theta_peer=2:1"),
            "--vary 'theta_peer=2:1': LO (2) must be below HI (1); give the range low to high");
  EXPECT_EQ(refusal("theta_peer=1:1"),
            "--vary 'theta_peer=1:1': LO (1) must be below HI (1); give the range low to high");
  EXPECT_EQ(refusal("theta_peer=0"),
            "--vary 'theta_peer=0': expected NAME=LO:HI, e.g. 'theta_peer=0:4' or "
            "'GGE.lobbying=0:2'");
  EXPECT_EQ(refusal("theta_peer=a:1"),
            "--vary 'theta_peer=a:1': LO and HI must be finite numbers, e.g. 'theta_peer=0:4'");
  EXPECT_EQ(refusal("JOINT.majority=0:1"),
            "--vary 'JOINT.majority=0:1': expected 'simple' or 'two_thirds' for 'majority', got "
            "'0'");
  EXPECT_NE(refusal("JOINT.closes=-5:3").find("--vary 'JOINT.closes=-5:3' at JOINT.closes=-5"),
            std::string::npos);
  EXPECT_EQ(refusal("JOINT.closes=2:30"), "");
}

}  // namespace
}  // namespace plenary::scale
