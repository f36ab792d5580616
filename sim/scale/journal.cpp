// The journal of a sweep (include/plenary/scale/journal.hpp).

#include "plenary/scale/journal.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>
#include <vector>

#include "plenary/util/error.hpp"
#include "plenary/util/text.hpp"

namespace plenary::scale {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMagic = "# plenary sweep journal";

int open_for_append(const fs::path& path, int extra_flags) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC | extra_flags, 0644);
  if (fd < 0) {
    throw DataError(fmt::format("cannot write the sweep journal '{}': {}", path.string(),
                                std::strerror(errno)));
  }
  return fd;
}

void write_all(int fd, const fs::path& path, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw DataError(fmt::format("cannot write the sweep journal '{}': {}", path.string(),
                                  std::strerror(errno)));
    }
    done += static_cast<std::size_t>(n);
  }
}

// The `key=value` fields of an identity line, tab-separated after the magic.
std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    const std::size_t tab = std::min(line.find('\t', start), line.size());
    out.push_back(line.substr(start, tab - start));
    if (tab == line.size()) return out;
    start = tab + 1;
  }
}

[[noreturn]] void another_sweep(const fs::path& path, std::string_view theirs,
                                std::string_view ours) {
  const std::vector<std::string_view> a = fields(theirs);
  const std::vector<std::string_view> b = fields(ours);
  std::string difference;
  for (std::size_t k = 0; k < std::max(a.size(), b.size()); ++k) {
    // A sweep without --uncertainty writes no such field (its identity is as before).
    const std::string_view none = "uncertainty=none";
    const bool drawn = (k < a.size() && a[k].starts_with("uncertainty=")) ||
                       (k < b.size() && b[k].starts_with("uncertainty="));
    const std::string_view x = k < a.size() ? a[k] : drawn ? none : "(nothing)";
    const std::string_view y = k < b.size() ? b[k] : drawn ? none : "(nothing)";
    if (x != y) {
      difference = fmt::format("it has {} where this sweep has {}", x, y);
      break;
    }
  }
  throw DataError(fmt::format(
      "the journal '{}' belongs to a different sweep ({}); run that sweep with --resume, or "
      "delete the journal to start this one afresh",
      path.string(), difference));
}

// The point index a row starts with, or nullopt.
std::optional<std::size_t> row_point(std::string_view row) {
  const std::size_t comma = row.find(',');
  const std::optional<std::uint64_t> n = parse_unsigned(row.substr(0, comma));
  if (!n || row.substr(0, 1) == "+") return std::nullopt;
  return static_cast<std::size_t>(*n);
}

}  // namespace

std::string checksum(const std::string& text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return fmt::format("{:016x}", h);
}

fs::path Journal::path_for(const fs::path& output) {
  fs::path p = output;
  p += ".journal";
  return p;
}

Journal Journal::create(const fs::path& path, const std::string& identity) {
  std::error_code ec;
  if (fs::exists(path, ec)) {
    throw UsageError(fmt::format(
        "the journal '{}' of an unfinished sweep is in the way: add --resume to finish that "
        "sweep, or delete the journal to start afresh",
        path.string()));
  }
  // The identity line is written under a temporary name and linked to the journal's name
  // only once it is whole, so a process killed here never leaves a journal without its
  // first line (which a --resume would refuse); link(2) fails if the name exists.
  fs::path temporary = path;
  temporary += fmt::format(".{}.tmp", ::getpid());
  const int tfd = open_for_append(temporary, O_CREAT | O_TRUNC);
  try {
    write_all(tfd, path, std::string(kMagic) + "\t" + identity + "\n");
  } catch (...) {
    ::close(tfd);
    ::unlink(temporary.c_str());
    throw;
  }
  ::close(tfd);
  const int linked = ::link(temporary.c_str(), path.c_str());
  const int error = errno;
  ::unlink(temporary.c_str());
  if (linked != 0) {
    throw DataError(fmt::format("cannot write the sweep journal '{}': {}", path.string(),
                                std::strerror(error)));
  }
  return Journal(path, open_for_append(path, 0));
}

Journal Journal::resume(const fs::path& path, const std::string& identity, std::size_t points) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    throw UsageError(fmt::format(
        "--resume: there is no journal '{}' to resume (it is written beside --out while a "
        "sweep runs, and deleted when it finishes); run without --resume",
        path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (!in) throw DataError(fmt::format("cannot read the sweep journal '{}'", path.string()));
  const std::string text = buffer.str();

  const std::string header = std::string(kMagic) + "\t" + identity;
  const std::size_t first_end = text.find('\n');
  const std::string_view first =
      std::string_view(text).substr(0, first_end == std::string::npos ? text.size() : first_end);
  if (!first.starts_with(std::string(kMagic) + "\t") || first_end == std::string::npos) {
    throw DataError(
        fmt::format("'{}' is not a plenary sweep journal (its first line is not "
                    "'{}...'); delete it or give another --out",
                    path.string(), kMagic));
  }
  if (first != header) another_sweep(path, first.substr(kMagic.size() + 1), identity);

  Journal j(path, -1);
  std::size_t good_end = first_end + 1;
  int line_number = 1;
  for (std::size_t start = good_end; start < text.size();) {
    ++line_number;
    const std::size_t end = text.find('\n', start);
    const bool last = end == std::string::npos || end + 1 == text.size();
    const std::string_view line = std::string_view(text).substr(
        start, (end == std::string::npos ? text.size() : end) - start);
    const std::size_t tab = line.rfind('\t');
    bool ok = end != std::string::npos && tab != std::string_view::npos;
    std::optional<std::size_t> point;
    if (ok) {
      const std::string row(line.substr(0, tab));
      point = row_point(row);
      ok = checksum(row) == line.substr(tab + 1) && point && *point < points &&
           !j.rows_.contains(*point);
      if (ok) j.rows_.emplace(*point, row);
    }
    if (!ok) {
      if (!last) {
        throw DataError(
            fmt::format("the sweep journal '{}' is corrupt at line {}; delete it to start afresh",
                        path.string(), line_number));
      }
      j.dropped_ = true;
      break;
    }
    good_end = end + 1;
    start = end + 1;
  }
  if (good_end < text.size()) {
    fs::resize_file(path, good_end, ec);
    if (ec) {
      throw DataError(
          fmt::format("cannot repair the sweep journal '{}': {}", path.string(), ec.message()));
    }
  }
  j.fd_ = open_for_append(path, 0);
  return j;
}

Journal::Journal(Journal&& other) noexcept
    : path_(std::move(other.path_)),
      fd_(other.fd_),
      rows_(std::move(other.rows_)),
      dropped_(other.dropped_) {
  other.fd_ = -1;
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

void Journal::append(const std::string& row) {
  write_all(fd_, path_, row + "\t" + checksum(row) + "\n");
}

void Journal::remove() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::error_code ec;
  fs::remove(path_, ec);
}

}  // namespace plenary::scale
