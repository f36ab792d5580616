#pragma once
/// A streaming reader of the plain tables a scenario may reference (`members: {file:
/// members.csv}`, `ties: {file: ties.csv}`; docs/scenario-format.md, "Members and ties
/// from plain files"): comma-separated records with a header, one record a line (LF or
/// CRLF), fields optionally quoted as in RFC 4180 (a quoted field may hold commas and
/// doubled quotes, not line breaks), spaces around unquoted fields ignored, empty lines
/// skipped. The file is read in blocks of 1 MiB and each record is split in place: no copy
/// of the whole file, no tree of nodes; numbers are parsed with std::from_chars. Every
/// complaint is a DataError at file:line:column saying what is wrong and what would be right.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plenary/util/error.hpp"
#include "plenary/util/sha256.hpp"

namespace plenary::table {

/// Reads one table, record by record.
class Reader {
 public:
  /// Opens `path` (named `display` in messages). A gzip-compressed file is decompressed
  /// whole into memory first. Throws DataError if it cannot be read. With `digest`, the
  /// file's text (decompressed) is added to it as it is read: once the reader has reached
  /// the end, `digest` has had all of it.
  Reader(const std::filesystem::path& path, std::string display, Sha256* digest = nullptr);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  /// Reads the next non-empty record; false at the end of the file. The fields stay valid
  /// until the next call.
  bool next();

  /// Reads the header (the first record): throws DataError if the file is empty. Column
  /// names must be distinct and not empty.
  void read_header();
  /// The header's column names.
  const std::vector<std::string>& header() const { return header_; }
  /// The index of a column, or -1.
  int column_index(std::string_view name) const;

  std::size_t size() const { return fields_.size(); }
  std::string_view field(std::size_t k) const { return fields_[k]; }
  /// The 1-based line of the current record and the 1-based column where field k starts.
  int line() const { return line_; }
  int column(std::size_t k) const { return columns_[k]; }
  const std::string& file() const { return display_; }

  /// Throws DataError unless the record has as many fields as the header.
  void expect_header_width() const;

  /// Throws DataError at field k (column k of the current line).
  [[noreturn]] void fail(std::size_t k, const std::string& message) const;
  /// Throws DataError at the start of the current line.
  [[noreturn]] void fail_line(const std::string& message) const;

  /// Field k as a finite number (`-1.5`, `2e-3`; no `nan`, `inf` or hex), or DataError
  /// naming the column.
  double number(std::size_t k) const;
  /// Field k as `true` or `false` (also `True`, `TRUE`, ...).
  bool boolean(std::size_t k) const;

 private:
  bool fill();
  std::string_view next_line();
  void split(std::string_view line);

  std::string display_;
  std::FILE* file_ = nullptr;
  Sha256* digest_ = nullptr;  // fed each block as fill() reads it
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // unread bytes are buffer_[begin_, end_)
  std::size_t end_ = 0;
  bool eof_ = false;
  int line_ = 0;       // the current record's line
  int next_line_ = 1;  // the line of the next line read
  std::vector<std::string> header_;
  std::vector<std::string_view> fields_;
  std::vector<int> columns_;
  std::string unquoted_;  // storage for quoted fields of the current record
};

/// How a number field reads: a finite double, or nullopt (text not a number, or out of
/// range). The grammar is that of the scenario's YAML numbers (plenary::parse_number).
bool parse_double(std::string_view text, double& value);

}  // namespace plenary::table
