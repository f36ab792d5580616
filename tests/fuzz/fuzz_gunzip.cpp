// libFuzzer harness for the gzip reader of data files (`votes.csv.gz`): any input must
// either decompress or be refused with a plenary::Error naming the file; anything else (a
// crash, another exception, a sanitizer report, a hang) is a bug (docs/reliability.md).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_util.hpp"
#include "plenary/util/compressed.hpp"
#include "plenary/util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    // A small limit, so that decompression bombs are refused rather than exhaust memory.
    (void)plenary::gunzip(bytes, "<fuzz>", std::size_t{1} << 24);
  } catch (const plenary::Error& e) {
    plenary::fuzz::expect_place(e, {"<fuzz>"});
  }
  return 0;
}
