#pragma once
/// The pieces of the scenario loader (loader.cpp, members.cpp, agreement.cpp) and what
/// they share while one scenario is read.

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "plenary/scenario/scenario.hpp"
#include "scenario/validate.hpp"
#include "scenario/yaml_util.hpp"

namespace plenary::loader {

namespace fs = std::filesystem;

/// A hash that lets an unordered_map of strings be searched with a string_view.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>()(text);
  }
};

/// State of one load.
struct Context {
  /// Where everything was written, for the checks after parsing.
  RecordedSourceMap where;
  /// Files being read, outermost first: display names and canonical paths (include cycles).
  std::vector<std::string> chain_display;
  std::vector<std::string> chain_canonical;
  /// Member code -> index, once the member list is final (looked up by string_view).
  std::unordered_map<std::string, int, StringHash, std::equal_to<>> member_index;
  /// The files read besides the scenario, in the order read: each one's name as written
  /// and the SHA-256 of its text (Scenario::sha256 covers them; docs/scenario-format.md).
  std::vector<std::pair<std::string, std::string>> read_files;
};

/// A bloc declared under a `blocs:` map.
struct BlocDecl {
  std::string name;
  double tie = 1;
  SourceLocation where;      ///< The bloc's name.
  SourceLocation tie_where;  ///< Its `tie:` value, or the name when not given.
};

/// A bloc name as a member lists it.
struct BlocRef {
  std::string name;
  SourceLocation where;
};

/// One member as read, before its blocs and (maybe) its position are resolved.
struct MemberEntry {
  Member member;                                ///< position is empty when not given
  std::vector<BlocRef> blocs;                   ///< bloc names as written
  SourceLocation self;                          ///< the member's map (YAML)
  std::map<std::string, SourceLocation> spots;  ///< where each field was written (YAML; for a
                                                ///< table's record, what positions set)
};

/// A member list as read from a scenario or an included file, with the blocs that
/// included files declare.
struct MemberList {
  std::vector<MemberEntry> entries;
  std::vector<BlocDecl> blocs;
  /// The entries are the records of a members table, which locates them (their `spots`
  /// hold only what a positions file changed).
  bool from_table = false;
};

/// Reads `members:` (a list, or `{include, positions}`) relative to `dir`. Inline members of
/// the scenario itself must have positions (`positions_required`); included ones need not.
MemberList read_members(const yaml::Field& members, const fs::path& dir, bool positions_required,
                        Context& ctx);

/// Reads a members table (`members: {file: members.csv}`; table_files.cpp). Throws
/// DataError at file:line:column.
MemberList read_member_table(const fs::path& path, const std::string& display, Context& ctx,
                             const std::string& written);

/// Reads `ties: {file: ties.csv}` relative to `dir` into s.ties (table_files.cpp).
void read_tie_table(Scenario& s, const yaml::Field& spec, const fs::path& dir, Context& ctx);

/// A file named in a scenario, relative to the directory of the file that names it.
struct Referenced {
  std::string written;  ///< the name as the scenario writes it
  fs::path path;
  std::string display;    ///< for messages
  std::string canonical;  ///< for include cycles
};
Referenced resolve(const yaml::Field& f, const fs::path& dir);

/// Reads a `blocs:` map (name -> {tie, name}).
std::vector<BlocDecl> read_blocs(const yaml::Field& blocs);

/// Adds `outer` to `into`; a bloc declared in both keeps its place but takes `outer`'s
/// declaration (a scenario may re-declare an included bloc to set its tie weight).
void merge_blocs(std::vector<BlocDecl>& into, const std::vector<BlocDecl>& outer);

/// Moves the members into `s`, records their locations, fills Context::member_index,
/// resolves their blocs against `blocs` (filling Scenario::blocs) and their positions
/// (setting Scenario::dims, filling missing ones as `missing` says).
void install_members(Scenario& s, MemberList list, const std::vector<BlocDecl>& blocs,
                     MissingPosition missing, const yaml::Field& members_field, Context& ctx);

/// The member index of the code in `f`, or a ScenarioError "unknown member code 'USX' in
/// <in> (did you mean 'USA'?)".
int member_code(const Scenario& s, const yaml::Field& f, std::string_view in, const Context& ctx);

/// Reads `agreement: {file, weight, floor}`; the CSV file is relative to `dir`.
AgreementTies read_agreement(const yaml::Field& agreement, const fs::path& dir, Context& ctx);

/// Reads a fitted scenario's `fit:` block (fit_covariance.cpp): names resolved against `s`,
/// sizes, bounds, a symmetric positive semi-definite covariance; located errors.
FitCovariance read_fit(const Scenario& s, const yaml::Field& fit);

/// Records where each field of `map` is written (and the map itself under "").
void record_fields(Context& ctx, Part part, int index, const yaml::Map& map);

/// Converts positions read from YAML.
Eigen::VectorXd to_vector(const std::vector<double>& values);

}  // namespace plenary::loader
