#pragma once
// What the engine's phases share inside one Batch (sim/engine): the chunk of members decided
// together and the vectorised generator that fills a chunk's random words. The kernels'
// path (AVX-512, AVX2 or baseline) is kernel_isa()'s (include/plenary/core/isa.hpp).

#include <cstddef>
#include <cstdint>

#include "core/kernels.hpp"

namespace plenary::engine {

// Members decided together: their random words are drawn in one vectorised call.
inline constexpr std::size_t kChunk = 256;

// The Philox words of `count` counters (seed, block, word1, pair lo, pair hi) into
// `out`, one row of kChunk per word (core/random.hpp lays the counters out): the AVX-512 or
// AVX2 generator in intrinsics, or the plain loop on the baseline path, the same bits.
void philox_kernel(std::uint64_t seed, std::uint32_t block, std::uint32_t word1,
                   const std::uint32_t* lo, const std::uint32_t* hi, std::size_t count,
                   std::uint32_t* out);

}  // namespace plenary::engine
