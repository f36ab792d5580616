// libFuzzer harness for the scenario loader: any input must either load or be refused
// with a plenary::Error; anything else (a crash, another exception, a sanitizer report,
// a hang) is a bug. Build with clang: cmake --preset fuzz && cmake --build --preset fuzz,
// then run build/fuzz/tests/fuzz/fuzz_scenario tests/fuzz/corpus -max_total_time=60.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "plenary/model/model.hpp"
#include "plenary/scenario/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const plenary::Scenario s = plenary::load_scenario_text(text, "<fuzz>", "/nonexistent");
    (void)plenary::compile(s);
  } catch (const plenary::Error&) {
  }
  return 0;
}
