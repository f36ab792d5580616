// A sensitivity study on a scenario (include/plenary/scale/sensitivity.hpp,
// docs/sensitivity.md): the factors parsed and checked, the design's points as --set
// assignments, run on the task layer, their goal values journalled on the root.

#include "plenary/scale/sensitivity.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <cstdlib>

#include "plenary/scale/sweep.hpp"
#include "plenary/scenario/loader.hpp"
#include "plenary/util/atomic_file.hpp"
#include "plenary/util/error.hpp"
#include "plenary/util/text.hpp"

namespace plenary::scale {

namespace {

// A number of --vary's LO or HI, or nullopt.
std::optional<double> number(std::string_view text) {
  const std::string s(trim(text));
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double x = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(x)) return std::nullopt;
  return x;
}

// apply_set()'s message with its "--set 'NAME=VALUE': " prefix replaced by --vary's.
std::string as_vary(const std::string& vary, const std::string& message) {
  std::string rest = message;
  if (rest.rfind("--set '", 0) == 0) {
    const std::size_t end = rest.find("': ");
    if (end != std::string::npos) rest = rest.substr(end + 3);
  }
  return fmt::format("--vary '{}': {}", vary, rest);
}

// The assignment NAME=VALUE of a factor's value, in shortest round-trip form.
std::string assignment(const SensitivityFactor& f, double u) {
  const double x = f.value(u);
  return f.integer ? fmt::format("{}={}", f.name, static_cast<long long>(x))
                   : fmt::format("{}={}", f.name, x);
}

// What makes two studies the same: the sweep's identity of the scenario, replicates and
// seed, and every choice that changes a point's values.
std::string study_identity(const Scenario& base, const SensitivitySpec& spec,
                           const std::string& draft, long replicates, std::uint64_t seed) {
  std::string id = sweep_identity(base, {}, replicates, seed);
  id += fmt::format("\tstudy=sensitivity\tmethod={}\tsamples={}\tlevels={}\tdraft={}",
                    sensitivity_method_name(spec.method), spec.samples,
                    spec.method == SensitivityMethod::kMorris ? spec.levels : 0, draft);
  for (const std::string& v : spec.varies) id += "\tvary=" + v;
  for (const std::string& g : spec.goals) id += "\tgoal=" + g;
  return id;
}

}  // namespace

SensitivityFactor parse_vary(const Scenario& base, const std::string& vary) {
  const std::size_t eq = vary.find('=');
  const std::size_t colon = vary.find(':', eq == std::string::npos ? 0 : eq);
  if (eq == std::string::npos || colon == std::string::npos) {
    throw UsageError(fmt::format(
        "--vary '{}': expected NAME=LO:HI, e.g. 'theta_peer=0:4' or 'GGE.lobbying=0:2'", vary));
  }
  SensitivityFactor f;
  f.name = std::string(trim(std::string_view(vary).substr(0, eq)));
  const auto lo = number(std::string_view(vary).substr(eq + 1, colon - eq - 1));
  const auto hi = number(std::string_view(vary).substr(colon + 1));
  if (f.name.empty()) throw UsageError(fmt::format("--vary '{}': the name is missing", vary));
  if (!lo || !hi) {
    throw UsageError(
        fmt::format("--vary '{}': LO and HI must be finite numbers, e.g. 'theta_peer=0:4'", vary));
  }
  if (*lo >= *hi) {
    throw UsageError(
        fmt::format("--vary '{}': LO ({}) must be below HI ({}); give the range "
                    "low to high",
                    vary, *lo, *hi));
  }
  f.lo = *lo;
  f.hi = *hi;
  const std::size_t dot = f.name.rfind('.');
  const std::string field = dot == std::string::npos ? f.name : f.name.substr(dot + 1);
  f.integer = dot != std::string::npos && (field == "opens" || field == "closes");
  for (const double u : {0.0, 1.0}) {
    Scenario s = base;
    try {
      apply_set(s, assignment(f, u));
      validate(s);
    } catch (const UsageError& e) {
      throw UsageError(as_vary(vary, e.what()));
    } catch (const ScenarioError& e) {
      throw ScenarioError(fmt::format("--vary '{}' at {}: {}", vary, assignment(f, u), e.what()));
    }
  }
  return f;
}

SensitivityPlan::SensitivityPlan(Scenario base, SensitivitySpec spec)
    : base_(std::move(base)), spec_(std::move(spec)) {
  if (spec_.varies.empty()) {
    throw UsageError("no --vary: give at least one NAME=LO:HI, e.g. --vary theta_peer=0:4");
  }
  for (const std::string& v : spec_.varies) {
    factors_.push_back(parse_vary(base_, v));
    for (std::size_t i = 0; i + 1 < factors_.size(); ++i) {
      if (factors_[i].name == factors_.back().name) {
        throw UsageError(fmt::format("--vary '{}': '{}' is varied twice; give each name once", v,
                                     factors_.back().name));
      }
    }
  }
  if (spec_.draft.empty()) {
    if (base_.drafts.empty()) throw UsageError("the scenario has no draft to measure");
    spec_.draft = base_.drafts.front().id;
  }
  draft_ = base_.find_draft(spec_.draft);
  if (draft_ < 0) {
    std::vector<std::string> ids;
    for (const Draft& d : base_.drafts) ids.push_back(d.id);
    throw UsageError(fmt::format("--draft '{}': no such draft{} (drafts: {})", spec_.draft,
                                 did_you_mean(spec_.draft, ids), join_quoted(ids, " and ")));
  }
  if (spec_.goals.empty()) spec_.goals = {"sponsors"};
  for (const std::string& g : spec_.goals) {
    goals_.push_back(parse_lobby_goal(g, static_cast<int>(base_.members.size())));
  }
  replicates_ = spec_.replicates.value_or(base_.run.replicates);
  seed_ = spec_.seed.value_or(base_.run.seed);
  const int k = static_cast<int>(factors_.size());
  const std::size_t per =
      spec_.method == SensitivityMethod::kMorris ? factors_.size() + 1 : factors_.size() + 2;
  if (spec_.samples > 0 && static_cast<std::size_t>(spec_.samples) * per > kMaxStudyPoints) {
    throw UsageError(fmt::format("--samples {}: {} points with {} factors; at most {} points",
                                 spec_.samples, static_cast<std::size_t>(spec_.samples) * per, k,
                                 kMaxStudyPoints));
  }
  design_ = spec_.method == SensitivityMethod::kMorris
                ? morris_design(k, spec_.samples, spec_.levels, seed_)
                : sobol_design(k, spec_.samples, seed_);
  // Every point is checked before the first is run (a draft that would close before it
  // opens), as a sweep does.
  for (std::size_t p = 0; p < points(); ++p) (void)scenario(p);
}

std::vector<std::string> SensitivityPlan::assignments(std::size_t point) const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < factors_.size(); ++i) {
    out.push_back(assignment(factors_[i], design_.at(point, static_cast<int>(i))));
  }
  return out;
}

Scenario SensitivityPlan::scenario(std::size_t point) const {
  Scenario s = base_;
  const std::vector<std::string> sets = assignments(point);
  try {
    for (const std::string& set : sets) {
      apply_set(s, set);
      s.overrides.push_back(set);
    }
    validate(s);
  } catch (const ScenarioError& e) {
    throw ScenarioError(fmt::format("design point {} ({}): {}; narrow the --vary ranges", point,
                                    fmt::join(sets, " "), e.what()));
  }
  return s;
}

void SensitivityPlan::open_output(const std::filesystem::path& out, bool resume) {
  check_writable(out);
  const std::string identity = study_identity(base_, spec_, spec_.draft, replicates_, seed_);
  const std::filesystem::path journal = Journal::path_for(out);
  if (resume) {
    journal_.emplace(Journal::resume(journal, identity, points()));
  } else {
    journal_.emplace(Journal::create(journal, identity));
    fresh_journal_ = true;
  }
  rows_ = journal_->rows();
}

void SensitivityPlan::abandon() {
  if (fresh_journal_) journal_->remove();
  journal_.reset();
  fresh_journal_ = false;
}

void SensitivityPlan::add_point(std::size_t point, const Results& results) {
  std::string row = fmt::format("{}", point);
  for (const LobbyGoal& g : goals_) {
    const double v = goal_value(results, draft_, g);
    if (std::isnan(v)) {
      throw UsageError(fmt::format(
          "--goal {}: undefined at design point {} ({}): no replicate had a recorded vote; "
          "choose a goal defined at every point (sponsors, reach:N, adopted, without-vote)",
          g.name, point, fmt::join(assignments(point), " ")));
    }
    row += fmt::format(",{}", v);
  }
  if (journal_) journal_->append(row);
  rows_.emplace(point, std::move(row));
}

SensitivityResult SensitivityPlan::result() const {
  SensitivityResult r;
  r.draft = spec_.draft;
  r.goals = goals_;
  r.factors = factors_;
  r.design = design_;
  r.replicates = replicates_;
  r.seed = seed_;
  r.bootstrap = spec_.bootstrap;
  r.values.assign(goals_.size(), std::vector<double>(points()));
  for (const auto& [point, row] : rows_) {
    // The journal's numbers are shortest round-trip forms: strtod gives back the same double.
    const char* p = row.c_str() + row.find(',');
    for (std::size_t g = 0; g < goals_.size(); ++g) {
      char* end = nullptr;
      r.values[g][point] = std::strtod(p + 1, &end);
      p = end;
    }
  }
  compute_indices(r);
  return r;
}

void SensitivityPlan::finish() {
  if (journal_) journal_->remove();
  journal_.reset();
  fresh_journal_ = false;
}

void run_sensitivity(TaskRunner& runner, SensitivityPlan& plan,
                     const std::vector<std::size_t>& points, const PointRunOptions& options) {
  run_points(
      runner, [&](std::size_t point) { return plan.scenario(point); }, points, plan.replicates(),
      plan.seed(), options,
      [&](std::size_t point, const Model&, Results results) { plan.add_point(point, results); });
}

}  // namespace plenary::scale
