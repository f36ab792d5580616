#pragma once
/// Errors a user can fix: bad scenarios, bad data files, bad flags.
/// `main` catches `plenary::Error` once, prints `what()` and exits with status 2.
/// Broken invariants are bugs and use PLENARY_ASSERT instead.

#include <stdexcept>
#include <string>

namespace plenary {

/// Where in an input file something is. `line` and `column` are 1-based; 0 means unknown.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

/// Formats a location as `file:line:column`, leaving out the parts that are unknown.
std::string to_string(const SourceLocation& where);

/// Base of every user-fixable error. The exit status for all of them is 2.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message), message_(message) {}
  Error(SourceLocation where, const std::string& message);
  /// The message without the location prefix.
  const std::string& message() const { return message_; }
  const SourceLocation& where() const { return where_; }

 private:
  SourceLocation where_;
  std::string message_;
};

/// A scenario file (or an override of one) is malformed or inconsistent.
class ScenarioError : public Error {
 public:
  using Error::Error;
};

/// A data file (votes, agreement scores, member lists) is missing or malformed.
class DataError : public Error {
 public:
  using Error::Error;
};

/// The command line asks for something impossible (a wrong flag value, a bad --set).
class UsageError : public Error {
 public:
  using Error::Error;
};

/// The exit status for every plenary::Error.
inline constexpr int kExitUserError = 2;

}  // namespace plenary
