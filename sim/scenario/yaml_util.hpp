#pragma once
/// Strict YAML reading for scenario files: every value is read through a Field that knows
/// its file, key and position, so that every complaint names `file:line:column`, what is
/// wrong and what would be right. yaml-cpp's own conversions (`as<T>()`) are not used:
/// they accept `.nan`, hex, `yes` and quoted numbers, and silently keep the last of two
/// equal keys.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plenary/util/error.hpp"

namespace plenary::yaml {

/// Location of a node (yaml-cpp marks are 0-based; ours are 1-based, 0 when unknown).
SourceLocation location(const std::string& file, const YAML::Node& node);

/// How a node reads in a message: "a map", "a list", "nothing", or the scalar quoted.
std::string describe(const YAML::Node& node);

/// Parses `text` as at most one YAML document; an empty text gives a null node.
/// Throws ScenarioError for malformed YAML or a second document.
YAML::Node parse_document(std::string_view text, const std::string& file);

/// Reads a whole file into `bytes`, decompressing it if it is gzip; on failure (including
/// truncated or corrupt gzip) returns false and sets `error` to the reason.
bool read_file(const std::string& path, std::string& bytes, std::string& error);

class Map;

/// One value in a YAML file with the name it is reported under.
struct Field {
  std::string file;     ///< Display name of the file, for messages.
  std::string key;      ///< The key it is the value of (or the list it is an item of).
  YAML::Node key_node;  ///< The key (or the item itself), located when the value is empty.
  YAML::Node node;      ///< The value.

  /// Where the value is written (the key's position when the value is empty).
  SourceLocation where() const;
  /// Throws ScenarioError at where().
  [[noreturn]] void fail(const std::string& message) const;
  bool is_null() const { return node.IsNull(); }
  /// A plain (unquoted) scalar, e.g. for `position: sponsors`.
  bool is_plain_scalar() const;

  /// A finite number. `closes: 1e3` is a number; `"3"`, `.nan` and `three` are not.
  double number() const;
  /// A decimal integer fitting in an int.
  int integer() const;
  /// A non-negative decimal integer fitting in 64 bits.
  std::uint64_t unsigned_integer() const;
  /// Any scalar, as written (quoted or not); not empty, a map or a list.
  std::string string() const;
  /// `true` or `false` (also `True`, `TRUE`, ...): not YAML 1.1's `yes`/`on`.
  bool boolean() const;
  /// The items of a list, each reported under this field's key.
  std::vector<Field> list() const;
  /// A list of 1 to 3 finite numbers (a position in the policy space).
  std::vector<double> vector() const;
  /// The map with its keys checked against `allowed` (see Map).
  Map map(std::vector<std::string_view> allowed, std::string_view noun = "key",
          bool empty_is_map = false) const;
};

/// A map read strictly: keys are scalars, none given twice, all among `allowed` (any key
/// when `allowed` is empty); an unknown key is reported with the nearest allowed one.
class Map {
 public:
  /// Checks `self` is a map (or empty, when `empty_is_map`). `noun` names keys in messages:
  /// "unknown key 'x'" or "unknown parameter 'x'".
  Map(Field self, std::vector<std::string_view> allowed, std::string_view noun = "key",
      bool empty_is_map = false);

  /// The value of `key`, or nullptr when absent.
  const Field* find(std::string_view key) const;
  /// The value of `key`, or a ScenarioError "missing required key 'closes' in draft 'GGE'"
  /// at the map (`in` is "draft 'GGE'").
  const Field& require(std::string_view key, std::string_view in) const;
  /// Every entry, in file order.
  const std::vector<Field>& fields() const { return fields_; }
  const Field& self() const { return self_; }

 private:
  Field self_;
  std::vector<Field> fields_;
};

}  // namespace plenary::yaml
