// The compact YAML document behind yaml::Node (yaml_util.hpp): built from yaml-cpp's parser
// events into flat arrays instead of yaml-cpp's node tree, which cost ~90 times a
// scenario's size in memory (bench/README.md, "Loading scenarios at scale").

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <unordered_map>

#include "scenario/yaml_util.hpp"

namespace plenary::yaml {

/// Every node of one document. A collection's children are contiguous in `children`
/// (a map's as key, value, key, value, ...); a scalar's text is text[first, first + count).
struct Document {
  struct Entry {
    NodeType type = NodeType::kUndefined;
    std::uint8_t tag = 0;  // index in `tags`
    std::int32_t line = -1;
    std::int32_t column = -1;
    std::uint32_t first = 0;
    std::uint32_t count = 0;
  };
  std::vector<Entry> nodes;
  std::vector<std::uint32_t> children;
  std::string text;
  std::vector<std::string> tags = {"?", "!"};
};

namespace {

constexpr std::uint32_t kUndefined = UINT32_MAX;

// Builds a Document from the events of one YAML document.
class Builder : public YAML::EventHandler {
 public:
  explicit Builder(Document& doc) : doc_(doc) {}
  std::uint32_t root = kUndefined;

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    add(NodeType::kNull, mark, "", anchor);
  }
  void OnAlias(const YAML::Mark&, YAML::anchor_t anchor) override {
    const auto it = anchors_.find(anchor);
    attach(it == anchors_.end() ? add_detached(NodeType::kNull, YAML::Mark(), "") : it->second);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    const std::uint32_t n = add(NodeType::kScalar, mark, tag, anchor);
    doc_.nodes[n].first = static_cast<std::uint32_t>(doc_.text.size());
    doc_.nodes[n].count = static_cast<std::uint32_t>(value.size());
    doc_.text += value;
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(add(NodeType::kSequence, mark, tag, anchor));
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(add(NodeType::kMap, mark, tag, anchor));
  }
  void OnMapEnd() override { close(); }

 private:
  std::uint8_t tag_index(const std::string& tag) {
    for (std::size_t k = 0; k < doc_.tags.size(); ++k) {
      if (doc_.tags[k] == tag) return static_cast<std::uint8_t>(k);
    }
    if (doc_.tags.size() == 255) return 1;  // more tags than any scenario: read as quoted
    doc_.tags.push_back(tag);
    return static_cast<std::uint8_t>(doc_.tags.size() - 1);
  }
  std::uint32_t add_detached(NodeType type, const YAML::Mark& mark, const std::string& tag) {
    Document::Entry e;
    e.type = type;
    e.tag = tag_index(tag.empty() ? "?" : tag);
    e.line = mark.line;
    e.column = mark.column;
    doc_.nodes.push_back(e);
    return static_cast<std::uint32_t>(doc_.nodes.size() - 1);
  }
  std::uint32_t add(NodeType type, const YAML::Mark& mark, const std::string& tag,
                    YAML::anchor_t anchor) {
    const std::uint32_t n = add_detached(type, mark, tag);
    if (anchor != YAML::NullAnchor) anchors_[anchor] = n;
    attach(n);
    return n;
  }
  void attach(std::uint32_t n) {
    if (open_.empty()) {
      if (root == kUndefined) root = n;
      return;
    }
    pending_[open_.size() - 1].push_back(n);
  }
  void open(std::uint32_t n) {
    open_.push_back(n);
    if (pending_.size() < open_.size()) pending_.emplace_back();
  }
  void close() {
    std::vector<std::uint32_t>& kids = pending_[open_.size() - 1];
    Document::Entry& e = doc_.nodes[open_.back()];
    e.first = static_cast<std::uint32_t>(doc_.children.size());
    e.count = static_cast<std::uint32_t>(e.type == NodeType::kMap ? kids.size() / 2 : kids.size());
    doc_.children.insert(doc_.children.end(), kids.begin(), kids.end());
    kids.clear();
    if (kids.capacity() > 4096) kids.shrink_to_fit();  // a long list's buffer is not kept
    open_.pop_back();
  }

  Document& doc_;
  std::vector<std::uint32_t> open_;
  std::vector<std::vector<std::uint32_t>> pending_;  // children of each open collection
  std::unordered_map<YAML::anchor_t, std::uint32_t> anchors_;
};

// Remembers where a second document starts.
class DocumentProbe : public YAML::EventHandler {
 public:
  YAML::Mark start;
  void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

NodeType Node::Type() const {
  if (!doc_ || index_ == kUndefined) return NodeType::kUndefined;
  return doc_->nodes[index_].type;
}

std::string_view Node::Scalar() const {
  if (!IsScalar()) return {};
  const Document::Entry& e = doc_->nodes[index_];
  return std::string_view(doc_->text).substr(e.first, e.count);
}

std::string_view Node::Tag() const {
  if (!IsDefined()) return {};
  return doc_->tags[doc_->nodes[index_].tag];
}

Mark Node::GetMark() const {
  if (!IsDefined()) return {};
  const Document::Entry& e = doc_->nodes[index_];
  return Mark{e.line, e.column};
}

std::size_t Node::size() const { return IsSequence() || IsMap() ? doc_->nodes[index_].count : 0; }

Node Node::item(std::size_t k) const {
  return Node(doc_, doc_->children[doc_->nodes[index_].first + k]);
}

std::pair<Node, Node> Node::pair(std::size_t k) const {
  const std::size_t at = doc_->nodes[index_].first + 2 * k;
  return {Node(doc_, doc_->children[at]), Node(doc_, doc_->children[at + 1])};
}

Node Node::operator[](std::string_view key) const {
  for (std::size_t k = 0; k < size() && IsMap(); ++k) {
    auto [name, value] = pair(k);
    if (name.IsScalar() && name.Scalar() == key) return value;
  }
  return Node(doc_, kUndefined);
}

Node parse_document(std::string_view text, const std::string& file) {
  auto doc = std::make_shared<Document>();
  Builder builder(*doc);
  try {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    // Exactly one document: a second is looked for with the same parser (not
    // YAML::LoadAll, which in yaml-cpp 0.7 can loop forever on some malformed inputs).
    if (parser.HandleNextDocument(builder)) {
      DocumentProbe probe;
      if (parser.HandleNextDocument(probe)) {
        throw ScenarioError(SourceLocation{file, probe.start.line + 1, probe.start.column + 1},
                            "a second YAML document starts here; the file must hold exactly one "
                            "(remove the '---' line and what follows, or split the file)");
      }
    }
  } catch (const YAML::Exception& e) {
    const int line = e.mark.is_null() ? 0 : e.mark.line + 1;
    const int column = e.mark.is_null() ? 0 : e.mark.column + 1;
    throw ScenarioError(SourceLocation{file, line, column}, "invalid YAML: " + e.msg);
  }
  if (builder.root == kUndefined) {
    // An empty text is a null document, as YAML::Load gives.
    doc->nodes.push_back(Document::Entry{NodeType::kNull, 0, -1, -1, 0, 0});
    builder.root = 0;
  }
  return Node(std::move(doc), builder.root);
}

}  // namespace plenary::yaml
