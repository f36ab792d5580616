#include "plenary/util/compressed.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "plenary/util/error.hpp"
#include "support/gzip.hpp"

namespace plenary {
namespace {

namespace fs = std::filesystem;
using testing::gzip_text;

// A header and n - 1 numbered lines: enough text that a cut in the middle of the gzip data
// lands inside the compressed text rather than in its header.
std::string numbered_lines(int n) {
  std::string text = "rcid,country_code,country,vote\n";
  for (int i = 1; i < n; ++i) text += std::to_string(i) + ",NA,Namibia,yes\n";
  return text;
}

// The message of the DataError that `f` throws, or a failure.
template <class F>
std::string data_error(F f) {
  try {
    f();
  } catch (const DataError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a DataError";
  return "";
}

class CompressedFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("plenary_compressed_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& bytes) const {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
    return dir_ / name;
  }
  fs::path dir_;
};

TEST(Gzip, RecognisesTheMagicNumberNotTheName) {
  EXPECT_TRUE(is_gzip(gzip_text("x")));
  EXPECT_FALSE(is_gzip("rcid,vote\n"));
  EXPECT_FALSE(is_gzip(""));
  EXPECT_FALSE(is_gzip("\x1f"));
}

TEST(Gzip, RoundTripsTextAndConcatenatedMembers) {
  const std::string text = numbered_lines(1000);
  EXPECT_EQ(gunzip(gzip_text(text), "v.csv.gz"), text);
  EXPECT_EQ(gunzip(gzip_text(""), "v.csv.gz"), "");
  // `cat a.gz b.gz > c.gz` decompresses to the two texts in a row, as gzip -d does.
  EXPECT_EQ(gunzip(gzip_text("a,b\n") + gzip_text("1,2\n"), "v.csv.gz"), "a,b\n1,2\n");
}

TEST(Gzip, OutputGrowsPastTheFirstGuess) {
  // Highly compressible: the output is far larger than four times the input.
  const std::string text(5'000'000, 'y');
  EXPECT_EQ(gunzip(gzip_text(text), "y.gz"), text);
}

TEST(Gzip, TruncatedDataNamesTheFileAndLine) {
  const std::string text = numbered_lines(2000);
  const std::string gz = gzip_text(text);
  const std::string message = data_error([&] { gunzip(gz.substr(0, gz.size() / 2), "v.csv.gz"); });
  EXPECT_TRUE(message.starts_with("v.csv.gz:")) << message;
  EXPECT_NE(message.find(": the gzip data is truncated: the file ends inside the compressed "
                         "text, here; copy or download the file again (`gzip -t FILE` checks a "
                         "copy), or decompress a good copy with `gunzip`"),
            std::string::npos)
      << message;
  // The line is where the text stops: well inside the file, not its first line.
  const int line = std::stoi(message.substr(std::string("v.csv.gz:").size()));
  EXPECT_GT(line, 1);
  EXPECT_LT(line, 2000);
  // Cut inside the 8-byte trailer (CRC and length) or the 10-byte header: still truncated.
  EXPECT_NE(data_error([&] { gunzip(gz.substr(0, gz.size() - 3), "v.csv.gz"); }).find("truncated"),
            std::string::npos);
  EXPECT_NE(data_error([&] { gunzip(gz.substr(0, 5), "v.csv.gz"); }).find("truncated"),
            std::string::npos);
}

TEST(Gzip, CorruptDataAndWrongChecksumAreErrors) {
  const std::string text = numbered_lines(2000);
  std::string gz = gzip_text(text);
  std::string bad_crc = gz;
  bad_crc[gz.size() - 8] = static_cast<char>(bad_crc[gz.size() - 8] ^ 0x55);
  EXPECT_EQ(data_error([&] { gunzip(bad_crc, "v.csv.gz"); }),
            "v.csv.gz:2000: the gzip data is corrupt here (incorrect data check); copy or "
            "download the file again (`gzip -t FILE` checks a copy), or decompress a good copy "
            "with `gunzip`");
  std::string bad_method = gz;
  bad_method[2] = 7;  // compression method 7 does not exist
  EXPECT_EQ(data_error([&] { gunzip(bad_method, "v.csv.gz"); }),
            "v.csv.gz:1: the gzip data is corrupt here (unknown compression method); copy or "
            "download the file again (`gzip -t FILE` checks a copy), or decompress a good copy "
            "with `gunzip`");
}

TEST(Gzip, BytesAfterTheDataAreAnError) {
  EXPECT_EQ(data_error([&] { gunzip(gzip_text("a\nb\n") + "junk", "v.csv.gz"); }),
            "v.csv.gz:2: 4 bytes that are not gzip data follow the end of the compressed text; "
            "copy or download the file again (`gzip -t FILE` checks a copy), or decompress a "
            "good copy with `gunzip`");
}

TEST(Gzip, RefusesToDecompressBeyondTheLimit) {
  const std::string gz = gzip_text(std::string(3 << 20, 'y'));
  EXPECT_EQ(gunzip(gz, "y.gz", 3 << 20).size(), std::size_t{3} << 20);
  const std::string message = data_error([&] { gunzip(gz, "y.gz", 2 << 20); });
  EXPECT_NE(message.find("the gzip data decompresses to more than 2 MB, more than any data file "
                         "plenary reads; is this the right file?"),
            std::string::npos)
      << message;
}

TEST_F(CompressedFile, ReadsPlainAndGzipFilesAlike) {
  const std::string text = numbered_lines(50);
  EXPECT_EQ(read_data_file(write("plain.csv", text)), text);
  EXPECT_EQ(read_data_file(write("packed.csv.gz", gzip_text(text))), text);
  // An empty file is empty text, whichever its name: the reader says what it expected.
  EXPECT_EQ(read_data_file(write("empty.csv.gz", "")), "");
}

TEST_F(CompressedFile, ReadErrorsNameTheFile) {
  const std::string gz = gzip_text(numbered_lines(2000));
  const fs::path cut = write("votes.csv.gz", gz.substr(0, gz.size() / 2));
  EXPECT_TRUE(data_error([&] { read_data_file(cut); }).starts_with(cut.string() + ":"));
  EXPECT_EQ(data_error([&] { read_data_file(dir_ / "none.csv"); }),
            "cannot read '" + (dir_ / "none.csv").string() + "': no such file or not readable");
  EXPECT_EQ(data_error([&] { read_data_file(dir_); }),
            "cannot read '" + dir_.string() + "': it is a directory, expected a file");
}

TEST_F(CompressedFile, FindsThePlainOrTheCompressedFormButNotBoth) {
  EXPECT_EQ(data_error([&] { find_data_file(dir_, "votes.csv"); }),
            "cannot read '" + (dir_ / "votes.csv").string() + "' (or '" +
                (dir_ / "votes.csv.gz").string() + "'): no such file");
  write("votes.csv.gz", gzip_text("x\n"));
  EXPECT_EQ(find_data_file(dir_, "votes.csv"), dir_ / "votes.csv.gz");
  write("votes.csv", "x\n");
  EXPECT_EQ(data_error([&] { find_data_file(dir_, "votes.csv"); }),
            "both '" + (dir_ / "votes.csv").string() + "' and '" +
                (dir_ / "votes.csv.gz").string() +
                "' exist and either could be meant; remove one (or move it out of '" +
                dir_.string() + "')");
  fs::remove(dir_ / "votes.csv.gz");
  EXPECT_EQ(find_data_file(dir_, "votes.csv"), dir_ / "votes.csv");
  EXPECT_EQ(data_error([&] { find_data_file(dir_ / "nowhere", "votes.csv"); }),
            "cannot read '" + (dir_ / "nowhere" / "votes.csv").string() + "' (or '" +
                (dir_ / "nowhere" / "votes.csv.gz").string() + "'): no such file; directory '" +
                (dir_ / "nowhere").string() + "' does not exist");
}

}  // namespace
}  // namespace plenary
