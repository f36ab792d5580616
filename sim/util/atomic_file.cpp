#include "plenary/util/atomic_file.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include "plenary/util/error.hpp"

namespace plenary {

namespace fs = std::filesystem;

void check_writable(const fs::path& path) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw DataError(fmt::format("cannot write '{}': directory '{}' does not exist", path.string(),
                                dir.string()));
  }
  if (fs::is_directory(path, ec)) {
    throw DataError(fmt::format("cannot write '{}': it is a directory", path.string()));
  }
}

void write_file_atomically(const fs::path& path, const std::function<void(std::ostream&)>& write) {
  static std::atomic<unsigned> counter{0};
  check_writable(path);
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::error_code ec;
  const fs::path tmp =
      dir / fmt::format(".{}.tmp.{}.{}", path.filename().string(), ::getpid(), counter++);
  try {
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      if (!out) {
        throw DataError(fmt::format("cannot write '{}': {}", path.string(), std::strerror(errno)));
      }
      errno = 0;
      write(out);
      out.flush();
      if (!out) {
        // errno says why (a full disk, a file-size limit) when the stream's write failed.
        throw DataError(fmt::format("cannot write '{}': {}; nothing was written", path.string(),
                                    errno != 0 ? std::strerror(errno) : "write failed"));
      }
    }
    fs::rename(tmp, path, ec);
    if (ec) {
      throw DataError(fmt::format("cannot write '{}': {}", path.string(), ec.message()));
    }
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
}

void write_file_atomically(const fs::path& path, std::string_view contents) {
  write_file_atomically(path, [&](std::ostream& out) {
    out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  });
}

}  // namespace plenary
