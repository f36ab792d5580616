#include "plenary/core/random.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace plenary {
namespace {

// Known-answer vectors of Philox4x32-10 from Random123's kat_vectors file.
TEST(Random, PhiloxKnownAnswers) {
  struct Kat {
    philox4x32_ctr_t ctr;
    philox4x32_key_t key;
    std::array<std::uint32_t, 4> expected;
  };
  const Kat kats[] = {
      {{{0, 0, 0, 0}}, {{0, 0}}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
      {{{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}},
       {{0xffffffff, 0xffffffff}},
       {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
      {{{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}},
       {{0xa4093822, 0x299f31d0}},
       {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
  };
  for (const Kat& k : kats) {
    const philox4x32_ctr_t out = philox4x32_R(10, k.ctr, k.key);
    for (int w = 0; w < 4; ++w) EXPECT_EQ(out.v[w], k.expected[static_cast<std::size_t>(w)]);
  }
}

// philox_block lays the counter out as documented in random.hpp.
TEST(Random, BlockLayout) {
  const std::uint64_t seed = 0x0123456789abcdefULL;
  const std::uint64_t pair = 0xfedcba9876543210ULL;
  const philox4x32_key_t key = {{0x89abcdef, 0x01234567}};
  const philox4x32_ctr_t ctr = {{17, (2u << 24) | 5u, 0x76543210, 0xfedcba98}};
  const philox4x32_ctr_t expected = philox4x32_R(10, ctr, key);
  const auto got = philox_block(seed, 17, Phase::kVote, 5, pair);
  for (int w = 0; w < 4; ++w) EXPECT_EQ(got[static_cast<std::size_t>(w)], expected.v[w]);
}

// FNV-1a 64 reference values (the hash behind stream_key, before mixing).
TEST(Random, StreamKeyIsFnv1aThenMix) {
  EXPECT_EQ(stream_key(""), mix64(0xcbf29ce484222325ULL));
  EXPECT_EQ(stream_key("a"), mix64(0xaf63dc4c8601ec8cULL));
  EXPECT_EQ(stream_key("foobar"), mix64(0x85944171f73967e8ULL));
}

TEST(Random, PairKeysAreDistinctAndAsymmetric) {
  std::set<std::uint64_t> keys;
  const char* codes[] = {"USA", "RUS", "BRA", "CHN", "FRA", "GBR", "IND", "ZAF"};
  const char* drafts[] = {"GGE", "OEWG", "JOINT"};
  for (const char* m : codes) {
    for (const char* d : drafts) keys.insert(pair_key(stream_key(m), stream_key(d)));
  }
  EXPECT_EQ(keys.size(), 24u);
  EXPECT_NE(pair_key(stream_key("GGE"), stream_key("USA")),
            pair_key(stream_key("USA"), stream_key("GGE")));
}

// Uniforms lie strictly inside (0, 1), with the moments of U(0, 1) within 4 standard errors.
TEST(Random, UniformsAreUniform) {
  EXPECT_GT(to_uniform(0), 0.0);
  EXPECT_LT(to_uniform(0xffffffffu), 1.0);
  const int n = 200000;
  double sum = 0;
  double sum_sq = 0;
  for (int k = 0; k < n / 4; ++k) {
    for (std::uint32_t w :
         philox_block(42, static_cast<std::uint32_t>(k), Phase::kSponsorship, 3, 99)) {
      const double u = to_uniform(w);
      sum += u;
      sum_sq += u * u;
    }
  }
  const double mean = sum / n;
  const double var = sum_sq / n - mean * mean;
  EXPECT_NEAR(mean, 0.5, 4 * std::sqrt(1.0 / 12 / n));
  // Var of (u - 1/2)^2 is 1/180, so the sample variance has SE ~ sqrt(1/180/n).
  EXPECT_NEAR(var, 1.0 / 12, 4 * std::sqrt(1.0 / 180 / n));
}

}  // namespace
}  // namespace plenary
