// Bailey-Strezhnev-Voeten ideal points as positions: tests/calibrate/data/bsv holds a file in
// the layout of IdealpointestimatesAll_*.csv with invented numbers (as R's write.csv writes
// it: quoted strings, a row-name column, NA).
#include "plenary/calibrate/bsv.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "calibrate/test_data.hpp"
#include "plenary/util/error.hpp"

namespace plenary::calibrate {
namespace {

using testing::DataDir;

const std::filesystem::path kFile = std::filesystem::path(PLENARY_SOURCE_DIR) /
                                    "tests/calibrate/data/bsv/IdealpointestimatesAll_fixture.csv";

const BsvPosition* find(const BsvPositions& b, const std::string& code) {
  const auto it = std::find_if(b.positions.begin(), b.positions.end(),
                               [&](const BsvPosition& p) { return p.code == code; });
  return it == b.positions.end() ? nullptr : &*it;
}

TEST(Bsv, OneYearOfTheListedMembers) {
  const BsvPositions b = read_bsv(kFile, 2018, BsvEstimate::kAll, un_member_list());
  // 21 rows in 2018: Palestine is not a member, two rows have no iso3c, Israel's estimate is NA.
  EXPECT_EQ(b.positions.size(), 17u);
  EXPECT_EQ(b.missing.size(), 193u - 17u);
  EXPECT_TRUE(std::any_of(b.missing.begin(), b.missing.end(),
                          [](const ListedMember& m) { return m.code == "ISR"; }));
  EXPECT_EQ(b.not_listed,
            (std::vector<std::string>{"Atlantis (no iso3c)", "Lemuria (no iso3c)", "PSE"}));
  const BsvPosition* usa = find(b, "USA");
  ASSERT_NE(usa, nullptr);
  EXPECT_NEAR(usa->position, 3.05, 1e-12);
  // The fixture's quantiles are 3.05 -+ 1.645 x 0.13: se 0.13.
  ASSERT_TRUE(usa->se);
  EXPECT_NEAR(*usa->se, 0.13, 1e-9);
  EXPECT_EQ(usa->votes, 97);
  const BsvPosition* nam = find(b, "NAM");
  ASSERT_NE(nam, nullptr);
  EXPECT_NEAR(nam->position, -1.02, 1e-12);
  // Korea's q5all is NA in 2018: a position without a standard error.
  EXPECT_FALSE(find(b, "KOR")->se);
  EXPECT_EQ(b.without_se, std::vector<std::string>{"KOR"});
  EXPECT_TRUE(
      std::is_sorted(b.positions.begin(), b.positions.end(),
                     [](const BsvPosition& x, const BsvPosition& y) { return x.code < y.code; }));
}

TEST(Bsv, OtherYearAndEstimate) {
  const BsvPositions b = read_bsv(kFile, 2017, BsvEstimate::kFp, un_member_list());
  // 2017's fp estimate of the United States: (3.05 + 0.05) x 0.97 + 0.01.
  EXPECT_NEAR(find(b, "USA")->position, 3.017, 1e-12);
  EXPECT_NEAR(*find(b, "KOR")->se, 0.11 + 0.01 * (732 % 7), 1e-9);
  EXPECT_TRUE(b.without_se.empty());
}

TEST(Bsv, TheFileFormat) {
  std::vector<ListedMember> members = {
      {"USA", "United States of America"}, {"KOR", ""}, {"ISR", "Israel"}, {"FJI", "Fiji"}};
  const BsvPositions b = read_bsv(kFile, 2018, BsvEstimate::kAll, members);
  const std::string text = format_bsv_positions(b, "plenary positions --test");
  EXPECT_NE(text.find("\n  - {code: USA, position: [3.0500], data: {votes: 97, se: [0.1300]}}\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\n  - {code: KOR, position: [0.9800], data: {votes: 99}}\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("# Members without a position here (no row in 2018, or NA; scenarios need "
                      "missing_position:\n#   bloc_mean): ISR Israel, FJI Fiji.\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("# Without se (a quantile is NA): KOR.\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\ndata: {source: bsv, year: 2018, estimate: all, dims: 1, members: 2}\n"),
            std::string::npos);
  EXPECT_EQ(text.find("ISR,"), std::string::npos);
}

std::string bsv_error(const std::filesystem::path& file, int year,
                      BsvEstimate e = BsvEstimate::kAll) {
  try {
    read_bsv(file, year, e, un_member_list());
  } catch (const DataError& error) {
    return error.what();
  }
  return "no error";
}

constexpr const char* kHeader =
    "ccode,iso3c,countryname,year,idealpointall,nvotesall,q5all,q95all\n";

TEST(BsvErrors, YearHeaderNumbersAndDuplicates) {
  EXPECT_EQ(bsv_error(kFile, 1990),
            fmt::format("{}: no rows for year 1990: the file has years 2017 to 2018; choose one of "
                        "them with --year",
                        kFile.string()));
  const DataDir dir("bsv_errors");
  dir.write("a.csv", kHeader);
  EXPECT_EQ(bsv_error(dir.path() / "a.csv", 2018, BsvEstimate::kFp)
                .rfind(fmt::format("{}:1: missing column 'idealpointfp'",
                                   (dir.path() / "a.csv").string()),
                       0),
            0u);
  dir.write("b.csv", std::string(kHeader) + "2,USA,United States,2018,high,90,1,2\n");
  EXPECT_EQ(bsv_error(dir.path() / "b.csv", 2018),
            fmt::format("{}:2: column 'idealpointall' must be a number or NA, found 'high'",
                        (dir.path() / "b.csv").string()));
  dir.write("c.csv", std::string(kHeader) + "2,USA,United States,2018,1,90,0.5,1.5\n" +
                         "2,USA,United States,2018,1,90,0.5,1.5\n");
  EXPECT_EQ(bsv_error(dir.path() / "c.csv", 2018),
            fmt::format("{}:3: a second row for 'USA' in 2018 (the first is line 2); remove the "
                        "duplicate",
                        (dir.path() / "c.csv").string()));
  dir.write("d.csv", "");
  EXPECT_NE(bsv_error(dir.path() / "d.csv", 2018).find(":1: the file is empty"), std::string::npos);
  dir.write("e.csv", std::string(kHeader) + "2,PSE,Palestine,2018,1,90,0.5,1.5\n");
  EXPECT_EQ(bsv_error(dir.path() / "e.csv", 2018),
            fmt::format("{}: no member of the member list has a position in 2018 (codes are "
                        "matched on column iso3c)",
                        (dir.path() / "e.csv").string()));
  dir.write("f.csv", std::string(kHeader) + "2,USA,United States,2018.5,1,90,0.5,1.5\n");
  EXPECT_EQ(bsv_error(dir.path() / "f.csv", 2018),
            fmt::format("{}:2: column 'year' must be a whole number, found '2018.5'",
                        (dir.path() / "f.csv").string()));
}

TEST(BsvErrors, MemberList) {
  const DataDir dir("bsv_members");
  dir.write("m.yaml", "members:\n  - {code: USA, name: \"United States\"}\n  - {code: FRA}\n");
  const auto members = read_member_list(dir.path() / "m.yaml");
  ASSERT_EQ(members.size(), 2u);
  EXPECT_EQ(members[0].name, "United States");
  EXPECT_EQ(members[1].code, "FRA");
  dir.write("n.yaml", "members:\n  - {name: France}\n");
  try {
    read_member_list(dir.path() / "n.yaml");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_EQ(std::string(e.what()),
              fmt::format("{}:2:5: a member without a 'code': expected {{code: USA, name: ...}}",
                          (dir.path() / "n.yaml").string()));
  }
  dir.write("o.yaml", "positions: []\n");
  EXPECT_THROW(read_member_list(dir.path() / "o.yaml"), DataError);
  EXPECT_THROW(read_member_list(dir.path() / "missing.yaml"), DataError);
}

}  // namespace
}  // namespace plenary::calibrate
