#pragma once
/// Small text helpers for user-facing messages: "did you mean" hints and quoted lists.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace plenary {

/// Edit distance between `a` and `b`: insertions, deletions, substitutions and swaps of
/// two adjacent letters cost 1; a change of letter case alone costs nothing, so 'usa' is at
/// distance 0 from 'USA'.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate nearest to a misspelt `word`, or nullopt when none is close (more than
/// about a third of the word's letters would have to change). Ties go to the earliest.
std::optional<std::string> nearest_word(std::string_view word,
                                        const std::vector<std::string>& candidates);

/// The hint for a misspelt `word`: " (did you mean 'sponsors'?)" naming the nearest
/// candidate, or "" when none is close (more than about a third of the word's letters
/// would have to change). Ties go to the earliest candidate.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

/// As above, for candidates that are views (e.g. the names in kParameters).
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates);

/// The items quoted and joined for a message: "'a'", "'a' or 'b'", "'a', 'b' or 'c'"
/// (with `last` as the final separator, e.g. " and ").
std::string join_quoted(const std::vector<std::string>& items, std::string_view last = " or ");

/// As above, for views.
std::string join_quoted(const std::vector<std::string_view>& items, std::string_view last = " or ");

/// A field of a CSV row: as it is, or in double quotes (inner quotes doubled) when it holds
/// a comma, a quote or a newline.
std::string csv_field(std::string_view text);

/// A count with its noun, singular only for exactly one: "1 draft", "0 drafts", "2 drafts".
/// The plural adds an "s" unless `plural` is given ("1 country", "2 countries").
std::string count_noun(long long n, std::string_view noun, std::string_view plural = {});

/// A number as a message shows it: the shortest text that reads back as the same double
/// ("1.5", "-1", "1e+300", "nan", "inf").
std::string format_number(double value);

/// Strict decimal parsing shared by the scenario and data readers. A number is
/// `[-+]?(digits[.digits?]|.digits)([eE][-+]?digits)?`, with nothing before or after; no
/// hex, no `nan`/`inf` spellings (callers reject those with their own message). The result
/// may be infinite when the text overflows a double.
std::optional<double> parse_number(std::string_view text);

/// A decimal integer `[-+]?digits` that fits in 64 bits, or nullopt.
std::optional<std::int64_t> parse_integer(std::string_view text);

/// A decimal integer `+?digits` that fits in an unsigned 64-bit value, or nullopt.
std::optional<std::uint64_t> parse_unsigned(std::string_view text);

/// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or values past
/// U+10FFFF).
bool valid_utf8(std::string_view text);

/// `text` without leading and trailing spaces and tabs.
std::string_view trim(std::string_view text);

/// The parts of `text` between the separators, trimmed: "1, 2" gives {"1", "2"}, "" gives
/// {""}. The views point into `text`.
std::vector<std::string_view> split_trimmed(std::string_view text, char separator);

/// The comma-separated finite numbers of `text` ("0.5, -1"), or nullopt if a part is not one.
std::optional<std::vector<double>> parse_numbers(std::string_view text);

}  // namespace plenary
