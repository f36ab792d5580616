// The forecast's CSV and JSON, and its score against the record (docs/forecast.md).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "plenary/forecast/forecast.hpp"
#include "plenary/util/error.hpp"

namespace plenary::forecast {

namespace {

using calibrate::VoteData;

// The most likely class; ties go to Yes, then No, then Abstain.
int predicted(const Eigen::Vector3d& p) {
  int best = 0;
  for (const int k : {2, 1}) {
    if (p(k) > p(best)) best = k;
  }
  return best;
}

int class_of(Vote v) {
  return v == Vote::kYes ? 0 : v == Vote::kAbstain ? 1 : v == Vote::kNo ? 2 : -1;
}

nlohmann::json stage_json(const VoteData& data, const Stage& s) {
  nlohmann::json j;
  j["session"] = s.target;
  j["window"] = s.window;
  j["members"] = s.members.size();
  j["fitted"] = {{"roll_calls", s.fitted_roll_calls}, {"votes", s.fitted_cells}};
  j["drift_variance"] = {{"estimate", s.drift_variance},
                         {"se", s.drift_se},
                         {"steps", s.drift_steps},
                         {"sweeps", s.iterations},
                         {"converged", s.converged}};
  nlohmann::json items = nlohmann::json::array();
  for (const Item& item : s.items) {
    const calibrate::RollCall& rc = data.roll_calls[item.roll_call];
    const calibrate::RollCall& kin = data.roll_calls[item.kin.roll_call];
    const Eigen::VectorXd& t = item.placement.theta;
    const Eigen::VectorXd& se = item.placement.se;
    const Eigen::Index d = t.size() - 2;
    std::vector<double> b(t.data() + 2, t.data() + 2 + d);
    std::vector<double> b_se(se.data() + 2, se.data() + 2 + d);
    const double norm = t.tail(d).norm();
    std::vector<double> direction;
    for (const double v : b) direction.push_back(norm > 0.0 ? v / norm : 0.0);
    items.push_back(
        {{"rcid", rc.rcid},
         {"title", own_title(rc)},
         {"kin_rcid", kin.rcid},
         {"kin_session", kin.session},
         {"kin_title", own_title(kin)},
         {"kin_rule", kin_rule_name(item.kin.rule)},
         {"similarity", item.kin.similarity},
         {"kin2_rcid", item.kin2 ? nlohmann::json(data.roll_calls[item.kin2->roll_call].rcid)
                                 : nlohmann::json()},
         {"placed", placed_name(item.placed)},
         {"voters", item.placement.voters},
         {"converged", item.placement.converged},
         {"a", t(0)},
         {"a_se", se(0)},
         {"c", t(1)},
         {"c_se", se(1)},
         {"cutpoints", {-t(1), -t(0)}},
         {"discrimination", b},
         {"discrimination_se", b_se},
         {"direction", direction}});
  }
  j["items"] = items;
  nlohmann::json skipped = nlohmann::json::array();
  for (const SkippedItem& k : s.skipped) {
    skipped.push_back({{"rcid", data.roll_calls[k.roll_call].rcid},
                       {"title", data.roll_calls[k.roll_call].title},
                       {"reason", k.reason}});
  }
  j["skipped"] = skipped;
  return j;
}

// Adds one cell to a method's running figures.
struct Tally {
  long cells = 0;
  long correct = 0;
  double brier = 0.0;
  double log_loss = 0.0;
  std::array<long, 3> true_positive{}, predicted_count{}, actual_count{};

  void add(const Eigen::Vector3d& p, int outcome) {
    ++cells;
    const int guess = predicted(p);
    correct += guess == outcome ? 1 : 0;
    for (int k = 0; k < 3; ++k) {
      const double o = k == outcome ? 1.0 : 0.0;
      brier += (p(k) - o) * (p(k) - o);
    }
    log_loss -= std::log((1.0 - 3.0 * kLogLossEpsilon) * p(outcome) + kLogLossEpsilon);
    ++predicted_count[guess];
    ++actual_count[outcome];
    if (guess == outcome) ++true_positive[guess];
  }

  MethodScore score(std::string method) const {
    MethodScore s;
    s.method = std::move(method);
    const double n = static_cast<double>(std::max(cells, 1L));
    s.accuracy = static_cast<double>(correct) / n;
    s.brier = brier / n;
    s.log_loss = log_loss / n;
    for (int k = 0; k < 3; ++k) {
      const long denominator = predicted_count[k] + actual_count[k];
      s.f1[k] = denominator == 0 ? 0.0
                                 : 2.0 * static_cast<double>(true_positive[k]) /
                                       static_cast<double>(denominator);
    }
    return s;
  }
};

Eigen::Vector3d one_hot(int k) {
  Eigen::Vector3d p = Eigen::Vector3d::Zero();
  p(k) = 1.0;
  return p;
}

}  // namespace

std::string format_csv(const VoteData& data, const Forecast& f) {
  std::string out = "rcid,code,p_yes,p_no,p_abstain,kin_rcid\n";
  for (const Cell& c : f.main.cells) {
    const Item& item = f.main.items[c.item];
    out += fmt::format("{},{},{:.6f},{:.6f},{:.6f},{}\n", data.roll_calls[item.roll_call].rcid,
                       f.main.members[c.member].alpha3, c.p(0), c.p(2), c.p(1),
                       data.roll_calls[item.kin.roll_call].rcid);
  }
  return out;
}

std::string format_json(const VoteData& data, const Forecast& f, const ForecastOptions& options) {
  nlohmann::json j;
  j["session"] = options.session;
  j["dims"] = options.dynamic.dims;
  j["kin_similarity_threshold"] = kKinSimilarityThreshold;
  j["forecast"] = stage_json(data, f.main);
  nlohmann::json weights;
  for (int k = 0; k < kBlendWeights; ++k) {
    weights[kBlendWeightNames[k]] = {{"estimate", f.weights.w(k)}, {"se", f.weights.se(k)}};
  }
  j["blend"] = {{"weights", weights},
                {"cells", f.weights.cells},
                {"log_likelihood", f.weights.log_likelihood},
                {"converged", f.weights.converged}};
  j["blend"]["fitted_on"] = nlohmann::json::array();
  for (const Stage& stage : f.blend_stages)
    j["blend"]["fitted_on"].push_back(stage_json(data, stage));
  return j.dump(2) + "\n";
}

Score score_stage(const VoteData& data, const Stage& stage) {
  // The target's recorded votes, by (roll call, code).
  std::map<std::pair<std::size_t, std::string>, Vote> recorded;
  Score score;
  for (const calibrate::CastVote& v : data.votes) {
    if (data.roll_calls[v.roll_call].session != stage.target || v.vote == Vote::kAbsent) continue;
    recorded[{static_cast<std::size_t>(v.roll_call), data.states[v.state].alpha3}] = v.vote;
    ++score.recorded;
  }
  if (score.recorded == 0) {
    throw DataError(
        fmt::format("--score: the data hold no recorded votes of session {}", stage.target));
  }
  // The fallback of "repeat the kin": the most common vote on the kin among the members
  // forecast (ties: Yes, then No, then Abstain).
  std::vector<std::array<long, 3>> kin_counts(stage.items.size(), std::array<long, 3>{});
  for (const Cell& c : stage.cells) {
    if (c.features.kin_vote >= 0) ++kin_counts[c.item][c.features.kin_vote];
  }
  Tally model, kin, yes;
  for (const Cell& c : stage.cells) {
    const Item& item = stage.items[c.item];
    const auto v = recorded.find({item.roll_call, stage.members[c.member].alpha3});
    if (v == recorded.end()) continue;
    const int outcome = class_of(v->second);
    model.add(c.p, outcome);
    yes.add(one_hot(0), outcome);
    int repeat = c.features.kin_vote;
    if (repeat < 0) {
      const std::array<long, 3>& counts = kin_counts[c.item];
      repeat = counts[0] >= counts[2] && counts[0] >= counts[1] ? 0
               : counts[2] >= counts[1]                         ? 2
                                                                : 1;
    }
    kin.add(one_hot(repeat), outcome);
  }
  score.cells = model.cells;
  score.coverage = static_cast<double>(score.cells) / static_cast<double>(score.recorded);
  score.methods = {model.score("forecast"), kin.score("repeat kin vote"), yes.score("all Yes")};
  return score;
}

Score score_forecast(const VoteData& data, const Forecast& forecast) {
  return score_stage(data, forecast.main);
}

std::string format_score(const Score& score, int session) {
  std::string out = fmt::format(
      "score on session {}: {} recorded votes forecast of {} on its roll calls (coverage {:.4f})\n",
      session, score.cells, score.recorded, score.coverage);
  out += fmt::format("  {:<16} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}\n", "method", "accuracy",
                     "Brier", "log loss", "F1 yes", "F1 abst", "F1 no");
  for (const MethodScore& m : score.methods) {
    out += fmt::format("  {:<16} {:>8.4f} {:>8.4f} {:>8.4f} {:>8.4f} {:>8.4f} {:>8.4f}\n", m.method,
                       m.accuracy, m.brier, m.log_loss, m.f1[0], m.f1[1], m.f1[2]);
  }
  return out;
}

}  // namespace plenary::forecast
