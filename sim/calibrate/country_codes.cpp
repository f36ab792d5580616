#include "plenary/calibrate/country_codes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

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

CountryCode yugoslavia_or_serbia(int session) {
  if (session >= kFirstSerbiaSession) return CountryCode{"SRB", "Serbia"};
  return CountryCode{"YUG", "Yugoslavia"};
}

bool same_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::span<const MemberState> un_member_states() { return kMembers; }

const MemberState* find_member_state(std::string_view alpha3) {
  const auto it = std::find_if(std::begin(kMembers), std::end(kMembers),
                               [&](const MemberState& m) { return m.alpha3 == alpha3; });
  return it == std::end(kMembers) ? nullptr : it;
}

std::optional<CountryCode> map_country(std::string_view alpha2, std::string_view country,
                                       int session) {
  if (alpha2 == "YU") return yugoslavia_or_serbia(session);
  for (const HistoricalState& h : kHistorical) {
    const bool match =
        alpha2.empty() ? h.alpha2.empty() && h.data_name == country : h.alpha2 == alpha2;
    if (match) return CountryCode{std::string(h.alpha3), std::string(h.name)};
  }
  if (alpha2.empty()) return std::nullopt;
  for (const MemberState& m : kMembers) {
    if (m.alpha2 == alpha2) return CountryCode{std::string(m.alpha3), std::string(m.name)};
  }
  return std::nullopt;
}

std::optional<CountryCode> map_country_alpha3(std::string_view code, std::string_view country,
                                              int session) {
  if (code == "YUG") return yugoslavia_or_serbia(session);
  for (const HistoricalState& h : kHistorical) {
    const bool match = code.empty() ? h.alpha2.empty() && same_ignoring_case(h.data_name, country)
                                    : h.alpha3 == code;
    if (match) return CountryCode{std::string(h.alpha3), std::string(h.name)};
  }
  if (code.empty()) return std::nullopt;
  if (const MemberState* m = find_member_state(code)) {
    return CountryCode{std::string(m->alpha3), std::string(m->name)};
  }
  return std::nullopt;
}

std::string historical_alpha3_codes() {
  std::vector<std::string_view> codes;
  for (const HistoricalState& h : kHistorical) codes.push_back(h.alpha3);
  codes.push_back("YUG");
  return fmt::format("{}", fmt::join(codes, ", "));
}

}  // namespace plenary::calibrate
