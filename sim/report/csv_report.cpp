#include <fmt/format.h>

#include <ostream>
#include <system_error>

#include "plenary/report/report.hpp"
#include "plenary/util/atomic_file.hpp"

namespace plenary {

namespace {

// Empty for a missing value: pandas and R read it as NA.
std::string cell(const std::optional<double>& x) { return x ? fmt::format("{}", *x) : ""; }

// Codes and ids are written quoted when they contain a comma, a quote or a line break.
std::string quoted(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void write_drafts(std::ostream& out, const Summary& summary) {
  out << "draft,sponsors_mean,sponsors_se,sponsors_p5,sponsors_p50,sponsors_p95,"
         "tally_replicates,yes_mean,no_mean,abstain_mean,absent_mean,p_adopted,p_adopted_se,"
         "p_without_vote,p_without_vote_se,p_withdrawn,p_withdrawn_se\n";
  for (const DraftSummary& d : summary.drafts) {
    const Distribution& f = d.sponsors_final;
    auto mean = [](const std::optional<Distribution>& x) {
      return x ? std::optional<double>(x->mean) : std::nullopt;
    };
    out << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", quoted(d.id), f.mean,
                       cell(f.se), f.p5, f.p50, f.p95, d.tally_replicates, cell(mean(d.yes)),
                       cell(mean(d.no)), cell(mean(d.abstain)), cell(mean(d.absent)), d.p_adopted.p,
                       d.p_adopted.se, d.p_without_vote.p, d.p_without_vote.se, d.p_withdrawn.p,
                       d.p_withdrawn.se);
  }
}

void write_rounds(std::ostream& out, const Summary& summary) {
  out << "draft,round,mean,se,p5,p50,p95\n";
  for (const DraftSummary& d : summary.drafts) {
    for (std::size_t t = 0; t < d.sponsors_by_round.size(); ++t) {
      const Distribution& x = d.sponsors_by_round[t];
      out << fmt::format("{},{},{},{},{},{},{}\n", quoted(d.id), t, x.mean, cell(x.se), x.p5, x.p50,
                         x.p95);
    }
  }
}

void write_members(std::ostream& out, const Model& model, const Summary& summary) {
  out << "draft,code,p_sponsor,p_sponsor_se,p_yes,p_yes_se,p_no,p_no_se,p_abstain,p_abstain_se,"
         "p_absent,p_absent_se\n";
  for (const DraftSummary& d : summary.drafts) {
    for (const MemberSummary& m : d.members) {
      out << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n", quoted(d.id),
                         quoted(model.codes[static_cast<std::size_t>(m.member)]), m.p_sponsor,
                         m.p_sponsor_se, cell(m.p_yes), cell(m.p_yes_se), cell(m.p_no),
                         cell(m.p_no_se), cell(m.p_abstain), cell(m.p_abstain_se), cell(m.p_absent),
                         cell(m.p_absent_se));
    }
  }
}

}  // namespace

void write_csv_report(const std::filesystem::path& dir, const Scenario& /*scenario*/,
                      const Model& model, const Summary& summary) {
  std::error_code ec;
  std::filesystem::create_directory(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    throw DataError(fmt::format("cannot create the CSV directory '{}': {}", dir.string(),
                                ec ? ec.message() : "not a directory"));
  }
  write_file_atomically(dir / "drafts.csv", [&](std::ostream& out) { write_drafts(out, summary); });
  write_file_atomically(dir / "sponsors_by_round.csv",
                        [&](std::ostream& out) { write_rounds(out, summary); });
  write_file_atomically(dir / "members.csv",
                        [&](std::ostream& out) { write_members(out, model, summary); });
}

}  // namespace plenary
