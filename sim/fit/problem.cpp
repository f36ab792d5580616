// Candidate evaluation on common random numbers (include/plenary/fit/problem.hpp).

#include "plenary/fit/problem.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"
#include "plenary/scenario/loader.hpp"
#include "plenary/stats/summary.hpp"
#include "plenary/util/assert.hpp"

namespace plenary {

FitProblem::FitProblem(Scenario scenario, std::vector<Target> targets,
                       std::vector<FreeParameter> free, EvaluationSettings settings)
    : scenario_(std::move(scenario)),
      targets_(std::move(targets)),
      free_(std::move(free)),
      settings_(settings) {
  const int n = coordinate_count(free_);
  lower_.resize(n);
  upper_.resize(n);
  start_.resize(n);
  Eigen::Index at = 0;
  for (const FreeParameter& f : free_) {
    lower_.segment(at, f.size()) = f.lower;
    upper_.segment(at, f.size()) = f.upper;
    start_.segment(at, f.size()) = f.initial.cwiseMax(f.lower).cwiseMin(f.upper);
    for (int k = 0; k < f.size(); ++k) names_.push_back(f.coordinate_name(k));
    at += f.size();
  }
  for (const Target& t : targets_) {
    if (t.quantity == Quantity::kPReach) thresholds_.push_back(t.reach);
  }
  std::sort(thresholds_.begin(), thresholds_.end());
  thresholds_.erase(std::unique(thresholds_.begin(), thresholds_.end()), thresholds_.end());

  // The bounds must admit only valid scenarios. The constraints that involve the free
  // values (tau_yes + tau_no >= 0, rho in [0, 1], e_r >= 0, finite utilities) are monotone
  // in each coordinate, so checking the two corners of the box is enough.
  for (const auto& [corner, which] : {std::pair(&lower_, "lower"), std::pair(&upper_, "upper")}) {
    try {
      compile(scenario_at(*corner));
    } catch (const Error& e) {
      throw UsageError(fmt::format(
          "--free: with every free parameter at its {} bound the scenario is invalid: {} "
          "(narrow the bounds with NAME=LOW:HIGH)",
          which, e.message()));
    }
  }
}

Scenario FitProblem::scenario_at(const Candidate& x) const {
  PLENARY_ASSERT(x.size() == size());
  Scenario s = scenario_;
  apply_free(free_, x, s);
  validate(s);
  return s;
}

Achieved FitProblem::evaluate(const Candidate& x) const {
  const Model model = compile(scenario_at(x));
  RunOptions options;
  options.replicates = settings_.replicates;
  options.seed = settings_.seed;
  options.threads = settings_.threads;
  return achieved(model, simulate(model, options));
}

Achieved FitProblem::achieved(const Model& model, const Results& results) const {
  const Summary summary = summarise(model, results, thresholds_);
  Achieved a;
  for (const Target& t : targets_) {
    const Measurement m = measure(t, summary);
    a.value.push_back(m.value);
    a.se.push_back(m.se);
    a.fallback.push_back(m.fallback);
  }
  return a;
}

std::vector<Achieved> FitProblem::evaluate(const std::vector<Candidate>& xs) const {
  std::vector<Achieved> out;
  out.reserve(xs.size());
  for (const Candidate& x : xs) out.push_back(evaluate(x));
  return out;
}

std::vector<double> FitProblem::scales(const Achieved& a) const {
  std::vector<double> s;
  for (std::size_t j = 0; j < targets_.size(); ++j) {
    s.push_back(std::hypot(targets_[j].tolerance, a.se[j]));
  }
  return s;
}

std::vector<double> FitProblem::distances(const Achieved& a) const {
  const std::vector<double> s = scales(a);
  std::vector<double> d;
  for (std::size_t j = 0; j < targets_.size(); ++j) {
    d.push_back((a.value[j] - targets_[j].value) / s[j]);
  }
  return d;
}

double FitProblem::objective(const Achieved& a) const {
  double sum = 0;
  for (double d : distances(a)) sum += d * d;
  return sum;
}

Evaluator local_evaluator(const FitProblem& problem) {
  return [&problem](const std::vector<Candidate>& xs) { return problem.evaluate(xs); };
}

}  // namespace plenary
