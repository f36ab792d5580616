// libFuzzer harness for the gzip reader of data files: any input must either decompress or
// be refused with a plenary::Error; anything else (a crash, another exception, a sanitizer
// report, a hang) is a bug. Build with clang: cmake --preset fuzz && cmake --build --preset
// fuzz, then run build/fuzz/tests/fuzz/fuzz_gunzip -max_total_time=60 (seed it with a few
// .gz files, e.g. a directory holding data/unga/roll_call_issues.csv.gz).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "plenary/util/compressed.hpp"
#include "plenary/util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    // A small limit, so that decompression bombs are refused rather than exhaust memory.
    (void)plenary::gunzip(bytes, "<fuzz>", std::size_t{1} << 24);
  } catch (const plenary::Error&) {
  }
  return 0;
}
