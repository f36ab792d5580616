#pragma once
// Adds up the blocks of each point as they come in, in any order, and says when a point
// is complete (shared by the local and MPI backends of include/plenary/scale/tasks.hpp).

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "plenary/scale/tasks.hpp"

namespace plenary::scale {

class Accumulator {
 public:
  explicit Accumulator(const std::vector<Task>& tasks);

  /// Adds one task's Results; returns true (and moves the total into `total`) when it was
  /// the point's last block.
  bool add(const Task& task, Results&& block, Results& total);

 private:
  struct Pending {
    long blocks_left = 0;
    Results sum;
    bool started = false;
  };
  std::unordered_map<std::size_t, Pending> pending_;
};

/// Results as 64-bit words (self-describing: shapes included), to send between ranks.
std::vector<std::uint64_t> serialize(const Results& results);
/// The inverse of serialize(); throws std::runtime_error for a malformed buffer.
Results deserialize(const std::uint64_t* words, std::size_t size);

}  // namespace plenary::scale
