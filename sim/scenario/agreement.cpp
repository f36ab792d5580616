// Agreement ties (MODEL.md, "Ties"): `agreement: {file, weight, floor}` and its CSV file of
// pairwise vote-agreement scores, `code_a,code_b,n,agreement`.

#include <fmt/format.h>

#include <unordered_map>

#include "plenary/util/sha256.hpp"
#include "plenary/util/text.hpp"
#include "scenario/loader_internal.hpp"

namespace plenary::loader {

namespace {

using yaml::Field;

constexpr std::string_view kHeader = "code_a,code_b,n,agreement";

struct CsvField {
  std::string text;
  int column = 0;  // 1-based
};

class CsvReader {
 public:
  explicit CsvReader(std::string file) : file_(std::move(file)) {}

  [[noreturn]] void fail(int line, int column, const std::string& message) const {
    throw DataError(SourceLocation{file_, line, column}, message);
  }

  // Splits one line (without its newline) into fields; quoted fields may hold commas and
  // doubled quotes (RFC 4180), but not line breaks.
  std::vector<CsvField> split(std::string_view line, int number) const {
    std::vector<CsvField> out;
    std::size_t pos = 0;
    while (true) {
      CsvField f;
      f.column = static_cast<int>(pos) + 1;
      if (pos < line.size() && line[pos] == '"') {
        pos = quoted(line, pos, number, f.text);
        if (pos < line.size() && line[pos] != ',') {
          fail(number, static_cast<int>(pos) + 1, "unexpected text after a quoted field");
        }
      } else {
        const std::size_t end = std::min(line.find(',', pos), line.size());
        f.text = std::string(trim(line.substr(pos, end - pos)));
        pos = end;
      }
      out.push_back(std::move(f));
      if (pos >= line.size()) return out;
      ++pos;  // the comma
    }
  }

 private:
  // Reads the quoted field opening at `pos`; returns the position after its closing quote.
  std::size_t quoted(std::string_view line, std::size_t pos, int number, std::string& text) const {
    for (std::size_t k = pos + 1; k < line.size(); ++k) {
      if (line[k] != '"') {
        text += line[k];
      } else if (k + 1 < line.size() && line[k + 1] == '"') {
        text += '"';
        ++k;
      } else {
        return k + 1;
      }
    }
    fail(number, static_cast<int>(pos) + 1,
         "unterminated quoted field (a closing '\"' is missing)");
  }

  std::string file_;
};

struct PairKey {
  std::string low, high;
  bool operator==(const PairKey&) const = default;
};
struct PairHash {
  std::size_t operator()(const PairKey& k) const {
    return std::hash<std::string>()(k.low) * 31 + std::hash<std::string>()(k.high);
  }
};

// One data row, checked: the two codes, n and the score.
struct Row {
  std::string a, b;
  long n = 0;
  double score = 0;
};

Row parse_row(const CsvReader& csv, const std::vector<CsvField>& fields, int number) {
  if (fields.size() != 4) {
    csv.fail(number, 1, fmt::format("expected 4 fields ({}), got {}", kHeader, fields.size()));
  }
  for (int k = 0; k < 2; ++k) {
    if (fields[k].text.empty()) {
      csv.fail(number, fields[k].column,
               fmt::format("expected a member code for '{}', got nothing",
                           k == 0 ? "code_a" : "code_b"));
    }
  }
  if (fields[0].text == fields[1].text) {
    csv.fail(number, fields[1].column, fmt::format("a pair of '{}' with itself", fields[0].text));
  }
  const std::optional<std::int64_t> n = parse_integer(fields[2].text);
  if (!n || *n < 0) {
    csv.fail(number, fields[2].column,
             fmt::format("expected a non-negative integer for 'n', got '{}'", fields[2].text));
  }
  const std::optional<double> g = parse_number(fields[3].text);
  if (!g) {
    csv.fail(number, fields[3].column,
             fmt::format("expected a number for 'agreement', got '{}'", fields[3].text));
  }
  if (!(*g >= 0 && *g <= 1)) {
    csv.fail(number, fields[3].column,
             fmt::format("'agreement' must be between 0 and 1, got {}", fields[3].text));
  }
  return Row{fields[0].text, fields[1].text, static_cast<long>(*n), *g};
}

void check_header(const CsvReader& csv, const std::vector<CsvField>& fields, int number) {
  std::string got;
  for (const CsvField& f : fields) got += (got.empty() ? "" : ",") + f.text;
  if (got != kHeader) {
    csv.fail(number, 1, fmt::format("expected the header '{}', got '{}'", kHeader, got));
  }
}

// Parses the CSV text; keeps the pairs of two scenario members.
std::vector<AgreementScore> parse_scores(std::string_view text, const std::string& display,
                                         const Context& ctx) {
  const CsvReader csv(display);
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a UTF-8 byte-order mark
  std::vector<AgreementScore> scores;
  std::unordered_map<PairKey, int, PairHash> first;
  bool header = false;
  int number = 0;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty()) continue;
    const std::vector<CsvField> fields = csv.split(line, number);
    if (!header) {
      check_header(csv, fields, number);
      header = true;
      continue;
    }
    const Row row = parse_row(csv, fields, number);
    PairKey key{std::min(row.a, row.b), std::max(row.a, row.b)};
    const auto [seen, inserted] = first.emplace(key, number);
    if (!inserted) {
      csv.fail(number, 1,
               fmt::format("duplicate pair '{}','{}' (first given at line {})", key.low, key.high,
                           seen->second));
    }
    // The file usually covers every UN member; pairs outside the scenario are skipped.
    const auto a = ctx.member_index.find(row.a);
    const auto b = ctx.member_index.find(row.b);
    if (a == ctx.member_index.end() || b == ctx.member_index.end()) continue;
    scores.push_back(AgreementScore{a->second, b->second, row.n, row.score});
  }
  if (!header) {
    csv.fail(0, 0, fmt::format("the file is empty (expected the header '{}')", kHeader));
  }
  return scores;
}

}  // namespace

AgreementTies read_agreement(const Field& agreement, const fs::path& dir, Context& ctx) {
  const yaml::Map map = agreement.map({"file", "weight", "floor"});
  record_fields(ctx, Part::kAgreement, 0, map);
  AgreementTies out;
  const Field& file = map.require("file", "'agreement'");
  out.file = file.string();
  if (const Field* weight = map.find("weight")) out.weight = weight->number();
  if (const Field* floor = map.find("floor")) {
    const bool median = floor->is_plain_scalar() && floor->node.Scalar() == "median";
    if (!median) {
      if (floor->node.IsScalar() && !parse_number(floor->node.Scalar())) {
        floor->fail(fmt::format("expected 'median' or a number for 'floor', got {}",
                                yaml::describe(floor->node)));
      }
      out.floor = floor->number();
    }
  }
  const std::string path = (dir / out.file).lexically_normal().string();
  std::string bytes;
  std::string error;
  if (out.file.empty() || !yaml::read_file(path, bytes, error)) {
    throw DataError(file.where(), fmt::format("cannot read agreement file '{}': {}", path,
                                              out.file.empty() ? "no file named" : error));
  }
  ctx.read_files.emplace_back(out.file, sha256_hex(bytes));
  out.scores = parse_scores(bytes, path, ctx);
  return out;
}

}  // namespace plenary::loader
