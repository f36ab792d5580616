// plenary draft --report: the best text, the frontier and (in 2-D) the heatmap as one
// self-contained page (include/plenary/report/draft_report.hpp).

#include <fmt/format.h>

#include "plenary/report/draft_report.hpp"
#include "plenary/report/report.hpp"
#include "plenary/util/text.hpp"
#include "report/html_page.hpp"
#include "report/svg_base.hpp"

namespace plenary {

namespace {

using svg::escape;

std::string value(const std::optional<double>& v, int digits, bool sign = false) {
  if (!v) return "&ndash;";
  return sign ? fmt::format("{:+.{}f}", *v, digits) : fmt::format("{:.{}f}", *v, digits);
}

std::string vec(const Eigen::VectorXd& v) {
  std::string out = "[";
  for (Eigen::Index k = 0; k < v.size(); ++k) out += fmt::format("{}{:.3f}", k ? ", " : "", v[k]);
  return out + "]";
}

std::string interval(const PairedFigure& f, int digits) {
  if (!f.b || !f.b_se) return "&ndash;";
  return fmt::format("[{}, {}]", value(*f.b - kZ95 * *f.b_se, digits),
                     value(*f.b + kZ95 * *f.b_se, digits));
}

std::string row(const Scenario& s, const std::string& what, const DraftPoint& p, int digits) {
  return fmt::format(
      "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} &plusmn; {}</td><td>{}</td><td>{} [{}, "
      "{}]</td><td>{:.3f}</td><td>{:.3f}{}</td></tr>\n",
      what, vec(p.position), vec(p.status_quo), value(p.figure.b, digits),
      value(p.figure.b_se, digits), interval(p.figure, digits), value(p.figure.diff, digits, true),
      value(p.figure.low, digits, true), value(p.figure.high, digits, true), p.distance, p.keep_min,
      p.keep_member >= 0
          ? " (" + escape(s.members[static_cast<std::size_t>(p.keep_member)].code) + ")"
          : "");
}

}  // namespace

std::string draft_html(const Scenario& s, const DraftSearchResult& r, const std::string& command) {
  const int digits = r.goal.probability ? 3 : 2;
  const std::string name = s.name.empty() ? "scenario" : s.name;
  const std::string& main = s.members[static_cast<std::size_t>(r.main_sponsor)].code;
  std::string kept;
  for (std::size_t k = 0; k < r.keep.size(); ++k) {
    kept += (k ? ", " : "") + escape(s.members[static_cast<std::size_t>(r.keep[k])].code);
  }
  std::string body = fmt::format("<h1>Where to place {} <span class=\"note\">in</span> {}</h1>\n",
                                 escape(r.draft), escape(name));
  body += fmt::format(
      "<p class=\"meta\">Goal: {} ({}). {} per position, every position on seed {} (common "
      "random numbers), {} runs. plenary {}. &plusmn; is one Monte-Carlo standard error; "
      "intervals are 95%; gains over the current text are paired, replicate by "
      "replicate.</p>\n",
      escape(r.goal.name), escape(r.goal.label),
      count_noun(static_cast<long long>(r.replicates), "replicate"), r.seed, r.runs, kVersion);
  body += fmt::format(
      "<p>Kept on board: {}, {}. The search: a grid of {} points per dimension over the "
      "members' positions widened by {:.0f}% on each side, then {} finer grids of {} points "
      "per dimension around the best point{}.</p>\n",
      kept,
      r.radius ? fmt::format("each within {} of the text", *r.radius)
               : fmt::format("each on board with probability at least {}", r.keep_probability),
      r.grid, 100 * kDraftMargin, kRefineLevels, kRefinePoints,
      r.status_quo_searched ? "; then the status quo the same way, the text held at its best" : "");
  body +=
      "<table><thead><tr><th></th><th>text</th><th>status quo</th><th>goal</th>"
      "<th>95% interval</th><th>gain [95%]</th><th>distance from " +
      escape(main) + "</th><th>P(on board), lowest</th></tr></thead><tbody>\n";
  body += row(s, "current", r.current, digits);
  if (r.best) body += row(s, "<b>best</b>", r.points[*r.best], digits);
  body += "</tbody></table>\n";
  if (!r.best) {
    body += "<p><b>No position searched keeps every listed member on board.</b></p>\n";
  } else {
    body +=
        "<p class=\"note\">The best point's value is the largest of many estimates on the same "
        "draws, so it is biased upward; run it again on another seed to check.</p>\n";
  }
  body += fmt::format(
      "<div class=\"repro\">To reproduce: <code>{}</code> with plenary {}. The same seed gives "
      "the same numbers on any number of threads.</div>\n",
      escape(command), kVersion);
  if (const std::string heat = draft_heatmap_svg(s, r); !heat.empty()) {
    body += html::figure(
        heat, fmt::format("{} over the policy space (the coarse grid; faded: a text that loses a "
                          "kept member). Dots: the members, kept members larger and orange; ring: "
                          "the current text; diamond: the best text.",
                          escape(r.goal.label)));
  }
  body += html::figure(
      draft_frontier_svg(s, r),
      fmt::format("The frontier: the best {} a text can reach within each distance from {}'s "
                  "ideal point, with 95% intervals (grey: every position searched; ring: the "
                  "current text; diamond: the best).",
                  escape(r.goal.label), escape(main)));
  body +=
      "<h2>Frontier</h2>\n<table><thead><tr><th>distance</th><th>goal</th><th>95% "
      "interval</th><th>gain</th><th>text</th></tr></thead><tbody>\n";
  for (std::size_t j : r.frontier) {
    const DraftPoint& p = r.points[j];
    body += fmt::format("<tr><td>{:.3f}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                        p.distance, value(p.figure.b, digits), interval(p.figure, digits),
                        value(p.figure.diff, digits, true), vec(p.position));
  }
  body += "</tbody></table>\n";
  body += fmt::format(
      "<p class=\"note\">Written by plenary {}. Figures and method: docs/strategy.md.</p>\n",
      kVersion);
  return html::page("Where to place " + r.draft + " in " + name, body);
}

}  // namespace plenary
