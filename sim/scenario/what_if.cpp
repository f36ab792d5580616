// What-ifs (include/plenary/scenario/what_if.hpp): --force, --forbid, --absent, --shift.

#include "plenary/scenario/what_if.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "plenary/scenario/loader.hpp"
#include "plenary/util/error.hpp"
#include "plenary/util/text.hpp"

namespace plenary {

std::string_view what_if_flag(WhatIfKind kind) {
  switch (kind) {
    case WhatIfKind::kForce:
      return "--force";
    case WhatIfKind::kForbid:
      return "--forbid";
    case WhatIfKind::kAbsent:
      return "--absent";
    case WhatIfKind::kShift:
      return "--shift";
  }
  return "?";
}

namespace {

class Applier {
 public:
  Applier(WhatIfRun& run, const WhatIf& w, const std::vector<std::vector<int>>& original)
      : s_(run.scenario), barred_(run.constraints.barred), w_(w), original_(original) {}

  void apply() {
    switch (w_.kind) {
      case WhatIfKind::kForce:
      case WhatIfKind::kForbid:
        return sponsorship();
      case WhatIfKind::kAbsent:
        return absent();
      case WhatIfKind::kShift:
        return shift();
    }
  }

 private:
  [[noreturn]] void fail(const std::string& message) const {
    throw UsageError(fmt::format("{} '{}': {}", what_if_flag(w_.kind), w_.argument, message));
  }

  // CODE|BLOC: a member's code, else a bloc's name.
  std::vector<int> members(std::string_view target) const {
    target = trim(target);
    if (target.empty()) fail("name a member code or a bloc before the separator");
    if (const int i = s_.find_member(target); i >= 0) return {i};
    if (const int g = s_.find_bloc(target); g >= 0) {
      if (s_.blocs[static_cast<std::size_t>(g)].members.empty()) {
        fail(fmt::format("bloc '{}' has no members in this scenario", target));
      }
      return s_.blocs[static_cast<std::size_t>(g)].members;
    }
    std::vector<std::string> names;
    for (const Member& m : s_.members) names.push_back(m.code);
    for (const Bloc& b : s_.blocs) names.push_back(b.name);
    fail(fmt::format("'{}' is neither a member code nor a bloc of the scenario{}", target,
                     did_you_mean(target, names)));
  }

  int draft(std::string_view id) const {
    id = trim(id);
    const int r = s_.find_draft(id);
    if (r < 0) {
      std::vector<std::string> ids;
      for (const Draft& d : s_.drafts) ids.push_back(d.id);
      fail(fmt::format("no draft '{}' in the scenario{} (drafts: {})", id, did_you_mean(id, ids),
                       join_quoted(ids, " and ")));
    }
    return r;
  }

  // --force / --forbid CODE|BLOC:DRAFT
  void sponsorship() {
    const std::size_t colon = w_.argument.rfind(':');
    if (colon == std::string::npos) fail("expected CODE:DRAFT or BLOC:DRAFT, e.g. EU:JOINT");
    const std::string_view arg = w_.argument;
    const std::vector<int> who = members(arg.substr(0, colon));
    const auto r = static_cast<std::size_t>(draft(arg.substr(colon + 1)));
    Draft& d = s_.drafts[r];
    std::vector<int>& barred = barred_[r];
    auto contains = [](const std::vector<int>& v, int i) {
      return std::find(v.begin(), v.end(), i) != v.end();
    };
    for (int i : who) {
      const std::string& code = s_.members[static_cast<std::size_t>(i)].code;
      if (w_.kind == WhatIfKind::kForce) {
        if (contains(barred, i)) {
          fail(
              fmt::format("{} is also forbidden from sponsoring {} (--forbid); drop one of the two",
                          code, d.id));
        }
        if (!contains(d.sponsors, i)) d.sponsors.push_back(i);
      } else {
        if (contains(d.sponsors, i)) {
          fail(
              fmt::format("{} {} {}; a what-if cannot undo that (edit the draft's sponsors in "
                          "the scenario instead)",
                          code,
                          contains(original_[r], i) ? "is an original sponsor of"
                                                    : "is forced to sponsor (--force)",
                          d.id));
        }
        if (!contains(barred, i)) {
          barred.insert(std::lower_bound(barred.begin(), barred.end(), i), i);
        }
      }
    }
  }

  // --absent CODE|BLOC
  void absent() {
    for (int i : members(w_.argument)) s_.members[static_cast<std::size_t>(i)].absence = 1;
  }

  // --shift CODE|BLOC=dx,dy
  void shift() {
    const std::size_t eq = w_.argument.rfind('=');
    if (eq == std::string::npos) fail("expected CODE=dx,dy or BLOC=dx,dy, e.g. African=0.5,0");
    const std::string_view arg = w_.argument;
    const std::vector<int> who = members(arg.substr(0, eq));
    const std::string_view value = arg.substr(eq + 1);
    const std::optional<std::vector<double>> parsed = parse_numbers(value);
    if (!parsed) {
      fail(fmt::format("expected {} finite numbers separated by commas after '=', got '{}'",
                       s_.dims, value));
    }
    const std::vector<double>& delta = *parsed;
    if (static_cast<int>(delta.size()) != s_.dims) {
      fail(fmt::format(
          "the scenario's policy space has {} dimension{}; give {} number{} after "
          "'=', got {}",
          s_.dims, s_.dims == 1 ? "" : "s", s_.dims, s_.dims == 1 ? "" : "s", delta.size()));
    }
    const Eigen::Map<const Eigen::VectorXd> d(delta.data(),
                                              static_cast<Eigen::Index>(delta.size()));
    for (int i : who) {
      Eigen::VectorXd& x = s_.members[static_cast<std::size_t>(i)].position;
      x += d;
      if (!x.allFinite() || x.cwiseAbs().maxCoeff() > kMaxMagnitude) {
        fail(fmt::format("a shifted position lies beyond +-{:g}; use a smaller shift",
                         kMaxMagnitude));
      }
    }
  }

  Scenario& s_;
  std::vector<std::vector<int>>& barred_;  // per draft
  const WhatIf& w_;
  // Each draft's sponsors as loaded, to tell original sponsors from forced ones.
  const std::vector<std::vector<int>>& original_;
};

}  // namespace

WhatIfRun apply_what_ifs(const Scenario& scenario, const std::vector<WhatIf>& what_ifs) {
  WhatIfRun run{scenario, {}};
  if (what_ifs.empty()) return run;
  run.constraints.barred.resize(scenario.drafts.size());
  std::vector<std::vector<int>> original;
  for (Draft& d : run.scenario.drafts) {
    original.push_back(d.sponsors);
    // Texts stay where the scenario puts them (see the header).
    if (!d.position) d.position = sponsor_position(run.scenario, d.sponsors, d.id);
  }
  // Forbids after forces, so that forcing and forbidding the same member is refused
  // whatever the order on the command line.
  std::vector<const WhatIf*> ordered;
  for (const WhatIfKind kind :
       {WhatIfKind::kForce, WhatIfKind::kForbid, WhatIfKind::kAbsent, WhatIfKind::kShift}) {
    for (const WhatIf& w : what_ifs) {
      if (w.kind == kind) ordered.push_back(&w);
    }
  }
  for (const WhatIf* w : ordered) {
    Applier(run, *w, original).apply();
  }
  for (const WhatIf& w : what_ifs) {
    run.scenario.what_ifs.push_back(fmt::format("{} {}", what_if_flag(w.kind), w.argument));
  }
  validate(run.scenario);
  return run;
}

}  // namespace plenary
