#include "plenary/calibrate/vote_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <numeric>
#include <unordered_map>

#include "calibrate/csv.hpp"
#include "calibrate/vote_data_internal.hpp"
#include "plenary/util/compressed.hpp"
#include "plenary/util/error.hpp"

namespace plenary::calibrate {

namespace {

int parse_int(const CsvReader& in, const std::string& text, std::string_view column) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    throw DataError({in.name(), in.line(), 0},
                    fmt::format("column '{}' must be a whole number, found '{}'", column, text));
  }
  return value;
}

// `importantvote`, `amend` and `para` are 1, 0 or empty (unknown, read as 0).
bool parse_flag(const CsvReader& in, const std::string& text, std::string_view column) {
  if (text == "1") return true;
  if (text.empty() || text == "0") return false;
  throw DataError({in.name(), in.line(), 0},
                  fmt::format("column '{}' must be 1, 0 or empty, found '{}'", column, text));
}

void require_fields(const CsvReader& in, const std::vector<std::string>& fields,
                    std::size_t count) {
  if (fields.size() != count) {
    throw DataError(
        {in.name(), in.line(), 0},
        fmt::format("expected {} fields as in the header, found {}", count, fields.size()));
  }
}

// The header record into `fields`; an empty file is an error that shows the header wanted.
void read_header(CsvReader& in, std::vector<std::string>& fields, std::string_view expected) {
  if (!in.next(fields)) {
    throw DataError(
        {in.name(), 1, 0},
        fmt::format("the file is empty (expected the header '{}' and its rows)", expected));
  }
}

std::vector<RollCall> read_roll_calls(const std::filesystem::path& dir) {
  CsvReader in = CsvReader::open(find_data_file(dir, "roll_calls.csv"));
  std::vector<std::string> f;
  read_header(in, f, "rcid,session,importantvote,date,unres,amend,para,short,descr");
  const auto c = require_columns(
      in, f, {"rcid", "session", "importantvote", "date", "unres", "amend", "para", "short"});
  const std::size_t width = f.size();
  const auto descr = std::find(f.begin(), f.end(), "descr");
  const std::ptrdiff_t descr_column = descr == f.end() ? -1 : descr - f.begin();
  std::vector<RollCall> out;
  while (in.next(f)) {
    require_fields(in, f, width);
    RollCall rc;
    rc.rcid = parse_int(in, f[c[0]], "rcid");
    rc.session = parse_int(in, f[c[1]], "session");
    rc.important = parse_flag(in, f[c[2]], "importantvote");
    rc.date = f[c[3]];
    rc.unres = f[c[4]];
    rc.amendment = parse_flag(in, f[c[5]], "amend");
    rc.paragraph = parse_flag(in, f[c[6]], "para");
    rc.title = f[c[7]];
    if (descr_column >= 0) rc.description = f[static_cast<std::size_t>(descr_column)];
    out.push_back(std::move(rc));
  }
  std::stable_sort(out.begin(), out.end(), [](const RollCall& a, const RollCall& b) {
    return a.date != b.date ? a.date < b.date : a.rcid < b.rcid;
  });
  return out;
}

void read_issues(const std::filesystem::path& dir, VoteData& data) {
  CsvReader in = CsvReader::open(find_data_file(dir, "roll_call_issues.csv"));
  std::vector<std::string> f;
  read_header(in, f, "rcid,short_name,issue");
  const auto c = require_columns(in, f, {"rcid", "short_name"});
  const std::size_t width = f.size();
  std::unordered_map<int, std::size_t> by_rcid;
  for (std::size_t i = 0; i < data.roll_calls.size(); ++i) {
    if (!by_rcid.emplace(data.roll_calls[i].rcid, i).second) {
      throw DataError(find_data_file(dir, "roll_calls.csv").string() + ": roll call " +
                      std::to_string(data.roll_calls[i].rcid) + " appears twice");
    }
  }
  while (in.next(f)) {
    require_fields(in, f, width);
    const int rcid = parse_int(in, f[c[0]], "rcid");
    const auto index = by_rcid.find(rcid);
    if (index == by_rcid.end()) {
      throw DataError({in.name(), in.line(), 0},
                      fmt::format("roll call {} is not in roll_calls.csv", rcid));
    }
    data.roll_calls[index->second].issues.push_back(f[c[1]]);
  }
}

Vote parse_vote(const CsvReader& in, const std::string& text) {
  if (text == "yes") return Vote::kYes;
  if (text == "no") return Vote::kNo;
  if (text == "abstain") return Vote::kAbstain;
  throw DataError({in.name(), in.line(), 0},
                  fmt::format("unknown vote '{}': expected yes, no or abstain", text));
}

// Maps (data code, data name, session) to a state index, caching the answers.
class StateIndex {
 public:
  explicit StateIndex(VoteData& data) : data_(data) {}

  std::optional<std::int32_t> find(const std::string& code, const std::string& country,
                                   int session) {
    const std::string key =
        fmt::format("{}|{}|{}", code, code.empty() ? country : "", code == "YU" ? session : 0);
    if (const auto it = cache_.find(key); it != cache_.end()) return it->second;
    std::optional<std::int32_t> result;
    if (const auto mapped = map_country(code, country, session)) {
      const auto it =
          std::find_if(data_.states.begin(), data_.states.end(),
                       [&](const CountryCode& s) { return s.alpha3 == mapped->alpha3; });
      result = static_cast<std::int32_t>(it - data_.states.begin());
      if (it == data_.states.end()) data_.states.push_back(*mapped);
    }
    cache_.emplace(key, result);
    return result;
  }

 private:
  VoteData& data_;
  std::unordered_map<std::string, std::optional<std::int32_t>> cache_;
};

void read_votes(const std::filesystem::path& dir, VoteData& data) {
  CsvReader in = CsvReader::open(find_data_file(dir, "votes.csv"));
  std::vector<std::string> f;
  read_header(in, f, "rcid,country_code,country,vote");
  const auto c = require_columns(in, f, {"rcid", "country_code", "country", "vote"});
  const std::size_t width = f.size();
  std::unordered_map<int, std::int32_t> by_rcid;
  for (std::size_t i = 0; i < data.roll_calls.size(); ++i) {
    by_rcid.emplace(data.roll_calls[i].rcid, static_cast<std::int32_t>(i));
  }
  StateIndex states(data);
  std::map<std::pair<std::string, std::string>, int> unmapped;
  while (in.next(f)) {
    require_fields(in, f, width);
    const int rcid = parse_int(in, f[c[0]], "rcid");
    const auto rc = by_rcid.find(rcid);
    if (rc == by_rcid.end()) {
      throw DataError({in.name(), in.line(), 0},
                      fmt::format("roll call {} is not in roll_calls.csv", rcid));
    }
    const Vote vote = parse_vote(in, f[c[3]]);
    const auto state = states.find(f[c[1]], f[c[2]], data.roll_calls[rc->second].session);
    if (!state) {
      ++unmapped[{f[c[1]], f[c[2]]}];
      continue;
    }
    data.votes.push_back({rc->second, *state, vote});
  }
  for (const auto& [key, count] : unmapped) data.unmapped.push_back({key.first, key.second, count});
}

}  // namespace

namespace detail {

// Membership spans, and a check that no state voted twice on one roll call.
void index_membership(const std::string& votes_file, VoteData& data) {
  const std::size_t n_states = data.states.size();
  data.membership.assign(n_states, {std::numeric_limits<std::int32_t>::max(), -1});
  std::unordered_map<std::int64_t, char> seen;
  seen.reserve(data.votes.size());
  for (const CastVote& v : data.votes) {
    const std::int64_t key = static_cast<std::int64_t>(v.roll_call) * 65536 + v.state;
    if (!seen.emplace(key, 0).second) {
      throw DataError(
          {votes_file, 0, 0},
          fmt::format("{} ({}) has two votes on roll call {}", data.states[v.state].name,
                      data.states[v.state].alpha3, data.roll_calls[v.roll_call].rcid));
    }
    auto& [first, last] = data.membership[v.state];
    first = std::min(first, v.roll_call);
    last = std::max(last, v.roll_call);
  }
}

}  // namespace detail

std::optional<std::size_t> VoteData::find_roll_call(int rcid) const {
  for (std::size_t i = 0; i < roll_calls.size(); ++i) {
    if (roll_calls[i].rcid == rcid) return i;
  }
  return std::nullopt;
}

VoteData load_vote_data(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw DataError(fmt::format(
        "--votes '{}': no such file or directory; give a directory with Voeten's votes.csv, "
        "roll_calls.csv and roll_call_issues.csv, or one CSV file of the UN's General Assembly "
        "Voting Data (docs/calibration.md)",
        path.string()));
  }
  if (!std::filesystem::is_directory(path, ec)) return load_undl_vote_data(path);
  VoteData data;
  data.roll_calls = read_roll_calls(path);
  read_issues(path, data);
  read_votes(path, data);
  detail::index_membership(find_data_file(path, "votes.csv").string(), data);
  return data;
}

}  // namespace plenary::calibrate
