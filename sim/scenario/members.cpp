// Member lists: inline lists, `{include, positions}` files, bloc declarations, and the
// resolution of blocs and positions (docs/scenario-format.md, "Members").

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "plenary/util/sha256.hpp"
#include "plenary/util/text.hpp"
#include "scenario/loader_internal.hpp"

namespace plenary::loader {

namespace {

using yaml::Field;
using yaml::Map;

}  // namespace

Referenced resolve(const Field& f, const fs::path& dir) {
  const std::string written = f.string();
  if (written.empty()) f.fail(fmt::format("'{}' must name a file", f.key));
  Referenced out;
  out.written = written;
  out.path = (dir / written).lexically_normal();
  out.display = out.path.string();
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(out.path, ec);
  out.canonical = ec ? out.display : canonical.string();
  return out;
}

namespace {

// The single document of a referenced YAML file, or a ScenarioError at `f`.
yaml::Node read_yaml(const Field& f, const Referenced& file, std::string_view kind,
                     std::string_view expected, Context& ctx) {
  std::string bytes;
  std::string error;
  if (!yaml::read_file(file.path.string(), bytes, error)) {
    f.fail(fmt::format("cannot read {} '{}': {}", kind, file.display, error));
  }
  ctx.read_files.emplace_back(file.written, sha256_hex(bytes));
  yaml::Node root = yaml::parse_document(bytes, file.display);
  if (root.IsNull()) {
    throw ScenarioError(SourceLocation{file.display, 0, 0},
                        fmt::format("the {} is empty (expected a map with {})", kind, expected));
  }
  return root;
}

MemberEntry read_member(const Field& item, bool position_required) {
  static const std::vector<std::string_view> kKeys = {"code",  "name",    "position",      "clout",
                                                      "blocs", "absence", "abstain_habit", "votes",
                                                      "group", "data",    "position_se"};
  const Map map = item.map(kKeys);
  MemberEntry e;
  e.self = item.where();
  e.member.code = map.require("code", "a member").string();
  const std::string in = fmt::format("member '{}'", e.member.code);
  e.member.name = map.require("name", in).string();
  if (position_required) map.require("position", in);
  for (const Field& f : map.fields()) {
    e.spots[f.key] = f.where();
    if (f.key == "position") {
      e.member.position = to_vector(f.vector());
    } else if (f.key == "position_se") {
      e.member.position_se = to_vector(f.vector());
    } else if (f.key == "clout") {
      e.member.clout = f.number();
    } else if (f.key == "absence") {
      e.member.absence = f.number();
    } else if (f.key == "abstain_habit") {
      e.member.abstain_habit = f.number();
    } else if (f.key == "votes") {
      e.member.votes = f.boolean();
    } else if (f.key == "group") {
      e.member.group = f.string();
    } else if (f.key == "blocs") {
      for (const Field& b : f.list()) e.blocs.push_back(BlocRef{b.string(), b.where()});
    }
    // `data` is provenance for people; any YAML is accepted and none of it is read.
  }
  return e;
}

MemberList read_member_list(const Field& list, bool positions_required) {
  MemberList out;
  std::unordered_map<std::string, SourceLocation> first;
  const std::size_t n = list.list_size();
  out.entries.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    MemberEntry e = read_member(list.item(k), positions_required);
    const SourceLocation at = e.spots.at("code");
    const auto [it, inserted] = first.emplace(e.member.code, at);
    if (!inserted) {
      throw ScenarioError(at, fmt::format("duplicate member code '{}' (first given at line {})",
                                          e.member.code, it->second.line));
    }
    out.entries.push_back(std::move(e));
  }
  return out;
}

// Fills or overrides positions (and absences, abstention habits) by code from a positions
// file.
void apply_positions(MemberList& list, const Field& f, const fs::path& dir, Context& ctx) {
  const Referenced file = resolve(f, dir);
  const yaml::Node root = read_yaml(f, file, "positions file", "'positions'", ctx);
  const Map top = Field{file.display, "", root, root}.map({"positions", "description", "data"});
  const Field& items = top.require("positions", fmt::format("positions file '{}'", file.display));
  std::unordered_map<std::string_view, std::size_t> index;
  std::vector<std::string> codes;
  for (std::size_t k = 0; k < list.entries.size(); ++k) {
    index.emplace(list.entries[k].member.code, k);
    codes.push_back(list.entries[k].member.code);
  }
  std::unordered_map<std::string, int> first_line;
  for (const Field& item : items.list()) {
    const Map m = item.map({"code", "position", "absence", "abstain_habit", "data"});
    const Field& code_field = m.require("code", "a position entry");
    const std::string code = code_field.string();
    const auto it = index.find(code);
    if (it == index.end()) {
      code_field.fail(
          fmt::format("unknown member code '{}' in positions{}", code, did_you_mean(code, codes)));
    }
    const auto [seen, inserted] = first_line.emplace(code, code_field.where().line);
    if (!inserted) {
      code_field.fail(fmt::format("duplicate code '{}' in positions (first given at line {})", code,
                                  seen->second));
    }
    MemberEntry& e = list.entries[it->second];
    const Field& position = m.require("position", fmt::format("position entry '{}'", code));
    e.member.position = to_vector(position.vector());
    e.spots["position"] = position.where();
    if (const Field* absence = m.find("absence")) {
      e.member.absence = absence->number();
      e.spots["absence"] = absence->where();
    }
    if (const Field* habit = m.find("abstain_habit")) {
      e.member.abstain_habit = habit->number();
      e.spots["abstain_habit"] = habit->where();
    }
    // `data.se`, as plenary calibrate writes it, is the position's standard errors; the
    // rest of `data` is provenance and not read.
    if (const Field* data = m.find("data"); data != nullptr && data->node.IsMap()) {
      if (const yaml::Node se = data->node["se"]) {
        const Field se_field{data->file, "se", se, se};
        e.member.position_se = to_vector(se_field.vector());
        e.spots["position_se"] = se_field.where();
      }
    }
  }
}

MemberList read_include(const Field& f, const fs::path& dir, Context& ctx) {
  const Map spec = f.map({"include", "file", "positions"});
  const Field* table = spec.find("file");
  if (table != nullptr && spec.find("include") != nullptr) {
    table->fail("give 'include' (a YAML member list) or 'file' (a members table), not both");
  }
  if (table != nullptr) {
    const Referenced file = resolve(*table, dir);
    MemberList list = read_member_table(file.path, file.display, ctx, file.written);
    if (const Field* positions = spec.find("positions"))
      apply_positions(list, *positions, dir, ctx);
    return list;
  }
  const Field& include = spec.require("include", "'members'");
  const Referenced file = resolve(include, dir);
  for (std::size_t k = 0; k < ctx.chain_canonical.size(); ++k) {
    if (ctx.chain_canonical[k] != file.canonical) continue;
    std::string chain;
    for (std::size_t j = k; j < ctx.chain_display.size(); ++j)
      chain += ctx.chain_display[j] + " -> ";
    include.fail(fmt::format("include cycle: {}{}", chain, file.display));
  }
  const yaml::Node root = read_yaml(include, file, "included file", "'members'", ctx);
  const Map top =
      Field{file.display, "", root, root}.map({"members", "blocs", "name", "description"});
  const Field& members = top.require("members", fmt::format("included file '{}'", file.display));
  ctx.chain_display.push_back(file.display);
  ctx.chain_canonical.push_back(file.canonical);
  MemberList list = read_members(members, file.path.parent_path(), false, ctx);
  ctx.chain_display.pop_back();
  ctx.chain_canonical.pop_back();
  if (const Field* blocs = top.find("blocs")) merge_blocs(list.blocs, read_blocs(*blocs));
  for (std::string_view ignored : {"name", "description"}) {
    if (const Field* text = top.find(ignored)) text->string();
  }
  if (const Field* positions = spec.find("positions")) apply_positions(list, *positions, dir, ctx);
  return list;
}

void resolve_blocs(Scenario& s, const MemberList& list, const std::vector<BlocDecl>& decls,
                   Context& ctx) {
  std::unordered_map<std::string_view, int> index;
  std::vector<std::string> names;
  for (const BlocDecl& d : decls) {
    const int g = static_cast<int>(s.blocs.size());
    s.blocs.push_back(Bloc{d.name, d.tie, {}});
    index.emplace(d.name, g);
    names.push_back(d.name);
    ctx.where.record(Part::kBloc, g, "", d.where);
    ctx.where.record(Part::kBloc, g, "tie", d.tie_where);
  }
  for (std::size_t i = 0; i < list.entries.size(); ++i) {
    Member& m = s.members[i];
    for (const BlocRef& b : list.entries[i].blocs) {
      const std::string& name = b.name;
      const auto it = index.find(name);
      if (it == index.end()) {
        throw ScenarioError(b.where, fmt::format("bloc '{}' is not declared under 'blocs:'{}", name,
                                                 did_you_mean(name, names)));
      }
      if (std::find(m.blocs.begin(), m.blocs.end(), it->second) != m.blocs.end()) {
        throw ScenarioError(b.where,
                            fmt::format("bloc '{}' is listed twice for member '{}'", name, m.code));
      }
      m.blocs.push_back(it->second);
      s.blocs[it->second].members.push_back(static_cast<int>(i));
    }
  }
}

// The mean position of the positioned members sharing a bloc with member i, if any.
std::optional<Eigen::VectorXd> bloc_mean(const Scenario& s, int i,
                                         const std::vector<bool>& positioned) {
  std::vector<bool> counted(s.members.size(), false);
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(s.dims);
  int n = 0;
  for (int g : s.members[i].blocs) {
    for (int j : s.blocs[g].members) {
      if (!positioned[j] || counted[j]) continue;
      counted[j] = true;
      sum += s.members[j].position;
      ++n;
    }
  }
  if (n == 0) return std::nullopt;
  return sum / n;
}

void resolve_positions(Scenario& s, MissingPosition missing, const Field& members_field,
                       Context& ctx) {
  std::vector<bool> positioned(s.members.size());
  int ref = -1;
  for (std::size_t i = 0; i < s.members.size(); ++i) {
    const Member& m = s.members[i];
    positioned[i] = m.position.size() > 0;
    if (!positioned[i]) continue;
    if (ref < 0) {
      ref = static_cast<int>(i);
      s.dims = static_cast<int>(m.position.size());
    } else if (m.position.size() != s.dims) {
      const auto n = m.position.size();
      throw ScenarioError(ctx.where.locate(Part::kMember, static_cast<int>(i), "position"),
                          fmt::format("position of member '{}' has {} dimension{} but '{}' has {}",
                                      m.code, n, n == 1 ? "" : "s", s.members[ref].code, s.dims));
    }
  }
  if (ref < 0) {
    members_field.fail("no member has a position (give members a 'position', or a positions file)");
  }
  for (std::size_t i = 0; i < s.members.size(); ++i) {
    if (positioned[i]) continue;
    Member& m = s.members[i];
    const SourceLocation at = ctx.where.locate(Part::kMember, static_cast<int>(i), "");
    ctx.where.record(Part::kMember, static_cast<int>(i), "position", at);
    if (missing == MissingPosition::kOrigin) {
      m.position = Eigen::VectorXd::Zero(s.dims);
    } else if (missing == MissingPosition::kBlocMean) {
      std::optional<Eigen::VectorXd> mean = bloc_mean(s, static_cast<int>(i), positioned);
      if (!mean) {
        throw ScenarioError(at, fmt::format("member '{}' has no position and none of its blocs "
                                            "has a member with one (for 'missing_position: "
                                            "bloc_mean')",
                                            m.code));
      }
      m.position = std::move(*mean);
    } else {
      throw ScenarioError(at, fmt::format("member '{}' has no position (give it one, or set "
                                          "'missing_position: bloc_mean' or 'origin')",
                                          m.code));
    }
  }
}

}  // namespace

Eigen::VectorXd to_vector(const std::vector<double>& values) {
  Eigen::VectorXd out(static_cast<Eigen::Index>(values.size()));
  for (std::size_t k = 0; k < values.size(); ++k) out[static_cast<Eigen::Index>(k)] = values[k];
  return out;
}

MemberList read_members(const Field& members, const fs::path& dir, bool positions_required,
                        Context& ctx) {
  if (members.node.IsSequence()) return read_member_list(members, positions_required);
  if (members.node.IsMap()) return read_include(members, dir, ctx);
  members.fail(fmt::format(
      "expected a list of members, {{include: FILE, positions: FILE}} or {{file: FILE}} for "
      "'{}', got {}",
      members.key, yaml::describe(members.node)));
}

std::vector<BlocDecl> read_blocs(const Field& blocs) {
  std::vector<BlocDecl> out;
  const Map map = blocs.map({}, "bloc");
  for (const Field& f : map.fields()) {
    if (f.key.empty()) f.fail("a bloc name must not be empty");
    const Map spec = f.map({"tie", "name"}, "key", true);
    BlocDecl d{f.key, 1, yaml::location(f.file, f.key_node), yaml::location(f.file, f.key_node)};
    if (const Field* tie = spec.find("tie")) {
      d.tie = tie->number();
      d.tie_where = tie->where();
    }
    // A display name is accepted for people reading the file; the engine has no use for it.
    if (const Field* name = spec.find("name")) name->string();
    out.push_back(std::move(d));
  }
  return out;
}

void merge_blocs(std::vector<BlocDecl>& into, const std::vector<BlocDecl>& outer) {
  for (const BlocDecl& d : outer) {
    auto it =
        std::find_if(into.begin(), into.end(), [&](const BlocDecl& b) { return b.name == d.name; });
    if (it == into.end()) {
      into.push_back(d);
    } else {
      *it = d;
    }
  }
}

void install_members(Scenario& s, MemberList list, const std::vector<BlocDecl>& blocs,
                     MissingPosition missing, const Field& members_field, Context& ctx) {
  if (list.entries.empty())
    members_field.fail("the member list is empty (a scenario needs members)");
  s.members.reserve(list.entries.size());
  ctx.member_index.reserve(list.entries.size());
  for (std::size_t k = 0; k < list.entries.size(); ++k) {
    const int i = static_cast<int>(k);
    MemberEntry& e = list.entries[k];
    ctx.member_index.emplace(e.member.code, i);
    if (!list.from_table) ctx.where.record(Part::kMember, i, "", e.self);
    for (const auto& [key, at] : e.spots) ctx.where.record(Part::kMember, i, key, at);
    s.members.push_back(std::move(e.member));
  }
  resolve_blocs(s, list, blocs, ctx);
  resolve_positions(s, missing, members_field, ctx);
}

int member_code(const Scenario& s, const Field& f, std::string_view in, const Context& ctx) {
  const std::string code = f.string();
  const auto it = ctx.member_index.find(code);
  if (it != ctx.member_index.end()) return it->second;
  std::vector<std::string> codes;
  codes.reserve(s.members.size());
  for (const Member& m : s.members) codes.push_back(m.code);
  f.fail(fmt::format("unknown member code '{}' in {}{}", code, in, did_you_mean(code, codes)));
}

void record_fields(Context& ctx, Part part, int index, const Map& map) {
  ctx.where.record(part, index, "", map.self().where());
  for (const Field& f : map.fields()) ctx.where.record(part, index, f.key, f.where());
}

}  // namespace plenary::loader
