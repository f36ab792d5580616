// libFuzzer harness for the scenario loader (docs/reliability.md): YAML text in, either a
// Scenario that passes validate(), compiles, and loads again from what scenario_to_yaml()
// writes of it, or a plenary::Error naming the file. Included files (members, positions,
// agreement) resolve against tests/scenario/data, so the seeds can reach those readers too.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_util.hpp"
#include "plenary/model/model.hpp"
#include "plenary/scenario/generate.hpp"
#include "plenary/scenario/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace plenary;
  Scenario s;
  try {
    s = load_scenario_text(fuzz::as_text(data, size), "<fuzz>", PLENARY_FUZZ_SCENARIO_DATA);
  } catch (const Error& e) {
    // A refusal names the scenario or the included file it is about.
    fuzz::expect_place(e, {"<fuzz>", PLENARY_FUZZ_SCENARIO_DATA});
    return 0;
  }
  try {
    validate(s);
    (void)compile(s);
  } catch (const Error& e) {
    fuzz::fuzz_fail("a loaded scenario fails validate() or compile()", e.what());
  }
  try {
    (void)load_scenario_text(scenario_to_yaml(s), "<written>", PLENARY_FUZZ_SCENARIO_DATA);
  } catch (const Error& e) {
    fuzz::fuzz_fail("what scenario_to_yaml() writes of a loaded scenario does not load", e.what());
  }
  return 0;
}
