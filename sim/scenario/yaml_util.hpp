#pragma once
/// Strict YAML reading for scenario files: every value is read through a Field that knows
/// its file, key and position, so that every complaint names `file:line:column`, what is
/// wrong and what would be right. yaml-cpp's own conversions (`as<T>()`) are not used:
/// they accept `.nan`, hex, `yes` and quoted numbers, and silently keep the last of two
/// equal keys.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plenary/util/error.hpp"

namespace plenary::yaml {

struct Document;

/// A 0-based position in a YAML file, as yaml-cpp's marks are; line -1 when unknown.
struct Mark {
  int line = -1;
  int column = -1;
  bool is_null() const { return line < 0; }
};

/// What a node is.
enum class NodeType : std::uint8_t { kUndefined, kNull, kScalar, kSequence, kMap };

/// A node of a parsed YAML document: a handle (a shared pointer to the document and an
/// index) that is cheap to copy. parse_document() builds the document from yaml-cpp's
/// parser events into flat arrays (about 20 bytes a node, scalars in one string), not
/// yaml-cpp's node tree (several hundred bytes a node), so that a scenario of millions
/// of ties loads within a few times its size (bench/README.md, "Loading scenarios at scale").
/// The names follow YAML::Node's, which this replaced in the loader.
class Node {
 public:
  Node() = default;
  Node(std::shared_ptr<const Document> doc, std::uint32_t index)
      : doc_(std::move(doc)), index_(index) {}

  NodeType Type() const;
  bool IsDefined() const { return Type() != NodeType::kUndefined; }
  bool IsNull() const { return Type() == NodeType::kNull; }
  bool IsScalar() const { return Type() == NodeType::kScalar; }
  bool IsSequence() const { return Type() == NodeType::kSequence; }
  bool IsMap() const { return Type() == NodeType::kMap; }
  explicit operator bool() const { return IsDefined(); }
  /// The scalar's text ("" for other nodes).
  std::string_view Scalar() const;
  /// "?" for a plain scalar, "!" for a quoted one, else the tag as written.
  std::string_view Tag() const;
  Mark GetMark() const;
  /// Items of a sequence, or pairs of a map (0 for other nodes).
  std::size_t size() const;
  /// Item k of a sequence.
  Node item(std::size_t k) const;
  /// Pair k of a map: its key and its value.
  std::pair<Node, Node> pair(std::size_t k) const;
  /// The value of the first pair whose key is the scalar `key`, or an undefined node.
  Node operator[](std::string_view key) const;

 private:
  std::shared_ptr<const Document> doc_;
  std::uint32_t index_ = 0;
};

/// Location of a node (yaml-cpp marks are 0-based; ours are 1-based, 0 when unknown).
SourceLocation location(const std::string& file, const Node& node);

/// How a node reads in a message: "a map", "a list", "nothing", or the scalar quoted.
std::string describe(const Node& node);

/// Parses `text` as at most one YAML document; an empty text gives a null node.
/// Throws ScenarioError for malformed YAML or a second document.
Node parse_document(std::string_view text, const std::string& file);

/// Reads a whole file into `bytes`, decompressing it if it is gzip; on failure (including
/// truncated or corrupt gzip) returns false and sets `error` to the reason.
bool read_file(const std::string& path, std::string& bytes, std::string& error);

class Map;

/// One value in a YAML file with the name it is reported under.
struct Field {
  std::string file;  ///< Display name of the file, for messages.
  std::string key;   ///< The key it is the value of (or the list it is an item of).
  Node key_node;     ///< The key (or the item itself), located when the value is empty.
  Node node;         ///< The value.

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
  /// The number of items of a list (or a ScenarioError), and item k: for long lists, one
  /// Field at a time.
  std::size_t list_size() const;
  Field item(std::size_t k) const;
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
