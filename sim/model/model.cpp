#include "plenary/model/model.hpp"

#include <fmt/format.h>

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

#include "plenary/core/random.hpp"
#include "plenary/util/assert.hpp"

namespace plenary {

namespace {

// The floor of the agreement ties (MODEL.md, "Ties"): the one given, else the median
// score (the mean of the middle two when their number is even).
double agreement_floor(const AgreementTies& agreement) {
  if (agreement.floor) return *agreement.floor;
  std::vector<double> scores;
  scores.reserve(agreement.scores.size());
  for (const auto& s : agreement.scores) scores.push_back(s.score);
  std::sort(scores.begin(), scores.end());
  const std::size_t n = scores.size();
  if (n == 0) return 0;
  return n % 2 == 1 ? scores[n / 2] : 0.5 * (scores[n / 2 - 1] + scores[n / 2]);
}

// Calls add(i, j, w) for every entry of W before rows are normalised, in a fixed order:
// the explicit ties, every ordered pair of each bloc with a tie weight, then the agreement
// ties, weight * max(0, (g - floor) / (1 - floor)) in both directions (MODEL.md, "Ties").
template <typename Add>
void for_each_tie(const Scenario& scenario, Add&& add) {
  for (const Tie& tie : scenario.ties) {
    if (tie.from != tie.to && tie.weight > 0) add(tie.from, tie.to, tie.weight);
  }
  for (const Bloc& bloc : scenario.blocs) {
    if (bloc.tie <= 0) continue;
    for (int i : bloc.members) {
      for (int j : bloc.members) {
        if (i != j) add(i, j, bloc.tie);
      }
    }
  }
  if (!scenario.agreement || scenario.agreement->scores.empty() ||
      scenario.agreement->weight == 0) {
    return;
  }
  const AgreementTies& agreement = *scenario.agreement;
  const double floor = agreement_floor(agreement);
  // A floor of 1 would divide by zero: then only perfect agreement (g = 1) counts, fully.
  for (const auto& s : agreement.scores) {
    if (s.a == s.b) continue;
    double w = 0;
    if (floor >= 1) {
      w = s.score >= 1 ? agreement.weight : 0;
    } else {
      w = agreement.weight * std::max(0.0, (s.score - floor) / (1 - floor));
    }
    if (w <= 0) continue;
    add(s.a, s.b, w);
    add(s.b, s.a, w);
  }
}

// Every pair of a bloc becomes an entry of W: refuse blocs that would take gigabytes.
void check_bloc_sizes(const Scenario& scenario) {
  constexpr double kMaxPairs = 2e8;
  double pairs = 0;
  for (const Bloc& bloc : scenario.blocs) {
    if (bloc.tie <= 0) continue;
    const double size = static_cast<double>(bloc.members.size());
    pairs += size * (size - 1);
    if (pairs > kMaxPairs) {
      throw ScenarioError(fmt::format(
          "the blocs' ties would give W more than {:.0e} entries (bloc '{}' has {} members); "
          "give large blocs 'tie: 0' (they still act through the bloc term) and use explicit "
          "ties instead",
          kMaxPairs, bloc.name, bloc.members.size()));
    }
  }
}

// The entries of W by row (compressed sparse rows), as for_each_tie gives them.
struct TieRows {
  std::vector<std::size_t> start;  // row i is [start[i], start[i + 1])
  std::vector<int> column;
  std::vector<double> weight;
};

TieRows gather_ties(const Scenario& scenario, int n) {
  TieRows rows;
  rows.start.assign(static_cast<std::size_t>(n) + 1, 0);
  for_each_tie(scenario,
               [&](int i, int, double) { ++rows.start[static_cast<std::size_t>(i) + 1]; });
  std::partial_sum(rows.start.begin(), rows.start.end(), rows.start.begin());
  rows.column.resize(rows.start.back());
  rows.weight.resize(rows.start.back());
  std::vector<std::size_t> next(rows.start.begin(), rows.start.end() - 1);
  for_each_tie(scenario, [&](int i, int j, double w) {
    const std::size_t at = next[static_cast<std::size_t>(i)]++;
    rows.column[at] = j;
    rows.weight[at] = w;
  });
  return rows;
}

// Sorts each row by column and sums the entries of one (i, j) in the order given, then
// divides each row by its sum and drops entries that became 0. The sums are those of
// Eigen's setFromTriplets followed by a row-major traversal (left to right in the order of
// the ties, then of the columns), so W is the same bits as that construction gave and on
// every run.
void collapse_and_normalise(TieRows& rows, int n) {
  // A row's entries as keys (column << 32 | place in the row): sorted, they are in the order
  // of a stable sort by column, without the buffer std::stable_sort allocates per call.
  std::vector<std::uint64_t> keys;
  std::vector<double> given;
  std::size_t out = 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
    const std::size_t begin = rows.start[i];
    const std::size_t end = rows.start[i + 1];
    PLENARY_ASSERT(end - begin <= 0xffffffffu);
    keys.clear();
    for (std::size_t k = begin; k < end; ++k) {
      keys.push_back(std::uint64_t{static_cast<std::uint32_t>(rows.column[k])} << 32 | (k - begin));
    }
    given.assign(rows.weight.begin() + static_cast<std::ptrdiff_t>(begin),
                 rows.weight.begin() + static_cast<std::ptrdiff_t>(end));
    if (!std::is_sorted(keys.begin(), keys.end())) std::sort(keys.begin(), keys.end());
    const std::size_t first = out;
    for (const std::uint64_t key : keys) {
      const int column = static_cast<int>(key >> 32);
      const double w = given[key & 0xffffffffu];
      if (out > first && rows.column[out - 1] == column) {
        rows.weight[out - 1] += w;
      } else {
        rows.column[out] = column;
        rows.weight[out++] = w;
      }
    }
    double sum = 0;
    for (std::size_t k = first; k < out; ++k) sum += rows.weight[k];
    std::size_t kept = first;
    for (std::size_t k = first; k < out; ++k) {
      const double w = sum <= 0 ? rows.weight[k] : rows.weight[k] / sum;
      if (w == 0) continue;
      rows.column[kept] = rows.column[k];
      rows.weight[kept++] = w;
    }
    out = kept;
    rows.start[i] = first;
  }
  rows.start[static_cast<std::size_t>(n)] = out;
}

Eigen::SparseMatrix<double, Eigen::ColMajor> build_ties(const Scenario& scenario) {
  const int n = static_cast<int>(scenario.members.size());
  check_bloc_sizes(scenario);
  TieRows rows = gather_ties(scenario, n);
  collapse_and_normalise(rows, n);
  // The column-major copy, each column's rows in order.
  const std::size_t nnz = rows.start.back();
  Eigen::SparseMatrix<double, Eigen::ColMajor> cols(n, n);
  cols.resizeNonZeros(static_cast<Eigen::Index>(nnz));
  int* outer = cols.outerIndexPtr();
  std::fill(outer, outer + n + 1, 0);
  for (std::size_t k = 0; k < nnz; ++k) ++outer[rows.column[k] + 1];
  std::partial_sum(outer, outer + n + 1, outer);
  std::vector<int> next(outer, outer + n);
  for (int i = 0; i < n; ++i) {
    for (std::size_t k = rows.start[static_cast<std::size_t>(i)];
         k < rows.start[static_cast<std::size_t>(i) + 1]; ++k) {
      const int at = next[static_cast<std::size_t>(rows.column[k])]++;
      cols.innerIndexPtr()[at] = i;
      cols.valuePtr()[at] = rows.weight[k];
    }
  }
  return cols;
}

// Positions so far out that squared distances overflow would make every utility NaN and
// silently turn votes into abstentions: refuse them.
void check_finite_utilities(const Model& model) {
  for (const ModelDraft& d : model.drafts) {
    for (int i = 0; i < model.members; ++i) {
      const Eigen::VectorXd x = model.positions.row(i).transpose();
      const double dp = (x - d.position).squaredNorm();
      const double dq = (x - d.status_quo).squaredNorm();
      if (!std::isfinite(d.params.theta_fit * dp) || !std::isfinite(d.params.phi_fit * (dq - dp))) {
        throw ScenarioError(fmt::format(
            "member '{}' is so far from draft '{}' (or its status quo) that the squared "
            "distance overflows; keep positions within a few units of the origin",
            model.codes[static_cast<std::size_t>(i)], d.id));
      }
    }
  }
}

}  // namespace

Model compile(const Scenario& scenario, const RunConstraints& constraints) {
  PLENARY_ASSERT(constraints.barred.size() <= scenario.drafts.size());
  Model model;
  const int n = static_cast<int>(scenario.members.size());
  model.members = n;
  model.dims = scenario.dims;
  model.positions.resize(n, scenario.dims);
  model.position_se = Eigen::MatrixXd::Zero(n, scenario.dims);
  model.clout.resize(n);
  model.absence.resize(n);
  model.abstain_habit.resize(n);
  model.votes.resize(static_cast<std::size_t>(n));
  model.member_blocs.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const Member& m = scenario.members[static_cast<std::size_t>(i)];
    PLENARY_ASSERT(m.position.size() == scenario.dims);
    model.codes.push_back(m.code);
    model.member_keys.push_back(stream_key(m.code));
    model.positions.row(i) = m.position.transpose();
    if (m.position_se.size() == scenario.dims) {
      model.position_se.row(i) = m.position_se.transpose();
    } else {
      model.without_position_se.push_back(i);
    }
    model.clout(i) = m.clout;
    model.absence(i) = m.absence;
    model.abstain_habit(i) = m.abstain_habit;
    model.votes[static_cast<std::size_t>(i)] = m.votes;
    model.member_blocs[static_cast<std::size_t>(i)] = m.blocs;
  }
  model.total_clout = model.clout.sum();
  for (const Bloc& bloc : scenario.blocs) {
    model.bloc_sizes.push_back(static_cast<int>(bloc.members.size()));
  }
  model.ties = build_ties(scenario);
  set_tie_storage(model, n > 0 && n <= kMaxDenseMembers &&
                             static_cast<double>(model.ties.nonZeros()) >
                                 kDenseTieThreshold * static_cast<double>(n) * n);

  const std::size_t r_count = scenario.drafts.size();
  model.drafts.resize(r_count);
  for (std::size_t r = 0; r < r_count; ++r) {
    const Draft& d = scenario.drafts[r];
    ModelDraft& md = model.drafts[r];
    md.id = d.id;
    md.key = stream_key(d.id);
    md.position = d.position ? *d.position : sponsor_position(scenario, d.sponsors, d.id);
    md.sponsor_mean = !d.position.has_value();
    md.status_quo = d.status_quo.size() == scenario.dims
                        ? d.status_quo
                        : Eigen::VectorXd(Eigen::VectorXd::Zero(scenario.dims));
    md.opens = d.opens;
    md.closes = d.closes;
    md.majority = d.majority;
    md.lobbying = d.lobbying;
    md.withdraw_below = d.withdraw_below;
    md.params = d.parameters.apply(scenario.parameters);
    md.sponsors = d.sponsors;
    std::sort(md.sponsors.begin(), md.sponsors.end());
    md.sponsors.erase(std::unique(md.sponsors.begin(), md.sponsors.end()), md.sponsors.end());
    if (r < constraints.barred.size()) md.barred = constraints.barred[r];
    std::sort(md.barred.begin(), md.barred.end());
    md.barred.erase(std::unique(md.barred.begin(), md.barred.end()), md.barred.end());
    model.rounds = std::max(model.rounds, d.closes);
  }
  check_finite_utilities(model);
  // Rivalry is mutual (MODEL.md, "Drafts").
  for (std::size_t r = 0; r < r_count; ++r) {
    for (int rival : scenario.drafts[r].rivals) {
      if (rival == static_cast<int>(r)) continue;
      model.drafts[r].rivals.push_back(rival);
      model.drafts[static_cast<std::size_t>(rival)].rivals.push_back(static_cast<int>(r));
    }
  }
  for (ModelDraft& md : model.drafts) {
    std::sort(md.rivals.begin(), md.rivals.end());
    md.rivals.erase(std::unique(md.rivals.begin(), md.rivals.end()), md.rivals.end());
  }
  model.parameter_uncertainty = compile_parameter_uncertainty(scenario);
  return model;
}

std::optional<ParameterUncertainty> compile_parameter_uncertainty(const Scenario& scenario) {
  if (!scenario.fit) return std::nullopt;
  const FitCovariance& fit = *scenario.fit;
  ParameterUncertainty out;
  std::vector<Eigen::Index> on;
  for (std::size_t k = 0; k < fit.parameters.size(); ++k) {
    std::string why;
    const auto c = resolve_fit_coordinate(scenario, fit.parameters[k], why);
    if (!c) throw ScenarioError("fit: " + why);
    DrawnCoordinate d;
    d.name = fit.parameters[k];
    d.what = *c;
    const auto i = static_cast<Eigen::Index>(k);
    d.value = c->kind == FitCoordinateKind::kAbsenceScale ? fit.estimate(i)
                                                          : fit_coordinate_value(scenario, *c);
    d.lower = fit.lower(i);
    d.upper = fit.upper(i);
    for (std::size_t r = 0; r < scenario.drafts.size(); ++r) {
      const bool own = c->draft == static_cast<int>(r);
      const bool global = c->draft < 0 && c->kind == FitCoordinateKind::kParameter &&
                          !scenario.drafts[r].parameters.values[c->parameter];
      if (own || global) d.drafts.push_back(static_cast<int>(r));
    }
    out.coordinates.push_back(std::move(d));
    if (fit.identified[k]) on.push_back(i);
  }
  const auto n = static_cast<Eigen::Index>(fit.parameters.size());
  const auto m = static_cast<Eigen::Index>(on.size());
  Eigen::MatrixXd c(m, m);
  for (Eigen::Index i = 0; i < m; ++i) {
    for (Eigen::Index j = 0; j < m; ++j) {
      c(i, j) = (fit.covariance(on[i], on[j]) + fit.covariance(on[j], on[i])) / 2;
    }
  }
  out.factor = Eigen::MatrixXd::Zero(n, m);
  if (m > 0) {
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(c);
    const Eigen::VectorXd root = eig.eigenvalues().cwiseMax(0.0).cwiseSqrt();
    const Eigen::MatrixXd f = eig.eigenvectors() * root.asDiagonal();
    for (Eigen::Index i = 0; i < m; ++i) out.factor.row(on[i]) = f.row(i);
  }
  return out;
}

void set_tie_storage(Model& model, bool dense) {
  model.dense_ties = dense;
  model.ties_dense = dense ? Eigen::MatrixXd(model.ties) : Eigen::MatrixXd();
}

}  // namespace plenary
