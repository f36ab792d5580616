#include "plenary/calibrate/country_codes.hpp"

#include <algorithm>
#include <array>

namespace plenary::calibrate {

namespace {

constexpr MemberState kMembers[] = {
#include "calibrate/country_table.inc"
};
static_assert(std::size(kMembers) == 193, "the UN has 193 member states");

struct HistoricalState {
  std::string_view alpha2;  // data code; empty: matched by name
  std::string_view data_name;
  std::string_view alpha3;
  std::string_view name;
};

// States in the data that are not UN members today (docs/calibration.md, "Country codes").
constexpr HistoricalState kHistorical[] = {
    {"CS", "", "CSK", "Czechoslovakia"},
    {"DD", "", "DDR", "German Democratic Republic"},
    {"YD", "", "YMD", "Yemen People's Republic"},
    {"SU", "", "SUN", "Union of Soviet Socialist Republics"},
    {"TW", "", "TWN", "Republic of China"},
    {"", "Federal Republic of Germany", "FRG", "Federal Republic of Germany"},
    {"", "Yemen Arab Republic", "YAR", "Yemen Arab Republic"},
    {"", "Zanzibar", "ZAN", "Zanzibar"},
};

// Serbia's votes are coded YU throughout; Montenegro separated in 2006 (session 61).
constexpr int kFirstSerbiaSession = 61;

}  // namespace

std::span<const MemberState> un_member_states() { return kMembers; }

const MemberState* find_member_state(std::string_view alpha3) {
  const auto it = std::find_if(std::begin(kMembers), std::end(kMembers),
                               [&](const MemberState& m) { return m.alpha3 == alpha3; });
  return it == std::end(kMembers) ? nullptr : it;
}

std::optional<CountryCode> map_country(std::string_view alpha2, std::string_view country,
                                       int session) {
  if (alpha2 == "YU") {
    if (session >= kFirstSerbiaSession) return CountryCode{"SRB", "Serbia"};
    return CountryCode{"YUG", "Yugoslavia"};
  }
  for (const HistoricalState& h : kHistorical) {
    const bool match = alpha2.empty() ? h.alpha2.empty() && h.data_name == country
                                      : h.alpha2 == alpha2;
    if (match) return CountryCode{std::string(h.alpha3), std::string(h.name)};
  }
  if (alpha2.empty()) return std::nullopt;
  for (const MemberState& m : kMembers) {
    if (m.alpha2 == alpha2) return CountryCode{std::string(m.alpha3), std::string(m.name)};
  }
  return std::nullopt;
}

}  // namespace plenary::calibrate
