#pragma once
/// One batch of replicates advancing together through both phases of MODEL.md.
///
/// State is laid out draft, then lane (replicate within the batch), then member
/// innermost, so that one lane's pressures are one contiguous vector. Peer pressure (W s_r)_i is kept incrementally: when member j joins draft r
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
    std::size_t draft;
    std::size_t member;
    std::size_t lane;
  };

  // Index of (draft r, lane l, member i) in the per-member lane state.
  std::size_t at(std::size_t r, std::size_t l, std::size_t i) const {
    return (r * cap_ + l) * n_ + i;
  }
  // Index of (draft r, member i) in the per-draft constants.
  std::size_t ri(std::size_t r, std::size_t i) const { return r * n_ + i; }
  void reset(std::size_t lanes);
  void sponsorship_round(int t, long first, std::size_t lanes, std::uint64_t seed);
  void apply_joins();
  void join(std::size_t r, std::size_t j, std::size_t l);
  double bloc_term(std::size_t r, std::size_t l, std::size_t i) const;
  int rival_sponsorships(std::size_t r, std::size_t l, std::size_t i,
                         const std::vector<char>* standing) const;
  double vote_utility(std::size_t r, std::size_t l, std::size_t i,
                      const std::vector<char>* standing) const;
  void record_round(int t, std::size_t lanes, std::vector<DraftCounts>& counts) const;
  void vote(long first, std::size_t lanes, std::uint64_t seed, std::vector<DraftCounts>& counts);
  bool withdrawn(std::size_t r, std::size_t l) const;

  const Model& m_;
  std::size_t cap_;  // lanes allocated
  std::size_t n_;    // members
  std::size_t r_;    // drafts
  std::size_t g_;    // blocs
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
  std::vector<std::uint8_t> sponsor_;     // [r][lane][i] = s_ir
  std::vector<double> peer_;              // [r][lane][i] = (W s_r)_i
  std::vector<std::int32_t> bloc_count_;  // [r][lane][g] sponsors of r in g
  std::vector<double> clout_sum_;       // [r][lane] sum_j c_j s_jr
  std::vector<std::int32_t> count_;     // [r][lane] sponsor count
  std::vector<Join> joins_;
};

}  // namespace plenary
