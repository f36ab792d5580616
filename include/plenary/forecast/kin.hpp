#pragma once
/// Kin of a roll call: the most recent earlier roll call on the same resolution, found by
/// its title (docs/forecast.md, "Kin"). Most General Assembly resolutions come back every
/// session under the same title; the previous vote on the same text is the first evidence.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plenary/calibrate/vote_data.hpp"

namespace plenary::forecast {

/// Titles whose content-token Jaccard similarity is at least this are the same resolution
/// when no title matches exactly after normalisation (docs/forecast.md).
inline constexpr double kKinSimilarityThreshold = 0.75;

/// The fewest recorded votes (Yes, No or Abstain) that make a roll call someone's kin. A
/// real recorded vote of the Assembly has dozens to 190 of them; the data also hold
/// fragments, a few rows under the symbol of a resolution that was adopted without a vote
/// (the 2001 refugee resolution has two), which say nothing about how the members vote
/// (docs/forecast.md, "Kin").
inline constexpr int kMinKinVotes = 20;

/// A title reduced to what survives the data's variants: lower case; a trailing
/// " : resolution / adopted by the General Assembly" (or any trailing ": ..." part naming
/// a resolution or its adoption) removed; every run of characters other than ASCII letters
/// and digits one space; British spellings mapped to American ones (-isation, -ise, -our,
/// centre, programme, defence, licence, judgement, ...). Applied to both sides of a
/// comparison, so the mapping needs only to be consistent, not correct English.
std::string normalise_title(std::string_view title);

/// The title a roll call is matched by, before normalisation (docs/forecast.md, "Kin",
/// rule 0): `short`; when that is empty, `descr` if it is a title (sessions 70-72 give the
/// resolution's title there); when `descr` is a passage of the meeting record ("The
/// President: ..."), the title it quotes after "entitled" (between _ or a quotation mark
/// and <d3> or the closing mark); else empty. A `short` without lower-case letters (a
/// library subject heading, as in sessions 61-68, shared by different resolutions) gives
/// way to a `descr` in mixed case that ends in a ": resolution ..." part.
std::string own_title(const calibrate::RollCall& rc);

/// The content tokens of a normalised title: its words without "the", "of", "and" and
/// similar function words, sorted and unique.
std::vector<std::string> content_tokens(std::string_view normalised);

/// Jaccard similarity |A n B| / |A u B| of two sorted, unique token lists; 0 when both
/// are empty.
double token_similarity(const std::vector<std::string>& a, const std::vector<std::string>& b);

/// How a kin was found.
enum class KinRule : std::uint8_t { kExactTitle, kSimilarTitle };

/// "exact" or "similar".
constexpr const char* kin_rule_name(KinRule rule) {
  return rule == KinRule::kExactTitle ? "exact" : "similar";
}

/// The kin of one agenda item.
struct Kin {
  std::size_t roll_call = 0;  ///< index into VoteData::roll_calls
  KinRule rule = KinRule::kExactTitle;
  double similarity = 1.0;  ///< 1 for an exact match
};

/// Finds kin among earlier roll calls. Built once per data set and session limit.
class KinFinder {
 public:
  /// Candidates are the roll calls of `data` in sessions before `before_session` for which
  /// `has_votes[index]` is true: at least kMinKinVotes recorded votes (fewer carry no
  /// evidence).
  KinFinder(const calibrate::VoteData& data, int before_session,
            const std::vector<bool>& has_votes);

  /// The kin of `item`, or nullopt. Roll calls whose title normalises to nothing (the
  /// data leave `short` empty for some) are never matched. Rules, in order: (1) the same normalised
  /// title: the latest such roll call of the same kind (a vote on a whole resolution prefers a vote
  /// on a whole resolution; an amendment or paragraph vote prefers one of those), else the latest
  /// of any kind; (2) otherwise the candidate with the highest content-token similarity, if at
  /// least kKinSimilarityThreshold; ties broken by a shared issue code, then by the same kind, then
  /// by recency.
  std::optional<Kin> find(const calibrate::RollCall& item) const;

  /// As find(), among candidates in sessions before `before_session` only (the kin of a
  /// kin: the vote on the same resolution one round earlier).
  std::optional<Kin> find(const calibrate::RollCall& item, int before_session) const;

  /// The normalised title `item` is matched by: normalise_title(own_title(item)); when that
  /// is empty, the title of the first roll call of the same session on the same resolution
  /// symbol (`unres`) that has one (a paragraph vote takes its resolution's title).
  std::string title_of(const calibrate::RollCall& item) const;

 private:
  struct Candidate {
    std::size_t index;
    std::string title;
    std::vector<std::string> tokens;
  };
  const calibrate::VoteData& data_;
  std::vector<Candidate> candidates_;                                 // latest first
  std::map<std::pair<int, std::string>, std::string> by_resolution_;  // (session, unres) -> title
};

/// Whether a roll call is a vote on a whole resolution (not an amendment or a paragraph).
inline bool whole_resolution(const calibrate::RollCall& rc) {
  return !rc.amendment && !rc.paragraph;
}

}  // namespace plenary::forecast
