// `--set NAME=VALUE`: one change to a loaded scenario (include/plenary/scenario/loader.hpp).
// The caller runs validate() afterwards (apply_sets does), so only the syntax of the value
// (and a position's number of dimensions) is checked here.

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <limits>

#include "plenary/scenario/loader.hpp"
#include "plenary/util/text.hpp"

namespace plenary {

namespace {

// Draft fields that `--set DRAFT.FIELD=VALUE` can change besides the parameters.
constexpr std::array<std::string_view, 7> kDraftFields = {
    "opens", "closes", "lobbying", "withdraw_below", "majority", "position", "status_quo"};

class Assignment {
 public:
  explicit Assignment(std::string_view text) : text_(text) {}

  [[noreturn]] void fail(const std::string& message) const {
    throw UsageError(fmt::format("--set '{}': {}", text_, message));
  }

  double number(std::string_view name, std::string_view value) const {
    const std::optional<double> x = parse_number(value);
    if (!x) fail(fmt::format("expected a number for '{}', got '{}'", name, value));
    if (!std::isfinite(*x)) fail(fmt::format("'{}' must be a finite number, got {}", name, value));
    return *x;
  }

  int integer(std::string_view name, std::string_view value) const {
    const std::optional<std::int64_t> x = parse_integer(value);
    if (!x || *x < std::numeric_limits<int>::min() || *x > std::numeric_limits<int>::max()) {
      fail(fmt::format("expected an integer for '{}', got '{}'", name, value));
    }
    return static_cast<int>(*x);
  }

  // A point of the scenario's `dims`-dimensional policy space.
  Eigen::VectorXd vector(std::string_view name, std::string_view value, int dims) const {
    const std::optional<std::vector<double>> xs = parse_numbers(value);
    if (!xs || xs->size() > 3) {
      fail(fmt::format("expected 1 to 3 numbers separated by commas for '{}', got '{}'", name,
                       value));
    }
    if (static_cast<int>(xs->size()) != dims) {
      fail(
          fmt::format("the scenario's policy space has {} dimension{}; give {} number{} for "
                      "'{}', got '{}'",
                      dims, dims == 1 ? "" : "s", dims, dims == 1 ? "" : "s", name, value));
    }
    return Eigen::Map<const Eigen::VectorXd>(xs->data(), static_cast<Eigen::Index>(xs->size()));
  }

 private:
  std::string_view text_;
};

std::vector<std::string_view> parameter_names() {
  std::vector<std::string_view> names;
  for (const ParameterInfo& info : kParameters) names.push_back(info.name);
  return names;
}

void set_draft_field(const Assignment& a, Draft& d, int dims, std::string_view field,
                     std::string_view value) {
  if (const auto k = find_parameter(field)) {
    d.parameters.values[*k] = a.number(field, value);
  } else if (field == "opens") {
    d.opens = a.integer(field, value);
  } else if (field == "closes") {
    d.closes = a.integer(field, value);
  } else if (field == "lobbying") {
    d.lobbying = a.number(field, value);
  } else if (field == "withdraw_below") {
    d.withdraw_below = value == "none" ? std::nullopt : std::optional(a.number(field, value));
  } else if (field == "majority") {
    if (value == majority_name(Majority::kSimple)) {
      d.majority = Majority::kSimple;
    } else if (value == majority_name(Majority::kTwoThirds)) {
      d.majority = Majority::kTwoThirds;
    } else {
      a.fail(
          fmt::format("expected 'simple' or 'two_thirds' for 'majority', got '{}'{}", value,
                      did_you_mean(value, std::vector<std::string_view>{"simple", "two_thirds"})));
    }
  } else if (field == "position") {
    d.position = value == "sponsors" ? std::nullopt : std::optional(a.vector(field, value, dims));
  } else if (field == "status_quo") {
    d.status_quo = a.vector(field, value, dims);
  } else {
    std::vector<std::string_view> names(kDraftFields.begin(), kDraftFields.end());
    std::string hint = did_you_mean(field, names);
    const std::vector<std::string_view> parameters = parameter_names();
    if (hint.empty()) hint = did_you_mean(field, parameters);
    if (hint.empty()) hint = fmt::format(" (expected a parameter or {})", join_quoted(names));
    a.fail(fmt::format("unknown draft field or parameter '{}'{}", field, hint));
  }
}

}  // namespace

void apply_set(Scenario& scenario, std::string_view assignment) {
  const Assignment a(assignment);
  const std::size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) {
    a.fail("expected NAME=VALUE, e.g. 'theta_peer=2' or 'GGE.closes=8'");
  }
  const std::string_view name = trim(assignment.substr(0, eq));
  const std::string_view value = trim(assignment.substr(eq + 1));
  if (name.empty()) a.fail("expected NAME=VALUE, but the name is missing");
  // Split at the last dot: draft ids may hold dots (A/C.1/78/L.11), field names never do.
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) {
    const auto k = find_parameter(name);
    if (!k) {
      a.fail(fmt::format("unknown parameter '{}'{}", name, did_you_mean(name, parameter_names())));
    }
    scenario.parameters.*(kParameters[*k].field) = a.number(name, value);
    return;
  }
  const std::string_view id = name.substr(0, dot);
  const int r = scenario.find_draft(id);
  if (r < 0) {
    std::vector<std::string> ids;
    for (const Draft& d : scenario.drafts) ids.push_back(d.id);
    a.fail(fmt::format("unknown draft '{}'{}", id, did_you_mean(id, ids)));
  }
  set_draft_field(a, scenario.drafts[r], scenario.dims, name.substr(dot + 1), value);
}

void apply_sets(Scenario& scenario, const std::vector<std::string>& assignments) {
  for (const std::string& assignment : assignments) {
    apply_set(scenario, assignment);
    scenario.overrides.push_back(assignment);
  }
  if (assignments.empty()) return;
  try {
    validate(scenario);
  } catch (const ScenarioError& e) {
    std::string flags;
    for (const std::string& assignment : assignments) {
      flags += fmt::format("{}--set '{}'", flags.empty() ? "" : " ", assignment);
    }
    throw ScenarioError(fmt::format("{}: {}", flags, e.what()));
  }
}

}  // namespace plenary
