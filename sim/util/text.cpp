#include "plenary/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <numeric>

namespace plenary {

namespace {

char fold(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

template <typename String>
std::optional<std::string> nearest(std::string_view word, const std::vector<String>& candidates) {
  // Allow about one edit in three letters, at least one, and never a complete rewrite
  // (which would suggest 'b' for 'a').
  const std::size_t allowed = std::max<std::size_t>(1, word.size() / 3);
  std::size_t best = allowed + 1;
  std::string_view found;
  for (const auto& candidate : candidates) {
    const std::string_view c(candidate);
    if (c == word) continue;
    const std::size_t d = edit_distance(word, c);
    if (d < best && d < std::max(word.size(), c.size())) {
      best = d;
      found = c;
    }
  }
  if (best > allowed) return std::nullopt;
  return std::string(found);
}

template <typename String>
std::string hint(std::string_view word, const std::vector<String>& candidates) {
  const std::optional<std::string> found = nearest(word, candidates);
  return found ? fmt::format(" (did you mean '{}'?)", *found) : std::string();
}

template <typename String>
std::string join(const std::vector<String>& items, std::string_view last) {
  std::string out;
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (k > 0) out += (k + 1 == items.size()) ? std::string(last) : std::string(", ");
    out += fmt::format("'{}'", std::string_view(items[k]));
  }
  return out;
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: Levenshtein plus swaps of two adjacent letters ('nmae' is one
  // edit from 'name'), over three rows.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    before.swap(previous);
    previous.swap(row);
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
      row[j] = std::min({previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1])) {
        row[j] = std::min(row[j], before[j - 2] + 1);
      }
    }
  }
  return row[b.size()];
}

std::optional<std::string> nearest_word(std::string_view word,
                                        const std::vector<std::string>& candidates) {
  return nearest(word, candidates);
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  return hint(word, candidates);
}

std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates) {
  return hint(word, candidates);
}

std::string join_quoted(const std::vector<std::string>& items, std::string_view last) {
  return join(items, last);
}

std::string join_quoted(const std::vector<std::string_view>& items, std::string_view last) {
  return join(items, last);
}

std::string count_noun(long long n, std::string_view noun, std::string_view plural) {
  if (n == 1) return fmt::format("1 {}", noun);
  if (!plural.empty()) return fmt::format("{} {}", n, plural);
  return fmt::format("{} {}s", n, noun);
}

std::string format_number(double value) { return fmt::format("{}", value); }

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Length of the run of digits starting at `at`.
std::size_t digits(std::string_view text, std::size_t at) {
  std::size_t k = at;
  while (k < text.size() && is_digit(text[k])) ++k;
  return k - at;
}

// Whether `text` (no sign) has the decimal-number shape described in text.hpp.
bool is_decimal(std::string_view text) {
  std::size_t k = 0;
  const std::size_t whole = digits(text, k);
  k += whole;
  std::size_t fraction = 0;
  if (k < text.size() && text[k] == '.') {
    fraction = digits(text, k + 1);
    k += 1 + fraction;
  }
  if (whole == 0 && fraction == 0) return false;
  if (k < text.size() && (text[k] == 'e' || text[k] == 'E')) {
    ++k;
    if (k < text.size() && (text[k] == '+' || text[k] == '-')) ++k;
    const std::size_t exponent = digits(text, k);
    if (exponent == 0) return false;
    k += exponent;
  }
  return k == text.size();
}

}  // namespace

std::optional<double> parse_number(std::string_view text) {
  std::string_view body = text;
  if (!body.empty() && (body.front() == '+' || body.front() == '-')) body.remove_prefix(1);
  if (!is_decimal(body)) return std::nullopt;
  // from_chars takes no '+' but does take '-'; it reports overflow as out of range.
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) {
    // Overflow or underflow: tell them apart by the exponent's sign, roughly.
    const bool negative = text.front() == '-';
    const auto e = text.find_first_of("eE");
    const bool tiny = e != std::string_view::npos && e + 1 < text.size() && text[e + 1] == '-';
    if (tiny) return negative ? -0.0 : 0.0;
    return negative ? -HUGE_VAL : HUGE_VAL;
  }
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  std::string_view body = text;
  if (!body.empty() && body.front() == '-') body.remove_prefix(1);
  if (body.empty() || digits(body, 0) != body.size()) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty() || digits(text, 0) != text.size()) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

std::vector<std::string_view> split_trimmed(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const std::size_t end = std::min(text.find(separator, start), text.size());
    parts.push_back(trim(text.substr(start, end - start)));
    if (end == text.size()) return parts;
    start = end + 1;
  }
}

std::optional<std::vector<double>> parse_numbers(std::string_view text) {
  std::vector<double> xs;
  for (std::string_view part : split_trimmed(text, ',')) {
    const std::optional<double> x = parse_number(part);
    if (!x || !std::isfinite(*x)) return std::nullopt;
    xs.push_back(*x);
  }
  return xs;
}

bool valid_utf8(std::string_view text) {
  std::size_t k = 0;
  while (k < text.size()) {
    const auto c = static_cast<unsigned char>(text[k]);
    std::size_t extra = 0;
    std::uint32_t code = 0;
    if (c < 0x80) {
      ++k;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      extra = 1;
      code = c & 0x1fu;
    } else if ((c & 0xf0) == 0xe0) {
      extra = 2;
      code = c & 0x0fu;
    } else if ((c & 0xf8) == 0xf0) {
      extra = 3;
      code = c & 0x07u;
    } else {
      return false;
    }
    if (k + extra >= text.size()) return false;  // truncated sequence
    for (std::size_t e = 1; e <= extra; ++e) {
      const auto next = static_cast<unsigned char>(text[k + e]);
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3fu);
    }
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (code < kMin[extra] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return false;
    k += extra + 1;
  }
  return true;
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace plenary
