#pragma once
/// Country codes: the roll-call data uses ISO 3166-1 alpha-2 (and an empty code for three
/// historical states); scenarios use alpha-3. This maps one to the other, session by
/// session, and gives historical states documented codes of their own (docs/calibration.md).

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace plenary::calibrate {

/// A state as scenarios name it.
struct CountryCode {
  std::string alpha3;  ///< ISO 3166-1 alpha-3, or a documented code for a historical state
  std::string name;    ///< UN short name (current members) or historical name
};

/// One of the 193 current UN member states.
struct MemberState {
  std::string_view alpha2;  ///< ISO 3166-1 alpha-2 (`NA` is Namibia)
  std::string_view alpha3;  ///< ISO 3166-1 alpha-3
  std::string_view name;    ///< UN short name in 2021
};

/// The 193 UN member states on 31 December 2021, sorted by name as the UN lists them.
std::span<const MemberState> un_member_states();

/// The code of the state that cast a vote in `session` under data code `alpha2` and data
/// name `country` (used only when `alpha2` is empty). Historical states:
/// - `YU` is Yugoslavia (`YUG`) up to session 60 and Serbia (`SRB`) from session 61;
/// - `CS` Czechoslovakia `CSK`, `DD` German Democratic Republic `DDR`, `YD` Yemen People's
///   Republic `YMD`, `SU` USSR `SUN` (all ISO 3166-3), `TW` Republic of China `TWN`;
/// - empty code: Federal Republic of Germany `FRG`, Yemen Arab Republic `YAR`,
///   Zanzibar `ZAN` (codes of this project; ISO has none).
/// `RU` is the Russian Federation `RUS` throughout: the data codes the USSR's votes as `RU`
/// and the Russian Federation continued its seat. Returns nullopt for a code it cannot map.
std::optional<CountryCode> map_country(std::string_view alpha2, std::string_view country,
                                       int session);

/// The same mapping for data that codes states in ISO 3166-1 alpha-3 (the UN Digital
/// Library's voting data): `code` is a current member's alpha-3 code or the alpha-3 code
/// map_country() gives a historical state (`CSK`, `DDR`, `YMD`, `SUN`, `TWN`, `FRG`, `YAR`,
/// `ZAN`, `YUG`); `YUG` is Yugoslavia up to session 60 and Serbia from session 61, as `YU`
/// is. An empty code is matched by `country` (case-insensitive) against the three states
/// Voeten's data names instead of coding. Returns nullopt for a code it cannot map.
std::optional<CountryCode> map_country_alpha3(std::string_view code, std::string_view country,
                                              int session);

/// The alpha-3 codes of the historical states map_country_alpha3() accepts, comma-separated
/// (for error messages).
std::string historical_alpha3_codes();

/// The current member state with alpha-3 code `alpha3`, or nullptr.
const MemberState* find_member_state(std::string_view alpha3);

}  // namespace plenary::calibrate
