#pragma once
/// The semantic checks shared by the loader (which knows where each value was written)
/// and validate() (which does not, e.g. after `--set`).

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "plenary/scenario/scenario.hpp"

namespace plenary {

/// A part of a scenario that a check can complain about.
enum class Part {
  kScenario,          ///< Top-level keys ("members", "drafts", ...); index 0.
  kMember,            ///< Scenario::members[index].
  kBloc,              ///< Scenario::blocs[index].
  kTie,               ///< Scenario::ties[index].
  kAgreement,         ///< The agreement ties; index 0.
  kDraft,             ///< Scenario::drafts[index].
  kDraftParameters,   ///< The parameter overrides of drafts[index].
  kGlobalParameters,  ///< The global parameters; index 0.
  kRun,               ///< The run settings; index 0.
};

/// Where each part of a scenario was written.
class SourceMap {
 public:
  virtual ~SourceMap() = default;
  /// The location of `field` of a part ("" for the part itself); an empty location
  /// (no file) when unknown.
  virtual SourceLocation locate(Part part, int index, std::string_view field) const = 0;
};

/// The SourceMap of a scenario that was not read from a file (or was changed since).
class NoSourceMap final : public SourceMap {
 public:
  SourceLocation locate(Part, int, std::string_view) const override { return {}; }
};

/// A SourceMap filled in by the loader. A field not recorded falls back to its part,
/// then (for parameters) to the `parameters` key that holds them. Kept compact for
/// scenarios of 100,000 members and millions of ties: file and field names are stored
/// once, a spot is three integers, a part whose items all have the same fields (YAML ties)
/// is a table of rows, and a part read from a plain table (`members: {file}`, `ties:
/// {file}`) costs nothing per item: its locations are found by reading the table again up
/// to the item's record, which only an error does.
class RecordedSourceMap final : public SourceMap {
 public:
  void record(Part part, int index, std::string_view field, SourceLocation where);
  /// Starts a table of rows for `part` (indices 0, 1, ...), written in `file`, each row
  /// with the given fields.
  void start_rows(Part part, std::string file, std::vector<std::string> fields);
  /// Adds the next row of `part`'s table: the row itself, then each field in the order of
  /// start_rows (line 0 for a field not written).
  void add_row(Part part, SourceLocation row, const std::vector<SourceLocation>& fields);
  /// Reserves room for `rows` rows in `part`'s table.
  void reserve_rows(Part part, std::size_t rows);
  /// As add_row, with lines and columns only (the table's file): `spots` holds line,
  /// column of the row then of each field.
  void add_row(Part part, const std::int32_t* spots);
  /// A field of a plain table's records and its column in the table's header. `always`:
  /// located at its cell even when the cell is empty (else at the record).
  struct TableField {
    std::string field;
    std::string column;
    bool always = false;
  };
  /// Says that items 0, 1, ... of `part` are the records of the table at `path` (named
  /// `display`) in order. A spot recorded for one of them takes precedence.
  void add_table(Part part, std::filesystem::path path, std::string display,
                 std::vector<TableField> fields);
  SourceLocation locate(Part part, int index, std::string_view field) const override;

 private:
  struct Spot {
    std::uint32_t file = 0;
    std::int32_t line = 0;
    std::int32_t column = 0;
  };
  struct Rows {
    Part part;
    std::uint32_t file = 0;
    std::vector<std::string> fields;
    std::vector<std::int32_t> spots;  // per row: (line, column) of the row, then of each field
  };
  struct Table {
    Part part;
    std::filesystem::path path;
    std::string display;
    std::vector<TableField> fields;
  };
  static SourceLocation locate_in_table(const Table& t, int index, std::string_view field);
  std::uint32_t file_id(const std::string& file);
  std::uint64_t key(Part part, int index, std::string_view field) const;
  const Spot* find(Part part, int index, std::string_view field) const;
  SourceLocation to_location(const Spot& spot) const;

  std::vector<std::string> files_;
  std::vector<std::string> field_names_;
  std::unordered_map<std::string, std::uint32_t> field_ids_;
  std::unordered_map<std::uint64_t, Spot> spots_;
  std::vector<Rows> rows_;
  std::vector<Table> tables_;
};

/// Checks every invariant of Scenario (scenario.hpp, MODEL.md) and throws ScenarioError for
/// the first broken one, located through `where`. When a location is unknown, the message
/// names the part instead ("draft 'GGE': 'lobbying' must be >= 0, got -1").
void check_scenario(const Scenario& scenario, const SourceMap& where);

/// The last round a draft may close at (bounds the length of phase 1).
inline constexpr int kMaxRounds = 100000;

}  // namespace plenary
