#include "scenario/table_reader.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>

#include "plenary/util/compressed.hpp"
#include "plenary/util/text.hpp"

namespace plenary::table {

namespace {

constexpr std::size_t kBlock = 1u << 20;
// A record longer than this is not a member or a tie: refuse it rather than grow forever.
constexpr std::size_t kMaxLine = 1u << 20;
// As yaml::read_file: a compressed table expands to at most this much.
constexpr std::size_t kMaxExpanded = std::size_t{4} << 30;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// Whether every byte is ASCII (then the text is valid UTF-8 without decoding it).
bool all_ascii(std::string_view text) {
  unsigned char bits = 0;
  for (char c : text) bits |= static_cast<unsigned char>(c);
  return bits < 0x80;
}

// `text` without the spaces and tabs at its ends (plenary::trim, for a field's few bytes).
std::string_view trim_blanks(std::string_view text) {
  std::size_t first = 0;
  std::size_t last = text.size();
  while (first < last && is_blank(text[first])) ++first;
  while (last > first && is_blank(text[last - 1])) --last;
  return text.substr(first, last - first);
}

}  // namespace

bool parse_double(std::string_view text, double& value) {
  // The grammar of plenary::parse_number: [-+]?(digits[.digits?]|.digits)([eE][-+]?digits)?
  // from_chars would also take "inf", "nan" and "infinity"; the first character decides.
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  const std::size_t lead = !text.empty() && text[0] == '-' ? 1 : 0;
  if (text.size() <= lead) return false;
  const char c = text[lead];
  if (!is_digit(c) && !(c == '.' && text.size() > lead + 1 && is_digit(text[lead + 1]))) {
    return false;
  }
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value, std::chars_format::general);
  if (ptr != end) return false;
  if (ec == std::errc::result_out_of_range) {
    // from_chars leaves `value` as it was: tell an underflow (a valid tiny number, read as
    // YAML reads it) from an overflow (not finite).
    const std::optional<double> parsed = parse_number(text);
    if (!parsed || !std::isfinite(*parsed)) return false;
    value = *parsed;
    return true;
  }
  return ec == std::errc() && std::isfinite(value);
}

Reader::Reader(const std::filesystem::path& path, std::string display, Sha256* digest)
    : display_(std::move(display)) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw DataError(SourceLocation{display_, 0, 0}, "cannot read the file: it is a directory");
  }
  file_ = std::fopen(path.c_str(), "rb");
  if (file_ == nullptr) {
    throw DataError(SourceLocation{display_, 0, 0},
                    fmt::format("cannot read the file: {} (the path is relative to the "
                                "scenario file's directory)",
                                std::strerror(errno)));
  }
  // Blocks of 1 MiB, or less for a small file (the whole file and a byte, to see its end).
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  buffer_.resize(ec ? kBlock
                    : static_cast<std::size_t>(std::min<std::uintmax_t>(kBlock, size + 1)));
  fill();
  if (is_gzip(std::string_view(buffer_.data(), end_))) {
    // A compressed table is read whole: its records then split in place as any other.
    std::string compressed(buffer_.data(), end_);
    while (!eof_) {
      end_ = 0;
      fill();
      compressed.append(buffer_.data(), end_);
    }
    std::string text;
    try {
      text = gunzip(compressed, display_, kMaxExpanded);
    } catch (const DataError& e) {
      throw DataError(SourceLocation{display_, 0, 0},
                      "cannot read the file: " + std::string(e.message()));
    }
    buffer_.assign(text.begin(), text.end());
    begin_ = 0;
    end_ = buffer_.size();
    if (digest != nullptr) digest->update(text);
  } else if (digest != nullptr) {
    digest->update(std::string_view(buffer_.data(), end_));
    digest_ = digest;
  }
}

Reader::~Reader() {
  if (file_ != nullptr) std::fclose(file_);
}

// Moves the unread bytes to the front and reads more after them; false when nothing was read.
bool Reader::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
  const std::size_t got = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_);
  if (got == 0) {
    if (std::ferror(file_)) {
      throw DataError(SourceLocation{display_, next_line_, 0},
                      "cannot read the file: a read error");
    }
    eof_ = true;
    return false;
  }
  if (digest_ != nullptr) digest_->update(std::string_view(buffer_.data() + end_, got));
  end_ += got;
  return true;
}

// The next line without its line end, or a view with data() == nullptr at the end.
std::string_view Reader::next_line() {
  std::size_t scanned = begin_;
  while (true) {
    const char* start = buffer_.data() + scanned;
    const void* nl = std::memchr(start, '\n', end_ - scanned);
    if (nl != nullptr) {
      const std::size_t at =
          static_cast<std::size_t>(static_cast<const char*>(nl) - buffer_.data());
      std::string_view line(buffer_.data() + begin_, at - begin_);
      begin_ = at + 1;
      return line;
    }
    if (end_ - begin_ > kMaxLine) {
      throw DataError(SourceLocation{display_, next_line_, 1},
                      "the line is longer than 1 MiB (is this a table of members or ties?)");
    }
    const std::size_t offset = end_ - begin_;
    if (!fill()) {
      if (begin_ == end_) return {};
      std::string_view line(buffer_.data() + begin_, end_ - begin_);  // no final newline
      begin_ = end_;
      return line;
    }
    scanned = begin_ + offset;
  }
}

bool Reader::next() {
  while (true) {
    std::string_view line = next_line();
    if (line.data() == nullptr) return false;
    line_ = next_line_++;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || (is_blank(line[0]) && trim_blanks(line).empty())) continue;
    if (!all_ascii(line) && !valid_utf8(line)) {
      const auto bad = std::find_if(line.begin(), line.end(),
                                    [](char ch) { return static_cast<unsigned char>(ch) >= 0x80; });
      throw DataError(SourceLocation{display_, line_, static_cast<int>(bad - line.begin()) + 1},
                      "the line is not valid UTF-8 (save the file as UTF-8)");
    }
    split(line);
    return true;
  }
}

// Splits a record into fields; quoted fields are unquoted into unquoted_, which is sized
// for the whole line first so that the views into it stay valid.
void Reader::split(std::string_view line) {
  fields_.clear();
  columns_.clear();
  unquoted_.clear();
  unquoted_.reserve(line.size());
  std::size_t pos = 0;
  while (true) {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    columns_.push_back(static_cast<int>(pos) + 1);
    if (pos < line.size() && line[pos] == '"') {
      const std::size_t open = pos;
      const std::size_t start = unquoted_.size();
      for (++pos;; ++pos) {
        if (pos >= line.size()) {
          throw DataError(SourceLocation{display_, line_, static_cast<int>(open) + 1},
                          "unterminated quoted field (a closing '\"' is missing)");
        }
        if (line[pos] != '"') {
          unquoted_ += line[pos];
        } else if (pos + 1 < line.size() && line[pos + 1] == '"') {
          unquoted_ += '"';
          ++pos;
        } else {
          ++pos;
          break;
        }
      }
      fields_.emplace_back(unquoted_.data() + start, unquoted_.size() - start);
      while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
      if (pos < line.size() && line[pos] != ',') {
        throw DataError(SourceLocation{display_, line_, static_cast<int>(pos) + 1},
                        "unexpected text after a quoted field (quote the whole field, and "
                        "double a '\"' inside it)");
      }
    } else {
      // Fields are a few bytes: a loop, not a call to memchr per field.
      std::size_t comma = pos;
      while (comma < line.size() && line[comma] != ',') ++comma;
      fields_.push_back(trim_blanks(line.substr(pos, comma - pos)));
      pos = comma;
    }
    if (pos >= line.size()) return;
    ++pos;  // the comma
  }
}

void Reader::read_header() {
  if (!next()) {
    throw DataError(SourceLocation{display_, 0, 0},
                    "the file is empty (expected a header line naming the columns)");
  }
  header_.assign(fields_.begin(), fields_.end());
  for (std::size_t k = 0; k < header_.size(); ++k) {
    if (header_[k].empty()) fail(k, fmt::format("column {} of the header has no name", k + 1));
    for (std::size_t j = 0; j < k; ++j) {
      if (header_[j] == header_[k]) {
        fail(k, fmt::format("column '{}' is named twice in the header (first as column {})",
                            header_[k], j + 1));
      }
    }
  }
}

int Reader::column_index(std::string_view name) const {
  const auto it = std::find(header_.begin(), header_.end(), name);
  return it == header_.end() ? -1 : static_cast<int>(it - header_.begin());
}

void Reader::expect_header_width() const {
  if (fields_.size() == header_.size()) return;
  const std::size_t at = std::min(fields_.size(), header_.size()) - 1;
  fail(fields_.size() > header_.size() ? header_.size() : at,
       fmt::format("expected {} fields as in the header ({}), got {} (quote a field that "
                   "holds a comma)",
                   header_.size(), fmt::join(header_, ","), fields_.size()));
}

void Reader::fail(std::size_t k, const std::string& message) const {
  throw DataError(SourceLocation{display_, line_, k < columns_.size() ? columns_[k] : 1}, message);
}

void Reader::fail_line(const std::string& message) const {
  throw DataError(SourceLocation{display_, line_, 1}, message);
}

double Reader::number(std::size_t k) const {
  double value = 0;
  if (parse_double(fields_[k], value)) return value;
  const std::optional<double> parsed = parse_number(fields_[k]);
  if (parsed || fields_[k] == "nan" || fields_[k] == "inf" || fields_[k] == "-inf") {
    fail(k, fmt::format("'{}' must be a finite number, got {}", header_[k], fields_[k]));
  }
  if (fields_[k].empty())
    fail(k, fmt::format("expected a number for '{}', got nothing", header_[k]));
  fail(k, fmt::format("expected a number for '{}', got '{}'", header_[k], fields_[k]));
}

bool Reader::boolean(std::size_t k) const {
  const std::string_view t = fields_[k];
  if (t == "true" || t == "True" || t == "TRUE") return true;
  if (t == "false" || t == "False" || t == "FALSE") return false;
  fail(k, fmt::format("expected true or false for '{}', got '{}'", header_[k], t));
}

}  // namespace plenary::table
