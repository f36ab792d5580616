// The choice of the kernels' path (include/plenary/core/isa.hpp) from the environment's
// values, on processors with and without AVX2 and AVX-512.
#include "plenary/core/isa.hpp"

#include <gtest/gtest.h>

#include <string>

#include "plenary/util/error.hpp"

namespace plenary {
namespace {

bool everything(Isa) { return true; }
bool avx2_only(Isa isa) { return isa != Isa::kAvx512; }
bool baseline_only(Isa isa) { return isa == Isa::kScalar; }

std::string message_of(const char* forced, const char* no_avx512, bool (*supports)(Isa)) {
  try {
    choose_isa(forced, no_avx512, supports);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Isa, UnsetMeansTheBestThePlatformHas) {
  EXPECT_EQ(choose_isa(nullptr, nullptr, everything), Isa::kAvx512);
  EXPECT_EQ(choose_isa(nullptr, nullptr, avx2_only), Isa::kAvx2);
  EXPECT_EQ(choose_isa(nullptr, nullptr, baseline_only), Isa::kScalar);
}

TEST(Isa, EachNameForcesItsPath) {
  for (const Isa isa : {Isa::kAvx512, Isa::kAvx2, Isa::kScalar}) {
    EXPECT_EQ(choose_isa(std::string(isa_name(isa)).c_str(), nullptr, everything), isa);
  }
  EXPECT_EQ(choose_isa("scalar", nullptr, baseline_only), Isa::kScalar);
}

TEST(Isa, NoAvx512IsAnAliasForTheBestWithoutIt) {
  EXPECT_EQ(choose_isa(nullptr, "1", everything), Isa::kAvx2);
  EXPECT_EQ(choose_isa(nullptr, "1", baseline_only), Isa::kScalar);
  // "" and "0" leave it off, as before.
  EXPECT_EQ(choose_isa(nullptr, "", everything), Isa::kAvx512);
  EXPECT_EQ(choose_isa(nullptr, "0", everything), Isa::kAvx512);
  EXPECT_EQ(choose_isa("avx2", "1", everything), Isa::kAvx2);
  EXPECT_EQ(choose_isa("scalar", "1", everything), Isa::kScalar);
}

TEST(Isa, BadValuesAreUsageErrorsNamingTheVariableAndTheChoices) {
  EXPECT_EQ(message_of("AVX2", nullptr, everything),
            "PLENARY_ISA='AVX2' is not an instruction set plenary knows: use avx512, avx2 or "
            "scalar, or unset it to use the best path this processor has");
  EXPECT_EQ(message_of("", nullptr, everything),
            "PLENARY_ISA='' is not an instruction set plenary knows: use avx512, avx2 or "
            "scalar, or unset it to use the best path this processor has");
  EXPECT_EQ(message_of("avx512", nullptr, avx2_only),
            "PLENARY_ISA=avx512: this processor lacks AVX-512 (F, VL, BW and DQ); unset "
            "PLENARY_ISA to use the best path it has, or set it to avx2 or scalar");
  EXPECT_EQ(message_of("avx2", nullptr, baseline_only),
            "PLENARY_ISA=avx2: this processor lacks AVX2 and FMA; unset PLENARY_ISA to use the "
            "best path it has, or set it to scalar");
  EXPECT_EQ(message_of("avx512", "1", everything),
            "PLENARY_ISA=avx512 contradicts PLENARY_NO_AVX512, which is set: unset one of them");
}

TEST(Isa, ThisProcessorRunsTheBaseline) { EXPECT_TRUE(cpu_supports(Isa::kScalar)); }

}  // namespace
}  // namespace plenary
