// plenary lobby: candidates ranked on common random numbers, and a greedy set (CELF)
// (include/plenary/stats/lobby.hpp).

#include "plenary/stats/lobby.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>

#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"
#include "plenary/scenario/what_if.hpp"
#include "plenary/util/error.hpp"
#include "plenary/util/text.hpp"
#include "stats/lobby_fast.hpp"

namespace plenary {

LobbyGoal parse_lobby_goal(std::string_view text, int members) {
  LobbyGoal g;
  g.name = std::string(text);
  if (text == "sponsors") {
    g.kind = LobbyGoalKind::kSponsors;
    g.label = "Co-sponsors at the close";
  } else if (text.substr(0, 6) == "reach:") {
    const std::optional<std::int64_t> n = parse_integer(text.substr(6));
    if (!n) {
      throw UsageError(fmt::format(
          "--goal '{}': expected reach:N with N a whole number of co-sponsors, e.g. reach:100",
          text));
    }
    if (*n < 1 || *n > members) {
      throw UsageError(fmt::format(
          "--goal '{}': the scenario has {} members, so a draft can have 1 to {} co-sponsors; "
          "ask for reach:N with N in that range",
          text, members, members));
    }
    g.kind = LobbyGoalKind::kReach;
    g.n = static_cast<int>(*n);
    g.probability = true;
    g.label = fmt::format("P(reaching {} co-sponsors)", g.n);
  } else if (text == "yes") {
    g.kind = LobbyGoalKind::kYes;
    g.recorded_only = true;
    g.label = "Yes (recorded votes)";
  } else if (text == "adopted") {
    g.kind = LobbyGoalKind::kAdopted;
    g.probability = true;
    g.label = "P(adopted)";
  } else if (text == "without-vote") {
    g.kind = LobbyGoalKind::kWithoutVote;
    g.probability = true;
    g.label = "P(adopted without a vote)";
  } else if (text == "margin") {
    g.kind = LobbyGoalKind::kMargin;
    g.recorded_only = true;
    g.label = "Yes - No (recorded votes)";
  } else {
    const std::vector<std::string> goals = {"sponsors", "reach:N",      "yes",
                                            "adopted",  "without-vote", "margin"};
    throw UsageError(fmt::format("--goal '{}': unknown goal{}; use one of {}", text,
                                 did_you_mean(text, goals), join_quoted(goals)));
  }
  return g;
}

std::vector<LobbyCandidate> lobby_candidates(const Scenario& s, std::string_view spec) {
  std::vector<LobbyCandidate> out;
  auto add_bloc = [&](int g) {
    const Bloc& b = s.blocs[static_cast<std::size_t>(g)];
    out.push_back({b.name, true, b.members, 1});
  };
  if (spec == "members") {
    for (std::size_t i = 0; i < s.members.size(); ++i) {
      out.push_back({s.members[i].code, false, {static_cast<int>(i)}, 1});
    }
    return out;
  }
  if (spec == "blocs") {
    for (std::size_t g = 0; g < s.blocs.size(); ++g) {
      if (!s.blocs[g].members.empty()) add_bloc(static_cast<int>(g));
    }
    if (out.empty()) {
      throw UsageError(
          "--candidates blocs: the scenario declares no bloc with members; name members "
          "instead (--candidates members or --candidates CODE,...)");
    }
    return out;
  }
  std::set<std::string, std::less<>> seen;
  for (std::string_view rest = spec;;) {
    const std::size_t comma = rest.find(',');
    const std::string_view name = trim(rest.substr(0, comma));
    if (name.empty()) {
      throw UsageError(fmt::format(
          "--candidates '{}': an empty name; give members, blocs or a comma-separated list of "
          "member codes and bloc names, e.g. USA,EU",
          spec));
    }
    if (!seen.insert(std::string(name)).second) {
      throw UsageError(
          fmt::format("--candidates '{}': '{}' is given twice; list each once", spec, name));
    }
    if (const int i = s.find_member(name); i >= 0) {
      out.push_back({std::string(name), false, {i}, 1});
    } else if (const int g = s.find_bloc(name); g >= 0) {
      if (s.blocs[static_cast<std::size_t>(g)].members.empty()) {
        throw UsageError(fmt::format("--candidates '{}': bloc '{}' has no members in this scenario",
                                     spec, name));
      }
      add_bloc(g);
    } else {
      std::vector<std::string> names{"members", "blocs"};
      for (const Member& m : s.members) names.push_back(m.code);
      for (const Bloc& b : s.blocs) names.push_back(b.name);
      throw UsageError(fmt::format(
          "--candidates '{}': '{}' is neither a member code nor a bloc of the scenario{}", spec,
          name, did_you_mean(name, names)));
    }
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return out;
}

void read_lobby_costs(const std::string& path, const Scenario& s,
                      std::vector<LobbyCandidate>& candidates) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw DataError(SourceLocation{path, 0, 0},
                    "cannot read the cost file (--cost); check the path");
  }
  std::map<std::string, double, std::less<>> cost;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string_view text = trim(line);
    if (text.empty()) continue;
    if (number == 1 && text == "code,cost") continue;
    const SourceLocation where{path, number, 0};
    const std::size_t comma = text.find(',');
    if (comma == std::string_view::npos || text.find(',', comma + 1) != std::string_view::npos) {
      throw DataError(where, fmt::format("expected 'code,cost', got '{}'", text));
    }
    const std::string_view code = trim(text.substr(0, comma));
    const std::optional<double> c = parse_number(trim(text.substr(comma + 1)));
    if (!c || !std::isfinite(*c) || *c <= 0) {
      throw DataError(where, fmt::format("the cost of '{}' must be a positive number, got '{}'",
                                         code, trim(text.substr(comma + 1))));
    }
    if (s.find_member(code) < 0 && s.find_bloc(code) < 0) {
      std::vector<std::string> names;
      for (const Member& m : s.members) names.push_back(m.code);
      throw DataError(where, fmt::format("'{}' is neither a member code nor a bloc of the "
                                         "scenario{}",
                                         code, did_you_mean(code, names)));
    }
    if (!cost.emplace(std::string(code), *c).second) {
      throw DataError(where, fmt::format("'{}' is given a cost twice; keep one line", code));
    }
  }
  std::vector<std::string> missing;
  for (LobbyCandidate& cand : candidates) {
    if (const auto it = cost.find(cand.name); it != cost.end()) {
      cand.cost = it->second;
      continue;
    }
    if (!cand.bloc) {
      missing.push_back(cand.name);
      continue;
    }
    double sum = 0;
    for (int i : cand.members) {
      const auto it = cost.find(s.members[static_cast<std::size_t>(i)].code);
      if (it == cost.end()) {
        missing.push_back(cand.name);
        sum = -1;
        break;
      }
      sum += it->second;
    }
    if (sum > 0) cand.cost = sum;
  }
  if (!missing.empty()) {
    const std::size_t shown = std::min<std::size_t>(missing.size(), 10);
    std::string list;
    for (std::size_t i = 0; i < shown; ++i) list += (i ? ", " : "") + missing[i];
    if (shown < missing.size()) list += fmt::format(" and {} more", missing.size() - shown);
    throw UsageError(fmt::format(
        "--cost '{}': no cost for {} candidate{} ({}); add a line 'code,cost' for each (a bloc "
        "may instead have a cost for every member)",
        path, missing.size(), missing.size() == 1 ? "" : "s", list));
  }
}

namespace {

// The goal's value in each of k replicates, outcome(j) giving replicate j's outcome of the
// draft: from an engine run's log (goal_series) or from the fast path's outcomes.
template <class OutcomeAt>
GoalSeries series_of(std::size_t k, const LobbyGoal& goal, OutcomeAt outcome) {
  GoalSeries s;
  s.y.resize(k);
  if (goal.recorded_only) s.w.resize(k);
  for (std::size_t j = 0; j < k; ++j) {
    const DraftOutcome& o = outcome(j);
    double y = 0;
    switch (goal.kind) {
      case LobbyGoalKind::kSponsors:
        y = o.sponsors;
        break;
      case LobbyGoalKind::kReach:
        y = o.sponsors >= goal.n ? 1 : 0;
        break;
      case LobbyGoalKind::kYes:
        y = o.tally[vote_index(Vote::kYes)];
        break;
      case LobbyGoalKind::kAdopted:
        y = o.has(DraftOutcome::kAdopted) ? 1 : 0;
        break;
      case LobbyGoalKind::kWithoutVote:
        y = o.has(DraftOutcome::kWithoutVote) ? 1 : 0;
        break;
      case LobbyGoalKind::kMargin:
        y = o.tally[vote_index(Vote::kYes)] - o.tally[vote_index(Vote::kNo)];
        break;
    }
    s.y[j] = y;
    if (goal.recorded_only) s.w[j] = o.has(DraftOutcome::kRecorded) ? 1 : 0;
  }
  return s;
}

}  // namespace

GoalSeries goal_series(const ReplicateLog& log, int draft, const LobbyGoal& goal) {
  return series_of(static_cast<std::size_t>(log.replicates), goal,
                   [&](std::size_t j) -> const DraftOutcome& {
                     return log.outcome(static_cast<long>(j), draft);
                   });
}

namespace {

using Series = GoalSeries;

// Bytes of what one process computed, for LobbyShare::all_gather: numbers as they are in
// memory (every process of a job runs the same binary on the same kind of machine).
class Packer {
 public:
  template <class T>
  void put(T value) {
    bytes_.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  template <class T>
  void put(const std::vector<T>& values) {
    put(static_cast<std::uint64_t>(values.size()));
    bytes_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
  }
  void put(const Series& s) {
    put(s.y);
    put(s.w);
  }
  std::string take() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

class Unpacker {
 public:
  explicit Unpacker(const std::string& bytes) : bytes_(bytes) {}
  template <class T>
  T get() {
    T value{};
    read(&value, sizeof value);
    return value;
  }
  // Appends a vector put() wrote to `to`.
  template <class T>
  void append(std::vector<T>& to) {
    const auto n = static_cast<std::size_t>(get<std::uint64_t>());
    const std::size_t old = to.size();
    to.resize(old + n);
    read(to.data() + old, n * sizeof(T));
  }
  void append(Series& to) {
    append(to.y);
    append(to.w);
  }

 private:
  void read(void* to, std::size_t n) {
    if (n > bytes_.size() - at_) throw std::runtime_error("a lobby share's bytes are cut short");
    if (n > 0) std::memcpy(to, bytes_.data() + at_, n);
    at_ += n;
  }
  const std::string& bytes_;
  std::size_t at_ = 0;
};

class Runner {
 public:
  Runner(const Scenario& s, int draft, const LobbyGoal& goal, const LobbyOptions& o)
      : s_(s), draft_(draft), goal_(goal), o_(o) {
    // This process's block of replicates: whole blocks of four (the engine's batches), shared
    // out evenly over the processes in rank order.
    const LobbyShare& share = o.share;
    const long quads = (o.replicates + 3) / 4;
    const long q0 = quads * share.rank / share.ranks;
    const long q1 = quads * (share.rank + 1) / share.ranks;
    first_ = 4 * q0;
    count_ = std::max(0L, std::min(o.replicates, 4 * q1) - first_);
  }

  // The goal with these members committed to the draft from round 0. With `member_sponsor`,
  // the run's count of replicates in which each member sponsors the draft at the close too.
  Series run(const std::set<int>& forced_asked,
             std::vector<std::uint64_t>* member_sponsor = nullptr) {
    // Committing an original sponsor changes nothing (it sponsors from round 0 already), so
    // a set of original sponsors only is the baseline itself: its series is reused, not run
    // again (the same draws would give the same bytes).
    const std::set<int> forced = new_sponsors(forced_asked);
    if (forced.empty() && !member_sponsor && baseline_) {
      step();
      return *baseline_;
    }
    const Model model = lobby_fast::forced_model(s_, draft_, {forced.begin(), forced.end()});
    ReplicateLog log;
    const std::vector<std::string> parts = gather([&] {
      Results r;
      if (count_ > 0) {
        RunOptions options;
        options.first_replicate = first_;
        options.replicates = count_;
        options.seed = o_.seed;
        options.threads = o_.threads;
        options.log = &log;
        options.uncertainty = o_.uncertainty;
        r = simulate(model, options);
      }
      std::vector<DraftOutcome> outcomes(static_cast<std::size_t>(log.replicates));
      for (long k = 0; k < log.replicates; ++k) {
        outcomes[static_cast<std::size_t>(k)] = log.outcome(k, draft_);
      }
      Packer p;
      p.put(series(outcomes));
      if (member_sponsor) {
        std::vector<std::uint64_t> counts(s_.members.size(), 0);
        if (count_ > 0) counts = r.drafts[static_cast<std::size_t>(draft_)].member_sponsor;
        p.put(counts);
      }
      return p.take();
    });
    ++runs_;
    step();
    Series out;
    for (const std::string& part : parts) {
      Unpacker u(part);
      u.append(out);
      if (!member_sponsor) continue;
      std::vector<std::uint64_t> counts;
      u.append(counts);
      member_sponsor->resize(counts.size(), 0);
      for (std::size_t i = 0; i < counts.size(); ++i) (*member_sponsor)[i] += counts[i];
    }
    if (forced.empty()) {
      baseline_ = out;
      baseline_log_ = std::move(log);
      baseline_model_ = model;
    }
    return out;
  }

  // Many commitments at once: on the fast path (lobby_fast.hpp) when asked for and there
  // are enough of them to repay replaying the baseline, else one run each. The same series.
  std::vector<Series> run_many(const std::vector<std::set<int>>& sets) {
    std::vector<Series> out(sets.size());
    std::vector<std::vector<int>> fast;
    std::vector<std::size_t> where;
    for (std::size_t c = 0; c < sets.size(); ++c) {
      const std::set<int> forced = new_sponsors(sets[c]);
      if (forced.empty() || !o_.fast || o_.uncertainty != UncertaintySource::kNone || !baseline_ ||
          !lobby_fast::fits(*baseline_model_, o_.threads)) {
        out[c] = run(sets[c]);
      } else {
        fast.emplace_back(forced.begin(), forced.end());
        where.push_back(c);
      }
    }
    if (fast.size() < kFastMinimum) {
      for (std::size_t c : where) out[c] = run(sets[c]);
      return out;
    }
    lobby_fast::Options fo;
    fo.first = first_;
    fo.replicates = count_;
    fo.seed = o_.seed;
    fo.threads = o_.threads;
    fo.vote = goal_.kind == LobbyGoalKind::kYes || goal_.kind == LobbyGoalKind::kAdopted ||
              goal_.kind == LobbyGoalKind::kWithoutVote || goal_.kind == LobbyGoalKind::kMargin;
    const std::vector<std::string> parts = gather([&] {
      lobby_fast::Stats stats;
      std::vector<std::vector<DraftOutcome>> outcomes(fast.size());
      if (count_ > 0) {
        outcomes =
            lobby_fast::outcomes(s_, *baseline_model_, draft_, fast, *baseline_log_, fo, &stats);
      }
      Packer p;
      p.put(stats.fallbacks);
      p.put(stats.mismatches);
      for (const auto& o : outcomes) p.put(series(o));
      return p.take();
    });
    for (const std::string& part : parts) {
      Unpacker u(part);
      stats_.fallbacks += u.get<long>();
      stats_.mismatches += u.get<long>();
      for (std::size_t f = 0; f < fast.size(); ++f) u.append(out[where[f]]);
    }
    for (std::size_t f = 0; f < fast.size(); ++f) {
      ++runs_;
      ++fast_candidates_;
      step();
    }
    return out;
  }

  PairedFigure pair(const Series& a, const Series& b) const {
    return paired_figure(goal_.name, goal_.label, goal_.probability, a.y, a.w, b.y, b.w,
                         share_draws(o_.uncertainty));
  }

  long runs() const { return runs_; }
  const lobby_fast::Stats& fast_stats() const { return stats_; }
  long fast_candidates() const { return fast_candidates_; }
  void plan(long more) { planned_ += more; }

 private:
  // Below this many commitments a ranking runs them one by one: the fast path replays the
  // baseline first, which costs about as much as a few full runs.
  static constexpr std::size_t kFastMinimum = 4;

  std::set<int> new_sponsors(const std::set<int>& asked) const {
    const Draft& d = s_.drafts[static_cast<std::size_t>(draft_)];
    std::set<int> forced;
    for (int i : asked) {
      if (std::find(d.sponsors.begin(), d.sponsors.end(), i) == d.sponsors.end()) forced.insert(i);
    }
    return forced;
  }

  // This process's share of a computation (`local`, its bytes) and those of every other
  // process, in rank order; on one process, `local`'s alone. A failure on any process
  // becomes the same Error on every process, naming the rank.
  std::vector<std::string> gather(const std::function<std::string()>& local) const {
    if (o_.share.ranks <= 1) return {local()};
    std::string mine;
    try {
      mine = "+" + local();
    } catch (const std::exception& e) {
      mine = std::string("!") + e.what();
    }
    std::vector<std::string> parts = o_.share.all_gather(mine);
    for (std::size_t r = 0; r < parts.size(); ++r) {
      if (!parts[r].empty() && parts[r][0] == '+') continue;
      throw Error(fmt::format("MPI rank {} of {} failed: {}", r, parts.size(),
                              parts[r].empty() ? "no result" : parts[r].substr(1)));
    }
    for (std::string& part : parts) part.erase(0, 1);
    return parts;
  }

  void step() {
    ++done_;
    if (o_.progress) o_.progress(done_, planned_);
  }

  Series series(const std::vector<DraftOutcome>& outcomes) const {
    return series_of(outcomes.size(), goal_,
                     [&](std::size_t j) -> const DraftOutcome& { return outcomes[j]; });
  }

  const Scenario& s_;
  int draft_;
  const LobbyGoal& goal_;
  const LobbyOptions& o_;
  long runs_ = 0;  // simulations run
  long done_ = 0;  // evaluations, reused ones included
  long planned_ = 0;
  std::optional<Series> baseline_;
  std::optional<ReplicateLog> baseline_log_;
  std::optional<Model> baseline_model_;
  lobby_fast::Stats stats_;
  long fast_candidates_ = 0;
  // This process's block of replicates.
  long first_ = 0;
  long count_ = 0;
};

double score_of(const PairedFigure& f, double cost) { return f.diff.value_or(-HUGE_VAL) / cost; }

}  // namespace

LobbyResult lobby(const Scenario& s, int draft, const LobbyGoal& goal,
                  std::vector<LobbyCandidate> candidates, const LobbyOptions& o) {
  const int n_candidates = static_cast<int>(candidates.size());
  if (o.budget > n_candidates) {
    throw UsageError(fmt::format(
        "--budget {}: there are only {} candidate{}; ask for at most {} or add candidates "
        "(--candidates)",
        o.budget, n_candidates, n_candidates == 1 ? "" : "s", n_candidates));
  }
  LobbyResult res;
  res.draft = s.drafts[static_cast<std::size_t>(draft)].id;
  res.goal = goal;
  res.replicates = o.replicates;
  res.seed = o.seed;
  Runner runner(s, draft, goal, o);
  runner.plan(1 + n_candidates);

  std::vector<std::uint64_t> member_sponsor;
  const Series base = runner.run({}, &member_sponsor);
  const std::vector<int>& original = s.drafts[static_cast<std::size_t>(draft)].sponsors;

  // Single commitments.
  std::vector<Series> single(static_cast<std::size_t>(n_candidates));
  std::vector<LobbyEntry> entries;
  double sum_independent = 0;
  double sum_paired = 0;
  std::vector<std::set<int>> sets;
  for (const LobbyCandidate& cand : candidates)
    sets.emplace_back(cand.members.begin(), cand.members.end());
  single = runner.run_many(sets);
  for (int c = 0; c < n_candidates; ++c) {
    LobbyEntry e;
    e.candidate = candidates[static_cast<std::size_t>(c)];
    e.figure = runner.pair(base, single[static_cast<std::size_t>(c)]);
    e.score = score_of(e.figure, o.costs ? e.candidate.cost : 1.0);
    e.p_commit = 1;
    e.original_sponsor = true;
    for (int i : e.candidate.members) {
      const double p = static_cast<double>(member_sponsor[static_cast<std::size_t>(i)]) /
                       static_cast<double>(o.replicates);
      e.p_commit = std::min(e.p_commit, p);
      e.original_sponsor =
          e.original_sponsor && std::find(original.begin(), original.end(), i) != original.end();
    }
    e.near_certain = e.p_commit >= kNearCertain;
    const PairedFigure& f = e.figure;
    if (f.diff_se && f.a_se && f.b_se && *f.diff_se > 0) {
      const double independent = *f.a_se * *f.a_se + *f.b_se * *f.b_se;
      const double paired = *f.diff_se * *f.diff_se;
      e.variance_reduction = independent / paired;
      sum_independent += independent;
      sum_paired += paired;
    }
    entries.push_back(std::move(e));
  }
  if (!entries.empty()) {
    res.baseline = entries.front().figure.a;
    res.baseline_se = entries.front().figure.a_se;
  }
  if (sum_paired > 0) res.variance_reduction = sum_independent / sum_paired;
  std::vector<int> order(static_cast<std::size_t>(n_candidates));
  for (int c = 0; c < n_candidates; ++c) order[static_cast<std::size_t>(c)] = c;
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
    return entries[static_cast<std::size_t>(x)].score > entries[static_cast<std::size_t>(y)].score;
  });
  for (std::size_t r = 0; r < order.size(); ++r) {
    res.ranking.push_back(entries[static_cast<std::size_t>(order[r])]);
    res.ranking.back().rank = static_cast<int>(r) + 1;
  }

  // The greedy set, CELF: a candidate's marginal gain can only have fallen since it was last
  // evaluated when the goal is submodular, so the best stale bound is re-evaluated against the
  // current set and picked once it is fresh and still best. (Where the goal is not submodular
  // the bounds may be wrong and greedy carries no guarantee; docs/strategy.md.)
  if (o.budget > 0 || o.budget_cost) {
    struct Bound {
      double score;
      int candidate;
      int step;  // the set size it was evaluated against
      PairedFigure figure;
      Series series;
    };
    auto better = [](const Bound& x, const Bound& y) {
      return x.score != y.score ? x.score > y.score : x.candidate < y.candidate;
    };
    std::vector<Bound> bounds;
    for (int c = 0; c < n_candidates; ++c) {
      bounds.push_back({entries[static_cast<std::size_t>(c)].score, c, 0,
                        entries[static_cast<std::size_t>(c)].figure,
                        single[static_cast<std::size_t>(c)]});
    }
    single.clear();
    std::set<int> forced;
    Series current = base;
    double spent = 0;
    const int max_picks = o.budget > 0 ? o.budget : n_candidates;
    for (int step = 0; step < max_picks; ++step) {
      // Candidates the cost budget can no longer afford drop out.
      if (o.budget_cost) {
        std::erase_if(bounds, [&](const Bound& b) {
          return spent + candidates[static_cast<std::size_t>(b.candidate)].cost >
                 *o.budget_cost * (1 + 1e-12);
        });
      }
      if (bounds.empty()) break;
      int evaluations = 0;
      for (;;) {
        const auto best = std::min_element(bounds.begin(), bounds.end(), better);
        if (best->step == step) break;
        const LobbyCandidate& cand = candidates[static_cast<std::size_t>(best->candidate)];
        std::set<int> with = forced;
        with.insert(cand.members.begin(), cand.members.end());
        runner.plan(1);
        best->series = runner.run(with);
        best->figure = runner.pair(current, best->series);
        best->score = score_of(best->figure, o.costs ? cand.cost : 1.0);
        best->step = step;
        ++evaluations;
      }
      const auto best = std::min_element(bounds.begin(), bounds.end(), better);
      const LobbyCandidate& cand = candidates[static_cast<std::size_t>(best->candidate)];
      res.greedy.push_back({cand.name, cand.cost, best->figure, evaluations});
      forced.insert(cand.members.begin(), cand.members.end());
      spent += cand.cost;
      current = std::move(best->series);
      bounds.erase(best);
    }
    // The top of the single ranking, as many as the greedy set picked.
    std::set<int> top;
    bool same = true;
    for (std::size_t j = 0; j < res.greedy.size(); ++j) {
      const LobbyCandidate& cand = res.ranking[j].candidate;
      res.top.push_back(cand.name);
      top.insert(cand.members.begin(), cand.members.end());
      same = same && std::any_of(res.greedy.begin(), res.greedy.end(),
                                 [&](const GreedyStep& g) { return g.candidate == cand.name; });
    }
    if (!res.greedy.empty()) {
      Series top_series;
      if (same) {
        top_series = current;
      } else {
        runner.plan(1);
        top_series = runner.run(top);
      }
      res.greedy_vs_top = runner.pair(top_series, current);
    }
  }
  res.runs = runner.runs();
  res.fast_fallbacks = runner.fast_stats().fallbacks;
  res.fast_mismatches = runner.fast_stats().mismatches;
  res.fast_candidates = runner.fast_candidates();
  return res;
}

}  // namespace plenary
