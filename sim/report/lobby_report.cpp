// plenary lobby's summary, CSV and JSON (include/plenary/report/lobby_report.hpp).

#include "plenary/report/lobby_report.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "plenary/report/report.hpp"
#include "plenary/util/text.hpp"
#include "report/strategy_json.hpp"

namespace plenary {

namespace {

using nlohmann::ordered_json;

ordered_json opt(const std::optional<double>& v) {
  return v ? ordered_json(*v) : ordered_json(nullptr);
}

// "original sponsor", "commits anyway (P 0.998)" or "".
std::string note(const LobbyEntry& e) {
  if (e.original_sponsor) return "original sponsor";
  if (e.near_certain) return fmt::format("commits anyway (P {:.3f})", e.p_commit);
  return "";
}

std::string num(const std::optional<double>& v, int digits, bool sign = false) {
  if (!v) return "-";
  return sign ? fmt::format("{:+.{}f}", *v, digits) : fmt::format("{:.{}f}", *v, digits);
}

// The full-precision text of a number for CSV ("" when undefined).
std::string csv_num(const std::optional<double>& v) {
  return v ? fmt::format("{}", *v) : std::string();
}

std::string reduction_text(const LobbyResult& r) {
  if (!r.variance_reduction) {
    return "Common random numbers: every run uses the baseline's draws; no candidate's gain "
           "varies between replicates, so there is no variance to reduce.\n";
  }
  return fmt::format(
      "Common random numbers: every run uses the baseline's draws, so each gain is a paired "
      "difference.\nVariance reduction against independent runs: {:.1f}x (sum over candidates "
      "of var(A) + var(B) over var(B - A)); intervals {:.1f}x narrower.\n",
      *r.variance_reduction, std::sqrt(*r.variance_reduction));
}

}  // namespace

std::string lobby_text(const Scenario& s, const LobbyResult& r, int top) {
  const int digits = r.goal.probability ? 3 : 2;
  std::string out = fmt::format("plenary lobby: {}, draft {}, goal {} ({})\n", s.name, r.draft,
                                r.goal.name, r.goal.label);
  out += fmt::format("  {}, seed {}; {} runs\n",
                     count_noun(static_cast<long long>(r.replicates), "replicate"), r.seed, r.runs);
  out +=
      fmt::format("Baseline: {} ± {}{}\n", num(r.baseline, digits), num(r.baseline_se, digits),
                  r.goal.recorded_only ? " (mean over the replicates with a recorded vote)" : "");
  out += reduction_text(r);
  const bool costs = std::any_of(r.ranking.begin(), r.ranking.end(),
                                 [](const LobbyEntry& e) { return e.candidate.cost != 1; });
  out += fmt::format("\n{:>4}  {:<22}{:>10}  {:<22}{}{:>9}  {}\n", "rank", "candidate", "gain",
                     "[95% interval]", costs ? fmt::format("{:>10}", "per cost") : "", "P(commit)",
                     "note");
  const std::size_t n =
      top < 0 ? r.ranking.size() : std::min(r.ranking.size(), static_cast<std::size_t>(top));
  for (std::size_t k = 0; k < n; ++k) {
    const LobbyEntry& e = r.ranking[k];
    std::string name = e.candidate.name + (e.candidate.bloc ? " (bloc)" : "");
    const std::string interval =
        fmt::format("[{}, {}]", num(e.figure.low, digits, true), num(e.figure.high, digits, true));
    out += fmt::format("{:>4}  {:<22}{:>10}  {:<22}{}{:>9.3f}  {}\n", e.rank, name,
                       num(e.figure.diff, digits, true), interval,
                       costs ? fmt::format("{:>10.4f}", e.score) : "", e.p_commit, note(e));
  }
  if (n < r.ranking.size()) {
    out += fmt::format("  ... {} more (--out lobby.csv lists them all)\n", r.ranking.size() - n);
  }
  if (!r.greedy.empty()) {
    out += fmt::format(
        "\nGreedy set (CELF, lazy re-evaluation){}:\n{:>4}  {:<22}{:>10}  {:<22}{:>12}  {}\n",
        costs ? ", by marginal gain per cost" : "", "pick", "candidate", "marginal",
        "[95% interval]", "cumulative", "runs");
    double spent = 0;
    for (std::size_t k = 0; k < r.greedy.size(); ++k) {
      const GreedyStep& g = r.greedy[k];
      spent += g.cost;
      const std::string interval = fmt::format("[{}, {}]", num(g.marginal.low, digits, true),
                                               num(g.marginal.high, digits, true));
      out += fmt::format("{:>4}  {:<22}{:>10}  {:<22}{:>12}  {}{}\n", k + 1, g.candidate,
                         num(g.marginal.diff, digits, true), interval,
                         num(g.marginal.b, digits) + " ± " + num(g.marginal.b_se, digits),
                         g.evaluations, costs ? fmt::format("  (cost so far {})", spent) : "");
    }
    out += fmt::format("Top {} of the single ranking: {}\n", r.top.size(), fmt::join(r.top, ", "));
    if (r.greedy_vs_top) {
      const PairedFigure& f = *r.greedy_vs_top;
      out += fmt::format(
          "  goal with the top set {} ± {}; greedy set {} ± {}; greedy - top {} [{}, {}]\n",
          num(f.a, digits), num(f.a_se, digits), num(f.b, digits), num(f.b_se, digits),
          num(f.diff, digits, true), num(f.low, digits, true), num(f.high, digits, true));
    }
    out +=
        "Greedy carries no optimality guarantee: the (1 - 1/e) bound holds only for a "
        "submodular goal, and a goal such as reach:N, adopted or margin need not be one.\n";
  }
  return out;
}

std::string lobby_csv(const LobbyResult& r) {
  std::string out = "rank,candidate,gain,lo,hi,se,baseline,with,cost,score,p_commit,note\n";
  for (const LobbyEntry& e : r.ranking) {
    out += fmt::format(
        "{},{},{},{},{},{},{},{},{},{},{},{}\n", e.rank, csv_field(e.candidate.name),
        csv_num(e.figure.diff), csv_num(e.figure.low), csv_num(e.figure.high),
        csv_num(e.figure.diff_se), csv_num(e.figure.a), csv_num(e.figure.b), e.candidate.cost,
        csv_num(std::isfinite(e.score) ? std::optional<double>(e.score) : std::nullopt), e.p_commit,
        csv_field(note(e)));
  }
  return out;
}

std::string lobby_json(const Scenario& s, const LobbyResult& r) {
  auto figure = [](const PairedFigure& f) {
    return ordered_json{{"value_without", opt(f.a)}, {"value_without_se", opt(f.a_se)},
                        {"value_with", opt(f.b)},    {"value_with_se", opt(f.b_se)},
                        {"gain", opt(f.diff)},       {"gain_se", opt(f.diff_se)},
                        {"lo", opt(f.low)},          {"hi", opt(f.high)}};
  };
  ordered_json ranking = ordered_json::array();
  for (const LobbyEntry& e : r.ranking) {
    ordered_json members = ordered_json::array();
    for (int i : e.candidate.members)
      members.push_back(s.members[static_cast<std::size_t>(i)].code);
    ordered_json row = {{"rank", e.rank},
                        {"candidate", e.candidate.name},
                        {"kind", e.candidate.bloc ? "bloc" : "member"},
                        {"members", std::move(members)},
                        {"cost", e.candidate.cost},
                        {"score", e.score}};
    row.update(figure(e.figure));
    row["variance_reduction"] = opt(e.variance_reduction);
    row["p_commit"] = e.p_commit;
    row["original_sponsor"] = e.original_sponsor;
    row["near_certain"] = e.near_certain;
    ranking.push_back(std::move(row));
  }
  ordered_json greedy = ordered_json::array();
  for (const GreedyStep& g : r.greedy) {
    ordered_json row = {{"candidate", g.candidate}, {"cost", g.cost}};
    row.update(figure(g.marginal));
    row["evaluations"] = g.evaluations;
    greedy.push_back(std::move(row));
  }
  ordered_json doc = strategy_header("plenary-lobby/1", s, r);
  doc.update(ordered_json{
      {"baseline", opt(r.baseline)},
      {"baseline_se", opt(r.baseline_se)},
      {"variance_reduction", opt(r.variance_reduction)},
      {"near_certain_threshold", kNearCertain},
      {"ranking", std::move(ranking)},
      {"greedy", std::move(greedy)},
      {"top", r.top},
      {"greedy_vs_top", r.greedy_vs_top ? figure(*r.greedy_vs_top) : ordered_json(nullptr)},
      {"greedy_guarantee", "none unless the goal is submodular in the set of commitments"}});
  return doc.dump(1) + "\n";
}

}  // namespace plenary
