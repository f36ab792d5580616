#pragma once
// Shared by the loader tests: the example scenario of the issue, a small base scenario to
// edit, and helpers that return an error's full text.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "plenary/scenario/loader.hpp"

namespace plenary::testing_loader {

namespace fs = std::filesystem;

inline const fs::path kData = fs::path(PLENARY_SOURCE_DIR) / "tests" / "scenario" / "data";

// The example of the issue, verbatim (also scenarios/example.yaml, with comments).
inline constexpr std::string_view kExample = R"(name: Two rival drafts, three members
members:
  - {code: USA, name: United States, position: [0.9, 0.1], clout: 3, blocs: [WEOG]}
  - {code: RUS, name: Russian Federation, position: [-0.8, 0.2], clout: 2, blocs: [EEG]}
  - {code: BRA, name: Brazil, position: [0.1, -0.3], absence: 0.05, blocs: [GRULAC]}
blocs:
  WEOG: {tie: 1.0}
  EEG: {}
  GRULAC: {}
ties:
  - {from: BRA, to: USA, weight: 0.5}
drafts:
  - id: GGE
    title: Advancing responsible State behaviour in cyberspace
    sponsors: [USA]
    position: sponsors
    closes: 10
    rivals: [OEWG]
  - id: OEWG
    sponsors: [RUS]
    position: [-0.7, 0.2]
    status_quo: [0, 0]
    closes: 10
    majority: simple
    lobbying: 1.5
    withdraw_below: 0.3
    parameters: {theta_peer: 2.0}
parameters: {theta_peer: 2.5, phi_fit: 2}
run: {replicates: 2000, seed: 7, thresholds: [2]}
)";

// A small valid scenario; the bad-input tests below are edits of it. Lines:
// 1 name, 2 members:, 3 USA, 4 RUS, 5 drafts:, 6 - id, 7 sponsors, 8 closes.
inline constexpr std::string_view kBase = R"(name: Base
members:
  - {code: USA, name: United States, position: [0.9, 0.1]}
  - {code: RUS, name: Russian Federation, position: [-0.8, 0.2]}
drafts:
  - id: GGE
    sponsors: [USA]
    closes: 10
)";

// The message of the error loading `yaml` throws (what(), with its location).
inline std::string error_of(std::string_view yaml) {
  try {
    load_scenario_text(yaml);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

inline std::string error_of_file(const fs::path& file) {
  try {
    load_scenario(file);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

// kBase with `from` replaced by `to` (which must be there exactly once).
inline std::string edit(std::string_view from, std::string_view to) {
  std::string text(kBase);
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

inline std::string error_of_edit(std::string_view from, std::string_view to) {
  return error_of(edit(from, to));
}

// A scratch directory for file tests, removed afterwards.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("plenary-loader-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  fs::path write(const std::string& name, std::string_view text) const {
    const fs::path file = path_ / name;
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

}  // namespace plenary::testing_loader
