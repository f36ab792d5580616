// The journal of a sweep: rows survive, a cut last line is redone, other sweeps' journals
// and corrupt ones are refused.
#include "plenary/scale/journal.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "plenary/util/error.hpp"

namespace plenary::scale {
namespace {

namespace fs = std::filesystem;

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("plenary-journal-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = Journal::path_for(dir_ / "out.csv");
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string text() const {
    std::ifstream in(path_, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  void write(const std::string& t) const { std::ofstream(path_, std::ios::binary) << t; }

  fs::path dir_;
  fs::path path_;
};

TEST_F(JournalTest, RowsAreReadBackOnResume) {
  EXPECT_EQ(path_.filename(), "out.csv.journal");
  {
    Journal j = Journal::create(path_, "version=1\tseed=1");
    j.append("2,a,b");
    j.append("0,c,d");
  }
  Journal j = Journal::resume(path_, "version=1\tseed=1", 3);
  EXPECT_EQ(j.rows(), (std::map<std::size_t, std::string>{{0, "0,c,d"}, {2, "2,a,b"}}));
  EXPECT_FALSE(j.dropped_a_line());
  j.append("1,e,f");
  EXPECT_EQ(Journal::resume(path_, "version=1\tseed=1", 3).rows().size(), 3u);
  j.remove();
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(JournalTest, ACutLastLineIsDroppedAndTheFileRepaired) {
  { Journal::create(path_, "id").append("0,x"); }
  const std::string whole = text();
  write(whole + "1,y\t0123");  // a line cut by a crash
  {
    Journal j = Journal::resume(path_, "id", 2);
    EXPECT_TRUE(j.dropped_a_line());
    EXPECT_EQ(j.rows().size(), 1u);
    EXPECT_EQ(text(), whole);
    j.append("1,y");
  }
  EXPECT_EQ(Journal::resume(path_, "id", 2).rows().size(), 2u);
}

TEST_F(JournalTest, AnExistingJournalIsNotOverwritten) {
  { Journal::create(path_, "id"); }
  EXPECT_THROW(Journal::create(path_, "id"), UsageError);
}

TEST_F(JournalTest, ResumeWithoutAJournalIsRefused) {
  try {
    Journal::resume(path_, "id", 1);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("there is no journal"), std::string::npos) << e.what();
  }
}

TEST_F(JournalTest, AnotherSweepsJournalIsRefusedNamingTheDifference) {
  { Journal::create(path_, "version=1\treplicates=500\tseed=1"); }
  try {
    Journal::resume(path_, "version=1\treplicates=1000\tseed=1", 1);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "belongs to a different sweep (it has replicates=500 where this sweep has "
                  "replicates=1000)"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(JournalTest, CorruptJournalsAreRefused) {
  write("not a journal\n");
  EXPECT_THROW(Journal::resume(path_, "id", 1), DataError);
  {
    fs::remove(path_);
    Journal::create(path_, "id").append("0,x");
  }
  const std::string good = text();
  write(good + "1,y\tffffffffffffffff\n" + good.substr(good.find('\n') + 1));
  EXPECT_THROW(Journal::resume(path_, "id", 2), DataError);  // a bad line in the middle
  const std::string row1 = "1,y\t" + checksum("1,y") + "\n";
  write(good + good.substr(good.find('\n') + 1) + row1);
  EXPECT_THROW(Journal::resume(path_, "id", 2), DataError);  // a point twice
  write(good + row1);  // a point not in the grid is dropped on the last line...
  EXPECT_TRUE(Journal::resume(path_, "id", 1).dropped_a_line());
  write(good + row1 + row1);
  EXPECT_THROW(Journal::resume(path_, "id", 1), DataError);  // ...not on the last line
  write(good);
  EXPECT_EQ(Journal::resume(path_, "id", 1).rows().size(), 1u);
}

}  // namespace
}  // namespace plenary::scale
