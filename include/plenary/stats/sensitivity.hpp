#pragma once
/// Global sensitivity analysis (`plenary sensitivity`, docs/sensitivity.md): the designs
/// (Morris trajectories, Saltelli's A, B and AB_i matrices) on the unit cube [0,1]^k, and
/// the estimators (Morris mu*, mu, sigma; Sobol first-order and total indices) with
/// bootstrap 95% intervals. Nothing here knows of scenarios: a design is a list of points
/// in [0,1]^k, the caller evaluates each (a run of the scenario, or any function through
/// evaluate_design()) and hands the values back.
///
/// Every number drawn (a design's points, the bootstrap's resamples) is a pure function of
/// (seed, index) through Philox4x32-10, so a design and its indices are the same bytes on
/// any machine, thread count or number of MPI ranks.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "plenary/engine/simulate.hpp"
#include "plenary/stats/lobby.hpp"

namespace plenary {

enum class SensitivityMethod {
  kMorris,  ///< elementary effects (Morris 1991; mu* of Campolongo et al. 2007)
  kSobol,   ///< first-order and total indices (Saltelli et al. 2010)
};

/// "morris" or "sobol".
constexpr std::string_view sensitivity_method_name(SensitivityMethod m) {
  return m == SensitivityMethod::kMorris ? "morris" : "sobol";
}

/// The points to evaluate, in [0,1]^k.
struct SensitivityDesign {
  SensitivityMethod method = SensitivityMethod::kMorris;
  /// Factors k >= 1.
  int factors = 0;
  /// Morris: trajectories r; Sobol: base samples N (rows of A and of B).
  int samples = 0;
  /// Morris: levels p (even, >= 2); the step is Delta = p / (2 (p - 1)). 0 for Sobol.
  int levels = 0;
  std::uint64_t seed = 0;
  /// Every point's coordinates, point-major: unit[point * factors + i].
  std::vector<double> unit;
  /// Morris: the factor moved to reach each point (-1 for a trajectory's first point) and
  /// the direction of the step (+1 or -1; 0 for a first point). Empty for Sobol.
  std::vector<int> moved, direction;

  std::size_t points() const {
    return factors > 0 ? unit.size() / static_cast<std::size_t>(factors) : 0;
  }
  double at(std::size_t point, int i) const {
    return unit[point * static_cast<std::size_t>(factors) + static_cast<std::size_t>(i)];
  }
};

/// Morris's design: r trajectories of k + 1 points each (point t (k + 1) + j). Trajectory t
/// starts at a random point of the grid {0, 1/(p-1), ..., 1} whose every coordinate can
/// step by Delta within [0,1] (the lower or, at random, the upper end of a step), and moves
/// one factor at a time by +-Delta, in a random order. Throws UsageError for k < 1, r < 2
/// or p odd or below 2.
SensitivityDesign morris_design(int factors, int trajectories, int levels, std::uint64_t seed);

/// Saltelli's design: N base rows, each (k + 2) points: row j of A (point j (k + 2)), of B
/// (+1), and of AB_i (+2 + i: A's row with column i from B). A and B are independent
/// uniforms from Philox (seed, row, column). Throws UsageError for k < 1 or N < 2.
SensitivityDesign sobol_design(int factors, int base_samples, std::uint64_t seed);

/// One factor's Morris measures, on the unit scale: elementary effect EE = (change in the
/// output) / Delta, so mu* is the output's change over the factor's whole range.
struct MorrisIndex {
  /// Mean of |EE| (Campolongo et al. 2007) with its bootstrap 95% interval over trajectories.
  double mu_star = 0, mu_star_lo = 0, mu_star_hi = 0;
  /// Mean of EE, and the standard deviation of EE (n - 1 divisor).
  double mu = 0, sigma = 0;
};

/// One factor's Sobol indices with bootstrap 95% percentile intervals and standard errors
/// (the bootstrap's standard deviation). NaN when the output does not vary at all.
struct SobolIndex {
  double s1 = 0, s1_lo = 0, s1_hi = 0, s1_se = 0;
  double st = 0, st_lo = 0, st_hi = 0, st_se = 0;
};

/// Resamples of the bootstrap (over trajectories or base rows).
inline constexpr int kDefaultBootstrap = 1000;

/// Morris's measures of every factor from the values y (one per design point).
std::vector<MorrisIndex> morris_indices(const SensitivityDesign& design,
                                        const std::vector<double>& y,
                                        int bootstrap = kDefaultBootstrap);

/// Sobol's indices of every factor from the values y (one per design point): S1 by
/// Saltelli et al. (2010), mean((f(B) - m) (f(AB_i) - f(A))) / V with f(B) centred on m,
/// the mean of f over A and B (the same expectation, a smaller variance); ST by Jansen
/// (1999), mean((f(A) - f(AB_i))^2) / 2 / V; V the variance of f over the 2N points of A
/// and B.
std::vector<SobolIndex> sobol_indices(const SensitivityDesign& design, const std::vector<double>& y,
                                      int bootstrap = kDefaultBootstrap);

/// The values of `f` at every point of the design, each point mapped from the unit cube to
/// [lo_i, hi_i]: the library-level entry a test uses with a function of known indices.
std::vector<double> evaluate_design(const SensitivityDesign& design, const std::vector<double>& lo,
                                    const std::vector<double>& hi,
                                    const std::function<double(const std::vector<double>&)>& f);

/// The goal's mean over a run (the mean of goal_series() over the replicates, weighted for
/// `yes` and `margin`), from its integer counts, so that it adds up over tasks, threads and
/// ranks. NaN for `yes` and `margin` when no replicate had a recorded vote.
double goal_value(const Results& results, int draft, const LobbyGoal& goal);

}  // namespace plenary

namespace plenary {

/// One varied input: `--vary NAME=LO:HI`.
struct SensitivityFactor {
  /// What `--set` takes: `theta_peer`, `GGE.lobbying`, `GGE.closes`.
  std::string name;
  double lo = 0, hi = 1;
  /// An integer field (a draft's `opens` or `closes`): values rounded to the nearest integer.
  bool integer = false;
  /// The value at a unit coordinate u in [0,1]: lo + u (hi - lo), rounded if integer.
  double value(double u) const;
};

/// A whole study: what was varied, the design, every point's goal values and the indices.
struct SensitivityResult {
  std::string draft;
  std::vector<LobbyGoal> goals;
  std::vector<SensitivityFactor> factors;
  SensitivityDesign design;
  long replicates = 0;
  std::uint64_t seed = 0;
  int bootstrap = kDefaultBootstrap;
  /// values[g][point]: goal g's mean over the point's replicates.
  std::vector<std::vector<double>> values;
  /// Indices per goal and factor (morris for Morris, sobol for Sobol).
  std::vector<std::vector<MorrisIndex>> morris;
  std::vector<std::vector<SobolIndex>> sobol;
};

/// Fills `morris` or `sobol` of `r` from its design and values.
void compute_indices(SensitivityResult& r);

/// The factors in order of importance for goal g: mu* (Morris) or ST (Sobol) descending,
/// ties and undefined indices in the order given.
std::vector<std::size_t> ranked_factors(const SensitivityResult& r, std::size_t g);

}  // namespace plenary
