// Members and ties from plain tables (docs/scenario-format.md, "Members and ties from plain
// files"): `members: {file: members.csv}` and `ties: {file: ties.csv}`, read record by
// record by table::Reader, every value located at file:line:column.

#include <fmt/format.h>

#include <array>
#include <cstddef>
#include <cstring>
#include <unordered_map>

#include "plenary/util/sha256.hpp"
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

// Where the checks after reading find a member's fields: read again from the table, only
// for an error (RecordedSourceMap::add_table), so that a member costs no map of locations.
std::vector<RecordedSourceMap::TableField> member_table_fields() {
  return {{"code", "code", true},
          {"name", "name", true},
          {"position", "x1", false},
          {"position_se", "se1", false},
          {"clout", "clout", false},
          {"absence", "absence", false},
          {"abstain_habit", "abstain_habit", false},
          {"votes", "votes", false},
          {"group", "group", false}};
}

// The optional fields of a member row: an empty cell keeps the default.
void read_member_row(const table::Reader& in, const MemberColumns& c, MemberEntry& e) {
  auto given = [&](int k) { return k >= 0 && !in.field(static_cast<std::size_t>(k)).empty(); };
  auto number = [&](int k, double& into) {
    if (given(k)) into = in.number(static_cast<std::size_t>(k));
  };
  number(c.clout, e.member.clout);
  number(c.absence, e.member.absence);
  number(c.habit, e.member.abstain_habit);
  if (given(c.votes)) e.member.votes = in.boolean(static_cast<std::size_t>(c.votes));
  if (given(c.group)) e.member.group = std::string(in.field(static_cast<std::size_t>(c.group)));
  if (given(c.blocs)) {
    // `;`-separated names; the column of each name is counted from the field's start
    // (exact unless the field is quoted with doubled quotes before the name).
    const std::string_view text = in.field(static_cast<std::size_t>(c.blocs));
    const int start = in.column(static_cast<std::size_t>(c.blocs));
    std::size_t pos = 0;
    for (std::string_view name : split_trimmed(text, ';')) {
      pos = text.find(name, pos);
      const int column = start + static_cast<int>(pos);
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
  const auto code_k = static_cast<std::size_t>(c.code);
  if (in.field(code_k).empty()) in.fail(code_k, "expected a member code for 'code', got nothing");
  e.member.code = std::string(in.field(code_k));
  e.member.name = std::string(in.field(static_cast<std::size_t>(c.name)));
  e.member.position = read_point(in, c.x, e.member.code);
  e.member.position_se = read_point(in, c.se, e.member.code);
  read_member_row(in, c, e);
  return e;
}

}  // namespace

MemberList read_member_table(const fs::path& path, const std::string& display, Context& ctx,
                             const std::string& written) {
  Sha256 digest;
  table::Reader in(path, display, &digest);
  in.read_header();
  const MemberColumns columns = member_columns(in);
  MemberList out;
  out.from_table = true;
  ctx.where.add_table(Part::kMember, path, display, member_table_fields());
  std::unordered_map<std::string, int, StringHash, std::equal_to<>> first_line;
  // Buckets for about as many members as the file has records (rows of ~40 bytes or more),
  // so that the table is not rehashed as it grows: an estimate, only for speed.
  std::error_code ec;
  const std::uintmax_t bytes = std::filesystem::file_size(path, ec);
  if (!ec)
    first_line.reserve(static_cast<std::size_t>(std::min<std::uintmax_t>(bytes / 40, 1u << 24)));
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
  ctx.read_files.emplace_back(written, digest.hex());
  return out;
}

namespace {

// Member code -> index for millions of lookups: an open-addressed table whose 16-byte slots
// hold the code itself (codes of up to 11 bytes; longer ones are compared with the member's
// code), so that a lookup touches one cache line. A lookup is a cache miss at 100,000
// members: a hash node and a Member (std::unordered_map) cost three or four, ~1 us here.
class CodeIndex {
 public:
  explicit CodeIndex(const std::vector<Member>& members) : members_(members) {
    std::size_t slots = 16;
    while (slots < 2 * members.size()) slots *= 2;
    slots_.assign(slots, Slot{});
    for (std::size_t i = 0; i < members.size(); ++i) {
      Slot slot = image(members[i].code);
      slot.index = static_cast<std::int32_t>(i);
      std::size_t k = hash(slot, members[i].code) & (slots - 1);
      while (slots_[k].index >= 0) k = (k + 1) & (slots - 1);
      slots_[k] = slot;
    }
  }

  /// The member's index, or -1.
  int find(std::string_view code) const { return find(probe(code), code); }

 private:
  static constexpr std::size_t kInline = 11;
  static constexpr std::uint8_t kLong = 255;
  struct Slot {
    char code[kInline] = {};  // the code, zero-padded (its first bytes when longer)
    std::uint8_t size = 0;    // its length, or kLong
    std::int32_t index = -1;
  };
  static constexpr std::size_t kKeyBytes = offsetof(Slot, index);  // code and size
  static_assert(kKeyBytes == 12 && sizeof(Slot) == 16);

 public:
  /// A lookup begun: the code's image and first slot, which is being fetched.
  struct Probe {
    Slot key;
    std::size_t slot = 0;
  };
  Probe probe(std::string_view code) const {
    Probe p{image(code), 0};
    p.slot = hash(p.key, code) & (slots_.size() - 1);
    __builtin_prefetch(&slots_[p.slot]);
    return p;
  }
  /// The lookup finished: the index of `code` (the code probed), or -1.
  int find(const Probe& p, std::string_view code) const {
    for (std::size_t k = p.slot;; k = (k + 1) & (slots_.size() - 1)) {
      const Slot& slot = slots_[k];
      if (slot.index < 0) return -1;
      if (std::memcmp(&slot, &p.key, kKeyBytes) == 0 &&
          (p.key.size != kLong || members_[static_cast<std::size_t>(slot.index)].code == code)) {
        return slot.index;
      }
    }
  }

 private:
  static Slot image(std::string_view code) {
    Slot s;
    // An empty code may have no data pointer at all, which memcpy must not be given.
    if (!code.empty()) std::memcpy(s.code, code.data(), std::min(code.size(), kInline));
    s.size = code.size() <= kInline ? static_cast<std::uint8_t>(code.size()) : kLong;
    return s;
  }
  static std::uint64_t hash(const Slot& s, std::string_view code) {
    if (s.size == kLong) return std::hash<std::string_view>()(code);
    std::uint64_t w0 = 0;
    std::uint32_t w1 = 0;
    const auto* bytes = reinterpret_cast<const char*>(&s);
    std::memcpy(&w0, bytes, 8);
    std::memcpy(&w1, bytes + 8, 4);
    // A multiply-xorshift mix (splitmix64's finaliser) of the 12 bytes.
    std::uint64_t h = w0 * 0x9E3779B97F4A7C15ull ^ (std::uint64_t{w1} + 1) * 0xC2B2AE3D27D4EB4Full;
    h ^= h >> 30;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 27;
    h *= 0x94D049BB133111EBull;
    return h ^ (h >> 31);
  }
  const std::vector<Member>& members_;
  std::vector<Slot> slots_;
};

// The DataError of a tie's code `code` (column `column`) that is not a member's, at `at`.
[[noreturn]] void bad_tie_member(const Scenario& s, std::string_view code, std::string_view column,
                                 const SourceLocation& at) {
  if (code.empty()) {
    throw DataError(at, fmt::format("expected a member code for '{}', got nothing", column));
  }
  std::vector<std::string> codes;
  codes.reserve(s.members.size());
  for (const Member& m : s.members) codes.push_back(m.code);
  throw DataError(
      at, fmt::format("unknown member code '{}' in a tie{}", code, did_you_mean(code, codes)));
}

// The index of the member whose code is field k, or DataError naming the nearest code.
int tie_member(const Scenario& s, const table::Reader& in, std::size_t k, const CodeIndex& index) {
  const std::string_view code = in.field(k);
  if (const int i = index.find(code); i >= 0) return i;
  bad_tie_member(s, code, in.header()[k], SourceLocation{in.file(), in.line(), in.column(k)});
}

// The `to` member of each tie, looked up kDepth records late, after its slot was prefetched:
// the lookup's cache miss (at 100,000 members) then overlaps the reading of the records
// after it (one record, ~30 ns, hides too little of a miss to memory). Errors keep the order
// of the records: call finish() before throwing a record's own error. Only the line and
// column of a pending code are kept; its location is built for an error.
class LateLookups {
 public:
  LateLookups(const Scenario& s, const CodeIndex& index, const table::Reader& in,
              std::vector<Tie>& ties)
      : s_(s), index_(index), in_(in), ties_(ties) {}

  /// Looks up field k of the current record, the `to` of ties.back(), and finishes the
  /// lookup kDepth records before it.
  void add(std::size_t k) {
    Pending& p = pending_[(first_ + count_) % kDepth];
    if (count_ == kDepth) {
      finish_first();
    }
    p.probe = index_.probe(in_.field(k));
    p.code.assign(in_.field(k));
    p.line = in_.line();
    p.column = in_.column(k);
    p.k = k;
    p.tie = ties_.size() - 1;
    ++count_;
  }

  /// Finishes the pending lookups in the order of their records, or throws the first one's
  /// DataError.
  void finish() {
    while (count_ > 0) finish_first();
  }

 private:
  static constexpr std::size_t kDepth = 16;
  struct Pending {
    CodeIndex::Probe probe;
    std::string code;
    int line = 0;
    int column = 0;
    std::size_t k = 0;
    std::size_t tie = 0;
  };

  void finish_first() {
    const Pending& p = pending_[first_];
    first_ = (first_ + 1) % kDepth;
    --count_;
    const int i = index_.find(p.probe, p.code);
    if (i < 0) {
      count_ = 0;  // the error ends the reading
      bad_tie_member(s_, p.code, in_.header()[p.k], SourceLocation{in_.file(), p.line, p.column});
    }
    ties_[p.tie].to = i;
  }

  const Scenario& s_;
  const CodeIndex& index_;
  const table::Reader& in_;
  std::vector<Tie>& ties_;
  std::array<Pending, kDepth> pending_;
  std::size_t first_ = 0;  // the oldest pending lookup
  std::size_t count_ = 0;
};

}  // namespace

void read_tie_table(Scenario& s, const Field& spec, const fs::path& dir, Context& ctx) {
  const yaml::Map map = spec.map({"file"});
  const Referenced file = resolve(map.require("file", "'ties'"), dir);
  Sha256 digest;
  table::Reader in(file.path, file.display, &digest);
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
  ctx.where.add_table(Part::kTie, file.path, file.display,
                      {{"from", "from", true}, {"to", "to", true}, {"weight", "weight", true}});
  const CodeIndex index(s.members);
  // Room for every row of the file at its shortest ("a,b,1"), reserved and not touched, so
  // that the vector never copies itself while it grows: untouched pages cost no memory.
  std::error_code ec;
  const std::uintmax_t bytes = std::filesystem::file_size(file.path, ec);
  const std::size_t rows =
      ec ? 0 : static_cast<std::size_t>(std::min<std::uintmax_t>(bytes / 6, 1u << 28));
  s.ties.reserve(s.ties.size() + rows);
  int last_from = -1;
  std::string last_code;
  LateLookups to_members(s, index, in, s.ties);
  const auto from = static_cast<std::size_t>(col[0]);
  const auto to = static_cast<std::size_t>(col[1]);
  const auto weight = static_cast<std::size_t>(col[2]);
  try {
    while (in.next()) {
      in.expect_header_width();
      // A ties table is usually grouped by `from`: look it up once per group.
      if (last_from < 0 || in.field(from) != last_code) {
        last_from = tie_member(s, in, from, index);
        last_code = in.field(from);
      }
      s.ties.push_back(Tie{last_from, -1, in.number(weight)});
      to_members.add(to);
    }
  } catch (const DataError&) {
    to_members.finish();  // the record before's error comes first
    throw;
  }
  to_members.finish();
  ctx.read_files.emplace_back(file.written, digest.hex());
}

}  // namespace plenary::loader
