#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "plenary/scenario/generate.hpp"
#include "plenary/util/error.hpp"
#include "plenary/util/text.hpp"

namespace plenary {

namespace {

// Shortest round-trip form of a double (fmt's default), which YAML reads back exactly.
std::string number(double x) { return fmt::format("{}", x); }

std::string vector_text(const Eigen::VectorXd& v) {
  std::string out = "[";
  for (Eigen::Index k = 0; k < v.size(); ++k) out += (k ? ", " : "") + number(v(k));
  return out + "]";
}

// Double-quoted YAML scalar with escapes, safe for any text.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

void write_parameters(std::ostringstream& out, const Parameters& p) {
  const Parameters defaults;
  std::string items;
  for (const auto& info : kParameters) {
    if (p.*(info.field) == defaults.*(info.field)) continue;
    items += fmt::format("{}{}: {}", items.empty() ? "" : ", ", info.name, number(p.*(info.field)));
  }
  if (!items.empty()) out << "parameters: {" << items << "}\n";
}

void write_member(std::ostringstream& out, const Scenario& s, const Member& m) {
  out << "  - {code: " << quoted(m.code) << ", name: " << quoted(m.name)
      << ", position: " << vector_text(m.position);
  if (m.position_se.size() > 0) out << ", position_se: " << vector_text(m.position_se);
  if (!m.group.empty()) out << ", group: " << quoted(m.group);
  if (m.clout != 1) out << ", clout: " << number(m.clout);
  if (m.absence != 0) out << ", absence: " << number(m.absence);
  if (m.abstain_habit != 0) out << ", abstain_habit: " << number(m.abstain_habit);
  if (!m.votes) out << ", votes: false";
  if (!m.blocs.empty()) {
    out << ", blocs: [";
    for (std::size_t k = 0; k < m.blocs.size(); ++k) {
      out << (k ? ", " : "") << quoted(s.blocs[static_cast<std::size_t>(m.blocs[k])].name);
    }
    out << "]";
  }
  out << "}\n";
}

void write_draft(std::ostringstream& out, const Scenario& s, const Draft& d) {
  out << "  - id: " << quoted(d.id) << "\n";
  if (!d.title.empty()) out << "    title: " << quoted(d.title) << "\n";
  out << "    sponsors: [";
  for (std::size_t k = 0; k < d.sponsors.size(); ++k) {
    out << (k ? ", " : "") << quoted(s.members[static_cast<std::size_t>(d.sponsors[k])].code);
  }
  out << "]\n";
  out << "    position: " << (d.position ? vector_text(*d.position) : std::string("sponsors"))
      << "\n";
  if (d.status_quo.size() > 0 && !d.status_quo.isZero(0)) {
    out << "    status_quo: " << vector_text(d.status_quo) << "\n";
  }
  if (d.opens != 0) out << "    opens: " << d.opens << "\n";
  out << "    closes: " << d.closes << "\n";
  if (!d.rivals.empty()) {
    out << "    rivals: [";
    for (std::size_t k = 0; k < d.rivals.size(); ++k) {
      out << (k ? ", " : "") << quoted(s.drafts[static_cast<std::size_t>(d.rivals[k])].id);
    }
    out << "]\n";
  }
  out << "    majority: " << majority_name(d.majority) << "\n";
  if (d.lobbying != 1) out << "    lobbying: " << number(d.lobbying) << "\n";
  if (d.withdraw_below) out << "    withdraw_below: " << number(*d.withdraw_below) << "\n";
  std::string overrides;
  for (std::size_t k = 0; k < kParameters.size(); ++k) {
    if (!d.parameters.values[k]) continue;
    overrides += fmt::format("{}{}: {}", overrides.empty() ? "" : ", ", kParameters[k].name,
                             number(*d.parameters.values[k]));
  }
  if (!overrides.empty()) out << "    parameters: {" << overrides << "}\n";
}

// A field of a members or ties table: quoted also for a carriage return or spaces at either
// end, which the table reader would otherwise trim (unlike csv_field of util/text.hpp).
std::string table_field(std::string_view text) {
  const bool plain = text.find_first_of(",\"\n\r") == std::string_view::npos &&
                     (text.empty() || (text.front() != ' ' && text.back() != ' '));
  if (plain) return std::string(text);
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The `fit:` block: null across an unidentified coordinate's row and column.
void write_fit(std::ostringstream& out, const FitCovariance& fit) {
  const auto list = [](const Eigen::VectorXd& v) { return vector_text(v); };
  out << "fit:\n  parameters: [";
  for (std::size_t k = 0; k < fit.parameters.size(); ++k) {
    out << (k ? ", " : "") << quoted(fit.parameters[k]);
  }
  out << "]\n  estimate: " << list(fit.estimate) << "\n  lower: " << list(fit.lower)
      << "\n  upper: " << list(fit.upper) << "\n  covariance:\n";
  const auto n = static_cast<Eigen::Index>(fit.parameters.size());
  for (Eigen::Index i = 0; i < n; ++i) {
    out << "    - [";
    for (Eigen::Index j = 0; j < n; ++j) {
      const bool known = fit.identified[static_cast<std::size_t>(i)] &&
                         fit.identified[static_cast<std::size_t>(j)];
      out << (j ? ", " : "") << (known ? number(fit.covariance(i, j)) : std::string("null"));
    }
    out << "]\n";
  }
}

void write_members_table(std::ostringstream& out, const Scenario& s) {
  const bool se = std::any_of(s.members.begin(), s.members.end(),
                              [](const Member& m) { return m.position_se.size() > 0; });
  const bool group = std::any_of(s.members.begin(), s.members.end(),
                                 [](const Member& m) { return !m.group.empty(); });
  out << "code,name";
  for (int d = 1; d <= s.dims; ++d) out << ",x" << d;
  for (int d = 1; se && d <= s.dims; ++d) out << ",se" << d;
  out << (group ? ",group" : "") << ",clout,absence,abstain_habit,votes,blocs\n";
  for (const Member& m : s.members) {
    out << table_field(m.code) << ',' << table_field(m.name);
    for (Eigen::Index d = 0; d < m.position.size(); ++d) out << ',' << number(m.position(d));
    for (Eigen::Index d = 0; se && d < s.dims; ++d) {
      out << ',' << (m.position_se.size() > 0 ? number(m.position_se(d)) : std::string());
    }
    if (group) out << ',' << table_field(m.group);
    out << ',' << number(m.clout) << ',' << number(m.absence) << ',' << number(m.abstain_habit)
        << ',' << (m.votes ? "true" : "false") << ',';
    std::string blocs;
    for (std::size_t k = 0; k < m.blocs.size(); ++k) {
      const std::string& name = s.blocs[static_cast<std::size_t>(m.blocs[k])].name;
      if (name.find(';') != std::string::npos || name != trim(name) || name.empty()) {
        throw UsageError(fmt::format(
            "bloc '{}' cannot be written in a members table (its name holds ';' or spaces at "
            "either end): write the scenario as YAML",
            name));
      }
      blocs += (k ? ";" : "") + name;
    }
    out << table_field(blocs) << '\n';
  }
}

void write_head(std::ostringstream& out, const Scenario& s, const std::string& header) {
  std::istringstream lines(header);
  for (std::string line; std::getline(lines, line);) out << "# " << line << "\n";
  out << "name: " << quoted(s.name) << "\n";
}

void write_blocs(std::ostringstream& out, const Scenario& s) {
  if (s.blocs.empty()) return;
  out << "blocs:\n";
  for (const Bloc& b : s.blocs)
    out << "  " << quoted(b.name) << ": {tie: " << number(b.tie) << "}\n";
}

void write_tail(std::ostringstream& out, const Scenario& s);

}  // namespace

ScenarioFiles scenario_to_tables(const Scenario& s, const std::string& header,
                                 const std::string& members_file, const std::string& ties_file) {
  ScenarioFiles files;
  std::ostringstream members;
  write_members_table(members, s);
  files.members_csv = std::move(members).str();
  std::ostringstream out;
  write_head(out, s, header);
  out << "members: {file: " << quoted(members_file) << "}\n";
  write_blocs(out, s);
  if (!s.ties.empty()) {
    std::string ties = "from,to,weight\n";
    for (const Tie& t : s.ties) {
      ties += table_field(s.members[static_cast<std::size_t>(t.from)].code);
      ties += ',';
      ties += table_field(s.members[static_cast<std::size_t>(t.to)].code);
      ties += ',';
      ties += number(t.weight);
      ties += '\n';
    }
    files.ties_csv = std::move(ties);
    out << "ties: {file: " << quoted(ties_file) << "}\n";
  }
  write_tail(out, s);
  files.yaml = std::move(out).str();
  return files;
}

std::string scenario_to_yaml(const Scenario& s, const std::string& header) {
  std::ostringstream out;
  write_head(out, s, header);
  out << "members:\n";
  for (const Member& m : s.members) write_member(out, s, m);
  write_blocs(out, s);
  if (!s.ties.empty()) {
    out << "ties:\n";
    for (const Tie& t : s.ties) {
      out << "  - {from: " << quoted(s.members[static_cast<std::size_t>(t.from)].code)
          << ", to: " << quoted(s.members[static_cast<std::size_t>(t.to)].code)
          << ", weight: " << number(t.weight) << "}\n";
    }
  }
  write_tail(out, s);
  return out.str();
}

namespace {

// Everything after the members, blocs and ties.
void write_tail(std::ostringstream& out, const Scenario& s) {
  if (s.agreement) {
    out << "agreement: {file: " << quoted(s.agreement->file)
        << ", weight: " << number(s.agreement->weight)
        << ", floor: " << (s.agreement->floor ? number(*s.agreement->floor) : std::string("median"))
        << "}\n";
  }
  out << "drafts:\n";
  for (const Draft& d : s.drafts) write_draft(out, s, d);
  write_parameters(out, s.parameters);
  out << "run: {replicates: " << s.run.replicates << ", seed: " << s.run.seed;
  if (!s.run.thresholds.empty()) {
    out << ", thresholds: [";
    for (std::size_t k = 0; k < s.run.thresholds.size(); ++k)
      out << (k ? ", " : "") << s.run.thresholds[k];
    out << "]";
  }
  out << "}\n";
  if (s.fit) write_fit(out, *s.fit);
}

}  // namespace

}  // namespace plenary
