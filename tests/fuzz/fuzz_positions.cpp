// libFuzzer harness for positions files (`members: {include: ..., positions: FILE}`,
// docs/scenario-format.md): the input is the positions file; the member list and the
// scenario are fixed. Either a Scenario that passes validate() and compiles, or a
// plenary::Error naming the positions file (or the scenario, for what the positions break).
#include <cstddef>
#include <cstdint>

#include "fuzz_util.hpp"
#include "plenary/model/model.hpp"
#include "plenary/scenario/loader.hpp"

namespace {

// tests/scenario/data/members-small.yaml, which the seed (positions-small.yaml) is for.
constexpr std::string_view kMembers = R"(members:
  - {code: USA, name: United States, position: [0.9], clout: 3, blocs: [WEOG, NATO]}
  - {code: FRA, name: France, blocs: [WEOG, NATO]}
  - {code: RUS, name: Russian Federation, position: [-0.8], clout: 2, blocs: [EEG]}
  - {code: VEN, name: Venezuela, blocs: [GRULAC], votes: false}
blocs:
  WEOG: {tie: 2}
  NATO: {tie: 0.5}
  EEG: {}
  GRULAC: {}
)";

constexpr std::string_view kScenario = R"(name: positions fuzz
members: {include: members.yaml, positions: positions.yaml}
drafts:
  - {id: D, sponsors: [USA], closes: 2}
  - {id: E, sponsors: [RUS, VEN], position: [-0.5], closes: 3}
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace plenary;
  static const bool members_written = (fuzz::write_scratch("members.yaml", kMembers), true);
  (void)members_written;
  fuzz::write_scratch("positions.yaml", fuzz::as_text(data, size));
  Scenario s;
  try {
    s = load_scenario_text(kScenario, "<fuzz>", fuzz::scratch_dir());
  } catch (const Error& e) {
    fuzz::expect_place(
        e, {"positions.yaml", "members.yaml",
            "<fuzz>"});  // a member left without a position is refused where it is listed
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
