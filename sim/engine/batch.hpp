#pragma once
/// One batch of replicates advancing together through both phases of MODEL.md.
///
/// State is laid out draft-major, member, then lane (replicate within the batch)
/// innermost. Peer pressure (W s_r)_i is kept incrementally: when member j joins draft r
/// in a lane, column j of W is added to its watchers' pressure in that lane, instead of a
/// matrix product every round. Each lane's arithmetic happens in the same order whatever
/// the batch size, so results are bit-identical for any batch size and thread count.

#include <cstdint>
#include <vector>

#include "plenary/engine/simulate.hpp"
#include "plenary/model/model.hpp"

namespace plenary {

class Batch {
 public:
  /// Allocates the state for up to `capacity` lanes (a multiple of 4).
  Batch(const Model& model, int capacity);

  /// Runs replicates first .. first + lanes - 1 (first a multiple of 4) and adds their
  /// outcomes to `counts` (one entry per draft, shaped as by simulate()).
  void run(long first, int lanes, std::uint64_t seed, std::vector<DraftCounts>& counts);

 private:
  struct Join {
    int draft;
    int member;
    int lane;
  };

  std::size_t at(int r, int i) const {
    return (static_cast<std::size_t>(r) * static_cast<std::size_t>(n_) + static_cast<std::size_t>(i)) *
           static_cast<std::size_t>(capacity_);
  }
  void reset(int lanes);
  void sponsorship_round(int t, long first, int lanes, std::uint64_t seed);
  void apply_joins();
  void join(int r, int j, int lane);
  double bloc_term(int r, int i, int lane) const;
  int rival_sponsorships(int r, int i, int lane, const std::vector<char>* standing) const;
  double vote_utility(int r, int i, int lane, const std::vector<char>* standing) const;
  void record_round(int t, int lanes, std::vector<DraftCounts>& counts) const;
  void vote(long first, int lanes, std::uint64_t seed, std::vector<DraftCounts>& counts);
  bool withdrawn(int r, int lane) const;

  const Model& m_;
  int capacity_;
  int n_;
  int r_;
  int g_;
  // Per (draft, member): theta_0 - theta_fit |x_i - p_r|^2, and the random-stream pair key.
  std::vector<double> base_;
  std::vector<std::uint64_t> pair_;
  // Per (draft, member): phi_fit (|x_i - q_r|^2 - |x_i - p_r|^2).
  std::vector<double> fit_;
  // Per bloc: 1 / |g|; per member: 1 / (number of its blocs), 0 in no bloc.
  std::vector<double> inv_bloc_size_;
  std::vector<double> inv_bloc_count_;
  // Per draft: theta_lobby e_r / sum_j c_j.
  std::vector<double> lobby_coef_;

  // Lane state.
  std::vector<std::uint8_t> sponsor_;   // [r][i][lane]
  std::vector<double> peer_;            // [r][i][lane] = (W s_r)_i
  std::vector<std::int32_t> bloc_count_;  // [r][g][lane] sponsors of r in g
  std::vector<double> clout_sum_;       // [r][lane] sum_j c_j s_jr
  std::vector<std::int32_t> count_;     // [r][lane] sponsor count
  std::vector<Join> joins_;
};

}  // namespace plenary
