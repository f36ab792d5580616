#pragma once
/// The field's standard positions: Bailey, Strezhnev and Voeten's yearly ideal points
/// (Harvard Dataverse, "United Nations General Assembly Voting Data", file
/// IdealpointestimatesAll_*.csv), one year turned into a 1-dimensional positions file of the
/// format `plenary calibrate` writes (docs/calibration.md, "Standard positions").

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace plenary::calibrate {

/// Which of the file's estimates.
enum class BsvEstimate {
  kAll,  ///< `idealpointall` with `q5all`, `q95all`, `nvotesall`
  kFp,   ///< `idealpointfp` with `q5fp`, `q95fp`, `nvotesfp` (the dataset's codebook says how
         ///< the two estimates differ)
};

/// "all" or "fp", as the flag and the file's column suffix spell it.
constexpr const char* bsv_estimate_name(BsvEstimate e) {
  return e == BsvEstimate::kFp ? "fp" : "all";
}

/// A member of the list positions are written for.
struct ListedMember {
  std::string code;  ///< as scenarios name it (ISO alpha-3 for the 193 UN members)
  std::string name;  ///< for messages; may be empty
};

/// The 193 UN member states (un_member_states()).
std::vector<ListedMember> un_member_list();

/// The members of a member-list file as scenarios include it (`members:` list of maps with
/// `code` and optionally `name`, e.g. scenarios/un-members.yaml). Throws DataError
/// (file:line:column) if the file cannot be read or has no such list.
std::vector<ListedMember> read_member_list(const std::filesystem::path& file);

/// One member's position.
struct BsvPosition {
  std::string code;
  double position = 0.0;     ///< the estimate, on the file's scale
  std::optional<double> se;  ///< (q95 - q5) / (2 * 1.645); none if a quantile is NA
  std::optional<int> votes;  ///< `nvotes<estimate>`; none if NA
};

/// One year of the file, restricted to a member list.
struct BsvPositions {
  int year = 0;
  BsvEstimate estimate = BsvEstimate::kAll;
  std::vector<BsvPosition> positions;   ///< sorted by code
  std::vector<ListedMember> missing;    ///< listed members without a row, or with NA
  std::vector<std::string> without_se;  ///< codes given a position but no se
  std::vector<std::string> not_listed;  ///< codes of the year's rows not in the list
};

/// Reads `file` and keeps `year`'s rows of listed members. Columns are found by name;
/// `NA` and empty are missing values (R's way of writing them). Throws DataError
/// (file:line) for a wrong header, a malformed number, two rows of one code in the year, or a
/// year with no rows.
BsvPositions read_bsv(const std::filesystem::path& file, int year, BsvEstimate estimate,
                      const std::vector<ListedMember>& members);

/// The positions file: a header comment (source, `command`, the standard-error rule, the
/// members without a position), `description:`, `data:` and
/// `positions: [{code, position: [x], data: {votes, se: [s]}}]`.
std::string format_bsv_positions(const BsvPositions& positions, const std::string& command);

}  // namespace plenary::calibrate
