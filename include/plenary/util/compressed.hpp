#pragma once
/// Data files may be gzip-compressed: the shipped roll calls are data/unga/*.csv.gz. Every
/// reader of a data file goes through read_data_file, which recognises gzip by its magic
/// number (not by the name) and decompresses in memory with zlib.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace plenary {

/// The largest text a data file may decompress to (1 GiB): far beyond any real data file,
/// small enough that a corrupt or malicious file cannot exhaust memory.
inline constexpr std::size_t kMaxDataFileBytes = std::size_t{1} << 30;

/// True if `bytes` starts with gzip's magic number (1f 8b).
bool is_gzip(std::string_view bytes);

/// Decompresses gzip data held in memory: one member or several in a row (what
/// `cat a.gz b.gz` makes). Throws DataError naming `name`, and the line of the decompressed
/// text where the damage starts, if the data is truncated or corrupt, if bytes that are not
/// gzip follow it, or if it would decompress to more than `max_bytes`.
std::string gunzip(std::string_view compressed, const std::string& name,
                   std::size_t max_bytes = kMaxDataFileBytes);

/// Reads a whole file, decompressing it if it is gzip. Throws DataError naming the file if it
/// is missing, unreadable, a directory, or broken gzip.
std::string read_data_file(const std::filesystem::path& path,
                           std::size_t max_bytes = kMaxDataFileBytes);

/// Where the data file `name` of directory `dir` is: `dir/name`, or else `dir/name.gz`. If
/// both exist the choice would be a guess, so it throws DataError naming both and asking to
/// remove one; if neither does, DataError naming both.
std::filesystem::path find_data_file(const std::filesystem::path& dir, std::string_view name);

}  // namespace plenary
