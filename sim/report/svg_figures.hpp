#pragma once
// The charts of one draft of a run (docs/report.md): adapters from a ReportRun to the pure
// chart functions of svg_charts.hpp. A comparison report calls them once per run.

#include <cstddef>
#include <string>

#include "plenary/report/html.hpp"
#include "report/svg_charts.hpp"

namespace plenary::svg {

/// A member's most likely vote on a draft: the largest of p_yes, p_no, p_abstain, p_absent
/// (ties in that order); kNoVote for a member without voting rights or a draft that never
/// stood.
SeatState most_likely_vote(const MemberSummary& m);

/// The Yes count that the adoption line marks: with the median recorded No count, the
/// smallest Yes that adopts under the draft's majority (Article 18).
int adoption_yes(Majority rule, int median_no);

/// Sponsorship growth of draft r: median and 5-95% band by round, run.thresholds as targets.
std::string sponsorship_figure(const ReportRun& run, std::size_t r);

/// The most likely vote of draft r as a seat chart ("" when the draft never stood).
std::string seat_figure(const ReportRun& run, std::size_t r);

/// Histogram of the recorded Yes and No counts of draft r with the adoption line ("" when no
/// replicate recorded a vote).
std::string tally_figure(const ReportRun& run, std::size_t r);

/// The members in the policy space coloured by P(co-sponsor) of draft r, with every draft's
/// position and status quo; every draft's original sponsors are named.
std::string space_figure(const ReportRun& run, std::size_t r);

/// The data space_figure() draws.
SpaceChart space_data(const ReportRun& run, std::size_t r);

}  // namespace plenary::svg
