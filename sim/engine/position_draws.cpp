#include "plenary/engine/position_draws.hpp"

#include <cmath>

#include "plenary/core/random.hpp"

namespace plenary {

void draw_positions_into(const Model& model, std::uint64_t seed, std::uint32_t draw,
                         Eigen::MatrixXd& out) {
  const auto n = static_cast<Eigen::Index>(model.members);
  const auto dims = static_cast<Eigen::Index>(model.dims);
  out.resize(n, dims);
  constexpr double kTwoPi = 6.283185307179586;
  for (Eigen::Index i = 0; i < n; ++i) {
    // The normals of standard_normals (core/random.hpp), only as many as D needs: words 0
    // and 1 give dimensions 1 and 2, words 2 and 3 dimension 3. The logarithm, root and
    // sine of Box-Muller are most of a draw's cost.
    const auto w =
        philox_block(seed, draw, Phase::kPositions, 0,
                     pair_key(model.member_keys[static_cast<std::size_t>(i)], kPositionsStream));
    double z[3] = {};
    const double radius = std::sqrt(-2.0 * std::log(to_uniform(w[0])));
    const double angle = kTwoPi * to_uniform(w[1]);
    z[0] = radius * std::cos(angle);
    if (dims > 1) z[1] = radius * std::sin(angle);
    if (dims > 2) {
      z[2] = std::sqrt(-2.0 * std::log(to_uniform(w[2]))) * std::cos(kTwoPi * to_uniform(w[3]));
    }
    for (Eigen::Index k = 0; k < dims; ++k) {
      out(i, k) = model.positions(i, k) + model.position_se(i, k) * z[k];
    }
  }
}

Eigen::MatrixXd drawn_positions(const Model& model, std::uint64_t seed, std::uint32_t draw) {
  Eigen::MatrixXd out;
  draw_positions_into(model, seed, draw, out);
  return out;
}

}  // namespace plenary
