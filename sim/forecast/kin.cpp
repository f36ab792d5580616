// Kin matching by title (docs/forecast.md, "Kin").
#include "plenary/forecast/kin.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <tuple>
#include <utility>

namespace plenary::forecast {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// British to American spelling, one word at a time. Whole words first, then endings.
std::string american(std::string word) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kWords = {{
      {"centre", "center"},
      {"centres", "centers"},
      {"programme", "program"},
      {"programmes", "programs"},
      {"defence", "defense"},
      {"licence", "license"},
      {"offence", "offense"},
      {"judgement", "judgment"},
      {"judgements", "judgments"},
      {"fulfil", "fulfill"},
      {"enrol", "enroll"},
      {"ageing", "aging"},
  }};
  for (const auto& [british, us] : kWords) {
    if (word == british) return std::string(us);
  }
  // -isation(s), -ise, -ised, -ises, -ising, -yse...: consistent on both sides is enough.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kEndings = {{
      {"isations", "izations"},
      {"isation", "ization"},
      {"ising", "izing"},
      {"ised", "ized"},
      {"ises", "izes"},
      {"ise", "ize"},
      {"yse", "yze"},
      {"ysed", "yzed"},
      {"ours", "ors"},
      {"our", "or"},
  }};
  for (const auto& [british, us] : kEndings) {
    if (word.size() > british.size() + 1 && ends_with(word, british)) {
      word.replace(word.size() - british.size(), british.size(), us);
      return word;
    }
  }
  return word;
}

// The trailing ": ..." part that names the document rather than the resolution (with or
// without a space before the colon: sessions 61-68 write both).
std::string_view strip_document_suffix(std::string_view lower) {
  std::size_t colon = lower.rfind(':');
  if (colon != std::string_view::npos && colon > 0 && lower[colon - 1] == ' ') --colon;
  if (colon == std::string_view::npos) return lower;
  const std::string_view tail = lower.substr(colon);
  if (tail.find("resolution") != std::string_view::npos ||
      tail.find("adopted by") != std::string_view::npos) {
    return lower.substr(0, colon);
  }
  return lower;
}

// A `short` without lower-case letters: in sessions 61-68 a library subject heading
// ("HUMAN RIGHTS ADVANCEMENT"), shared by different resolutions of one session.
bool subject_heading(std::string_view title) {
  return std::none_of(title.begin(), title.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

// Whether a `descr` is a resolution's title followed by the document part
// ("Promotion of a democratic and equitable international order : resolution / adopted by
// the General Assembly"), as sessions 61-68 give it beside a subject heading.
bool names_resolution(std::string_view description) {
  const auto lower_case = [](char c) { return c >= 'a' && c <= 'z'; };
  if (std::none_of(description.begin(), description.end(), lower_case)) return false;
  std::string lower(description);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string_view stripped = strip_document_suffix(lower);
  return stripped.size() < lower.size() && !normalise_title(description).empty();
}

constexpr std::array<std::string_view, 17> kFunctionWords = {
    "the", "of",   "and", "in", "on", "to",   "for", "a",  "an",
    "by",  "with", "its", "at", "as", "from", "or",  "all"};

}  // namespace

std::string normalise_title(std::string_view title) {
  std::string lower(title);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  const std::string_view body = strip_document_suffix(lower);
  std::string out;
  std::string word;
  auto flush = [&] {
    if (word.empty()) return;
    if (!out.empty()) out += ' ';
    out += american(std::move(word));
    word.clear();
  };
  for (const char c : body) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      word += c;
    } else {
      flush();
    }
  }
  flush();
  return out;
}

std::vector<std::string> content_tokens(std::string_view normalised) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < normalised.size()) {
    std::size_t end = normalised.find(' ', start);
    if (end == std::string_view::npos) end = normalised.size();
    const std::string_view w = normalised.substr(start, end - start);
    if (!w.empty() &&
        std::find(kFunctionWords.begin(), kFunctionWords.end(), w) == kFunctionWords.end()) {
      out.emplace_back(w);
    }
    start = end + 1;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

double token_similarity(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::size_t common = 0;
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i < *j) {
      ++i;
    } else if (*j < *i) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  const std::size_t all = a.size() + b.size() - common;
  return all == 0 ? 0.0 : static_cast<double>(common) / static_cast<double>(all);
}

std::string own_title(const calibrate::RollCall& rc) {
  if (!normalise_title(rc.title).empty()) {
    const bool heading = subject_heading(rc.title) && names_resolution(rc.description);
    return heading ? rc.description : rc.title;
  }
  const std::string_view d = rc.description;
  if (d.find("President:") == std::string_view::npos) return std::string(d);
  // A passage of the meeting record: the title it quotes after "entitled", if any.
  const std::size_t at = d.find("entitled");
  if (at == std::string_view::npos) return {};
  std::size_t begin = d.find_first_not_of(' ', at + 8);
  if (begin == std::string_view::npos) return {};
  std::string_view close;
  if (d[begin] == '_') {
    close = "<d3>";
    begin += 1;
  } else if (d[begin] == '"') {
    close = "\"";
    begin += 1;
  } else if (d.substr(begin, 3) == "\u201c") {
    close = "\u201d";
    begin += 3;
  } else {
    return {};
  }
  const std::size_t end = d.find(close, begin);
  if (end == std::string_view::npos) return {};
  return std::string(d.substr(begin, end - begin));
}

KinFinder::KinFinder(const calibrate::VoteData& data, int before_session,
                     const std::vector<bool>& has_votes)
    : data_(data) {
  for (const calibrate::RollCall& rc : data.roll_calls) {
    if (rc.unres.empty()) continue;
    std::string title = normalise_title(own_title(rc));
    if (!title.empty()) by_resolution_.emplace(std::pair(rc.session, rc.unres), std::move(title));
  }
  for (std::size_t k = data.roll_calls.size(); k-- > 0;) {
    const calibrate::RollCall& rc = data.roll_calls[k];
    if (rc.session >= before_session || !has_votes[k]) continue;
    std::string title = title_of(rc);
    if (title.empty()) continue;  // an untitled roll call is nobody's kin
    std::vector<std::string> tokens = content_tokens(title);
    candidates_.push_back({k, std::move(title), std::move(tokens)});
  }
  // roll_calls are chronological (date, rcid); latest first, ties by the later session.
  std::stable_sort(candidates_.begin(), candidates_.end(),
                   [&](const Candidate& x, const Candidate& y) {
                     return data.roll_calls[x.index].session > data.roll_calls[y.index].session;
                   });
}

std::optional<Kin> KinFinder::find(const calibrate::RollCall& item) const {
  return find(item, std::numeric_limits<int>::max());
}

std::string KinFinder::title_of(const calibrate::RollCall& item) const {
  std::string title = normalise_title(own_title(item));
  if (!title.empty() || item.unres.empty()) return title;
  const auto other = by_resolution_.find(std::pair(item.session, item.unres));
  return other == by_resolution_.end() ? std::string() : other->second;
}

std::optional<Kin> KinFinder::find(const calibrate::RollCall& item, int before_session) const {
  const std::string title = title_of(item);
  if (title.empty()) return std::nullopt;
  const bool whole = whole_resolution(item);
  const Candidate* any = nullptr;
  for (const Candidate& c : candidates_) {
    if (c.title != title || data_.roll_calls[c.index].session >= before_session) continue;
    if (whole_resolution(data_.roll_calls[c.index]) == whole)
      return Kin{c.index, KinRule::kExactTitle, 1.0};
    if (any == nullptr) any = &c;
  }
  if (any != nullptr) return Kin{any->index, KinRule::kExactTitle, 1.0};
  const std::vector<std::string> tokens = content_tokens(title);
  auto shares_issue = [&](const calibrate::RollCall& rc) {
    for (const std::string& issue : rc.issues) {
      if (std::find(item.issues.begin(), item.issues.end(), issue) != item.issues.end())
        return true;
    }
    return false;
  };
  const Candidate* best = nullptr;
  std::tuple<double, bool, bool> best_key{-1.0, false, false};
  for (const Candidate& c : candidates_) {  // latest first: a tie keeps the later one
    if (data_.roll_calls[c.index].session >= before_session) continue;
    const double s = token_similarity(tokens, c.tokens);
    if (s < kKinSimilarityThreshold) continue;
    const calibrate::RollCall& rc = data_.roll_calls[c.index];
    const std::tuple<double, bool, bool> key{s, shares_issue(rc), whole_resolution(rc) == whole};
    if (key > best_key) {
      best_key = key;
      best = &c;
    }
  }
  if (best == nullptr) return std::nullopt;
  return Kin{best->index, KinRule::kSimilarTitle, std::get<0>(best_key)};
}

}  // namespace plenary::forecast
