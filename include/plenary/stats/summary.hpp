#pragma once
/// What a run reports (MODEL.md, "What a run reports, per draft"): summaries of the
/// engine's integer counts, each estimate with its Monte-Carlo standard error.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"

namespace plenary {

/// Summary of an integer-valued quantity over replicates.
struct Distribution {
  double mean = 0;
  /// Standard error of the mean: the sample standard deviation / sqrt(n); nullopt if n < 2.
  std::optional<double> se;
  /// Percentiles by nearest rank: the smallest value with at least ceil(q n) values <= it.
  int p5 = 0;
  int p50 = 0;
  int p95 = 0;
};

/// An estimated probability with its binomial standard error sqrt(p (1 - p) / n).
struct Probability {
  double p = 0;
  double se = 0;
};

/// One member's figures for one draft.
struct MemberSummary {
  int member = 0;
  /// P(co-sponsoring at the close), over all replicates, and its standard error.
  double p_sponsor = 0;
  double p_sponsor_se = 0;
  /// Intended-vote probabilities over the replicates in which the draft stood; nullopt
  /// for a member without voting rights or when the draft never stood.
  std::optional<double> p_yes, p_no, p_abstain, p_absent;
  /// Their standard errors sqrt(p (1 - p) / n), n the replicates in which the draft stood.
  std::optional<double> p_yes_se, p_no_se, p_abstain_se, p_absent_se;
  /// Entropy (bits) of the four-way vote distribution; 0 when the above are nullopt.
  double entropy = 0;
};

/// Everything reported for one draft.
struct DraftSummary {
  std::string id;
  /// Sponsor count after t rounds, t = 0..T.
  std::vector<Distribution> sponsors_by_round;
  /// Sponsor count at the close (final).
  Distribution sponsors_final;
  /// P(sponsor count at the close >= n) for each requested threshold n.
  std::vector<std::pair<int, Probability>> p_reach;
  /// Replicates with a recorded vote.
  std::uint64_t tally_replicates = 0;
  /// Recorded tallies (Yes, No, Abstain, absent) over those replicates; nullopt if none.
  std::optional<Distribution> yes, no, abstain, absent;
  Probability p_adopted;
  Probability p_without_vote;
  Probability p_withdrawn;
  std::vector<MemberSummary> members;
  /// Up to ten voting members with the most uncertain vote (highest entropy first; ties
  /// by member order).
  std::vector<int> most_uncertain;
};

/// Summary of a whole run.
struct Summary {
  long replicates = 0;
  std::uint64_t seed = 0;
  std::vector<DraftSummary> drafts;
};

/// Summary of a histogram (counts of the values 0, 1, 2, ...); nullopt when it is empty.
std::optional<Distribution> summarise_histogram(const std::uint64_t* counts, std::size_t size);

/// A probability estimated from `hits` successes in `n` trials (p = 0, se = 0 if n = 0).
Probability estimate(std::uint64_t hits, std::uint64_t n);

/// Summarises a run. `thresholds` are the sponsor counts for P(reach).
Summary summarise(const Model& model, const Results& results, const std::vector<int>& thresholds);

}  // namespace plenary
