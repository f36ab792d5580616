#pragma once
// What the libFuzzer harnesses share (docs/reliability.md): a scratch directory for the
// readers that take a path, the input split into several files, and the contract's checks.
//
// The contract every harness enforces: the reader returns a value that passes validation,
// or throws a plenary::Error whose message says where (the file, or the flag). Anything
// else -- a crash, a sanitizer report, a hang, a leak, an exception of another type, a
// plenary::Error that does not say where -- is reported by fuzz_fail() or by libFuzzer.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "plenary/util/error.hpp"

namespace plenary::fuzz {

/// The input as text.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Reports a broken contract and aborts, so that libFuzzer saves the input.
[[noreturn]] inline void fuzz_fail(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "fuzz contract broken: %.*s\n%.*s\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(detail.size()), detail.data());
  std::abort();
}

/// Checks that a refusal names where the problem is: one of `places` (a file name, a flag)
/// must appear in the message.
inline void expect_place(const Error& e, std::initializer_list<std::string_view> places) {
  const std::string_view message = e.what();
  std::string names;
  for (std::string_view place : places) {
    if (message.find(place) != std::string_view::npos) return;
    names += (names.empty() ? "'" : " or '") + std::string(place) + "'";
  }
  fuzz_fail("the error does not say where (expected it to name " + names + ")", message);
}

/// A scratch directory of this process, removed at exit (in /dev/shm when there is one, so
/// that the readers that take a path cost no disk writes).
inline const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path base =
        fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
    std::string pattern = (base / "plenary-fuzz.XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) fuzz_fail("cannot create a scratch directory", "");
    static const std::string keep = pattern;
    std::atexit([] {
      std::error_code ignored;
      fs::remove_all(keep, ignored);
    });
    return fs::path(pattern);
  }();
  return dir;
}

/// Writes `bytes` to `name` in the scratch directory and returns its path.
inline std::filesystem::path write_scratch(const std::string& name, std::string_view bytes) {
  const std::filesystem::path path = scratch_dir() / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) fuzz_fail("cannot write a scratch file", path.string());
  return path;
}

/// The separator between the files of a multi-file input (listed in the dictionaries).
inline constexpr std::string_view kFileSeparator = "\n@@@@\n";

/// Splits the input into `n` parts at kFileSeparator; missing parts are empty, and the last
/// part keeps any further separators.
inline std::vector<std::string_view> split_files(std::string_view text, std::size_t n) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < n) {
    const std::size_t at = text.find(kFileSeparator);
    if (at == std::string_view::npos) break;
    parts.push_back(text.substr(0, at));
    text.remove_prefix(at + kFileSeparator.size());
  }
  parts.push_back(text);
  parts.resize(n);
  return parts;
}

/// Splits the input into lines (no line ends), for the parsers of command-line arguments.
inline std::vector<std::string> split_lines(std::string_view text, std::size_t max_lines) {
  std::vector<std::string> lines;
  while (!text.empty() && lines.size() < max_lines) {
    const std::size_t end = text.find('\n');
    lines.emplace_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

}  // namespace plenary::fuzz
