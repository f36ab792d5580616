#include "plenary/calibrate/vote_matrix.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "plenary/util/error.hpp"
#include "plenary/util/text.hpp"

namespace plenary::calibrate {

namespace {

void check_options(const WindowOptions& o) {
  if (o.first_session < 1 || o.last_session < o.first_session) {
    throw UsageError(fmt::format("--sessions {}-{}: expected FIRST-LAST with 1 <= FIRST <= LAST",
                                 o.first_session, o.last_session));
  }
  if (!(o.min_minority >= 0.0 && o.min_minority < 0.5)) {
    throw UsageError(
        fmt::format("--min-minority {}: expected a share in [0, 0.5)", o.min_minority));
  }
  if (o.min_votes < 1) {
    throw UsageError(fmt::format("--min-votes {}: expected a count >= 1", o.min_votes));
  }
  for (const std::string& issue : o.issues) {
    if (std::find(std::begin(kIssueCodes), std::end(kIssueCodes), issue) == std::end(kIssueCodes)) {
      throw UsageError(fmt::format("unknown issue code '{}': expected one of {}", issue,
                                   fmt::join(kIssueCodes, ", ")));
    }
  }
}

bool in_window(const RollCall& rc, const WindowOptions& o) {
  if (rc.session < o.first_session || rc.session > o.last_session) return false;
  if (o.important_only && !rc.important) return false;
  if (o.drop_amendments && (rc.amendment || rc.paragraph)) return false;
  if (o.issues.empty()) return true;
  return std::any_of(rc.issues.begin(), rc.issues.end(), [&](const std::string& issue) {
    return std::find(o.issues.begin(), o.issues.end(), issue) != o.issues.end();
  });
}

std::string describe_window(const WindowOptions& o) {
  std::string text = fmt::format("sessions {}-{}", o.first_session, o.last_session);
  if (!o.issues.empty()) text += fmt::format(" with issues {}", fmt::join(o.issues, ","));
  if (o.important_only) text += ", important votes only";
  if (o.drop_amendments) text += ", amendments and paragraphs dropped";
  return text;
}

// Yes/No minority share of a column of vote codes, and whether it is kept.
bool balanced(const VoteCodes& codes, Eigen::Index column, double min_minority) {
  int yes = 0;
  int no = 0;
  for (Eigen::Index i = 0; i < codes.rows(); ++i) {
    const Vote v = vote_of_code(codes(i, column));
    yes += v == Vote::kYes;
    no += v == Vote::kNo;
  }
  if (yes + no == 0 || yes == 0 || no == 0) return false;
  return static_cast<double>(std::min(yes, no)) / (yes + no) >= min_minority;
}

}  // namespace

VoteMatrix select_window(const VoteData& data, const WindowOptions& options) {
  check_options(options);
  if (data.source == VoteSource::kUndl && (!options.issues.empty() || options.important_only)) {
    throw UsageError(
        fmt::format("{} needs Voeten's data (a directory with votes.csv, roll_calls.csv and "
                    "roll_call_issues.csv): the UN's voting data has no issue codes and no list of "
                    "important votes",
                    options.issues.empty() ? "--important-only" : "--issues"));
  }
  VoteMatrix m;
  std::vector<std::int32_t> column(data.roll_calls.size(), -1);
  std::vector<std::int32_t> window;  // roll-call indices, chronological
  for (std::size_t r = 0; r < data.roll_calls.size(); ++r) {
    if (!in_window(data.roll_calls[r], options)) continue;
    column[r] = static_cast<std::int32_t>(window.size());
    window.push_back(static_cast<std::int32_t>(r));
  }
  if (window.empty()) {
    throw DataError(fmt::format("no roll calls in the window ({})", describe_window(options)));
  }
  // Every state that voted in the window, in order of first appearance in the data.
  std::vector<std::int32_t> row(data.states.size(), -1);
  std::vector<std::int32_t> states;
  for (const CastVote& v : data.votes) {
    if (column[v.roll_call] >= 0 && row[v.state] < 0) {
      row[v.state] = 0;
      states.push_back(v.state);
    }
  }
  std::sort(states.begin(), states.end());
  for (std::size_t i = 0; i < states.size(); ++i) row[states[i]] = static_cast<std::int32_t>(i);
  VoteCodes all = VoteCodes::Zero(static_cast<Eigen::Index>(states.size()),
                                  static_cast<Eigen::Index>(window.size()));
  for (const CastVote& v : data.votes) {
    if (column[v.roll_call] >= 0) all(row[v.state], column[v.roll_call]) = vote_code(v.vote);
  }
  // Lopsided roll calls first, then members with too few votes on those left.
  std::vector<Eigen::Index> kept_columns;
  for (Eigen::Index j = 0; j < all.cols(); ++j) {
    if (balanced(all, j, options.min_minority)) kept_columns.push_back(j);
  }
  m.dropped_lopsided = static_cast<int>(window.size() - kept_columns.size());
  if (kept_columns.empty()) {
    throw DataError(fmt::format(
        "{} in the window ({}) {} lopsided: no Yes/No minority of at "
        "least {}",
        window.size() == 1 ? std::string("the only roll call")
                           : fmt::format("all {} roll calls", window.size()),
        describe_window(options), window.size() == 1 ? "is" : "are", options.min_minority));
  }
  std::vector<Eigen::Index> kept_rows;
  for (Eigen::Index i = 0; i < all.rows(); ++i) {
    int votes = 0;
    for (const Eigen::Index j : kept_columns) {
      const Vote v = vote_of_code(all(i, j));
      votes += v == Vote::kYes || v == Vote::kNo;
    }
    if (votes >= options.min_votes) {
      kept_rows.push_back(i);
    } else {
      m.dropped_members.push_back({data.states[states[i]], votes});
    }
  }
  if (kept_rows.empty()) {
    throw DataError(fmt::format("no member has {} or more Yes/No votes in the window ({})",
                                options.min_votes, describe_window(options)));
  }
  const auto n = static_cast<Eigen::Index>(kept_rows.size());
  m.votes.resize(n, static_cast<Eigen::Index>(kept_columns.size()));
  m.window_votes.resize(n, all.cols());
  for (Eigen::Index i = 0; i < n; ++i) {
    const std::int32_t state = states[kept_rows[i]];
    m.members.push_back(data.states[state]);
    m.window_votes.row(i) = all.row(kept_rows[i]);
    for (std::size_t k = 0; k < kept_columns.size(); ++k) {
      m.votes(i, static_cast<Eigen::Index>(k)) = all(kept_rows[i], kept_columns[k]);
    }
    const auto [first, last] = data.membership[state];
    int member = 0;
    int absent = 0;
    for (Eigen::Index j = 0; j < all.cols(); ++j) {
      if (window[j] < first || window[j] > last) continue;
      ++member;
      absent += all(kept_rows[i], j) == vote_code(Vote::kAbsent);
    }
    m.absence.push_back(member > 0 ? static_cast<double>(absent) / member : 0.0);
  }
  for (const std::int32_t r : window) m.window_rcids.push_back(data.roll_calls[r].rcid);
  for (const Eigen::Index j : kept_columns) m.rcids.push_back(m.window_rcids[j]);
  m.unmapped = data.unmapped;
  m.source = data.source;
  m.first_date = data.roll_calls[window.front()].date;
  m.last_date = data.roll_calls[window.back()].date;
  return m;
}

std::pair<int, int> parse_session_range(std::string_view text) {
  const auto number = [&](std::string_view part) {
    int value = 0;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || ec != std::errc() || end != part.data() + part.size() || value < 1) {
      throw UsageError(
          fmt::format("--sessions '{}': expected a session (70) or a range (65-72)", text));
    }
    return value;
  };
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) {
    const int s = number(text);
    return {s, s};
  }
  const int first = number(text.substr(0, dash));
  const int last = number(text.substr(dash + 1));
  if (last < first) {
    throw UsageError(fmt::format("--sessions '{}': the first session is after the last", text));
  }
  return {first, last};
}

std::vector<std::string> parse_issue_list(std::string_view text) {
  std::vector<std::string> issues;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = std::min(text.find(',', start), text.size());
    const std::string code(text.substr(start, comma - start));
    if (std::find(std::begin(kIssueCodes), std::end(kIssueCodes), code) == std::end(kIssueCodes)) {
      throw UsageError(fmt::format("--issues: unknown issue code '{}': expected one of {}", code,
                                   fmt::join(kIssueCodes, ", ")));
    }
    issues.push_back(code);
    start = comma + 1;
  }
  return issues;
}

}  // namespace plenary::calibrate
