#pragma once
// What the engine's phases share inside one Batch (sim/engine): the chunk of members decided
// together, the choice of kernels made at start-up, and the vectorised generator that
// fills a chunk's random words.

#include <cstddef>
#include <cstdint>

#include "core/kernels.hpp"

namespace plenary::engine {

// Members decided together: their random words are drawn in one vectorised call.
inline constexpr std::size_t kChunk = 256;

// Chosen once when the program starts (core/kernels.hpp, PLENARY_KERNEL_WIDE).
inline const bool kWide = kernels::has_avx512();

// The Philox words of `count` counters (seed, block, word1, pair lo, pair hi) into
// `out`, one row of kChunk per word (core/random.hpp lays the counters out): the AVX-512
// generator when kWide, else the compiler-vectorised one, the same bits.
void philox_kernel(std::uint64_t seed, std::uint32_t block, std::uint32_t word1,
                   const std::uint32_t* lo, const std::uint32_t* hi, std::size_t count,
                   std::uint32_t* out);

}  // namespace plenary::engine
