// The one dispatch point of the kernels' instruction sets (include/plenary/core/isa.hpp).

#include "plenary/core/isa.hpp"

#include <fmt/format.h>

#include <atomic>
#include <cstdlib>
#include <string_view>

#include "plenary/util/error.hpp"

namespace plenary {

bool cpu_supports(Isa isa) {
  __builtin_cpu_init();
  switch (isa) {
    case Isa::kAvx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
             __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq");
    case Isa::kAvx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case Isa::kScalar:
      break;
  }
  return true;
}

Isa choose_isa(const char* forced, const char* no_avx512, bool (*supports)(Isa)) {
  const bool without_avx512 =
      no_avx512 != nullptr && *no_avx512 != '\0' && std::string_view(no_avx512) != "0";
  if (forced == nullptr) {
    if (!without_avx512 && supports(Isa::kAvx512)) return Isa::kAvx512;
    return supports(Isa::kAvx2) ? Isa::kAvx2 : Isa::kScalar;
  }
  const std::string_view value(forced);
  for (const Isa isa : {Isa::kAvx512, Isa::kAvx2, Isa::kScalar}) {
    if (value != isa_name(isa)) continue;
    if (!supports(isa)) {
      throw UsageError(fmt::format(
          "PLENARY_ISA={}: this processor lacks {}; unset PLENARY_ISA to use the best path it "
          "has, or set it to {}",
          value, isa == Isa::kAvx512 ? "AVX-512 (F, VL, BW and DQ)" : "AVX2 and FMA",
          supports(Isa::kAvx2) ? "avx2 or scalar" : "scalar"));
    }
    if (isa == Isa::kAvx512 && without_avx512) {
      throw UsageError(
          "PLENARY_ISA=avx512 contradicts PLENARY_NO_AVX512, which is set: unset one of them");
    }
    return isa;
  }
  throw UsageError(fmt::format(
      "PLENARY_ISA='{}' is not an instruction set plenary knows: use avx512, avx2 or scalar, or "
      "unset it to use the best path this processor has",
      value));
}

namespace {

// The path decided, or -1 before the first call that succeeds. Threads that race on the
// first call compute the same value.
std::atomic<int> g_isa{-1};

}  // namespace

Isa kernel_isa() {
  const int decided = g_isa.load(std::memory_order_relaxed);
  if (decided >= 0) return static_cast<Isa>(decided);
  const Isa isa =
      choose_isa(std::getenv("PLENARY_ISA"), std::getenv("PLENARY_NO_AVX512"), cpu_supports);
  g_isa.store(static_cast<int>(isa), std::memory_order_relaxed);
  return isa;
}

void use_kernel_isa(Isa isa) {
  if (!cpu_supports(isa)) {
    throw UsageError(fmt::format("this processor cannot run the {} kernels", isa_name(isa)));
  }
  g_isa.store(static_cast<int>(isa), std::memory_order_relaxed);
}

}  // namespace plenary
