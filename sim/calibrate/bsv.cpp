// Bailey, Strezhnev and Voeten's yearly ideal points as a positions file
// (docs/calibration.md, "Standard positions").
#include "plenary/calibrate/bsv.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include "calibrate/csv.hpp"
#include "calibrate/yaml_comment.hpp"
#include "plenary/calibrate/country_codes.hpp"
#include "plenary/util/error.hpp"

namespace plenary::calibrate {

namespace {

// The standard normal's 95% quantile: (q95 - q5) / (2 z) is the standard deviation of a
// normal posterior with those quantiles.
constexpr double kZ95 = 1.645;

// R writes a missing value as NA; an empty field is missing too.
std::optional<double> parse_number(const CsvReader& in, const std::string& text,
                                   std::string_view column) {
  if (text.empty() || text == "NA") return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(value)) {
    throw DataError({in.name(), in.line(), 0},
                    fmt::format("column '{}' must be a number or NA, found '{}'", column, text));
  }
  return value;
}

std::string listed_text(const ListedMember& m) {
  return m.name.empty() ? m.code : fmt::format("{} {}", m.code, m.name);
}

using detail::comment;

// "-0.0000" would read as a negative number with no magnitude.
std::string fixed4(double x) { return fmt::format("{:.4f}", std::abs(x) < 0.00005 ? 0.0 : x); }

}  // namespace

std::vector<ListedMember> un_member_list() {
  std::vector<ListedMember> out;
  for (const MemberState& m : un_member_states()) {
    out.push_back({std::string(m.alpha3), std::string(m.name)});
  }
  return out;
}

std::vector<ListedMember> read_member_list(const std::filesystem::path& file) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(file.string());
  } catch (const YAML::BadFile&) {
    throw DataError(fmt::format("cannot read '{}': no such file or not readable", file.string()));
  } catch (const YAML::Exception& e) {
    throw DataError({file.string(), e.mark.line + 1, e.mark.column + 1}, e.msg);
  }
  const YAML::Node list = root.IsMap() ? root["members"] : YAML::Node();
  if (!list || !list.IsSequence()) {
    throw DataError({file.string(), 1, 0},
                    "expected a member list: 'members:' with entries {code: USA, name: ...}, as in "
                    "scenarios/un-members.yaml");
  }
  std::vector<ListedMember> out;
  for (const YAML::Node& item : list) {
    const YAML::Node code = item.IsMap() ? item["code"] : YAML::Node();
    if (!code || !code.IsScalar()) {
      throw DataError({file.string(), item.Mark().line + 1, item.Mark().column + 1},
                      "a member without a 'code': expected {code: USA, name: ...}");
    }
    const YAML::Node name = item["name"];
    out.push_back({code.as<std::string>(), name && name.IsScalar() ? name.as<std::string>() : ""});
  }
  return out;
}

BsvPositions read_bsv(const std::filesystem::path& file, int year, BsvEstimate estimate,
                      const std::vector<ListedMember>& members) {
  CsvReader in = CsvReader::open(file);
  std::vector<std::string> f;
  if (!in.next(f)) {
    throw DataError(
        {in.name(), 1, 0},
        "the file is empty; expected Bailey, Strezhnev and Voeten's "
        "IdealpointestimatesAll CSV (ccode, iso3c, countryname, year, idealpointfp, ...)");
  }
  const std::string e = bsv_estimate_name(estimate);
  const std::string point = "idealpoint" + e, q5 = "q5" + e, q95 = "q95" + e, nvotes = "nvotes" + e;
  const auto c = require_columns(in, f, {"iso3c", "year", point, q5, q95, nvotes});
  const std::size_t width = f.size();
  std::optional<std::size_t> name_column;
  if (const auto it = std::find(f.begin(), f.end(), "countryname"); it != f.end()) {
    name_column = static_cast<std::size_t>(it - f.begin());
  }

  std::map<std::string, const ListedMember*> listed;
  for (const ListedMember& m : members) listed.emplace(m.code, &m);
  BsvPositions out;
  out.year = year;
  out.estimate = estimate;
  std::map<std::string, int> line_of;  // code -> line of its row in `year`
  std::set<std::string> not_listed;
  int first_year = 0;
  int last_year = 0;
  int rows_in_year = 0;
  while (in.next(f)) {
    if (f.size() != width) {
      throw DataError(
          {in.name(), in.line(), 0},
          fmt::format("expected {} fields as in the header, found {}", width, f.size()));
    }
    const std::optional<double> y = parse_number(in, f[c[1]], "year");
    if (!y || *y != std::floor(*y)) {
      throw DataError({in.name(), in.line(), 0},
                      fmt::format("column 'year' must be a whole number, found '{}'", f[c[1]]));
    }
    const int row_year = static_cast<int>(*y);
    first_year = first_year == 0 ? row_year : std::min(first_year, row_year);
    last_year = std::max(last_year, row_year);
    if (row_year != year) continue;
    ++rows_in_year;
    const std::string& code = f[c[0]];
    if (code.empty() || code == "NA") {
      // A state without an ISO code (R writes NA): it cannot be a listed member.
      not_listed.insert(name_column ? fmt::format("{} (no iso3c)", f[*name_column]) : "(no iso3c)");
      continue;
    }
    const auto [seen, added] = line_of.emplace(code, in.line());
    if (!added) {
      throw DataError({in.name(), in.line(), 0},
                      fmt::format("a second row for '{}' in {} (the first is line {}); remove the "
                                  "duplicate",
                                  code, year, seen->second));
    }
    const std::optional<double> x = parse_number(in, f[c[2]], point);
    const std::optional<double> lo = parse_number(in, f[c[3]], q5);
    const std::optional<double> hi = parse_number(in, f[c[4]], q95);
    const std::optional<double> n = parse_number(in, f[c[5]], nvotes);
    if (!listed.count(code)) {
      not_listed.insert(code);
      continue;
    }
    if (!x) continue;  // reported as missing below
    BsvPosition p;
    p.code = code;
    p.position = *x;
    if (lo && hi) p.se = (*hi - *lo) / (2.0 * kZ95);
    if (n) p.votes = static_cast<int>(std::lround(*n));
    if (!p.se) out.without_se.push_back(code);
    out.positions.push_back(p);
  }
  if (rows_in_year == 0) {
    throw DataError({in.name(), 0, 0},
                    first_year == 0
                        ? std::string("the file has a header but no rows")
                        : fmt::format("no rows for year {}: the file has years {} to {}; choose "
                                      "one of them with --year",
                                      year, first_year, last_year));
  }
  if (out.positions.empty()) {
    throw DataError({in.name(), 0, 0},
                    fmt::format("no member of the member list has a position in {} (codes are "
                                "matched on column iso3c)",
                                year));
  }
  std::sort(out.positions.begin(), out.positions.end(),
            [](const BsvPosition& a, const BsvPosition& b) { return a.code < b.code; });
  std::sort(out.without_se.begin(), out.without_se.end());
  for (const ListedMember& m : members) {
    const bool present = std::any_of(out.positions.begin(), out.positions.end(),
                                     [&](const BsvPosition& p) { return p.code == m.code; });
    if (!present) out.missing.push_back(m);
  }
  out.not_listed.assign(not_listed.begin(), not_listed.end());
  return out;
}

std::string format_bsv_positions(const BsvPositions& b, const std::string& command) {
  const std::string e = bsv_estimate_name(b.estimate);
  std::string h = "# Members' positions: Bailey, Strezhnev and Voeten's ideal points.\n";
  h += comment("Produced by: " + command);
  h += comment(fmt::format(
      "Data: Bailey, Strezhnev and Voeten, United Nations General Assembly Voting Data (Harvard "
      "Dataverse, hdl:1902.1/12379), IdealpointestimatesAll, year {}, column idealpoint{}; "
      "Bailey, Strezhnev and Voeten (2017), Estimating Dynamic State Preferences from United "
      "Nations Voting Data, Journal of Conflict Resolution 61(2).",
      b.year, e));
  h += comment(fmt::format(
      "One dimension, on the file's scale (not rescaled). se: (q95{} - q5{}) / (2 x 1.645), the "
      "standard deviation of a normal with those 5% and 95% quantiles; data.votes: nvotes{}.",
      e, e, e));
  if (!b.without_se.empty()) {
    h += comment(fmt::format("Without se (a quantile is NA): {}.", fmt::join(b.without_se, ", ")));
  }
  std::vector<std::string> missing;
  for (const ListedMember& m : b.missing) missing.push_back(listed_text(m));
  h += comment(fmt::format(
      "Members without a position here (no row in {}, or NA; scenarios need missing_position: "
      "bloc_mean): {}.",
      b.year, missing.empty() ? std::string("none") : fmt::format("{}", fmt::join(missing, ", "))));
  if (!b.not_listed.empty()) {
    h += comment(fmt::format("Rows of {} left out (not in the member list): {}.", b.year,
                             fmt::join(b.not_listed, ", ")));
  }
  std::string out = h;
  out += fmt::format(
      "description: \"Bailey-Strezhnev-Voeten ideal points, {} (idealpoint{}), 1 dimension\"\n",
      b.year, e);
  out += fmt::format("data: {{source: bsv, year: {}, estimate: {}, dims: 1, members: {}}}\n",
                     b.year, e, b.positions.size());
  out += "positions:\n";
  for (const BsvPosition& p : b.positions) {
    std::string data;
    if (p.votes) data += fmt::format("votes: {}", *p.votes);
    if (p.se) data += fmt::format("{}se: [{}]", data.empty() ? "" : ", ", fixed4(*p.se));
    out += fmt::format("  - {{code: {}, position: [{}]{}}}\n", p.code, fixed4(p.position),
                       data.empty() ? "" : fmt::format(", data: {{{}}}", data));
  }
  return out;
}

}  // namespace plenary::calibrate
