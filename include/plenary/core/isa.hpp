#pragma once
/// The instruction set of the engine's vectorised kernels, chosen once per process: the best
/// the processor has, or the one the environment variable PLENARY_ISA forces (`avx512`,
/// `avx2` or `scalar`). Every choice gives the same bits (the determinism contract is per
/// seed, not per instruction set; docs/architecture.md, "The kernels' instruction sets").

#include <string_view>

namespace plenary {

/// The kernels' paths, from the plainest: `kScalar` the baseline x86-64 copies (plain loops
/// compiled for SSE2), `kAvx2` the AVX2 intrinsics and AVX2 copies (the processor needs AVX2
/// and FMA), `kAvx512` the AVX-512 ones (F, VL, BW and DQ).
enum class Isa { kScalar, kAvx2, kAvx512 };

/// The name PLENARY_ISA takes for `isa`: "scalar", "avx2" or "avx512".
constexpr std::string_view isa_name(Isa isa) {
  switch (isa) {
    case Isa::kAvx512:
      return "avx512";
    case Isa::kAvx2:
      return "avx2";
    case Isa::kScalar:
      break;
  }
  return "scalar";
}

/// Whether this processor can run `isa`'s kernels.
bool cpu_supports(Isa isa);

/// The path asked for by the values of PLENARY_ISA (`forced`) and of the older
/// PLENARY_NO_AVX512 (`no_avx512`; set to anything but "" or "0", it means the best path
/// without AVX-512), each nullptr when unset, on a processor that supports what `supports`
/// says. Unset: the best supported. Throws UsageError for an unknown value, a path the
/// processor lacks, or `avx512` with PLENARY_NO_AVX512 set.
Isa choose_isa(const char* forced, const char* no_avx512, bool (*supports)(Isa));

/// The kernels' path of this process: choose_isa() on the environment and this processor,
/// decided on the first call that succeeds (or set by use_kernel_isa()). Throws UsageError as
/// choose_isa() does; the program calls it before any command so that a bad value ends it
/// with status 2.
Isa kernel_isa();

/// Makes `isa` the kernels' path for the runs that start after it (benchmarks and tests use
/// it to compare the paths in one process; never call it while a run is in progress).
/// Throws UsageError if the processor lacks it.
void use_kernel_isa(Isa isa);

}  // namespace plenary
