#pragma once
/// The output of `plenary sweep` (docs/sweep.md): one CSV row per grid point with every
/// draft's headline results and their standard errors, and the identity of a sweep that
/// its journal records.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "plenary/scale/grid.hpp"
#include "plenary/scenario/scenario.hpp"
#include "plenary/stats/summary.hpp"

namespace plenary::scale {

/// The CSV header line (without newline): `point`, one column per axis (its name), then
/// for each draft D in the scenario's order the columns `D.sponsors_mean`, ... (docs/sweep.md).
std::string sweep_header(const Scenario& base, const Grid& grid);

/// The CSV row (without newline) of one grid point, matching sweep_header().
std::string sweep_row(std::size_t point, const Grid& grid, const Summary& summary);

/// What makes two sweeps the same: the SHA-256 of the scenario file and of the scenario as
/// loaded (members, positions and included files), the swept assignments as given, the
/// replicates and the seed. Tab-separated `key=value` fields, one line.
std::string sweep_identity(const Scenario& base, const std::vector<std::string>& sets,
                           long replicates, std::uint64_t seed);

}  // namespace plenary::scale
