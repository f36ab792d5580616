#pragma once
/// Writers of `plenary draft` (docs/strategy.md): the printed summary, the frontier as CSV,
/// the JSON document, the SVG charts (the frontier; in 2-D the heatmap of the goal over the
/// policy space) and the HTML report. The same inputs give the same bytes.

#include <string>

#include "plenary/scenario/scenario.hpp"
#include "plenary/stats/draft.hpp"

namespace plenary {

/// The summary printed by `plenary draft`: the current text, the best position with its
/// goal, interval and gain over the current text, and the frontier.
std::string draft_text(const Scenario& s, const DraftSearchResult& r);

/// The frontier, one line per point, columns
/// `distance,goal,lo,hi,se,gain,gain_lo,gain_hi,keep_min,x1[,x2[,x3]]`.
std::string draft_csv(const DraftSearchResult& r);

/// The JSON document (schema `plenary-draft/1`), pretty-printed, ending in a newline.
std::string draft_json(const Scenario& s, const DraftSearchResult& r);

/// The frontier chart: the goal against the distance from the main sponsor, every feasible
/// position a dot, the frontier with its 95% intervals, the current and the best text marked.
std::string draft_frontier_svg(const Scenario& s, const DraftSearchResult& r);

/// In 2-D, the goal over the coarse grid as a heatmap, with the members, the kept members,
/// the current text and the best text marked; "" in other dimensions.
std::string draft_heatmap_svg(const Scenario& s, const DraftSearchResult& r);

/// The HTML report: one self-contained page; `command` reproduces the run.
std::string draft_html(const Scenario& s, const DraftSearchResult& r, const std::string& command);

}  // namespace plenary
