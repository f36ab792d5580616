#pragma once
/// The semantic checks shared by the loader (which knows where each value was written)
/// and validate() (which does not, e.g. after `--set`).

#include <map>
#include <string>
#include <string_view>
#include <tuple>

#include "plenary/scenario/scenario.hpp"

namespace plenary {

/// A part of a scenario that a check can complain about.
enum class Part {
  kScenario,          ///< Top-level keys ("members", "drafts", ...); index 0.
  kMember,            ///< Scenario::members[index].
  kBloc,              ///< Scenario::blocs[index].
  kTie,               ///< Scenario::ties[index].
  kAgreement,         ///< The agreement ties; index 0.
  kDraft,             ///< Scenario::drafts[index].
  kDraftParameters,   ///< The parameter overrides of drafts[index].
  kGlobalParameters,  ///< The global parameters; index 0.
  kRun,               ///< The run settings; index 0.
};

/// Where each part of a scenario was written.
class SourceMap {
 public:
  virtual ~SourceMap() = default;
  /// The location of `field` of a part ("" for the part itself); an empty location
  /// (no file) when unknown.
  virtual SourceLocation locate(Part part, int index, std::string_view field) const = 0;
};

/// The SourceMap of a scenario that was not read from a file (or was changed since).
class NoSourceMap final : public SourceMap {
 public:
  SourceLocation locate(Part, int, std::string_view) const override { return {}; }
};

/// A SourceMap filled in by the loader. A field not recorded falls back to its part,
/// then (for parameters) to the `parameters` key that holds them.
class RecordedSourceMap final : public SourceMap {
 public:
  void record(Part part, int index, std::string_view field, SourceLocation where);
  SourceLocation locate(Part part, int index, std::string_view field) const override;

 private:
  std::map<std::tuple<Part, int, std::string>, SourceLocation, std::less<>> spots_;
};

/// Checks every invariant of Scenario (scenario.hpp, MODEL.md) and throws ScenarioError for
/// the first broken one, located through `where`. When a location is unknown, the message
/// names the part instead ("draft 'GGE': 'lobbying' must be >= 0, got -1").
void check_scenario(const Scenario& scenario, const SourceMap& where);

/// The last round a draft may close at (bounds the length of phase 1).
inline constexpr int kMaxRounds = 100000;

}  // namespace plenary
