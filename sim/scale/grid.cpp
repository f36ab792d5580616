// The grid of a sweep (include/plenary/scale/grid.hpp, docs/sweep.md).

#include "plenary/scale/grid.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <limits>

#include "plenary/scenario/loader.hpp"
#include "plenary/util/error.hpp"
#include "plenary/util/text.hpp"

namespace plenary::scale {

namespace {

[[noreturn]] void fail(std::string_view assignment, const std::string& message) {
  throw UsageError(fmt::format("--set '{}': {}", assignment, message));
}

double range_number(std::string_view assignment, std::string_view what, std::string_view text) {
  const std::optional<double> x = parse_number(text);
  if (!x || !std::isfinite(*x)) {
    fail(assignment, fmt::format("expected a number for the range's {}, got '{}' (a range is "
                                 "start:stop:step, e.g. theta_peer=0:4:0.5)",
                                 what, text));
  }
  return *x;
}

// start + k step, k = 0.. while <= stop (with a relative slack of 1e-9 of a step, so that
// 0:1:0.1 ends at 1), each value rounded to 12 significant digits.
std::vector<std::string> range_values(std::string_view assignment, std::string_view spec) {
  const std::vector<std::string_view> parts = split_trimmed(spec, ':');
  if (parts.size() != 3) {
    fail(assignment, fmt::format("expected a range start:stop:step, got '{}'", spec));
  }
  const double start = range_number(assignment, "start", parts[0]);
  const double stop = range_number(assignment, "stop", parts[1]);
  const double step = range_number(assignment, "step", parts[2]);
  if (!(step > 0)) fail(assignment, fmt::format("the step must be positive, got {}", parts[2]));
  if (stop < start) {
    fail(assignment, fmt::format("the stop ({}) is below the start ({})", parts[1], parts[0]));
  }
  const double steps = std::floor((stop - start) / step + 1e-9);
  if (!(steps < static_cast<double>(kMaxGridPoints))) {
    fail(assignment, fmt::format("the range has more than {} values", kMaxGridPoints));
  }
  std::vector<std::string> values;
  for (long k = 0; k <= static_cast<long>(steps); ++k) {
    const double x = start + static_cast<double>(k) * step;
    const double rounded = *parse_number(fmt::format("{:.12g}", x));
    values.push_back(format_number(rounded == 0 ? 0.0 : rounded));
  }
  return values;
}

bool is_vector_field(std::string_view name) {
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return false;
  const std::string_view field = name.substr(dot + 1);
  return field == "position" || field == "status_quo";
}

}  // namespace

Axis parse_axis(std::string_view assignment) {
  const std::size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) {
    fail(assignment, "expected NAME=VALUES, e.g. 'theta_peer=0:4:0.5' or 'GGE.closes=6,8,10'");
  }
  Axis axis;
  axis.name = std::string(trim(assignment.substr(0, eq)));
  const std::string_view spec = trim(assignment.substr(eq + 1));
  if (axis.name.empty()) fail(assignment, "the name is missing");
  if (spec.empty()) fail(assignment, "no values given");
  if (assignment.find_first_of("\t\n\r") != std::string_view::npos) {
    fail(assignment, "tabs and line breaks are not allowed");
  }
  const bool vector_field = is_vector_field(axis.name);
  if (!vector_field && spec.find(':') != std::string_view::npos) {
    axis.values = range_values(assignment, spec);
    return axis;
  }
  for (std::string_view v : split_trimmed(spec, vector_field ? ';' : ',')) {
    if (v.empty()) fail(assignment, "empty value in the list");
    axis.values.emplace_back(v);
  }
  return axis;
}

Grid::Grid(std::vector<Axis> axes) : axes_(std::move(axes)) {
  if (axes_.empty()) {
    throw UsageError("nothing to sweep: give at least one --set NAME=VALUES");
  }
  size_ = 1;
  for (std::size_t a = 0; a < axes_.size(); ++a) {
    for (std::size_t b = 0; b < a; ++b) {
      if (axes_[b].name == axes_[a].name) {
        throw UsageError(fmt::format("--set '{}' is swept twice; give all its values in one --set",
                                     axes_[a].name));
      }
    }
    if (axes_[a].values.empty()) {
      throw UsageError(fmt::format("--set '{}' has no values", axes_[a].name));
    }
    if (size_ > kMaxGridPoints / axes_[a].values.size()) {
      throw UsageError(
          fmt::format("the grid has more than {} points; sweep fewer values or split the sweep",
                      kMaxGridPoints));
    }
    size_ *= axes_[a].values.size();
  }
}

std::vector<std::size_t> Grid::coordinates(std::size_t point) const {
  std::vector<std::size_t> at(axes_.size());
  for (std::size_t a = axes_.size(); a-- > 0;) {
    at[a] = point % axes_[a].values.size();
    point /= axes_[a].values.size();
  }
  return at;
}

std::vector<std::string> Grid::assignments(std::size_t point) const {
  const std::vector<std::size_t> at = coordinates(point);
  std::vector<std::string> out;
  for (std::size_t a = 0; a < axes_.size(); ++a) {
    out.push_back(axes_[a].name + "=" + axes_[a].values[at[a]]);
  }
  return out;
}

Scenario Grid::scenario(const Scenario& base, std::size_t point) const {
  Scenario s = base;
  const std::vector<std::string> sets = assignments(point);
  try {
    for (const std::string& set : sets) {
      apply_set(s, set);
      s.overrides.push_back(set);
    }
    validate(s);
  } catch (const UsageError& e) {
    throw UsageError(fmt::format("grid point {} ({}): {}", point, fmt::join(sets, " "), e.what()));
  } catch (const ScenarioError& e) {
    throw ScenarioError(
        fmt::format("grid point {} ({}): {}", point, fmt::join(sets, " "), e.what()));
  }
  return s;
}

}  // namespace plenary::scale
