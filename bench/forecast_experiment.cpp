// Experiment driver for the forecast's blend (docs/validation.md, "Forecasting a session from
// the record"): not shipped logic. It runs the pipeline (run_forecast, as `plenary forecast
// --session S` does) once for each development session, then refits variants of the blend
// on the stored cells of the three stages before S, exactly as the pipeline fits them
// (the same prior, the same Newton iterations), and scores each variant on S with the
// command's scorer, beside "repeat the kin's vote".
//
//   bench/forecast_experiment [first last [variants]]   (default: the development set 64 71)
//
// Variant 0 is the committed blend; its figures must be the command's. Variants 33-46 (the
// fifth pass, docs/validation.md) were run against the blend before abstain_persistence was
// committed; with it they add their features to it. Variants 47-52 (the sixth pass) were
// run against the blend before the spatial weight by kin vote was committed (47-49 are
// that change; with it they duplicate its features).
#include <fmt/format.h>

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "plenary/calibrate/vote_data.hpp"
#include "plenary/forecast/forecast.hpp"

namespace {

namespace cal = plenary::calibrate;
namespace fc = plenary::forecast;

// Item-level statistics of a stage's item, from the votes before the stage's target.
struct ItemStats {
  double stability = 0.0;         // logit share of members whose kin vote = kin's-kin vote
  double nonyes_stability = 0.0;  // the same among chains whose kin's-kin vote is A or N
  double shift = 0.0;             // total variation between the kin's and kin2's shares
  double contested = 0.0;         // share of non-Yes votes on the kin
  std::array<std::array<double, 3>, 3> transition{};  // log share making kin2 -> kin change
  double changers = 0.0;                              // logit share whose kin != kin2
  double session_stability = 0.0;  // logit share over the stage's items (all chains)
  double session_nonyes = 0.0;     // the same among chains from an Abstain or No
  // The cell's member (fifth pass): empirical-Bayes logits, centred on the pooled rate, of
  // repeating an Abstain (a_persist) and a No (n_persist), and of abstaining again after a
  // new abstention (Yes -> Abstain -> Abstain, a_return).
  double a_persist = 0.0;
  double n_persist = 0.0;
  double a_return = 0.0;
};

double logit(double p) { return std::log(p / (1.0 - p)); }

std::vector<ItemStats> item_stats(const fc::Stage& stage, double pseudo, bool centre) {
  const std::size_t n = stage.items.size();
  std::vector<std::array<double, 4>> c(n, {0, 0, 0, 0});  // same, both, nonyes same, nonyes
  std::vector<std::array<double, 3>> kin(n, {0, 0, 0}), kin2(n, {0, 0, 0});
  std::vector<std::array<std::array<double, 3>, 3>> trans(n);
  double same = 0, both = 0, nsame = 0, nboth = 0;
  for (const fc::Cell& cell : stage.cells) {
    const auto& f = cell.features;
    if (f.kin_vote >= 0) kin[cell.item][f.kin_vote] += 1;
    if (f.kin2_vote >= 0) kin2[cell.item][f.kin2_vote] += 1;
    if (f.kin_vote < 0 || f.kin2_vote < 0) continue;
    trans[cell.item][f.kin2_vote][f.kin_vote] += 1;
    const double s = f.kin_vote == f.kin2_vote ? 1.0 : 0.0;
    c[cell.item][0] += s;
    c[cell.item][1] += 1;
    same += s;
    both += 1;
    if (f.kin2_vote > 0) {
      c[cell.item][2] += s;
      c[cell.item][3] += 1;
      nsame += s;
      nboth += 1;
    }
  }
  const double rate = (same + 0.5) / (both + 1.0);
  const double nrate = (nsame + 0.5) / (nboth + 1.0);
  std::vector<ItemStats> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    out[i].stability =
        logit((c[i][0] + pseudo * rate) / (c[i][1] + pseudo)) - (centre ? logit(rate) : 0.0);
    out[i].nonyes_stability =
        logit((c[i][2] + pseudo * nrate) / (c[i][3] + pseudo)) - (centre ? logit(nrate) : 0.0);
    for (int a = 0; a < 3; ++a) {
      for (int b = 0; b < 3; ++b) {
        out[i].transition[a][b] = std::log((trans[i][a][b] + 0.5) / (c[i][1] + 1.0));
      }
    }
    out[i].session_stability = logit(rate);
    out[i].session_nonyes = logit(nrate);
    out[i].changers = logit((c[i][1] - c[i][0] + 0.5) / (c[i][1] + 1.0));
    const double k1 = kin[i][0] + kin[i][1] + kin[i][2];
    const double k2 = kin2[i][0] + kin2[i][1] + kin2[i][2];
    if (k1 > 0) out[i].contested = (kin[i][1] + kin[i][2]) / k1;
    if (k1 > 0 && k2 > 0) {
      for (int k = 0; k < 3; ++k) out[i].shift += 0.5 * std::abs(kin[i][k] / k1 - kin2[i][k] / k2);
    }
  }
  return out;
}

// A binomial count per member, shrunk to the pooled rate by an empirical-Bayes beta-binomial
// prior whose strength M is the method-of-moments estimate from the between-member spread
// (intra-class correlation rho = 1/(M+1)); returns logit(shrunk) - logit(pooled).
std::vector<double> eb_logits(const std::vector<std::array<double, 2>>& xn, double* strength) {
  double x = 0, n = 0, n2 = 0, k = 0;
  for (const auto& [xi, ni] : xn) {
    if (ni <= 0) continue;
    x += xi;
    n += ni;
    n2 += ni * ni;
    k += 1;
  }
  std::vector<double> out(xn.size(), 0.0);
  if (n <= 0 || k < 2) return out;
  const double p = (x + 0.5) / (n + 1.0);
  double ss = 0;
  for (const auto& [xi, ni] : xn) {
    if (ni > 0) ss += ni * (xi / ni - p) * (xi / ni - p);
  }
  const double denom = n - n2 / n;
  double rho = denom > 0 ? (ss / (p * (1 - p)) - (k - 1)) / denom : 1e-4;
  rho = std::clamp(rho, 1e-4, 0.5);
  const double m = 1.0 / rho - 1.0;
  if (strength != nullptr) *strength = m;
  for (std::size_t i = 0; i < xn.size(); ++i) {
    const double r = (xn[i][0] + m * p) / (xn[i][1] + m);
    out[i] = logit(r) - logit(p);
  }
  return out;
}

// Chains of roll calls of one session: (state, vote on the kin's kin, on the kin, its vote),
// classes 0/1/2 or -1, from the record before the session only.
struct Chain {
  std::int32_t state;
  int kin2, kin, vote;
};

class Histories {
 public:
  explicit Histories(const cal::VoteData& data) : data_(data) {
    votes_.resize(data.roll_calls.size());
    for (const cal::CastVote& v : data.votes) {
      const int k = v.vote == plenary::Vote::kYes       ? 0
                    : v.vote == plenary::Vote::kAbstain ? 1
                    : v.vote == plenary::Vote::kNo      ? 2
                                                        : -1;
      if (k >= 0) votes_[v.roll_call][v.state] = k;
    }
    candidate_.resize(data.roll_calls.size());
    for (std::size_t r = 0; r < data.roll_calls.size(); ++r) {
      candidate_[r] = std::ssize(votes_[r]) >= fc::kMinKinVotes;
      if (!votes_[r].empty()) sessions_.insert(data.roll_calls[r].session);
    }
  }
  const std::vector<Chain>& chains(int session) {
    auto it = cache_.find(session);
    if (it != cache_.end()) return it->second;
    std::vector<Chain>& out = cache_[session];
    const fc::KinFinder finder(data_, session, candidate_);
    for (std::size_t r = 0; r < data_.roll_calls.size(); ++r) {
      const cal::RollCall& rc = data_.roll_calls[r];
      if (rc.session != session || votes_[r].empty()) continue;
      const auto kin = finder.find(rc);
      if (!kin) continue;
      const auto kin2 =
          finder.find(data_.roll_calls[kin->roll_call], data_.roll_calls[kin->roll_call].session);
      for (const auto& [state, vote] : votes_[r]) {
        const auto a = votes_[kin->roll_call].find(state);
        if (a == votes_[kin->roll_call].end()) continue;
        int b = -1;
        if (kin2) {
          const auto f = votes_[kin2->roll_call].find(state);
          if (f != votes_[kin2->roll_call].end()) b = f->second;
        }
        out.push_back({state, b, a->second, vote});
      }
    }
    return out;
  }
  // The `depth` sessions with votes before `target`.
  std::vector<int> before(int target, int depth) const {
    std::vector<int> out;
    for (const int s : sessions_)
      if (s < target) out.push_back(s);
    if (std::ssize(out) > depth) out.erase(out.begin(), out.end() - depth);
    return out;
  }

 private:
  const cal::VoteData& data_;
  std::vector<std::map<std::int32_t, int>> votes_;
  std::vector<bool> candidate_;
  std::set<int> sessions_;
  std::map<int, std::vector<Chain>> cache_;
};

Histories* g_histories = nullptr;

// Per member of the stage (by index): a_persist, n_persist, a_return from the chains of
// the g_depth sessions before the stage's target.
std::vector<std::array<double, 3>> member_stats(const cal::VoteData& data, const fc::Stage& stage,
                                                int depth) {
  std::map<std::string, int> member;
  for (std::size_t m = 0; m < stage.members.size(); ++m)
    member[stage.members[m].alpha3] = static_cast<int>(m);
  const std::size_t n = stage.members.size();
  std::vector<std::array<double, 2>> a(n, {0, 0}), no(n, {0, 0}), ret(n, {0, 0});
  for (const int s : g_histories->before(stage.target, depth)) {
    for (const Chain& c : g_histories->chains(s)) {
      const auto it = member.find(data.states[c.state].alpha3);
      if (it == member.end()) continue;
      const int m = it->second;
      if (c.kin == 1) {
        a[m][0] += c.vote == 1;
        a[m][1] += 1;
        if (c.kin2 == 0) {
          ret[m][0] += c.vote == 1;
          ret[m][1] += 1;
        }
      }
      if (c.kin == 2) {
        no[m][0] += c.vote == 2;
        no[m][1] += 1;
      }
    }
  }
  double ma = 0, mn = 0, mr = 0;
  const auto la = eb_logits(a, &ma), ln = eb_logits(no, &mn), lr = eb_logits(ret, &mr);
  if (std::getenv("EBDIAG") != nullptr)
    fmt::print("  eb {} depth {}: strength A {:.1f} N {:.1f} return {:.1f}\n", stage.target, depth,
               ma, mn, mr);
  std::vector<std::array<double, 3>> out(n);
  for (std::size_t m = 0; m < n; ++m) out[m] = {la[m], ln[m], lr[m]};
  return out;
}

// A variant: extra features of a cell for class k, given its item's statistics.
struct Variant {
  std::string name;
  int extras = 0;
  std::function<void(const fc::BlendCell&, const ItemStats&, int, double*)> fill;
  double pseudo = 5.0;
  bool centre_stats = false;
  double decay = 1.0;   // weight of the stage k sessions before S-1: decay^k
  double ridge = 10.0;  // the prior's precision (the committed 10, fourth pass)
  double centre = 4.0;  // its centre for repeating a kin Abstain or No (committed 4)
  int select = 0;  // 1: prior chosen on S-1 by log-likelihood, 2: by accuracy (fit on S-2, S-3)
  int depth = 0;   // sessions of member history (0: none computed)
  bool drop_repeat = false;  // the committed repeat_propensity feature set to 0
  // Sixth pass: a per-(kin vote, class) bias fitted out of sample (weights fitted on the
  // stages of S-2 and S-3, bias on S-1's cells with their scores as offsets), added to the
  // weights fitted on all stages; and the number of stages the weights are fitted on.
  bool oos_bias = false;
  int stages = 3;
};

constexpr int kBase = fc::kBlendWeights;

// The committed blend's features (blend.cpp), then the variant's.
Eigen::VectorXd features(const fc::BlendCell& c, const ItemStats& s, int k, const Variant& v) {
  Eigen::VectorXd f = Eigen::VectorXd::Zero(kBase + v.extras);
  f(0) = c.log_spatial[k];
  f(1) = c.kin_vote == k && c.old_kin ? 1.0 : 0.0;
  f(2) = k == 1 ? c.habit : 0.0;
  f(3) = c.kin_vote < 0 && c.kin_majority == k ? 1.0 : 0.0;
  if (k > 0) {
    const int r = c.kin_vote < 0 ? 3 : c.kin_vote;
    const int r2 = c.kin2_vote < 0 ? 3 : c.kin2_vote;
    f(4 + 8 * r + 2 * r2 + (k - 1)) = 1.0;
    f(fc::kRepeatPropensityWeight) = c.kin_vote == k && !v.drop_repeat ? c.repeat_propensity : 0.0;
  }
  if (k == 1 && c.kin_vote == 1) f(fc::kAbstainPersistenceWeight) = c.abstain_persistence;
  if (c.kin_vote != 0)
    f(fc::kSpatialByKinWeight + (c.kin_vote < 0 ? 2 : c.kin_vote - 1)) = c.log_spatial[k];
  if (c.kin_vote >= 0 && c.kin_vote == c.kin2_vote)
    f(fc::kSpatialRepeatedChainWeight) = c.log_spatial[k];
  if (v.extras > 0) v.fill(c, s, k, f.data() + kBase);
  return f;
}

Eigen::VectorXd prior_mean(int size, double centre) {
  Eigen::VectorXd w0 = Eigen::VectorXd::Zero(size);
  for (int r = 1; r <= 2; ++r) {
    for (int r2 = 0; r2 < 4; ++r2) w0(4 + 8 * r + 2 * r2 + (r - 1)) = centre;
  }
  return w0;
}

struct Design {
  double ridge = 3.0;
  double centre = 3.0;
  bool plain = false;  // prior centred on 0 for every weight, fit started at 0 (the bias)
  std::vector<std::array<Eigen::VectorXd, 3>> f;
  std::vector<int> outcome;
  std::vector<double> weight;
  std::vector<Eigen::Vector3d> offset;  // added to the scores (empty: none)
};

double objective(const Design& d, const Eigen::VectorXd& w, Eigen::VectorXd* g,
                 Eigen::MatrixXd* h) {
  const Eigen::VectorXd dw =
      d.plain ? w : Eigen::VectorXd(w - prior_mean(static_cast<int>(w.size()), d.centre));
  double ll = -0.5 * d.ridge * dw.squaredNorm();
  if (g != nullptr) {
    *g = -d.ridge * dw;
    *h = d.ridge * Eigen::MatrixXd::Identity(w.size(), w.size());
  }
  for (std::size_t i = 0; i < d.f.size(); ++i) {
    Eigen::Vector3d s(w.dot(d.f[i][0]), w.dot(d.f[i][1]), w.dot(d.f[i][2]));
    if (!d.offset.empty()) s += d.offset[i];
    const Eigen::Vector3d e = (s.array() - s.maxCoeff()).exp();
    const Eigen::Vector3d p = e / e.sum();
    const double wt = d.weight[i];
    ll += wt * std::log(std::max(p(d.outcome[i]), 1e-300));
    if (g == nullptr) continue;
    const Eigen::VectorXd mean = p(0) * d.f[i][0] + p(1) * d.f[i][1] + p(2) * d.f[i][2];
    *g += wt * (d.f[i][d.outcome[i]] - mean);
    for (int k = 0; k < 3; ++k) {
      const Eigen::VectorXd u = d.f[i][k] - mean;
      h->noalias() += wt * p(k) * u * u.transpose();
    }
  }
  return ll;
}

Eigen::VectorXd fit(const Design& d, int size) {
  Eigen::VectorXd w = d.plain ? Eigen::VectorXd::Zero(size) : prior_mean(size, d.centre);
  if (!d.plain) w(0) = 1.0;
  Eigen::VectorXd g;
  Eigen::MatrixXd h;
  double ll = objective(d, w, &g, &h);
  for (int iteration = 0; iteration < 200; ++iteration) {
    const Eigen::VectorXd delta = h.ldlt().solve(g);
    double step = 1.0, next = ll;
    Eigen::VectorXd trial = w;
    for (int k = 0; k < 30; ++k, step *= 0.5) {
      trial = w + step * delta;
      next = objective(d, trial, nullptr, nullptr);
      if (next >= ll) break;
    }
    if (!(next >= ll)) break;
    const double gain = next - ll;
    w = trial;
    ll = objective(d, w, &g, &h);
    if (gain <= 1e-10 * std::abs(ll)) break;
  }
  return w;
}

std::vector<Variant> variants() {
  std::vector<Variant> v;
  v.push_back({"committed blend", 0, nullptr});
  auto kin_is = [](const fc::BlendCell& c, int k) { return c.kin_vote == k ? 1.0 : 0.0; };
  v.push_back({"stability x repeat", 1, [=](const auto& c, const auto& s, int k, double* x) {
                 x[0] = kin_is(c, k) * s.stability;
               }});
  v.push_back({"stability x repeat A/N", 1, [=](const auto& c, const auto& s, int k, double* x) {
                 x[0] = k > 0 ? kin_is(c, k) * s.stability : 0.0;
               }});
  v.push_back(
      {"A/N stability x repeat A/N", 1, [=](const auto& c, const auto& s, int k, double* x) {
         x[0] = k > 0 ? kin_is(c, k) * s.nonyes_stability : 0.0;
       }});
  v.push_back({"stability + A/N stability", 2, [=](const auto& c, const auto& s, int k, double* x) {
                 x[0] = kin_is(c, k) * s.stability;
                 x[1] = k > 0 ? kin_is(c, k) * s.nonyes_stability : 0.0;
               }});
  v.push_back({"stability by kin vote", 3, [=](const auto& c, const auto& s, int k, double* x) {
                 x[0] = x[1] = x[2] = 0.0;
                 if (c.kin_vote == k) x[k] = s.stability;
               }});
  v.push_back({"shift x repeat", 1, [=](const auto& c, const auto& s, int k, double* x) {
                 x[0] = kin_is(c, k) * s.shift;
               }});
  v.push_back(
      {"stability by kin vote + shift", 4, [=](const auto& c, const auto& s, int k, double* x) {
         x[0] = x[1] = x[2] = 0.0;
         if (c.kin_vote == k) x[k] = s.stability;
         x[3] = kin_is(c, k) * s.shift;
       }});
  Variant centred = v[1];
  centred.name = "stability x repeat, centred";
  centred.centre_stats = true;
  v.push_back(centred);
  Variant loose = v[1];
  loose.name = "stability x repeat, pseudo 20";
  loose.pseudo = 20.0;
  v.push_back(loose);
  v.push_back(
      {"stability x repeat + contested", 2, [=](const auto& c, const auto& s, int k, double* x) {
         x[0] = kin_is(c, k) * s.stability;
         x[1] = kin_is(c, k) * s.contested;
       }});
  auto changed = [](const fc::BlendCell& c) {
    return c.kin_vote >= 0 && c.kin2_vote >= 0 && c.kin_vote != c.kin2_vote;
  };
  v.push_back(
      {"change shared x keep change", 1, [=](const auto& c, const auto& s, int k, double* x) {
         x[0] = changed(c) && c.kin_vote == k ? s.transition[c.kin2_vote][c.kin_vote] : 0.0;
       }});
  v.push_back({"changers x keep change", 1, [=](const auto& c, const auto& s, int k, double* x) {
                 x[0] = changed(c) && c.kin_vote == k ? s.changers : 0.0;
               }});
  v.push_back({"change shared x keep change + A/N stab", 2,
               [=](const auto& c, const auto& s, int k, double* x) {
                 x[0] = changed(c) && c.kin_vote == k ? s.transition[c.kin2_vote][c.kin_vote] : 0.0;
                 x[1] = k > 0 ? kin_is(c, k) * s.nonyes_stability : 0.0;
               }});
  v.push_back(
      {"change shared x keep change A/N", 1, [=](const auto& c, const auto& s, int k, double* x) {
         x[0] =
             k > 0 && changed(c) && c.kin_vote == k ? s.transition[c.kin2_vote][c.kin_vote] : 0.0;
       }});
  v.push_back(
      {"session stability x repeat", 1, [=](const auto& c, const auto& s, int k, double* x) {
         x[0] = kin_is(c, k) * s.session_stability;
       }});
  v.push_back({"session A/N stability x repeat A/N", 1,
               [=](const auto& c, const auto& s, int k, double* x) {
                 x[0] = k > 0 ? kin_is(c, k) * s.session_nonyes : 0.0;
               }});
  for (const auto& [ridge, centre] : std::vector<std::pair<double, double>>{{1, 3},
                                                                            {10, 3},
                                                                            {3, 2},
                                                                            {3, 4},
                                                                            {10, 4},
                                                                            {30, 3},
                                                                            {30, 4},
                                                                            {5, 4},
                                                                            {10, 5},
                                                                            {5, 5},
                                                                            {20, 4}}) {
    Variant p = v[0];
    p.name = fmt::format("prior ({:g}, {:g})", ridge, centre);
    p.ridge = ridge;
    p.centre = centre;
    v.push_back(p);
  }
  for (const int select : {1, 2}) {
    Variant p = v[0];
    p.name = select == 1 ? "prior chosen on S-1, log-lik" : "prior chosen on S-1, accuracy";
    p.select = select;
    v.push_back(p);
  }
  for (const double decay : {0.5, 0.75, 1.5}) {
    Variant d = v[0];
    d.name = fmt::format("stages weighted {}^k", decay);
    d.decay = decay;
    v.push_back(d);
  }
  // Fifth pass: members' own persistence of an abstention or a No (empirical Bayes).
  auto persist = [&](const std::string& name, int depth, bool n_too, bool ret, bool drop) {
    const int extras = 1 + (n_too ? 1 : 0) + (ret ? 1 : 0);
    Variant p{name, extras, [=](const auto& c, const auto& s, int k, double* x) {
                int e = 0;
                x[e++] = k == 1 && c.kin_vote == 1 ? s.a_persist : 0.0;
                if (n_too) x[e++] = k == 2 && c.kin_vote == 2 ? s.n_persist : 0.0;
                if (ret) x[e++] = k == 1 && c.kin_vote == 1 && c.kin2_vote == 0 ? s.a_return : 0.0;
              }};
    p.depth = depth;
    p.drop_repeat = drop;
    v.push_back(p);
  };
  for (const int depth : {2, 4, 6}) {
    persist(fmt::format("A persist h{}", depth), depth, false, false, false);
    persist(fmt::format("A,N persist h{}", depth), depth, true, false, false);
    persist(fmt::format("A,N persist h{} no rho", depth), depth, true, false, true);
  }
  persist("A persist + return h4", 4, false, true, false);
  persist("A,N persist + return h4", 4, true, true, false);
  persist("A,N persist + return h6", 6, true, true, false);
  persist("A persist h8", 8, false, false, false);
  {
    Variant p{"A persist on a new abstention h4", 1,
              [](const auto& c, const auto& s, int k, double* x) {
                x[0] = k == 1 && c.kin_vote == 1 && c.kin2_vote == 0 ? s.a_persist : 0.0;
              }};
    p.depth = 4;
    v.push_back(p);
  }
  // Sixth pass (docs/validation.md): where the kin is strong, does the spatial part add
  // noise? The spatial weight by the member's kin vote, and on a repeated chain (kin vote =
  // kin's-kin vote); then a calibration of the argmax out of sample; then more stages.
  auto spatial = [](const fc::BlendCell& c, int k, bool by_kin, bool chain, double* x) {
    int e = 0;
    if (by_kin) {
      x[e++] = c.kin_vote == 1 ? c.log_spatial[k] : 0.0;
      x[e++] = c.kin_vote == 2 ? c.log_spatial[k] : 0.0;
      x[e++] = c.kin_vote < 0 ? c.log_spatial[k] : 0.0;
    }
    if (chain) x[e++] = c.kin_vote >= 0 && c.kin_vote == c.kin2_vote ? c.log_spatial[k] : 0.0;
  };
  v.push_back({"spatial by kin vote", 3, [=](const auto& c, const auto&, int k, double* x) {
                 spatial(c, k, true, false, x);
               }});
  v.push_back({"spatial on a repeated chain", 1, [=](const auto& c, const auto&, int k, double* x) {
                 spatial(c, k, false, true, x);
               }});
  v.push_back(
      {"spatial by kin vote + repeated chain", 4,
       [=](const auto& c, const auto&, int k, double* x) { spatial(c, k, true, true, x); }});
  {
    Variant b = v[0];
    b.name = "class bias out of sample";
    b.oos_bias = true;
    v.push_back(b);
    Variant five = v[0];
    five.name = "five stages";
    five.stages = 5;
    v.push_back(five);
  }
  // A hierarchical prior on the kin table: beta[r][r2][k] = row[r][k] + cell, both under the
  // prior, so a rare chain borrows from the other chains with the same kin vote.
  v.push_back({"kin table rows shared", 8, [](const auto& c, const auto&, int k, double* x) {
                 for (int e = 0; e < 8; ++e) x[e] = 0.0;
                 if (k > 0) x[2 * (c.kin_vote < 0 ? 3 : c.kin_vote) + (k - 1)] = 1.0;
               }});
  return v;
}

// The bias's features: [kin vote = r][class = k] for r in Yes, Abstain, No, none and k in
// Abstain, No (Yes the reference): 8 weights.
std::array<Eigen::VectorXd, 3> bias_features(const fc::BlendCell& c) {
  std::array<Eigen::VectorXd, 3> f;
  const int r = c.kin_vote < 0 ? 3 : c.kin_vote;
  for (int k = 0; k < 3; ++k) {
    f[k] = Eigen::VectorXd::Zero(8);
    if (k > 0) f[k](2 * r + (k - 1)) = 1.0;
  }
  return f;
}

std::vector<ItemStats> cell_stats(const cal::VoteData& data, const fc::Stage& stage,
                                  const Variant& v) {
  const std::vector<ItemStats> stats = item_stats(stage, v.pseudo, v.centre_stats);
  std::vector<std::array<double, 3>> ms;
  if (v.depth > 0) ms = member_stats(data, stage, v.depth);
  std::vector<ItemStats> out;
  out.reserve(stage.cells.size());
  for (const fc::Cell& c : stage.cells) {
    ItemStats s = stats[c.item];
    if (v.depth > 0) {
      s.a_persist = ms[c.member][0];
      s.n_persist = ms[c.member][1];
      s.a_return = ms[c.member][2];
    }
    out.push_back(s);
  }
  return out;
}

void add_stage(const cal::VoteData& data, const fc::Stage& stage, const Variant& v, double weight,
               Design& d) {
  const std::vector<ItemStats> stats = cell_stats(data, stage, v);
  for (std::size_t i = 0; i < stage.cells.size(); ++i) {
    const fc::Cell& c = stage.cells[i];
    if (c.features.outcome < 0) continue;
    const ItemStats& s = stats[i];
    d.f.push_back({features(c.features, s, 0, v), features(c.features, s, 1, v),
                   features(c.features, s, 2, v)});
    d.outcome.push_back(c.features.outcome);
    d.weight.push_back(weight);
  }
}

// Held-out figure of weights w on design d: log-likelihood (select 1) or correct votes (2).
double held_out(const Design& d, const Eigen::VectorXd& w, int select) {
  double total = 0.0;
  for (std::size_t i = 0; i < d.f.size(); ++i) {
    Eigen::Vector3d s(w.dot(d.f[i][0]), w.dot(d.f[i][1]), w.dot(d.f[i][2]));
    const Eigen::Vector3d e = (s.array() - s.maxCoeff()).exp();
    const Eigen::Vector3d p = e / e.sum();
    if (select == 1) {
      total += std::log(p(d.outcome[i]));
    } else {
      int best = 0;
      for (int k = 1; k < 3; ++k)
        if (p(k) > p(best)) best = k;
      total += best == d.outcome[i] ? 1.0 : 0.0;
    }
  }
  return total;
}

// Cells where the forecast's most likely vote differs from the kin's vote: by (kin vote,
// kin's-kin vote, forecast), how many were the forecast's vote and how many the kin's.
void diagnose(const cal::VoteData& data, const fc::Stage& stage) {
  std::map<std::pair<std::size_t, std::string>, int> recorded;
  for (const cal::CastVote& v : data.votes) {
    if (data.roll_calls[v.roll_call].session != stage.target) continue;
    const int k = v.vote == plenary::Vote::kYes       ? 0
                  : v.vote == plenary::Vote::kAbstain ? 1
                  : v.vote == plenary::Vote::kNo      ? 2
                                                      : -1;
    if (k >= 0) recorded[{static_cast<std::size_t>(v.roll_call), data.states[v.state].alpha3}] = k;
  }
  std::map<std::string, std::array<int, 3>> table;
  for (const fc::Cell& c : stage.cells) {
    const auto it = recorded.find({stage.items[c.item].roll_call, stage.members[c.member].alpha3});
    if (it == recorded.end() || c.features.kin_vote < 0) continue;
    int best = 0;
    for (int k = 1; k < 3; ++k)
      if (c.p(k) > c.p(best)) best = k;
    if (best == c.features.kin_vote) continue;
    const char* n = "YAN";
    const std::string key =
        fmt::format("kin {} kin2 {} said {}", n[c.features.kin_vote],
                    c.features.kin2_vote < 0 ? '-' : n[c.features.kin2_vote], n[best]);
    auto& row = table[key];
    row[0] += it->second == best;
    row[1] += it->second == c.features.kin_vote;
    row[2] += 1;
  }
  for (const auto& [key, row] : table)
    fmt::print("  diag {} {}: forecast right {} kin right {} of {}\n", stage.target, key, row[0],
               row[1], row[2]);
}

}  // namespace

int main(int argc, char** argv) {
  const int first = argc > 2 ? std::atoi(argv[1]) : 64;
  const int last = argc > 2 ? std::atoi(argv[2]) : 71;
  const cal::VoteData data = cal::load_vote_data(PLENARY_DATA_DIR "/unga");
  Histories histories(data);
  g_histories = &histories;
  // Optional third argument: the variants to run, by index ("0,11,12"); default all.
  std::vector<Variant> vs = variants();
  if (argc > 3) {
    std::vector<Variant> chosen;
    for (const char* p = argv[3]; *p != '\0';) {
      char* end = nullptr;
      chosen.push_back(vs.at(static_cast<std::size_t>(std::strtol(p, &end, 10))));
      p = *end == ',' ? end + 1 : end;
    }
    vs = chosen;
  }
  std::map<std::string, std::vector<long>> gains;
  std::map<std::string, std::vector<double>> briers;
  for (int session = first; session <= last; ++session) {
    fc::ForecastOptions o;
    o.session = session;
    for (const Variant& v : vs) o.blend_sessions = std::max(o.blend_sessions, v.stages);
    fc::Forecast f = fc::run_forecast(data, o);
    for (const Variant& v : vs) {
      Design d;
      d.ridge = v.ridge;
      d.centre = v.centre;
      if (v.select > 0 && f.blend_stages.size() == 3) {
        Design check, train;
        add_stage(data, f.blend_stages[0], v, 1.0, check);
        add_stage(data, f.blend_stages[1], v, 1.0, train);
        add_stage(data, f.blend_stages[2], v, 1.0, train);
        double best = -1e300;
        for (const double ridge : {1.0, 3.0, 10.0, 30.0}) {
          for (const double centre : {2.0, 3.0, 4.0}) {
            train.ridge = ridge;
            train.centre = centre;
            const double h = held_out(check, fit(train, kBase + v.extras), v.select);
            if (h > best) {
              best = h;
              d.ridge = ridge;
              d.centre = centre;
            }
          }
        }
        fmt::print("{} {} chose prior ({:g}, {:g})\n", session, v.name, d.ridge, d.centre);
      }
      double weight = 1.0;
      for (std::size_t k = 0; k < f.blend_stages.size(); ++k) {
        if (static_cast<int>(k) >= v.stages) break;
        add_stage(data, f.blend_stages[k], v, weight, d);
        weight *= v.decay;
      }
      const Eigen::VectorXd w = fit(d, kBase + v.extras);
      Eigen::VectorXd bias = Eigen::VectorXd::Zero(8);
      if (v.oos_bias && f.blend_stages.size() >= 3) {
        Design older;
        older.ridge = d.ridge;
        older.centre = d.centre;
        add_stage(data, f.blend_stages[1], v, 1.0, older);
        add_stage(data, f.blend_stages[2], v, 1.0, older);
        const Eigen::VectorXd w_older = fit(older, kBase + v.extras);
        Design calib;
        calib.plain = true;
        calib.ridge = 10.0;
        const std::vector<ItemStats> st = cell_stats(data, f.blend_stages[0], v);
        for (std::size_t i = 0; i < f.blend_stages[0].cells.size(); ++i) {
          const fc::BlendCell& c = f.blend_stages[0].cells[i].features;
          if (c.outcome < 0) continue;
          Eigen::Vector3d score;
          for (int k = 0; k < 3; ++k) score(k) = w_older.dot(features(c, st[i], k, v));
          calib.f.push_back(bias_features(c));
          calib.offset.push_back(score);
          calib.outcome.push_back(c.outcome);
          calib.weight.push_back(1.0);
        }
        bias = fit(calib, 8);
        fmt::print("{} bias (Y: A N | A: A N | N: A N | none: A N):", session);
        for (int b = 0; b < 8; ++b) fmt::print(" {:+.3f}", bias(b));
        fmt::print("\n");
      }
      const std::vector<ItemStats> stats = cell_stats(data, f.main, v);
      for (std::size_t i = 0; i < f.main.cells.size(); ++i) {
        fc::Cell& c = f.main.cells[i];
        Eigen::Vector3d s;
        for (int k = 0; k < 3; ++k) s(k) = w.dot(features(c.features, stats[i], k, v));
        if (v.oos_bias) {
          const auto bf = bias_features(c.features);
          for (int k = 0; k < 3; ++k) s(k) += bias.dot(bf[k]);
        }
        const Eigen::Vector3d e = (s.array() - s.maxCoeff()).exp();
        c.p = e / e.sum();
      }
      const fc::Score score = fc::score_stage(data, f.main);
      if (std::getenv("DIAG") != nullptr && v.extras == 0 && v.decay == 1.0) diagnose(data, f.main);
      const auto& m = score.methods[0];
      const auto& kin = score.methods[1];
      const long gain = std::lround((m.accuracy - kin.accuracy) * static_cast<double>(score.cells));
      gains[v.name].push_back(gain);
      briers[v.name].push_back(m.brier);
      fmt::print(
          "{} {:<34} acc {:.4f} brier {:.4f} | kin {:.4f} {:.4f} | gain {:+d} F1 A {:.4f}/{:.4f} N "
          "{:.4f}/{:.4f}",
          session, v.name, m.accuracy, m.brier, kin.accuracy, kin.brier, gain, m.f1[1], kin.f1[1],
          m.f1[2], kin.f1[2]);
      for (int e = 0; e < v.extras; ++e) fmt::print(" w{}={:.3f}", e, w(kBase + e));
      fmt::print("\n");
      std::fflush(stdout);
    }
  }
  fmt::print("\nvariant: gains over the kin per session; total; mean Brier\n");
  for (const Variant& v : vs) {
    long total = 0;
    double brier = 0.0;
    std::string row;
    for (std::size_t k = 0; k < gains[v.name].size(); ++k) {
      total += gains[v.name][k];
      brier += briers[v.name][k];
      row += fmt::format(" {:+d}", gains[v.name][k]);
    }
    fmt::print("{:<34}{} | total {:+d} | Brier {:.4f}\n", v.name, row, total,
               brier / static_cast<double>(gains[v.name].size()));
  }
  return 0;
}
