// libFuzzer harness for `--set` (apply_sets; docs/scenario-format.md, "Overrides"): each
// line of the input is one assignment, applied in order to a fixed scenario. Either a
// scenario that passes validate() and compiles, or a plenary::Error naming --set.
#include <cstddef>
#include <cstdint>

#include "fixture_scenario.hpp"
#include "fuzz_util.hpp"
#include "plenary/model/model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace plenary;
  Scenario s = fuzz::fixture_scenario();
  try {
    apply_sets(s, fuzz::split_lines(fuzz::as_text(data, size), 8));
  } catch (const Error& e) {
    fuzz::expect_place(e, {"--set"});
    return 0;
  }
  try {
    (void)compile(s);
  } catch (const Error& e) {
    fuzz::fuzz_fail("a validated scenario fails compile()", e.what());
  }
  return 0;
}
