// The fit end to end in the library: recovery of known parameters, the fitted scenario
// reproducing its achieved values exactly, determinism, and honest identification.
#include "plenary/fit/fit.hpp"

#include <gtest/gtest.h>

#include "plenary/engine/simulate.hpp"
#include "plenary/fit/report.hpp"
#include "plenary/model/model.hpp"
#include "plenary/scenario/generate.hpp"
#include "plenary/scenario/loader.hpp"
#include "plenary/stats/summary.hpp"

namespace plenary {
namespace {

// A small synthetic assembly: 60 members in one dimension, 4 blocs, one draft closing at
// round 10, MODEL.md's default parameters (theta_0 = -4, theta_peer = 3).
Scenario assembly() {
  GenerateOptions g;
  g.members = 60;
  g.blocs = 4;
  g.drafts = 1;
  g.dims = 1;
  g.rounds = 10;
  g.seed = 3;
  return generate_scenario(g);
}

// What `truth` achieves for `texts` (values left at 0) on an independent seed and K
// replicates: the "observed" figures, each with its tolerance set to its standard error.
std::vector<std::string> observed_targets(const Scenario& truth,
                                          const std::vector<std::string>& texts, long replicates,
                                          std::uint64_t seed) {
  const std::vector<Target> shapes = parse_targets(truth, texts);
  EvaluationSettings observe;
  observe.replicates = replicates;
  observe.seed = seed;
  const FitProblem p(truth, shapes, parse_free_list(truth, {"theta_0"}), observe);
  const Achieved a = p.evaluate(p.start());
  std::vector<std::string> out;
  for (std::size_t j = 0; j < shapes.size(); ++j) {
    Target t = shapes[j];
    t.value = a.value[j];
    t.tolerance = a.se[j];
    t.tolerance_given = true;
    out.push_back(target_text(truth, t));
  }
  return out;
}

void expect_recovered(const FitProblem& p, const FitResult& r, const Eigen::VectorXd& truth) {
  ASSERT_EQ(r.uncertainty.se.size(), truth.size());
  for (int i = 0; i < p.size(); ++i) {
    ASSERT_TRUE(r.uncertainty.identified[static_cast<std::size_t>(i)]) << p.coordinate_names()[i];
    // Four standard errors: the reported uncertainty covers both the observed figures'
    // noise (their tolerance) and the fit's own Monte-Carlo error.
    EXPECT_NEAR(r.fitted[i], truth[i], 4 * r.uncertainty.se[i])
        << p.coordinate_names()[i] << " se " << r.uncertainty.se[i];
    EXPECT_FALSE(r.at_bound[static_cast<std::size_t>(i)]);
  }
}

TEST(Fit, RecoversPhaseOneParametersFromTheSponsorCurve) {
  Scenario s = assembly();
  const std::vector<std::string> targets =
      observed_targets(s, {"D0.sponsors@3=0", "D0.sponsors@6=0", "D0.sponsors=0"}, 4000, 1001);
  s.parameters.theta_0 = -2;  // start elsewhere
  s.parameters.theta_peer = 1;
  EvaluationSettings e;
  e.replicates = 1000;
  e.seed = 7;
  const FitProblem p(s, parse_targets(s, targets), parse_free_list(s, {"theta_0,theta_peer"}), e);
  const FitResult r = fit(p, local_evaluator(p), {});
  EXPECT_NE(r.stop, StopReason::kBudget) << fit_text_report(p, r);
  expect_recovered(p, r, Eigen::Vector2d(-4, 3));
  EXPECT_LT(r.objective, r.start_objective);
  EXPECT_EQ(r.uncertainty.rank, 2);
}

TEST(Fit, RecoversADraftPositionFromTheVote) {
  Scenario s = assembly();
  const double position = compile(s).drafts[0].position[0];  // its sponsor's
  const std::vector<std::string> targets =
      observed_targets(s, {"D0.sponsors=0", "D0.yes=0", "D0.no=0"}, 4000, 1002);
  s.parameters.theta_0 = -6;
  s.drafts[0].position = Eigen::VectorXd::Constant(1, 0.0);
  EvaluationSettings e;
  e.replicates = 1000;
  e.seed = 8;
  const FitProblem p(s, parse_targets(s, targets), parse_free_list(s, {"theta_0,D0.position"}), e);
  const FitResult r = fit(p, local_evaluator(p), {});
  expect_recovered(p, r, Eigen::Vector2d(-4, position));
}

// The fitted file, loaded and run with its own run: section, reproduces the achieved values
// bit for bit (shortest round-trip numbers, the same seed and replicates).
TEST(Fit, TheFittedScenarioReproducesTheAchievedValues) {
  Scenario s = assembly();
  EvaluationSettings e;
  e.replicates = 200;
  e.seed = 11;
  const FitProblem p(
      s,
      parse_targets(s, {"D0.sponsors@4=20", "D0.p_reach:30=0.5", "D0.yes=40", "D0.p_adopted=0.9"}),
      parse_free_list(s, {"theta_0,theta_peer,D0.position,D0.status_quo"}), e);
  FitOptions o;
  o.max_evaluations = 40;
  const FitResult r = fit(p, local_evaluator(p), o);
  const std::string yaml = fitted_scenario_yaml(p, r, "plenary fit x.yaml", "A comment\n");
  EXPECT_EQ(yaml.rfind("# Fitted by plenary", 0), 0u) << yaml;
  EXPECT_NE(yaml.find("# The original file's comment:\n# A comment\n"), std::string::npos);
  EXPECT_NE(yaml.find("#   D0.yes=40 "), std::string::npos) << yaml;

  const Scenario fitted = load_scenario_text(yaml);
  EXPECT_EQ(fitted.run.replicates, 200);
  EXPECT_EQ(fitted.run.seed, 11u);
  EXPECT_EQ(fitted.run.thresholds, std::vector<int>{30});
  const Model model = compile(fitted);
  RunOptions run;
  run.replicates = fitted.run.replicates;
  run.seed = fitted.run.seed;
  const Summary summary = summarise(model, simulate(model, run), fitted.run.thresholds);
  for (std::size_t j = 0; j < p.targets().size(); ++j) {
    EXPECT_EQ(measure(p.targets()[j], summary).value, r.achieved.value[j]) << j;
    EXPECT_EQ(measure(p.targets()[j], summary).se, r.achieved.se[j]) << j;
  }
  EXPECT_EQ(fitted.parameters.theta_0, r.fitted[0]);
  EXPECT_EQ(fitted.drafts[0].position.value()[0], r.fitted[2]);
}

TEST(Fit, ResultsDoNotDependOnThreads) {
  Scenario s = assembly();
  const auto targets = parse_targets(s, {"D0.sponsors=30", "D0.no=10"});
  const auto free = parse_free_list(s, {"theta_0,phi_fit"});
  std::string first;
  for (int threads : {1, 2, 3}) {
    EvaluationSettings e;
    e.replicates = 300;
    e.seed = 5;
    e.threads = threads;
    const FitProblem p(s, targets, free, e);
    FitOptions o;
    o.max_evaluations = 50;
    const FitResult r = fit(p, local_evaluator(p), o);
    const std::string yaml = fitted_scenario_yaml(p, r, "plenary fit", "");
    if (first.empty()) {
      first = yaml;
    } else {
      EXPECT_EQ(yaml, first) << threads << " threads";
    }
  }
}

// A parameter the targets cannot move, and more free coordinates than targets, are reported
// as not identified rather than given a number.
TEST(Fit, SaysWhenParametersAreNotIdentified) {
  Scenario s = assembly();
  EvaluationSettings e;
  e.replicates = 300;
  e.seed = 5;
  {
    // theta_rival does nothing in a scenario without rivals.
    const FitProblem p(s, parse_targets(s, {"D0.sponsors=30"}),
                       parse_free_list(s, {"theta_0,theta_rival"}), e);
    FitOptions o;
    o.max_evaluations = 30;
    const FitResult r = fit(p, local_evaluator(p), o);
    EXPECT_EQ(r.uncertainty.rank, 1);
    EXPECT_TRUE(r.uncertainty.identified[0]);
    EXPECT_TRUE(std::isfinite(r.uncertainty.se[0]));
    EXPECT_FALSE(r.uncertainty.identified[1]);
    EXPECT_TRUE(std::isnan(r.uncertainty.se[1]));
    EXPECT_EQ(r.uncertainty.jacobian(0, 1), 0.0);
    const std::string table = fit_text_report(p, r);
    EXPECT_NE(table.find("(not identified)"), std::string::npos) << table;
    EXPECT_NE(table.find("the targets pin down 1 of 2 free directions"), std::string::npos)
        << table;
  }
  {
    // One target, three coordinates that all move it: none is pinned down on its own.
    const FitProblem p(s, parse_targets(s, {"D0.sponsors=30"}),
                       parse_free_list(s, {"theta_0,theta_peer,theta_fit"}), e);
    FitOptions o;
    o.max_evaluations = 30;
    const FitResult r = fit(p, local_evaluator(p), o);
    EXPECT_EQ(r.uncertainty.rank, 1);
    for (bool identified : r.uncertainty.identified) EXPECT_FALSE(identified);
  }
}

TEST(Fit, ReadsTheLeadingComment) {
  EXPECT_EQ(leading_comment("# one\n#two\n#\nname: x\n# not this\n"), "one\ntwo\n\n");
  EXPECT_EQ(leading_comment("name: x\n"), "");
}

}  // namespace
}  // namespace plenary
