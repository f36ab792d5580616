// `--free NAME[=LOW:HIGH]` (include/plenary/fit/free_parameter.hpp).

#include "plenary/fit/free_parameter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "plenary/model/model.hpp"
#include "plenary/util/text.hpp"

namespace plenary {

namespace {

// Draft fields the search can change besides the parameters.
const std::vector<std::string_view> kDraftFields = {"position", "status_quo", "lobbying"};

[[noreturn]] void fail(std::string_view item, const std::string& message) {
  throw UsageError(fmt::format("--free '{}': {}", item, message));
}

std::vector<std::string_view> parameter_names() {
  std::vector<std::string_view> names;
  for (const ParameterInfo& info : kParameters) names.push_back(info.name);
  return names;
}

std::size_t find_parameter_or_fail(std::string_view name, std::string_view item,
                                   bool draft_fields) {
  if (const auto k = find_parameter(name)) return *k;
  std::vector<std::string_view> names = parameter_names();
  if (!draft_fields) names.push_back(kAbsenceScaleName);
  std::string hint = did_you_mean(name, names);
  if (draft_fields && hint.empty()) hint = did_you_mean(name, kDraftFields);
  if (hint.empty()) {
    hint = draft_fields
               ? fmt::format(" (expected a MODEL.md parameter or {})", join_quoted(kDraftFields))
               : " (expected a MODEL.md parameter such as 'theta_peer', or "
                 "'absence_scale'; a draft's position is 'DRAFT.position')";
  }
  fail(item, fmt::format("'{}' is not a parameter that can be fitted{}", name, hint));
}

Eigen::VectorXd scalar(double x) { return Eigen::VectorXd::Constant(1, x); }

// The value the scenario gives the parameter now.
Eigen::VectorXd initial_value(const Scenario& s, const FreeParameter& f) {
  if (f.kind == FreeKind::kAbsenceScale) return scalar(1);  // the scenario's rates as they are
  if (f.draft < 0) return scalar(s.parameters.*(kParameters[f.parameter].field));
  const Draft& d = s.drafts[static_cast<std::size_t>(f.draft)];
  switch (f.kind) {
    case FreeKind::kParameter:
      return scalar(d.parameters.apply(s.parameters).*(kParameters[f.parameter].field));
    case FreeKind::kPosition:
      return d.position ? *d.position : sponsor_position(s, d.sponsors, d.id);
    case FreeKind::kStatusQuo:
      return d.status_quo.size() == s.dims ? d.status_quo
                                           : Eigen::VectorXd(Eigen::VectorXd::Zero(s.dims));
    case FreeKind::kLobbying:
      return scalar(d.lobbying);
    case FreeKind::kAbsenceScale:
      break;  // handled above
  }
  return {};
}

void default_bounds(const Scenario& s, FreeParameter& f) {
  if (f.kind == FreeKind::kPosition || f.kind == FreeKind::kStatusQuo) {
    f.lower.resize(s.dims);
    f.upper.resize(s.dims);
    for (int k = 0; k < s.dims; ++k)
      std::tie(f.lower[k], f.upper[k]) = default_position_bounds(s, k);
    return;
  }
  const auto [lo, hi] = f.kind == FreeKind::kLobbying ? std::pair(0.0, 10.0)
                        : f.kind == FreeKind::kAbsenceScale
                            ? default_absence_scale_bounds(s)
                            : default_parameter_bounds(kParameters[f.parameter].name);
  f.lower = scalar(lo);
  f.upper = scalar(hi);
}

void parse_bounds(std::string_view item, std::string_view text, FreeParameter& f) {
  const std::size_t colon = text.find(':');
  const auto bound = [&](std::string_view part) {
    const std::optional<double> x = parse_number(trim(part));
    if (!x || colon == std::string_view::npos) {
      fail(item, fmt::format("expected bounds LOW:HIGH after '=', e.g. 'theta_peer=0:6', got '{}'",
                             text));
    }
    if (!(std::abs(*x) <= kMaxBound)) {
      fail(item, fmt::format("bound {} is out of range: bounds must be finite and within +-{}",
                             trim(part), format_number(kMaxBound)));
    }
    return *x;
  };
  const double lo = bound(text.substr(0, colon));
  const double hi = bound(colon == std::string_view::npos ? "" : text.substr(colon + 1));
  if (!(lo < hi)) {
    fail(item, fmt::format("the lower bound {} must be below the upper bound {}", format_number(lo),
                           format_number(hi)));
  }
  f.lower.setConstant(lo);
  f.upper.setConstant(hi);
  f.bounds_given = true;
}

}  // namespace

std::string FreeParameter::coordinate_name(int k) const {
  return kind == FreeKind::kPosition || kind == FreeKind::kStatusQuo
             ? fmt::format("{}[{}]", name, k + 1)
             : name;
}

std::pair<double, double> default_parameter_bounds(std::string_view parameter) {
  if (parameter == "theta_0") return {-12, 4};
  if (parameter == "rho") return {0, 1};
  return {0, 10};
}

namespace {

// The largest absence rate below 1 (0 when there is none).
double largest_scalable_absence(const Scenario& s) {
  double a = 0;
  for (const Member& m : s.members) {
    if (m.absence < 1) a = std::max(a, m.absence);
  }
  return a;
}

}  // namespace

std::pair<double, double> default_absence_scale_bounds(const Scenario& s) {
  const double a = largest_scalable_absence(s);
  if (!(a > 0)) {
    throw UsageError(fmt::format(
        "--free '{}': no member has an absence rate between 0 and 1, so there is nothing to "
        "scale (give members 'absence:' rates, e.g. from a positions file)",
        kAbsenceScaleName));
  }
  return {0, std::min(4.0, 0.99 / a)};
}

std::pair<double, double> default_position_bounds(const Scenario& s, int k) {
  double lo = s.members.front().position[k];
  double hi = lo;
  for (const Member& m : s.members) {
    lo = std::min(lo, m.position[k]);
    hi = std::max(hi, m.position[k]);
  }
  const double margin = std::max(0.25 * (hi - lo), 0.5);
  return {lo - margin, hi + margin};
}

FreeParameter parse_free(const Scenario& s, std::string_view item) {
  const std::size_t eq = item.find('=');
  const std::string_view name = trim(item.substr(0, eq));
  if (name.empty()) {
    fail(item, "expected NAME or NAME=LOW:HIGH, e.g. 'theta_peer' or 'GGE.position=-2:2'");
  }
  FreeParameter f;
  f.name = std::string(name);
  // Split at the last dot: draft ids may hold dots (A/C.1/78/L.11), field names never do.
  const std::size_t dot = name.rfind('.');
  if (name == kAbsenceScaleName) {
    f.kind = FreeKind::kAbsenceScale;
  } else if (dot == std::string_view::npos) {
    f.parameter = find_parameter_or_fail(name, item, false);
  } else {
    const std::string_view id = name.substr(0, dot);
    const std::string_view field = name.substr(dot + 1);
    f.draft = s.find_draft(id);
    if (f.draft < 0) {
      std::vector<std::string> ids;
      for (const Draft& d : s.drafts) ids.push_back(d.id);
      std::string hint = did_you_mean(id, ids);
      if (hint.empty()) hint = fmt::format(" (the drafts are {})", join_quoted(ids, " and "));
      fail(item, fmt::format("unknown draft '{}'{}", id, hint));
    }
    if (field == "position") {
      f.kind = FreeKind::kPosition;
    } else if (field == "status_quo") {
      f.kind = FreeKind::kStatusQuo;
    } else if (field == "lobbying") {
      f.kind = FreeKind::kLobbying;
    } else {
      f.parameter = find_parameter_or_fail(field, item, true);
    }
  }
  default_bounds(s, f);
  if (eq != std::string_view::npos) parse_bounds(item, trim(item.substr(eq + 1)), f);
  if (f.kind == FreeKind::kAbsenceScale && f.bounds_given) {
    const double a = largest_scalable_absence(s);
    if (f.lower[0] < 0) {
      fail(item, fmt::format("the lower bound must be >= 0 (a negative scale makes negative "
                             "absence rates), got {}",
                             format_number(f.lower[0])));
    }
    if (!(f.upper[0] * a < 1)) {
      fail(item, fmt::format("at {} the largest absence rate below 1 ({}) would reach {}: keep "
                             "the upper bound below {}",
                             format_number(f.upper[0]), format_number(a),
                             format_number(f.upper[0] * a), format_number(1 / a)));
    }
  }
  f.initial = initial_value(s, f);
  return f;
}

std::vector<FreeParameter> parse_free_list(const Scenario& s,
                                           const std::vector<std::string>& texts) {
  std::vector<FreeParameter> free;
  for (const std::string& text : texts) {
    std::string_view rest = text;
    for (;;) {
      const std::size_t comma = std::min(rest.find(','), rest.size());
      const std::string_view item = trim(rest.substr(0, comma));
      if (item.empty()) {
        throw UsageError(
            fmt::format("--free '{}': an empty name in the list (separate names with "
                        "single commas: 'theta_0,theta_peer')",
                        text));
      }
      FreeParameter f = parse_free(s, item);
      for (const FreeParameter& other : free) {
        if (other.name == f.name)
          fail(item, fmt::format("'{}' is already free: give it once", f.name));
      }
      free.push_back(std::move(f));
      if (comma == rest.size()) break;
      rest = rest.substr(comma + 1);
    }
  }
  if (free.empty()) {
    throw UsageError("no --free given: name the parameters to fit, e.g. --free theta_0,theta_peer");
  }
  return free;
}

std::string free_list_text(const std::vector<FreeParameter>& free) {
  std::string out;
  for (const FreeParameter& f : free) {
    if (!out.empty()) out += ",";
    out += f.name;
    if (f.bounds_given) {
      out += fmt::format("={}:{}", format_number(f.lower[0]), format_number(f.upper[0]));
    }
  }
  return out;
}

int coordinate_count(const std::vector<FreeParameter>& free) {
  int n = 0;
  for (const FreeParameter& f : free) n += f.size();
  return n;
}

void apply_free(const std::vector<FreeParameter>& free, const Eigen::VectorXd& x, Scenario& s) {
  Eigen::Index at = 0;
  for (const FreeParameter& f : free) {
    const Eigen::VectorXd v = x.segment(at, f.size());
    at += f.size();
    if (f.kind == FreeKind::kAbsenceScale) {
      // Multiplies the rates the scenario had when the problem was built; a member certain
      // to be absent (rate 1) stays so. The bounds keep every other rate below 1.
      for (Member& m : s.members) {
        if (m.absence < 1) m.absence *= v[0];
      }
      continue;
    }
    if (f.draft < 0) {
      s.parameters.*(kParameters[f.parameter].field) = v[0];
      continue;
    }
    Draft& d = s.drafts[static_cast<std::size_t>(f.draft)];
    switch (f.kind) {
      case FreeKind::kParameter:
        d.parameters.values[f.parameter] = v[0];
        break;
      case FreeKind::kPosition:
        d.position = v;
        break;
      case FreeKind::kStatusQuo:
        d.status_quo = v;
        break;
      case FreeKind::kLobbying:
        d.lobbying = v[0];
        break;
      case FreeKind::kAbsenceScale:
        break;
    }
  }
}

}  // namespace plenary
