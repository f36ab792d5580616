#pragma once
// The vectorised kernels of the bottom layer (core): inner loops of the engine written so
// that the compiler vectorises them, with results that are bit-identical whatever the
// instruction set: only IEEE additions, multiplications and integer operations, no fused
// multiply-add (-ffp-contract=off), no libm. The engine's functions come in AVX-512, AVX2
// and baseline copies (below), so one binary uses AVX-512 or AVX2 where the processor has
// them and SSE2 elsewhere, with the same bits.

#include <immintrin.h>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "plenary/core/exp.hpp"
#include "plenary/core/isa.hpp"

namespace plenary::kernels {

// The hottest kernels (the engine's deciding, voting and generator) exist in three copies
// and one is chosen when the program starts (kernel_isa(), include/plenary/core/isa.hpp:
// the best the processor has, or PLENARY_ISA=avx512|avx2|scalar): AVX-512 with 512-bit
// vectors, AVX2, or the baseline x86-64 build. GCC's target_clones picks its clone by the
// processor alone, so it is not used: every multi-versioned function is a body inlined into
// explicit copies (PLENARY_KERNEL_WIDE, PLENARY_KERNEL_AVX2, none) and a switch on
// kernel_isa() (PLENARY_KERNEL_COPIES below, or a hand-written one where a copy is in
// intrinsics: the generators below, the join decisions in sim/engine/sponsorship.cpp).
// GCC's tuning keeps the vectors of a plain target("avx512f") at 256 bits, hence the
// separate 512-bit copies. Every value that reaches a result is
// computed with the same IEEE operations in the same order in all copies, or with provably
// equal ones (the bloc terms' x / 1 == x, x / 2 == x * 0.5 and 0 + a == a for shares >= 0;
// sim/engine/bloc_terms.cpp), with no reductions over floating point and no fused
// multiply-add, so their results are the same bits. One difference is allowed because it
// cannot change a result: the AVX-512 and AVX2 join decisions bracket exp() their own way
// (join_bracket_avx512, join_bracket_avx2, with fused multiply-adds) before the same exact
// test.
#define PLENARY_KERNEL_BODY static inline __attribute__((always_inline))
#if defined(__clang__)
// Clang does not take prefer-vector-width in a target attribute (the fuzz preset's build).
#define PLENARY_KERNEL_WIDE \
  __attribute__((target("avx512f,avx512vl,avx512bw,avx512dq"), min_vector_width(512)))
#else
#define PLENARY_KERNEL_WIDE \
  __attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,prefer-vector-width=512")))
#endif
#define PLENARY_KERNEL_AVX2 __attribute__((target("avx2,fma")))

// Three copies of a kernel and the function that calls the one of kernel_isa(): `name`
// with return type `ret`, parameters `params` (in parentheses) and the same call `args` to
// its body `name_body` (a PLENARY_KERNEL_BODY function): target("avx512f") (GCC's 256-bit
// tuning, as target_clones' clone was), AVX2, and the baseline build.
#define PLENARY_KERNEL_COPIES(ret, name, params, args)                                     \
  __attribute__((target("avx512f"))) ret name##_avx512 params { return name##_body args; } \
  PLENARY_KERNEL_AVX2 ret name##_avx2 params { return name##_body args; }                  \
  ret name##_scalar params { return name##_body args; }                                    \
  ret name params {                                                                        \
    switch (::plenary::kernel_isa()) {                                                     \
      case ::plenary::Isa::kAvx512:                                                        \
        return name##_avx512 args;                                                         \
      case ::plenary::Isa::kAvx2:                                                          \
        return name##_avx2 args;                                                           \
      case ::plenary::Isa::kScalar:                                                        \
        break;                                                                             \
    }                                                                                      \
    return name##_scalar args;                                                             \
  }

/// Whether the 512-bit kernels run (kernel_isa() is Isa::kAvx512).
inline bool wide() { return kernel_isa() == Isa::kAvx512; }

/// Philox4x32-10 (Random123's philox4x32 with 10 rounds) for `n` counters that share
/// their first two words: counter i = (c0, c1, lo[i], hi[i]), key (k0, k1). Word w of
/// block i goes to out[w * stride + i]. Equal to philox_block() in core/random.hpp, checked by
/// a test against Random123 itself.
inline void philox_many(std::uint32_t k0, std::uint32_t k1, std::uint32_t c0, std::uint32_t c1,
                        const std::uint32_t* lo, const std::uint32_t* hi, std::size_t n,
                        std::uint32_t* out, std::size_t stride) {
  // Each word is carried in a 64-bit lane whose upper half is garbage that never reaches
  // the lower half: the multiplications read only the low 32 bits of their operand
  // (x & 0xffffffff), so the compiler emits one vpmuludq per product and needs none of
  // the shuffles between 32- and 64-bit lanes that uint32_t words cost.
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t x0 = c0, x1 = c1, x2 = lo[i], x3 = hi[i];
    std::uint32_t key0 = k0, key1 = k1;
    for (int round = 0; round < 10; ++round) {
      const std::uint64_t p0 = std::uint64_t{0xD2511F53} * (x0 & 0xffffffffu);
      const std::uint64_t p1 = std::uint64_t{0xCD9E8D57} * (x2 & 0xffffffffu);
      x0 = (p1 >> 32) ^ x1 ^ key0;
      x1 = p1;
      x2 = (p0 >> 32) ^ x3 ^ key1;
      x3 = p0;
      key0 += 0x9E3779B9;
      key1 += 0xBB67AE85;
    }
    out[i] = static_cast<std::uint32_t>(x0);
    out[stride + i] = static_cast<std::uint32_t>(x1);
    out[2 * stride + i] = static_cast<std::uint32_t>(x2);
    out[3 * stride + i] = static_cast<std::uint32_t>(x3);
  }
}

/// The same as philox_many with AVX-512 intrinsics, for processors with AVX-512 (the
/// F, VL, BW and DQ subsets cpu_supports(Isa::kAvx512) checks):
/// 8 counters per vector in 64-bit lanes, each product one vpmuludq (which reads only the
/// low 32 bits of each lane, so the upper halves may hold anything), each three-way
/// exclusive or one vpternlogq, and the first round's product of the constant word c0 done
/// once. Counters go in whole vectors of 8: up to 7 past `n` are read from lo and hi and
/// written to each row of out, so those arrays need room for n rounded up to a multiple of
/// 8 (the extra words are whatever the extra counters give). Checked against
/// philox_block() by a test.
#pragma GCC diagnostic push
#if !defined(__clang__)  // GCC 12's AVX-512 headers
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq"))) inline void philox_many_avx512(
    std::uint32_t k0, std::uint32_t k1, std::uint32_t c0, std::uint32_t c1, const std::uint32_t* lo,
    const std::uint32_t* hi, std::size_t n, std::uint32_t* out, std::size_t stride) {
  constexpr std::uint32_t kMul0 = 0xD2511F53;
  constexpr std::uint32_t kMul1 = 0xCD9E8D57;
  const __m512i mul0 = _mm512_set1_epi64(kMul0);
  const __m512i mul1 = _mm512_set1_epi64(kMul1);
  __m512i key0[10];
  __m512i key1[10];
  for (int round = 0; round < 10; ++round) {
    key0[round] = _mm512_set1_epi64(k0);
    key1[round] = _mm512_set1_epi64(k1);
    k0 += 0x9E3779B9;
    k1 += 0xBB67AE85;
  }
  // Round 0's product of x0 = c0 is the same for every counter.
  const std::uint64_t p0_first = std::uint64_t{kMul0} * c0;
  const __m512i x1_first = _mm512_set1_epi64(c1);
  const __m512i p0_first_hi = _mm512_set1_epi64(static_cast<std::int64_t>(p0_first >> 32));
  const __m512i x3_first = _mm512_set1_epi64(static_cast<std::int64_t>(p0_first));
  for (std::size_t i = 0; i < n; i += 8) {
    const __m512i x2_in =
        _mm512_cvtepu32_epi64(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(lo + i)));
    const __m512i x3_in =
        _mm512_cvtepu32_epi64(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(hi + i)));
    // Round 0: x0 = (x2 * mul1)_hi ^ x1 ^ key0, x1 = x2 * mul1, x2 = (c0 * mul0)_hi ^ x3 ^
    // key1, x3 = c0 * mul0.
    __m512i p1 = _mm512_mul_epu32(x2_in, mul1);
    __m512i x0 = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p1, 32), x1_first, key0[0], 0x96);
    __m512i x1 = p1;
    __m512i x2 = _mm512_ternarylogic_epi64(p0_first_hi, x3_in, key1[0], 0x96);
    __m512i x3 = x3_first;
    for (int round = 1; round < 10; ++round) {
      const __m512i p0 = _mm512_mul_epu32(x0, mul0);
      p1 = _mm512_mul_epu32(x2, mul1);
      x0 = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p1, 32), x1, key0[round], 0x96);
      x1 = p1;
      x2 = _mm512_ternarylogic_epi64(_mm512_srli_epi64(p0, 32), x3, key1[round], 0x96);
      x3 = p0;
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), _mm512_cvtepi64_epi32(x0));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + stride + i), _mm512_cvtepi64_epi32(x1));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 2 * stride + i),
                        _mm512_cvtepi64_epi32(x2));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 3 * stride + i),
                        _mm512_cvtepi64_epi32(x3));
  }
}
#pragma GCC diagnostic pop

/// Phase 1's join test for 8 members on AVX-512, bracketed: for z (the join log-odds) and
/// the words w (u = (w + 0.5) 2^-32), `join` marks the members of `open` for which the
/// exact test u (1 + exp(-z)) < 1, with exp() above, surely holds, `unsure` those it
/// cannot settle; the other open members surely stay. The bracket of exp(-z) differs from
/// exp_bracket(): with z capped at 708 (x = -z >= -708, where exp() clamps x from below),
/// t = z (-log2 e), n = round(t), f = t - n (exact, |f| <= 1/2) and e = c 2^n (exact
/// scaling) with c = 1 + a1 f + a2 f^2 + a3 f^3, a_k = ln2^k / k!, the cubic Taylor
/// polynomial of e^r in r = f ln 2, evaluated by fused multiply-adds. Then e^x lies in
/// [e (1 - 2e-13), e (1 + 1.2e-3)]: t's two roundings put at most 2.3e-13 in the exponent
/// (|t| < 1100, 1.6e-13 relative), the coefficients and the fused steps 5e-16, and
/// Lagrange's remainder of the cubic (never negative) for |r| <= 0.347 is at most 8.5e-4
/// (1.2e-3 relative, c >= 0.707); exp() is within 1e-14 of e^x. So lo = e (1 - 2^-20) and
/// hi = e (1 + 2^-9) bracket the value the exact test uses, with room to spare, and 1 + lo,
/// 1 + hi are each one fused multiply-add (one rounding, so fl(1 + lo) <= fl(1 + exp) <=
/// fl(1 + hi) by monotone rounding). u (1 + y) < 1 is tested as (w + 0.5) (1 + y) < 2^32,
/// the same comparison scaled by a power of two. Where x > 709 (exp() clamps it to 709)
/// the exact test never joins, and neither does this one: e is above 1e307 or infinite,
/// or, for z below about -1.25e308 or -inf, t is infinite, f and e NaN, and every
/// comparison fails ("stays"). A NaN z stays NaN (the minimum returns its second operand)
/// and stays too, as the exact test decides for NaN; z = +inf is capped and joins, as it
/// does there. Checked against the exact test by a unit test (kernels_test.cpp).
///
/// Before the bracket, a cheaper test settles the usual case, where every open member of
/// the 8 surely stays (surely_stays_avx512); the bracket runs only for the vectors where
/// one may join.
struct JoinMasks {
  __mmask8 join;
  __mmask8 unsure;
};

/// The members for which the exact join test u (1 + exp(-z)) < 1 surely fails ("stays"),
/// from the logarithm of u read off the bits of w = u 2^32 (the words plus 1/2, exact),
/// with no exp(): 3 vector operations, where join_bracket_avx512 takes about 16. A member
/// is marked when bits(w) >= 2^52 (z log2 e + 1055 + 2^-20), bits(w) the bit pattern of w
/// as an integer, converted to double, and the right side one fused multiply-add on z.
/// Why that is rigorous: for w = 2^e m (m in [1, 2)), bits(w) = 2^52 (e + 1023 + m - 1),
/// and log2 w = e + log2 m >= e + m - 1 (log2 is concave, equal at m = 1 and 2), so
/// log2 u = log2 w - 32 >= 2^-52 bits(w) - 1055. For z in (-800, 0) rounding moves each
/// side by at most 2^10 (both are below 2^63; the conversion, the product's constant and
/// the fused step round once each), together at most 3 2^-42 < 2^-40 in log2 units. So a
/// mark means log2 u >= z log2 e + 2^-20 - 2^-40, i.e. ln u - z >= 6e-7. Then u exp(-z) >=
/// (1 - 1e-14) u e^-z >= 1 + 5e-7 (exp() is within 1e-14 of e^x on [-708, 709]; outside,
/// it clamps: for -z > 709 it gives e^709 and u e^709 >= 2^-33 e^709 is enormous, for -z <
/// -708 it gives more than e^-z), and u (1 + exp(-z)) exceeds that, so the rounded
/// fl(u fl(1 + exp(-z))) >= (1 + 5e-7)(1 - 2^-52) > 1: the exact test fails. For z <= -800
/// (-inf included) any mark is right: u exp(-z) >= 2^-33 e^709 there. For z >= 0 (+inf
/// included) there is none: the right side is at least its addend, 2^52 (1055 + 2^-20)
/// (rounding is monotone), above bits(w) for every w < 2^32. A NaN z is never marked (the
/// comparison fails), and the bracket decides it. Checked against the exact test by a unit
/// test (kernels_test.cpp).
struct PreTestSides {
  __m512d log_w;  // bits(w), converted
  __m512d bound;  // 2^52 (z log2 e + 1055 + 2^-20), one fused multiply-add
};
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq"), always_inline)) inline PreTestSides
pre_test_sides(__m512d z, __m512d w) {
  return {_mm512_cvtepi64_pd(_mm512_castpd_si512(w)),
          _mm512_fmadd_pd(z, _mm512_set1_pd(1.4426950408889634 * 0x1p52),
                          _mm512_set1_pd((1055.0 + 0x1p-20) * 0x1p52))};
}
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq"), always_inline)) inline __mmask8
surely_stays_avx512(__m512d z, __m512d w) {
  const PreTestSides s = pre_test_sides(z, w);
  return _mm512_cmp_pd_mask(s.log_w, s.bound, _CMP_GE_OQ);
}

/// The members of `open` that surely_stays_avx512 does not mark (a NaN z included), in one
/// masked comparison: open & ~surely_stays_avx512(z, w).
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq"), always_inline)) inline __mmask8
may_join_avx512(__m512d z, __m512d w, __mmask8 open) {
  const PreTestSides s = pre_test_sides(z, w);
  return _mm512_mask_cmp_pd_mask(open, s.log_w, s.bound, _CMP_NGE_UQ);
}

/// x / d correctly rounded (the same bits as the division) for 8 x >= 0 (finite, never -0,
/// and 0 or at least 2^-1000: no underflow) and divisors d in {1, 2, 3}, given y = fl(1/d)
/// (1, 0.5, fl(1/3)), with three fused operations instead of a division (which this
/// processor issues far more slowly): q = fl(x y), r = x - q d, q' = fl(q + r y). For d = 1
/// and 2, q is x / d exactly, r = 0 and q' = q. For d = 3 it is Markstein's theorem
/// (Markstein 1990; Muller et al., Handbook of Floating-Point Arithmetic, 2nd ed., Theorem
/// 4.10): y within half an ulp of 1 / d and q within one ulp of x / d make r exact
/// (computed by one fused multiply-add) and fl(q + r y) = fl(x / d) in round-to-nearest,
/// where no quotient is subnormal. Checked against the division by a unit test
/// (kernels_test.cpp), which fails without the correcting step.
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq"), always_inline)) inline __m512d
quotient_avx512(__m512d x, __m512d d, __m512d y) {
  const __m512d q = _mm512_mul_pd(x, y);
  const __m512d r = _mm512_fnmadd_pd(q, d, x);
  return _mm512_fmadd_pd(r, y, q);
}

/// u 2^32 = w + 1/2 for 8 words, exactly.
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq"), always_inline)) inline __m512d
scaled_uniforms(__m256i words) {
  return _mm512_add_pd(_mm512_cvtepu32_pd(words), _mm512_set1_pd(0.5));
}

/// join_bracket_avx512 without surely_stays_avx512 first, on w = u 2^32 (scaled_uniforms).
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq"), always_inline)) inline JoinMasks
join_bracket_avx512_full(__m512d z, __m512d w, __mmask8 open) {
  constexpr double kLn2 = 0.6931471805599453;
  const __m512d one = _mm512_set1_pd(1.0);
  z = _mm512_min_pd(_mm512_set1_pd(708.0), z);
  const __m512d t = _mm512_mul_pd(z, _mm512_set1_pd(-1.4426950408889634));
  const __m512d n = _mm512_roundscale_pd(t, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  const __m512d f = _mm512_sub_pd(t, n);
  __m512d c =
      _mm512_fmadd_pd(_mm512_set1_pd(kLn2 * kLn2 * kLn2 / 6), f, _mm512_set1_pd(kLn2 * kLn2 / 2));
  c = _mm512_fmadd_pd(c, f, _mm512_set1_pd(kLn2));
  c = _mm512_fmadd_pd(c, f, one);
  const __m512d e = _mm512_scalef_pd(c, n);
  const __m512d one_lo = _mm512_fmadd_pd(e, _mm512_set1_pd(1.0 - 0x1p-20), one);
  const __m512d one_hi = _mm512_fmadd_pd(e, _mm512_set1_pd(1.0 + 0x1p-9), one);
  const __m512d two32 = _mm512_set1_pd(0x1p32);
  const __mmask8 join = _mm512_mask_cmp_pd_mask(open, _mm512_mul_pd(w, one_hi), two32, _CMP_LT_OQ);
  const __mmask8 below_lo =
      _mm512_mask_cmp_pd_mask(open, _mm512_mul_pd(w, one_lo), two32, _CMP_LT_OQ);
  return {join, static_cast<__mmask8>(below_lo & ~join)};
}

__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq"), always_inline)) inline JoinMasks
join_bracket_avx512(__m512d z, __m256i words, __mmask8 open) {
  const __m512d w = scaled_uniforms(words);
  if ((open & ~surely_stays_avx512(z, w)) == 0) return {0, 0};
  return join_bracket_avx512_full(z, w, open);
}

/// The low 32 bits of the 64-bit lanes of a and then b, as 8 words in order (AVX2).
__attribute__((target("avx2,fma"), always_inline)) inline __m256i low_words(__m256i a, __m256i b) {
  // Per 128-bit half: a's two low words, then b's; then the 64-bit pairs put in order.
  const __m256 s =
      _mm256_shuffle_ps(_mm256_castsi256_ps(a), _mm256_castsi256_ps(b), _MM_SHUFFLE(2, 0, 2, 0));
  return _mm256_permute4x64_epi64(_mm256_castps_si256(s), _MM_SHUFFLE(3, 1, 2, 0));
}

/// Four words from p, each in a 64-bit lane (AVX2).
__attribute__((target("avx2,fma"), always_inline)) inline __m256i widen_words(
    const std::uint32_t* p) {
  return _mm256_cvtepu32_epi64(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

/// The same as philox_many with AVX2 intrinsics (philox_many_avx512's structure on 256-bit
/// vectors): 4 counters per vector in 64-bit lanes, two vectors per step (8 counters), each
/// product one vpmuludq (the upper halves of the lanes may hold anything), the first round's
/// product of c0 done once. Counters go in whole steps of 8, so lo, hi and each row of out
/// need room for n rounded up to a multiple of 8, as for philox_many_avx512. Checked against
/// philox_block() by a test.
__attribute__((target("avx2,fma"))) inline void philox_many_avx2(
    std::uint32_t k0, std::uint32_t k1, std::uint32_t c0, std::uint32_t c1, const std::uint32_t* lo,
    const std::uint32_t* hi, std::size_t n, std::uint32_t* out, std::size_t stride) {
  constexpr std::uint32_t kMul0 = 0xD2511F53;
  constexpr std::uint32_t kMul1 = 0xCD9E8D57;
  const __m256i mul0 = _mm256_set1_epi64x(kMul0);
  const __m256i mul1 = _mm256_set1_epi64x(kMul1);
  __m256i key0[10];
  __m256i key1[10];
  for (int round = 0; round < 10; ++round) {
    key0[round] = _mm256_set1_epi64x(k0);
    key1[round] = _mm256_set1_epi64x(k1);
    k0 += 0x9E3779B9;
    k1 += 0xBB67AE85;
  }
  const std::uint64_t p0_first = std::uint64_t{kMul0} * c0;
  const __m256i x1_first = _mm256_set1_epi64x(c1);
  const __m256i x2_first =
      _mm256_xor_si256(_mm256_set1_epi64x(static_cast<std::int64_t>(p0_first >> 32)), key1[0]);
  const __m256i x3_first = _mm256_set1_epi64x(static_cast<std::int64_t>(p0_first));
  for (std::size_t i = 0; i < n; i += 8) {
    __m256i x[2][4];
    for (int h = 0; h < 2; ++h) {
      // Round 0, as in philox_many_avx512.
      const __m256i p1 = _mm256_mul_epu32(widen_words(lo + i + 4 * h), mul1);
      x[h][0] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p1, 32), x1_first), key0[0]);
      x[h][1] = p1;
      x[h][2] = _mm256_xor_si256(x2_first, widen_words(hi + i + 4 * h));
      x[h][3] = x3_first;
    }
    for (int round = 1; round < 10; ++round) {
      for (int h = 0; h < 2; ++h) {
        const __m256i p0 = _mm256_mul_epu32(x[h][0], mul0);
        const __m256i p1 = _mm256_mul_epu32(x[h][2], mul1);
        x[h][0] =
            _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p1, 32), x[h][1]), key0[round]);
        x[h][1] = p1;
        x[h][2] =
            _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p0, 32), x[h][3]), key1[round]);
        x[h][3] = p0;
      }
    }
    for (std::size_t w = 0; w < 4; ++w) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + w * stride + i),
                          low_words(x[0][w], x[1][w]));
    }
  }
}

struct JoinBits {
  unsigned join;
  unsigned unsure;
};

/// u 2^32 = w + 1/2 for 4 words, exactly (AVX2): (w - 2^31) as a signed word, converted,
/// plus 2^31 + 0.5.
__attribute__((target("avx2,fma"), always_inline)) inline __m256d scaled_uniforms_avx2(
    __m128i words) {
  return _mm256_add_pd(_mm256_cvtepi32_pd(_mm_xor_si128(words, _mm_set1_epi32(INT32_MIN))),
                       _mm256_set1_pd(0x1p31 + 0.5));
}

/// surely_stays_avx512 for 4 members on AVX2 (bit m for member m), on w = u 2^32
/// (scaled_uniforms_avx2). AVX2 cannot convert 64-bit integers, so the logarithm is read
/// off the high 32 bits of w's bit pattern, hi(w) = 2^20 (e + 1023) + floor(2^20 (m - 1))
/// for w = 2^e m, converted exactly: a member is marked when hi(w) >= 2^20 (z log2 e + 1055
/// + 2^-20), the right side one fused multiply-add on z. The argument is
/// surely_stays_avx512's: log2 w >= e + m - 1 >= 2^-20 hi(w) - 1023 (cutting m's bits
/// only lowers the bound), so log2 u >= 2^-20 hi(w) - 1055; for z in (-800, 0) the right
/// side is below 2^31 in size, so the fused step rounds it by at most 2^-23 and the
/// product's constant (1055 2^20 + 1 is exact) by at most 800 2^21 2^-53 < 2^-22, together
/// less than 2^-21, i.e. 2^-41 in log2 units. A mark then means log2 u >= z log2 e + 2^-20 -
/// 2^-41, and the rest follows as there (ln u - z >= 6e-7, so the exact test fails). For z
/// >= 0 there is no mark (hi(w) < 2^20 1055 for every w < 2^32, the right side at least its
/// addend), for z <= -800 any mark is right, and a NaN z is never marked. Checked against
/// the exact test by a unit test (kernels_test.cpp), which fails with a margin of -2^-22.
__attribute__((target("avx2,fma"), always_inline)) inline unsigned surely_stays_avx2(__m256d z,
                                                                                     __m256d w) {
  // The odd (high) 32-bit words of the 4 lanes, in order, in the low half.
  const __m128i hi = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(
      _mm256_castpd_si256(w), _mm256_setr_epi32(1, 3, 5, 7, 1, 3, 5, 7)));
  const __m256d bound = _mm256_fmadd_pd(z, _mm256_set1_pd(1.4426950408889634 * 0x1p20),
                                        _mm256_set1_pd((1055.0 + 0x1p-20) * 0x1p20));
  return static_cast<unsigned>(
      _mm256_movemask_pd(_mm256_cmp_pd(_mm256_cvtepi32_pd(hi), bound, _CMP_GE_OQ)));
}

/// Phase 1's join test for 4 members on AVX2, bracketed as join_bracket_avx512 does and with
/// the same argument, on 256-bit vectors; bit m of `join` (`unsure`) for member m, and of
/// `open` (set where the member does not sponsor yet); w = u 2^32 (scaled_uniforms_avx2).
/// AVX2 has no scalef, so z is
/// also clamped from below, at -708, n is rounded by adding 1.5 2^52 (which leaves it in the
/// low bits) and 2^n is built from its bits: then t = z (-log2 e)
/// lies in [-1021.4, 1021.4], n in [-1021, 1021], and e = c 2^n (c in [0.707, 1.42]) is a
/// normal number, the product exact. Below z = -708 the exact test never joins (u (1 +
/// exp(-z)) >= 2^-33 e^708 > 1), and neither does this one: e (1 - 2^-20) > 1e307, so
/// (w + 1/2) (1 + lo) > 2^32. A NaN z stays NaN through both clamps (min and max return
/// their second operand), and every comparison on it fails ("stays"), as the exact test
/// decides. Checked against the exact test by a unit test (kernels_test.cpp). The engine
/// runs surely_stays_avx2 first and this only where a member may join.
__attribute__((target("avx2,fma"), always_inline)) inline JoinBits join_bracket_avx2_scaled(
    __m256d z, __m256d w, unsigned open) {
  constexpr double kLn2 = 0.6931471805599453;
  const __m256d one = _mm256_set1_pd(1.0);
  z = _mm256_min_pd(_mm256_set1_pd(708.0), z);
  z = _mm256_max_pd(_mm256_set1_pd(-708.0), z);
  const __m256d t = _mm256_mul_pd(z, _mm256_set1_pd(-1.4426950408889634));
  // n = round(t) by adding and taking away 1.5 2^52 (to nearest, as roundscale), which also
  // leaves n + 1023 in the low bits of `shifted`, the exponent field of 2^n once shifted.
  const __m256d shift = _mm256_set1_pd(0x1.8p52);
  const __m256d shifted = _mm256_add_pd(t, shift);
  const __m256d n = _mm256_sub_pd(shifted, shift);
  const __m256d f = _mm256_sub_pd(t, n);
  __m256d c =
      _mm256_fmadd_pd(_mm256_set1_pd(kLn2 * kLn2 * kLn2 / 6), f, _mm256_set1_pd(kLn2 * kLn2 / 2));
  c = _mm256_fmadd_pd(c, f, _mm256_set1_pd(kLn2));
  c = _mm256_fmadd_pd(c, f, one);
  // 2^n from its bits: 1.5 2^52 has 0 in its low 12 bits, so those of `shifted` plus 1023
  // are n + 1023 modulo 2^12, in [1, 2046]. (For a NaN z, c is NaN and so is e.)
  const __m256i biased = _mm256_add_epi64(_mm256_castpd_si256(shifted), _mm256_set1_epi64x(1023));
  const __m256d e = _mm256_mul_pd(c, _mm256_castsi256_pd(_mm256_slli_epi64(biased, 52)));
  const __m256d one_lo = _mm256_fmadd_pd(e, _mm256_set1_pd(1.0 - 0x1p-20), one);
  const __m256d one_hi = _mm256_fmadd_pd(e, _mm256_set1_pd(1.0 + 0x1p-9), one);
  const __m256d two32 = _mm256_set1_pd(0x1p32);
  // The comparisons' sign bits, masked with `open` as integers (cheaper than per lane).
  const unsigned join = static_cast<unsigned>(_mm256_movemask_pd(
                            _mm256_cmp_pd(_mm256_mul_pd(w, one_hi), two32, _CMP_LT_OQ))) &
                        open;
  const unsigned below_lo = static_cast<unsigned>(_mm256_movemask_pd(
                                _mm256_cmp_pd(_mm256_mul_pd(w, one_lo), two32, _CMP_LT_OQ))) &
                            open;
  return {join, below_lo & ~join};
}

/// join_bracket_avx2_scaled on the words themselves.
__attribute__((target("avx2,fma"), always_inline)) inline JoinBits join_bracket_avx2(
    __m256d z, __m128i words, unsigned open) {
  return join_bracket_avx2_scaled(z, scaled_uniforms_avx2(words), open);
}

}  // namespace plenary::kernels
