// The rows of `plenary sweep` (include/plenary/scale/sweep.hpp, docs/sweep.md).

#include "plenary/scale/sweep.hpp"

#include <fmt/format.h>

#include "plenary/scenario/generate.hpp"
#include "plenary/util/sha256.hpp"

namespace plenary::scale {

namespace {

// A CSV field, quoted when it holds a comma, a quote or a line break.
std::string quoted(const std::string& s) {
  if (s.find_first_of(",\"\n\r\t") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Empty for a missing value: pandas and R read it as NA.
std::string cell(const std::optional<double>& x) { return x ? fmt::format("{}", *x) : ""; }

void distribution(std::string& row, const std::optional<Distribution>& d) {
  row += "," + cell(d ? std::optional(d->mean) : std::nullopt);
  row += "," + cell(d ? d->se : std::nullopt);
}

void probability(std::string& row, const Probability& p) {
  row += fmt::format(",{},{}", p.p, p.se);
}

}  // namespace

std::string sweep_header(const Scenario& base, const Grid& grid) {
  std::string h = "point";
  for (const Axis& a : grid.axes()) h += "," + quoted(a.name);
  for (const Draft& d : base.drafts) {
    std::vector<std::string> names = {"sponsors_mean", "sponsors_se"};
    for (int n : base.run.thresholds) {
      names.push_back(fmt::format("p_reach_{}", n));
      names.push_back(fmt::format("p_reach_{}_se", n));
    }
    for (const char* name :
         {"tally_replicates", "yes_mean", "yes_se", "no_mean", "no_se", "abstain_mean",
          "abstain_se", "absent_mean", "absent_se", "p_adopted", "p_adopted_se", "p_without_vote",
          "p_without_vote_se", "p_withdrawn", "p_withdrawn_se"}) {
      names.emplace_back(name);
    }
    for (const std::string& n : names) h += "," + quoted(d.id + "." + n);
  }
  return h;
}

std::string sweep_row(std::size_t point, const Grid& grid, const Summary& summary) {
  std::string row = fmt::format("{}", point);
  const std::vector<std::size_t> at = grid.coordinates(point);
  for (std::size_t a = 0; a < at.size(); ++a) row += "," + quoted(grid.axes()[a].values[at[a]]);
  for (const DraftSummary& d : summary.drafts) {
    distribution(row, d.sponsors_final);
    for (const auto& [n, p] : d.p_reach) probability(row, p);
    row += fmt::format(",{}", d.tally_replicates);
    distribution(row, d.yes);
    distribution(row, d.no);
    distribution(row, d.abstain);
    distribution(row, d.absent);
    probability(row, d.p_adopted);
    probability(row, d.p_without_vote);
    probability(row, d.p_withdrawn);
  }
  return row;
}

std::string sweep_identity(const Scenario& base, const std::vector<std::string>& sets,
                           long replicates, std::uint64_t seed) {
  // The scenario as loaded, so that a change in an included members or positions file
  // counts too; agreement scores are written out by name only, so they are added.
  std::string loaded = scenario_to_yaml(base);
  if (base.agreement) {
    for (const AgreementScore& s : base.agreement->scores) {
      loaded += fmt::format("{},{},{},{}\n", s.a, s.b, s.n, s.score);
    }
  }
  std::string id = fmt::format("version=1\tscenario_sha256={}\tloaded_sha256={}",
                               base.sha256.empty() ? "none" : base.sha256, sha256_hex(loaded));
  for (const std::string& s : sets) id += "\tset=" + s;
  id += fmt::format("\treplicates={}\tseed={}", replicates, seed);
  return id;
}

}  // namespace plenary::scale
