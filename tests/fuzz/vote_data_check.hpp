#pragma once
// The invariants of a VoteData that the calibration relies on (vote_data.hpp), checked on
// whatever the two vote-data harnesses manage to load.
#include <algorithm>
#include <string>

#include "fuzz_util.hpp"
#include "plenary/calibrate/vote_data.hpp"

namespace plenary::fuzz {

inline void check_vote_data(const calibrate::VoteData& d) {
  const auto roll_calls = static_cast<std::int32_t>(d.roll_calls.size());
  const auto states = static_cast<std::int32_t>(d.states.size());
  if (d.membership.size() != d.states.size()) fuzz_fail("membership is not one per state", "");
  for (const calibrate::CastVote& v : d.votes) {
    if (v.roll_call < 0 || v.roll_call >= roll_calls || v.state < 0 || v.state >= states) {
      fuzz_fail("a vote indexes outside the roll calls or states", "");
    }
    if (v.vote != Vote::kYes && v.vote != Vote::kNo && v.vote != Vote::kAbstain) {
      fuzz_fail("a stored vote is not yes, no or abstain", "");
    }
    const auto [first, last] = d.membership[static_cast<std::size_t>(v.state)];
    if (v.roll_call < first || v.roll_call > last) fuzz_fail("a vote outside its membership", "");
  }
  const bool ordered =
      std::is_sorted(d.roll_calls.begin(), d.roll_calls.end(), [](const auto& a, const auto& b) {
        return a.date != b.date ? a.date < b.date : a.rcid < b.rcid;
      });
  if (!ordered) fuzz_fail("roll calls are not in (date, rcid) order", "");
}

}  // namespace plenary::fuzz
