#include "scenario/validate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_set>
#include <vector>

#include "plenary/scenario/loader.hpp"
#include "plenary/util/text.hpp"
#include "scenario/table_reader.hpp"

namespace plenary {

std::uint32_t RecordedSourceMap::file_id(const std::string& file) {
  // Few files per scenario: the last one is nearly always the one asked for.
  for (std::size_t k = files_.size(); k-- > 0;) {
    if (files_[k] == file) return static_cast<std::uint32_t>(k);
  }
  files_.push_back(file);
  return static_cast<std::uint32_t>(files_.size() - 1);
}

// (part, field, index) in 64 bits; a field never recorded has no key (UINT64_MAX).
std::uint64_t RecordedSourceMap::key(Part part, int index, std::string_view field) const {
  const auto it = field_ids_.find(std::string(field));
  if (it == field_ids_.end()) return UINT64_MAX;
  return (static_cast<std::uint64_t>(part) << 56) | (std::uint64_t{it->second} << 32) |
         static_cast<std::uint32_t>(index);
}

void RecordedSourceMap::record(Part part, int index, std::string_view field, SourceLocation where) {
  auto [it, inserted] =
      field_ids_.try_emplace(std::string(field), static_cast<std::uint32_t>(field_names_.size()));
  if (inserted) field_names_.emplace_back(field);
  spots_[key(part, index, field)] = Spot{file_id(where.file), where.line, where.column};
}

void RecordedSourceMap::start_rows(Part part, std::string file, std::vector<std::string> fields) {
  std::erase_if(rows_, [&](const Rows& r) { return r.part == part; });
  rows_.push_back(Rows{part, file_id(file), std::move(fields), {}});
}

void RecordedSourceMap::reserve_rows(Part part, std::size_t rows) {
  for (Rows& r : rows_) {
    if (r.part == part) r.spots.reserve(r.spots.size() + rows * 2 * (1 + r.fields.size()));
  }
}

void RecordedSourceMap::add_row(Part part, const std::int32_t* spots) {
  for (Rows& r : rows_) {
    if (r.part != part) continue;
    r.spots.insert(r.spots.end(), spots, spots + 2 * (1 + r.fields.size()));
    return;
  }
}

void RecordedSourceMap::add_row(Part part, SourceLocation row,
                                const std::vector<SourceLocation>& fields) {
  std::vector<std::int32_t> spots = {row.line, row.column};
  for (const SourceLocation& f : fields) {
    spots.push_back(f.line);
    spots.push_back(f.column);
  }
  add_row(part, spots.data());
}

void RecordedSourceMap::add_table(Part part, std::filesystem::path path, std::string display,
                                  std::vector<TableField> fields) {
  std::erase_if(rows_, [&](const Rows& r) { return r.part == part; });
  std::erase_if(tables_, [&](const Table& t) { return t.part == part; });
  tables_.push_back(Table{part, std::move(path), std::move(display), std::move(fields)});
}

// Reads the table again up to record `index` (only an error asks): its line, and the column
// of the field's cell. A table that changed since it was loaded gives the file alone.
SourceLocation RecordedSourceMap::locate_in_table(const Table& t, int index,
                                                  std::string_view field) {
  try {
    table::Reader in(t.path, t.display);
    in.read_header();
    for (int k = 0; k <= index; ++k) {
      if (!in.next()) return SourceLocation{t.display, 0, 0};
    }
    for (const TableField& f : t.fields) {
      if (f.field != field) continue;
      const int c = in.column_index(f.column);
      if (c < 0 || static_cast<std::size_t>(c) >= in.size()) break;
      const auto k = static_cast<std::size_t>(c);
      if (f.always || !in.field(k).empty())
        return SourceLocation{t.display, in.line(), in.column(k)};
    }
    return SourceLocation{t.display, in.line(), 1};
  } catch (const std::exception&) {
    return SourceLocation{t.display, 0, 0};
  }
}

SourceLocation RecordedSourceMap::to_location(const Spot& spot) const {
  return SourceLocation{files_[spot.file], spot.line, spot.column};
}

const RecordedSourceMap::Spot* RecordedSourceMap::find(Part part, int index,
                                                       std::string_view field) const {
  const auto it = spots_.find(key(part, index, field));
  return it == spots_.end() ? nullptr : &it->second;
}

SourceLocation RecordedSourceMap::locate(Part part, int index, std::string_view field) const {
  for (const Rows& r : rows_) {
    const std::size_t width = 2 * (1 + r.fields.size());
    if (r.part != part || index < 0 || static_cast<std::size_t>(index) >= r.spots.size() / width) {
      continue;
    }
    const std::int32_t* row = r.spots.data() + static_cast<std::size_t>(index) * width;
    const auto it = std::find(r.fields.begin(), r.fields.end(), field);
    if (it != r.fields.end()) {
      const std::int32_t* spot = row + 2 * (1 + (it - r.fields.begin()));
      if (spot[0] > 0) return SourceLocation{files_[r.file], spot[0], spot[1]};
    }
    return SourceLocation{files_[r.file], row[0], row[1]};
  }
  for (const Table& t : tables_) {
    if (t.part != part || index < 0) continue;
    if (const Spot* spot = find(part, index, field)) return to_location(*spot);
    return locate_in_table(t, index, field);
  }
  if (const Spot* spot = find(part, index, field)) return to_location(*spot);
  // A parameter left at its default is located at the map that would hold it.
  if (part == Part::kDraftParameters) return locate(Part::kDraft, index, "parameters");
  if (part == Part::kGlobalParameters) return locate(Part::kScenario, 0, "parameters");
  if (const Spot* spot = find(part, index, "")) return to_location(*spot);
  if (const Spot* spot = find(Part::kScenario, 0, "")) return to_location(*spot);
  return {};
}

namespace {

class Checker {
 public:
  Checker(const Scenario& s, const SourceMap& where) : s_(s), where_(where) {}

  void run() {
    check_members();
    check_blocs();
    check_ties();
    check_agreement();
    check_parameters(s_.parameters, Part::kGlobalParameters, 0);
    check_drafts();
    check_habits();
    check_run();
  }

 private:
  // What a message is about, for messages without a location.
  std::string subject(Part part, int index) const {
    switch (part) {
      case Part::kMember:
        return fmt::format("member '{}'", s_.members[index].code);
      case Part::kBloc:
        return fmt::format("bloc '{}'", s_.blocs[index].name);
      case Part::kTie:
        return fmt::format("tie {} of 'ties'", index + 1);
      case Part::kAgreement:
        return "agreement";
      case Part::kDraft:
        return fmt::format("draft '{}'", s_.drafts[index].id);
      case Part::kDraftParameters:
        return fmt::format("parameters of draft '{}'", s_.drafts[index].id);
      case Part::kGlobalParameters:
        return "parameters";
      case Part::kRun:
        return "run";
      case Part::kScenario:
        break;
    }
    return {};
  }

  // `names_subject`: the message already says what it is about.
  [[noreturn]] void fail(Part part, int index, std::string_view field, const std::string& message,
                         bool names_subject = false) const {
    SourceLocation at = where_.locate(part, index, field);
    const std::string about = subject(part, index);
    if (at.file.empty() && !names_subject && !about.empty()) {
      throw ScenarioError(at, about + ": " + message);
    }
    throw ScenarioError(at, message);
  }

  void finite(Part part, int index, std::string_view field, double value) const {
    if (!std::isfinite(value)) {
      fail(part, index, field,
           fmt::format("'{}' must be a finite number, got {}", field, format_number(value)));
    }
  }

  void nonnegative(Part part, int index, std::string_view field, double value) const {
    finite(part, index, field, value);
    if (value < 0) {
      fail(part, index, field,
           fmt::format("'{}' must be >= 0, got {}", field, format_number(value)));
    }
  }

  void unit(Part part, int index, std::string_view field, double value) const {
    finite(part, index, field, value);
    if (value < 0 || value > 1) {
      fail(part, index, field,
           fmt::format("'{}' must be between 0 and 1, got {}", field, format_number(value)));
    }
  }

  // A position of the scenario's dimension with finite entries; `about()` names it, called
  // only for an error (a member's message is not formatted unless it is needed).
  template <typename About>
  void point(Part part, int index, std::string_view field, const About& about,
             const Eigen::VectorXd& x) const {
    const auto ok = [&](double v) { return std::isfinite(v) && std::abs(v) <= kMaxMagnitude; };
    if (x.size() == s_.dims && std::all_of(x.data(), x.data() + x.size(), ok)) return;
    const std::string what = about();
    if (x.size() != s_.dims) {
      const auto n = x.size();
      if (!s_.members.empty() && s_.members[0].position.size() == s_.dims) {
        fail(part, index, field,
             fmt::format("{} has {} dimension{} but {}'{}' has {}", what, n, n == 1 ? "" : "s",
                         part == Part::kMember ? "" : "member ", s_.members[0].code, s_.dims),
             true);
      }
      fail(part, index, field,
           fmt::format("{} has {} dimension{} but the scenario has {}", what, n, n == 1 ? "" : "s",
                       s_.dims),
           true);
    }
    for (Eigen::Index k = 0; k < x.size(); ++k) {
      if (!std::isfinite(x[k])) {
        fail(part, index, field,
             fmt::format("{} must be finite, got {}", what, format_number(x[k])), true);
      }
      if (std::abs(x[k]) > kMaxMagnitude) {
        fail(part, index, field,
             fmt::format("{} must lie within +-{} (positions are a few units from the origin), "
                         "got {}",
                         what, format_number(kMaxMagnitude), format_number(x[k])),
             true);
      }
    }
  }

  void check_members() const {
    if (s_.members.empty()) {
      fail(Part::kScenario, 0, "members", "the member list is empty (a scenario needs members)");
    }
    if (s_.dims < 1 || s_.dims > 3) {
      fail(Part::kScenario, 0, "members",
           fmt::format("the policy space must have 1 to 3 dimensions, got {}", s_.dims));
    }
    std::unordered_set<std::string_view> codes;
    codes.reserve(s_.members.size());
    double total = 0;
    for (int i = 0; i < static_cast<int>(s_.members.size()); ++i) {
      const Member& m = s_.members[i];
      if (m.code.empty()) fail(Part::kMember, i, "code", "a member code must not be empty");
      if (!codes.insert(m.code).second) {
        fail(Part::kMember, i, "code", fmt::format("duplicate member code '{}'", m.code), true);
      }
      point(
          Part::kMember, i, "position",
          [&] { return fmt::format("position of member '{}'", m.code); }, m.position);
      if (m.position_se.size() > 0) {
        point(
            Part::kMember, i, "position_se",
            [&] { return fmt::format("'position_se' of member '{}'", m.code); }, m.position_se);
        for (Eigen::Index k = 0; k < m.position_se.size(); ++k) {
          nonnegative(Part::kMember, i, "position_se", m.position_se[k]);
        }
      }
      nonnegative(Part::kMember, i, "clout", m.clout);
      unit(Part::kMember, i, "absence", m.absence);
      for (auto g = m.blocs.begin(); g != m.blocs.end(); ++g) {
        if (*g < 0 || *g >= static_cast<int>(s_.blocs.size()) ||
            std::find(m.blocs.begin(), g, *g) != g) {
          fail(Part::kMember, i, "blocs", "the member's blocs are not distinct declared blocs");
        }
      }
      total += m.clout;
    }
    if (!(total > 0)) {
      fail(Part::kScenario, 0, "members",
           "the total clout of the members is 0 (give at least one member a positive 'clout')");
    }
  }

  void check_blocs() const {
    const int n = static_cast<int>(s_.members.size());
    for (int g = 0; g < static_cast<int>(s_.blocs.size()); ++g) {
      const Bloc& b = s_.blocs[g];
      nonnegative(Part::kBloc, g, "tie", b.tie);
      for (std::size_t k = 0; k < b.members.size(); ++k) {
        const int i = b.members[k];
        const bool ascending = k == 0 || b.members[k - 1] < i;
        if (i < 0 || i >= n || !ascending) {
          fail(Part::kBloc, g, "", "the bloc's member list is not ascending member indices");
        }
      }
    }
  }

  void check_ties() const {
    const int n = static_cast<int>(s_.members.size());
    for (int t = 0; t < static_cast<int>(s_.ties.size()); ++t) {
      const Tie& tie = s_.ties[t];
      if (tie.from < 0 || tie.from >= n || tie.to < 0 || tie.to >= n) {
        fail(Part::kTie, t, "", "the tie names a member that does not exist");
      }
      if (tie.from == tie.to) {
        fail(Part::kTie, t, "to",
             fmt::format("a tie from member '{}' to itself (a member does not watch itself)",
                         s_.members[tie.from].code),
             true);
      }
      nonnegative(Part::kTie, t, "weight", tie.weight);
    }
  }

  void check_agreement() const {
    if (!s_.agreement) return;
    const AgreementTies& a = *s_.agreement;
    nonnegative(Part::kAgreement, 0, "weight", a.weight);
    if (a.floor && (!std::isfinite(*a.floor) || *a.floor < 0 || *a.floor >= 1)) {
      fail(Part::kAgreement, 0, "floor",
           fmt::format("'floor' must be 'median' or a number at least 0 and below 1, got {}",
                       format_number(*a.floor)));
    }
    const int n = static_cast<int>(s_.members.size());
    for (const AgreementScore& g : a.scores) {
      if (g.a < 0 || g.a >= n || g.b < 0 || g.b >= n || g.a == g.b || g.n < 0 ||
          !(g.score >= 0 && g.score <= 1)) {
        fail(Part::kAgreement, 0, "file", "an agreement score is out of range");
      }
    }
  }

  void check_drafts() const {
    if (s_.drafts.empty()) {
      fail(Part::kScenario, 0, "drafts", "the scenario has no drafts (list at least one)");
    }
    std::unordered_set<std::string_view> ids;
    for (int r = 0; r < static_cast<int>(s_.drafts.size()); ++r) {
      const Draft& d = s_.drafts[r];
      if (d.id.empty()) fail(Part::kDraft, r, "id", "a draft id must not be empty");
      if (!ids.insert(d.id).second) {
        fail(Part::kDraft, r, "id", fmt::format("duplicate draft id '{}'", d.id), true);
      }
      check_sponsors(r);
      if (d.position) {
        point(
            Part::kDraft, r, "position",
            [&] { return fmt::format("position of draft '{}'", d.id); }, *d.position);
      }
      point(
          Part::kDraft, r, "status_quo",
          [&] { return fmt::format("status quo of draft '{}'", d.id); }, d.status_quo);
      check_rounds(r);
      check_rivals(r);
      nonnegative(Part::kDraft, r, "lobbying", d.lobbying);
      if (d.withdraw_below) unit(Part::kDraft, r, "withdraw_below", *d.withdraw_below);
      for (std::size_t k = 0; k < kParameters.size(); ++k) {
        if (d.parameters.values[k]) {
          finite(Part::kDraftParameters, r, kParameters[k].name, *d.parameters.values[k]);
        }
      }
      check_parameters(d.parameters.apply(s_.parameters), Part::kDraftParameters, r);
    }
  }

  // Abstention habits (docs/model.md, "Extensions"): finite, at most kMaxAbstainHabit, and
  // never inverting a member's band: (tau_yes + h) + (tau_no + h) >= 0 for every draft's
  // effective cut points (the global ones when there are no drafts).
  void check_habits() const {
    const Parameters* tightest = &s_.parameters;
    const Draft* by = nullptr;
    std::vector<Parameters> effective;
    effective.reserve(s_.drafts.size());
    for (const Draft& d : s_.drafts) {
      effective.push_back(d.parameters.apply(s_.parameters));
      const Parameters& p = effective.back();
      if (by == nullptr || p.tau_yes + p.tau_no < tightest->tau_yes + tightest->tau_no) {
        tightest = &p;
        by = &d;
      }
    }
    const double floor = -(tightest->tau_yes + tightest->tau_no) / 2;
    for (int i = 0; i < static_cast<int>(s_.members.size()); ++i) {
      const double h = s_.members[i].abstain_habit;
      finite(Part::kMember, i, "abstain_habit", h);
      if (h > kMaxAbstainHabit) {
        fail(Part::kMember, i, "abstain_habit",
             fmt::format("'abstain_habit' must be at most {}, got {}",
                         format_number(kMaxAbstainHabit), format_number(h)));
      }
      if (h < floor) {
        fail(Part::kMember, i, "abstain_habit",
             fmt::format("'abstain_habit' must be at least -(tau_yes + tau_no) / 2 = {}{}, got {} "
                         "(a smaller habit would invert the member's abstention band)",
                         format_number(floor),
                         by == nullptr ? std::string() : fmt::format(" for draft '{}'", by->id),
                         format_number(h)));
      }
    }
  }

  void check_sponsors(int r) const {
    const Draft& d = s_.drafts[r];
    if (d.sponsors.empty()) {
      fail(Part::kDraft, r, "sponsors",
           fmt::format("draft '{}' has no sponsors (list at least one member code)", d.id), true);
    }
    std::unordered_set<int> seen;
    double clout = 0;
    for (int i : d.sponsors) {
      if (i < 0 || i >= static_cast<int>(s_.members.size())) {
        fail(Part::kDraft, r, "sponsors", "a sponsor is not a member of the scenario");
      }
      if (!seen.insert(i).second) {
        fail(Part::kDraft, r, "sponsors",
             fmt::format("member '{}' is listed twice in sponsors of draft '{}'",
                         s_.members[i].code, d.id),
             true);
      }
      clout += s_.members[i].clout;
    }
    if (!d.position && !(clout > 0)) {
      // MODEL.md, "Entities": the sponsors' clout-weighted mean is undefined.
      fail(Part::kDraft, r, "sponsors",
           fmt::format("draft '{}' takes its sponsors' mean position, but their clout sums to 0 "
                       "(give the draft a 'position' or a sponsor a positive 'clout')",
                       d.id),
           true);
    }
  }

  void check_rounds(int r) const {
    const Draft& d = s_.drafts[r];
    if (d.opens < 0) {
      fail(Part::kDraft, r, "opens", fmt::format("'opens' must be >= 0, got {}", d.opens));
    }
    if (d.closes <= d.opens) {
      fail(Part::kDraft, r, "closes",
           fmt::format("draft '{}' closes at round {}, which is not after it opens (round {})",
                       d.id, d.closes, d.opens),
           true);
    }
    if (d.closes > kMaxRounds) {
      fail(Part::kDraft, r, "closes",
           fmt::format("draft '{}' closes at round {}, after the last round allowed ({})", d.id,
                       d.closes, kMaxRounds),
           true);
    }
  }

  void check_rivals(int r) const {
    const Draft& d = s_.drafts[r];
    std::unordered_set<int> seen;
    for (int q : d.rivals) {
      if (q < 0 || q >= static_cast<int>(s_.drafts.size())) {
        fail(Part::kDraft, r, "rivals", "a rival is not a draft of the scenario");
      }
      if (q == r) {
        fail(Part::kDraft, r, "rivals", fmt::format("draft '{}' cannot be its own rival", d.id),
             true);
      }
      if (!seen.insert(q).second) {
        fail(Part::kDraft, r, "rivals",
             fmt::format("draft '{}' is listed twice in rivals of draft '{}'", s_.drafts[q].id,
                         d.id),
             true);
      }
    }
  }

  // `p` are the effective parameters of `part` (global, or a draft's with its overrides).
  void check_parameters(const Parameters& p, Part part, int index) const {
    for (const ParameterInfo& info : kParameters) {
      const double v = p.*info.field;
      finite(part, index, info.name, v);
      // Weights in log-odds units: far beyond any meaningful value, a product with a squared
      // distance would overflow to infinity in the engine.
      if (std::abs(v) > kMaxMagnitude) {
        fail(part, index, info.name,
             fmt::format("'{}' must lie within +-{}, got {}", info.name,
                         format_number(kMaxMagnitude), format_number(v)));
      }
    }
    unit(part, index, "rho", p.rho);
    if (p.tau_yes + p.tau_no < 0) {
      // Globals are checked first, so a draft fails here only through its own overrides.
      const bool own = part == Part::kDraftParameters;
      std::string_view field = "tau_yes";
      if (own && !s_.drafts[index].parameters.values[*find_parameter("tau_yes")]) field = "tau_no";
      fail(part, index, field,
           fmt::format("'tau_yes' + 'tau_no' must be >= 0, got {} + {}{}", format_number(p.tau_yes),
                       format_number(p.tau_no), own ? " (with the global parameters)" : ""));
    }
  }

  void check_run() const {
    if (s_.run.replicates < 1) {
      fail(Part::kRun, 0, "replicates",
           fmt::format("'replicates' must be at least 1, got {}", s_.run.replicates));
    }
    for (std::size_t a = 0; a < s_.run.thresholds.size(); ++a) {
      const int k = s_.run.thresholds[a];
      if (k < 0) {
        fail(Part::kRun, 0, "thresholds", fmt::format("'thresholds' must be >= 0, got {}", k));
      }
      for (std::size_t b = 0; b < a; ++b) {
        if (s_.run.thresholds[b] == k) {
          fail(Part::kRun, 0, "thresholds", fmt::format("'thresholds' lists {} twice", k));
        }
      }
    }
  }

  const Scenario& s_;
  const SourceMap& where_;
};

}  // namespace

void check_scenario(const Scenario& scenario, const SourceMap& where) {
  Checker(scenario, where).run();
}

void validate(const Scenario& scenario) { check_scenario(scenario, NoSourceMap{}); }

}  // namespace plenary
