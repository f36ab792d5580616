// libFuzzer harness for `plenary fit --target` (parse_targets; docs/fit.md): each line of
// the input is one target, parsed against a fixed scenario. Either targets whose fields
// hold (a known draft, a round in 0..T, a positive tolerance, members for a member
// quantity, a label that parses back to the same target), or a plenary::Error naming
// --target.
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "fixture_scenario.hpp"
#include "fuzz_util.hpp"
#include "plenary/fit/target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace plenary;
  const Scenario& s = fuzz::fixture_scenario();
  std::vector<Target> targets;
  try {
    targets = parse_targets(s, fuzz::split_lines(fuzz::as_text(data, size), 8));
  } catch (const Error& e) {
    fuzz::expect_place(e, {"--target"});
    return 0;
  }
  for (const Target& t : targets) {
    if (t.draft < 0 || t.draft >= static_cast<int>(s.drafts.size())) {
      fuzz::fuzz_fail("a target names no draft", target_label(s, t));
    }
    if (!(t.tolerance > 0) || !std::isfinite(t.value)) {
      fuzz::fuzz_fail("a target with a tolerance <= 0 or a value not finite", target_label(s, t));
    }
    if (is_member_quantity(t.quantity) && t.members.empty()) {
      fuzz::fuzz_fail("a member target about no member", target_label(s, t));
    }
    try {
      const Target back = parse_target(s, target_text(s, t));
      if (target_text(s, back) != target_text(s, t)) {
        fuzz::fuzz_fail("a target's text parses to another target", target_text(s, t));
      }
    } catch (const Error& e) {
      fuzz::fuzz_fail("a target's text does not parse", e.what());
    }
  }
  return 0;
}
