#pragma once
/// The members x roll calls matrix of a data window: roll calls filtered by session, issue,
/// importance and kind; lopsided roll calls and members with too few votes dropped.

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "plenary/calibrate/vote_data.hpp"

namespace plenary::calibrate {

/// Which roll calls and members enter the estimation. Defaults follow the field
/// (W-NOMINATE's 2.5% lopsided cut-off and 20-vote minimum).
struct WindowOptions {
  /// First General Assembly session, 1..72 in the shared data.
  int first_session = 1;
  /// Last session (inclusive), >= first_session.
  int last_session = 72;
  /// Keep roll calls with any of these issue codes (me, nu, di, hr, co, ec); empty: all.
  std::vector<std::string> issues;
  /// Keep only roll calls the U.S. State Department listed as important.
  bool important_only = false;
  /// Drop votes on amendments and on paragraphs (kept by default).
  bool drop_amendments = false;
  /// Drop a roll call when its smaller side has less than this share of its Yes and No
  /// votes, in [0, 0.5). 0.025 is W-NOMINATE's default.
  double min_minority = 0.025;
  /// Drop a member with fewer Yes or No votes than this on the kept roll calls, >= 1.
  int min_votes = 20;
};

/// A member dropped for too few votes.
struct DroppedMember {
  CountryCode state;
  int votes = 0;  ///< its Yes and No votes on the kept roll calls
};

/// Byte matrix of votes as vote_code()s, members x roll calls.
using VoteCodes = Eigen::Matrix<std::int8_t, Eigen::Dynamic, Eigen::Dynamic>;

/// A vote's code in a VoteCodes matrix: 0 absent, so that VoteCodes::Zero() is a window in
/// which nobody voted; then 1 yes, 2 abstain, 3 no, as Voeten's votes.csv numbers them.
constexpr std::int8_t vote_code(Vote v) {
  switch (v) {
    case Vote::kYes:
      return 1;
    case Vote::kAbstain:
      return 2;
    case Vote::kNo:
      return 3;
    case Vote::kAbsent:
      break;
  }
  return 0;
}

/// The vote of a vote_code() (any other code is absent).
constexpr Vote vote_of_code(std::int8_t code) {
  return code == 1   ? Vote::kYes
         : code == 2 ? Vote::kAbstain
         : code == 3 ? Vote::kNo
                     : Vote::kAbsent;
}

/// The selected window.
struct VoteMatrix {
  std::vector<CountryCode> members;  ///< rows, in order of first appearance in the data
  std::vector<int> rcids;            ///< columns: the roll calls kept for estimation
  VoteCodes votes;                   ///< members x rcids
  std::vector<int> window_rcids;     ///< every roll call in the window, before the lopsided cut
  VoteCodes window_votes;            ///< members x window_rcids (for agreement scores)
  /// Per member: share of the window's roll calls, while it was a member (between its
  /// first and last recorded vote in the whole data), on which it recorded no vote.
  std::vector<double> absence;
  int dropped_lopsided = 0;                    ///< roll calls dropped as lopsided
  std::vector<DroppedMember> dropped_members;  ///< members dropped for too few votes
  std::vector<UnmappedCode> unmapped;          ///< data codes that could not be mapped
  VoteSource source = VoteSource::kVoeten;     ///< the data's source (for the file headers)
  std::string first_date;                      ///< date of the window's first roll call
  std::string last_date;                       ///< date of its last roll call
};

/// Selects the window. Throws UsageError for impossible options (unknown issue code,
/// sessions out of order, threshold out of range, issues or important votes asked of the UN's
/// voting data, which has neither) and DataError when the window holds no
/// roll calls, or nothing is left after the cuts.
VoteMatrix select_window(const VoteData& data, const WindowOptions& options);

/// Parses a session range: "65-72" or "70". Throws UsageError naming the text.
std::pair<int, int> parse_session_range(std::string_view text);

/// Parses a comma-separated list of issue codes ("hr,nu"). Throws UsageError for a code
/// not among kIssueCodes.
std::vector<std::string> parse_issue_list(std::string_view text);

}  // namespace plenary::calibrate
