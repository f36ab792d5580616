#pragma once
/// The grid of a parameter sweep (`plenary sweep --set NAME=SPEC ...`, docs/sweep.md):
/// one axis per `--set`, each a list of values; the grid is their Cartesian product, the
/// first axis varying slowest (the order of nested loops written in the order given).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "plenary/scenario/scenario.hpp"

namespace plenary::scale {

/// The most grid points one sweep may have (every point is validated before any is run).
inline constexpr std::size_t kMaxGridPoints = 100'000;

/// One swept name and its values, as `apply_set` reads them.
struct Axis {
  /// `theta_peer` (global) or `DRAFT.NAME` (a draft's parameter or field).
  std::string name;
  /// The values in order, as text (`2.5`, `two_thirds`, `0.1,0.2`).
  std::vector<std::string> values;
};

/// Parses one `--set NAME=SPEC`. SPEC is a range `start:stop:step` (numbers, step > 0,
/// stop >= start; the values start + k step up to stop, each rounded to 12 significant
/// digits so that 0:1:0.1 gives 0.3, not 0.30000000000000004), a list `a,b,c`, or one
/// value. For the vector fields `position` and `status_quo` the list separator is `;`
/// (`GGE.position=0,0;0.5,0.5`). Throws UsageError for a malformed spec.
Axis parse_axis(std::string_view assignment);

/// A sweep's grid: its axes and the points they span.
class Grid {
 public:
  /// Throws UsageError when there is no axis, a name is swept twice, or the grid has more
  /// than kMaxGridPoints points.
  explicit Grid(std::vector<Axis> axes);

  const std::vector<Axis>& axes() const { return axes_; }
  /// Number of points: the product of the axes' sizes.
  std::size_t size() const { return size_; }
  /// The index of each axis' value at `point` (0 <= point < size()).
  std::vector<std::size_t> coordinates(std::size_t point) const;
  /// The `NAME=VALUE` assignments of `point`, in axis order.
  std::vector<std::string> assignments(std::size_t point) const;
  /// `base` with the point's assignments applied (recorded in `overrides`) and validated.
  /// Throws UsageError or ScenarioError naming the point.
  Scenario scenario(const Scenario& base, std::size_t point) const;

 private:
  std::vector<Axis> axes_;
  std::size_t size_ = 0;
};

}  // namespace plenary::scale
