// plenary lobby --report: the ranking and the greedy path as one self-contained page
// (include/plenary/report/lobby_report.hpp).

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "plenary/report/lobby_report.hpp"
#include "plenary/report/report.hpp"
#include "plenary/util/text.hpp"
#include "report/html_page.hpp"
#include "report/svg_base.hpp"

namespace plenary {

namespace {

using svg::escape;
using svg::num;

std::string value(const std::optional<double>& v, int digits, bool sign = false) {
  if (!v) return "&ndash;";
  return sign ? fmt::format("{:+.{}f}", *v, digits) : fmt::format("{:.{}f}", *v, digits);
}

// The gains of the first `n` candidates with their 95% intervals, best at the top.
std::string gain_chart(const LobbyResult& r, std::size_t n, int digits) {
  n = std::min(n, r.ranking.size());
  if (n == 0) return "";
  svg::Frame f;
  f.left = 170;
  f.right = 24;
  f.top = 12;
  f.bottom = 46;
  f.width = 640;
  f.height = f.top + f.bottom + 22.0 * static_cast<double>(n);
  double lo = 0, hi = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const PairedFigure& g = r.ranking[k].figure;
    if (!g.diff) continue;
    lo = std::min({lo, g.low.value_or(*g.diff), *g.diff});
    hi = std::max({hi, g.high.value_or(*g.diff), *g.diff});
  }
  const double pad = std::max(r.goal.probability ? 0.02 : 0.1, 0.08 * (hi - lo));
  std::vector<double> ticks = svg::nice_ticks(lo - pad, hi + pad, 6, false);
  const double step = ticks.size() >= 2 ? ticks[1] - ticks[0] : 0.1;
  while (ticks.front() > lo - pad / 2) ticks.insert(ticks.begin(), ticks.front() - step);
  while (ticks.back() < hi + pad / 2) ticks.push_back(ticks.back() + step);
  const svg::Scale sx{ticks.front(), ticks.back(), f.x0(), f.x1()};
  std::string out = svg::open_svg(f.width, f.height, "Gains with 95% intervals");
  out += svg::axes(f, {sx, ticks, "gain over the baseline, with its 95% interval"},
                   {svg::Scale{0, 1, f.y0(), f.y1()}, {}, "", false});
  out += fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\" "
      "stroke-width=\"1.5\"/>\n",
      num(sx(0)), num(f.y1()), num(f.y0()), svg::kInk);
  double y = f.top + 11;
  for (std::size_t k = 0; k < n; ++k) {
    const LobbyEntry& e = r.ranking[k];
    const PairedFigure& g = e.figure;
    const std::string label =
        fmt::format("{}. {}{}", e.rank, e.candidate.name, e.candidate.bloc ? " (bloc)" : "");
    out += svg::text(f.x0() - 8, y + 4, label, "end");
    if (g.diff) {
      if (g.low && g.high) {
        out += fmt::format(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" "
            "stroke-width=\"2\"/>\n",
            num(sx(*g.low)), num(y), num(sx(*g.high)), num(y), svg::kBlue);
      }
      // Candidates that commit anyway are hollow: marked, not hidden.
      const bool hollow = e.original_sponsor || e.near_certain;
      out += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" fill=\"{}\" stroke=\"{}\" "
          "stroke-width=\"1.5\"><title>{}: {} [{}, {}]{}</title></rect>\n",
          num(sx(*g.diff) - 4), num(y - 4), hollow ? "#fff" : svg::kBlue, svg::kBlue, escape(label),
          value(g.diff, digits, true), value(g.low, digits, true), value(g.high, digits, true),
          hollow ? " (commits anyway)" : "");
    }
    y += 22;
  }
  return out + "</svg>\n";
}

}  // namespace

std::string lobby_html(const Scenario& s, const LobbyResult& r, const std::string& command,
                       int top) {
  const int digits = r.goal.probability ? 3 : 2;
  const std::string name = s.name.empty() ? "scenario" : s.name;
  std::string body = fmt::format("<h1>Lobbying for {} <span class=\"note\">in</span> {}</h1>\n",
                                 escape(r.draft), escape(name));
  body += fmt::format(
      "<p class=\"meta\">Goal: {} ({}). {}, every run on seed {} (common random numbers). "
      "plenary {}. &plusmn; is one Monte-Carlo standard error; intervals are 95%, from the "
      "replicate-by-replicate differences.</p>\n",
      escape(r.goal.name), escape(r.goal.label),
      count_noun(static_cast<long long>(r.replicates), "replicate"), r.seed, kVersion);
  body +=
      fmt::format("<p>Baseline: <b>{} &plusmn; {}</b>{}.</p>\n", value(r.baseline, digits),
                  value(r.baseline_se, digits),
                  r.goal.recorded_only ? " (mean over the replicates with a recorded vote)" : "");
  if (r.variance_reduction) {
    body += fmt::format(
        "<p>Variance reduction against independent runs: <b>{:.1f}&times;</b> (the sum over "
        "candidates of var(A) + var(B) over var(B &minus; A)): intervals {:.1f} times narrower "
        "than two independent runs of the same length would give.</p>\n",
        *r.variance_reduction, std::sqrt(*r.variance_reduction));
  }
  body += fmt::format(
      "<div class=\"repro\">To reproduce: <code>{}</code> with plenary {}. The same seed gives "
      "the same numbers on any number of threads.</div>\n",
      escape(command), kVersion);
  const auto n = static_cast<std::size_t>(std::max(top, 0));
  const std::string chart = gain_chart(r, n, digits);
  if (!chart.empty()) {
    body += html::figure(
        chart, fmt::format("The {} best candidates' gains in {} over the baseline, with 95% "
                           "intervals. Hollow: an original sponsor, or a member that co-sponsors "
                           "with probability at least {} anyway.",
                           std::min(n, r.ranking.size()), escape(r.goal.label), kNearCertain));
  }
  body +=
      "<h2>Ranking</h2>\n<table><thead><tr><th>rank</th><th>candidate</th><th>gain</th>"
      "<th>95% interval</th><th>with</th><th>cost</th><th>score</th><th>P(commit)</th>"
      "<th>note</th></tr></thead><tbody>\n";
  for (const LobbyEntry& e : r.ranking) {
    std::string note;
    if (e.original_sponsor) {
      note = "original sponsor";
    } else if (e.near_certain) {
      note = "commits anyway";
    }
    body += fmt::format(
        "<tr><td>{}</td><td>{}{}</td><td>{}</td><td>[{}, {}]</td><td>{}</td><td>{}</td>"
        "<td>{:.4g}</td><td>{:.3f}</td><td>{}</td></tr>\n",
        e.rank, escape(e.candidate.name), e.candidate.bloc ? " (bloc)" : "",
        value(e.figure.diff, digits, true), value(e.figure.low, digits, true),
        value(e.figure.high, digits, true), value(e.figure.b, digits), e.candidate.cost, e.score,
        e.p_commit, note);
  }
  body += "</tbody></table>\n";
  if (!r.greedy.empty()) {
    body +=
        "<h2>Greedy set (CELF)</h2>\n<table><thead><tr><th>pick</th><th>candidate</th>"
        "<th>marginal gain</th><th>95% interval</th><th>cumulative</th><th>runs</th>"
        "</tr></thead><tbody>\n";
    for (std::size_t k = 0; k < r.greedy.size(); ++k) {
      const GreedyStep& g = r.greedy[k];
      body += fmt::format(
          "<tr><td>{}</td><td>{}</td><td>{}</td><td>[{}, {}]</td><td>{} &plusmn; {}</td>"
          "<td>{}</td></tr>\n",
          k + 1, escape(g.candidate), value(g.marginal.diff, digits, true),
          value(g.marginal.low, digits, true), value(g.marginal.high, digits, true),
          value(g.marginal.b, digits), value(g.marginal.b_se, digits), g.evaluations);
    }
    body += "</tbody></table>\n";
    std::vector<std::string> top_names;
    for (const std::string& t : r.top) top_names.push_back(escape(t));
    body += fmt::format("<p>Top {} of the single ranking: {}.", r.top.size(),
                        fmt::join(top_names, ", "));
    if (r.greedy_vs_top) {
      const PairedFigure& g = *r.greedy_vs_top;
      body += fmt::format(
          " Goal with the top set {} &plusmn; {}, with the greedy set {} &plusmn; "
          "{}; greedy &minus; top {} [{}, {}].",
          value(g.a, digits), value(g.a_se, digits), value(g.b, digits), value(g.b_se, digits),
          value(g.diff, digits, true), value(g.low, digits, true), value(g.high, digits, true));
    }
    body +=
        "</p>\n<p class=\"note\">Greedy carries no optimality guarantee: the (1 &minus; 1/e) "
        "bound holds only for a submodular goal, and a goal such as reach:N, adopted or "
        "margin need not be one.</p>\n";
  }
  body += fmt::format(
      "<p class=\"note\">Written by plenary {}. Figures and method: docs/strategy.md.</p>\n",
      kVersion);
  return html::page("Lobbying for " + r.draft + " in " + name, body);
}

}  // namespace plenary
