#include "calibrate/csv.hpp"

#include <gtest/gtest.h>

#include "plenary/util/error.hpp"

namespace plenary::calibrate {
namespace {

std::vector<std::vector<std::string>> read_all(std::string text) {
  CsvReader in(std::move(text), "t.csv");
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> f;
  while (in.next(f)) rows.push_back(f);
  return rows;
}

using Rows = std::vector<std::vector<std::string>>;

TEST(CsvReader, PlainFieldsAndFinalNewline) {
  EXPECT_EQ(read_all("a,b\n1,2\n"), (Rows{{"a", "b"}, {"1", "2"}}));
  EXPECT_EQ(read_all("a,b\n1,2"), (Rows{{"a", "b"}, {"1", "2"}}));
}

TEST(CsvReader, QuotedCommasDoubledQuotesAndLineBreaks) {
  EXPECT_EQ(read_all("\"x, y\",\"say \"\"no\"\"\",\"two\nlines\"\n"),
            (Rows{{"x, y", "say \"no\"", "two\nlines"}}));
}

TEST(CsvReader, EmptyFieldsStayEmpty) {
  EXPECT_EQ(read_all(",,\n\"\",x,\n"), (Rows{{"", "", ""}, {"", "x", ""}}));
}

TEST(CsvReader, NamibiaIsNotMissing) {
  EXPECT_EQ(read_all("1,NA,Namibia,yes\n"), (Rows{{"1", "NA", "Namibia", "yes"}}));
}

TEST(CsvReader, CrlfLineEnds) {
  EXPECT_EQ(read_all("a,\"b\"\r\n1,\r\n"), (Rows{{"a", "b"}, {"1", ""}}));
}

TEST(CsvReader, ByteOrderMarkIsSkipped) {
  EXPECT_EQ(read_all("\xEF\xBB\xBFrcid,x\n"), (Rows{{"rcid", "x"}}));
}

TEST(CsvReader, TheDataFilesOddestField) {
  // roll_calls.csv, rcid 5: backslashes are ordinary characters; quotes are doubled.
  EXPECT_EQ(read_all("5,\"VOTING\\\\, IN.\\\"\"\"\"\"\n"), (Rows{{"5", "VOTING\\\\, IN.\\\"\""}}));
}

TEST(CsvReader, LineNumbersCountQuotedLineBreaks) {
  CsvReader in("a\n\"x\ny\"\nb\n", "t.csv");
  std::vector<std::string> f;
  ASSERT_TRUE(in.next(f));
  EXPECT_EQ(in.line(), 1);
  ASSERT_TRUE(in.next(f));
  EXPECT_EQ(in.line(), 2);
  ASSERT_TRUE(in.next(f));
  EXPECT_EQ(in.line(), 4);
}

TEST(CsvReader, UnterminatedQuoteIsAnError) {
  try {
    read_all("a\n\"open,\n");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(), "t.csv:2: quoted field is not closed before the end of the file");
  }
}

TEST(CsvReader, TextAfterClosingQuoteIsAnError) {
  try {
    read_all("\"a\"b,c\n");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(),
                 "t.csv:1: text after a closing quote; a quote inside a field must be doubled");
  }
}

TEST(CsvReader, MissingFileIsAnError) {
  try {
    CsvReader::open("/nonexistent/votes.csv");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_STREQ(e.what(), "cannot read '/nonexistent/votes.csv': no such file or not readable");
  }
}

TEST(RequireColumns, FindsColumnsInAnyOrderAndNamesTheMissingOne) {
  CsvReader in("", "v.csv");
  EXPECT_EQ(require_columns(in, {"vote", "rcid"}, {"rcid", "vote"}),
            (std::vector<std::size_t>{1, 0}));
  try {
    require_columns(in, {"rcid", "code"}, {"rcid", "vote"});
    FAIL();
  } catch (const DataError& e) {
    EXPECT_STREQ(
        e.what(),
        "v.csv:1: missing column 'vote': the header is 'rcid,code', expected columns rcid,vote");
  }
}

}  // namespace
}  // namespace plenary::calibrate
