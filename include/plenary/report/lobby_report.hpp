#pragma once
/// Writers of `plenary lobby` (docs/strategy.md): the printed summary, the CSV ranking and
/// the JSON document. The same inputs give the same bytes.

#include <string>

#include "plenary/scenario/scenario.hpp"
#include "plenary/stats/lobby.hpp"

namespace plenary {

/// The summary printed by `plenary lobby`: the baseline, the variance reduction of common
/// random numbers, the `top` best candidates (all when top < 0) and the greedy path.
std::string lobby_text(const Scenario& s, const LobbyResult& r, int top = 20);

/// The ranking as CSV: rank,candidate,gain,lo,hi,se,baseline,with,cost,score,p_commit,note.
std::string lobby_csv(const LobbyResult& r);

/// The JSON document (schema `plenary-lobby/1`), pretty-printed, ending in a newline.
std::string lobby_json(const Scenario& s, const LobbyResult& r);

/// The HTML report (`plenary lobby --report`, docs/strategy.md): one self-contained page with
/// the baseline, the variance reduction, a chart of the `top` best gains with their
/// intervals, the whole ranking, the greedy path and `command`, the line that reproduces it.
std::string lobby_html(const Scenario& s, const LobbyResult& r, const std::string& command,
                       int top = 30);

}  // namespace plenary
