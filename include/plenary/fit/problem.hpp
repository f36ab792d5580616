#pragma once
/// The problem `plenary fit` solves (docs/fit.md): a scenario, the targets it should
/// reproduce and the free coordinates the search may change; and the evaluation of
/// candidate coordinates on common random numbers.
///
/// Evaluation is deliberately a pure function of the candidates: the same FitProblem (built
/// from the same scenario file, --set, --target and --free strings) gives the same
/// Achieved values for the same candidates in any process, on any number of threads. A
/// process-parallel layer (`plenary sweep`) can therefore rebuild the problem on every
/// worker and implement an Evaluator that scatters a generation's candidates and gathers
/// their Achieved values; fit() takes any Evaluator. task_evaluator()
/// (plenary/fit/task_evaluator.hpp) does so on the task layer's threads or MPI ranks.

#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "plenary/engine/simulate.hpp"
#include "plenary/fit/free_parameter.hpp"
#include "plenary/fit/target.hpp"
#include "plenary/scenario/scenario.hpp"

namespace plenary {

/// Values of every free coordinate, in natural units, in the order of the free parameters.
using Candidate = Eigen::VectorXd;

/// What one candidate achieves, per target in the order given.
struct Achieved {
  /// Achieved value.
  std::vector<double> value;
  /// Its Monte-Carlo standard error.
  std::vector<double> se;
  /// True where a tally target had no recorded vote (see Measurement::fallback).
  std::vector<bool> fallback;
  bool operator==(const Achieved&) const = default;
};

/// Evaluates a batch of candidates (one search generation, or a Jacobian's steps) and
/// returns their Achieved values in the same order.
using Evaluator = std::function<std::vector<Achieved>(const std::vector<Candidate>&)>;

/// How each candidate is simulated.
struct EvaluationSettings {
  /// Replicates per candidate K >= 1.
  long replicates = 1000;
  /// The seed shared by every candidate (common random numbers).
  std::uint64_t seed = 0;
  /// Worker threads per simulation; 0 = one per hardware thread. Results do not depend on it.
  int threads = 1;
};

/// A fitting problem, immutable once built.
class FitProblem {
 public:
  /// `scenario` is the validated scenario (after any --set). Throws UsageError when the
  /// bounds of the free parameters admit an invalid scenario (e.g. tau_yes + tau_no < 0).
  FitProblem(Scenario scenario, std::vector<Target> targets, std::vector<FreeParameter> free,
             EvaluationSettings settings);

  const Scenario& scenario() const { return scenario_; }
  const std::vector<Target>& targets() const { return targets_; }
  const std::vector<FreeParameter>& free() const { return free_; }
  const EvaluationSettings& settings() const { return settings_; }

  /// Number of free coordinates.
  int size() const { return static_cast<int>(lower_.size()); }
  /// Bounds and start (the scenario's values, clamped into the bounds) per coordinate.
  const Eigen::VectorXd& lower() const { return lower_; }
  const Eigen::VectorXd& upper() const { return upper_; }
  const Eigen::VectorXd& start() const { return start_; }
  /// Coordinate names ("theta_peer", "GGE.position[1]").
  const std::vector<std::string>& coordinate_names() const { return names_; }
  /// Sponsor counts whose P(reach) the summaries need (the p_reach targets').
  const std::vector<int>& thresholds() const { return thresholds_; }

  /// The scenario with the candidate's values in place, validated.
  Scenario scenario_at(const Candidate& x) const;

  /// Simulates one candidate (K replicates, the shared seed) and measures every target.
  Achieved evaluate(const Candidate& x) const;

  /// What a candidate achieves, measured from the Results of its K replicates (`model` is
  /// the candidate's compiled scenario_at()). evaluate() is simulate() then this; the task
  /// layer's evaluator (plenary/fit/task_evaluator.hpp) sums blocks of replicates first.
  Achieved achieved(const Model& model, const Results& results) const;

  /// Evaluates candidates one after the other; the reference Evaluator.
  std::vector<Achieved> evaluate(const std::vector<Candidate>& xs) const;

  /// Each target's scale sqrt(tolerance^2 + se^2), given what a candidate achieved.
  std::vector<double> scales(const Achieved& a) const;

  /// Each target's standardised distance (achieved - target) / scale.
  std::vector<double> distances(const Achieved& a) const;

  /// The objective: the sum of squared standardised distances.
  double objective(const Achieved& a) const;

 private:
  Scenario scenario_;
  std::vector<Target> targets_;
  std::vector<FreeParameter> free_;
  EvaluationSettings settings_;
  Eigen::VectorXd lower_, upper_, start_;
  std::vector<std::string> names_;
  std::vector<int> thresholds_;
};

/// An Evaluator that calls problem.evaluate() in this process. The problem must outlive it.
Evaluator local_evaluator(const FitProblem& problem);

}  // namespace plenary
