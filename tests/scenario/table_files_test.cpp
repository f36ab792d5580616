// Members and ties from plain tables (`members: {file}`, `ties: {file}`): what they read, and
// every refusal with its exact located message (docs/scenario-format.md).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>

#include "plenary/scenario/loader.hpp"
#include "plenary/util/sha256.hpp"
#include "plenary/util/text.hpp"
#include "scenario/loader_test_util.hpp"
#include "scenario/table_reader.hpp"
#include "support/gzip.hpp"

namespace plenary {
namespace {

using testing_loader::TempDir;

constexpr std::string_view kScenario = R"(name: Tables
members: {file: m.csv}
blocs: {WEOG: {}, EEG: {tie: 0.5}}
ties: {file: t.csv}
drafts:
  - {id: GGE, sponsors: [USA], closes: 10}
)";

constexpr std::string_view kMembers =
    "code,name,x1,x2,clout,absence,blocs\n"
    "USA,United States,0.9,0.1,3,,WEOG\n"
    "RUS,\"Russian Federation\",-0.8,0.2,2,0.05,EEG\n"
    "FRA, France ,0.7,-0.1,,,WEOG; EEG\n";

constexpr std::string_view kTies = "from,to,weight\nFRA,USA,0.5\r\nRUS,FRA,1e-1\n\n";

class Tables : public ::testing::Test {
 protected:
  // Loads the scenario with the given tables; the error's full text, or "no error".
  std::string error(std::string_view members, std::string_view ties = kTies) {
    dir_.write("m.csv", members);
    dir_.write("t.csv", ties);
    try {
      load_scenario(dir_.write("s.yaml", kScenario));
    } catch (const Error& e) {
      // Messages name the file by its path: show it relative to the directory.
      std::string text = e.what();
      const std::string prefix = dir_.path().string() + "/";
      for (auto at = text.find(prefix); at != std::string::npos; at = text.find(prefix)) {
        text.erase(at, prefix.size());
      }
      return text;
    }
    return "no error";
  }
  std::string ties_error(std::string_view ties) { return error(kMembers, ties); }

  TempDir dir_;
};

// The scenario's SHA-256 is that of the YAML followed by each table's name as written and
// the SHA-256 of its text (docs/scenario-format.md, "The scenario's SHA-256").
TEST_F(Tables, TheScenarioHashCoversTheTables) {
  dir_.write("m.csv", kMembers);
  dir_.write("t.csv", kTies);
  const Scenario s = load_scenario(dir_.write("s.yaml", kScenario));
  using namespace std::string_literals;
  EXPECT_EQ(s.sha256, sha256_hex(std::string(kScenario) + "m.csv\0"s + sha256_hex(kMembers) + "\n" +
                                 "t.csv\0"s + sha256_hex(kTies) + "\n"));
  // A changed byte of a table changes it; a YAML file that reads no other file keeps the
  // digest of its bytes.
  dir_.write("t.csv", std::string(kTies).replace(kTies.find("0.5"), 3, "0.6"));
  EXPECT_NE(load_scenario(dir_.path() / "s.yaml").sha256, s.sha256);
  constexpr std::string_view kInline = R"(name: Inline
members:
  - {code: USA, name: United States, position: [0.5]}
drafts:
  - {id: GGE, sponsors: [USA], closes: 10}
)";
  EXPECT_EQ(load_scenario(dir_.write("i.yaml", kInline)).sha256, sha256_hex(kInline));
}

TEST_F(Tables, ReadEveryField) {
  dir_.write("m.csv", kMembers);
  dir_.write("t.csv", kTies);
  const Scenario s = load_scenario(dir_.write("s.yaml", kScenario));
  ASSERT_EQ(s.members.size(), 3u);
  EXPECT_EQ(s.dims, 2);
  EXPECT_EQ(s.members[1].name, "Russian Federation");
  EXPECT_EQ(s.members[2].name, "France");  // spaces around an unquoted field are not kept
  EXPECT_EQ(s.members[0].clout, 3);
  EXPECT_EQ(s.members[2].clout, 1);  // an empty cell keeps the default
  EXPECT_EQ(s.members[1].absence, 0.05);
  EXPECT_EQ(s.members[2].blocs, (std::vector<int>{0, 1}));
  ASSERT_EQ(s.ties.size(), 2u);
  EXPECT_EQ(s.ties[0].from, 2);
  EXPECT_EQ(s.ties[0].to, 0);
  EXPECT_EQ(s.ties[1].weight, 0.1);
}

TEST_F(Tables, GzipTablesReadAsTheirText) {
  dir_.write("m.csv", testing::gzip_text(kMembers));
  dir_.write("t.csv", testing::gzip_text(kTies));
  EXPECT_EQ(load_scenario(dir_.write("s.yaml", kScenario)).ties.size(), 2u);
}

TEST_F(Tables, BadNumbersAreLocated) {
  EXPECT_EQ(ties_error("from,to,weight\nFRA,USA,0.5\nRUS,FRA,heavy\n"),
            "t.csv:3:9: expected a number for 'weight', got 'heavy'");
  EXPECT_EQ(ties_error("from,to,weight\nFRA,USA,1e999\n"),
            "t.csv:2:9: 'weight' must be a finite number, got 1e999");
  EXPECT_EQ(ties_error("from,to,weight\nFRA,USA,nan\n"),
            "t.csv:2:9: 'weight' must be a finite number, got nan");
  EXPECT_EQ(ties_error("from,to,weight\nFRA,USA,0x1p3\n"),
            "t.csv:2:9: expected a number for 'weight', got '0x1p3'");
  EXPECT_EQ(error("code,name,x1\nUSA,United States,\"0.5\"x\n"),
            "m.csv:2:24: unexpected text after a quoted field (quote the whole field, and "
            "double a '\"' inside it)");
  EXPECT_EQ(error("code,name,x1,clout\nUSA,United States,0.5,three\n"),
            "m.csv:2:23: expected a number for 'clout', got 'three'");
}

TEST_F(Tables, SemanticChecksNameTheTableCell) {
  // Checked after reading, as for YAML, and located at the cell through the source map.
  EXPECT_EQ(ties_error("from,to,weight\nFRA,USA,-2\n"), "t.csv:2:9: 'weight' must be >= 0, got -2");
  EXPECT_EQ(error("code,name,x1,x2,absence\nUSA,United States,0.9,0.1,1.5\n", "from,to,weight\n"),
            "m.csv:2:27: 'absence' must be between 0 and 1, got 1.5");
}

// The checks after reading find a record's cell by reading its table again: later records,
// after empty lines, CRLF line ends and quoted fields, and an empty cell (the record).
TEST_F(Tables, SemanticChecksFindLaterRecords) {
  EXPECT_EQ(ties_error("from,to,weight\r\nFRA,USA,1\r\n\r\n\"RUS\",USA,-2\r\nUSA,FRA,1\n"),
            "t.csv:4:11: 'weight' must be >= 0, got -2");
  EXPECT_EQ(error("code,name,x1,absence\nUSA,United States,0.9,\n\nRUS,\"Russia, the\",0.1,2\n",
                  "from,to,weight\n"),
            "m.csv:4:23: 'absence' must be between 0 and 1, got 2");
  EXPECT_EQ(error("code,name,x1\nUSA,United States,0.9\n\nRUS,Russia,\n", "from,to,weight\n"),
            "m.csv:4:1: member 'RUS' has no position (give it one, or set 'missing_position: "
            "bloc_mean' or 'origin')");
}

// Codes longer than the lookup table holds in place are compared whole.
TEST_F(Tables, LongCodes) {
  const std::string members =
      "code,name,x1\nREPUBLIC-OF-A,A,0.1\nREPUBLIC-OF-B,B,0.2\nUSA,United States,0.3\n";
  dir_.write("m.csv", members);
  dir_.write("t.csv", "from,to,weight\nREPUBLIC-OF-A,REPUBLIC-OF-B,1\nUSA,REPUBLIC-OF-A,2\n");
  const Scenario s = load_scenario(dir_.write("s.yaml", kScenario));
  ASSERT_EQ(s.ties.size(), 2u);
  EXPECT_EQ(s.ties[0].from, 0);
  EXPECT_EQ(s.ties[0].to, 1);
  EXPECT_EQ(s.ties[1].from, 2);
  EXPECT_EQ(s.ties[1].to, 0);
  EXPECT_EQ(error(members, "from,to,weight\nUSA,REPUBLIC-OF-C,1\n"),
            "t.csv:2:5: unknown member code 'REPUBLIC-OF-C' in a tie (did you mean "
            "'REPUBLIC-OF-A'?)");
}

TEST_F(Tables, UnknownAndDuplicateCodes) {
  // The first bad record is reported, whatever is wrong with the records after it.
  EXPECT_EQ(ties_error("from,to,weight\nFRA,USX,0.5\nRUS,FRA,x\n"),
            "t.csv:2:5: unknown member code 'USX' in a tie (did you mean 'USA'?)");
  EXPECT_EQ(ties_error("from,to,weight\nFRA,USA,0.5\nRUS,,1\n"),
            "t.csv:3:5: expected a member code for 'to', got nothing");
  EXPECT_EQ(ties_error("from,to,weight\nFRA,USA,0.5\nRUS,USX,1\n"),
            "t.csv:3:5: unknown member code 'USX' in a tie (did you mean 'USA'?)");
  EXPECT_EQ(ties_error("from,to,weight\n,USA,0.5\n"),
            "t.csv:2:1: expected a member code for 'from', got nothing");
  EXPECT_EQ(error("code,name,x1\nUSA,United States,1\nRUS,Russia,2\nUSA,Again,3\n"),
            "m.csv:4:1: duplicate member code 'USA' (first given at line 2)");
  EXPECT_EQ(error("code,name,x1,blocs\nUSA,United States,1,WEOG;NATO\n"),
            "m.csv:2:26: bloc 'NATO' is not declared under 'blocs:'");
}

// The `to` codes are looked up several records late (their slots prefetched): every tie of
// a long table still gets its own member, and the first bad record is the one reported,
// wherever it falls in the lookups pending and whatever follows it.
TEST_F(Tables, LateLookupsKeepEveryTieAndTheFirstError) {
  const std::array<std::string_view, 3> codes = {"USA", "RUS", "FRA"};
  std::string ties = "from,to,weight\n";
  for (int k = 0; k < 100; ++k) {
    ties += fmt::format("{},{},1\n", codes[static_cast<std::size_t>(k % 3)],
                        codes[static_cast<std::size_t>((k * 7 + 1) % 3)]);
  }
  dir_.write("m.csv", kMembers);
  dir_.write("t.csv", ties);
  const Scenario s = load_scenario(dir_.write("s.yaml", kScenario));
  ASSERT_EQ(s.ties.size(), 100u);
  for (int k = 0; k < 100; ++k) {
    EXPECT_EQ(s.ties[static_cast<std::size_t>(k)].from, k % 3) << k;
    EXPECT_EQ(s.ties[static_cast<std::size_t>(k)].to, (k * 7 + 1) % 3) << k;
  }
  for (const int bad : {2, 17, 18, 40, 101}) {
    std::string text = "from,to,weight\n";
    for (int line = 2; line <= 101; ++line) {
      if (line == bad) {
        text += "FRA,USX,1\n";
      } else if (line > bad && line % 5 == 0) {
        text += "RUS,USA,x\n";  // a later bad weight
      } else if (line > bad && line % 7 == 0) {
        text += "RUS,RUX,1\n";  // a later unknown code
      } else {
        text += "RUS,USA,1\n";
      }
    }
    EXPECT_EQ(ties_error(text), fmt::format("t.csv:{}:5: unknown member code 'USX' in a tie "
                                            "(did you mean 'USA'?)",
                                            bad))
        << bad;
  }
}

TEST_F(Tables, WrongColumnCounts) {
  EXPECT_EQ(ties_error("from,to,weight\nFRA,USA\n"),
            "t.csv:2:5: expected 3 fields as in the header (from,to,weight), got 2 (quote a "
            "field that holds a comma)");
  EXPECT_EQ(error("code,name,x1\nUSA,United States, Inc.,1\n"),
            "m.csv:2:25: expected 3 fields as in the header (code,name,x1), got 4 (quote a "
            "field that holds a comma)");
}

TEST_F(Tables, MissingOrBadHeaders) {
  EXPECT_EQ(ties_error(""), "t.csv: the file is empty (expected a header line naming the columns)");
  EXPECT_EQ(ties_error("FRA,USA,0.5\n"),
            "t.csv:1:1: unknown column 'FRA' in the header (a ties table has the header "
            "'from,to,weight')");
  EXPECT_EQ(ties_error("from,to\nFRA,USA\n"),
            "t.csv:1:1: the header has no 'weight' column (a ties table has the header "
            "'from,to,weight')");
  EXPECT_EQ(ties_error("from,to,wieght\nFRA,USA,1\n"),
            "t.csv:1:9: unknown column 'wieght' in the header (did you mean 'weight'?) (a "
            "ties table has the header 'from,to,weight')");
  EXPECT_EQ(error("USA,United States,0.9\n"),
            "m.csv:1:1: unknown column 'USA' in the header (expected 'code', 'name', 'x1', "
            "'x2', 'x3', 'se1', 'se2', 'se3', 'clout', 'absence', 'abstain_habit', 'votes', "
            "'group' or 'blocs')");
  EXPECT_EQ(error("code,x1\nUSA,1\n"),
            "m.csv:1:1: the header has no 'name' column (a members table starts with a header "
            "such as 'code,name,x1,x2,clout,absence,blocs')");
  EXPECT_EQ(error("code,name,x2\nUSA,United States,1\n"),
            "m.csv:1:11: column 'x2' without 'x1' (position columns are x1, x2, x3 in turn; "
            "standard errors se1, se2, se3)");
  EXPECT_EQ(error("code,name,code\nUSA,United States,1\n"),
            "m.csv:1:11: column 'code' is named twice in the header (first as column 1)");
}

TEST_F(Tables, PartialPositionsAndUtf8) {
  EXPECT_EQ(error("code,name,x1,x2\nUSA,United States,0.5,\n"),
            "m.csv:2:23: member 'USA' has 1 of 2 coordinates (give every one, or leave them "
            "all empty for no position)");
  EXPECT_EQ(error("code,name,x1\nUSA,Unit\xff"
                  "d States,0.5\n"),
            "m.csv:2:9: the line is not valid UTF-8 (save the file as UTF-8)");
  EXPECT_EQ(error("code,name,x1\nUSA,\"United States,0.5\n"),
            "m.csv:2:5: unterminated quoted field (a closing '\"' is missing)");
}

TEST_F(Tables, MissingFilesAndWrongSpecs) {
  dir_.write("m.csv", kMembers);
  const std::string yaml = std::string(kScenario).replace(kScenario.find("t.csv"), 5, "no.csv");
  const std::string text = testing_loader::error_of_file(dir_.write("s.yaml", yaml));
  EXPECT_EQ(text, (dir_.path() / "no.csv").string() +
                      ": cannot read the file: No such file or directory (the path is relative "
                      "to the scenario file's directory)");
  EXPECT_EQ(testing_loader::error_of("name: x\nmembers: {file: m.csv, include: y.yaml}\n"
                                     "drafts: [{id: D, sponsors: [A], closes: 2}]\n"),
            "<string>:2:17: give 'include' (a YAML member list) or 'file' (a members table), "
            "not both");
  EXPECT_EQ(testing_loader::error_of("name: x\nmembers: {fil: m.csv}\n"),
            "<string>:2:11: unknown key 'fil' (did you mean 'file'?)");
}

TEST(TableReader, ParsesNumbersAsTheYamlReaderDoes) {
  for (const char* text : {"1", "-1.5", "+2", ".5", "5.", "1e-3", "2E+10", "1e-320"}) {
    double value = 0;
    ASSERT_TRUE(table::parse_double(text, value)) << text;
    EXPECT_EQ(value, *parse_number(text)) << text;
  }
  for (const char* text : {"", "-", "inf", "nan", "infinity", "0x10", "1e999", "1,5", "e3"}) {
    double value = 0;
    EXPECT_FALSE(table::parse_double(text, value)) << text;
  }
}

}  // namespace
}  // namespace plenary
