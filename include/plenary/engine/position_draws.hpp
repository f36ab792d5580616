#pragma once
/// Draws of the members' positions from their standard errors (docs/model.md, "Estimation
/// uncertainty in positions"; --uncertainty positions).

#include <Eigen/Core>
#include <cstdint>

#include "plenary/model/model.hpp"

namespace plenary {

/// Draw `draw` of every member's position, x_i + se_i * z_i(draw) with z_i(draw) standard
/// normals from the member's own stream (core/random.hpp, Phase::kPositions): a pure
/// function of (seed, draw, member code). Replicates 2d and 2d + 1 run with draw d. Rows
/// as in Model::positions.
Eigen::MatrixXd drawn_positions(const Model& model, std::uint64_t seed, std::uint32_t draw);

/// Fills `out` (resized to N x D) with drawn_positions(model, seed, draw), reusing its memory.
void draw_positions_into(const Model& model, std::uint64_t seed, std::uint32_t draw,
                         Eigen::MatrixXd& out);

}  // namespace plenary
