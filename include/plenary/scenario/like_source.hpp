#pragma once
/// A draft's `like: {roll_call, votes}` as the loader reads it (docs/scenario-format.md,
/// "Drafts like a recorded roll call"). Placing the roll call needs the vote data, which the
/// scenario layer does not read: place_likes() (include/plenary/forecast/like.hpp) does.

#include <filesystem>
#include <string>
#include <vector>

#include "plenary/scenario/scenario.hpp"
#include "plenary/util/error.hpp"

namespace plenary {

/// One draft's `like:` entry.
struct LikeSource {
  int draft = 0;                   ///< index into Scenario::drafts
  std::string roll_call;           ///< a resolution symbol or an rcid, as written
  std::string votes;               ///< the votes path as written
  std::string votes_path;          ///< the same, resolved against the scenario's directory
  SourceLocation roll_call_where;  ///< where `roll_call:` is written
  SourceLocation votes_where;      ///< where `votes:` is written
  bool status_quo_given = false;   ///< the draft gives `status_quo:` itself
};

/// load_scenario() for files whose drafts may say `like:`: the entries are returned in
/// `likes` (checked: both keys present, `votes` exists) and the drafts keep their other
/// values until place_likes() sets them. load_scenario() itself refuses `like:`, naming
/// this function, so that a draft is never run without its placement.
Scenario load_scenario(const std::filesystem::path& file, std::vector<LikeSource>& likes);

}  // namespace plenary
