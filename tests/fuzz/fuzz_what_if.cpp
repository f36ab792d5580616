// libFuzzer harness for the what-if flags (apply_what_ifs; docs/compare.md, "What-ifs"):
// each line of the input is one what-if, "force ARG", "forbid ARG", "absent ARG" or
// "shift ARG", applied together to a fixed scenario. Either a scenario that passes
// validate() and compiles with its constraints, or a plenary::Error naming the flag.
#include <cstddef>
#include <cstdint>

#include "fixture_scenario.hpp"
#include "fuzz_util.hpp"
#include "plenary/model/model.hpp"
#include "plenary/scenario/what_if.hpp"

namespace {

// "force EU:GGE" -> {kForce, "EU:GGE"}; a line without a known kind is skipped.
std::vector<plenary::WhatIf> what_ifs(std::string_view text) {
  using plenary::WhatIfKind;
  std::vector<plenary::WhatIf> out;
  for (const std::string& line : plenary::fuzz::split_lines(text, 8)) {
    const std::size_t space = line.find(' ');
    if (space == std::string::npos) continue;
    const std::string_view kind = std::string_view(line).substr(0, space);
    const std::string argument = line.substr(space + 1);
    for (WhatIfKind k :
         {WhatIfKind::kForce, WhatIfKind::kForbid, WhatIfKind::kAbsent, WhatIfKind::kShift}) {
      if ("--" + std::string(kind) == plenary::what_if_flag(k)) out.push_back({k, argument});
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace plenary;
  const std::vector<WhatIf> list = what_ifs(fuzz::as_text(data, size));
  WhatIfRun run;
  try {
    run = apply_what_ifs(fuzz::fixture_scenario(), list);
  } catch (const Error& e) {
    fuzz::expect_place(e, {"--force", "--forbid", "--absent", "--shift"});
    return 0;
  }
  try {
    validate(run.scenario);
    (void)compile(run.scenario, run.constraints);
  } catch (const Error& e) {
    fuzz::fuzz_fail("a what-if run fails validate() or compile()", e.what());
  }
  return 0;
}
