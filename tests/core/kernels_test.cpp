// The vectorised kernels against their references: Random123's Philox and libm's exp.
#include "core/kernels.hpp"

#include <gtest/gtest.h>
#include <immintrin.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <vector>

#include "plenary/core/random.hpp"

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
      const auto expected =
          philox_block(seed, 12345, Phase::kSponsorship, 17, (std::uint64_t{hi[i]} << 32) | lo[i]);
      for (std::size_t w = 0; w < 4; ++w) {
        EXPECT_EQ(out[w * stride + i], expected[w]) << n << ":" << i << "," << w;
      }
    }
  }
}

// A vector generator `many(k0, k1, block, word1, lo, hi, n, out, stride)`, word for word
// against Random123 for each count in `counts` (arrays with room for n rounded up to a
// multiple of 8, as the generators need).
template <class Many>
void expect_equals_random123(Many many, std::initializer_list<std::size_t> counts) {
  for (const std::size_t n : counts) {
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
      many(static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32), block, word1,
           lo.data(), hi.data(), n, out.data(), stride);
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

// The engine's AVX-512 generator, on processors that have AVX-512: counts that are and are
// not multiples of 8.
TEST(Kernels, PhiloxManyAvx512EqualsRandom123) {
  if (!cpu_supports(Isa::kAvx512)) GTEST_SKIP() << "no AVX-512 here";
  expect_equals_random123([](auto... args) { kernels::philox_many_avx512(args...); },
                          {1, 8, 37, 256});
}

// The engine's AVX2 generator, on processors that have AVX2: counts that are and are not
// multiples of 4 and 8.
TEST(Kernels, PhiloxManyAvx2EqualsRandom123) {
  if (!cpu_supports(Isa::kAvx2)) GTEST_SKIP() << "no AVX2 here";
  expect_equals_random123([](auto... args) { kernels::philox_many_avx2(args...); },
                          {1, 4, 8, 37, 256});
}

// The 8 inputs from i on, for one vector: the last input repeated where they run out.
void eight_from(const std::vector<double>& zs, const std::vector<std::uint32_t>& ws, std::size_t i,
                double* z, std::uint32_t* w) {
  for (std::size_t k = 0; k < 8; ++k) {
    z[k] = zs[std::min(i + k, zs.size() - 1)];
    w[k] = ws[std::min(i + k, ws.size() - 1)];
  }
}

// The AVX-512 join bracket never settles a member against the exact test
// u (1 + exp(-z)) < 1: at special and extreme z, at the extreme words, and at the words
// closest to each z's threshold (where a wrong margin would show first).
#pragma GCC diagnostic push
#if !defined(__clang__)  // GCC 12's AVX-512 headers
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq"))) void check_join_bracket(
    const std::vector<double>& zs, const std::vector<std::uint32_t>& ws, long& settled,
    long& unsure) {
  for (std::size_t i = 0; i < zs.size(); i += 8) {
    alignas(64) double z[8];
    alignas(32) std::uint32_t w[8];
    eight_from(zs, ws, i, z, w);
    const __mmask8 open = 0xb7;  // some members already sponsor: never settled as joining
    const kernels::JoinMasks m = kernels::join_bracket_avx512(
        _mm512_load_pd(z), _mm256_load_si256(reinterpret_cast<const __m256i*>(w)), open);
    for (int k = 0; k < 8; ++k) {
      const bool exact = to_uniform(w[k]) * (1.0 + kernels::exp(-z[k])) < 1.0;
      const bool is_open = (open >> k & 1) != 0;
      const bool join = (m.join >> k & 1) != 0;
      const bool maybe = (m.unsure >> k & 1) != 0;
      ASSERT_FALSE(!is_open && (join || maybe)) << z[k] << " " << w[k];
      ASSERT_FALSE(join && maybe) << z[k] << " " << w[k];
      if (!is_open || maybe) {
        unsure += maybe;
        continue;
      }
      ++settled;
      ASSERT_EQ(join, exact) << "z " << z[k] << " w " << w[k];
    }
  }
}
#pragma GCC diagnostic pop

// The join brackets' test inputs: special and extreme z against extreme words, and random z
// over the whole clamped range and the usual one, each with the words around its threshold.
void bracket_inputs(std::vector<double>& zs, std::vector<std::uint32_t>& ws) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> special = {std::nan(""),
                                 -std::nan(""),
                                 inf,
                                 -inf,
                                 1e300,
                                 -1e300,
                                 -1.7e308,
                                 1.7e308,
                                 708,
                                 -708,
                                 709,
                                 -709,
                                 708.5,
                                 -709.5,
                                 707.9999999,
                                 -709.0000001,
                                 745,
                                 -745,
                                 0,
                                 -0.0,
                                 1e-310,
                                 -1e-310,
                                 40,
                                 -40,
                                 1,
                                 -1};
  const std::vector<std::uint32_t> extreme = {0u,          1u,          0x7fffffffu, 0x80000000u,
                                              0xfffffffeu, 0xffffffffu, 12345678u,   0xdeadbeefu};
  for (double z : special) {
    for (std::uint32_t w : extreme) {
      zs.push_back(z);
      ws.push_back(w);
    }
  }
  // Random z over the whole clamped range and the usual one, each with the words around
  // its threshold w* = 2^32 / (1 + exp(-z)) - 1/2.
  std::uint64_t state = 42;
  for (int i = 0; i < 40000; ++i) {
    state = mix64(state + 1);
    const double r = static_cast<double>(state >> 11) * 0x1p-53;
    const double z = i % 2 == 0 ? -760 + 1520 * r : -12 + 24 * r;
    const double threshold = 0x1p32 / (1.0 + kernels::exp(-z)) - 0.5;
    for (int d = -2; d <= 2; ++d) {
      const double w = std::clamp(std::floor(threshold) + d, 0.0, 4294967295.0);
      zs.push_back(z);
      ws.push_back(static_cast<std::uint32_t>(w));
    }
  }
}

TEST(Kernels, JoinBracketAvx512NeverContradictsTheExactTest) {
  if (!cpu_supports(Isa::kAvx512)) GTEST_SKIP() << "no AVX-512 here";
  std::vector<double> zs;
  std::vector<std::uint32_t> ws;
  bracket_inputs(zs, ws);
  long settled = 0;
  long unsure = 0;
  check_join_bracket(zs, ws, settled, unsure);
  // Near the threshold many are rightly unsure; most of the rest must be settled.
  EXPECT_GT(settled, static_cast<long>(zs.size()) / 4);
}

// The pre-test of the AVX-512 bracket (kernels::surely_stays_avx512) never marks a member
// that the exact test lets join: on the bracket's inputs, and on the words around its own
// boundary, u = e^z (where sigmoid(z) is close to e^z, so a margin made too narrow shows).
#pragma GCC diagnostic push
#if !defined(__clang__)  // GCC 12's AVX-512 headers
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq"))) void check_surely_stays(
    const std::vector<double>& zs, const std::vector<std::uint32_t>& ws, long& marked,
    long& clear) {
  for (std::size_t i = 0; i < zs.size(); i += 8) {
    alignas(64) double z[8];
    alignas(32) std::uint32_t w[8];
    eight_from(zs, ws, i, z, w);
    const __m512d scaled =
        kernels::scaled_uniforms(_mm256_load_si256(reinterpret_cast<const __m256i*>(w)));
    const __mmask8 stays = kernels::surely_stays_avx512(_mm512_load_pd(z), scaled);
    // may_join_avx512 is its complement within the open members.
    ASSERT_EQ(kernels::may_join_avx512(_mm512_load_pd(z), scaled, 0xb7),
              static_cast<__mmask8>(0xb7 & ~stays));
    for (int k = 0; k < 8; ++k) {
      // Clear of the boundary by more than the logarithm's bound loses (log2 m - (m - 1)
      // <= 0.0861 for m in [1, 2]) and the margin: such a member must be marked.
      const bool must = std::log2(to_uniform(w[k])) >= z[k] * 1.4426950408889634 + 0.0862 &&
                        z[k] > -700 && z[k] < 0;
      clear += must;
      if ((stays >> k & 1) == 0) {
        ASSERT_FALSE(must) << "z " << z[k] << " w " << w[k];
        continue;
      }
      ++marked;
      ASSERT_FALSE(to_uniform(w[k]) * (1.0 + kernels::exp(-z[k])) < 1.0)
          << "z " << z[k] << " w " << w[k];
    }
  }
}
#pragma GCC diagnostic pop

// kernels::quotient_avx512 gives the division's bits for divisors 1, 2 and 3: on every
// bloc term of blocs up to 300 members (a mean of one to three shares count / size, as
// sim/engine/bloc_terms.cpp sums them) and on random doubles over many binades. Without its
// correcting step (q = fl(x / 3) taken as fl(x fl(1/3))) it fails.
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq"))) long quotient_mismatches(
    const std::vector<double>& xs) {
  long wrong = 0;
  for (double d : {1.0, 2.0, 3.0}) {
    for (std::size_t i = 0; i + 8 <= xs.size(); i += 8) {
      alignas(64) double q[8];
      _mm512_store_pd(q, kernels::quotient_avx512(_mm512_loadu_pd(xs.data() + i), _mm512_set1_pd(d),
                                                  _mm512_set1_pd(1.0 / d)));
      for (std::size_t k = 0; k < 8; ++k) {
        wrong += std::bit_cast<std::uint64_t>(q[k]) != std::bit_cast<std::uint64_t>(xs[i + k] / d);
      }
    }
  }
  return wrong;
}

TEST(Kernels, QuotientAvx512IsTheDivision) {
  if (!cpu_supports(Isa::kAvx512)) GTEST_SKIP() << "no AVX-512 here";
  std::vector<double> xs;
  std::uint64_t state = 11;
  const auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 11;
  };
  for (int k = 0; k < 400000; ++k) {
    const double a = static_cast<double>(next() % 301) / static_cast<double>(1 + next() % 300);
    const double b = static_cast<double>(next() % 301) / static_cast<double>(1 + next() % 300);
    const double c = static_cast<double>(next() % 301) / static_cast<double>(1 + next() % 300);
    xs.push_back(a);
    xs.push_back(a + b);
    xs.push_back((a + b) + c);
    // Any double in [2^-40, 2^40): a random significand and exponent.
    const double m = 1.0 + static_cast<double>(next() & ((1ULL << 52) - 1)) * 0x1p-52;
    xs.push_back(std::ldexp(m, static_cast<int>(next() % 80) - 40));
  }
  xs.push_back(0.0);
  while (xs.size() % 8 != 0) xs.push_back(1.0);
  EXPECT_EQ(quotient_mismatches(xs), 0);
}

TEST(Kernels, SurelyStaysAvx512NeverContradictsTheExactTest) {
  if (!cpu_supports(Isa::kAvx512)) GTEST_SKIP() << "no AVX-512 here";
  std::vector<double> zs;
  std::vector<std::uint32_t> ws;
  bracket_inputs(zs, ws);
  // Around u = e^z, the pre-test's boundary, and u = 1.07 e^z, where it must mark (the
  // logarithm's bound loses up to a factor 2^0.0861 = 1.0615), for z where both are words.
  std::uint64_t state = 7;
  for (int i = 0; i < 40000; ++i) {
    state = mix64(state + 1);
    const double z = -22 + 21.9 * (static_cast<double>(state >> 11) * 0x1p-53);
    for (const double factor : {1.0, 1.07}) {
      const double boundary = 0x1p32 * factor * std::exp(z) - 0.5;
      for (int d = -3; d <= 3; ++d) {
        zs.push_back(z);
        ws.push_back(
            static_cast<std::uint32_t>(std::clamp(std::floor(boundary) + d, 0.0, 4294967295.0)));
      }
    }
  }
  long marked = 0;
  long clear = 0;
  check_surely_stays(zs, ws, marked, clear);
  // Every member clear of the boundary was marked (checked one by one above); there are many.
  EXPECT_GT(clear, 40000);
  EXPECT_GE(marked, clear);
}

// The AVX2 pre-test (kernels::surely_stays_avx2), as check_surely_stays for AVX-512: never
// marks a member the exact test lets join, and marks every member clear of its boundary.
__attribute__((target("avx2,fma"))) void check_surely_stays_avx2(
    const std::vector<double>& zs, const std::vector<std::uint32_t>& ws, long& marked,
    long& clear) {
  for (std::size_t i = 0; i < zs.size(); i += 4) {
    alignas(32) double z[4];
    alignas(16) std::uint32_t w[4];
    for (std::size_t k = 0; k < 4; ++k) {
      z[k] = zs[std::min(i + k, zs.size() - 1)];
      w[k] = ws[std::min(i + k, ws.size() - 1)];
    }
    const unsigned stays = kernels::surely_stays_avx2(
        _mm256_load_pd(z),
        kernels::scaled_uniforms_avx2(_mm_load_si128(reinterpret_cast<const __m128i*>(w))));
    ASSERT_EQ(stays & ~0xfu, 0u);
    for (int k = 0; k < 4; ++k) {
      // Clear of the boundary by more than the logarithm's bound loses (0.0861, and 2^-20
      // for the bits of m it drops) and the margin: such a member must be marked.
      const bool must = std::log2(to_uniform(w[k])) >= z[k] * 1.4426950408889634 + 0.0862 &&
                        z[k] > -700 && z[k] < 0;
      clear += must;
      if ((stays >> k & 1) == 0) {
        ASSERT_FALSE(must) << "z " << z[k] << " w " << w[k];
        continue;
      }
      ++marked;
      ASSERT_FALSE(to_uniform(w[k]) * (1.0 + kernels::exp(-z[k])) < 1.0)
          << "z " << z[k] << " w " << w[k];
    }
  }
}

TEST(Kernels, SurelyStaysAvx2NeverContradictsTheExactTest) {
  if (!cpu_supports(Isa::kAvx2)) GTEST_SKIP() << "no AVX2 here";
  std::vector<double> zs;
  std::vector<std::uint32_t> ws;
  bracket_inputs(zs, ws);
  // Around u = e^z, the pre-test's boundary, and u = 1.07 e^z, where it must mark, as for
  // the AVX-512 pre-test.
  std::uint64_t state = 7;
  for (int i = 0; i < 40000; ++i) {
    state = mix64(state + 1);
    const double z = -22 + 21.9 * (static_cast<double>(state >> 11) * 0x1p-53);
    for (const double factor : {1.0, 1.07}) {
      const double boundary = 0x1p32 * factor * std::exp(z) - 0.5;
      for (int d = -3; d <= 3; ++d) {
        zs.push_back(z);
        ws.push_back(
            static_cast<std::uint32_t>(std::clamp(std::floor(boundary) + d, 0.0, 4294967295.0)));
      }
    }
  }
  // Words at powers of two and next to them, where the bound on the logarithm is tight (m
  // close to 1), and z just around the pre-test's boundary for each: z log2 e = log2 u +
  // offset, offsets from -2^-19 to 2^-19. With a margin of 2^-22 below 0 rather than 2^-20 above,
  // some of these are marked though they join (for 2^j up to about 2^11, where sigmoid(z)
  // is within 2^-20 of e^z in log2 units).
  for (int j = 1; j <= 31; ++j) {
    for (int d = -2; d <= 2; ++d) {
      const auto w = static_cast<std::uint32_t>((std::int64_t{1} << j) + d);
      for (int o = -8; o <= 8; ++o) {
        zs.push_back((std::log2(to_uniform(w)) + o * 0x1p-22) / 1.4426950408889634);
        ws.push_back(w);
      }
    }
  }
  long marked = 0;
  long clear = 0;
  check_surely_stays_avx2(zs, ws, marked, clear);
  EXPECT_GT(clear, 40000);
  EXPECT_GE(marked, clear);
}

// The AVX2 join bracket, on the same inputs: never settles a member against the exact test.
__attribute__((target("avx2,fma"))) void check_join_bracket_avx2(
    const std::vector<double>& zs, const std::vector<std::uint32_t>& ws, long& settled,
    long& unsure) {
  for (std::size_t i = 0; i < zs.size(); i += 4) {
    alignas(32) double z[4];
    alignas(16) std::uint32_t w[4];
    // Some members already sponsor (never settled as joining), in a pattern that moves.
    const unsigned open = 0xb7u >> (i / 4 % 4);
    for (std::size_t k = 0; k < 4; ++k) {
      z[k] = zs[std::min(i + k, zs.size() - 1)];
      w[k] = ws[std::min(i + k, ws.size() - 1)];
    }
    const kernels::JoinBits m = kernels::join_bracket_avx2(
        _mm256_load_pd(z), _mm_load_si128(reinterpret_cast<const __m128i*>(w)), open & 0xf);
    ASSERT_EQ(m.join & ~0xfu, 0u);
    ASSERT_EQ(m.unsure & ~0xfu, 0u);
    for (int k = 0; k < 4; ++k) {
      const bool exact = to_uniform(w[k]) * (1.0 + kernels::exp(-z[k])) < 1.0;
      const bool is_open = (open >> k & 1) != 0;
      const bool join = (m.join >> k & 1) != 0;
      const bool maybe = (m.unsure >> k & 1) != 0;
      ASSERT_FALSE(!is_open && (join || maybe)) << z[k] << " " << w[k];
      ASSERT_FALSE(join && maybe) << z[k] << " " << w[k];
      if (!is_open || maybe) {
        unsure += maybe;
        continue;
      }
      ++settled;
      ASSERT_EQ(join, exact) << "z " << z[k] << " w " << w[k];
    }
  }
}

TEST(Kernels, JoinBracketAvx2NeverContradictsTheExactTest) {
  if (!cpu_supports(Isa::kAvx2)) GTEST_SKIP() << "no AVX2 here";
  std::vector<double> zs;
  std::vector<std::uint32_t> ws;
  bracket_inputs(zs, ws);
  long settled = 0;
  long unsure = 0;
  check_join_bracket_avx2(zs, ws, settled, unsure);
  EXPECT_GT(settled, static_cast<long>(zs.size()) / 4);
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
