// plenary draft: the text's position searched on common random numbers, a coarse grid then
// finer grids around the best point (include/plenary/stats/draft.hpp).

#include "plenary/stats/draft.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"
#include "plenary/model/rules.hpp"
#include "plenary/util/error.hpp"
#include "plenary/util/text.hpp"

namespace plenary {

int default_draft_grid(int dims) { return dims <= 1 ? 41 : dims == 2 ? 17 : 7; }

std::vector<int> draft_keep_list(const Scenario& s, int draft, const std::string& spec) {
  if (spec.empty()) return s.drafts[static_cast<std::size_t>(draft)].sponsors;
  std::vector<int> out;
  std::set<std::string, std::less<>> seen;
  for (const std::string_view name : split_trimmed(spec, ',')) {
    if (name.empty()) {
      throw UsageError(fmt::format(
          "--keep '{}': an empty name; give a comma-separated list of member codes, e.g. "
          "RUS,CHN",
          spec));
    }
    if (!seen.insert(std::string(name)).second) {
      throw UsageError(
          fmt::format("--keep '{}': '{}' is given twice; list each member once", spec, name));
    }
    const int i = s.find_member(name);
    if (i < 0) {
      std::vector<std::string> codes;
      for (const Member& m : s.members) codes.push_back(m.code);
      throw UsageError(fmt::format("--keep '{}': '{}' is not a member code of the scenario{}", spec,
                                   name, did_you_mean(name, codes)));
    }
    out.push_back(i);
  }
  return out;
}

namespace {

// Runs the scenario with the draft moved, on the one seed, and judges the kept members.
class Evaluator {
 public:
  Evaluator(const Scenario& s, int draft, const LobbyGoal& goal, const DraftSearchOptions& o)
      : model_(compile(s)), draft_(draft), goal_(goal), o_(o) {
    const std::vector<int>& sponsors = s.drafts[static_cast<std::size_t>(draft)].sponsors;
    original_.assign(s.members.size(), false);
    for (int i : sponsors) original_[static_cast<std::size_t>(i)] = true;
    main_ = model_.positions.row(sponsors.front()).transpose();
  }

  const ModelDraft& draft() const { return model_.drafts[static_cast<std::size_t>(draft_)]; }

  // The point (p, q) run; `current` (when set) is the series the gains are paired against.
  DraftPoint run(const Eigen::VectorXd& p, const Eigen::VectorXd& q, int stage,
                 GoalSeries* series_out = nullptr) {
    ModelDraft& d = model_.drafts[static_cast<std::size_t>(draft_)];
    d.position = p;
    d.status_quo = q;
    ReplicateLog log;
    RunOptions options;
    options.replicates = o_.replicates;
    options.seed = o_.seed;
    options.threads = o_.threads;
    options.log = &log;
    options.uncertainty = o_.uncertainty;
    const Results r = simulate(model_, options);
    ++runs_;
    if (o_.progress) o_.progress(runs_, planned_);
    GoalSeries series = goal_series(log, draft_, goal_);
    DraftPoint pt;
    pt.position = p;
    pt.status_quo = q;
    pt.distance = (p - main_).norm();
    pt.stage = stage;
    const GoalSeries& a = current_ ? *current_ : series;
    pt.figure = paired_figure(goal_.name, goal_.label, goal_.probability, a.y, a.w, series.y,
                              series.w, share_draws(o_.uncertainty));
    judge(r, pt);
    if (series_out) *series_out = std::move(series);
    return pt;
  }

  void set_current(GoalSeries s) { current_ = std::move(s); }
  long runs() const { return runs_; }
  void plan(long more) { planned_ += more; }

 private:
  // Each kept member's probability of staying on board (docs/strategy.md): a member that
  // is not an original sponsor, its probability of co-sponsoring at the close; an original
  // sponsor (whose name the model never removes), its probability of voting Yes on the text
  // as a non-sponsor, from its utility at the run's mean final sponsorship.
  void judge(const Results& r, DraftPoint& pt) const {
    const ModelDraft& d = draft();
    const auto k = static_cast<double>(o_.replicates);
    const auto n = static_cast<std::size_t>(model_.members);
    const std::vector<std::uint64_t>& joined =
        r.drafts[static_cast<std::size_t>(draft_)].member_sponsor;
    Eigen::VectorXd mean(static_cast<Eigen::Index>(n));
    for (std::size_t j = 0; j < n; ++j) {
      mean[static_cast<Eigen::Index>(j)] = static_cast<double>(joined[j]) / k;
    }
    const Eigen::VectorXd peer = model_.ties * mean;
    std::vector<double> in_bloc(model_.bloc_sizes.size(), 0.0);
    for (std::size_t j = 0; j < n; ++j) {
      for (int g : model_.member_blocs[j]) in_bloc[static_cast<std::size_t>(g)] += mean[j];
    }
    pt.keep_min = 1;
    pt.keep_member = -1;
    pt.keep_distance = 0;
    for (int i : o_.keep) {
      const auto ii = static_cast<std::size_t>(i);
      const Eigen::VectorXd x = model_.positions.row(i).transpose();
      pt.keep_distance = std::max(pt.keep_distance, (x - pt.position).norm());
      double p = mean[i];
      if (original_[ii]) {
        double bloc = 0;
        for (int g : model_.member_blocs[ii]) {
          bloc +=
              in_bloc[static_cast<std::size_t>(g)] / model_.bloc_sizes[static_cast<std::size_t>(g)];
        }
        if (!model_.member_blocs[ii].empty())
          bloc /= static_cast<double>(model_.member_blocs[ii].size());
        double rival = 0;
        for (int rv : d.rivals) {
          rival +=
              static_cast<double>(r.drafts[static_cast<std::size_t>(rv)].member_sponsor[ii]) / k;
        }
        const double fit = rules::vote_fit(d.params, (x - pt.position).squaredNorm(),
                                           (x - pt.status_quo).squaredNorm());
        const double m = rules::vote_utility(fit, peer[i], bloc, rival, d.params.phi_peer,
                                             d.params.phi_bloc, d.params.phi_rival);
        p = rules::vote_probabilities(m, d.params, model_.abstain_habit[i]).yes;
      }
      if (pt.keep_member < 0 || p < pt.keep_min) {
        pt.keep_min = p;
        pt.keep_member = i;
      }
    }
    pt.feasible = o_.radius ? pt.keep_distance <= *o_.radius : pt.keep_min >= o_.keep_probability;
  }

  Model model_;
  int draft_;
  const LobbyGoal& goal_;
  const DraftSearchOptions& o_;
  std::vector<bool> original_;
  Eigen::VectorXd main_;
  std::optional<GoalSeries> current_;
  long runs_ = 0;
  long planned_ = 0;
};

// The points of a grid of `n` points per dimension from `lo` to `hi`, the first dimension
// varying fastest.
std::vector<Eigen::VectorXd> grid_points(const Eigen::VectorXd& lo, const Eigen::VectorXd& hi,
                                         int n) {
  const auto dims = static_cast<int>(lo.size());
  long count = 1;
  for (int k = 0; k < dims; ++k) count *= n;
  std::vector<Eigen::VectorXd> out;
  out.reserve(static_cast<std::size_t>(count));
  for (long idx = 0; idx < count; ++idx) {
    Eigen::VectorXd p(dims);
    long rest = idx;
    for (int k = 0; k < dims; ++k) {
      const long i = rest % n;
      rest /= n;
      p[k] = i == n - 1 ? hi[k] : lo[k] + (hi[k] - lo[k]) * static_cast<double>(i) / (n - 1);
    }
    out.push_back(std::move(p));
  }
  return out;
}

// The better of two points for the search: feasible and a larger goal; ties keep `a`.
bool better(const DraftPoint& b, const DraftPoint& a) {
  if (!b.feasible || !b.figure.b) return false;
  if (!a.feasible || !a.figure.b) return true;
  return *b.figure.b > *a.figure.b;
}

// Searches one vector (the text's position, or its status quo) over the box: the coarse grid,
// then kRefineLevels grids of kRefinePoints per dimension around the best point so far, each
// half as wide as the one before. Returns the best point's index, if any is feasible.
class Search {
 public:
  Search(Evaluator& e, DraftSearchResult& res, const DraftSearchOptions& o)
      : e_(e), res_(res), o_(o) {}

  std::optional<std::size_t> run(bool status_quo, const Eigen::VectorXd& fixed, int base_stage) {
    const Eigen::VectorXd& lo = res_.lower;
    const Eigen::VectorXd& hi = res_.upper;
    std::optional<std::size_t> best;
    const std::size_t first = res_.points.size();
    const std::vector<Eigen::VectorXd> coarse = grid_points(lo, hi, res_.grid);
    e_.plan(static_cast<long>(coarse.size()));
    for (const Eigen::VectorXd& v : coarse) best = add(v, status_quo, fixed, base_stage, best);
    Eigen::VectorXd half = (hi - lo) / (res_.grid - 1);
    for (int level = 1; level <= kRefineLevels && best; ++level) {
      const Eigen::VectorXd c =
          status_quo ? res_.points[*best].status_quo : res_.points[*best].position;
      const Eigen::VectorXd from = (c - half).cwiseMax(lo);
      const Eigen::VectorXd to = (c + half).cwiseMin(hi);
      const std::vector<Eigen::VectorXd> fine = grid_points(from, to, kRefinePoints);
      e_.plan(static_cast<long>(fine.size()));
      for (const Eigen::VectorXd& v : fine) {
        if (seen(v, status_quo, first)) {
          e_.plan(-1);
          continue;
        }
        best = add(v, status_quo, fixed, base_stage + level, best);
      }
      half /= 2;
    }
    return best;
  }

 private:
  std::optional<std::size_t> add(const Eigen::VectorXd& v, bool status_quo,
                                 const Eigen::VectorXd& fixed, int stage,
                                 std::optional<std::size_t> best) {
    res_.points.push_back(status_quo ? e_.run(fixed, v, stage) : e_.run(v, fixed, stage));
    const std::size_t at = res_.points.size() - 1;
    if (!best || better(res_.points[at], res_.points[*best])) {
      if (res_.points[at].feasible) return at;
    }
    return best;
  }

  // Whether v was evaluated already in this search (refinement grids overlap the coarse one).
  bool seen(const Eigen::VectorXd& v, bool status_quo, std::size_t first) const {
    const double tol = 1e-9 * std::max(1.0, (res_.upper - res_.lower).maxCoeff());
    for (std::size_t j = first; j < res_.points.size(); ++j) {
      const Eigen::VectorXd& w = status_quo ? res_.points[j].status_quo : res_.points[j].position;
      if ((w - v).cwiseAbs().maxCoeff() <= tol) return true;
    }
    return false;
  }

  Evaluator& e_;
  DraftSearchResult& res_;
  const DraftSearchOptions& o_;
};

// The frontier: feasible text positions (stage below 100), by distance from the main
// sponsor, each with a larger goal than every feasible position nearer it.
std::vector<std::size_t> frontier(const std::vector<DraftPoint>& points) {
  std::vector<std::size_t> order;
  for (std::size_t j = 0; j < points.size(); ++j) {
    if (points[j].stage < 100 && points[j].feasible && points[j].figure.b) order.push_back(j);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return points[a].distance < points[b].distance;
  });
  std::vector<std::size_t> out;
  for (std::size_t j : order) {
    if (out.empty() || *points[j].figure.b > *points[out.back()].figure.b) out.push_back(j);
  }
  return out;
}

}  // namespace

DraftSearchResult draft_search(const Scenario& s, int draft, const LobbyGoal& goal,
                               const DraftSearchOptions& o) {
  DraftSearchResult res;
  res.draft = s.drafts[static_cast<std::size_t>(draft)].id;
  res.goal = goal;
  res.replicates = o.replicates;
  res.seed = o.seed;
  res.dims = s.dims;
  res.grid = o.grid > 0 ? o.grid : default_draft_grid(s.dims);
  if (res.grid < 2) {
    throw UsageError(fmt::format(
        "--grid {}: a grid needs at least 2 points per dimension; ask for --grid 2 or more",
        res.grid));
  }
  res.main_sponsor = s.drafts[static_cast<std::size_t>(draft)].sponsors.front();
  res.keep = o.keep;
  res.radius = o.radius;
  res.keep_probability = o.keep_probability;
  res.status_quo_searched = o.status_quo;

  Evaluator e(s, draft, goal, o);
  const Eigen::VectorXd p0 = e.draft().position;
  const Eigen::VectorXd q0 = e.draft().status_quo;
  // The box: the members' positions, the text and its status quo, widened by kDraftMargin of
  // the range on each side.
  Eigen::VectorXd lo = p0.cwiseMin(q0);
  Eigen::VectorXd hi = p0.cwiseMax(q0);
  for (const Member& m : s.members) {
    lo = lo.cwiseMin(m.position);
    hi = hi.cwiseMax(m.position);
  }
  const Eigen::VectorXd range = (hi - lo).cwiseMax(1e-9);
  res.lower = lo - kDraftMargin * range;
  res.upper = hi + kDraftMargin * range;

  e.plan(1);
  GoalSeries current;
  res.current = e.run(p0, q0, -1, &current);
  e.set_current(std::move(current));

  Search search(e, res, o);
  res.best = search.run(false, q0, 0);
  if (o.status_quo && res.best) {
    const Eigen::VectorXd p = res.points[*res.best].position;
    if (const auto q_best = search.run(true, p, 100);
        q_best && better(res.points[*q_best], res.points[*res.best])) {
      res.best = q_best;
    }
  }
  res.frontier = frontier(res.points);
  res.runs = e.runs();
  return res;
}

}  // namespace plenary
