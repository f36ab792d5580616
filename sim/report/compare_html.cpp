// The HTML report of plenary compare (docs/report.md, "Comparison report"): the two
// scenarios side by side, the differences with their intervals, and the members whose
// stance moves most. Self-contained like the run report: inline CSS and SVG only.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "plenary/report/compare_report.hpp"
#include "plenary/report/report.hpp"
#include "plenary/util/atomic_file.hpp"
#include "plenary/util/error.hpp"
#include "plenary/util/text.hpp"
#include "report/html_page.hpp"
#include "report/svg_base.hpp"
#include "report/svg_figures.hpp"
#include "report/wording.hpp"

namespace plenary {

namespace {

using svg::escape;
using svg::num;
using svg::text;

std::string value_cell(const std::optional<double>& v, const std::optional<double>& se, bool p) {
  if (!v) return "<td class=\"n\">&ndash;</td>";
  const int digits = p ? 3 : 2;
  return fmt::format("<td class=\"n\">{:.{}f}{}</td>", *v, digits,
                     se ? fmt::format(" &plusmn; {:.{}f}", *se, digits) : "");
}

std::string diff_cell(const PairedFigure& f) {
  if (!f.diff) return "<td></td><td></td>";
  const int digits = f.probability ? 3 : 2;
  const bool clear = f.low && f.high && (*f.low > 0 || *f.high < 0);
  return fmt::format(
      "<td class=\"n{}\">{:+.{}f}</td><td class=\"n\">{}</td>", clear ? " changed" : "", *f.diff,
      digits,
      f.low && f.high ? fmt::format("[{:+.{}f}, {:+.{}f}]", *f.low, digits, *f.high, digits) : "");
}

// The row before a draft's tallies: over which replicates each side's are means.
std::string tally_scope_row(const DraftComparison& d, long replicates) {
  std::string joined;
  for (const std::string& p : report::tally_scopes(d, replicates)) {
    joined += (joined.empty() ? "" : "; ") + p;
  }
  return fmt::format(
      "<tr data-key=\"recorded\"><th colspan=\"5\" class=\"note\">Recorded votes (means), {}"
      "</th></tr>\n",
      escape(joined));
}

// The figures of A, B and B - A; `draft` (for a draft's table) says before its tallies over
// which replicates they are means.
std::string figure_table(const std::vector<PairedFigure>& figures, std::string_view a_name,
                         std::string_view b_name, const DraftComparison* draft = nullptr,
                         long replicates = 0) {
  std::string out = fmt::format(
      "<table><thead><tr><th>figure</th><th>A: {}</th><th>B: {}</th><th>B &minus; A</th>"
      "<th>95% interval</th></tr></thead><tbody>\n",
      escape(a_name), escape(b_name));
  bool said = draft == nullptr;
  for (const PairedFigure& f : figures) {
    if (!said && report::is_tally_key(f.key)) {
      out += tally_scope_row(*draft, replicates);
      said = true;
    }
    out += fmt::format("<tr data-key=\"{}\"><td>{}</td>{}{}{}</tr>\n", escape(f.key),
                       escape(f.label), value_cell(f.a, f.a_se, f.probability),
                       value_cell(f.b, f.b_se, f.probability), diff_cell(f));
  }
  return out + "</tbody></table>\n";
}

// Differences of probabilities with their 95% intervals, one row each, around zero.
std::string forest_chart(const std::vector<std::pair<std::string, const PairedFigure*>>& rows) {
  if (rows.empty()) return "";
  svg::Frame f;
  f.left = 250;
  f.right = 24;
  f.top = 12;
  f.bottom = 46;
  f.height = f.top + f.bottom + 22.0 * static_cast<double>(rows.size());
  f.width = 640;
  double lo = 0, hi = 0;
  for (const auto& [label, fig] : rows) {
    lo = std::min({lo, fig->low.value_or(*fig->diff), *fig->diff});
    hi = std::max({hi, fig->high.value_or(*fig->diff), *fig->diff});
  }
  const double pad = std::max(0.02, 0.08 * (hi - lo));
  std::vector<double> ticks = svg::nice_ticks(lo - pad, hi + pad, 6, false);
  // The ticks close the axis on both sides, so that every interval lies inside it.
  const double step = ticks.size() >= 2 ? ticks[1] - ticks[0] : 0.1;
  while (ticks.front() > lo - pad / 2) ticks.insert(ticks.begin(), ticks.front() - step);
  while (ticks.back() < hi + pad / 2) ticks.push_back(ticks.back() + step);
  const svg::Scale sx{ticks.front(), ticks.back(), f.x0(), f.x1()};
  std::string out = svg::open_svg(f.width, f.height, "Differences B minus A with 95% intervals");
  const svg::Axis x_axis{sx, ticks, "B − A (probability), with its 95% interval"};
  const svg::Axis y_axis{svg::Scale{0, 1, f.y0(), f.y1()}, {}, "", false};
  out += svg::axes(f, x_axis, y_axis);
  out += fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\" "
      "stroke-width=\"1.5\"/>\n",
      num(sx(0)), num(f.y1()), num(f.y0()), svg::kInk);
  double y0 = f.top + 11;
  for (const auto& [label, fig] : rows) {
    const double x = sx(*fig->diff);
    out += text(f.x0() - 8, y0 + 4, label, "end");
    if (fig->low && fig->high) {
      out += fmt::format(
          "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" "
          "stroke-width=\"2\"/>\n",
          num(sx(*fig->low)), num(y0), num(sx(*fig->high)), num(y0), svg::kBlue);
    }
    out += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" fill=\"{}\"><title>{}: {:+.3f} "
        "[{:+.3f}, {:+.3f}]</title></rect>\n",
        num(x - 4), num(y0 - 4), svg::kBlue, escape(label), *fig->diff,
        fig->low.value_or(*fig->diff), fig->high.value_or(*fig->diff));
    y0 += 22;
  }
  return out + "</svg>\n";
}

// Expected stance in A (hollow circle) and B (filled diamond) of the members that move
// most, joined by a line; the shape, not only the colour, tells A from B.
std::string movers_chart(const std::vector<MemberMove>& moves, std::size_t top) {
  const std::size_t n = std::min(top, moves.size());
  if (n == 0) return "";
  svg::Frame f;
  f.left = 230;
  f.right = 24;
  f.top = 34;
  f.bottom = 46;
  f.width = 640;
  f.height = f.top + f.bottom + 20.0 * static_cast<double>(n);
  const std::vector<double> ticks = {-1, -0.5, 0, 0.5, 1};
  const svg::Scale sx{-1.05, 1.05, f.x0(), f.x1()};
  std::string out = svg::open_svg(f.width, f.height, "Members whose stance moves most");
  out += svg::axes(f, {sx, ticks, "expected stance: +1 co-sponsors a draft, −1 votes No on one"},
                   {svg::Scale{0, 1, f.y0(), f.y1()}, {}, "", false});
  out += fmt::format(
             "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"#fff\" stroke=\"{}\" "
             "stroke-width=\"2\"/>\n",
             num(f.x0() + 6), num(14.0), svg::kVermillion) +
         text(f.x0() + 16, 18, "A") +
         fmt::format("<path d=\"M{} {} l6 6 l-6 6 l-6 -6 z\" fill=\"{}\"/>\n", num(f.x0() + 56),
                     num(8.0), svg::kBlue) +
         text(f.x0() + 66, 18, "B");
  double y = f.top + 10;
  for (std::size_t k = 0; k < n; ++k) {
    const MemberMove& m = moves[k];
    const double xa = sx(m.stance_a), xb = sx(m.stance_b);
    std::string name = m.name.size() > 24 ? m.name.substr(0, 23) + "…" : m.name;
    out += text(f.x0() - 8, y + 4, fmt::format("{} {}", m.code, name), "end");
    out += fmt::format(
        "<g><title>{} ({}): stance {:+.2f} in A, {:+.2f} in B; change {:+.2f} "
        "± {:.2f}</title>\n",
        escape(m.name), escape(m.code), m.stance_a, m.stance_b, m.diff, m.diff_se);
    out += fmt::format(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" "
        "stroke-width=\"2\"/>\n",
        num(xa), num(y), num(xb), num(y), svg::kGrey);
    out += fmt::format(
        "<circle cx=\"{}\" cy=\"{}\" r=\"5\" fill=\"#fff\" stroke=\"{}\" "
        "stroke-width=\"2\"/>\n",
        num(xa), num(y), svg::kVermillion);
    out += fmt::format("<path d=\"M{} {} l6 6 l-6 6 l-6 -6 z\" fill=\"{}\"/>\n</g>\n", num(xb),
                       num(y - 6), svg::kBlue);
    y += 20;
  }
  return out + "</svg>\n";
}

std::string movers_table(const std::vector<MemberMove>& moves, std::size_t top) {
  std::string out =
      "<details><summary>Every member present in both, largest change first</summary>\n"
      "<table><thead><tr><th>code</th><th>member</th><th>A: P(co-sponsors any)</th>"
      "<th>A: P(No on any)</th><th>A: stance</th><th>B: P(co-sponsors any)</th>"
      "<th>B: P(No on any)</th><th>B: stance</th><th>change</th><th>95% interval</th></tr>"
      "</thead><tbody>\n";
  (void)top;
  for (const MemberMove& m : moves) {
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
        "<td class=\"n\">{:+.2f}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
        "<td class=\"n\">{:+.2f}</td><td class=\"n\">{:+.2f}</td>"
        "<td class=\"n\">[{:+.2f}, {:+.2f}]</td></tr>\n",
        escape(m.code), escape(m.name), svg::percent(m.sponsor_a), svg::percent(m.no_a), m.stance_a,
        svg::percent(m.sponsor_b), svg::percent(m.no_b), m.stance_b, m.diff,
        m.diff - kZ95 * m.diff_se, m.diff + kZ95 * m.diff_se);
  }
  return out + "</tbody></table></details>\n";
}

std::string side_description(char which, const ReportRun& run, std::uint64_t seed) {
  const Scenario& s = run.scenario;
  std::string out = fmt::format("<li><b>{}</b>: {} ", which, escape(s.name));
  if (!s.source.empty()) out += fmt::format("(<code>{}</code>) ", escape(s.source));
  out += fmt::format("&mdash; {}, {}, {}, seed {}", count_noun(run.model.members, "member"),
                     count_noun(static_cast<long long>(run.model.drafts.size()), "draft"),
                     count_noun(run.model.rounds, "round"), seed);
  for (const std::string& o : s.overrides) out += fmt::format("; <code>--set {}</code>", escape(o));
  for (const std::string& w : s.what_ifs) out += fmt::format("; <code>{}</code>", escape(w));
  return out + "</li>\n";
}

std::string reproduce_line(const ReportRun& a, const ReportRun& b, const Comparison& c) {
  std::string cmd =
      fmt::format("plenary compare {} {} --seed {} --replicates {}",
                  a.scenario.source.empty() ? "A.yaml" : a.scenario.source,
                  b.scenario.source.empty() ? "B.yaml" : b.scenario.source, c.seed_a, c.replicates);
  for (const std::string& o : b.scenario.overrides) cmd += " --set '" + o + "'";
  for (const std::string& w : b.scenario.what_ifs) {
    const std::size_t space = w.find(' ');
    cmd += " " + w.substr(0, space) + " '" + w.substr(space + 1) + "'";
  }
  if (!c.common_random_numbers) cmd += " --independent";
  return fmt::format(
      "<div class=\"repro\">To reproduce: <code>{}</code> with plenary {}. The same seed gives "
      "the same numbers on any number of threads.</div>\n",
      escape(cmd), kVersion);
}

// The charts of one draft in A and B, side by side (one of them alone when the other
// scenario lacks the draft).
std::string draft_pair(const ReportRun& a, const ReportRun& b, const DraftComparison& d) {
  const int ra = d.in_a ? a.scenario.find_draft(d.id) : -1;
  const int rb = d.in_b ? b.scenario.find_draft(d.id) : -1;
  std::string out = "<div class=\"grid\">\n";
  auto sponsorship = [&](const ReportRun& run, int r, char which) {
    return html::figure(svg::sponsorship_figure(run, static_cast<std::size_t>(r)),
                        fmt::format("<b>{}</b>: co-sponsors of {} after each round (median, "
                                    "5&ndash;95% band).",
                                    which, escape(d.id)));
  };
  auto seats = [&](const ReportRun& run, int r, char which) {
    return html::vote_figure(run, static_cast<std::size_t>(r), fmt::format("<b>{}</b>: ", which));
  };
  if (ra >= 0) out += sponsorship(a, ra, 'A');
  if (rb >= 0) out += sponsorship(b, rb, 'B');
  if (ra >= 0) out += seats(a, ra, 'A');
  if (rb >= 0) out += seats(b, rb, 'B');
  return out + "</div>\n";
}

}  // namespace

std::string compare_html(const ReportRun& a, const ReportRun& b, const Comparison& c, int top) {
  check_reportable(a);
  check_reportable(b);
  const std::string a_name = a.scenario.name.empty() ? "A" : a.scenario.name;
  const std::string b_name = b.scenario.name.empty() ? "B" : b.scenario.name;
  std::string body = fmt::format("<h1>{} <span class=\"note\">vs</span> {}</h1>\n", escape(a_name),
                                 escape(b_name));
  body += fmt::format(
      "<p class=\"meta\">{} each, {}. plenary {}. &plusmn; is one Monte-Carlo "
      "standard error; intervals are 95%, from the replicate-by-replicate differences.</p>\n",
      count_noun(c.replicates, "replicate"),
      c.common_random_numbers ? fmt::format("common random numbers (seed {})", c.seed_a)
                              : fmt::format("independent seeds {} and {}", c.seed_a, c.seed_b),
      kVersion);
  body += "<ul>\n" + side_description('A', a, c.seed_a) + side_description('B', b, c.seed_b) +
          "</ul>\n";
  body += reproduce_line(a, b, c);

  body += "<h2>The Assembly as a whole</h2>\n" + figure_table(c.overall, a_name, b_name);
  std::vector<std::pair<std::string, const PairedFigure*>> rows;
  for (const PairedFigure& f : c.overall) {
    if (f.probability && f.diff) rows.emplace_back(f.label, &f);
  }
  for (const DraftComparison& d : c.drafts) {
    for (const PairedFigure& f : d.figures) {
      if (f.probability && f.diff) rows.emplace_back(d.id + ": " + f.label, &f);
    }
  }
  const std::string forest = forest_chart(rows);
  if (!forest.empty()) {
    body += html::figure(forest,
                         "Differences B &minus; A of every probability defined in both "
                         "scenarios, with 95% intervals; an interval that misses the zero line is "
                         "a difference the replicates resolve.");
  }
  for (const DraftComparison& d : c.drafts) {
    const char* where = d.in_a && d.in_b ? "" : d.in_a ? " (A only)" : " (B only)";
    body += fmt::format("<h2>Draft {}{}{}{}</h2>\n", escape(d.id), where,
                        d.title.empty() ? "" : ": ", escape(d.title));
    body += figure_table(d.figures, a_name, b_name, &d, c.replicates) + draft_pair(a, b, d);
  }
  body += "<h2>Members whose stance moves most</h2>\n";
  const auto n = static_cast<std::size_t>(std::max(top, 0));
  const std::string movers = movers_chart(c.members, n);
  if (movers.empty()) {
    body += "<p class=\"note\">No member is present in both scenarios.</p>\n";
  } else {
    body += html::figure(
        movers,
        fmt::format("The {} whose expected stance changes most from A (hollow circle) to "
                    "B (filled diamond). A member's stance in one replicate is +1 if it "
                    "co-sponsors at least one draft, &minus;1 if it votes No on at least one "
                    "standing draft, their sum when both, 0 otherwise. Hover for the change "
                    "and its standard error.",
                    count_noun(static_cast<long long>(std::min(n, c.members.size())), "member")));
    body += movers_table(c.members, n);
  }
  body += fmt::format(
      "<p class=\"note\">Written by plenary {}. Figures: docs/compare.md; this report: "
      "docs/report.md.</p>\n",
      kVersion);
  return html::page(a_name + " vs " + b_name, body);
}

void write_compare_html(const std::filesystem::path& path, const ReportRun& a, const ReportRun& b,
                        const Comparison& c, int top) {
  check_writable(path);
  const std::string html = compare_html(a, b, c, top);
  write_file_atomically(path, html);
}

}  // namespace plenary
