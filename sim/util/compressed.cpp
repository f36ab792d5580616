#include "plenary/util/compressed.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

#include "plenary/util/error.hpp"

namespace plenary {

namespace fs = std::filesystem;

namespace {

// The 1-based line of the first `size` bytes of `text` that holds their last byte: the last
// line decompressed, whole or in part, before the damage.
int line_at_end(const std::string& text, std::size_t size) {
  const auto end = text.begin() + static_cast<std::ptrdiff_t>(size);
  const auto breaks = std::count(text.begin(), end, '\n');
  const auto line = size > 0 && text[size - 1] == '\n' ? breaks : breaks + 1;
  return static_cast<int>(std::min<std::ptrdiff_t>(line, INT_MAX));
}

constexpr std::string_view kCopyAgain =
    "copy or download the file again (`gzip -t FILE` checks a copy), or decompress a good copy "
    "with `gunzip`";

// inflate() over the whole input, with an end guard so that nothing leaks on a throw.
class Inflater {
 public:
  Inflater() {
    // 15 + 16: a 32 KiB window and a gzip header and trailer (not zlib's or raw deflate).
    if (inflateInit2(&z_, 15 + 16) != Z_OK) throw std::bad_alloc();
  }
  ~Inflater() { inflateEnd(&z_); }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  z_stream* operator->() { return &z_; }
  z_stream* get() { return &z_; }

 private:
  z_stream z_{};
};

}  // namespace

bool is_gzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

std::string gunzip(std::string_view compressed, const std::string& name, std::size_t max_bytes) {
  Inflater z;
  // One byte of room beyond the limit tells "exactly max_bytes" from "more".
  const std::size_t room = max_bytes + 1;
  const auto too_large = [&](const std::string& out, std::size_t produced) {
    return DataError({name, line_at_end(out, produced), 0},
                     fmt::format("the gzip data decompresses to more than {} MB, more than any "
                                 "data file plenary reads; is this the right file?",
                                 max_bytes >> 20));
  };
  std::string out;
  out.resize(std::min(room, std::max<std::size_t>(compressed.size() * 4, 4096)));
  std::size_t produced = 0;
  std::size_t consumed = 0;
  // zlib counts in 32-bit unsigned ints: feed and drain in pieces of at most 1 GiB.
  constexpr std::size_t kPiece = std::size_t{1} << 30;
  while (true) {
    if (produced == out.size()) {
      if (out.size() >= room) throw too_large(out, produced);
      out.resize(std::min(room, out.size() * 2));
    }
    const std::size_t in_piece = std::min(kPiece, compressed.size() - consumed);
    const std::size_t out_piece = std::min(kPiece, out.size() - produced);
    z->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data() + consumed));
    z->avail_in = static_cast<uInt>(in_piece);
    z->next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    z->avail_out = static_cast<uInt>(out_piece);
    const int rc = inflate(z.get(), Z_NO_FLUSH);
    consumed += in_piece - z->avail_in;
    produced += out_piece - z->avail_out;
    if (rc == Z_STREAM_END) {
      if (consumed == compressed.size()) break;
      // Another gzip member may follow (concatenated files); anything else is damage.
      if (!is_gzip(compressed.substr(consumed))) {
        throw DataError({name, line_at_end(out, produced), 0},
                        fmt::format("{} bytes that are not gzip data follow the end of the "
                                    "compressed text; {}",
                                    compressed.size() - consumed, kCopyAgain));
      }
      inflateReset(z.get());
      continue;
    }
    if (rc == Z_MEM_ERROR) throw std::bad_alloc();
    if (rc != Z_OK && rc != Z_BUF_ERROR) {  // Z_DATA_ERROR, or a dictionary gzip never uses
      throw DataError({name, line_at_end(out, produced), 0},
                      fmt::format("the gzip data is corrupt here ({}); {}",
                                  z->msg ? z->msg : "invalid data", kCopyAgain));
    }
    const bool no_progress =
        rc == Z_BUF_ERROR || (in_piece - z->avail_in == 0 && out_piece - z->avail_out == 0);
    if (consumed == compressed.size() && (no_progress || z->avail_out > 0)) {
      throw DataError({name, line_at_end(out, produced), 0},
                      fmt::format("the gzip data is truncated: the file ends inside the compressed "
                                  "text, here; {}",
                                  kCopyAgain));
    }
  }
  if (produced > max_bytes) throw too_large(out, produced);
  out.resize(produced);
  return out;
}

std::string read_data_file(const fs::path& path, std::size_t max_bytes) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    throw DataError(
        fmt::format("cannot read '{}': it is a directory, expected a file", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw DataError(
        fmt::format("cannot read '{}': {}", path.string(),
                    errno == ENOENT ? "no such file or not readable" : std::strerror(errno)));
  }
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) throw DataError(fmt::format("cannot read '{}': read failed", path.string()));
  if (is_gzip(bytes)) return gunzip(bytes, path.string(), max_bytes);
  if (bytes.size() > max_bytes) {
    throw DataError(
        fmt::format("cannot read '{}': it is {} MB, more than any data file plenary "
                    "reads ({} MB); is this the right file?",
                    path.string(), bytes.size() >> 20, max_bytes >> 20));
  }
  return bytes;
}

fs::path find_data_file(const fs::path& dir, std::string_view name) {
  const fs::path plain = dir / name;
  const fs::path gz = dir / (std::string(name) + ".gz");
  std::error_code ec;
  const bool has_plain = fs::exists(plain, ec);
  const bool has_gz = fs::exists(gz, ec);
  if (has_plain && has_gz) {
    throw DataError(
        fmt::format("both '{}' and '{}' exist and either could be meant; remove one "
                    "(or move it out of '{}')",
                    plain.string(), gz.string(), dir.string()));
  }
  if (has_gz) return gz;
  if (has_plain) return plain;
  throw DataError(fmt::format(
      "cannot read '{}' (or '{}'): no such file{}", plain.string(), gz.string(),
      fs::is_directory(dir, ec) ? ""
                                : fmt::format("; directory '{}' does not exist", dir.string())));
}

}  // namespace plenary
