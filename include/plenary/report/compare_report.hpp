#pragma once
/// Writers of a comparison (plenary compare): the terminal table and the JSON document
/// (docs/output.md, "plenary compare").

#include <filesystem>
#include <string>

#include "plenary/report/html.hpp"
#include "plenary/scenario/scenario.hpp"
#include "plenary/stats/compare.hpp"

namespace plenary {

/// The side-by-side table printed by `plenary compare`; `top` members that move most.
std::string compare_text(const Scenario& a, const Scenario& b, const Comparison& c, int top = 10);

/// The JSON document of a comparison, pretty-printed, ending in a newline. Every member
/// present in both scenarios is listed. The same inputs give the same bytes.
std::string compare_json(const Scenario& a, const Scenario& b, const Comparison& c);

/// The HTML report of a comparison (`plenary compare --report`, docs/report.md): one
/// self-contained page with the two scenarios' figures side by side, the differences with
/// their intervals, each draft's sponsorship and seat charts for A and B, and the `top`
/// members whose stance moves most. Throws DataError as check_reportable() does.
std::string compare_html(const ReportRun& a, const ReportRun& b, const Comparison& c, int top = 15);

/// Renders compare_html() and writes it whole or not at all; DataError, leaving no file,
/// for an unwritable path.
void write_compare_html(const std::filesystem::path& path, const ReportRun& a, const ReportRun& b,
                        const Comparison& c, int top = 15);

}  // namespace plenary
