#pragma once
// End-to-end tests of the `plenary` program: a fixture with a fresh temporary directory per
// test and a way to run the program from the source directory, capturing its exit status,
// standard output and standard error. Needs PLENARY_SOURCE_DIR and PLENARY_EXE defined.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace plenary::testing {

namespace fs = std::filesystem;

/// What one run of the program did.
struct Outcome {
  int status = -1;
  std::string out;
  std::string err;
};

/// The whole file as bytes ("" if it cannot be read).
inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A test with its own empty directory, removed afterwards.
class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("plenary-e2e-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name() + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  /// Runs the program with `args` (shell words) from the source directory.
  Outcome plenary(const std::string& args) const {
    const fs::path err = dir_ / "stderr.txt";
    const std::string command =
        "cd '" PLENARY_SOURCE_DIR "' && '" PLENARY_EXE "' " + args + " 2>'" + err.string() + "'";
    Outcome o;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return o;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) o.out.append(buffer, n);
    const int raw = ::pclose(pipe);
    o.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    o.err = read_file(err);
    return o;
  }

  /// Writes `text` to `name` in the test's directory and returns its path.
  fs::path write(const std::string& name, const std::string& text) const {
    const fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p;
  }

  fs::path dir_;
};

}  // namespace plenary::testing
