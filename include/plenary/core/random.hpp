#pragma once
/// Counter-based random numbers (MODEL.md, "Replicates and randomness"), in the bottom layer
/// (core) that scenario generation, the model, the engine and the fit all use.
///
/// Every draw is a pure function of (seed, replicate, phase, round, member code, draft id):
/// one Philox4x32-10 block (Salmon et al., SC'11; Random123's philox4x32) with
///   key     = (seed low 32 bits, seed high 32 bits)
///   counter = (block, phase << 24 | round, pair low 32 bits, pair high 32 bits)
/// where `pair = pair_key(stream_key(member code), stream_key(draft id))`. Hashing the
/// code and the id (not their positions in the file) is what makes two scenarios share
/// the random numbers of every member and draft they have in common.
///
/// Phase 1 (co-sponsorship) packs four replicates in one block: replicate k reads word
/// k % 4 of block k / 4. Phase 2 (the vote) uses block = replicate, round = 0, and the
/// words: 0 absence, 1 the vote's logistic noise, 2 the request for a recorded vote.

#include <Random123/philox.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <string_view>

namespace plenary {

/// Phases of the counter (the top 8 bits of the second counter word).
enum class Phase : std::uint32_t {
  kSponsorship = 1,
  kVote = 2,
  kGenerate = 3,       ///< synthetic scenarios (`plenary generate`), not simulation
  kPositions = 4,      ///< drawn positions (`--uncertainty positions`): block = the draw
  kFitParameters = 5,  ///< drawn fit coordinates (`--uncertainty parameters`): block = the draw
};

/// Largest round number the counter can hold.
inline constexpr std::uint32_t kMaxRound = (1u << 24) - 1;

/// SplitMix64's finaliser (Steele, Lea & Flood 2014): a bijective 64-bit mixer.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// The stream key of a member code or draft id: FNV-1a 64 of its bytes, then mix64.
/// Stable across platforms and versions: changing it changes every result.
constexpr std::uint64_t stream_key(std::string_view name) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return mix64(h);
}

/// The key of one (member, draft) pair; asymmetric in its arguments.
constexpr std::uint64_t pair_key(std::uint64_t member, std::uint64_t draft) {
  return mix64(member ^ mix64(draft + 0x9e3779b97f4a7c15ULL));
}

/// Four 32-bit words of one Philox4x32-10 block.
inline std::array<std::uint32_t, 4> philox_block(std::uint64_t seed, std::uint32_t block,
                                                 Phase phase, std::uint32_t round,
                                                 std::uint64_t pair) {
  const philox4x32_key_t key = {
      {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  const philox4x32_ctr_t ctr = {{block, (static_cast<std::uint32_t>(phase) << 24) | round,
                                 static_cast<std::uint32_t>(pair),
                                 static_cast<std::uint32_t>(pair >> 32)}};
  const philox4x32_ctr_t out = philox4x32_R(10, ctr, key);
  return {out.v[0], out.v[1], out.v[2], out.v[3]};
}

/// Maps a 32-bit word to a uniform in the open interval (0, 1): (w + 1/2) / 2^32.
constexpr double to_uniform(std::uint32_t word) {
  return (static_cast<double>(word) + 0.5) * 0x1p-32;
}

/// The stream key standing in for the draft id in the pair key of a member's position
/// draws (Phase::kPositions), which belong to no draft.
inline constexpr std::uint64_t kPositionsStream = stream_key("#positions");

/// The stream key standing in for the draft id in the pair key of the fit's parameter draws
/// (Phase::kFitParameters): normal j of a draw uses pair_key(j, kParametersStream).
inline constexpr std::uint64_t kParametersStream = stream_key("#parameters");

/// Four independent standard normals for (seed, draw, member key): Box-Muller on the two
/// pairs of words of the member's Phase::kPositions block `draw`, round 0.
inline std::array<double, 4> standard_normals(std::uint64_t seed, std::uint32_t draw,
                                              std::uint64_t member_key) {
  const auto w =
      philox_block(seed, draw, Phase::kPositions, 0, pair_key(member_key, kPositionsStream));
  constexpr double kTwoPi = 6.283185307179586;
  std::array<double, 4> z{};
  for (std::size_t k = 0; k < 4; k += 2) {
    const double radius = std::sqrt(-2.0 * std::log(to_uniform(w[k])));
    const double angle = kTwoPi * to_uniform(w[k + 1]);
    z[k] = radius * std::cos(angle);
    z[k + 1] = radius * std::sin(angle);
  }
  return z;
}

}  // namespace plenary
