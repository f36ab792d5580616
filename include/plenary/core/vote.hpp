#pragma once
/// A member's vote: the outcome the engine simulates (MODEL.md, phase 2) and the vote the
/// UN recorded (calibrate), one type for both. Code that stores votes as numbers does so
/// through a named mapping: vote_index() here for the engine's counts, calibrate's
/// vote_code() (include/plenary/calibrate/vote_matrix.hpp) for its matrices of codes.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace plenary {

/// The four outcomes of one member's vote. A recorded roll call has no row for an absent
/// member (or one without voting rights): kAbsent. The values are vote_index()'s.
enum class Vote : std::uint8_t { kYes = 0, kNo = 1, kAbstain = 2, kAbsent = 3 };

/// The number of outcomes.
inline constexpr std::size_t kVotes = 4;

/// Every outcome, in vote_index() order.
inline constexpr std::array<Vote, kVotes> kAllVotes = {Vote::kYes, Vote::kNo, Vote::kAbstain,
                                                       Vote::kAbsent};

/// Where the engine's counts keep an outcome, 0 .. kVotes - 1 in the order Yes, No, Abstain,
/// absent: DraftCounts::member_votes[kVotes * i + vote_index(v)], DraftCounts::tally[
/// vote_index(v) * (N + 1) + count], DraftOutcome::tally[vote_index(v)]
/// (include/plenary/engine/simulate.hpp).
constexpr std::size_t vote_index(Vote v) { return static_cast<std::size_t>(v); }
static_assert(vote_index(Vote::kYes) == 0 && vote_index(Vote::kNo) == 1 &&
              vote_index(Vote::kAbstain) == 2 && vote_index(Vote::kAbsent) == kVotes - 1);

/// Lower-case name of a vote ("yes", "no", "abstain", "absent").
constexpr std::string_view vote_name(Vote v) {
  switch (v) {
    case Vote::kYes:
      return "yes";
    case Vote::kNo:
      return "no";
    case Vote::kAbstain:
      return "abstain";
    case Vote::kAbsent:
      break;
  }
  return "absent";
}

}  // namespace plenary
