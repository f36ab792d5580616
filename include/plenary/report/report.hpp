#pragma once
/// Writers of a run's results: the terminal table, the JSON contract (docs/output.md)
/// and CSV tables. Files are written whole or not at all.

#include <filesystem>
#include <string>

#include "plenary/model/model.hpp"
#include "plenary/report/uncertainty_report.hpp"
#include "plenary/scenario/scenario.hpp"
#include "plenary/stats/summary.hpp"

namespace plenary {

/// The version written into every result.
inline constexpr const char* kVersion = PLENARY_VERSION;

/// The readable result table printed by `plenary run`.
std::string text_report(const Scenario& scenario, const Model& model, const Summary& summary);

/// The JSON document of a run (schema 1, docs/output.md), pretty-printed, ending in a
/// newline. The same inputs give the same bytes.
/// With `uncertainty`, the document has an "uncertainty" object (--uncertainty, --target-se).
std::string json_report(const Scenario& scenario, const Model& model, const Summary& summary,
                        const UncertaintyRun* uncertainty = nullptr);

/// Writes drafts.csv, sponsors_by_round.csv and members.csv into `dir` (created if
/// missing; its parent must exist). Throws DataError if it cannot.
void write_csv_report(const std::filesystem::path& dir, const Scenario& scenario,
                      const Model& model, const Summary& summary);

}  // namespace plenary
