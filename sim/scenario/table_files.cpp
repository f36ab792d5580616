// Members and ties from plain tables (docs/scenario-format.md, "Members and ties from plain
// files"): `members: {file: members.csv}` and `ties: {file: ties.csv}`, read record by
// record by table::Reader, every value located at file:line:column.

#include <fmt/format.h>

#include <array>
#include <unordered_map>

#include "plenary/util/text.hpp"
#include "scenario/loader_internal.hpp"
#include "scenario/table_reader.hpp"

namespace plenary::loader {

namespace {

using yaml::Field;

// The columns of a members table, in the order generate writes them.
const std::vector<std::string_view>& member_columns() {
  static const std::vector<std::string_view> columns = {
      "code",    "name",          "x1",    "x2",    "x3",   "se1", "se2", "se3", "clout",
      "absence", "abstain_habit", "votes", "group", "blocs"};
  return columns;
}

// Where each column of a members table is (-1 when absent), checked against the header.
struct MemberColumns {
  int code = -1, name = -1, clout = -1, absence = -1, habit = -1, votes = -1, group = -1,
      blocs = -1;
  std::vector<int> x, se;  // x1..xd, se1..sd
};

MemberColumns member_columns(table::Reader& in) {
  const std::vector<std::string>& header = in.header();
  for (std::size_t k = 0; k < header.size(); ++k) {
    const auto& known = member_columns();
    if (std::find(known.begin(), known.end(), header[k]) != known.end()) continue;
    std::string hint = did_you_mean(header[k], known);
    if (hint.empty()) hint = fmt::format(" (expected {})", join_quoted(known));
    in.fail(k, fmt::format("unknown column '{}' in the header{}", header[k], hint));
  }
  MemberColumns c;
  c.code = in.column_index("code");
  c.name = in.column_index("name");
  if (c.code < 0 || c.name < 0) {
    in.fail_line(
        fmt::format("the header has no '{}' column (a members table starts with a header such as "
                    "'code,name,x1,x2,clout,absence,blocs')",
                    c.code < 0 ? "code" : "name"));
  }
  for (int d = 1; d <= 3; ++d) {
    const int x = in.column_index(fmt::format("x{}", d));
    const int se = in.column_index(fmt::format("se{}", d));
    if (x >= 0 && static_cast<int>(c.x.size()) == d - 1) c.x.push_back(x);
    if (se >= 0 && static_cast<int>(c.se.size()) == d - 1) c.se.push_back(se);
    if ((x >= 0 && static_cast<int>(c.x.size()) < d) ||
        (se >= 0 && static_cast<int>(c.se.size()) < d)) {
      in.fail(static_cast<std::size_t>(x >= 0 ? x : se),
              fmt::format("column '{}{}' without '{}{}' (position columns are x1, x2, x3 in "
                          "turn; standard errors se1, se2, se3)",
                          x >= 0 ? "x" : "se", d, x >= 0 ? "x" : "se", d - 1));
    }
  }
  if (!c.se.empty() && c.se.size() != c.x.size()) {
    in.fail(static_cast<std::size_t>(c.se.back()),
            fmt::format("{} standard-error columns for {} position columns (give se1..se{})",
                        c.se.size(), c.x.size(), c.x.size()));
  }
  c.clout = in.column_index("clout");
  c.absence = in.column_index("absence");
  c.habit = in.column_index("abstain_habit");
  c.votes = in.column_index("votes");
  c.group = in.column_index("group");
  c.blocs = in.column_index("blocs");
  return c;
}

SourceLocation at(const table::Reader& in, int k) {
  return SourceLocation{in.file(), in.line(), in.column(static_cast<std::size_t>(k))};
}

// A position (or its standard errors) from columns `cols`: all empty (none), or all given.
Eigen::VectorXd read_point(const table::Reader& in, const std::vector<int>& cols,
                           const std::string& code) {
  std::size_t given = 0;
  for (int k : cols) given += in.field(static_cast<std::size_t>(k)).empty() ? 0 : 1;
  if (given == 0) return {};
  Eigen::VectorXd out(static_cast<Eigen::Index>(cols.size()));
  for (std::size_t d = 0; d < cols.size(); ++d) {
    const auto k = static_cast<std::size_t>(cols[d]);
    if (in.field(k).empty()) {
      in.fail(k, fmt::format("member '{}' has {} of {} coordinates (give every one, or leave "
                             "them all empty for no position)",
                             code, given, cols.size()));
    }
    out[static_cast<Eigen::Index>(d)] = in.number(k);
  }
  return out;
}

// The optional fields of a member row: an empty cell keeps the default.
void read_member_row(const table::Reader& in, const MemberColumns& c, MemberEntry& e) {
  auto given = [&](int k) { return k >= 0 && !in.field(static_cast<std::size_t>(k)).empty(); };
  auto number = [&](int k, const char* key, double& into) {
    if (!given(k)) return;
    into = in.number(static_cast<std::size_t>(k));
    e.spots[key] = at(in, k);
  };
  number(c.clout, "clout", e.member.clout);
  number(c.absence, "absence", e.member.absence);
  number(c.habit, "abstain_habit", e.member.abstain_habit);
  if (given(c.votes)) {
    e.member.votes = in.boolean(static_cast<std::size_t>(c.votes));
    e.spots["votes"] = at(in, c.votes);
  }
  if (given(c.group)) {
    e.member.group = std::string(in.field(static_cast<std::size_t>(c.group)));
    e.spots["group"] = at(in, c.group);
  }
  if (given(c.blocs)) {
    // `;`-separated names; the column of each name is counted from the field's start
    // (exact unless the field is quoted with doubled quotes before the name).
    const std::string_view text = in.field(static_cast<std::size_t>(c.blocs));
    const SourceLocation start = at(in, c.blocs);
    std::size_t pos = 0;
    for (std::string_view name : split_trimmed(text, ';')) {
      pos = text.find(name, pos);
      const int column = start.column + static_cast<int>(pos);
      if (name.empty()) {
        throw DataError(SourceLocation{in.file(), in.line(), column},
                        "an empty bloc name in 'blocs' (separate names with ';', e.g. "
                        "'WEOG;NATO')");
      }
      e.blocs.push_back(BlocRef{std::string(name), SourceLocation{in.file(), in.line(), column}});
      pos += name.size();
    }
  }
}

MemberEntry read_member_entry(const table::Reader& in, const MemberColumns& c) {
  in.expect_header_width();
  MemberEntry e;
  e.self = SourceLocation{in.file(), in.line(), 1};
  const auto code_k = static_cast<std::size_t>(c.code);
  if (in.field(code_k).empty()) in.fail(code_k, "expected a member code for 'code', got nothing");
  e.member.code = std::string(in.field(code_k));
  e.member.name = std::string(in.field(static_cast<std::size_t>(c.name)));
  e.spots["code"] = at(in, c.code);
  e.spots["name"] = at(in, c.name);
  e.member.position = read_point(in, c.x, e.member.code);
  if (e.member.position.size() > 0) e.spots["position"] = at(in, c.x[0]);
  e.member.position_se = read_point(in, c.se, e.member.code);
  if (e.member.position_se.size() > 0) e.spots["position_se"] = at(in, c.se[0]);
  read_member_row(in, c, e);
  return e;
}

}  // namespace

MemberList read_member_table(const fs::path& path, const std::string& display) {
  table::Reader in(path, display);
  in.read_header();
  const MemberColumns columns = member_columns(in);
  MemberList out;
  std::unordered_map<std::string, int, StringHash, std::equal_to<>> first_line;
  while (in.next()) {
    MemberEntry e = read_member_entry(in, columns);
    const auto [it, inserted] = first_line.emplace(e.member.code, in.line());
    if (!inserted) {
      in.fail(static_cast<std::size_t>(columns.code),
              fmt::format("duplicate member code '{}' (first given at line {})", e.member.code,
                          it->second));
    }
    out.entries.push_back(std::move(e));
  }
  return out;
}

namespace {

// Member code -> index for millions of lookups: an open-addressed table of (hash, index)
// and the codes packed in one string, so that a lookup touches two small arrays instead of
// a hash node and a Member (std::unordered_map took ~1 us a lookup at 100,000 members).
class CodeIndex {
 public:
  explicit CodeIndex(const std::vector<Member>& members) {
    std::size_t slots = 16;
    while (slots < 2 * members.size()) slots *= 2;
    slots_.assign(slots, Slot{0, -1});
    offsets_.reserve(members.size() + 1);
    offsets_.push_back(0);
    for (std::size_t i = 0; i < members.size(); ++i) {
      codes_ += members[i].code;
      offsets_.push_back(static_cast<std::uint32_t>(codes_.size()));
      const std::uint64_t h = std::hash<std::string_view>()(members[i].code);
      std::size_t k = h & (slots - 1);
      while (slots_[k].index >= 0) k = (k + 1) & (slots - 1);
      slots_[k] = Slot{static_cast<std::uint32_t>(h >> 32), static_cast<std::int32_t>(i)};
    }
  }

  /// The member's index, or -1.
  int find(std::string_view code) const {
    const std::uint64_t h = std::hash<std::string_view>()(code);
    for (std::size_t k = h & (slots_.size() - 1);; k = (k + 1) & (slots_.size() - 1)) {
      const Slot& slot = slots_[k];
      if (slot.index < 0) return -1;
      if (slot.hash == static_cast<std::uint32_t>(h >> 32) && code_of(slot.index) == code) {
        return slot.index;
      }
    }
  }

 private:
  struct Slot {
    std::uint32_t hash;  // the high half (the low bits chose the slot)
    std::int32_t index;
  };
  std::string_view code_of(std::int32_t i) const {
    const auto k = static_cast<std::size_t>(i);
    return std::string_view(codes_).substr(offsets_[k], offsets_[k + 1] - offsets_[k]);
  }
  std::vector<Slot> slots_;
  std::string codes_;
  std::vector<std::uint32_t> offsets_;
};

// The index of the member whose code is field k, or DataError naming the nearest code.
int tie_member(const Scenario& s, const table::Reader& in, std::size_t k, const CodeIndex& index) {
  const std::string_view code = in.field(k);
  if (const int i = index.find(code); i >= 0) return i;
  if (code.empty())
    in.fail(k, fmt::format("expected a member code for '{}', got nothing", in.header()[k]));
  std::vector<std::string> codes;
  codes.reserve(s.members.size());
  for (const Member& m : s.members) codes.push_back(m.code);
  in.fail(k, fmt::format("unknown member code '{}' in a tie{}", code, did_you_mean(code, codes)));
}

}  // namespace

void read_tie_table(Scenario& s, const Field& spec, const fs::path& dir, Context& ctx) {
  const yaml::Map map = spec.map({"file"});
  const Referenced file = resolve(map.require("file", "'ties'"), dir);
  table::Reader in(file.path, file.display);
  in.read_header();
  static const std::vector<std::string_view> kColumns = {"from", "to", "weight"};
  std::array<int, 3> col{};
  for (std::size_t k = 0; k < in.header().size(); ++k) {
    if (std::find(kColumns.begin(), kColumns.end(), in.header()[k]) == kColumns.end()) {
      in.fail(k, fmt::format("unknown column '{}' in the header{} (a ties table has the header "
                             "'from,to,weight')",
                             in.header()[k], did_you_mean(in.header()[k], kColumns)));
    }
  }
  for (std::size_t j = 0; j < kColumns.size(); ++j) {
    col[j] = in.column_index(kColumns[j]);
    if (col[j] < 0) {
      in.fail_line(
          fmt::format("the header has no '{}' column (a ties table has the header "
                      "'from,to,weight')",
                      kColumns[j]));
    }
  }
  ctx.where.start_rows(Part::kTie, file.display, {"from", "to", "weight"});
  const CodeIndex index(s.members);
  // Room for every row of the file at its shortest ("a,b,1"), reserved and not touched, so
  // that the vectors never copy themselves while they grow: untouched pages cost no memory.
  std::error_code ec;
  const std::uintmax_t bytes = std::filesystem::file_size(file.path, ec);
  const std::size_t rows =
      ec ? 0 : static_cast<std::size_t>(std::min<std::uintmax_t>(bytes / 6, 1u << 28));
  s.ties.reserve(s.ties.size() + rows);
  ctx.where.reserve_rows(Part::kTie, rows);
  int last_from = -1;
  std::string last_code;
  while (in.next()) {
    in.expect_header_width();
    const auto from = static_cast<std::size_t>(col[0]);
    const auto to = static_cast<std::size_t>(col[1]);
    const auto weight = static_cast<std::size_t>(col[2]);
    const std::array<std::int32_t, 8> spots = {
        in.line(),     1,         in.line(),        in.column(from), in.line(),
        in.column(to), in.line(), in.column(weight)};
    ctx.where.add_row(Part::kTie, spots.data());
    // A ties table is usually grouped by `from`: look it up once per group.
    if (last_from < 0 || in.field(from) != last_code) {
      last_from = tie_member(s, in, from, index);
      last_code = in.field(from);
    }
    s.ties.push_back(Tie{last_from, tie_member(s, in, to, index), in.number(weight)});
  }
}

}  // namespace plenary::loader
