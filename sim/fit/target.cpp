// `--target DRAFT.QUANTITY[@ROUND]=VALUE[~TOLERANCE]` (include/plenary/fit/target.hpp).

#include "plenary/fit/target.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <tuple>

#include "plenary/util/text.hpp"

namespace plenary {

namespace {

constexpr std::array<Quantity, 14> kQuantities = {
    Quantity::kSponsors, Quantity::kYes,      Quantity::kNo,           Quantity::kAbstain,
    Quantity::kAbsent,   Quantity::kPAdopted, Quantity::kPWithoutVote, Quantity::kPWithdrawn,
    Quantity::kPReach,   Quantity::kPYes,     Quantity::kPNo,          Quantity::kPAbstain,
    Quantity::kPAbsent,  Quantity::kPSponsor};

std::vector<std::string_view> quantity_names() {
  std::vector<std::string_view> names;
  for (Quantity q : kQuantities) names.push_back(quantity_name(q));
  return names;
}

[[noreturn]] void fail(std::string_view text, const std::string& message) {
  throw UsageError(fmt::format("--target '{}': {}", text, message));
}

int rounds_of(const Scenario& scenario) {
  int rounds = 0;
  for (const Draft& d : scenario.drafts) rounds = std::max(rounds, d.closes);
  return rounds;
}

int whole_number(std::string_view text, std::string_view what, std::string_view spec) {
  const std::optional<std::int64_t> n = parse_integer(text);
  if (!n || *n < std::numeric_limits<int>::min() || *n > std::numeric_limits<int>::max()) {
    fail(spec, fmt::format("expected a whole number for {}, got '{}'", what, text));
  }
  return static_cast<int>(*n);
}

int find_draft(const Scenario& scenario, std::string_view id, std::string_view spec) {
  const int r = scenario.find_draft(id);
  if (r >= 0) return r;
  std::vector<std::string> ids;
  for (const Draft& d : scenario.drafts) ids.push_back(d.id);
  std::string hint = did_you_mean(id, ids);
  if (hint.empty()) hint = fmt::format(" (the drafts are {})", join_quoted(ids, " and "));
  fail(spec, fmt::format("unknown draft '{}'{}", id, hint));
}

// The member or bloc after a member quantity's colon: a member's code, else a bloc's name
// (as the what-ifs read CODE|BLOC). A vote quantity keeps the members with voting rights.
void parse_subject(const Scenario& scenario, std::string_view subject, std::string_view spec,
                   Target& t) {
  subject = trim(subject);
  const std::string_view name = quantity_name(t.quantity);
  if (subject.empty()) {
    fail(spec, fmt::format("'{}' needs a member code or a bloc after ':', e.g. 'OEWG.{}:USA=1'",
                           name, name));
  }
  t.subject = std::string(subject);
  std::vector<int> who;
  if (const int i = scenario.find_member(subject); i >= 0) {
    who = {i};
  } else if (const int g = scenario.find_bloc(subject); g >= 0) {
    who = scenario.blocs[static_cast<std::size_t>(g)].members;
  } else {
    std::vector<std::string> names;
    for (const Member& m : scenario.members) names.push_back(m.code);
    for (const Bloc& b : scenario.blocs) names.push_back(b.name);
    fail(spec, fmt::format("'{}' is neither a member code nor a bloc of the scenario{}", subject,
                           did_you_mean(subject, names)));
  }
  if (is_member_vote(t.quantity)) {
    std::erase_if(who, [&](int i) { return !scenario.members[static_cast<std::size_t>(i)].votes; });
  }
  if (who.empty()) {
    fail(spec,
         fmt::format("'{}' has no {} in this scenario, so '{}' has no value (name a "
                     "member or bloc that {})",
                     subject, is_member_vote(t.quantity) ? "member with voting rights" : "members",
                     name, is_member_vote(t.quantity) ? "votes" : "has members"));
  }
  t.members = std::move(who);
}

// The quantity with its optional `@ROUND`, `:N` (p_reach) or `:CODE|BLOC` (member quantities).
void parse_quantity(const Scenario& scenario, std::string_view text, std::string_view spec,
                    Target& t) {
  std::string_view name = text;
  std::optional<std::string_view> round;
  std::optional<std::string_view> argument;
  if (const std::size_t at = name.find('@'); at != std::string_view::npos) {
    round = name.substr(at + 1);
    name = name.substr(0, at);
  }
  if (const std::size_t colon = name.find(':'); colon != std::string_view::npos) {
    argument = name.substr(colon + 1);
    name = name.substr(0, colon);
  }
  const auto names = quantity_names();
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) {
    std::string hint = did_you_mean(name, names);
    if (hint.empty()) hint = fmt::format(" (expected {})", join_quoted(names));
    fail(spec, fmt::format("unknown quantity '{}'{}", name, hint));
  }
  t.quantity = kQuantities[static_cast<std::size_t>(it - names.begin())];
  if (round) {
    if (t.quantity != Quantity::kSponsors) {
      fail(spec, fmt::format("'@ROUND' applies only to 'sponsors' (the count after a round), "
                             "not to '{}'",
                             name));
    }
    const int rounds = rounds_of(scenario);
    t.round = whole_number(*round, "the round", spec);
    if (*t.round < 0 || *t.round > rounds) {
      fail(spec, fmt::format("round {} is out of range: the scenario runs rounds 0 to {} "
                             "(give 'sponsors@R' with 0 <= R <= {}, or 'sponsors' for the close)",
                             *t.round, rounds, rounds));
    }
  }
  if (t.quantity == Quantity::kPReach) {
    if (!argument) fail(spec, "'p_reach' needs the count to reach, e.g. 'GGE.p_reach:55=0.9'");
    const int members = static_cast<int>(scenario.members.size());
    t.reach = whole_number(*argument, "the count of p_reach:N", spec);
    if (t.reach < 1 || t.reach > members) {
      fail(spec, fmt::format("p_reach:{} is out of range: N must be 1 to {}, the number of members",
                             t.reach, members));
    }
  } else if (is_member_quantity(t.quantity)) {
    if (!argument) {
      fail(spec, fmt::format("'{}' needs a member code or a bloc after ':', e.g. 'OEWG.{}:USA=1'",
                             name, name));
    }
    parse_subject(scenario, *argument, spec, t);
  } else if (argument) {
    fail(spec, fmt::format("':' applies only to 'p_reach:N' and the member quantities "
                           "(p_yes, p_no, p_abstain, p_absent, p_sponsor), not to '{}'",
                           name));
  }
}

double finite_number(std::string_view text, std::string_view what, std::string_view spec) {
  const std::optional<double> x = parse_number(text);
  if (!x || !std::isfinite(*x)) {
    fail(spec, fmt::format("expected a finite number for {}, got '{}'", what, text));
  }
  return *x;
}

}  // namespace

std::string target_label(const Scenario& scenario, const Target& t) {
  std::string label = fmt::format("{}.{}", scenario.drafts[static_cast<std::size_t>(t.draft)].id,
                                  quantity_name(t.quantity));
  if (t.quantity == Quantity::kPReach) label += fmt::format(":{}", t.reach);
  if (is_member_quantity(t.quantity)) label += ":" + t.subject;
  if (t.round) label += fmt::format("@{}", *t.round);
  return label;
}

std::string target_text(const Scenario& scenario, const Target& t) {
  std::string text = fmt::format("{}={}", target_label(scenario, t), format_number(t.value));
  if (t.tolerance_given) text += "~" + format_number(t.tolerance);
  return text;
}

Target parse_target(const Scenario& scenario, std::string_view spec) {
  const std::string_view example = "e.g. 'GGE.yes=139' or 'GGE.sponsors@8=55~2'";
  const std::size_t eq = spec.rfind('=');
  if (eq == std::string_view::npos) {
    fail(spec, fmt::format("expected DRAFT.QUANTITY=VALUE, {}", example));
  }
  const std::string_view name = trim(spec.substr(0, eq));
  std::string_view value = trim(spec.substr(eq + 1));
  // Split at the last dot: draft ids may hold dots (A/C.1/78/L.11), quantities never do.
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) {
    fail(spec, fmt::format("expected DRAFT.QUANTITY before '=', {}", example));
  }
  Target t;
  t.draft = find_draft(scenario, name.substr(0, dot), spec);
  parse_quantity(scenario, name.substr(dot + 1), spec, t);

  if (const std::size_t tilde = value.find('~'); tilde != std::string_view::npos) {
    t.tolerance = finite_number(trim(value.substr(tilde + 1)), "the tolerance after '~'", spec);
    if (!(t.tolerance > 0)) {
      fail(spec,
           fmt::format("the tolerance after '~' must be > 0, got {}", format_number(t.tolerance)));
    }
    t.tolerance_given = true;
    value = trim(value.substr(0, tilde));
  }
  t.value = finite_number(value, "the value", spec);
  const bool probability = is_probability(t.quantity);
  const double high = probability ? 1.0 : static_cast<double>(scenario.members.size());
  if (t.value < 0 || t.value > high) {
    fail(spec,
         probability
             ? fmt::format("'{}' is a probability: the value must be between 0 and 1, got {}",
                           quantity_name(t.quantity), format_number(t.value))
             : fmt::format("'{}' counts members: the value must be between 0 and {}, got {}",
                           quantity_name(t.quantity), format_number(high), format_number(t.value)));
  }
  if (!t.tolerance_given) t.tolerance = probability ? kProbabilityTolerance : kCountTolerance;
  return t;
}

std::vector<Target> parse_targets(const Scenario& scenario, const std::vector<std::string>& texts) {
  if (texts.empty()) {
    throw UsageError(
        "no --target given: name at least one figure to fit, e.g. --target GGE.yes=139");
  }
  std::vector<Target> targets;
  for (const std::string& text : texts) {
    Target t = parse_target(scenario, text);
    const auto key = [&](const Target& u) {
      return std::tuple(u.draft, u.quantity, u.round.value_or(-1), u.reach, u.members);
    };
    for (const Target& other : targets) {
      if (key(other) == key(t)) {
        fail(text, fmt::format("'{}' is already a target: give each figure once",
                               target_label(scenario, t)));
      }
    }
    targets.push_back(t);
  }
  return targets;
}

namespace {

Measurement from_distribution(const Distribution& d) { return {d.mean, d.se.value_or(0), false}; }

Measurement from_probability(const Probability& p) { return {p.p, p.se, false}; }

// The expected intended count of one vote over the replicates in which the draft stood.
Measurement intended_count(const DraftSummary& d, Quantity q) {
  Measurement m;
  m.fallback = true;
  for (const MemberSummary& s : d.members) {
    const std::optional<double>& p = q == Quantity::kYes       ? s.p_yes
                                     : q == Quantity::kNo      ? s.p_no
                                     : q == Quantity::kAbstain ? s.p_abstain
                                                               : s.p_absent;
    m.value += p.value_or(0);
  }
  return m;
}

// A member's probability of a member quantity, with its standard error; nullopt when the
// draft never stood (no intended vote).
std::optional<std::pair<double, double>> member_probability(const MemberSummary& s, Quantity q) {
  switch (q) {
    case Quantity::kPSponsor:
      return std::pair(s.p_sponsor, s.p_sponsor_se);
    case Quantity::kPYes:
      return s.p_yes ? std::optional(std::pair(*s.p_yes, *s.p_yes_se)) : std::nullopt;
    case Quantity::kPNo:
      return s.p_no ? std::optional(std::pair(*s.p_no, *s.p_no_se)) : std::nullopt;
    case Quantity::kPAbstain:
      return s.p_abstain ? std::optional(std::pair(*s.p_abstain, *s.p_abstain_se)) : std::nullopt;
    case Quantity::kPAbsent:
      return s.p_absent ? std::optional(std::pair(*s.p_absent, *s.p_absent_se)) : std::nullopt;
    default:
      break;
  }
  throw std::logic_error("member_probability: not a member quantity");
}

// The mean of the members' probabilities. Its standard error is the mean of theirs: the
// members' votes in one replicate are correlated (the same ties, the same draft), and the
// standard deviation of a sum is at most the sum of the standard deviations, so this bounds
// the true error from above (exact for one member). A draft that never stood gives 0.
Measurement member_mean(const DraftSummary& d, const Target& t) {
  Measurement m;
  for (int i : t.members) {
    const auto p = member_probability(d.members[static_cast<std::size_t>(i)], t.quantity);
    if (!p) continue;
    m.value += p->first;
    m.se += p->second;
  }
  const auto n = static_cast<double>(t.members.size());
  m.value /= n;
  m.se /= n;
  return m;
}

}  // namespace

Measurement measure(const Target& t, const Summary& summary) {
  const DraftSummary& d = summary.drafts[static_cast<std::size_t>(t.draft)];
  switch (t.quantity) {
    case Quantity::kSponsors:
      return from_distribution(t.round ? d.sponsors_by_round[static_cast<std::size_t>(*t.round)]
                                       : d.sponsors_final);
    case Quantity::kYes:
    case Quantity::kNo:
    case Quantity::kAbstain:
    case Quantity::kAbsent: {
      const std::optional<Distribution>& tally = t.quantity == Quantity::kYes       ? d.yes
                                                 : t.quantity == Quantity::kNo      ? d.no
                                                 : t.quantity == Quantity::kAbstain ? d.abstain
                                                                                    : d.absent;
      return tally ? from_distribution(*tally) : intended_count(d, t.quantity);
    }
    case Quantity::kPAdopted:
      return from_probability(d.p_adopted);
    case Quantity::kPWithoutVote:
      return from_probability(d.p_without_vote);
    case Quantity::kPWithdrawn:
      return from_probability(d.p_withdrawn);
    case Quantity::kPReach:
      for (const auto& [n, p] : d.p_reach) {
        if (n == t.reach) return from_probability(p);
      }
      break;
    case Quantity::kPYes:
    case Quantity::kPNo:
    case Quantity::kPAbstain:
    case Quantity::kPAbsent:
    case Quantity::kPSponsor:
      return member_mean(d, t);
  }
  throw std::logic_error(fmt::format("measure: the summary lacks p_reach:{}", t.reach));
}

}  // namespace plenary
