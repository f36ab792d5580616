// The vectorised kernels against their references: Random123's Philox and libm's exp.
#include "engine/kernels.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "plenary/engine/random.hpp"

namespace plenary {
namespace {

// Several counts, the engine's chunk of 256 among them.
TEST(Kernels, PhiloxManyEqualsRandom123) {
  for (const std::size_t n : {std::size_t{1}, std::size_t{2}, std::size_t{37}, std::size_t{256}}) {
    const std::size_t stride = n + 3;
    std::vector<std::uint32_t> lo(n), hi(n), out(4 * stride);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t pair = mix64(i + 1);
      lo[i] = static_cast<std::uint32_t>(pair);
      hi[i] = static_cast<std::uint32_t>(pair >> 32);
    }
    const std::uint64_t seed = 0x9e3779b97f4a7c15ULL;
    const std::uint32_t word1 = (1u << 24) | 17u;
    kernels::philox_many(static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                         12345, word1, lo.data(), hi.data(), n, out.data(), stride);
    for (std::size_t i = 0; i < n; ++i) {
      const auto expected = philox_block(seed, 12345, Phase::kSponsorship, 17,
                                         (std::uint64_t{hi[i]} << 32) | lo[i]);
      for (std::size_t w = 0; w < 4; ++w) {
        EXPECT_EQ(out[w * stride + i], expected[w]) << n << ":" << i << "," << w;
      }
    }
  }
}

// The engine's AVX-512 generator, on processors that have AVX-512: counts that are and are
// not multiples of 8 (arrays with room for the rounding up, as it needs).
TEST(Kernels, PhiloxManyAvx512EqualsRandom123) {
  if (!kernels::has_avx512()) GTEST_SKIP() << "no AVX-512 here (or PLENARY_NO_AVX512 set)";
  for (const std::size_t n : {std::size_t{1}, std::size_t{8}, std::size_t{37}, std::size_t{256}}) {
    const std::size_t room = (n + 7) / 8 * 8;
    const std::size_t stride = room + 8;
    std::vector<std::uint32_t> lo(room), hi(room), out(4 * stride);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t pair = mix64(i + 11);
      lo[i] = static_cast<std::uint32_t>(pair);
      hi[i] = static_cast<std::uint32_t>(pair >> 32);
    }
    const std::uint64_t seed = 0xd1b54a32d192ed03ULL;
    for (const std::uint32_t block : {0u, 1u, 12345u, 0xffffffffu}) {
      const std::uint32_t word1 = (2u << 24) | 3u;
      kernels::philox_many_avx512(static_cast<std::uint32_t>(seed),
                                  static_cast<std::uint32_t>(seed >> 32), block, word1, lo.data(),
                                  hi.data(), n, out.data(), stride);
      for (std::size_t i = 0; i < n; ++i) {
        const auto expected =
            philox_block(seed, block, Phase::kVote, 3, (std::uint64_t{hi[i]} << 32) | lo[i]);
        for (std::size_t w = 0; w < 4; ++w) {
          EXPECT_EQ(out[w * stride + i], expected[w]) << n << ":" << block << ":" << i << "," << w;
        }
      }
    }
  }
}

TEST(Kernels, ExpIsAccurateAcrossItsRange) {
  double worst = 0;
  for (double x = -707.5; x < 708.9; x += 0.01234567) {
    const double rel = std::abs(kernels::exp(x) - std::exp(x)) / std::exp(x);
    worst = std::max(worst, rel);
  }
  EXPECT_LT(worst, 1e-13);
  EXPECT_EQ(kernels::exp(0.0), 1.0);
}

TEST(Kernels, ExpClampsInsteadOfOverflowing) {
  EXPECT_TRUE(std::isfinite(kernels::exp(1e6)));
  EXPECT_EQ(kernels::exp(1e6), kernels::exp(709.0));
  EXPECT_GT(kernels::exp(-1e6), 0.0);
  EXPECT_EQ(kernels::exp(-1e6), kernels::exp(-708.0));
  // So u (1 + exp(-z)) < 1 stays a correct test of u < sigmoid(z) at the extremes.
  EXPECT_FALSE(1e-10 * (1 + kernels::exp(1000.0)) < 1);
  EXPECT_TRUE((1 - 1e-10) * (1 + kernels::exp(-1000.0)) < 1);
}

}  // namespace
}  // namespace plenary

namespace plenary {
namespace {

// The phase-1 filter decides from exp_bracket alone whenever u is clear of the bracket,
// so the bracket must hold exp()'s exact output, over the whole range and at the clamps.
TEST(Kernels, ExpBracketHoldsExp) {
  double widest = 0;
  for (double x = -720; x < 720; x += 0.000731) {
    double lo = 0;
    double hi = 0;
    kernels::exp_bracket(x, lo, hi);
    const double e = kernels::exp(x);
    ASSERT_LE(lo, e) << x;
    ASSERT_GE(hi, e) << x;
    widest = std::max(widest, (hi - lo) / e);
  }
  // Narrow enough that the exact second pass is rare: 0.2% of the value at most.
  EXPECT_LT(widest, 2.2e-3);
  double lo = 0;
  double hi = 0;
  kernels::exp_bracket(std::nan(""), lo, hi);
  EXPECT_TRUE(std::isnan(lo) && std::isnan(hi));
}

}  // namespace
}  // namespace plenary
