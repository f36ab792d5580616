#include <fmt/format.h>

#include "plenary/report/report.hpp"
#include "plenary/util/text.hpp"
#include "report/wording.hpp"

namespace plenary {

namespace {

std::string se_text(const std::optional<double>& se) {
  return se ? fmt::format("{:.2f}", *se) : std::string("n/a");
}

std::string probability_line(std::string_view label, const Probability& p) {
  return fmt::format("  {:<28}{:>7.3f} ± {:.3f}\n", label, p.p, p.se);
}

std::string tally_row(std::string_view label, const std::optional<Distribution>& d) {
  if (!d) return fmt::format("    {:<9}{:>8}\n", label, "-");
  return fmt::format("    {:<9}{:>8.2f} {:>6} {:>5} {:>5} {:>5}\n", label, d->mean, se_text(d->se),
                     d->p5, d->p50, d->p95);
}

std::string percent(const std::optional<double>& p) {
  return p ? fmt::format("{:.0f}%", 100 * *p) : std::string("-");
}

void draft_section(std::string& out, const Scenario& scenario, const Model& model,
                   const DraftSummary& d, long replicates) {
  const Draft& draft = scenario.drafts[static_cast<std::size_t>(scenario.find_draft(d.id))];
  out += fmt::format("\nDraft {}{}{}\n", d.id, draft.title.empty() ? "" : ": ", draft.title);
  const Distribution& f = d.sponsors_final;
  out += fmt::format("  {:<28}{:>7.2f} ± {}   (5% {}, median {}, 95% {})\n",
                     "Co-sponsors at the close", f.mean, se_text(f.se), f.p5, f.p50, f.p95);
  for (const auto& [n, p] : d.p_reach) {
    out += probability_line(fmt::format("P(reaching {} co-sponsors)", n), p);
  }
  out += probability_line("P(adopted)", d.p_adopted);
  out += probability_line("P(adopted without a vote)", d.p_without_vote);
  out += probability_line("P(withdrawn)", d.p_withdrawn);
  const std::string scope =
      report::recorded_vote_scope(d.tally_replicates, static_cast<std::uint64_t>(replicates));
  if (d.tally_replicates == 0) {
    out += fmt::format("  Recorded votes: {}.\n", scope);
  } else {
    out += fmt::format("  Recorded votes, {}:\n", scope);
    out += fmt::format("    {:<9}{:>8} {:>6} {:>5} {:>5} {:>5}\n", "", "mean", "±", "5%", "50%",
                       "95%");
    out += tally_row("Yes", d.yes);
    out += tally_row("No", d.no);
    out += tally_row("Abstain", d.abstain);
    out += tally_row("Absent", d.absent);
  }
  if (d.most_uncertain.empty()) return;
  out += fmt::format("  Most uncertain votes:\n    {:<6}{:<28}{:>6}{:>6}{:>9}{:>8}{:>13}\n", "code",
                     "member", "yes", "no", "abstain", "absent", "co-sponsor");
  for (int i : d.most_uncertain) {
    const MemberSummary& m = d.members[static_cast<std::size_t>(i)];
    std::string name = scenario.members[static_cast<std::size_t>(i)].name;
    if (name.size() > 27) name = name.substr(0, 26) + "~";
    out += fmt::format("    {:<6}{:<28}{:>6}{:>6}{:>9}{:>8}{:>13}\n",
                       model.codes[static_cast<std::size_t>(i)], name, percent(m.p_yes),
                       percent(m.p_no), percent(m.p_abstain), percent(m.p_absent),
                       percent(m.p_sponsor));
  }
}

}  // namespace

std::string text_report(const Scenario& scenario, const Model& model, const Summary& summary) {
  std::string out = fmt::format("{}\n", scenario.name);
  out += fmt::format(
      "{}, {}, {}; {}, seed {}. ± is one standard error.\n", count_noun(model.members, "member"),
      count_noun(static_cast<long long>(model.drafts.size()), "draft"),
      count_noun(model.rounds, "round"), count_noun(summary.replicates, "replicate"), summary.seed);
  for (const std::string& o : scenario.overrides) out += fmt::format("  --set {}\n", o);
  for (const std::string& w : scenario.what_ifs) out += fmt::format("  what-if: {}\n", w);
  for (const DraftSummary& d : summary.drafts) {
    draft_section(out, scenario, model, d, summary.replicates);
  }
  return out;
}

}  // namespace plenary
