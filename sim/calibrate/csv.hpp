#pragma once
/// A strict RFC 4180 CSV reader for the roll-call data files: quoted fields may hold commas,
/// doubled quotes and line breaks; empty fields stay empty strings; nothing is ever turned
/// into a missing value (the string `NA` is Namibia, not NA); LF and CRLF line ends.

#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace plenary::calibrate {

/// Reads records one at a time from text held in memory.
class CsvReader {
 public:
  /// Reads the whole file, decompressing it if it is gzip (`votes.csv.gz`). Throws DataError
  /// naming the file if it cannot be read or its gzip data is truncated or corrupt.
  static CsvReader open(const std::filesystem::path& path);

  /// A reader over `text`; `name` is used in error messages (usually the file name).
  CsvReader(std::string text, std::string name);

  /// Reads the next record into `fields` (reusing its storage). Returns false at the end
  /// of the input. Throws DataError (file:line) on an unterminated quoted field or on
  /// text between a closing quote and the next separator.
  bool next(std::vector<std::string>& fields);

  /// The 1-based line on which the last record read started.
  int line() const { return record_line_; }
  /// The name given at construction.
  const std::string& name() const { return name_; }

 private:
  std::string text_;
  std::string name_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int record_line_ = 0;
};

/// Finds each of `wanted` in the header record `header` and returns their indices in the
/// same order. Throws DataError (file:1) naming the missing column and the expected header.
std::vector<std::size_t> require_columns(const CsvReader& reader,
                                         const std::vector<std::string>& header,
                                         std::initializer_list<std::string_view> wanted);

}  // namespace plenary::calibrate
