#include "plenary/calibrate/country_codes.hpp"

#include <gtest/gtest.h>

#include <set>

#include "calibrate/csv.hpp"

namespace plenary::calibrate {
namespace {

TEST(CountryCodes, TableMatchesTheMemberList) {
  CsvReader in = CsvReader::open(PLENARY_DATA_DIR "/members/members-2021.csv");
  std::vector<std::string> f;
  ASSERT_TRUE(in.next(f));
  const auto c = require_columns(in, f, {"iso3", "iso2", "name"});
  std::size_t rows = 0;
  while (in.next(f)) {
    const MemberState* m = find_member_state(f[c[0]]);
    ASSERT_NE(m, nullptr) << f[c[0]];
    EXPECT_EQ(m->alpha2, f[c[1]]);
    EXPECT_EQ(m->name, f[c[2]]);
    ++rows;
  }
  EXPECT_EQ(rows, 193u);
  EXPECT_EQ(un_member_states().size(), 193u);
}

TEST(CountryCodes, CodesAreUnique) {
  std::set<std::string_view> a2, a3;
  for (const MemberState& m : un_member_states()) {
    EXPECT_TRUE(a2.insert(m.alpha2).second) << m.alpha2;
    EXPECT_TRUE(a3.insert(m.alpha3).second) << m.alpha3;
  }
}

TEST(CountryCodes, MapsCurrentMembers) {
  EXPECT_EQ(map_country("US", "United States", 70)->alpha3, "USA");
  EXPECT_EQ(map_country("NA", "Namibia", 70)->alpha3, "NAM");
  EXPECT_EQ(map_country("SS", "South Sudan", 70)->alpha3, "SSD");
  EXPECT_EQ(map_country("RU", "Russia", 10)->alpha3, "RUS");
}

TEST(CountryCodes, SerbiaFromSession61YugoslaviaBefore) {
  EXPECT_EQ(map_country("YU", "Yugoslavia", 60)->alpha3, "YUG");
  EXPECT_EQ(map_country("YU", "Yugoslavia", 61)->alpha3, "SRB");
  EXPECT_EQ(map_country("ME", "Montenegro", 61)->alpha3, "MNE");
}

TEST(CountryCodes, HistoricalStatesHaveCodesOfTheirOwn) {
  EXPECT_EQ(map_country("", "Federal Republic of Germany", 30)->alpha3, "FRG");
  EXPECT_EQ(map_country("", "Yemen Arab Republic", 30)->alpha3, "YAR");
  EXPECT_EQ(map_country("", "Zanzibar", 18)->alpha3, "ZAN");
  EXPECT_EQ(map_country("DD", "German Democratic Republic", 30)->alpha3, "DDR");
  EXPECT_EQ(map_country("CS", "Czechoslovakia", 30)->alpha3, "CSK");
  EXPECT_EQ(map_country("YD", "Yemen People's Republic", 30)->alpha3, "YMD");
  EXPECT_EQ(map_country("TW", "Taiwan", 20)->alpha3, "TWN");
  for (const std::string_view code : {"FRG", "YAR", "ZAN", "DDR", "CSK", "YMD", "TWN", "YUG"}) {
    EXPECT_EQ(find_member_state(code), nullptr) << code;
  }
}

TEST(CountryCodes, UnknownCodesAreNotMapped) {
  EXPECT_FALSE(map_country("XX", "Atlantis", 30));
  EXPECT_FALSE(map_country("", "Atlantis", 30));
}

// The alpha-3 mapping (the UN's voting data) gives every state the code the alpha-2 mapping
// gives it: one table.
TEST(CountryCodes, Alpha3CodesMapAsTheirAlpha2Codes) {
  for (const MemberState& m : un_member_states()) {
    EXPECT_EQ(map_country_alpha3(m.alpha3, "", 70)->alpha3, map_country(m.alpha2, "", 70)->alpha3);
    EXPECT_EQ(map_country_alpha3(m.alpha3, "", 70)->name, m.name);
  }
  for (const auto& [alpha2, alpha3] :
       {std::pair{"DD", "DDR"}, {"CS", "CSK"}, {"YD", "YMD"}, {"TW", "TWN"}, {"SU", "SUN"}}) {
    EXPECT_EQ(map_country_alpha3(alpha3, "", 30)->name, map_country(alpha2, "", 30)->name);
  }
  EXPECT_EQ(map_country_alpha3("YUG", "YUGOSLAVIA", 60)->alpha3, "YUG");
  EXPECT_EQ(map_country_alpha3("YUG", "SERBIA", 61)->alpha3, "SRB");
  EXPECT_EQ(map_country_alpha3("FRG", "", 30)->alpha3, "FRG");
  EXPECT_EQ(map_country_alpha3("", "FEDERAL REPUBLIC OF GERMANY", 30)->alpha3, "FRG");
  EXPECT_EQ(map_country_alpha3("", "yemen arab republic", 30)->alpha3, "YAR");
  EXPECT_EQ(map_country_alpha3("NAM", "NAMIBIA", 45)->alpha3, "NAM");
  EXPECT_FALSE(map_country_alpha3("", "GERMANY", 30));
  EXPECT_FALSE(map_country_alpha3("NA", "NAMIBIA", 45));
  EXPECT_FALSE(map_country_alpha3("XYZ", "ATLANTIS", 45));
}

}  // namespace
}  // namespace plenary::calibrate
