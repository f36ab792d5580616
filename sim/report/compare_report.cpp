// plenary compare's table and JSON (include/plenary/report/compare_report.hpp).

#include "plenary/report/compare_report.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "plenary/report/report.hpp"
#include "plenary/util/text.hpp"
#include "report/wording.hpp"

namespace plenary {

namespace {

using nlohmann::ordered_json;

std::string value_text(const std::optional<double>& v, const std::optional<double>& se,
                       bool probability) {
  if (!v) return "-";
  const int digits = probability ? 3 : 2;
  if (!se) return fmt::format("{:.{}f}", *v, digits);
  return fmt::format("{:.{}f} ± {:.{}f}", *v, digits, *se, digits);
}

std::string diff_text(const PairedFigure& f) {
  if (!f.diff) return "";
  const int digits = f.probability ? 3 : 2;
  std::string out = fmt::format("{:+.{}f}", *f.diff, digits);
  if (f.low && f.high)
    out += fmt::format("  [{:+.{}f}, {:+.{}f}]", *f.low, digits, *f.high, digits);
  return out;
}

// Which replicates each side's tallies are means over, said before them.
std::string tally_scope(const DraftComparison& d, long replicates) {
  std::string out;
  for (const std::string& scope : report::tally_scopes(d, replicates)) {
    out += fmt::format("  Tallies {}\n", scope);
  }
  return out;
}

void figure_rows(std::string& out, const std::vector<PairedFigure>& figures,
                 const std::string& before_tallies = "") {
  bool said = false;
  for (const PairedFigure& f : figures) {
    if (!said && report::is_tally_key(f.key)) {
      out += before_tallies;
      said = true;
    }
    out +=
        fmt::format("  {:<30}{:>17}{:>17}   {}\n", f.label, value_text(f.a, f.a_se, f.probability),
                    value_text(f.b, f.b_se, f.probability), diff_text(f));
  }
}

std::string side_line(char which, const Scenario& s) {
  std::string out = fmt::format("  {}: {}", which, s.name);
  if (!s.source.empty()) out += fmt::format(" ({})", s.source);
  out += "\n";
  for (const std::string& o : s.overrides) out += fmt::format("       --set {}\n", o);
  for (const std::string& w : s.what_ifs) out += fmt::format("       {}\n", w);
  return out;
}

ordered_json optional_number(const std::optional<double>& v) {
  return v ? ordered_json(*v) : ordered_json(nullptr);
}

ordered_json figure_json(const PairedFigure& f) {
  return {{"key", f.key},
          {"label", f.label},
          {"a", optional_number(f.a)},
          {"a_se", optional_number(f.a_se)},
          {"b", optional_number(f.b)},
          {"b_se", optional_number(f.b_se)},
          {"diff", optional_number(f.diff)},
          {"diff_se", optional_number(f.diff_se)},
          {"diff_low", optional_number(f.low)},
          {"diff_high", optional_number(f.high)}};
}

ordered_json side_json(const Scenario& s, std::uint64_t seed) {
  return {{"scenario", s.name}, {"scenario_file", s.source}, {"scenario_sha256", s.sha256},
          {"seed", seed},       {"overrides", s.overrides},  {"what_ifs", s.what_ifs}};
}

}  // namespace

std::string compare_text(const Scenario& a, const Scenario& b, const Comparison& c, int top) {
  std::string out = fmt::format(
      "plenary compare: {}, seed {}{}\n", count_noun(c.replicates, "replicate"), c.seed_a,
      c.common_random_numbers ? ", common random numbers"
                              : fmt::format(" for A and {} for B (independent)", c.seed_b));
  out += side_line('A', a);
  out += side_line('B', b);
  out += fmt::format("\n{:<32}{:>17}{:>17}   {}\n", "The Assembly as a whole", "A", "B",
                     "B - A  [95% interval]");
  figure_rows(out, c.overall);
  for (const DraftComparison& d : c.drafts) {
    const char* where = d.in_a && d.in_b ? "" : d.in_a ? " (A only)" : " (B only)";
    out += fmt::format("\nDraft {}{}{}{}\n", d.id, where, d.title.empty() ? "" : ": ", d.title);
    figure_rows(out, d.figures, tally_scope(d, c.replicates));
  }
  if (!c.members.empty() && top > 0) {
    out += fmt::format(
        "\nMembers whose stance moves most (stance: +1 co-sponsors a draft, -1 votes No on one)\n"
        "  {:<5} {:<26}{:>9}{:>6}{:>8}  {:>9}{:>6}{:>8}   {}\n",
        "code", "member", "A: spons", "No", "stance", "B: spons", "No", "stance",
        "change [95% interval]");
    const std::size_t n = std::min(c.members.size(), static_cast<std::size_t>(top));
    for (std::size_t k = 0; k < n; ++k) {
      const MemberMove& m = c.members[k];
      std::string name = m.name;
      if (name.size() > 25) name = name.substr(0, 24) + "~";
      out += fmt::format(
          "  {:<5} {:<26}{:>8.0f}%{:>5.0f}%{:>+8.2f}  {:>8.0f}%{:>5.0f}%{:>+8.2f}   "
          "{:+.2f} [{:+.2f}, {:+.2f}]\n",
          m.code, name, 100 * m.sponsor_a, 100 * m.no_a, m.stance_a, 100 * m.sponsor_b,
          100 * m.no_b, m.stance_b, m.diff, m.diff - kZ95 * m.diff_se, m.diff + kZ95 * m.diff_se);
    }
  }
  return out;
}

std::string compare_json(const Scenario& a, const Scenario& b, const Comparison& c) {
  ordered_json overall = ordered_json::array();
  for (const PairedFigure& f : c.overall) overall.push_back(figure_json(f));
  ordered_json drafts = ordered_json::array();
  for (const DraftComparison& d : c.drafts) {
    ordered_json figures = ordered_json::array();
    for (const PairedFigure& f : d.figures) figures.push_back(figure_json(f));
    drafts.push_back(
        {{"id", d.id},
         {"title", d.title},
         {"in_a", d.in_a},
         {"in_b", d.in_b},
         {"recorded_a", d.recorded_a ? ordered_json(*d.recorded_a) : ordered_json(nullptr)},
         {"recorded_b", d.recorded_b ? ordered_json(*d.recorded_b) : ordered_json(nullptr)},
         {"figures", std::move(figures)}});
  }
  ordered_json members = ordered_json::array();
  for (const MemberMove& m : c.members) {
    members.push_back({{"code", m.code},
                       {"name", m.name},
                       {"p_sponsor_any_a", m.sponsor_a},
                       {"p_sponsor_any_b", m.sponsor_b},
                       {"p_no_any_a", m.no_a},
                       {"p_no_any_b", m.no_b},
                       {"stance_a", m.stance_a},
                       {"stance_b", m.stance_b},
                       {"stance_diff", m.diff},
                       {"stance_diff_se", m.diff_se}});
  }
  const ordered_json doc = {
      {"schema", "plenary-compare/1"}, {"plenary", kVersion},
      {"replicates", c.replicates},    {"common_random_numbers", c.common_random_numbers},
      {"a", side_json(a, c.seed_a)},   {"b", side_json(b, c.seed_b)},
      {"overall", std::move(overall)}, {"drafts", std::move(drafts)},
      {"members", std::move(members)}};
  return doc.dump(1) + "\n";
}

}  // namespace plenary
