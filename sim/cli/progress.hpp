#pragma once
// A progress line on standard error for long runs: shown only when standard error is a
// terminal, only after about a second, and at most ten times a second. Thread-safe.

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

namespace plenary::cli {

class Progress {
 public:
  /// `total` units of work (`unit`: replicates, points); `enabled` false (e.g. --quiet)
  /// shows nothing.
  Progress(long total, bool enabled, const char* unit = "replicates")
      : total_(total), enabled_(enabled && ::isatty(STDERR_FILENO) != 0), unit_(unit),
        start_(Clock::now()) {}
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress() { finish(); }

  /// Reports that `done` units are finished.
  void update(long done) {
    if (!enabled_) return;
    const auto now = Clock::now();
    std::lock_guard<std::mutex> lock(mutex_);
    if (now - start_ < std::chrono::seconds(1) || now - last_ < std::chrono::milliseconds(100)) {
      return;
    }
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double rate = static_cast<double>(done) / seconds;
    const double left = rate > 0 ? static_cast<double>(total_ - done) / rate : 0;
    const int width = 30;
    const int filled = static_cast<int>(width * static_cast<double>(done) / static_cast<double>(total_));
    const std::string per = rate >= 10 ? fmt::format("{:.0f}/s", rate)
                                       : rate >= 1 ? fmt::format("{:.1f}/s", rate)
                                                   : fmt::format("{:.1f}/min", rate * 60);
    fmt::print(stderr, "\r[{:=<{}}{:<{}}] {}/{} {}, {}, {:.0f} s left ", "", filled, "",
               width - filled, done, total_, unit_, per, left);
    std::fflush(stderr);
    shown_ = true;
  }

  /// Clears the line (called by the destructor too).
  void finish() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!shown_) return;
    fmt::print(stderr, "\r{:<100}\r", "");
    std::fflush(stderr);
    shown_ = false;
  }

 private:
  using Clock = std::chrono::steady_clock;
  long total_;
  bool enabled_;
  const char* unit_;
  Clock::time_point start_;
  Clock::time_point last_{};
  std::mutex mutex_;
  bool shown_ = false;
};

}  // namespace plenary::cli
