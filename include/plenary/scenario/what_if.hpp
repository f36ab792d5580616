#pragma once
/// What-ifs: one-flag changes to a loaded scenario, so that "what if the EU co-sponsors the
/// joint text from the start" or "what if the African Group stays away" is one command
/// (`plenary run` and `plenary compare`; docs/compare.md, "What-ifs").

#include <string>
#include <string_view>
#include <vector>

#include "plenary/scenario/scenario.hpp"

namespace plenary {

/// The four kinds of what-if and their command-line flags.
enum class WhatIfKind {
  kForce,   ///< `--force CODE|BLOC:DRAFT`: the members sponsor DRAFT from round 0.
  kForbid,  ///< `--forbid CODE|BLOC:DRAFT`: the members never sponsor DRAFT.
  kAbsent,  ///< `--absent CODE|BLOC`: the members are absent from every vote.
  kShift,   ///< `--shift CODE|BLOC=dx,dy`: the members' positions move by (dx, dy).
};

/// The flag of a kind, e.g. "--force".
std::string_view what_if_flag(WhatIfKind kind);

/// One what-if as given on the command line.
struct WhatIf {
  WhatIfKind kind = WhatIfKind::kForce;
  /// The flag's argument, e.g. "EU:JOINT" or "African=0.5,0".
  std::string argument;
};

/// What a run is constrained by beyond its scenario: the members barred from sponsoring
/// each draft (`--forbid`). A barred member never joins the draft; no scenario file can
/// say this (MODEL.md has no such rule), so it travels beside the Scenario, to compile().
struct RunConstraints {
  /// barred[r]: member indices barred from draft r, ascending, distinct, none an original
  /// sponsor. Empty, or shorter than the drafts, for drafts that bar no one.
  std::vector<std::vector<int>> barred;
};

/// A scenario with what-ifs applied, and the constraints they put on the run.
struct WhatIfRun {
  Scenario scenario;
  RunConstraints constraints;
};

/// Applies what-ifs to a loaded (and --set) scenario: returns a new, validated scenario
/// (forced sponsors, absences, shifted positions) and the run's constraints (bars).
///
/// CODE|BLOC names a member by code or, failing that, every member of a declared bloc.
/// Drafts whose position is their sponsors' mean (`position: sponsors`) keep the position
/// the scenario gives them before any what-if: a text does not move because a member
/// joins it from the start or changes its mind. The result does not depend on the order
/// of the what-ifs. Each is recorded in the new scenario's `what_ifs` as "--flag argument".
/// Throws UsageError naming the flag and the fix for an unknown member, bloc or draft, a
/// malformed argument, forcing and forbidding the same member, or forbidding an original
/// sponsor.
WhatIfRun apply_what_ifs(const Scenario& scenario, const std::vector<WhatIf>& what_ifs);

}  // namespace plenary
