#pragma once
// Checks shared by the subcommands' options.

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "plenary/scenario/what_if.hpp"
#include "plenary/util/text.hpp"

namespace plenary::cli {

/// A seed: a decimal integer in [0, 2^64). CLI11 alone would wrap "-1" to 2^64 - 1 and
/// saturate values that are too large, silently making different requests collide.
inline CLI::Validator seed_check() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (parse_unsigned(text)) return {};
        return "expected a non-negative integer below 2^64, got '" + text + "'";
      },
      "SEED");
}

/// The what-if flags of `run` and `compare` (include/plenary/scenario/what_if.hpp).
struct WhatIfArgs {
  std::vector<std::string> force, forbid, absent, shift;

  std::vector<WhatIf> what_ifs() const {
    std::vector<WhatIf> out;
    for (const auto& a : force) out.push_back({WhatIfKind::kForce, a});
    for (const auto& a : forbid) out.push_back({WhatIfKind::kForbid, a});
    for (const auto& a : absent) out.push_back({WhatIfKind::kAbsent, a});
    for (const auto& a : shift) out.push_back({WhatIfKind::kShift, a});
    return out;
  }
};

/// Registers --force, --forbid, --absent and --shift on `sub`; `target` says what they
/// change ("the scenario" or "B").
inline void add_what_if_options(CLI::App* sub, WhatIfArgs& args, const std::string& target) {
  const std::string group = "What-ifs (applied to " + target + "; docs/compare.md, What-ifs)";
  sub->add_option("--force", args.force,
                  "CODE:DRAFT or BLOC:DRAFT: the member(s) co-sponsor DRAFT from round 0 "
                  "(e.g. EU:JOINT); repeatable")
      ->group(group);
  sub->add_option("--forbid", args.forbid,
                  "CODE:DRAFT or BLOC:DRAFT: the member(s) never co-sponsor DRAFT; repeatable")
      ->group(group);
  sub->add_option("--absent", args.absent,
                  "CODE or BLOC: the member(s) are absent from every vote; repeatable")
      ->group(group);
  sub->add_option("--shift", args.shift,
                  "CODE=dx,dy or BLOC=dx,dy: move the member(s) in the policy space (one "
                  "number per dimension); repeatable")
      ->group(group);
}

}  // namespace plenary::cli
