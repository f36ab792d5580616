#pragma once
/// Synthetic assemblies for scale and speed studies (`plenary generate`), and writing any
/// Scenario back as a scenario file.
///
/// The reference workload "bench-193" is the default: 193 members in 2 dimensions with
/// standard-normal positions; 12 blocs, each member in 1 to 3 of them drawn uniformly;
/// ties = bloc co-membership (tie weight 1); clout 1; absence 0.05; two rival drafts
/// sponsored by members 0 and 1 at their own positions, status quo at the origin, open
/// from round 0 to 20, lobbying 1, simple majority; MODEL.md's default parameters;
/// 10,000 replicates.

#include <cstdint>
#include <string>

#include "plenary/scenario/scenario.hpp"

namespace plenary {

/// The shape of a synthetic assembly.
struct GenerateOptions {
  /// Members N >= 2 (codes M0, M1, ...).
  int members = 193;
  /// Blocs G >= 0 (names B0, B1, ...); each member joins 1 to min(3, G) of them.
  int blocs = 12;
  /// Explicit ties per member (to distinct members drawn uniformly, weight 1). When > 0 the
  /// blocs carry no ties (tie: 0) and act through the bloc term only, so W stays sparse.
  int ties_per_member = 0;
  /// Drafts R >= 1 (ids D0, D1, ...), all rivals of one another; draft r is sponsored by
  /// member r at its own position.
  int drafts = 2;
  /// Dimensions D, 1..3.
  int dims = 2;
  /// The round at which every draft closes.
  int rounds = 20;
  /// Absence probability of every member.
  double absence = 0.05;
  /// Replicates written under `run:`.
  long replicates = 10000;
  /// Seed of the generator (also written as the run's seed).
  std::uint64_t seed = 1;
};

/// Builds a synthetic scenario. The same options give the same scenario on any platform
/// (positions come from the counter-based generator and Box-Muller, not <random>).
/// Throws UsageError for options out of range.
Scenario generate_scenario(const GenerateOptions& options);

/// Writes a scenario as a YAML scenario file that load_scenario() reads back to an equal
/// Scenario (numbers in shortest round-trip form). `header` lines are written as comments.
std::string scenario_to_yaml(const Scenario& scenario, const std::string& header = "");

/// A scenario written as a YAML file that references two tables (docs/scenario-format.md,
/// "Members and ties from plain files").
struct ScenarioFiles {
  std::string yaml;         ///< `members: {file: ...}` and `ties: {file: ...}`
  std::string members_csv;  ///< code, name, x1..xd, [se1..sd], [group], clout, ... blocs
  std::string ties_csv;     ///< from,to,weight; empty when the scenario has no ties
};

/// Writes a scenario as YAML with its members and ties in tables named `members_file` and
/// `ties_file` (relative to the YAML file), which load_scenario() reads back to an equal
/// Scenario. Throws UsageError for a bloc name that a table cannot hold (one with ';').
ScenarioFiles scenario_to_tables(const Scenario& scenario, const std::string& header,
                                 const std::string& members_file, const std::string& ties_file);

}  // namespace plenary
