// libFuzzer harness for agreement files (`agreement: {file: FILE}`, a CSV of vote-agreement
// scores; docs/scenario-format.md): the input is the CSV file; the scenario is fixed. Either
// a Scenario that passes validate() and compiles, or a plenary::Error naming the file.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.hpp"
#include "plenary/model/model.hpp"
#include "plenary/scenario/loader.hpp"

namespace {

constexpr std::string_view kScenario = R"(name: agreement fuzz
members:
  - {code: USA, name: United States, position: [0.9]}
  - {code: FRA, name: France, position: [0.7]}
  - {code: RUS, name: Russian Federation, position: [-0.8]}
  - {code: VEN, name: Venezuela, position: [-0.5]}
agreement: {file: agreement.csv, weight: 1, floor: median}
drafts:
  - {id: D, sponsors: [USA], closes: 2}
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace plenary;
  fuzz::write_scratch("agreement.csv", fuzz::as_text(data, size));
  Scenario s;
  try {
    s = load_scenario_text(kScenario, "<fuzz>", fuzz::scratch_dir());
  } catch (const Error& e) {
    fuzz::expect_place(e, {"agreement.csv"});
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
