#pragma once
// The scenario the harnesses of command-line arguments (--set, what-ifs, --target) change:
// small, two dimensions, blocs, two drafts, a member without voting rights.
#include <string_view>

#include "plenary/scenario/loader.hpp"

namespace plenary::fuzz {

inline constexpr std::string_view kFixtureScenario = R"(name: argument fuzz
members:
  - {code: USA, name: United States, position: [0.9, 0.1], clout: 3, blocs: [WEOG, NATO]}
  - {code: FRA, name: France, position: [0.7, -0.2], blocs: [WEOG, NATO, EU]}
  - {code: DEU, name: Germany, position: [0.6, 0.0], blocs: [WEOG, NATO, EU]}
  - {code: RUS, name: Russian Federation, position: [-0.8, 0.2], clout: 2, blocs: [EEG]}
  - {code: CHN, name: China, position: [-0.7, -0.3], clout: 2}
  - {code: BRA, name: Brazil, position: [0.1, 0.4], blocs: [GRULAC]}
  - {code: VEN, name: Venezuela, position: [-0.5, 0.3], blocs: [GRULAC], votes: false}
blocs:
  WEOG: {tie: 2}
  NATO: {tie: 0.5}
  EU: {tie: 1}
  EEG: {}
  GRULAC: {}
drafts:
  - {id: GGE, sponsors: [USA, FRA], closes: 4}
  - {id: OEWG, sponsors: [RUS], position: [-0.4, 0.1], closes: 3, majority: two_thirds}
)";

/// The fixture, loaded once.
inline const Scenario& fixture_scenario() {
  static const Scenario s = load_scenario_text(kFixtureScenario, "<fixture>", ".");
  return s;
}

}  // namespace plenary::fuzz
