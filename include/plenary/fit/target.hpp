#pragma once
/// Targets of `plenary fit` (docs/fit.md): one public figure a fitted scenario should
/// reproduce, written `DRAFT.QUANTITY[@ROUND]=VALUE[~TOLERANCE]`, and how its achieved
/// value is read off a run's Summary. A member quantity names who it is about after a
/// colon: `OEWG.p_no:USA=1` (a member's code) or `GGE.p_sponsor:EU=0.9` (a bloc: the mean
/// over its members).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plenary/scenario/scenario.hpp"
#include "plenary/stats/summary.hpp"

namespace plenary {

/// What a target measures, per draft (docs/output.md names the same figures).
enum class Quantity {
  kSponsors,      ///< mean sponsor count at the close, or after a given round
  kYes,           ///< mean recorded Yes count
  kNo,            ///< mean recorded No count
  kAbstain,       ///< mean recorded Abstain count
  kAbsent,        ///< mean recorded absent count
  kPAdopted,      ///< P(adopted)
  kPWithoutVote,  ///< P(adopted without a vote)
  kPWithdrawn,    ///< P(withdrawn)
  kPReach,        ///< P(sponsor count at the close >= N)
  kPYes,          ///< a member's P(intends Yes) (a bloc's mean), when the draft stands
  kPNo,           ///< ... P(No)
  kPAbstain,      ///< ... P(Abstain)
  kPAbsent,       ///< ... P(absent)
  kPSponsor,      ///< a member's P(co-sponsoring at the close) (a bloc's mean)
};

/// The command-line spelling of a quantity ("sponsors", "p_reach", ...).
constexpr std::string_view quantity_name(Quantity q) {
  switch (q) {
    case Quantity::kSponsors:
      return "sponsors";
    case Quantity::kYes:
      return "yes";
    case Quantity::kNo:
      return "no";
    case Quantity::kAbstain:
      return "abstain";
    case Quantity::kAbsent:
      return "absent";
    case Quantity::kPAdopted:
      return "p_adopted";
    case Quantity::kPWithoutVote:
      return "p_without_vote";
    case Quantity::kPWithdrawn:
      return "p_withdrawn";
    case Quantity::kPReach:
      return "p_reach";
    case Quantity::kPYes:
      return "p_yes";
    case Quantity::kPNo:
      return "p_no";
    case Quantity::kPAbstain:
      return "p_abstain";
    case Quantity::kPAbsent:
      return "p_absent";
    case Quantity::kPSponsor:
      return "p_sponsor";
  }
  return "?";
}

/// True for the quantities about one member or a bloc's members (`:CODE` or `:BLOC`).
constexpr bool is_member_quantity(Quantity q) {
  return q == Quantity::kPYes || q == Quantity::kPNo || q == Quantity::kPAbstain ||
         q == Quantity::kPAbsent || q == Quantity::kPSponsor;
}

/// True for the member quantities about the vote (only members with voting rights have one).
constexpr bool is_member_vote(Quantity q) {
  return is_member_quantity(q) && q != Quantity::kPSponsor;
}

/// True for the quantities that are probabilities (the others count members).
constexpr bool is_probability(Quantity q) {
  return q == Quantity::kPAdopted || q == Quantity::kPWithoutVote || q == Quantity::kPWithdrawn ||
         q == Quantity::kPReach || is_member_quantity(q);
}

/// Default tolerance of a count target: one member.
inline constexpr double kCountTolerance = 1;
/// Default tolerance of a probability target: two percentage points.
inline constexpr double kProbabilityTolerance = 0.02;

/// One parsed target.
struct Target {
  /// Index into Scenario::drafts.
  int draft = 0;
  Quantity quantity = Quantity::kSponsors;
  /// kSponsors only: the count after this many rounds (0..T); nullopt means at the close.
  std::optional<int> round;
  /// kPReach only: the sponsor count N to reach.
  int reach = 0;
  /// Member quantities only: the member's code or the bloc's name as given, and the
  /// members whose probabilities are averaged (for a vote, those with voting rights).
  std::string subject;
  std::vector<int> members;
  /// The figure to reproduce.
  double value = 0;
  /// How far from `value` still counts as a match, > 0: `~TOLERANCE`, else kCountTolerance
  /// or kProbabilityTolerance. It is the target's scale in the objective (with the
  /// Monte-Carlo standard error).
  double tolerance = 0;
  /// True when the tolerance was given with `~`.
  bool tolerance_given = false;
};

/// The target's name without its value: "GGE.sponsors@8", "GGE.p_reach:55", "GGE.p_no:RUS".
std::string target_label(const Scenario& scenario, const Target& target);

/// The target as it would be written on the command line: "GGE.yes=139~2".
std::string target_text(const Scenario& scenario, const Target& target);

/// Parses one `--target` (see docs/fit.md for the grammar). Throws UsageError naming the
/// flag, what is wrong and the fix: an unknown draft, quantity, member or bloc, a round
/// outside 0..T, a malformed or out-of-range value or tolerance.
Target parse_target(const Scenario& scenario, std::string_view text);

/// Parses every `--target`; also refuses none at all and the same figure named twice.
std::vector<Target> parse_targets(const Scenario& scenario, const std::vector<std::string>& texts);

/// A target's value in one run.
struct Measurement {
  /// The achieved value.
  double value = 0;
  /// Its Monte-Carlo standard error (0 when it cannot be estimated).
  double se = 0;
  /// True for a tally target when no replicate recorded a vote: `value` is then the
  /// expected intended count over the replicates in which the draft stood (0 when it never
  /// stood), which keeps the objective informative where the tally is undefined.
  bool fallback = false;
};

/// Reads a target off a run's summary (which must include the target's p_reach threshold).
Measurement measure(const Target& target, const Summary& summary);

}  // namespace plenary
