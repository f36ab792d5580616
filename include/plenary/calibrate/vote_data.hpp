#pragma once
/// The UN General Assembly roll-call data, read whole and mapped to the codes scenarios use:
/// Voeten's data (shipped in data/unga: votes.csv.gz, roll_calls.csv.gz,
/// roll_call_issues.csv.gz) or the UN Dag
/// Hammarskjöld Library's "General Assembly Voting Data" (one CSV file, long or wide form;
/// docs/calibration.md, "The UN's voting data").

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "plenary/calibrate/country_codes.hpp"
#include "plenary/core/vote.hpp"

namespace plenary::calibrate {

/// Where a VoteData came from.
enum class VoteSource : std::int8_t {
  kVoeten,  ///< Voeten's three files: issue codes, importance, amendments and paragraphs
  kUndl,    ///< the UN Digital Library's voting data: none of those (all false, no issues)
};

/// One roll call (a row of roll_calls.csv with its issue codes).
struct RollCall {
  int rcid = 0;                     ///< roll-call id (the UN's data: its `undl_id`)
  int session = 0;                  ///< General Assembly session, 1 = 1946
  bool important = false;           ///< listed as important by the U.S. State Department
  bool amendment = false;           ///< a vote on an amendment (`amend` = 1)
  bool paragraph = false;           ///< a vote on a paragraph (`para` = 1)
  std::string date;                 ///< ISO date, YYYY-MM-DD
  std::string unres;                ///< resolution symbol
  std::string title;                ///< `short`
  std::string description;          ///< `descr` (Voeten's data; empty when the file has none)
  std::vector<std::string> issues;  ///< issue codes: me, nu, di, hr, co, ec
};

/// A data code that map_country could not map, with how many votes it carries.
struct UnmappedCode {
  std::string code;     ///< alpha-2 code as in the data (may be empty)
  std::string country;  ///< the data's country name
  int votes = 0;        ///< votes dropped because of it
};

/// One vote: indices into VoteData::roll_calls and VoteData::states.
/// A recorded vote is a plenary::Vote (include/plenary/core/vote.hpp); a member with no row
/// for a roll call was absent (or not a member).
struct CastVote {
  std::int32_t roll_call = 0;
  std::int32_t state = 0;
  Vote vote = Vote::kAbsent;
};

/// The whole data set.
struct VoteData {
  std::vector<RollCall> roll_calls;  ///< in chronological order (date, then rcid)
  std::vector<CountryCode> states;   ///< every voting state, in order of first appearance
  std::vector<CastVote> votes;       ///< every mapped vote, in file order
  /// Per state: indices of the first and last roll calls on which it voted. Between them it
  /// counts as a member when absence rates are computed.
  std::vector<std::pair<std::int32_t, std::int32_t>> membership;
  std::vector<UnmappedCode> unmapped;       ///< codes in votes.csv that could not be mapped
  VoteSource source = VoteSource::kVoeten;  ///< which reader produced it

  /// Index of roll call `rcid` in roll_calls, or nullopt.
  std::optional<std::size_t> find_roll_call(int rcid) const;
};

/// The issue codes of the data (data/unga/README.md).
inline constexpr const char* kIssueCodes[] = {"me", "nu", "di", "hr", "co", "ec"};

/// Reads the roll-call data at `path`: a directory holding Voeten's votes.csv,
/// roll_calls.csv and roll_call_issues.csv (each plain or gzip-compressed, `votes.csv.gz`;
/// a directory holding both forms of one file is an error), or one CSV file (also .csv.gz) of the
/// UN's voting data in its long or wide form, told apart by the header (load_undl_vote_data()).
/// Throws DataError (file:line) for a missing file, truncated or corrupt gzip, an empty file, a
/// wrong header, a malformed number, an unknown vote value, a vote on an unknown roll call, or two
/// votes of one state on one roll call.
VoteData load_vote_data(const std::filesystem::path& path);

/// Reads one file of the UN Dag Hammarskjöld Library's "General Assembly Voting Data":
/// the long form (a row per member and resolution: undl_id, ms_code, ms_name, ms_vote, date,
/// session, resolution, title, ...; version 1's NV for non-voting accepted) or the wide form
/// (a row per resolution: the same metadata, then a column per member state code). Y, N, A
/// are votes; X, NV and empty are absence. Throws DataError (file:line) for an unrecognised
/// header, an unknown vote code or member code, a malformed id, session or date, or a second
/// row of one member on one resolution.
VoteData load_undl_vote_data(const std::filesystem::path& file);

}  // namespace plenary::calibrate
