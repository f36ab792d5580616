#include "plenary/util/error.hpp"

#include <fmt/format.h>

namespace plenary {

std::string to_string(const SourceLocation& where) {
  if (where.file.empty()) return {};
  if (where.line <= 0) return where.file;
  if (where.column <= 0) return fmt::format("{}:{}", where.file, where.line);
  return fmt::format("{}:{}:{}", where.file, where.line, where.column);
}

namespace {
std::string located(const SourceLocation& where, const std::string& message) {
  const std::string prefix = to_string(where);
  return prefix.empty() ? message : prefix + ": " + message;
}
}  // namespace

Error::Error(SourceLocation where, const std::string& message)
    : std::runtime_error(located(where, message)), where_(std::move(where)), message_(message) {}

}  // namespace plenary
