#pragma once
/// Output files are written whole or not at all: into a temporary file beside the
/// target, then renamed over it.

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string_view>

namespace plenary {

/// Calls `write` with a stream on a temporary file in the target's directory, flushes it,
/// and renames it to `path`. On any failure (including an exception from `write`) the
/// temporary file is removed, the target is left untouched, and a DataError naming the
/// path is thrown.
void write_file_atomically(const std::filesystem::path& path,
                           const std::function<void(std::ostream&)>& write);

/// Throws DataError unless `path` could be written: its directory exists. Lets a command
/// refuse a bad output path before it spends minutes computing.
void check_writable(const std::filesystem::path& path);

/// Convenience overload for text already in memory.
void write_file_atomically(const std::filesystem::path& path, std::string_view contents);

}  // namespace plenary
