#pragma once
/// Placing new roll calls in an old space: with the members' positions held fixed (read
/// from a positions file), fit only the named roll calls' parameters.

#include <Eigen/Core>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "plenary/calibrate/ideal_points.hpp"
#include "plenary/calibrate/vote_data.hpp"

namespace plenary::calibrate {

/// The positions of a positions file (format of format_positions()).
struct PositionsFile {
  std::vector<std::string> codes;  ///< alpha-3 codes, in file order
  Eigen::MatrixXd positions;       ///< codes x D
};

/// Reads a positions file. Throws DataError (file:line) when it is missing, is not YAML,
/// lacks `positions:`, or has entries without a code or with positions of unequal length.
PositionsFile read_positions(const std::filesystem::path& path);

/// One roll call placed in the space.
struct PlacedRollCall {
  int rcid = 0;
  int session = 0;
  std::string title;
  int yes = 0;                        ///< Yes votes of members with a position
  int no = 0;                         ///< No votes of members with a position
  int without_position = 0;           ///< Yes/No votes of members without a position
  double intercept = 0.0;             ///< a_j
  Eigen::RowVectorXd discrimination;  ///< b_j
  double pcc = 0.0;                   ///< share of the Yes/No votes classified correctly
  double majority_pcc = 0.0;          ///< share of the larger side
};

/// Fits each of `rcids` (in that order). The link and priors come from `options`, whose
/// `dims` is ignored (the file's dimension is used). Throws DataError for a roll call not
/// in the data, or one with no Yes/No votes by members with a position.
std::vector<PlacedRollCall> place_roll_calls(const VoteData& data, const PositionsFile& positions,
                                             const std::vector<int>& rcids,
                                             const EstimatorOptions& options);

/// Parses a comma-separated list of roll-call ids. Throws UsageError.
std::vector<int> parse_rcid_list(std::string_view text);

/// The placed roll calls as JSON (the `--report` of the --roll-calls mode).
std::string format_placed(const std::vector<PlacedRollCall>& placed, Link link);

}  // namespace plenary::calibrate
