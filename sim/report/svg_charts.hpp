#pragma once
// The charts of the HTML report as pure functions from plain data to an inline <svg>
// element: they know nothing of scenarios or runs (svg_figures.hpp adapts a run to them),
// so that a comparison can draw the same chart for two runs side by side.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "report/svg_labels.hpp"

namespace plenary::svg {

/// Sponsorship growth: the median sponsor count by round in a 5-95% band, with targets.
struct FanChart {
  std::string label;              ///< accessible name of the chart
  std::vector<int> p5, p50, p95;  ///< per round t = 0..T
  std::vector<double> mean;       ///< per round, for the hover text
  std::vector<int> targets;       ///< reference counts drawn as horizontal lines
  int opens = 0;                  ///< the draft's first open round
  int closes = 0;                 ///< the round it closes
};
std::string fan_chart(const FanChart& chart);

/// The state a seat of the hemicycle shows: a member's most likely vote, or no vote at all
/// for a member without voting rights (Article 19).
enum class SeatState : int { kYes = 0, kNo, kAbstain, kAbsent, kNoVote };

/// The legend text of a seat state ("Yes", "No", "Abstain", "Absent", "No vote (Art. 19)").
constexpr std::string_view seat_state_name(SeatState s) {
  switch (s) {
    case SeatState::kYes:
      return "Yes";
    case SeatState::kNo:
      return "No";
    case SeatState::kAbstain:
      return "Abstain";
    case SeatState::kAbsent:
      return "Absent";
    case SeatState::kNoVote:
      return "No vote (Art. 19)";
  }
  return "?";
}

/// One seat: its short label (the member's code), its hover text and state.
struct Seat {
  std::string label;
  std::string tooltip;
  SeatState state = SeatState::kYes;
};

/// A General Assembly seat chart: the seats fill concentric half rings from left to right
/// in the order given. Codes are written beside the seats when there are few enough.
std::string hemicycle(const std::vector<Seat>& seats, std::string_view label);

/// Histograms of the recorded Yes and No counts over replicates, with the adoption line.
struct TallyChart {
  std::string label;
  std::vector<std::uint64_t> yes;  ///< replicates with each Yes count 0..N
  std::vector<std::uint64_t> no;   ///< replicates with each No count 0..N
  double adoption_line = 0;        ///< the Yes count marked as needed to adopt
  std::string adoption_label;      ///< its legend text
};
std::string tally_chart(const TallyChart& chart);

/// A member in the policy space, coloured by a probability.
struct SpacePoint {
  double x = 0, y = 0;
  double value = 0;  ///< in [0, 1]
  std::string label;
  std::string tooltip;
  /// Always labelled (e.g. a draft's original sponsors); other members are labelled where
  /// their label fits clear of every other label and point, or all of them in a small
  /// assembly (up to 40 members).
  bool named = false;
};

/// A draft position or status quo in the policy space.
struct SpaceMarker {
  double x = 0, y = 0;
  std::string label;
  bool status_quo = false;  ///< drawn as a cross, else as a diamond
  bool highlight = false;   ///< filled: the draft the chart is about
};

/// The members' positions (first two dimensions; `one_dimensional` puts them on a line,
/// spread vertically only to limit overlap), coloured on the viridis scale by `value`.
struct SpaceChart {
  std::string label;
  std::string value_name;  ///< what the colour shows, e.g. "P(co-sponsor)"
  bool one_dimensional = false;
  std::vector<SpacePoint> points;
  std::vector<SpaceMarker> markers;
};
std::string space_chart(const SpaceChart& chart);

/// The labels space_chart() writes, as placed: every marker (drafts and status quos) and
/// every named member, then the other members where they fit; no two boxes intersect.
std::vector<PlacedLabel> space_labels(const SpaceChart& chart);

}  // namespace plenary::svg
