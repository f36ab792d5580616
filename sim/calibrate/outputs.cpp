// The files `plenary calibrate` writes: positions (YAML), agreement (CSV), report (JSON),
// and the vote matrix for other software.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>
#include <string_view>

#include "calibrate/yaml_comment.hpp"
#include "plenary/calibrate/calibrate.hpp"
#include "plenary/util/error.hpp"

namespace plenary::calibrate {

namespace {

// No output file ever holds a NaN or an infinity (scenarios refuse to load them, and JSON
// has no spelling for them): the writers throw instead of writing one.
void require_finite(double value, std::string_view what) {
  if (!std::isfinite(value)) {
    throw DataError(
        fmt::format("refusing to write a non-finite {} ({}): the estimate is "
                    "not usable",
                    what, value));
  }
}

void require_finite(const Eigen::RowVectorXd& values, std::string_view what) {
  for (Eigen::Index d = 0; d < values.size(); ++d) require_finite(values(d), what);
}

// The whole-run figures both the positions file and the report carry.
void require_finite_fit(const Calibration& r) {
  require_finite(r.fit.pcc, "PCC");
  require_finite(r.fit.majority_pcc, "majority PCC");
  require_finite(r.fit.apre, "APRE");
  require_finite(r.fit.log_likelihood, "log-likelihood");
  require_finite(r.estimate.log_posterior, "log-posterior");
  if (r.holdout.cells > 0) require_finite(r.holdout.pcc, "hold-out PCC");
}

std::string member_text(const CountryCode& c, std::string_view what) {
  return fmt::format("{} of {} ({})", what, c.alpha3, c.name);
}

std::string window_text(const WindowOptions& o) {
  std::string text = o.first_session == o.last_session
                         ? fmt::format("session {}", o.first_session)
                         : fmt::format("sessions {}-{}", o.first_session, o.last_session);
  if (!o.issues.empty()) text += fmt::format(", issues {}", fmt::join(o.issues, ","));
  if (o.important_only) text += ", important votes only";
  text += o.drop_amendments ? ", amendment and paragraph votes dropped"
                            : ", amendment and paragraph votes kept";
  return text;
}

// The data's citation, as each source asks to be cited.
std::string source_text(VoteSource source) {
  if (source == VoteSource::kUndl) {
    return "United Nations Dag Hammarskjöld Library, General Assembly Voting Data "
           "(https://digitallibrary.un.org/record/4060887)";
  }
  return "Voeten, United Nations General Assembly Voting Data (hdl:1902.1/12379)";
}

std::string list_dropped(const std::vector<DroppedMember>& dropped) {
  if (dropped.empty()) return "none";
  std::vector<std::string> items;
  for (const DroppedMember& d : dropped) {
    items.push_back(fmt::format("{} {} ({} votes)", d.state.alpha3, d.state.name, d.votes));
  }
  return fmt::format("{}", fmt::join(items, ", "));
}

// Current UN members (of un_member_states()) without a position in this file.
std::vector<std::string> members_without_position(const VoteMatrix& m) {
  std::vector<std::string> missing;
  for (const MemberState& s : un_member_states()) {
    const bool present = std::any_of(m.members.begin(), m.members.end(),
                                     [&](const CountryCode& c) { return c.alpha3 == s.alpha3; });
    if (!present) missing.push_back(fmt::format("{} {}", s.alpha3, s.name));
  }
  return missing;
}

using detail::comment;

std::string number(double v, int decimals) {
  // "-0.0000" would read as a negative number with no magnitude.
  const double x = std::abs(v) < 0.5 * std::pow(10.0, -decimals) ? 0.0 : v;
  return fmt::format("{:.{}f}", x, decimals);
}

std::string number_list(const Eigen::RowVectorXd& v, int decimals) {
  std::vector<std::string> items;
  for (Eigen::Index d = 0; d < v.size(); ++d) items.push_back(number(v(d), decimals));
  return fmt::format("[{}]", fmt::join(items, ", "));
}

std::string header(const Calibration& r, const CalibrationOptions& o, const std::string& command) {
  const VoteMatrix& m = r.matrix;
  const EstimatorOptions& e = o.estimator;
  std::string h = "# Members' positions estimated from recorded UN General Assembly votes.\n";
  h += comment("Produced by: " + command);
  h += comment(fmt::format(
      "Data: {}, {} "
      "({} to {}): {} roll calls, {} kept after dropping {} whose Yes/No minority is under "
      "{:g}%; {} members.",
      source_text(m.source), window_text(o.window), m.first_date, m.last_date,
      m.window_rcids.size(), m.rcids.size(), m.dropped_lopsided, 100.0 * o.window.min_minority,
      m.members.size()));
  h += comment(fmt::format(
      "Model: {}-dimensional {} item-response model of {}, joint posterior mode, {} "
      "iterations; PCC {:.3f}, APRE {:.3f}, hold-out PCC {:.3f} (majority baseline {:.3f}).",
      e.dims, e.model == IdealPointModel::kOrdered ? "ordered logit" : link_name(e.link),
      e.model == IdealPointModel::kOrdered
          ? "the vote No < Abstain < Yes (absence missing; PCC over the three votes, APRE "
            "against each roll call's most frequent vote)"
          : "Yes against No (abstention and absence missing)",
      r.estimate.iterations, r.fit.pcc, r.fit.apre, r.holdout.pcc, r.fit.majority_pcc));
  h += comment(
      "Identification: centred, rotated to principal axes, unit variance per dimension; the "
      "United States positive on dimension 1, the member farthest from the centre positive on "
      "the others (docs/calibration.md).");
  h += comment(r.bootstrap_se ? fmt::format("se: parametric bootstrap, {} replicates.", o.bootstrap)
                              : std::string("se: from the curvature of each member's "
                                            "log-posterior, roll calls held fixed."));
  h += comment(fmt::format(
      "absence: share of the window's roll calls on which the member recorded no vote while "
      "a member{}. data.votes: {} votes on the kept roll calls.",
      r.has_habits ? " (shrunk: see Habits below)" : "",
      e.model == IdealPointModel::kOrdered ? "Yes, Abstain and No" : "Yes and No"));
  h += comment(fmt::format("Dropped for fewer than {} Yes/No votes: {}.", o.window.min_votes,
                           list_dropped(m.dropped_members)));
  const auto missing = members_without_position(m);
  h += comment(fmt::format(
      "UN members without a position here (scenarios need missing_position: bloc_mean): {}.",
      missing.empty() ? std::string("none") : fmt::format("{}", fmt::join(missing, ", "))));
  return h;
}

// A positions entry with the member's habits (docs/calibration.md, "Habits").
std::string habit_entry(const Calibration& r, std::size_t k) {
  const auto i = static_cast<Eigen::Index>(k);
  const Habits& h = r.habits;
  return fmt::format(
      "  - {{code: {}, position: {}, absence: {:.4f}, abstain_habit: {}, data: {{votes: {}, "
      "pcc: {:.4f}, se: {}, abstain_habit_se: {:.4f}, absence_se: {:.4f}, absent: {}, "
      "roll_calls: {}}}}}\n",
      r.matrix.members[k].alpha3, number_list(r.estimate.positions.row(i), 4), h.absence(i),
      number(h.abstain_habit(i), 4), r.fit.member_votes(i), r.fit.member_pcc(i),
      number_list(r.se.row(i), 4), h.abstain_habit_se(i), h.absence_se(i), r.absent_roll_calls(i),
      r.member_roll_calls(i));
}

std::string habits_comment(const Calibration& r, const CalibrationOptions& o) {
  if (!r.has_habits) return {};
  return comment(fmt::format(
      "Habits: abstain_habit is the member's shift h of both cut points of the ordered model "
      "(P(Yes) = F(a + b.x - h), P(Yes or Abstain) = F(c + b.x + h)), the engine's "
      "abstain_habit (docs/model.md), estimated with the positions and roll calls held, prior "
      "h ~ N(0, 1/{:g}), at least {:g} ({} members at that floor); absence is the share of the "
      "window's roll calls absent while a member, "
      "shrunk towards the pooled share {:.4f} with the weight of {:g} roll calls "
      "(data.absent of data.roll_calls); data.abstain_habit_se and data.absence_se are their "
      "standard errors (docs/calibration.md, \"Habits\").",
      o.habit.precision, o.habit.floor, (r.habits.abstain_habit.array() <= o.habit.floor).count(),
      r.habits.pooled_absence, o.habit.absence_prior));
}

}  // namespace

std::string format_positions(const Calibration& r, const CalibrationOptions& o,
                             const std::string& command) {
  const VoteMatrix& m = r.matrix;
  require_finite_fit(r);
  for (std::size_t k = 0; k < m.members.size(); ++k) {
    const auto i = static_cast<Eigen::Index>(k);
    require_finite(r.estimate.positions.row(i), member_text(m.members[k], "position"));
    require_finite(r.se.row(i), member_text(m.members[k], "standard error"));
    require_finite(r.fit.member_pcc(i), member_text(m.members[k], "PCC"));
    require_finite(m.absence[k], member_text(m.members[k], "absence"));
  }
  if (r.has_habits) {
    for (std::size_t k = 0; k < m.members.size(); ++k) {
      const auto i = static_cast<Eigen::Index>(k);
      require_finite(r.habits.abstain_habit(i), member_text(m.members[k], "abstention habit"));
      require_finite(r.habits.abstain_habit_se(i),
                     member_text(m.members[k], "abstention habit's standard error"));
      require_finite(r.habits.absence(i), member_text(m.members[k], "absence"));
    }
  }
  std::string out = header(r, o, command) + habits_comment(r, o);
  out +=
      fmt::format("description: \"Positions from UN General Assembly votes, {}, {} dimension{}\"\n",
                  window_text(o.window), o.estimator.dims, o.estimator.dims == 1 ? "" : "s");
  out += fmt::format(
      "data: {{sessions: \"{}-{}\", roll_calls: {}, dims: {}, model: {}, link: {}, pcc: {:.4f}, "
      "apre: {:.4f}, holdout_pcc: {:.4f}}}\n",
      o.window.first_session, o.window.last_session, m.rcids.size(), o.estimator.dims,
      model_name(o.estimator.model), link_name(o.estimator.link), r.fit.pcc, r.fit.apre,
      r.holdout.pcc);
  out += "positions:\n";
  std::vector<std::size_t> order(m.members.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return m.members[a].alpha3 < m.members[b].alpha3;
  });
  for (const std::size_t k : order) {
    const auto i = static_cast<Eigen::Index>(k);
    if (r.has_habits) {
      out += habit_entry(r, k);
      continue;
    }
    out += fmt::format(
        "  - {{code: {}, position: {}, absence: {:.4f}, data: {{votes: {}, pcc: {:.4f}, se: "
        "{}}}}}\n",
        m.members[k].alpha3, number_list(r.estimate.positions.row(i), 4), m.absence[k],
        r.fit.member_votes(i), r.fit.member_pcc(i), number_list(r.se.row(i), 4));
  }
  return out;
}

std::string format_agreement(const VoteMatrix& m) {
  std::string out = "code_a,code_b,n,agreement\n";
  const Eigen::Index n = m.window_votes.rows();
  const Eigen::Index cols = m.window_votes.cols();
  for (Eigen::Index a = 0; a < n; ++a) {
    for (Eigen::Index b = a + 1; b < n; ++b) {
      int both = 0;
      int halves = 0;  // agreement in units of 0.5
      for (Eigen::Index j = 0; j < cols; ++j) {
        const Vote va = vote_of_code(m.window_votes(a, j));
        const Vote vb = vote_of_code(m.window_votes(b, j));
        if (va == Vote::kAbsent || vb == Vote::kAbsent) continue;
        ++both;
        halves += va == vb ? 2 : (va == Vote::kAbstain || vb == Vote::kAbstain) ? 1 : 0;
      }
      if (both == 0) continue;
      const double agreement = 0.5 * halves / both;
      require_finite(agreement, fmt::format("agreement of {} and {}", m.members[a].alpha3,
                                            m.members[b].alpha3));
      out += fmt::format("{},{},{},{:.4f}\n", m.members[a].alpha3, m.members[b].alpha3, both,
                         agreement);
    }
  }
  return out;
}

std::string format_report(const Calibration& r, const CalibrationOptions& o) {
  const VoteMatrix& m = r.matrix;
  require_finite_fit(r);
  for (std::size_t k = 0; k < m.members.size(); ++k) {
    require_finite(r.fit.member_pcc(static_cast<Eigen::Index>(k)),
                   member_text(m.members[k], "PCC"));
  }
  nlohmann::ordered_json j;
  j["dims"] = o.estimator.dims;
  j["model"] = model_name(o.estimator.model);
  j["link"] = link_name(o.estimator.link);
  j["sessions"] = {o.window.first_session, o.window.last_session};
  j["members"] = m.members.size();
  j["roll_calls"] = m.rcids.size();
  j["window_roll_calls"] = m.window_rcids.size();
  j["dropped_lopsided"] = m.dropped_lopsided;
  j["dropped_members"] = m.dropped_members.size();
  nlohmann::ordered_json dropped = nlohmann::ordered_json::array();
  for (const DroppedMember& d : m.dropped_members) {
    dropped.push_back({{"code", d.state.alpha3}, {"name", d.state.name}, {"votes", d.votes}});
  }
  j["dropped_member_list"] = dropped;
  nlohmann::ordered_json unmapped = nlohmann::ordered_json::array();
  for (const UnmappedCode& u : m.unmapped) {
    unmapped.push_back({{"code", u.code}, {"country", u.country}, {"votes", u.votes}});
  }
  j["unmapped_codes"] = unmapped;
  j["iterations"] = r.estimate.iterations;
  j["converged"] = r.estimate.converged;
  j["tolerance"] = o.estimator.tolerance;
  j["cells"] = r.fit.cells;
  j["log_likelihood"] = r.fit.log_likelihood;
  j["log_posterior"] = r.estimate.log_posterior;
  j["pcc"] = r.fit.pcc;
  j["majority_pcc"] = r.fit.majority_pcc;
  j["apre"] = r.fit.apre;
  j["holdout_pcc"] = r.holdout.cells > 0 ? nlohmann::ordered_json(r.holdout.pcc) : nullptr;
  j["holdout_cells"] = r.holdout.cells;
  j["seconds"] = r.seconds;
  j["bootstrap"] = r.bootstrap_se ? o.bootstrap : 0;
  j["bootstrap_seconds"] = r.bootstrap_seconds;
  j["holdout_seconds"] = r.holdout_seconds;
  if (r.has_habits) {
    j["habit_precision"] = o.habit.precision;
    j["absence_prior"] = o.habit.absence_prior;
    j["pooled_absence"] = r.habits.pooled_absence;
    j["habit_seconds"] = r.habit_seconds;
  }
  nlohmann::ordered_json members = nlohmann::ordered_json::array();
  for (std::size_t k = 0; k < m.members.size(); ++k) {
    const auto i = static_cast<Eigen::Index>(k);
    members.push_back({{"code", m.members[k].alpha3},
                       {"votes", r.fit.member_votes(i)},
                       {"pcc", r.fit.member_pcc(i)}});
    if (r.has_habits) {
      members.back()["abstain_habit"] = r.habits.abstain_habit(i);
      members.back()["abstain_habit_se"] = r.habits.abstain_habit_se(i);
      members.back()["absence"] = r.habits.absence(i);
      members.back()["absence_se"] = r.habits.absence_se(i);
    }
  }
  j["member_fit"] = members;
  return j.dump(2) + "\n";
}

std::string format_matrix(const VoteMatrix& m) {
  std::string out = "code";
  for (const int rcid : m.rcids) out += fmt::format(",{}", rcid);
  out += "\n";
  for (Eigen::Index i = 0; i < m.votes.rows(); ++i) {
    out += m.members[static_cast<std::size_t>(i)].alpha3;
    for (Eigen::Index j = 0; j < m.votes.cols(); ++j) {
      const Vote v = vote_of_code(m.votes(i, j));
      out += v == Vote::kYes ? ",1" : v == Vote::kNo ? ",0" : ",";
    }
    out += "\n";
  }
  return out;
}

}  // namespace plenary::calibrate
