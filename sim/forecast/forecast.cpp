// The forecast pipeline (docs/forecast.md): window, kin, dynamic fit, placement, blend.
#include "plenary/forecast/forecast.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <map>

#include "plenary/util/error.hpp"

namespace plenary::forecast {

namespace {

using calibrate::VoteData;

// The votes before the forecast session, by roll call; nothing of the session or later.
struct VoteIndex {
  std::vector<std::vector<std::pair<std::int32_t, Vote>>> by_roll_call;  // (state, vote)
  std::vector<bool> has_votes;
  std::vector<bool> kin_candidate;  // at least kMinKinVotes recorded votes
  std::vector<int> sessions;        // sessions with votes, ascending
};

VoteIndex index_votes(const VoteData& data, int before_session) {
  VoteIndex index;
  index.by_roll_call.resize(data.roll_calls.size());
  index.has_votes.assign(data.roll_calls.size(), false);
  for (const calibrate::CastVote& v : data.votes) {
    const calibrate::RollCall& rc = data.roll_calls[v.roll_call];
    if (rc.session >= before_session || v.vote == Vote::kAbsent) continue;
    index.by_roll_call[v.roll_call].emplace_back(v.state, v.vote);
    index.has_votes[v.roll_call] = true;
  }
  index.kin_candidate.assign(data.roll_calls.size(), false);
  for (std::size_t k = 0; k < data.roll_calls.size(); ++k) {
    if (index.has_votes[k]) index.sessions.push_back(data.roll_calls[k].session);
    index.kin_candidate[k] = std::ssize(index.by_roll_call[k]) >= kMinKinVotes;
  }
  std::sort(index.sessions.begin(), index.sessions.end());
  index.sessions.erase(std::unique(index.sessions.begin(), index.sessions.end()),
                       index.sessions.end());
  return index;
}

int vote_class(Vote v) {
  switch (v) {
    case Vote::kYes:
      return static_cast<int>(VoteClass::kYes);
    case Vote::kAbstain:
      return static_cast<int>(VoteClass::kAbstain);
    case Vote::kNo:
      return static_cast<int>(VoteClass::kNo);
    case Vote::kAbsent:
      break;
  }
  return -1;
}

// The last `count` sessions with votes before `target`.
std::vector<int> sessions_before(const VoteIndex& index, int target, int count) {
  std::vector<int> out;
  for (const int s : index.sessions) {
    if (s < target) out.push_back(s);
  }
  if (static_cast<int>(out.size()) > count) out.erase(out.begin(), out.end() - count);
  return out;
}

// The sessions of history behind a member's abstention persistence (docs/forecast.md,
// "Blend"), chosen on the development sessions 64-71 (docs/validation.md, fifth pass).
constexpr int kPersistenceSessions = 2;

// A member's vote on a roll call after its vote on the roll call's kin: one step of its
// chain on a recurring text.
struct Transition {
  std::int32_t state;
  int from;  // class of the vote on the kin
  int to;    // class of the vote on the roll call
};

// The transitions of every roll call of `session` that has a kin (found among the roll
// calls before it, as the forecast's kin are), by roll call, then state. `session` lies
// before the forecast session, so all of them are votes the forecast may use.
std::vector<Transition> session_transitions(const VoteData& data, const VoteIndex& index,
                                            int session) {
  std::vector<Transition> out;
  const KinFinder finder(data, session, index.kin_candidate);
  for (std::size_t k = 0; k < data.roll_calls.size(); ++k) {
    if (data.roll_calls[k].session != session || !index.has_votes[k]) continue;
    const std::optional<Kin> kin = finder.find(data.roll_calls[k]);
    if (!kin) continue;
    const std::map<std::int32_t, Vote> before(index.by_roll_call[kin->roll_call].begin(),
                                              index.by_roll_call[kin->roll_call].end());
    const std::map<std::int32_t, Vote> now(index.by_roll_call[k].begin(),
                                           index.by_roll_call[k].end());
    for (const auto& [state, vote] : now) {
      if (const auto b = before.find(state); b != before.end())
        out.push_back({state, vote_class(b->second), vote_class(vote)});
    }
  }
  return out;
}

// Empirical-Bayes logits of binomial counts (x_i successes of n_i) per member: each
// shrunk to the pooled rate p by a beta prior of strength M estimated by the method of
// moments from the spread between members (the intra-class correlation 1/(M + 1), within
// [1e-4, 0.5]), as logit((x_i + M p) / (n_i + M)) - logit(p); 0 for a member without
// trials.
std::vector<double> shrunk_logits(const std::vector<std::array<double, 2>>& counts) {
  double x = 0.0, n = 0.0, n2 = 0.0, members = 0.0;
  for (const auto& [xi, ni] : counts) {
    if (ni <= 0.0) continue;
    x += xi;
    n += ni;
    n2 += ni * ni;
    members += 1.0;
  }
  std::vector<double> out(counts.size(), 0.0);
  if (n <= 0.0 || members < 2.0) return out;
  const double p = (x + 0.5) / (n + 1.0);
  double spread = 0.0;
  for (const auto& [xi, ni] : counts) {
    if (ni > 0.0) spread += ni * (xi / ni - p) * (xi / ni - p);
  }
  const double denominator = n - n2 / n;
  const double icc = std::clamp(
      denominator > 0.0 ? (spread / (p * (1.0 - p)) - (members - 1.0)) / denominator : 1e-4, 1e-4,
      0.5);
  const double strength = 1.0 / icc - 1.0;
  const double base = std::log(p / (1.0 - p));
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const double r = (counts[i][0] + strength * p) / (counts[i][1] + strength);
    out[i] = std::log(r / (1.0 - r)) - base;
  }
  return out;
}

// How much looser the blend's training fits' tolerances are than S's fit's.
constexpr double kBlendToleranceFactor = 10.0;

// The window's members (states with a vote in it) by code, and the dynamic data.
struct WindowFit {
  std::vector<int> window;                // training sessions
  std::vector<std::int32_t> states;       // fit member -> state
  std::map<std::int32_t, int> member_of;  // state -> fit member
  DynamicFit fit;
  std::vector<double> habit;             // per fit member
  std::map<std::size_t, int> column_of;  // roll call index -> fitted roll call
  long cells = 0;
};

// A warm start from the fit of a neighbouring window: each member's position in a session
// both windows hold, else its position in the neighbour's last session (0 for a member the
// neighbour did not have); the roll calls both fitted; the neighbour's tau^2.
DynamicStart warm_start(const WindowFit& w, const DynamicData& d, const WindowFit& previous) {
  const int dims = previous.fit.dims;
  DynamicStart start;
  start.positions = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(d.members) * d.periods, dims);
  for (int m = 0; m < d.members; ++m) {
    const auto p = previous.member_of.find(w.states[m]);
    if (p == previous.member_of.end()) continue;
    for (int t = 0; t < d.periods; ++t) {
      const auto at = std::lower_bound(previous.window.begin(), previous.window.end(), w.window[t]);
      const int period = at != previous.window.end() && *at == w.window[t]
                             ? static_cast<int>(at - previous.window.begin())
                         : w.window[t] > previous.window.back() ? previous.fit.periods - 1
                                                                : 0;
      start.positions.row(static_cast<Eigen::Index>(m) * d.periods + t) =
          previous.fit.position(p->second, period);
    }
  }
  const Eigen::Index roll_calls = static_cast<Eigen::Index>(d.roll_call_period.size());
  start.theta = Eigen::MatrixXd::Zero(roll_calls, dims + 2);
  start.known.assign(static_cast<std::size_t>(roll_calls), false);
  for (const auto& [k, column] : w.column_of) {
    const auto p = previous.column_of.find(k);
    if (p == previous.column_of.end()) continue;
    start.theta.row(column) = previous.fit.theta.row(p->second);
    start.known[static_cast<std::size_t>(column)] = true;
  }
  start.drift_variance = previous.fit.drift_variance;
  return start;
}

WindowFit fit_window(const VoteData& data, const VoteIndex& index, const std::vector<int>& window,
                     const ForecastOptions& options, const WindowFit* previous) {
  WindowFit w;
  w.window = window;
  auto in_window = [&](int session) {
    return std::binary_search(window.begin(), window.end(), session);
  };
  std::vector<bool> seen(data.states.size(), false);
  for (std::size_t k = 0; k < data.roll_calls.size(); ++k) {
    if (!in_window(data.roll_calls[k].session)) continue;
    for (const auto& [state, vote] : index.by_roll_call[k]) seen[state] = true;
  }
  for (std::size_t s = 0; s < seen.size(); ++s) {
    if (seen[s]) w.states.push_back(static_cast<std::int32_t>(s));
  }
  // By code, so that nothing depends on the order in which states appear in votes.csv.
  std::sort(w.states.begin(), w.states.end(), [&](std::int32_t a, std::int32_t b) {
    return data.states[a].alpha3 < data.states[b].alpha3;
  });
  for (std::size_t m = 0; m < w.states.size(); ++m) w.member_of[w.states[m]] = static_cast<int>(m);
  // The same as member_of, as a table by state (member_of's look-ups were 5% of a forecast's
  // time in the sort below).
  std::vector<int> member(data.states.size(), -1);
  for (std::size_t m = 0; m < w.states.size(); ++m) member[w.states[m]] = static_cast<int>(m);
  DynamicData d;
  d.members = static_cast<int>(w.states.size());
  d.periods = static_cast<int>(window.size());
  for (std::size_t t = 1; t < window.size(); ++t) d.gaps.push_back(window[t] - window[t - 1]);
  std::vector<double> abstain(w.states.size(), 0.0), votes(w.states.size(), 0.0);
  for (std::size_t k = 0; k < data.roll_calls.size(); ++k) {
    if (!in_window(data.roll_calls[k].session) || !index.has_votes[k]) continue;
    const int column = static_cast<int>(d.roll_call_period.size());
    w.column_of[k] = column;
    const int period = static_cast<int>(
        std::lower_bound(window.begin(), window.end(), data.roll_calls[k].session) -
        window.begin());
    d.roll_call_period.push_back(period);
    auto cast = index.by_roll_call[k];
    std::sort(cast.begin(), cast.end(),
              [&](const auto& a, const auto& b) { return member[a.first] < member[b.first]; });
    for (const auto& [state, vote] : cast) {
      const int m = member[state];
      d.cells.push_back({m, column, vote});
      votes[m] += 1.0;
      abstain[m] += vote == Vote::kAbstain ? 1.0 : 0.0;
    }
  }
  w.cells = static_cast<long>(d.cells.size());
  if (d.cells.empty()) {
    throw DataError(fmt::format("no recorded votes in the training window (sessions {}-{})",
                                window.front(), window.back()));
  }
  if (previous != nullptr && previous->fit.dims == options.dynamic.dims) {
    const DynamicStart start = warm_start(w, d, *previous);
    w.fit = estimate_dynamic(d, options.dynamic, &start);
  } else {
    w.fit = estimate_dynamic(d, options.dynamic);
  }
  // The habit: a smoothed abstention logit, shrunk to the window's rate by pseudo-votes.
  double all_abstain = 0.0, all_votes = 0.0;
  for (std::size_t m = 0; m < votes.size(); ++m) {
    all_abstain += abstain[m];
    all_votes += votes[m];
  }
  const double rate = (all_abstain + 0.5) / (all_votes + 1.0);
  const double k = options.habit_pseudo_votes;
  for (std::size_t m = 0; m < votes.size(); ++m) {
    const double r = (abstain[m] + k * rate) / (votes[m] + k);
    w.habit.push_back(std::log(r / (1.0 - r)));
  }
  return w;
}

// The kin placed in the window's space: positions of the kin's voters at its period, or at
// the nearest period of the window when the kin lies outside it.
std::optional<Item> place_kin(const VoteData& data, const VoteIndex& index, const WindowFit& w,
                              const std::vector<int>& window, std::size_t item, const Kin& kin,
                              double roll_call_precision, std::string& reason) {
  Item out;
  out.roll_call = item;
  out.kin = kin;
  const int session = data.roll_calls[kin.roll_call].session;
  int period = 0;
  if (session < window.front()) {
    out.placed = Placed::kBeforeWindow;
  } else if (session > window.back()) {
    out.placed = Placed::kAfterWindow;
    period = static_cast<int>(window.size()) - 1;
  } else {
    period =
        static_cast<int>(std::lower_bound(window.begin(), window.end(), session) - window.begin());
  }
  // Voters in code order, so that the sums do not depend on the order of votes.csv.
  std::vector<std::pair<int, Vote>> voters;
  for (const auto& [state, vote] : index.by_roll_call[kin.roll_call]) {
    if (const auto member = w.member_of.find(state); member != w.member_of.end()) {
      voters.emplace_back(member->second, vote);
    }
  }
  std::sort(voters.begin(), voters.end());
  if (voters.empty()) {
    reason = fmt::format("its kin, roll call {}, has no votes by members with a position",
                         data.roll_calls[kin.roll_call].rcid);
    return std::nullopt;
  }
  Eigen::MatrixXd positions(static_cast<Eigen::Index>(voters.size()), w.fit.dims);
  std::vector<Vote> sorted_votes;
  for (std::size_t k = 0; k < voters.size(); ++k) {
    positions.row(static_cast<Eigen::Index>(k)) = w.fit.position(voters[k].first, period);
    sorted_votes.push_back(voters[k].second);
  }
  Eigen::VectorXd start;
  if (const auto column = w.column_of.find(kin.roll_call);
      column != w.column_of.end() && out.placed == Placed::kInWindow) {
    start = w.fit.theta.row(column->second).transpose();
  }
  out.placement = place_roll_call(positions, sorted_votes, roll_call_precision, start);
  return out;
}

// Members at the target: states that voted in the window's last two sessions.
std::vector<int> target_members(const VoteData& data, const VoteIndex& index, const WindowFit& w,
                                const std::vector<int>& window) {
  const int from = window[window.size() >= 2 ? window.size() - 2 : 0];
  std::vector<bool> recent(w.states.size(), false);
  for (std::size_t k = 0; k < data.roll_calls.size(); ++k) {
    const int s = data.roll_calls[k].session;
    if (s < from || s > window.back()) continue;
    for (const auto& [state, vote] : index.by_roll_call[k]) {
      if (const auto m = w.member_of.find(state); m != w.member_of.end()) recent[m->second] = true;
    }
  }
  std::vector<int> out;
  for (std::size_t m = 0; m < recent.size(); ++m) {
    if (recent[m]) out.push_back(static_cast<int>(m));
  }
  return out;
}

// `previous`: a neighbouring window's fit to start from (or null); `w` receives this one's.
// `transitions`: each session's transitions, filled as needed (the stages share sessions).
Stage run_stage(const VoteData& data, const VoteIndex& index, int target,
                const std::vector<int>& window, const ForecastOptions& options,
                const WindowFit* previous, WindowFit& w,
                std::map<int, std::vector<Transition>>& transitions) {
  Stage stage;
  stage.target = target;
  stage.window = window;
  w = fit_window(data, index, window, options, previous);
  stage.drift_variance = w.fit.drift_variance;
  stage.drift_se = w.fit.drift_se;
  stage.drift_steps = w.fit.drift_steps;
  stage.rounds = w.fit.rounds;
  stage.iterations = w.fit.iterations;
  stage.converged = w.fit.converged;
  stage.fitted_cells = w.cells;
  stage.fitted_roll_calls = static_cast<int>(w.column_of.size());
  const std::vector<int> members = target_members(data, index, w, window);
  for (const int m : members) stage.members.push_back(data.states[w.states[m]]);
  const KinFinder finder(data, target, index.kin_candidate);
  for (std::size_t k = 0; k < data.roll_calls.size(); ++k) {
    if (data.roll_calls[k].session != target) continue;
    const std::optional<Kin> kin = finder.find(data.roll_calls[k]);
    if (!kin) {
      stage.skipped.push_back(
          {k, finder.title_of(data.roll_calls[k]).empty()
                  ? std::string("it has no title in roll_calls.csv to match (short, descr or its "
                                "resolution's)")
                  : fmt::format("no earlier roll call with the same title or one at least {:g} "
                                "similar",
                                kKinSimilarityThreshold)});
      continue;
    }
    std::string reason;
    std::optional<Item> item =
        place_kin(data, index, w, window, k, *kin, options.dynamic.roll_call_precision, reason);
    if (!item) {
      stage.skipped.push_back({k, reason});
      continue;
    }
    item->kin2 =
        finder.find(data.roll_calls[kin->roll_call], data.roll_calls[kin->roll_call].session);
    stage.items.push_back(std::move(*item));
  }
  // Each member's position at the target: its last period's, with its posterior variance
  // and the drift of the sessions since.
  const int ahead = target - window.back();
  for (int it = 0; it < static_cast<int>(stage.items.size()); ++it) {
    const Item& item = stage.items[it];
    std::map<std::int32_t, Vote> kin_votes(index.by_roll_call[item.kin.roll_call].begin(),
                                           index.by_roll_call[item.kin.roll_call].end());
    std::map<std::int32_t, Vote> kin2_votes;
    if (item.kin2) {
      kin2_votes.insert(index.by_roll_call[item.kin2->roll_call].begin(),
                        index.by_roll_call[item.kin2->roll_call].end());
    }
    std::map<std::int32_t, Vote> outcomes(index.by_roll_call[item.roll_call].begin(),
                                          index.by_roll_call[item.roll_call].end());
    const Eigen::VectorXd& theta = item.placement.theta;
    const Eigen::VectorXd b = theta.tail(w.fit.dims);
    for (int mi = 0; mi < static_cast<int>(members.size()); ++mi) {
      const int m = members[mi];
      const Eigen::RowVectorXd x = w.fit.position(m, w.fit.periods - 1);
      const Eigen::MatrixXd cov =
          w.fit.last_covariance[m] +
          w.fit.drift_variance * ahead * Eigen::MatrixXd::Identity(w.fit.dims, w.fit.dims);
      const double e = x.dot(b);
      Cell cell;
      cell.item = it;
      cell.member = mi;
      cell.spatial = ordered_probabilities(theta(0) + e, theta(1) + e, b.dot(cov * b));
      for (int k = 0; k < 3; ++k)
        cell.features.log_spatial[k] = std::log(std::max(cell.spatial(k), 1e-12));
      const std::int32_t state = w.states[m];
      if (const auto v = kin_votes.find(state); v != kin_votes.end())
        cell.features.kin_vote = vote_class(v->second);
      if (const auto v = outcomes.find(state); v != outcomes.end())
        cell.features.outcome = vote_class(v->second);
      cell.features.habit = w.habit[m];
      cell.features.old_kin = item.placed == Placed::kBeforeWindow;
      if (const auto v = kin2_votes.find(state); v != kin2_votes.end())
        cell.features.kin2_vote = vote_class(v->second);
      cell.p = cell.spatial;
      stage.cells.push_back(cell);
    }
    // The kin's most common vote among the members forecast (ties: Yes, No, Abstain), for
    // the members without a vote on it: the fallback of "repeat the kin's vote".
    const std::size_t first = stage.cells.size() - members.size();
    std::array<long, 3> counts{};
    for (std::size_t c = first; c < stage.cells.size(); ++c) {
      if (stage.cells[c].features.kin_vote >= 0) ++counts[stage.cells[c].features.kin_vote];
    }
    const int majority = counts[0] + counts[1] + counts[2] == 0             ? -1
                         : counts[0] >= counts[2] && counts[0] >= counts[1] ? 0
                         : counts[2] >= counts[1]                           ? 2
                                                                            : 1;
    for (std::size_t c = first; c < stage.cells.size(); ++c)
      stage.cells[c].features.kin_majority = majority;
  }
  // The repeat propensity: among the stage's cells whose kin's kin vote is an Abstain or No
  // (and with a kin vote), how often the member's kin vote repeated it, shrunk to the
  // stage's rate by kRepeatPseudo pseudo-cells, as a logit relative to that rate. It uses
  // votes before the target only.
  constexpr double kRepeatPseudo = 20.0;
  std::vector<std::array<double, 2>> repeats(members.size(), {0.0, 0.0});  // repeated, chains
  double repeated = 0.0;
  double chains = 0.0;
  for (const Cell& c : stage.cells) {
    if (c.features.kin_vote < 0 || c.features.kin2_vote <= 0) continue;
    const double r = c.features.kin_vote == c.features.kin2_vote ? 1.0 : 0.0;
    repeats[c.member][0] += r;
    repeats[c.member][1] += 1.0;
    repeated += r;
    chains += 1.0;
  }
  const double rate = (repeated + 0.5) / (chains + 1.0);
  const double base = std::log(rate / (1.0 - rate));
  for (Cell& c : stage.cells) {
    const double p =
        (repeats[c.member][0] + kRepeatPseudo * rate) / (repeats[c.member][1] + kRepeatPseudo);
    c.features.repeat_propensity = std::log(p / (1.0 - p)) - base;
  }
  // The abstention persistence: how often the member abstained again on a roll call after
  // abstaining on its kin, in the kPersistenceSessions sessions before the target, shrunk by
  // empirical Bayes to the members' pooled rate (docs/forecast.md, "Blend").
  std::vector<int> fit_member_of(w.states.size(), -1);
  for (std::size_t mi = 0; mi < members.size(); ++mi)
    fit_member_of[members[mi]] = static_cast<int>(mi);
  std::vector<std::array<double, 2>> abstained(members.size(), {0.0, 0.0});  // again, after one
  for (const int session : sessions_before(index, target, kPersistenceSessions)) {
    auto at = transitions.find(session);
    if (at == transitions.end())
      at = transitions.emplace(session, session_transitions(data, index, session)).first;
    for (const Transition& t : at->second) {
      if (t.from != static_cast<int>(VoteClass::kAbstain)) continue;
      const auto m = w.member_of.find(t.state);
      if (m == w.member_of.end() || fit_member_of[m->second] < 0) continue;
      abstained[fit_member_of[m->second]][0] += t.to == t.from ? 1.0 : 0.0;
      abstained[fit_member_of[m->second]][1] += 1.0;
    }
  }
  const std::vector<double> persistence = shrunk_logits(abstained);
  for (Cell& c : stage.cells) c.features.abstain_persistence = persistence[c.member];
  return stage;
}

std::vector<int> training_window(const VoteIndex& index, const ForecastOptions& o) {
  if (!o.train) return sessions_before(index, o.session, o.train_sessions);
  const auto [first, last] = *o.train;
  if (first > last) {
    throw UsageError(
        fmt::format("--train {}-{}: the first session is after the last", first, last));
  }
  if (last >= o.session) {
    throw UsageError(
        fmt::format("--train {}-{}: the training window must end before session {} "
                    "(try --train {}-{})",
                    first, last, o.session, first, o.session - 1));
  }
  std::vector<int> out;
  for (const int s : index.sessions) {
    if (s >= first && s <= last) out.push_back(s);
  }
  if (out.empty()) {
    throw DataError(fmt::format("--train {}-{}: no recorded votes in these sessions", first, last));
  }
  return out;
}

}  // namespace

Forecast run_forecast(const VoteData& data, const ForecastOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  if (options.train_sessions < 1) throw UsageError("the training window needs at least 1 session");
  const bool on_agenda =
      std::any_of(data.roll_calls.begin(), data.roll_calls.end(),
                  [&](const calibrate::RollCall& rc) { return rc.session == options.session; });
  if (!on_agenda) {
    int lo = 0, hi = 0;
    if (!data.roll_calls.empty()) {
      const auto [a, b] =
          std::minmax_element(data.roll_calls.begin(), data.roll_calls.end(),
                              [](const auto& x, const auto& y) { return x.session < y.session; });
      lo = a->session;
      hi = b->session;
    }
    throw DataError(
        fmt::format("session {} has no roll calls in roll_calls.csv (it lists sessions "
                    "{}-{}); the agenda of a forecast is its session's roll calls",
                    options.session, lo, hi));
  }
  const VoteIndex index = index_votes(data, options.session);
  const std::vector<int> window = training_window(index, options);
  if (window.empty()) {
    throw DataError(
        fmt::format("no recorded votes before session {}: nothing to train on", options.session));
  }
  Forecast out;
  // The weights: the same pipeline for the window's last sessions, each from the sessions
  // before it, fitted on their pooled recorded votes. The windows are fitted from the
  // earliest to S's, each starting from the one before (they share all sessions but one).
  std::vector<std::pair<int, std::vector<int>>> blend_targets;  // latest first
  for (int k = 0; k < options.blend_sessions && k < static_cast<int>(window.size()); ++k) {
    const int blend_target = window[window.size() - 1 - k];
    std::vector<int> blend_window =
        sessions_before(index, blend_target, static_cast<int>(window.size()));
    if (blend_window.empty()) break;
    blend_targets.emplace_back(blend_target, std::move(blend_window));
  }
  // The blend's training fits stop at looser tolerances (docs/forecast.md, "Speed"): their
  // tau^2 only widens the placement of their items, and S's own fit, warm-started from the
  // last of them, still converges at options.dynamic's.
  ForecastOptions blend_options = options;
  blend_options.dynamic.drift_tolerance *= kBlendToleranceFactor;
  blend_options.dynamic.tolerance *= kBlendToleranceFactor;
  std::optional<WindowFit> previous;
  std::map<int, std::vector<Transition>> transitions;
  out.blend_stages.resize(blend_targets.size());
  for (std::size_t k = blend_targets.size(); k-- > 0;) {
    WindowFit fit;
    out.blend_stages[k] =
        run_stage(data, index, blend_targets[k].first, blend_targets[k].second, blend_options,
                  previous ? &*previous : nullptr, fit, transitions);
    previous = std::move(fit);
  }
  {
    WindowFit fit;
    out.main = run_stage(data, index, options.session, window, options,
                         previous ? &*previous : nullptr, fit, transitions);
  }
  std::vector<BlendCell> cells;
  for (const Stage& stage : out.blend_stages) {
    for (const Cell& c : stage.cells) cells.push_back(c.features);
  }
  out.weights = fit_blend(cells);
  for (Stage& stage : out.blend_stages) {
    for (Cell& c : stage.cells) c.p = blend_probabilities(c.features, out.weights);
  }
  for (Cell& c : out.main.cells) c.p = blend_probabilities(c.features, out.weights);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

}  // namespace plenary::forecast
