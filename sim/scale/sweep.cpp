// The rows of `plenary sweep` (include/plenary/scale/sweep.hpp, docs/sweep.md).

#include "plenary/scale/sweep.hpp"

#include <fmt/format.h>

#include <functional>

#include "plenary/scenario/generate.hpp"
#include "plenary/stats/uncertainty.hpp"
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

namespace {

// Figure `figure` of draft r in each replicate of a log, in the row's order: sponsors,
// reach for each threshold, the four recorded tallies, adopted, without vote, withdrawn.
std::vector<std::optional<std::int64_t>> sweep_figure_values(const ReplicateLog& log, int r,
                                                             const std::vector<int>& thresholds,
                                                             std::size_t figure) {
  std::vector<std::optional<std::int64_t>> y(static_cast<std::size_t>(log.replicates));
  const std::size_t reach = thresholds.size();
  for (long k = 0; k < log.replicates; ++k) {
    const DraftOutcome& o = log.outcome(k, r);
    auto& v = y[static_cast<std::size_t>(k)];
    if (figure == 0) {
      v = o.sponsors;
    } else if (figure <= reach) {
      v = o.sponsors >= thresholds[figure - 1] ? 1 : 0;
    } else if (figure <= reach + kVotes) {
      if (o.has(DraftOutcome::kRecorded)) v = o.tally[figure - reach - 1];
    } else if (figure == reach + kVotes + 1) {
      v = o.has(DraftOutcome::kAdopted) ? 1 : 0;
    } else if (figure == reach + kVotes + 2) {
      v = o.has(DraftOutcome::kWithoutVote) ? 1 : 0;
    } else {
      v = o.has(DraftOutcome::kStood) ? 0 : 1;
    }
  }
  return y;
}

}  // namespace

std::vector<std::uint64_t> sweep_log_sums(const ReplicateLog& log,
                                          const std::vector<int>& thresholds,
                                          UncertaintySource uncertainty) {
  std::vector<std::uint64_t> words;
  const std::size_t figures = sweep_figures(thresholds.size());
  for (int r = 0; r < log.drafts; ++r) {
    for (std::size_t f = 0; f < figures; ++f) {
      SplitSums sums;
      sums.add(sweep_figure_values(log, r, thresholds, f), uncertainty);
      sums.append_to(words);
    }
  }
  return words;
}

std::string sweep_header(const Scenario& base, const Grid& grid, UncertaintySource uncertainty) {
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
    if (uncertainty != UncertaintySource::kNone) {
      for (const char* figure : {"sponsors", "p_adopted"}) {
        for (const char* part : {"total", "mc", "positions", "parameters"}) {
          names.push_back(fmt::format("{}_var_{}", figure, part));
        }
      }
    }
    for (const std::string& n : names) h += "," + quoted(d.id + "." + n);
  }
  return h;
}

namespace {

// The split of figure f of draft r from a point's log sums.
VarianceSplit figure_split(const std::vector<std::uint64_t>& log_sums, std::size_t figures,
                           std::size_t r, std::size_t f, UncertaintySource uncertainty) {
  const std::size_t at = (r * figures + f) * SplitSums::kWords;
  return split_variance(SplitSums::from(log_sums.data() + at), uncertainty);
}

// Every standard error of a draft's row over the groups of replicates that share a draw
// (sweep_figure_values()'s order), so that it counts every source drawn.
void honest_errors(DraftSummary& d, const std::function<VarianceSplit(std::size_t)>& split) {
  d.sponsors_final.se = split(0).se;
  std::size_t f = 1;
  for (auto& [n, p] : d.p_reach) p.se = split(f++).se.value_or(0);
  for (std::optional<Distribution>* t : {&d.yes, &d.no, &d.abstain, &d.absent}) {
    const VarianceSplit s = split(f++);
    if (*t) (*t)->se = s.se;
  }
  d.p_adopted.se = split(f++).se.value_or(0);
  d.p_without_vote.se = split(f++).se.value_or(0);
  d.p_withdrawn.se = split(f).se.value_or(0);
}

void parts(std::string& row, const VarianceSplit& s) {
  row += fmt::format(",{},{},{},{}", s.total, s.monte_carlo, s.positions, s.parameters);
}

}  // namespace

std::string sweep_row(std::size_t point, const Grid& grid, const Summary& summary_in,
                      const std::vector<std::uint64_t>& log_sums, UncertaintySource uncertainty) {
  std::string row = fmt::format("{}", point);
  const std::vector<std::size_t> at = grid.coordinates(point);
  for (std::size_t a = 0; a < at.size(); ++a) row += "," + quoted(grid.axes()[a].values[at[a]]);
  Summary summary = summary_in;
  const bool split = uncertainty != UncertaintySource::kNone;
  for (std::size_t r = 0; r < summary.drafts.size(); ++r) {
    DraftSummary& d = summary.drafts[r];
    const std::size_t figures = sweep_figures(d.p_reach.size());
    const auto split_of = [&](std::size_t f) {
      return figure_split(log_sums, figures, r, f, uncertainty);
    };
    if (split) honest_errors(d, split_of);
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
    if (split) {
      parts(row, split_of(0));
      parts(row, split_of(d.p_reach.size() + kVotes + 1));
    }
  }
  return row;
}

std::string sweep_identity(const Scenario& base, const std::vector<std::string>& sets,
                           long replicates, std::uint64_t seed, UncertaintySource uncertainty) {
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
  // Only when drawn, so that a journal of a sweep without --uncertainty resumes as before.
  if (uncertainty != UncertaintySource::kNone) {
    id += fmt::format("\tuncertainty={}", uncertainty_name(uncertainty));
  }
  return id;
}

}  // namespace plenary::scale
