#include "plenary/engine/position_draws.hpp"

#include "plenary/core/random.hpp"

namespace plenary {

void draw_positions_into(const Model& model, std::uint64_t seed, std::uint32_t draw,
                         Eigen::MatrixXd& out) {
  const auto n = static_cast<Eigen::Index>(model.members);
  const auto dims = static_cast<Eigen::Index>(model.dims);
  out.resize(n, dims);
  for (Eigen::Index i = 0; i < n; ++i) {
    // D <= 3: the four normals of one block are enough.
    const auto z = standard_normals(seed, draw, model.member_keys[static_cast<std::size_t>(i)]);
    for (Eigen::Index k = 0; k < dims; ++k) {
      out(i, k) = model.positions(i, k) + model.position_se(i, k) * z[static_cast<std::size_t>(k)];
    }
  }
}

Eigen::MatrixXd drawn_positions(const Model& model, std::uint64_t seed, std::uint32_t draw) {
  Eigen::MatrixXd out;
  draw_positions_into(model, seed, draw, out);
  return out;
}

}  // namespace plenary
