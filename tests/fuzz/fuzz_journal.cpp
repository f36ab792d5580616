// libFuzzer harness for the sweep journal reader (Journal::resume; docs/sweep.md,
// "Journal"): the input is the journal of a sweep of 8 points with a fixed identity. Either
// the journal's rows, which resume again unchanged (a resumed journal is left repaired), or
// a plenary::Error naming the journal.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.hpp"
#include "plenary/scale/journal.hpp"

namespace {

constexpr std::size_t kPoints = 8;
const std::string kIdentity =
    "version=1\tscenario_sha256=none\tloaded_sha256=0123\tset=theta_peer=2\treplicates=10\tseed=1";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace plenary;
  const auto path = fuzz::write_scratch("sweep.csv.journal", fuzz::as_text(data, size));
  std::map<std::size_t, std::string> rows;
  try {
    scale::Journal j = scale::Journal::resume(path, kIdentity, kPoints);
    rows = j.rows();
    for (const auto& [point, row] : rows) {
      if (point >= kPoints) fuzz::fuzz_fail("a row for a point outside the grid", row);
    }
  } catch (const Error& e) {
    fuzz::expect_place(e, {"sweep.csv.journal"});
    return 0;
  }
  try {
    scale::Journal again = scale::Journal::resume(path, kIdentity, kPoints);
    if (again.rows() != rows || again.dropped_a_line()) {
      fuzz::fuzz_fail("a resumed journal does not resume again to the same rows", "");
    }
  } catch (const Error& e) {
    fuzz::fuzz_fail("a resumed journal does not resume again", e.what());
  }
  return 0;
}
