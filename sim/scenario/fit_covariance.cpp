// The `fit:` block of a fitted scenario (include/plenary/scenario/fit_covariance.hpp): its
// coordinate names, and reading it with located errors.

#include "plenary/scenario/fit_covariance.hpp"

#include <fmt/format.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <limits>
#include <set>

#include "plenary/util/text.hpp"
#include "scenario/loader_internal.hpp"

namespace plenary {

namespace {

std::vector<std::string> draft_ids(const Scenario& s) {
  std::vector<std::string> ids;
  for (const Draft& d : s.drafts) ids.push_back(d.id);
  return ids;
}

std::vector<std::string> global_names() {
  std::vector<std::string> names = {"absence_scale"};
  for (const auto& info : kParameters) names.emplace_back(info.name);
  return names;
}

// A draft's own coordinate: "NAME", "position[k]" or "status_quo[k]" after "DRAFT.".
std::optional<FitCoordinate> draft_coordinate(const Scenario& s, int draft, std::string_view what,
                                              std::string& why) {
  FitCoordinate c;
  c.draft = draft;
  if (what == "lobbying") {
    c.kind = FitCoordinateKind::kLobbying;
    return c;
  }
  if (const auto k = find_parameter(what)) {
    c.parameter = *k;
    return c;
  }
  const std::size_t open = what.find('[');
  if (open != std::string_view::npos && what.back() == ']') {
    const std::string_view base = what.substr(0, open);
    const std::string_view index = what.substr(open + 1, what.size() - open - 2);
    const auto k = parse_unsigned(std::string(index));
    if ((base == "position" || base == "status_quo") && k && *k >= 1 &&
        *k <= static_cast<std::uint64_t>(s.dims)) {
      c.kind = base == "position" ? FitCoordinateKind::kPosition : FitCoordinateKind::kStatusQuo;
      c.dim = static_cast<int>(*k) - 1;
      return c;
    }
    if (base == "position" || base == "status_quo") {
      why = fmt::format("'{}': the coordinate must be 1..{} (the scenario's dimensions)", what,
                        s.dims);
      return std::nullopt;
    }
  }
  std::vector<std::string> names = {"lobbying"};
  for (const auto& info : kParameters) names.emplace_back(info.name);
  for (int k = 1; k <= s.dims; ++k) {
    names.push_back(fmt::format("position[{}]", k));
    names.push_back(fmt::format("status_quo[{}]", k));
  }
  why = fmt::format("'{}' is not a draft's parameter, lobbying, position[k] or status_quo[k]{}",
                    what, did_you_mean(what, names));
  return std::nullopt;
}

}  // namespace

std::optional<FitCoordinate> resolve_fit_coordinate(const Scenario& s, std::string_view name,
                                                    std::string& why) {
  if (name == "absence_scale") return FitCoordinate{FitCoordinateKind::kAbsenceScale, -1, 0, 0};
  if (const auto k = find_parameter(name)) {
    return FitCoordinate{FitCoordinateKind::kParameter, -1, *k, 0};
  }
  // Draft ids may hold dots (A/C.1/73/L.27): the name splits at the last dot before any '['.
  const std::size_t bracket = std::min(name.find('['), name.size());
  const std::size_t dot = name.substr(0, bracket).rfind('.');
  if (dot == std::string_view::npos) {
    why = fmt::format("unknown parameter '{}'{}; a draft's is 'DRAFT.NAME'", name,
                      did_you_mean(name, global_names()));
    return std::nullopt;
  }
  const std::string id(name.substr(0, dot));
  const int draft = s.find_draft(id);
  if (draft < 0) {
    why = fmt::format("unknown draft id '{}' in '{}'{}", id, name, did_you_mean(id, draft_ids(s)));
    return std::nullopt;
  }
  return draft_coordinate(s, draft, name.substr(dot + 1), why);
}

double fit_coordinate_value(const Scenario& s, const FitCoordinate& c) {
  const Draft* d = c.draft >= 0 ? &s.drafts[static_cast<std::size_t>(c.draft)] : nullptr;
  switch (c.kind) {
    case FitCoordinateKind::kParameter:
      if (d != nullptr && d->parameters.values[c.parameter])
        return *d->parameters.values[c.parameter];
      return s.parameters.*(kParameters[c.parameter].field);
    case FitCoordinateKind::kPosition:
      return d->position ? (*d->position)(c.dim) : sponsor_position(s, d->sponsors, d->id)(c.dim);
    case FitCoordinateKind::kStatusQuo:
      return d->status_quo.size() > c.dim ? d->status_quo(c.dim) : 0.0;
    case FitCoordinateKind::kLobbying:
      return d->lobbying;
    case FitCoordinateKind::kAbsenceScale:
      return 1;
  }
  return 0;
}

namespace loader {

namespace {

using yaml::Field;

Eigen::VectorXd numbers(const Field& f, std::size_t n, std::string_view what) {
  const std::vector<Field> items = f.list();
  if (items.size() != n) {
    f.fail(fmt::format("'{}' has {} entries but 'parameters' has {}: give one per parameter", what,
                       items.size(), n));
  }
  Eigen::VectorXd v(static_cast<Eigen::Index>(n));
  for (std::size_t k = 0; k < n; ++k) v(static_cast<Eigen::Index>(k)) = items[k].number();
  return v;
}

// The covariance rows: numbers, or null across the row and column of an unidentified
// coordinate (one whose diagonal entry is null).
void read_matrix(const Field& f, FitCovariance& fit) {
  const std::size_t n = fit.parameters.size();
  const std::vector<Field> rows = f.list();
  if (rows.size() != n) {
    f.fail(fmt::format("'covariance' has {} rows but 'parameters' has {}: give an n x n matrix",
                       rows.size(), n));
  }
  std::vector<std::vector<Field>> cells;
  for (const Field& row : rows) {
    cells.push_back(row.list());
    if (cells.back().size() != n) {
      row.fail(
          fmt::format("a row of 'covariance' has {} entries, expected {}", cells.back().size(), n));
    }
  }
  fit.identified.assign(n, true);
  for (std::size_t i = 0; i < n; ++i) fit.identified[i] = !cells[i][i].is_null();
  const auto ii = [](std::size_t k) { return static_cast<Eigen::Index>(k); };
  fit.covariance.resize(ii(n), ii(n));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      const Field& c = cells[i][j];
      const bool both = fit.identified[i] && fit.identified[j];
      if (c.is_null() == both) {
        c.fail(both ? fmt::format("covariance of '{}' and '{}' is null, but both are identified "
                                  "(their diagonal entries are numbers): give a number",
                                  fit.parameters[i], fit.parameters[j])
                    : fmt::format("'{}' is not identified (null diagonal entry): its row and "
                                  "column must be null",
                                  fit.parameters[fit.identified[i] ? j : i]));
      }
      fit.covariance(ii(i), ii(j)) = both ? c.number() : std::numeric_limits<double>::quiet_NaN();
    }
  }
}

// Symmetric and positive semi-definite on the identified coordinates, within
// kFitCovarianceTolerance of the largest variance.
void check_matrix(const Field& f, const FitCovariance& fit) {
  std::vector<Eigen::Index> on;
  for (std::size_t k = 0; k < fit.identified.size(); ++k) {
    if (fit.identified[k]) on.push_back(static_cast<Eigen::Index>(k));
  }
  const auto m = static_cast<Eigen::Index>(on.size());
  Eigen::MatrixXd c(m, m);
  for (Eigen::Index i = 0; i < m; ++i) {
    for (Eigen::Index j = 0; j < m; ++j) c(i, j) = fit.covariance(on[i], on[j]);
  }
  const double scale = m > 0 ? c.diagonal().cwiseAbs().maxCoeff() : 0.0;
  const double tol = kFitCovarianceTolerance * std::max(scale, 1e-300);
  for (Eigen::Index i = 0; i < m; ++i) {
    for (Eigen::Index j = i + 1; j < m; ++j) {
      if (std::abs(c(i, j) - c(j, i)) > tol) {
        f.fail(
            fmt::format("'covariance' is not symmetric: entry ({}, {}) is {} but ({}, {}) is {} "
                        "(write the matrix plenary fit computed, or symmetrise it)",
                        on[i] + 1, on[j] + 1, c(i, j), on[j] + 1, on[i] + 1, c(j, i)));
      }
    }
  }
  if (m == 0) return;
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(c, Eigen::EigenvaluesOnly);
  const double lowest = eig.eigenvalues().minCoeff();
  if (lowest < -tol) {
    f.fail(
        fmt::format("'covariance' is not positive semi-definite: it has the eigenvalue {:.6g} "
                    "(below -{:.3g}); a covariance must have none below 0",
                    lowest, tol));
  }
}

}  // namespace

FitCovariance read_fit(const Scenario& s, const Field& f) {
  const yaml::Map map = f.map({"parameters", "estimate", "lower", "upper", "covariance"});
  FitCovariance fit;
  std::set<std::string> seen;
  for (const Field& item : map.require("parameters", "'fit'").list()) {
    const std::string name = item.string();
    std::string why;
    if (!resolve_fit_coordinate(s, name, why)) item.fail(why);
    if (!seen.insert(name).second)
      item.fail(fmt::format("'{}' is listed twice in 'parameters'", name));
    fit.parameters.push_back(name);
  }
  const std::size_t n = fit.parameters.size();
  if (n == 0) map.require("parameters", "'fit'").fail("'parameters' lists no coordinate");
  fit.estimate = numbers(map.require("estimate", "'fit'"), n, "estimate");
  fit.lower = numbers(map.require("lower", "'fit'"), n, "lower");
  fit.upper = numbers(map.require("upper", "'fit'"), n, "upper");
  for (std::size_t k = 0; k < n; ++k) {
    const auto i = static_cast<Eigen::Index>(k);
    if (!(fit.lower(i) <= fit.estimate(i) && fit.estimate(i) <= fit.upper(i))) {
      map.require("estimate", "'fit'")
          .fail(fmt::format("the estimate of '{}' ({}) is outside its bounds [{}, {}]",
                            fit.parameters[k], fit.estimate(i), fit.lower(i), fit.upper(i)));
    }
  }
  const Field& matrix = map.require("covariance", "'fit'");
  read_matrix(matrix, fit);
  check_matrix(matrix, fit);
  return fit;
}

}  // namespace loader

}  // namespace plenary
