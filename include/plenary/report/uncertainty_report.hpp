#pragma once
/// The uncertainty section of `plenary run` and `plenary compare` (docs/uncertainty.md):
/// the variance of the headline figures split into Monte-Carlo and positions, and what
/// --target-se did. Printed and written only when --uncertainty or --target-se is given,
/// so that a plain run's output is unchanged.

#include <optional>
#include <string>

#include "plenary/stats/uncertainty.hpp"

namespace plenary {

/// What a run with --uncertainty or --target-se reports besides the summary.
struct UncertaintyRun {
  VarianceReport variance;
  /// --target-se, when given, and what came of it.
  std::optional<double> target_se;
  long pilot = 0;          ///< replicates of the pilot run (discarded), 0 without a target
  long cap = 0;            ///< --max-replicates
  bool cap_hit = false;    ///< the plan wanted more than the cap
  bool target_met = true;  ///< every figure's standard error is at most the target
};

/// The section as text, ending in a newline.
std::string uncertainty_text(const UncertaintyRun& run);

/// `plenary compare`'s JSON document (`json`, as compare_json writes it) with an
/// "uncertainty" object {"a": ..., "b": ...} of both sides' sections added.
std::string compare_json_with_uncertainty(const std::string& json, const UncertaintyRun& a,
                                          const UncertaintyRun& b);

/// A JSON document (`json`, as `lobby` or `draft` writes it) with a "target_se" object
/// {"target", "pilot_replicates", "max_replicates", "cap_hit", "met", "largest_se"} of what
/// --target-se did, `largest` the largest standard error of the figures it bounds.
std::string json_with_target(const std::string& json, const UncertaintyRun& run, double largest);

}  // namespace plenary
