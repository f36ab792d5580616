// The scenario loader: the top-level map, drafts, ties, parameters and run settings
// (docs/scenario-format.md). Members and agreement ties are read in members.cpp and
// agreement.cpp; the semantic checks are validate.cpp's, run once everything is read.

#include "plenary/scenario/loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <functional>
#include <unordered_map>

#include "plenary/scenario/like_source.hpp"
#include "plenary/util/sha256.hpp"
#include "plenary/util/text.hpp"
#include "scenario/loader_internal.hpp"

namespace plenary {

namespace {

using loader::Context;
using yaml::Field;
using yaml::Map;

const std::vector<std::string_view>& parameter_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const ParameterInfo& info : kParameters) out.push_back(info.name);
    return out;
  }();
  return names;
}

// One of a fixed set of words, e.g. `majority: two_thirds`.
template <typename Enum, std::size_t N>
Enum choice(const Field& f, const std::array<std::pair<std::string_view, Enum>, N>& options) {
  std::vector<std::string_view> words;
  for (const auto& [word, value] : options) {
    if (f.is_plain_scalar() && f.node.Scalar() == word) return value;
    words.push_back(word);
  }
  const std::string hint = f.node.IsScalar() ? did_you_mean(f.node.Scalar(), words) : "";
  f.fail(fmt::format("expected {} for '{}', got {}{}", join_quoted(words), f.key,
                     yaml::describe(f.node), hint));
}

// `parameters:` maps, global or per draft: names of kParameters, finite numbers.
void read_parameters(const Field& f, Part part, int index, Context& ctx,
                     const std::function<void(std::size_t, double)>& set) {
  const Map map = f.map(parameter_names(), "parameter", true);
  for (const Field& p : map.fields()) {
    set(*find_parameter(p.key), p.number());
    ctx.where.record(part, index, p.key, p.where());
  }
}

// `ties:` as a list of {from, to, weight}, or `{file: ties.csv}` (table_files.cpp).
void read_ties(Scenario& s, const Field& f, const loader::fs::path& dir, Context& ctx) {
  if (f.node.IsMap()) {
    loader::read_tie_table(s, f, dir, ctx);
    return;
  }
  if (!f.node.IsSequence()) {
    f.fail(fmt::format("expected a list of ties or {{file: FILE}} for 'ties', got {}",
                       yaml::describe(f.node)));
  }
  static const std::vector<std::string> kFields = {"from", "to", "weight"};
  ctx.where.start_rows(Part::kTie, f.file, kFields);
  std::vector<SourceLocation> spots(kFields.size());
  // One tie at a time: a list of millions is not copied into Fields first.
  const std::size_t n = f.list_size();
  s.ties.reserve(n);
  for (std::size_t k = 0; k < n; ++k) {
    const Field item = f.item(k);
    const Map map = item.map({"from", "to", "weight"});
    for (std::size_t j = 0; j < kFields.size(); ++j) {
      const Field* field = map.find(kFields[j]);
      spots[j] = field ? field->where() : SourceLocation{};
    }
    ctx.where.add_row(Part::kTie, map.self().where(), spots);
    Tie tie;
    tie.from = loader::member_code(s, map.require("from", "a tie"), "a tie", ctx);
    tie.to = loader::member_code(s, map.require("to", "a tie"), "a tie", ctx);
    tie.weight = map.require("weight", "a tie").number();
    s.ties.push_back(tie);
  }
}

void read_sponsors(Scenario& s, Draft& d, const Field& f, const Context& ctx) {
  const std::string in = fmt::format("sponsors of draft '{}'", d.id);
  for (const Field& item : f.list()) {
    const int i = loader::member_code(s, item, in, ctx);
    if (std::find(d.sponsors.begin(), d.sponsors.end(), i) != d.sponsors.end()) {
      item.fail(fmt::format("member '{}' is listed twice in {}", s.members[i].code, in));
    }
    d.sponsors.push_back(i);
  }
  if (d.sponsors.empty()) {
    f.fail(fmt::format("draft '{}' has no sponsors (list at least one member code)", d.id));
  }
}

// `like: {roll_call: SYMBOL-or-RCID, votes: PATH}`: read and the path checked here, placed
// by place_likes() (include/plenary/forecast/like.hpp).
LikeSource read_like(const Field& f, const loader::fs::path& dir, std::vector<LikeSource>* likes) {
  if (likes == nullptr) {
    f.fail(
        "'like' needs the roll-call data, which this reader does not load (a program "
        "places it with load_scenario(file, likes) and forecast::place_likes())");
  }
  const Map map = f.map({"roll_call", "votes"});
  const Field& roll_call = map.require("roll_call", "'like'");
  const Field& votes = map.require("votes", "'like'");
  LikeSource like;
  like.roll_call = roll_call.string();
  like.votes = votes.string();
  like.roll_call_where = roll_call.where();
  like.votes_where = votes.where();
  const loader::fs::path path =
      loader::fs::path(like.votes).is_absolute() ? loader::fs::path(like.votes) : dir / like.votes;
  std::error_code ec;
  if (!loader::fs::exists(path, ec)) {
    votes.fail(
        fmt::format("no votes at '{}' (the path is relative to the scenario file's "
                    "directory; give a directory in data/unga's layout, e.g. "
                    "'../data/unga', or a voting-data CSV file)",
                    path.string()));
  }
  like.votes_path = path.string();
  return like;
}

// One field of a draft other than id, sponsors and rivals.
void read_draft_field(Draft& d, int r, const Field& f, Context& ctx) {
  static constexpr std::array<std::pair<std::string_view, Majority>, 2> kMajorities = {
      {{"simple", Majority::kSimple}, {"two_thirds", Majority::kTwoThirds}}};
  if (f.key == "title") {
    d.title = f.string();
  } else if (f.key == "position") {
    if (f.is_plain_scalar() && f.node.Scalar() == "sponsors") return;
    if (f.node.IsScalar()) {
      f.fail(
          fmt::format("expected 'sponsors' or a list of 1 to 3 numbers for 'position', got "
                      "{}{}",
                      yaml::describe(f.node),
                      did_you_mean(f.node.Scalar(), std::vector<std::string_view>{"sponsors"})));
    }
    d.position = loader::to_vector(f.vector());
  } else if (f.key == "status_quo") {
    d.status_quo = loader::to_vector(f.vector());
  } else if (f.key == "opens") {
    d.opens = f.integer();
  } else if (f.key == "closes") {
    d.closes = f.integer();
  } else if (f.key == "majority") {
    d.majority = choice(f, kMajorities);
  } else if (f.key == "lobbying") {
    d.lobbying = f.number();
  } else if (f.key == "withdraw_below") {
    d.withdraw_below = f.number();
  } else if (f.key == "parameters") {
    read_parameters(f, Part::kDraftParameters, r, ctx,
                    [&](std::size_t k, double v) { d.parameters.values[k] = v; });
  }
}

// Reads a draft; its rivals are resolved once every draft is known.
Draft read_draft(Scenario& s, const Field& item, std::vector<Field>& rivals, Context& ctx,
                 const loader::fs::path& dir, std::vector<LikeSource>* likes) {
  static const std::vector<std::string_view> kKeys = {
      "id",     "title",    "sponsors", "position",       "status_quo", "opens", "closes",
      "rivals", "majority", "lobbying", "withdraw_below", "parameters", "like"};
  const Map map = item.map(kKeys);
  const int r = static_cast<int>(s.drafts.size());
  record_fields(ctx, Part::kDraft, r, map);
  Draft d;
  d.id = map.require("id", "a draft").string();
  const std::string in = fmt::format("draft '{}'", d.id);
  read_sponsors(s, d, map.require("sponsors", in), ctx);
  map.require("closes", in);
  d.status_quo = Eigen::VectorXd::Zero(s.dims);
  for (const Field& f : map.fields()) read_draft_field(d, r, f, ctx);
  if (const Field* f = map.find("like")) {
    LikeSource like = read_like(*f, dir, likes);
    like.draft = r;
    like.status_quo_given = map.find("status_quo") != nullptr;
    likes->push_back(std::move(like));
  }
  if (const Field* f = map.find("rivals")) rivals = f->list();
  return d;
}

void read_drafts(Scenario& s, const Field& f, Context& ctx, const loader::fs::path& dir,
                 std::vector<LikeSource>* likes) {
  std::vector<std::vector<Field>> rivals;
  std::unordered_map<std::string, int> first_line;
  for (const Field& item : f.list()) {
    rivals.emplace_back();
    Draft d = read_draft(s, item, rivals.back(), ctx, dir, likes);
    const SourceLocation at =
        ctx.where.locate(Part::kDraft, static_cast<int>(s.drafts.size()), "id");
    const auto [seen, inserted] = first_line.emplace(d.id, at.line);
    if (!inserted) {
      throw ScenarioError(
          at, fmt::format("duplicate draft id '{}' (first given at line {})", d.id, seen->second));
    }
    s.drafts.push_back(std::move(d));
  }
  if (s.drafts.empty()) f.fail("the scenario has no drafts (list at least one)");
  std::vector<std::string> ids;
  for (const Draft& d : s.drafts) ids.push_back(d.id);
  for (std::size_t r = 0; r < s.drafts.size(); ++r) {
    Draft& d = s.drafts[r];
    for (const Field& item : rivals[r]) {
      const std::string id = item.string();
      const int q = s.find_draft(id);
      if (q < 0) {
        item.fail(fmt::format("unknown draft id '{}' in rivals of draft '{}'{}", id, d.id,
                              did_you_mean(id, ids)));
      }
      if (q == static_cast<int>(r))
        item.fail(fmt::format("draft '{}' cannot be its own rival", d.id));
      if (std::find(d.rivals.begin(), d.rivals.end(), q) != d.rivals.end()) {
        item.fail(fmt::format("draft '{}' is listed twice in rivals of draft '{}'", id, d.id));
      }
      d.rivals.push_back(q);
    }
  }
}

void read_run(RunSettings& run, const Field& f, Context& ctx) {
  const Map map = f.map({"replicates", "seed", "thresholds"}, "key", true);
  record_fields(ctx, Part::kRun, 0, map);
  if (const Field* p = map.find("replicates")) run.replicates = p->integer();
  if (const Field* p = map.find("seed")) run.seed = p->unsigned_integer();
  if (const Field* p = map.find("thresholds")) {
    for (const Field& item : p->list()) run.thresholds.push_back(item.integer());
  }
}

MissingPosition read_missing_position(const Map& top) {
  static constexpr std::array<std::pair<std::string_view, MissingPosition>, 3> kModes = {
      {{"error", MissingPosition::kError},
       {"bloc_mean", MissingPosition::kBlocMean},
       {"origin", MissingPosition::kOrigin}}};
  const Field* f = top.find("missing_position");
  return f ? choice(*f, kModes) : MissingPosition::kError;
}

// Reads the members and blocs (members.cpp does the work).
void read_assembly(Scenario& s, const Map& top, const loader::fs::path& dir, Context& ctx) {
  const MissingPosition missing = read_missing_position(top);
  const Field& members = top.require("members", "the scenario");
  loader::MemberList list = loader::read_members(members, dir, true, ctx);
  std::vector<loader::BlocDecl> blocs = std::move(list.blocs);
  if (const Field* f = top.find("blocs")) loader::merge_blocs(blocs, loader::read_blocs(*f));
  loader::install_members(s, std::move(list), blocs, missing, members, ctx);
}

Scenario read_scenario(const yaml::Node& root, const std::string& file, const loader::fs::path& dir,
                       Context& ctx, std::vector<LikeSource>* likes) {
  static const std::vector<std::string_view> kKeys = {
      "name",       "description", "members",          "blocs", "ties", "agreement", "drafts",
      "parameters", "run",         "missing_position", "fit"};
  if (root.IsNull()) {
    throw ScenarioError(SourceLocation{file, 0, 0},
                        "the file is empty (expected a map with 'name', 'members' and 'drafts')");
  }
  const Map top = Field{file, "", root, root}.map(kKeys);
  record_fields(ctx, Part::kScenario, 0, top);
  ctx.where.record(Part::kScenario, 0, "", SourceLocation{file, 0, 0});
  Scenario s;
  s.name = top.require("name", "the scenario").string();
  if (const Field* f = top.find("description")) f->string();
  read_assembly(s, top, dir, ctx);
  if (const Field* f = top.find("ties")) read_ties(s, *f, dir, ctx);
  if (const Field* f = top.find("agreement")) s.agreement = loader::read_agreement(*f, dir, ctx);
  read_drafts(s, top.require("drafts", "the scenario"), ctx, dir, likes);
  if (const Field* f = top.find("parameters")) {
    read_parameters(*f, Part::kGlobalParameters, 0, ctx,
                    [&](std::size_t k, double v) { s.parameters.*(kParameters[k].field) = v; });
  }
  if (const Field* f = top.find("run")) read_run(s.run, *f, ctx);
  check_scenario(s, ctx.where);
  // After the checks: its names resolve against valid drafts (fit_covariance.cpp).
  if (const Field* f = top.find("fit")) s.fit = loader::read_fit(s, *f);
  return s;
}

// The scenario's SHA-256 (docs/scenario-format.md, "The scenario's SHA-256"): that of the
// YAML bytes followed, for each file read besides, by its name as written, a zero byte, the
// hexadecimal SHA-256 of its text and a line end. With no such file, the YAML's own digest.
std::string scenario_sha256(std::string_view yaml_bytes, const Context& ctx) {
  Sha256 h;
  h.update(yaml_bytes);
  for (const auto& [name, digest] : ctx.read_files) {
    h.update(name);
    h.update(std::string_view("\0", 1));
    h.update(digest);
    h.update("\n");
  }
  return h.hex();
}

Scenario load(std::string_view text, const std::string& display, const loader::fs::path& dir,
              const std::string& canonical, std::vector<LikeSource>* likes = nullptr,
              std::string* sha256 = nullptr) {
  Context ctx;
  ctx.chain_display.push_back(display);
  ctx.chain_canonical.push_back(canonical);
  const yaml::Node root = yaml::parse_document(text, display);
  Scenario s = read_scenario(root, display, dir, ctx, likes);
  if (sha256 != nullptr) *sha256 = scenario_sha256(text, ctx);
  return s;
}

}  // namespace

namespace {

Scenario load_file(const std::filesystem::path& file, std::vector<LikeSource>* likes) {
  const std::string display = file.string();
  std::string bytes;
  std::string error;
  if (!yaml::read_file(display, bytes, error)) {
    throw ScenarioError(SourceLocation{display, 0, 0},
                        fmt::format("cannot read the scenario file: {}", error));
  }
  std::error_code ec;
  const std::filesystem::path canonical = std::filesystem::weakly_canonical(file, ec);
  std::string sha256;
  Scenario s =
      load(bytes, display, file.parent_path(), ec ? display : canonical.string(), likes, &sha256);
  s.source = display;
  s.sha256 = std::move(sha256);
  return s;
}

}  // namespace

Scenario load_scenario(const std::filesystem::path& file) { return load_file(file, nullptr); }

Scenario load_scenario(const std::filesystem::path& file, std::vector<LikeSource>& likes) {
  likes.clear();
  return load_file(file, &likes);
}

Scenario load_scenario_text(std::string_view yaml, const std::string& display_name,
                            const std::filesystem::path& base_dir) {
  return load(yaml, display_name, base_dir, std::string());
}

}  // namespace plenary
