#include "plenary/model/model.hpp"

#include <fmt/format.h>

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "plenary/core/random.hpp"
#include "plenary/util/assert.hpp"

namespace plenary {

namespace {

using Triplet = Eigen::Triplet<double>;

// Agreement ties (MODEL.md, "Ties"): weight * max(0, (g - floor) / (1 - floor)), in both
// directions; the default floor is the median score (the mean of the middle two when
// their number is even).
void add_agreement_ties(const AgreementTies& agreement, std::vector<Triplet>& triplets) {
  if (agreement.scores.empty() || agreement.weight == 0) return;
  double floor = 0;
  if (agreement.floor) {
    floor = *agreement.floor;
  } else {
    std::vector<double> scores;
    scores.reserve(agreement.scores.size());
    for (const auto& s : agreement.scores) scores.push_back(s.score);
    std::sort(scores.begin(), scores.end());
    const std::size_t n = scores.size();
    floor = n % 2 == 1 ? scores[n / 2] : 0.5 * (scores[n / 2 - 1] + scores[n / 2]);
  }
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
    triplets.emplace_back(s.a, s.b, w);
    triplets.emplace_back(s.b, s.a, w);
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

Eigen::SparseMatrix<double, Eigen::ColMajor> build_ties(const Scenario& scenario) {
  const int n = static_cast<int>(scenario.members.size());
  check_bloc_sizes(scenario);
  std::vector<Triplet> triplets;
  for (const Tie& tie : scenario.ties) {
    if (tie.from != tie.to && tie.weight > 0) triplets.emplace_back(tie.from, tie.to, tie.weight);
  }
  for (const Bloc& bloc : scenario.blocs) {
    if (bloc.tie <= 0) continue;
    for (int i : bloc.members) {
      for (int j : bloc.members) {
        if (i != j) triplets.emplace_back(i, j, bloc.tie);
      }
    }
  }
  if (scenario.agreement) add_agreement_ties(*scenario.agreement, triplets);

  // Summing duplicates and normalising rows in a row-major matrix keeps every sum in a
  // fixed order (the order of the triplets), so W is the same bits on every run.
  Eigen::SparseMatrix<double, Eigen::RowMajor> rows(n, n);
  rows.setFromTriplets(triplets.begin(), triplets.end());
  for (int i = 0; i < n; ++i) {
    double sum = 0;
    for (Eigen::SparseMatrix<double, Eigen::RowMajor>::InnerIterator it(rows, i); it; ++it) {
      sum += it.value();
    }
    if (sum <= 0) continue;
    for (Eigen::SparseMatrix<double, Eigen::RowMajor>::InnerIterator it(rows, i); it; ++it) {
      it.valueRef() /= sum;
    }
  }
  rows.prune(0.0);
  Eigen::SparseMatrix<double, Eigen::ColMajor> cols = rows;
  cols.makeCompressed();
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
