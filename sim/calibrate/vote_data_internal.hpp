#pragma once
// What the two vote-data readers (vote_data.cpp: Voeten's files; undl_data.cpp: the UN's
// voting data) share.

#include <string>

#include "plenary/calibrate/vote_data.hpp"

namespace plenary::calibrate::detail {

/// Fills data.membership (each state's first and last roll call) and checks that no state
/// voted twice on one roll call (a DataError naming `votes_file` if one did).
void index_membership(const std::string& votes_file, VoteData& data);

}  // namespace plenary::calibrate::detail
