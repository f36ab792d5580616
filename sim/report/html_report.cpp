// The HTML report (docs/report.md): one self-contained page per run, every chart inline
// SVG drawn by svg_figures.cpp, every number also in a table (data-json names the JSON field
// it equals), and what is needed to reproduce the run.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "plenary/report/html.hpp"
#include "plenary/report/report.hpp"
#include "plenary/util/atomic_file.hpp"
#include "report/html_page.hpp"
#include "report/svg_base.hpp"
#include "report/svg_figures.hpp"
#include "report/wording.hpp"

namespace plenary {

namespace {

using svg::escape;

std::size_t u(int i) { return static_cast<std::size_t>(i); }

// System fonts only (no web fonts); two charts a row on wide screens, one when printed
// narrow; nothing is fetched.
constexpr std::string_view kStyle = R"css(
body { font-family: system-ui, "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
       color: #222; background: #fff; margin: 0 auto; padding: 12px 20px; max-width: 1180px;
       line-height: 1.4; }
h1 { font-size: 1.6em; margin: 0.2em 0; }
h2 { font-size: 1.3em; margin: 1.4em 0 0.3em; padding-top: 0.6em; border-top: 2px solid #222; }
.meta { color: #444; margin: 0.2em 0 0.8em; }
.repro { background: #f4f4f4; border-left: 4px solid #0072B2; padding: 6px 10px; }
code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 0.92em; }
table { border-collapse: collapse; margin: 0.4em 0; font-variant-numeric: tabular-nums; }
th, td { padding: 2px 10px 2px 0; text-align: left; vertical-align: top; }
td.n { text-align: right; }
thead th { border-bottom: 1px solid #888; }
.facts { display: flex; flex-wrap: wrap; gap: 8px 48px; align-items: flex-start; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr));
        gap: 12px 24px; }
figure { margin: 0; break-inside: avoid; }
figcaption { font-size: 0.88em; color: #333; max-width: 560px; }
svg { max-width: 100%; height: auto; font-size: 12px; display: block; }
svg .small, svg .label { font-size: 11px; }
svg .axis-title, svg .marker-label, svg .legend-count { font-size: 12px; font-weight: 600; }
svg .halo { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
.note { font-style: italic; color: #444; }
.outcome { border: 2px solid #888; border-radius: 6px; padding: 16px 20px; margin: 0 0 6px;
           background: #f7f7f7; }
.outcome .headline { font-size: 1.5em; font-weight: 700; margin: 0; }
.outcome .share { font-size: 1.2em; margin: 0.1em 0 0.6em; }
.outcome p { margin: 0.2em 0; }
details { margin: 0.6em 0; }
summary { cursor: pointer; font-weight: 600; }
.changed { font-weight: 700; }
@media print { body { max-width: none; } h2 { break-before: page; } }
)css";

std::string format_se(const std::optional<double>& se, std::string_view spec) {
  return se ? fmt::format(fmt::runtime(spec), *se) : std::string("n/a");
}

// A table row whose value cell names the JSON field it equals (docs/output.md).
std::string fact_row(std::string_view label, std::string_view json, std::string value,
                     std::string rest = "") {
  return fmt::format("<tr><th>{}</th><td class=\"n\" data-json=\"{}\">{}</td><td>{}</td></tr>\n",
                     escape(label), escape(json), value, rest);
}

std::string probability_row(std::string_view label, std::string_view json, const Probability& p) {
  return fact_row(label, json, fmt::format("{:.3f}", p.p), fmt::format("\u00b1 {:.3f}", p.se));
}

std::string header(const ReportRun& run) {
  const Scenario& s = run.scenario;
  std::string out = fmt::format("<h1>{}</h1>\n", escape(s.name.empty() ? "(unnamed)" : s.name));
  out += fmt::format(
      "<p class=\"meta\">{}, {}, {}; {}, seed {}. plenary {}. "
      "\u00b1 is one Monte-Carlo standard error.</p>\n",
      count_noun(run.model.members, "member"),
      count_noun(static_cast<long long>(run.model.drafts.size()), "draft"),
      count_noun(run.model.rounds, "round"), count_noun(run.results.replicates, "replicate"),
      run.results.seed, kVersion);
  const std::string file = s.source.empty() ? "SCENARIO.yaml" : s.source;
  std::string changes;
  for (const std::string& o : s.overrides) changes += " --set '" + o + "'";
  for (const std::string& w : s.what_ifs) {
    const std::size_t space = w.find(' ');
    changes += " " + w.substr(0, space) + " '" + w.substr(space + 1) + "'";
  }
  out += fmt::format(
      "<div class=\"repro\">To reproduce: <code>plenary run {} --seed {} --replicates {}{}</code> "
      "with plenary {}{}. Parameters below are after any <code>--set</code>; the same seed gives "
      "the same numbers on any number of threads.</div>\n",
      escape(file), run.results.seed, run.results.replicates, escape(changes), kVersion,
      s.sha256.empty() ? "" : fmt::format(" (scenario file SHA-256 <code>{}</code>)", s.sha256));
  return out;
}

std::string parameters_table(const ReportRun& run) {
  std::string out =
      "<details><summary>Parameters (MODEL.md names; per draft where it overrides them)"
      "</summary>\n<table><thead><tr><th>parameter</th><th>global</th>";
  for (const ModelDraft& d : run.model.drafts) out += "<th>" + escape(d.id) + "</th>";
  out += "</tr></thead><tbody>\n";
  for (const ParameterInfo& info : kParameters) {
    const double global = run.scenario.parameters.*(info.field);
    out += fmt::format("<tr><th>{}</th><td class=\"n\">{}</td>", info.name, global);
    for (const ModelDraft& d : run.model.drafts) {
      const double v = d.params.*(info.field);
      out += v == global ? fmt::format("<td class=\"n\">{}</td>", v)
                         : fmt::format("<td class=\"n changed\">{} *</td>", v);
    }
    out += "</tr>\n";
  }
  return out + "</tbody></table><p class=\"note\">* overridden for this draft.</p></details>\n";
}

std::string draft_rules(const ReportRun& run, std::size_t r) {
  const ModelDraft& d = run.model.drafts[r];
  std::vector<std::string> sponsors;
  for (int i : run.scenario.drafts[r].sponsors) sponsors.push_back(escape(run.model.codes[u(i)]));
  std::string out = "<table><tbody>\n";
  out += fmt::format("<tr><th>Original sponsors</th><td>{}</td></tr>\n",
                     fmt::format("{}", fmt::join(sponsors, ", ")));
  out += fmt::format("<tr><th>Open</th><td>rounds {} to {}</td></tr>\n", d.opens, d.closes - 1);
  out += fmt::format("<tr><th>Majority</th><td>{}</td></tr>\n",
                     d.majority == Majority::kSimple ? "simple (Yes &gt; No)"
                                                     : "two thirds of those present and voting");
  out += fmt::format("<tr><th>Lobbying effort</th><td>{}</td></tr>\n", d.lobbying);
  if (d.withdraw_below) {
    out +=
        fmt::format("<tr><th>Withdrawn</th><td>if its expected Yes share is below {}</td></tr>\n",
                    *d.withdraw_below);
  }
  return out + "</tbody></table>\n";
}

std::string tally_rows(const DraftSummary& d, long replicates) {
  const std::string scope =
      report::recorded_vote_scope(d.tally_replicates, static_cast<std::uint64_t>(replicates));
  std::string out =
      fmt::format("<tr><th colspan=\"3\" class=\"note\">Recorded votes: {}</th></tr>\n",
                  d.tally_replicates == 0 ? scope : "means " + scope);
  const std::pair<const char*, const std::optional<Distribution>*> rows[] = {
      {"yes", &d.yes}, {"no", &d.no}, {"abstain", &d.abstain}, {"absent", &d.absent}};
  for (const auto& [key, dist] : rows) {
    if (!*dist) continue;
    const Distribution& x = **dist;
    std::string label = key;
    label[0] = static_cast<char>(label[0] - 'a' + 'A');
    out += fact_row("  " + label, fmt::format("tally.{}.mean", key), fmt::format("{:.2f}", x.mean),
                    fmt::format("\u00b1 {} (5% {}, median {}, 95% {})", format_se(x.se, "{:.2f}"),
                                x.p5, x.p50, x.p95));
  }
  return out;
}

std::string draft_outcomes(const ReportRun& run, std::size_t r) {
  const DraftSummary& d = run.summary.drafts[r];
  const Distribution& f = d.sponsors_final;
  std::string out = "<table><tbody>\n";
  out += fact_row("Co-sponsors at the close", "sponsors.final.mean", fmt::format("{:.2f}", f.mean),
                  fmt::format("\u00b1 {} (5% {}, median {}, 95% {})", format_se(f.se, "{:.2f}"),
                              f.p5, f.p50, f.p95));
  for (const auto& [n, p] : d.p_reach) {
    out += probability_row(fmt::format("P(reaching {} co-sponsors)", n),
                           fmt::format("p_reach.{}.p", n), p);
  }
  out += probability_row("P(adopted)", "p_adopted.p", d.p_adopted);
  out += probability_row("P(adopted without a vote)", "p_without_vote.p", d.p_without_vote);
  out += probability_row("P(withdrawn)", "p_withdrawn.p", d.p_withdrawn);
  out +=
      fact_row("Replicates with a recorded vote", "tally.replicates",
               fmt::format("{}", d.tally_replicates), fmt::format("of {}", run.results.replicates));
  return out + tally_rows(d, run.results.replicates) + "</tbody></table>\n";
}

std::string cell(const std::optional<double>& p) {
  return p ? "<td class=\"n\">" + svg::percent(*p) + "</td>" : "<td class=\"n\">&ndash;</td>";
}

std::string members_table(const ReportRun& run, std::size_t r) {
  const DraftSummary& d = run.summary.drafts[r];
  std::string out = fmt::format(
      "<details><summary>All {}: P(co-sponsor) and vote probabilities</summary>\n"
      "<table><thead><tr><th>code</th><th>member</th><th>co-sponsor</th><th>Yes</th><th>No</th>"
      "<th>Abstain</th><th>Absent</th><th>most likely</th></tr></thead><tbody>\n",
      count_noun(static_cast<long long>(d.members.size()), "member"));
  for (const MemberSummary& m : d.members) {
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td>{}{}{}{}<td>{}</td></tr>\n",
        escape(run.model.codes[u(m.member)]), escape(run.scenario.members[u(m.member)].name),
        svg::percent(m.p_sponsor), cell(m.p_yes), cell(m.p_no), cell(m.p_abstain), cell(m.p_absent),
        svg::seat_state_name(svg::most_likely_vote(m)));
  }
  return out + "</tbody></table></details>\n";
}

std::string figure(const std::string& svg_text, const std::string& caption) {
  return html::figure(svg_text, caption);
}

std::string tally_caption(const ReportRun& run, std::size_t r) {
  const DraftSummary& d = run.summary.drafts[r];
  const Majority rule = run.model.drafts[r].majority;
  const int yes = svg::adoption_yes(rule, d.no->p50);
  return fmt::format(
      "Recorded Yes (blue, left bars) and No (vermillion, right bars) counts, {}. Adoption "
      "needs {}, so the Yes needed depends on each replicate's No; the dashed line marks it at "
      "the median recorded No ({}): Yes &ge; {}.",
      report::recorded_vote_scope(d.tally_replicates,
                                  static_cast<std::uint64_t>(run.results.replicates)),
      rule == Majority::kSimple ? "Yes &gt; No"
                                : "Yes &gt; No and Yes at least two thirds of Yes + No",
      d.no->p50, yes);
}

std::string draft_figures(const ReportRun& run, std::size_t r) {
  const std::string id = escape(run.model.drafts[r].id);
  std::string out = "<div class=\"grid\">\n";
  out += figure(svg::sponsorship_figure(run, r),
                fmt::format("Co-sponsors of {} after each round, original sponsors included: the "
                            "line is the median over {}, the band holds the middle "
                            "90% (5th to 95th percentile); dashed lines mark the reference "
                            "counts of <code>run.thresholds</code>.",
                            id, count_noun(run.results.replicates, "replicate")));
  out += html::vote_figure(run, r, "");
  const std::string tally = svg::tally_figure(run, r);
  out += tally.empty() ? "<p class=\"note\">No replicate recorded a vote on this draft.</p>\n"
                       : figure(tally, tally_caption(run, r));
  out += figure(svg::space_figure(run, r),
                fmt::format("Members in the policy space ({}), coloured by their probability of "
                            "co-sponsoring {} by its close. Diamonds mark draft positions ({} "
                            "filled), crosses the status quo.",
                            run.model.dims == 1   ? "one dimension"
                            : run.model.dims == 2 ? "two dimensions"
                                                  : "the first two of three dimensions",
                            id, id));
  return out + "</div>\n";
}

std::string draft_section(const ReportRun& run, std::size_t r) {
  const Draft& draft = run.scenario.drafts[r];
  std::string out =
      fmt::format("<section class=\"draft\" id=\"draft-{}\">\n<h2>Draft {}{}{}</h2>\n", r + 1,
                  escape(draft.id), draft.title.empty() ? "" : ": ", escape(draft.title));
  out += "<div class=\"facts\">\n" + draft_outcomes(run, r) + draft_rules(run, r) + "</div>\n";
  out += draft_figures(run, r) + members_table(run, r);
  return out + "</section>\n";
}

std::string page(std::string_view title, const std::string& body) {
  return html::page(title, body);
}

}  // namespace

namespace html {

std::string page(std::string_view title, const std::string& body) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"plenary {}\">\n<title>{}</title>\n<style>{}</style>\n"
      "</head>\n<body>\n{}</body>\n</html>\n",
      kVersion, svg::escape(title), kStyle, body);
}

std::string figure(const std::string& svg_text, const std::string& caption) {
  return "<figure>\n" + svg_text + "<figcaption>" + caption + "</figcaption>\n</figure>\n";
}

std::string share(std::uint64_t count, std::uint64_t total) {
  if (total == 0 || count == 0) return "0%";
  if (count == total) return "100%";
  const double p = 100.0 * static_cast<double>(count) / static_cast<double>(total);
  if (p < 0.05) return "<0.1%";
  if (p >= 99.95) return ">99.9%";
  return fmt::format("{:.1f}%", p);
}

namespace {

// The outcomes of one draft's replicates: withdrawn, adopted without a vote, or put to a
// recorded vote (these three partition the replicates).
struct Outcomes {
  std::uint64_t total, withdrawn, without_vote, recorded;
};

std::string outcome_line(std::string_view what, std::uint64_t n, std::uint64_t total) {
  return fmt::format("{} in {} of replicates ({} of {})", what, share(n, total), n, total);
}

// The panel in the seat chart's place when a recorded vote is not the most likely outcome.
std::string outcome_panel(const Outcomes& o, std::string_view id, std::string_view who) {
  const bool withdrawn_first = o.withdrawn > o.without_vote;
  const std::string_view headline = withdrawn_first ? "Withdrawn" : "Adopted without a vote";
  const std::uint64_t n = withdrawn_first ? o.withdrawn : o.without_vote;
  std::string out = fmt::format(
      "<figure>\n<div class=\"outcome\" role=\"img\" aria-label=\"{0} in {1} of "
      "replicates\">\n<p class=\"headline\">{0}</p>\n<p class=\"share\">in {1} of replicates "
      "({2} of {3})</p>\n",
      escape(headline), escape(share(n, o.total)), n, o.total);
  const std::uint64_t other = withdrawn_first ? o.without_vote : o.withdrawn;
  if (other > 0) {
    out += fmt::format("<p>{}.</p>\n",
                       escape(outcome_line(withdrawn_first ? "Adopted without a vote" : "Withdrawn",
                                           other, o.total)));
  }
  out += o.recorded == 0
             ? std::string("<p>No recorded vote in any replicate.</p>\n")
             : fmt::format("<p>{}: its tallies are in the chart of recorded counts.</p>\n",
                           escape(outcome_line("A recorded vote", o.recorded, o.total)));
  out += "</div>\n";
  return out + fmt::format(
                   "<figcaption>{}No seat chart for {}: a recorded vote is not its most likely "
                   "outcome, and a chart of seats would suggest one.</figcaption>\n</figure>\n",
                   who, escape(id));
}

}  // namespace

std::string vote_figure(const ReportRun& run, std::size_t r, std::string_view who) {
  const DraftCounts& c = run.results.drafts[r];
  const auto total = static_cast<std::uint64_t>(run.results.replicates);
  const Outcomes o{total, total - c.stood, c.without_vote, c.recorded};
  const std::string id = escape(run.model.drafts[r].id);
  if (o.recorded == 0 || o.recorded < o.without_vote || o.recorded < o.withdrawn) {
    return outcome_panel(o, id, who);
  }
  std::string others;
  if (o.without_vote > 0) {
    others += fmt::format("; adopted without a vote in {}", share(o.without_vote, total));
  }
  if (o.withdrawn > 0) others += fmt::format("; withdrawn in {}", share(o.withdrawn, total));
  return figure(
      svg::seat_figure(run, r),
      fmt::format("{}The most likely vote of each member on {} (the largest of its P(Yes), P(No), "
                  "P(Abstain), P(absent) over the {} in which the draft stood), from the left: "
                  "Yes, Abstain, Absent, no vote, No. The Assembly recorded a vote in {} of "
                  "replicates ({} of {}){}. Hover a seat for the member and its probabilities; "
                  "the table below lists them all.",
                  who, id, count_noun(static_cast<long long>(c.stood), "replicate"),
                  share(o.recorded, total), o.recorded, total, others));
}

}  // namespace html

void check_reportable(const ReportRun& run) {
  if (run.results.replicates < 1 || run.summary.replicates < 1) {
    throw DataError(
        "cannot write the report: the run kept no replicates; run at least one (--replicates)");
  }
  const Model& m = run.model;
  const std::size_t n1 = u(m.members) + 1, rounds = u(m.rounds) + 1;
  bool ok = run.results.members == m.members && run.results.rounds == m.rounds &&
            run.results.drafts.size() == m.drafts.size() &&
            run.summary.drafts.size() == m.drafts.size() &&
            run.scenario.members.size() == u(m.members) &&
            run.scenario.drafts.size() == m.drafts.size();
  for (std::size_t r = 0; ok && r < m.drafts.size(); ++r) {
    const DraftSummary& d = run.summary.drafts[r];
    ok = run.results.drafts[r].tally.size() == kVotes * n1 && d.id == m.drafts[r].id &&
         d.members.size() == u(m.members) && d.sponsors_by_round.size() == rounds;
  }
  if (!ok) {
    throw DataError(fmt::format(
        "cannot write the report: the results do not match scenario '{}' ({} members, {} drafts, "
        "{} rounds); report a run of this scenario",
        run.scenario.name, m.members, m.drafts.size(), m.rounds));
  }
}

std::string html_report(const ReportRun& run) {
  check_reportable(run);
  std::string body = header(run) + parameters_table(run);
  for (std::size_t r = 0; r < run.model.drafts.size(); ++r) body += draft_section(run, r);
  body += fmt::format(
      "<p class=\"note\">Written by plenary {}. Field meanings: docs/output.md; this report: "
      "docs/report.md.</p>\n",
      kVersion);
  return page(run.scenario.name.empty() ? "plenary report" : run.scenario.name, body);
}

std::string html_report(const Scenario& scenario, const Model& model, const Results& results,
                        const Summary& summary) {
  return html_report(ReportRun{scenario, model, results, summary});
}

void write_html_report(const std::filesystem::path& path, const ReportRun& run) {
  check_writable(path);
  const std::string html = html_report(run);
  write_file_atomically(path, html);
}

}  // namespace plenary
