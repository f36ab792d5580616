#pragma once
/// The HTML report of a run (`plenary run --report FILE`, docs/report.md): one
/// self-contained HTML5 file, viewable without network access (inline CSS and SVG only, no
/// scripts, fonts or external references), with for every draft the growth of its
/// sponsorship, the most likely vote as a seat chart, the distribution of the recorded
/// Yes and No counts, and the members in the policy space; and what is needed to
/// reproduce it (scenario, seed, replicates, parameters, plenary version).
///
/// The pieces are drawn from a `ReportRun` at a time so that a comparison of two runs can
/// put the same charts side by side.

#include <filesystem>
#include <string>

#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"
#include "plenary/scenario/scenario.hpp"
#include "plenary/stats/summary.hpp"

namespace plenary {

/// One run as a report sees it: the scenario, its compiled model, the raw counts and their
/// summary. The referenced objects must outlive the view.
struct ReportRun {
  const Scenario& scenario;
  const Model& model;
  const Results& results;
  const Summary& summary;
};

/// Throws DataError unless the run can be reported: at least one replicate kept, and
/// results and summary of the same shape as the model (members, rounds, drafts).
void check_reportable(const ReportRun& run);

/// The report as a complete HTML5 document (UTF-8). The same run gives the same bytes: no
/// timestamps, no host names. Throws DataError as check_reportable() does.
std::string html_report(const ReportRun& run);

/// Convenience overload of html_report().
std::string html_report(const Scenario& scenario, const Model& model, const Results& results,
                        const Summary& summary);

/// Renders the report and writes it to `path` whole or not at all (write_file_atomically).
/// Throws DataError, leaving no file behind, for an unwritable path or a run that
/// check_reportable() refuses.
void write_html_report(const std::filesystem::path& path, const ReportRun& run);

}  // namespace plenary
