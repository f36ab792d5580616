// libFuzzer harness for member and tie tables (`members: {file: members.csv}`, `ties: {file:
// ties.csv}`, docs/scenario-format.md): the input is both files, split at "\n@@@@\n"; the
// scenario around them is fixed. Either a Scenario that passes validate() and compiles, or
// a plenary::Error naming one of the files.
#include <cstddef>
#include <cstdint>

#include "fuzz_util.hpp"
#include "plenary/model/model.hpp"
#include "plenary/scenario/loader.hpp"

namespace {

// The draft's sponsor must be in the members table (the seeds have it); members without a
// position get one from their blocs.
constexpr std::string_view kScenario = R"(name: tables fuzz
members: {file: members.csv}
missing_position: bloc_mean
blocs: {WEOG: {}, EEG: {tie: 0.5}}
ties: {file: ties.csv}
drafts:
  - {id: D, sponsors: [USA], position: [0.5, 0], closes: 2}
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace plenary;
  const std::vector<std::string_view> files = fuzz::split_files(fuzz::as_text(data, size), 2);
  fuzz::write_scratch("members.csv", files[0]);
  fuzz::write_scratch("ties.csv", files[1]);
  Scenario s;
  try {
    s = load_scenario_text(kScenario, "<fuzz>", fuzz::scratch_dir());
  } catch (const Error& e) {
    fuzz::expect_place(e, {"members.csv", "ties.csv", "<fuzz>"});
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
