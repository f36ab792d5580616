#pragma once
// Phrases shared by the text, compare and HTML reports, so that they say the same thing the
// same way.

#include <fmt/format.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "plenary/stats/compare.hpp"
#include "plenary/util/text.hpp"

namespace plenary::report {

/// Over which replicates a recorded tally is a mean: "over the 3912 of 4000 replicates with
/// a recorded vote", or "no recorded vote in any replicate" when there is none. Tallies
/// (Yes/No/Abstain/Absent) exist only where the Assembly voted, so every tally says this.
inline std::string recorded_vote_scope(std::uint64_t recorded, std::uint64_t replicates) {
  if (recorded == 0) return "no recorded vote in any replicate";
  return fmt::format("over the {} of {} with a recorded vote", recorded,
                     count_noun(static_cast<long long>(replicates), "replicate"));
}

/// True for the keys of a comparison's recorded tallies (yes, no, abstain, absent).
inline bool is_tally_key(std::string_view key) {
  return key == "yes" || key == "no" || key == "abstain" || key == "absent";
}

/// For each side a draft of a comparison is in, "in A: " or "in B: " and the scope of its
/// tallies (recorded_vote_scope).
inline std::vector<std::string> tally_scopes(const DraftComparison& d, long replicates) {
  std::vector<std::string> out;
  const auto k = static_cast<std::uint64_t>(replicates);
  if (d.recorded_a) {
    out.push_back("in A: " + recorded_vote_scope(static_cast<std::uint64_t>(*d.recorded_a), k));
  }
  if (d.recorded_b) {
    out.push_back("in B: " + recorded_vote_scope(static_cast<std::uint64_t>(*d.recorded_b), k));
  }
  return out;
}

}  // namespace plenary::report
