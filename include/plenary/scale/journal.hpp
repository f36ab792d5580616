#pragma once
/// The journal of a sweep (docs/sweep.md, "Journal"): the rows of finished grid points,
/// appended as they complete so that an interrupted sweep loses nothing and `--resume`
/// computes only what is missing.
///
/// Its first line identifies the sweep (scenario, sets, replicates, seed); each further
/// line is one output row followed by a tab and the FNV-1a 64 checksum of the row in hex.
/// Every line is written with one write(2) call, so a killed process can cut at most the
/// line being written; reading back, a last line that is cut or fails its checksum is
/// dropped (and its point computed again), a bad line elsewhere makes the journal corrupt.

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>

namespace plenary::scale {

class Journal {
 public:
  /// The journal of an output file: the output's path with ".journal" appended.
  static std::filesystem::path path_for(const std::filesystem::path& output);

  /// Starts a journal for a new sweep with this identity line (no newline). Throws
  /// UsageError when a journal is already there (an unfinished sweep: resume it with
  /// --resume or delete it), DataError when it cannot be written.
  static Journal create(const std::filesystem::path& path, const std::string& identity);

  /// Reopens the journal of an interrupted sweep for appending. Throws UsageError when
  /// there is none, DataError when it is not a journal, belongs to a different sweep (the
  /// message names the first field that differs) or is corrupt. A cut last line is removed.
  /// `points` is the grid's size (rows naming other points are corrupt).
  static Journal resume(const std::filesystem::path& path, const std::string& identity,
                        std::size_t points);

  Journal(Journal&& other) noexcept;
  Journal& operator=(Journal&&) = delete;
  ~Journal();

  /// The rows read back by resume(), by point (without their newline).
  const std::map<std::size_t, std::string>& rows() const { return rows_; }
  /// A cut or damaged last line was dropped by resume().
  bool dropped_a_line() const { return dropped_; }

  /// Appends one finished point's row (without newline; it must start with the point's
  /// index and contain no tab or newline). Throws DataError when the write fails.
  void append(const std::string& row);

  /// Closes and deletes the journal (once the output is written whole).
  void remove();

 private:
  Journal(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::filesystem::path path_;
  int fd_ = -1;
  std::map<std::size_t, std::string> rows_;
  bool dropped_ = false;
};

/// FNV-1a 64 of `text` as 16 lower-case hex digits (the journal's line checksum).
std::string checksum(const std::string& text);

}  // namespace plenary::scale
