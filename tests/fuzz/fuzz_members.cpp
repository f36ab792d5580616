// libFuzzer harness for member files (`members: {include: FILE}`, docs/scenario-format.md):
// the input is the included file; the scenario around it is fixed. Either a Scenario that
// passes validate() and compiles, or a plenary::Error naming one of the two files.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.hpp"
#include "plenary/model/model.hpp"
#include "plenary/scenario/loader.hpp"

namespace {

// The draft's sponsor must be in the file (the seeds have it); members without a position
// get one from their blocs.
constexpr std::string_view kScenario = R"(name: members fuzz
members: {include: members.yaml}
missing_position: bloc_mean
drafts:
  - {id: D, sponsors: [USA], position: [0.5], closes: 2}
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace plenary;
  fuzz::write_scratch("members.yaml", fuzz::as_text(data, size));
  Scenario s;
  try {
    s = load_scenario_text(kScenario, "<fuzz>", fuzz::scratch_dir());
  } catch (const Error& e) {
    fuzz::expect_place(e, {"members.yaml", "<fuzz>"});
    return 0;
  }
  try {
    validate(s);
    (void)compile(s);
  } catch (const Error& e) {
    fuzz::fuzz_fail("a loaded scenario fails validate() or compile()", e.what());
  }
  return 0;
}
