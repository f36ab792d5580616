#pragma once
/// plenary's own exp() and a cheap bracket of it, in the bottom layer (core): the model's
/// rules and the engine's kernels both use it. Built only from IEEE additions,
/// multiplications and bit operations, with no fused multiply-add (-ffp-contract=off) and
/// no libm, so that scalar and vectorised code (sim/core/kernels.hpp) give the same bits
/// on every processor.

#include <bit>
#include <cstdint>

namespace plenary::kernels {

/// x = n ln2 + r with |r| <= ln2 / 2 (Cody-Waite), after clamping x to [-708, 709]; scale
/// is 2^n. Shared by exp() and exp_bracket() so that both see the same r and n.
struct Reduced {
  double r;
  double scale;
};

inline Reduced reduce(double x) {
  // The clamp is written as a bit blend, not min/max: the compiler turns min/max into
  // branches here (exp of a clamped value is a constant) and then cannot vectorise.
  const std::uint64_t below = 0 - static_cast<std::uint64_t>(x < -708.0);
  const std::uint64_t above = 0 - static_cast<std::uint64_t>(x > 709.0);
  std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
  bits = (bits & ~below) | (std::bit_cast<std::uint64_t>(-708.0) & below);
  bits = (bits & ~above) | (std::bit_cast<std::uint64_t>(709.0) & above);
  x = std::bit_cast<double>(bits);
  constexpr double kShift = 0x1.8p52;  // adding it rounds to an integer in the low bits
  constexpr double kLog2e = 1.4426950408889634;
  constexpr double kLn2Hi = 0x1.62e42fee00000p-1;  // fdlibm's split of ln 2
  constexpr double kLn2Lo = 0x1.a39ef35793c76p-33;
  const double t = x * kLog2e + kShift;
  const double n = t - kShift;
  const double r = (x - n * kLn2Hi) - n * kLn2Lo;
  const std::int64_t k = static_cast<std::int64_t>(std::bit_cast<std::uint64_t>(t) -
                                                   std::bit_cast<std::uint64_t>(kShift));
  return {r, std::bit_cast<double>(static_cast<std::uint64_t>(k + 1023) << 52)};
}

/// exp(x) to about 1e-14 relative error, clamped to [-708, 709] (so never inf, never
/// subnormal): reduce(), then a degree-11 Taylor polynomial in r scaled by 2^n (exact).
inline double exp(double x) {
  const Reduced q = reduce(x);
  const double r = q.r;
  double p = 1.0 / 39916800;  // 1/11!
  p = p * r + 1.0 / 3628800;
  p = p * r + 1.0 / 362880;
  p = p * r + 1.0 / 40320;
  p = p * r + 1.0 / 5040;
  p = p * r + 1.0 / 720;
  p = p * r + 1.0 / 120;
  p = p * r + 1.0 / 24;
  p = p * r + 1.0 / 6;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  return p * q.scale;
}

/// Bounds lo <= exp(x) <= hi on the value exp() above returns, for a third of its cost:
/// the cubic c = 1 + r + r^2/2 + r^3/6 on the same reduction. Lagrange's remainder puts
/// e^r in [c, c + e^|r| r^4 / 24], at most 8.5e-4 above c for |r| <= 0.347, i.e. 1.2e-3
/// relative (c >= 0.707); exp()'s own error (1e-14) and rounding (1e-16) are far inside
/// the margins below: lo = c (1 - 2^-20), hi = c (1 + 2^-9). For NaN both are NaN.
inline void exp_bracket(double x, double& lo, double& hi) {
  const Reduced q = reduce(x);
  const double r = q.r;
  double c = 1.0 / 6;
  c = c * r + 0.5;
  c = c * r + 1.0;
  c = c * r + 1.0;
  c = c * q.scale;
  lo = c * (1.0 - 0x1p-20);
  hi = c * (1.0 + 0x1p-9);
}

}  // namespace plenary::kernels
