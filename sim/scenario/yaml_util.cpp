#include "scenario/yaml_util.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <unordered_map>

#include "plenary/util/compressed.hpp"
#include "plenary/util/text.hpp"

namespace plenary::yaml {

namespace {

// yaml-cpp's tag for a plain (unquoted, untagged) scalar; quoted scalars get "!".
constexpr std::string_view kPlainTag = "?";

// The key part of a message: "for 'clout'", or "at the top level" for a document root.
std::string for_key(const Field& f) {
  return f.key.empty() ? std::string("at the top level") : fmt::format("for '{}'", f.key);
}

// The name of a value in range messages: "'clout'", or "the value" for a document root.
std::string quoted_key(const Field& f) {
  return f.key.empty() ? std::string("the value") : fmt::format("'{}'", f.key);
}

bool is_nonfinite_spelling(std::string_view text) {
  static constexpr std::array<std::string_view, 12> kSpellings = {
      ".nan",  ".NaN",  ".NAN",  ".inf",  ".Inf",  ".INF",
      "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"};
  for (std::string_view s : kSpellings) {
    if (text == s) return true;
  }
  return false;
}

// "got 'three'", "got a list", "got the quoted string '3'".
std::string got(const Field& f) {
  if (f.node.IsScalar() && f.node.Tag() == "!") {
    return fmt::format("got the quoted string '{}'", f.node.Scalar());
  }
  return "got " + describe(f.node);
}

// The scalar text of a plain scalar that should be a number, or a ScenarioError naming
// `kind` ("a number", "an integer").
std::string plain_scalar(const Field& f, std::string_view kind) {
  if (!f.node.IsScalar() || f.node.Tag() != kPlainTag) {
    f.fail(fmt::format("expected {} {}, {}", kind, for_key(f), got(f)));
  }
  return std::string(f.node.Scalar());
}

}  // namespace

SourceLocation location(const std::string& file, const Node& node) {
  const Mark mark = node.GetMark();
  if (mark.is_null()) return SourceLocation{file, 0, 0};
  return SourceLocation{file, mark.line + 1, mark.column + 1};
}

std::string describe(const Node& node) {
  switch (node.Type()) {
    case NodeType::kMap:
      return "a map";
    case NodeType::kSequence:
      return "a list";
    case NodeType::kScalar:
      return fmt::format("'{}'", node.Scalar());
    case NodeType::kNull:
    case NodeType::kUndefined:
      break;
  }
  return "nothing";
}

bool read_file(const std::string& path, std::string& bytes, std::string& error) {
  // Scenario, member and positions files are small text files: refuse directories,
  // devices such as /dev/zero and anything too large to be one.
  constexpr std::uintmax_t kMaxBytes = 256u << 20;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    error = "it is a directory";
    return false;
  }
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec)) {
    error = "it is not a regular file";
    return false;
  }
  if (const std::uintmax_t size = std::filesystem::file_size(path, ec); !ec && size > kMaxBytes) {
    error =
        fmt::format("it is {} MB, larger than any scenario file should be (256 MB)", size >> 20);
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return false;
  }
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) {
    error = "read failed";
    return false;
  }
  bytes = std::move(out).str();
  // A gzip-compressed file (positions.yaml.gz, agreement.csv.gz) reads as its text.
  if (is_gzip(bytes)) {
    try {
      bytes = gunzip(bytes, path, kMaxBytes);
    } catch (const DataError& e) {
      error = e.where().line > 0 ? fmt::format("at line {}: {}", e.where().line, e.message())
                                 : e.message();
      return false;
    }
  }
  return true;
}

SourceLocation Field::where() const {
  if (node.IsNull() && key_node.IsDefined()) return location(file, key_node);
  return location(file, node);
}

void Field::fail(const std::string& message) const { throw ScenarioError(where(), message); }

bool Field::is_plain_scalar() const { return node.IsScalar() && node.Tag() == kPlainTag; }

double Field::number() const {
  const std::string text = plain_scalar(*this, "a number");
  if (is_nonfinite_spelling(text)) {
    fail(fmt::format("{} must be a finite number, got {}", quoted_key(*this), text));
  }
  const std::optional<double> value = parse_number(text);
  if (!value) fail(fmt::format("expected a number {}, got '{}'", for_key(*this), text));
  if (!std::isfinite(*value)) {
    fail(fmt::format("{} must be a finite number, got {}", quoted_key(*this), text));
  }
  return *value;
}

int Field::integer() const {
  const std::string text = plain_scalar(*this, "an integer");
  const std::optional<std::int64_t> value = parse_integer(text);
  if (!value) {
    // A number that is not an integer is shown as written; anything else quoted.
    if (parse_number(text) || is_nonfinite_spelling(text)) {
      fail(fmt::format("expected an integer {}, got {}", for_key(*this), text));
    }
    fail(fmt::format("expected an integer {}, got '{}'", for_key(*this), text));
  }
  if (*value < std::numeric_limits<int>::min() || *value > std::numeric_limits<int>::max()) {
    fail(fmt::format("{} is out of range, got {}", quoted_key(*this), text));
  }
  return static_cast<int>(*value);
}

std::uint64_t Field::unsigned_integer() const {
  const std::string text = plain_scalar(*this, "a non-negative integer");
  const std::optional<std::uint64_t> value = parse_unsigned(text);
  if (value) return *value;
  if (parse_integer(text)) {
    fail(fmt::format("{} must be a non-negative integer, got {}", quoted_key(*this), text));
  }
  if (parse_number(text) && text.find_first_of(".eE") == std::string::npos) {
    fail(fmt::format("{} must be at most {}, got {}", quoted_key(*this),
                     std::numeric_limits<std::uint64_t>::max(), text));
  }
  if (parse_number(text) || is_nonfinite_spelling(text)) {
    fail(fmt::format("expected a non-negative integer {}, got {}", for_key(*this), text));
  }
  fail(fmt::format("expected a non-negative integer {}, got '{}'", for_key(*this), text));
}

std::string Field::string() const {
  if (!node.IsScalar()) fail(fmt::format("expected a string {}, {}", for_key(*this), got(*this)));
  // Names and titles end up in JSON and HTML, which must be valid UTF-8.
  if (!valid_utf8(node.Scalar())) {
    fail(fmt::format("the text {} is not valid UTF-8 (save the file as UTF-8)", for_key(*this)));
  }
  return std::string(node.Scalar());
}

bool Field::boolean() const {
  if (is_plain_scalar()) {
    const std::string_view text = node.Scalar();
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
  }
  fail(fmt::format("expected true or false {}, {}", for_key(*this), got(*this)));
}

std::vector<Field> Field::list() const {
  if (!node.IsSequence()) fail(fmt::format("expected a list {}, {}", for_key(*this), got(*this)));
  std::vector<Field> items;
  items.reserve(node.size());
  for (std::size_t k = 0; k < node.size(); ++k) items.push_back(item(k));
  return items;
}

std::size_t Field::list_size() const {
  if (!node.IsSequence()) fail(fmt::format("expected a list {}, {}", for_key(*this), got(*this)));
  return node.size();
}

Field Field::item(std::size_t k) const {
  const Node n = node.item(k);
  return Field{file, key, n, n};
}

std::vector<double> Field::vector() const {
  if (!node.IsSequence()) {
    fail(fmt::format("expected a list of 1 to 3 numbers {}, {}", for_key(*this), got(*this)));
  }
  if (node.size() < 1 || node.size() > 3) {
    fail(fmt::format("{} must have 1 to 3 numbers, got {}", quoted_key(*this), node.size()));
  }
  std::vector<double> out;
  for (const Field& item : list()) out.push_back(item.number());
  return out;
}

Map Field::map(std::vector<std::string_view> allowed, std::string_view noun,
               bool empty_is_map) const {
  return Map(*this, std::move(allowed), noun, empty_is_map);
}

Map::Map(Field self, std::vector<std::string_view> allowed, std::string_view noun,
         bool empty_is_map)
    : self_(std::move(self)) {
  if (empty_is_map && self_.node.IsNull()) return;
  if (!self_.node.IsMap()) {
    self_.fail(fmt::format("expected a map {}, {}", for_key(self_), got(self_)));
  }
  // yaml-cpp 0.7 keeps both entries of a repeated key and lookups see only the first, so
  // a repeated key would silently lose a value: check the pairs one by one.
  std::unordered_map<std::string_view, Node> seen;
  for (std::size_t k = 0; k < self_.node.size(); ++k) {
    const auto [name, value] = self_.node.pair(k);
    const Field key_field{self_.file, self_.key, name, name};
    if (!name.IsScalar()) {
      key_field.fail(fmt::format("expected a {} name, got {}", noun, describe(name)));
    }
    const std::string_view key = name.Scalar();
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string hint = did_you_mean(key, allowed);
      if (hint.empty()) hint = fmt::format(" (expected {})", join_quoted(allowed));
      key_field.fail(fmt::format("unknown {} '{}'{}", noun, key, hint));
    }
    const auto [first, inserted] = seen.emplace(key, name);
    if (!inserted) {
      const SourceLocation before = location(self_.file, first->second);
      key_field.fail(
          fmt::format("duplicate {} '{}' (first given at line {})", noun, key, before.line));
    }
    fields_.push_back(Field{self_.file, std::string(key), name, value});
  }
}

const Field* Map::find(std::string_view key) const {
  for (const Field& f : fields_) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

const Field& Map::require(std::string_view key, std::string_view in) const {
  if (const Field* f = find(key)) return *f;
  self_.fail(fmt::format("missing required key '{}' in {}", key, in));
}

}  // namespace plenary::yaml
