#include "plenary/scenario/generate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "plenary/core/random.hpp"
#include "plenary/util/text.hpp"

namespace plenary {

namespace {

// A portable stream of uniforms: Philox blocks keyed by (seed, purpose).
class Stream {
 public:
  Stream(std::uint64_t seed, std::string_view purpose) : seed_(seed), key_(stream_key(purpose)) {}
  double uniform() {
    if (used_ == 4) {
      words_ = philox_block(seed_, block_++, Phase::kGenerate, 0, key_);
      used_ = 0;
    }
    return to_uniform(words_[used_++]);
  }
  int below(int n) { return std::min(n - 1, static_cast<int>(uniform() * n)); }
  double normal() {  // Box-Muller, cosine branch
    const double u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
  }

 private:
  std::uint64_t seed_;
  std::uint64_t key_;
  std::uint32_t block_ = 0;
  std::array<std::uint32_t, 4> words_{};
  std::size_t used_ = 4;
};

void check(bool ok, const std::string& message) {
  if (!ok) throw UsageError(message);
}

}  // namespace

Scenario generate_scenario(const GenerateOptions& o) {
  check(o.members >= 2 && o.members <= 10'000'000, "--members must be between 2 and 10000000");
  check(o.blocs >= 0 && o.blocs <= 10000, "--blocs must be between 0 and 10000");
  check(o.ties_per_member >= 0 && o.ties_per_member < o.members,
        "--ties-per-member must be at least 0 and below the number of members");
  check(o.drafts >= 1 && o.drafts <= std::min(o.members, 1000),
        "--drafts must be at least 1 and at most the number of members (and 1000)");
  check(o.dims >= 1 && o.dims <= 3, "--dims must be 1, 2 or 3");
  check(o.rounds >= 1 && o.rounds <= 100000, "--rounds must be between 1 and 100000");
  check(o.absence >= 0 && o.absence <= 1, "--absence must be between 0 and 1");
  check(o.replicates >= 1, "--replicates must be at least 1");

  Scenario s;
  s.name = fmt::format("Synthetic assembly: {}, {}, {} per member, {}",
                       count_noun(o.members, "member"), count_noun(o.blocs, "bloc"),
                       count_noun(o.ties_per_member, "tie"), count_noun(o.drafts, "draft"));
  s.dims = o.dims;
  for (int g = 0; g < o.blocs; ++g) {
    s.blocs.push_back({fmt::format("B{}", g), o.ties_per_member > 0 ? 0.0 : 1.0, {}});
  }
  Stream positions(o.seed, "positions");
  Stream blocs(o.seed, "blocs");
  for (int i = 0; i < o.members; ++i) {
    Member m;
    m.code = fmt::format("M{}", i);
    m.name = fmt::format("Member {}", i);
    m.position.resize(o.dims);
    for (int d = 0; d < o.dims; ++d) m.position(d) = positions.normal();
    m.absence = o.absence;
    if (o.blocs > 0) {
      const int count = 1 + blocs.below(std::min(3, o.blocs));
      while (static_cast<int>(m.blocs.size()) < count) {
        const int g = blocs.below(o.blocs);
        if (std::find(m.blocs.begin(), m.blocs.end(), g) == m.blocs.end()) m.blocs.push_back(g);
      }
      for (int g : m.blocs) s.blocs[static_cast<std::size_t>(g)].members.push_back(i);
    }
    s.members.push_back(std::move(m));
  }
  Stream ties(o.seed, "ties");
  std::vector<int> chosen_by(static_cast<std::size_t>(o.members), -1);  // last i to choose j
  std::vector<int> others;
  for (int i = 0; i < o.members; ++i) {
    std::vector<int> chosen;
    if (2 * o.ties_per_member <= o.members) {
      // Up to half the members: draw and reject repeats (at most two draws per tie expected).
      while (static_cast<int>(chosen.size()) < o.ties_per_member) {
        const int j = ties.below(o.members);
        if (j == i || chosen_by[static_cast<std::size_t>(j)] == i) continue;
        chosen_by[static_cast<std::size_t>(j)] = i;
        chosen.push_back(j);
      }
    } else {
      // More: a partial Fisher-Yates shuffle of the other members.
      others.clear();
      for (int j = 0; j < o.members; ++j) {
        if (j != i) others.push_back(j);
      }
      for (int k = 0; k < o.ties_per_member; ++k) {
        const int pick = k + ties.below(static_cast<int>(others.size()) - k);
        std::swap(others[static_cast<std::size_t>(k)], others[static_cast<std::size_t>(pick)]);
        chosen.push_back(others[static_cast<std::size_t>(k)]);
      }
    }
    for (int j : chosen) s.ties.push_back({i, j, 1.0});
  }
  for (int r = 0; r < o.drafts; ++r) {
    Draft d;
    d.id = fmt::format("D{}", r);
    d.sponsors = {r};
    d.status_quo = Eigen::VectorXd::Zero(o.dims);
    d.closes = o.rounds;
    for (int q = 0; q < o.drafts; ++q) {
      if (q > r) d.rivals.push_back(q);  // rivalry is mutual: declared once per pair
    }
    s.drafts.push_back(std::move(d));
  }
  s.run.replicates = o.replicates;
  s.run.seed = o.seed;
  return s;
}

}  // namespace plenary
