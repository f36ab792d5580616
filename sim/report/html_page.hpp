#pragma once
// The page and figure frames shared by the run report and the comparison report.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "plenary/report/html.hpp"

namespace plenary::html {

/// A complete HTML5 document with the report's inline style sheet.
std::string page(std::string_view title, const std::string& body);

/// An SVG chart with its caption (HTML allowed in the caption).
std::string figure(const std::string& svg_text, const std::string& caption);

/// The place of draft r's seat chart. When a recorded vote is the most likely outcome (at
/// least as many replicates as adoption without a vote and as withdrawal), the seat chart
/// of the members' most likely votes, its caption saying in how many replicates the
/// Assembly recorded a vote. Otherwise a panel saying what happened instead ("Adopted
/// without a vote in 99.8% of replicates"), so that no seat chart suggests a vote that the
/// run mostly did not have. `who` starts the caption ("<b>A</b>: " in a comparison).
std::string vote_figure(const ReportRun& run, std::size_t r, std::string_view who);

/// A share of replicates as a percentage with one decimal that never rounds to 0% or 100%
/// unless it is exactly that: "99.8%", "<0.1%", ">99.9%", "100%".
std::string share(std::uint64_t count, std::uint64_t total);

}  // namespace plenary::html
