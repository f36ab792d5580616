#pragma once
// The one progress line of the plenary commands, on standard error for long runs: shown
// only when standard error is a terminal, only after about a second, and at most ten times
// a second; cleared when done. A bar of units done (run, compare, sweep) or a line of the
// command's own (fit). Thread-safe.

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
      : total_(total),
        enabled_(enabled && ::isatty(STDERR_FILENO) != 0),
        unit_(unit),
        start_(Clock::now()) {}
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  ~Progress() { finish(); }

  /// Reports that `done` units are finished: shows the bar.
  void update(long done) {
    show([&](double seconds) { return bar(done, seconds); });
  }

  /// Shows the line `line(seconds since the start)` instead of the bar, under the same
  /// rules (`line` is called only when the line is due).
  template <class Line>
  void show(Line line) {
    if (!enabled_) return;
    const auto now = Clock::now();
    std::lock_guard<std::mutex> lock(mutex_);
    if (now - start_ < std::chrono::seconds(1) || now - last_ < std::chrono::milliseconds(100)) {
      return;
    }
    last_ = now;
    const std::string text = line(std::chrono::duration<double>(now - start_).count());
    fmt::print(stderr, "\r{}", text);
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

  std::string bar(long done, double seconds) const {
    const double rate = static_cast<double>(done) / seconds;
    const double left = rate > 0 ? static_cast<double>(total_ - done) / rate : 0;
    const int width = 30;
    const int filled =
        static_cast<int>(width * static_cast<double>(done) / static_cast<double>(total_));
    const std::string per = rate >= 10  ? fmt::format("{:.0f}/s", rate)
                            : rate >= 1 ? fmt::format("{:.1f}/s", rate)
                                        : fmt::format("{:.1f}/min", rate * 60);
    return fmt::format("[{:=<{}}{:<{}}] {}/{} {}, {}, {:.0f} s left ", "", filled, "",
                       width - filled, done, total_, unit_, per, left);
  }

  long total_;
  bool enabled_;
  const char* unit_;
  Clock::time_point start_;
  Clock::time_point last_{};
  std::mutex mutex_;
  bool shown_ = false;
};

}  // namespace plenary::cli
