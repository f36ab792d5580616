// The UN Dag Hammarskjöld Library's "General Assembly Voting Data" (UN Digital Library
// record 4060887), long and wide forms, read into the VoteData the Voeten reader gives
// (docs/calibration.md, "The UN's voting data").
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <numeric>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "calibrate/csv.hpp"
#include "calibrate/vote_data_internal.hpp"
#include "plenary/calibrate/vote_data.hpp"
#include "plenary/util/error.hpp"

namespace plenary::calibrate {

namespace {

// Metadata columns of versions 1 and 3 of the data dictionary. In the wide form every other
// column named by three capital letters is a member state; any other column is ignored.
constexpr std::string_view kMetadata[] = {"undl_id",
                                          "ms_code",
                                          "ms_name",
                                          "ms_vote",
                                          "date",
                                          "session",
                                          "resolution",
                                          "draft",
                                          "committee_report",
                                          "meeting",
                                          "title",
                                          "agenda_title",
                                          "subjects",
                                          "vote_note",
                                          "modality",
                                          "total_yes",
                                          "total_no",
                                          "total_abstentions",
                                          "total_non_voting",
                                          "total_ms",
                                          "yes",
                                          "no",
                                          "abstentions",
                                          "non-voting",
                                          "total-voting",
                                          "undl_link"};

constexpr std::string_view kFormats =
    "expected the UN's General Assembly Voting Data in its long form (a row per member and "
    "resolution, with columns undl_id, ms_code, ms_name, ms_vote, date, session, resolution, "
    "title, ...) or its wide form (a row per resolution: undl_id, date, session, resolution, "
    "title, ..., then one column per member state named by its ISO alpha-3 code), or a "
    "directory with Voeten's votes.csv, roll_calls.csv and roll_call_issues.csv";

// Where the columns are. Optional ones may be missing from a file.
struct Columns {
  bool wide = false;
  std::size_t id = 0, date = 0, resolution = 0, title = 0;
  std::optional<std::size_t> session, code, name, vote;
  std::vector<std::pair<std::size_t, CountryCode>> members;  // wide form: column, state
  std::size_t width = 0;
};

std::optional<std::size_t> find_column(const std::vector<std::string>& header,
                                       std::string_view name) {
  const auto it = std::find(header.begin(), header.end(), name);
  if (it == header.end()) return std::nullopt;
  return static_cast<std::size_t>(it - header.begin());
}

bool is_member_column(std::string_view name) {
  return name.size() == 3 &&
         std::all_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; }) &&
         std::find(std::begin(kMetadata), std::end(kMetadata), name) == std::end(kMetadata);
}

std::size_t require(const CsvReader& in, const std::vector<std::string>& header,
                    std::string_view name, std::string_view form) {
  if (const auto i = find_column(header, name)) return *i;
  throw DataError({in.name(), 1, 0},
                  fmt::format("the {} form of the UN's voting data needs a column '{}', and the "
                              "header is '{}'; {}",
                              form, name, fmt::join(header, ","), kFormats));
}

// `what` says where the code is: the member's name, or that it is a column of the header.
std::string unknown_code_message(std::string_view code, std::string_view what) {
  return fmt::format(
      "unknown member code '{}'{}: expected the ISO 3166-1 alpha-3 code of a UN member state or "
      "of a historical state ({}); correct the code",
      code, what.empty() ? "" : fmt::format(" ({})", what), historical_alpha3_codes());
}

Columns read_header(const CsvReader& in, const std::vector<std::string>& header) {
  Columns c;
  c.width = header.size();
  const bool long_form = find_column(header, "ms_vote") || find_column(header, "ms_code");
  if (!long_form && !find_column(header, "undl_id")) {
    throw DataError({in.name(), 1, 0},
                    fmt::format("unrecognised header '{}': {}", fmt::join(header, ","), kFormats));
  }
  const std::string_view form = long_form ? "long" : "wide";
  c.wide = !long_form;
  c.id = require(in, header, "undl_id", form);
  c.date = require(in, header, "date", form);
  c.resolution = require(in, header, "resolution", form);
  c.title = require(in, header, "title", form);
  c.session = find_column(header, "session");
  if (long_form) {
    c.code = require(in, header, "ms_code", form);
    c.vote = require(in, header, "ms_vote", form);
    c.name = find_column(header, "ms_name");
    return c;
  }
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (!is_member_column(header[i])) continue;
    // Only YUG depends on the session; it is mapped again row by row.
    const auto state = map_country_alpha3(header[i], "", 1);
    if (!state) {
      throw DataError({in.name(), 1, 0}, unknown_code_message(header[i], "a column of the header"));
    }
    c.members.emplace_back(i, *state);
  }
  if (c.members.empty()) {
    throw DataError({in.name(), 1, 0},
                    fmt::format("the header '{}' has no member-state columns (three capital "
                                "letters, e.g. USA); {}",
                                fmt::join(header, ","), kFormats));
  }
  return c;
}

// Y, N, A are votes; X (non-voting; NV in version 1) and empty are absence.
Vote parse_vote(const CsvReader& in, const std::string& text, std::string_view column) {
  if (text == "Y") return Vote::kYes;
  if (text == "N") return Vote::kNo;
  if (text == "A") return Vote::kAbstain;
  if (text.empty() || text == "X" || text == "NV") return Vote::kAbsent;
  throw DataError({in.name(), in.line(), 0},
                  fmt::format("unknown vote '{}' in column '{}': expected Y (yes), N (no), A "
                              "(abstention), X or NV (non-voting), or empty",
                              text, column));
}

int parse_id(const CsvReader& in, const std::string& text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1) {
    throw DataError({in.name(), in.line(), 0},
                    fmt::format("column 'undl_id' must be the UN Digital Library's record "
                                "number (a whole number), found '{}'",
                                text));
  }
  return value;
}

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// YYYY-MM-DD, possibly followed by a time ("2018-12-05T00:00:00"), which is dropped.
std::string parse_date(const CsvReader& in, const std::string& text) {
  const std::string_view d = std::string_view(text).substr(0, 10);
  const bool ok = d.size() == 10 && digits(d.substr(0, 4)) && d[4] == '-' &&
                  digits(d.substr(5, 2)) && d[7] == '-' && digits(d.substr(8, 2)) &&
                  (text.size() == 10 || text[10] == 'T' || text[10] == ' ');
  if (!ok) {
    throw DataError({in.name(), in.line(), 0},
                    fmt::format("column 'date' must be a date YYYY-MM-DD, found '{}'", text));
  }
  return std::string(d);
}

// The regular session a date falls in: session N opens in September of 1945 + N (session 1
// ran from January 1946 to September 1947).
int session_of_date(std::string_view date) {
  const int year = std::stoi(std::string(date.substr(0, 4)));
  const int month = std::stoi(std::string(date.substr(5, 2)));
  return std::max(1, month >= 9 ? year - 1945 : year - 1946);
}

// A session number; a special (S-n) or emergency special (ES-n) session, or no session
// column, counts in the regular session in progress on the date.
int parse_session(const CsvReader& in, const std::string& text, std::string_view date) {
  if (digits(text) && text.size() < 4) return std::max(1, std::stoi(text));
  const std::string_view t = text;
  if (t.empty() || (t.starts_with("ES-") && digits(t.substr(3))) ||
      (t.starts_with("S-") && digits(t.substr(2)))) {
    return session_of_date(date);
  }
  throw DataError({in.name(), in.line(), 0},
                  fmt::format("column 'session' must be a session number (e.g. 73), S-n or ES-n, "
                              "found '{}'",
                              text));
}

// The project's symbol form: no spaces, "A/RES/" in front of a bare "73/27".
std::string normalise_symbol(const std::string& text) {
  std::string s;
  for (const char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) s += c;
  }
  if (!s.empty() && !s.starts_with("A/")) s = "A/RES/" + s;
  return s;
}

// Reads the file row by row into roll calls (in order of first appearance) and votes
// (indices into them), checking that each resolution is one roll call and each member has
// one row on it.
class Reader {
 public:
  Reader(CsvReader& in, Columns columns) : in_(in), c_(std::move(columns)) {}

  void row(const std::vector<std::string>& f) {
    if (f.size() != c_.width) {
      throw DataError(
          {in_.name(), in_.line(), 0},
          fmt::format("expected {} fields as in the header, found {}", c_.width, f.size()));
    }
    const std::int32_t rc = roll_call(f);
    const int session = rolls_[static_cast<std::size_t>(rc)].session;
    if (!c_.wide) {
      const std::string& name = c_.name ? f[*c_.name] : kEmpty;
      const Vote vote = parse_vote(in_, f[*c_.vote], "ms_vote");
      add(rc, map_state(f[*c_.code], name, session), vote);
      return;
    }
    for (const auto& [column, code] : c_.members) {
      // Empty: not a member then (YUG is empty where SRB has Serbia's votes, and so on).
      if (f[column].empty()) continue;
      const Vote vote = parse_vote(in_, f[column], code.alpha3);
      add(rc, code.alpha3 == "YUG" ? *map_country_alpha3("YUG", "", session) : code, vote);
    }
  }

  VoteData finish() {
    VoteData data;
    data.source = VoteSource::kUndl;
    std::vector<std::int32_t> order(rolls_.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
      const RollCall& x = rolls_[static_cast<std::size_t>(a)];
      const RollCall& y = rolls_[static_cast<std::size_t>(b)];
      return x.date != y.date ? x.date < y.date : x.rcid < y.rcid;
    });
    std::vector<std::int32_t> position(rolls_.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
      position[static_cast<std::size_t>(order[k])] = static_cast<std::int32_t>(k);
      data.roll_calls.push_back(std::move(rolls_[static_cast<std::size_t>(order[k])]));
    }
    for (CastVote& v : votes_) v.roll_call = position[static_cast<std::size_t>(v.roll_call)];
    data.votes = std::move(votes_);
    data.states = std::move(states_);
    detail::index_membership(in_.name(), data);
    return data;
  }

 private:
  std::int32_t roll_call(const std::vector<std::string>& f) {
    const int id = parse_id(in_, f[c_.id]);
    const std::string date = parse_date(in_, f[c_.date]);
    const std::string symbol = normalise_symbol(f[c_.resolution]);
    const auto [it, added] = by_id_.emplace(id, static_cast<std::int32_t>(rolls_.size()));
    if (!added) {
      const RollCall& seen = rolls_[static_cast<std::size_t>(it->second)];
      if (c_.wide) {
        throw DataError({in_.name(), in_.line(), 0},
                        fmt::format("resolution {} (undl_id {}) has a second row (the first is "
                                    "line {}): the wide form has one row per resolution; remove "
                                    "the duplicate",
                                    symbol, id, first_line_[static_cast<std::size_t>(it->second)]));
      }
      if (seen.date != date || seen.unres != symbol) {
        throw DataError({in_.name(), in_.line(), 0},
                        fmt::format("undl_id {} is resolution {} of {} here but {} of {} on line "
                                    "{}: one undl_id is one resolution",
                                    id, symbol, date, seen.unres, seen.date,
                                    first_line_[static_cast<std::size_t>(it->second)]));
      }
      return it->second;
    }
    RollCall rc;
    rc.rcid = id;
    rc.date = date;
    rc.session = parse_session(in_, c_.session ? f[*c_.session] : kEmpty, date);
    rc.unres = symbol;
    rc.title = f[c_.title];
    rolls_.push_back(std::move(rc));
    first_line_.push_back(in_.line());
    lines_.emplace_back();
    return it->second;
  }

  // map_country_alpha3, remembered: the long form repeats each code on every resolution.
  const CountryCode& map_state(const std::string& code, const std::string& name, int session) {
    // Most codes map alone (a short string, no allocation); YUG needs its session and an
    // empty code its name.
    const std::string key = code.empty()    ? "|" + name
                            : code == "YUG" ? fmt::format("YUG|{}", session)
                                            : code;
    if (const auto it = mapped_.find(key); it != mapped_.end()) return it->second;
    const auto mapped = map_country_alpha3(code, name, session);
    if (!mapped) throw DataError({in_.name(), in_.line(), 0}, unknown_code_message(code, name));
    return mapped_.emplace(key, *mapped).first->second;
  }

  // One member's row (or cell) on roll call `rc`: absence is checked for duplicates too.
  void add(std::int32_t rc, const CountryCode& state, Vote vote) {
    const auto [code, added_code] =
        codes_.emplace(state.alpha3, static_cast<std::int32_t>(codes_.size()));
    std::vector<int>& lines = lines_[static_cast<std::size_t>(rc)];
    const auto id = static_cast<std::size_t>(code->second);
    if (lines.size() <= id) lines.resize(codes_.size(), 0);
    if (lines[id] != 0) {
      const RollCall& r = rolls_[static_cast<std::size_t>(rc)];
      throw DataError({in_.name(), in_.line(), 0},
                      fmt::format("a second row for {} ({}) on resolution {} (undl_id {}); the "
                                  "first is line {}: each member has one vote per resolution; "
                                  "remove the duplicate",
                                  state.name, state.alpha3, r.unres, r.rcid, lines[id]));
    }
    lines[id] = in_.line();
    if (vote == Vote::kAbsent) return;
    // States in order of their first recorded vote, as the Voeten reader orders them.
    auto [index, added_state] =
        state_index_.emplace(state.alpha3, static_cast<std::int32_t>(states_.size()));
    if (added_state) states_.push_back(state);
    votes_.push_back({rc, index->second, vote});
  }

  inline static const std::string kEmpty;
  CsvReader& in_;
  Columns c_;
  std::vector<RollCall> rolls_;
  std::vector<int> first_line_;
  std::unordered_map<int, std::int32_t> by_id_;
  std::unordered_map<std::string, CountryCode> mapped_;
  std::unordered_map<std::string, std::int32_t> codes_;
  std::vector<std::vector<int>> lines_;  // per roll call, per code: the line of its row
  std::unordered_map<std::string, std::int32_t> state_index_;
  std::vector<CountryCode> states_;
  std::vector<CastVote> votes_;
};

}  // namespace

VoteData load_undl_vote_data(const std::filesystem::path& file) {
  CsvReader in = CsvReader::open(file);
  std::vector<std::string> f;
  if (!in.next(f)) {
    throw DataError({in.name(), 1, 0}, fmt::format("the file is empty; {}", kFormats));
  }
  Reader reader(in, read_header(in, f));
  int rows = 0;
  while (in.next(f)) {
    // A blank line (a lone empty field) at the end of a file is not a row.
    if (f.size() == 1 && f[0].empty()) continue;
    reader.row(f);
    ++rows;
  }
  if (rows == 0) {
    throw DataError({in.name(), 2, 0}, "the file has a header but no rows of votes");
  }
  return reader.finish();
}

}  // namespace plenary::calibrate
