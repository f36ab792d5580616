// Drafts like a recorded roll call (include/plenary/forecast/like.hpp, docs/model.md).

#include "plenary/forecast/like.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>

#include "plenary/calibrate/vote_data.hpp"
#include "plenary/forecast/dynamic_ideal_points.hpp"
#include "plenary/scenario/loader.hpp"
#include "plenary/util/assert.hpp"
#include "plenary/util/text.hpp"

namespace plenary::forecast {

namespace {

using calibrate::VoteData;

std::optional<int> as_rcid(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string vector_text(const Eigen::VectorXd& v) {
  std::string out = "[";
  for (Eigen::Index k = 0; k < v.size(); ++k) out += fmt::format("{}{:.4g}", k ? ", " : "", v(k));
  return out + "]";
}

// The index of the roll call `like` names, or a ScenarioError at its roll_call.
std::size_t find_roll_call(const VoteData& data, const LikeSource& like) {
  const SourceLocation& at = like.roll_call_where;
  if (const std::optional<int> rcid = as_rcid(like.roll_call)) {
    if (const auto index = data.find_roll_call(*rcid)) return *index;
    int first = std::numeric_limits<int>::max();
    int last = std::numeric_limits<int>::min();
    for (const calibrate::RollCall& rc : data.roll_calls) {
      first = std::min(first, rc.rcid);
      last = std::max(last, rc.rcid);
    }
    throw ScenarioError(at, fmt::format("roll call {} is not in the votes at '{}' (their rcids run "
                                        "from {} to {}; or give a resolution symbol, e.g. "
                                        "'A/RES/73/27')",
                                        *rcid, like.votes, first, last));
  }
  const std::string wanted = normalise_symbol(like.roll_call);
  std::vector<std::size_t> hits;
  std::vector<std::string> symbols;
  for (std::size_t j = 0; j < data.roll_calls.size(); ++j) {
    const std::string symbol = normalise_symbol(data.roll_calls[j].unres);
    if (symbol.empty()) continue;
    if (symbol == wanted) hits.push_back(j);
    symbols.push_back(symbol);
  }
  if (hits.size() == 1) return hits.front();
  if (hits.empty()) {
    const std::optional<std::string> near = nearest_word(wanted, symbols);
    std::string hint;
    if (near) {
      for (const calibrate::RollCall& rc : data.roll_calls) {
        if (normalise_symbol(rc.unres) != *near) continue;
        hint = fmt::format(" (did you mean '{}', rcid {}, {}?)", rc.unres, rc.rcid, rc.date);
        break;
      }
    }
    throw ScenarioError(at, fmt::format("no roll call on resolution '{}' in the votes at '{}'{}",
                                        like.roll_call, like.votes, hint));
  }
  std::string list;
  for (std::size_t k = 0; k < hits.size(); ++k) {
    const calibrate::RollCall& rc = data.roll_calls[hits[k]];
    list += fmt::format("{}rcid {} ({}{}{})", k ? ", " : "", rc.rcid, rc.date,
                        rc.paragraph ? ", a paragraph" : "", rc.amendment ? ", an amendment" : "");
  }
  throw ScenarioError(at, fmt::format("resolution '{}' has {} roll calls in the votes at '{}': {}; "
                                      "give the one meant by its rcid, e.g. 'roll_call: {}'",
                                      like.roll_call, hits.size(), like.votes, list,
                                      data.roll_calls[hits.front()].rcid));
}

LikeReport place_one(Scenario& s, const LikeSource& like, const VoteData& data) {
  Draft& d = s.drafts[static_cast<std::size_t>(like.draft)];
  const std::size_t index = find_roll_call(data, like);
  const calibrate::RollCall& rc = data.roll_calls[index];
  LikeReport out;
  out.draft = d.id;
  out.roll_call = like.roll_call;
  out.votes = like.votes;
  out.rcid = rc.rcid;
  out.symbol = rc.unres;
  out.title = rc.title;
  out.date = rc.date;

  std::unordered_map<std::string, int> member;
  for (std::size_t i = 0; i < s.members.size(); ++i)
    member[s.members[i].code] = static_cast<int>(i);
  // Voters in the scenario's member order, so that the placement does not depend on the
  // order of the data file.
  std::vector<Vote> by_member(s.members.size(), Vote::kAbsent);
  for (const calibrate::CastVote& v : data.votes) {
    if (v.roll_call != static_cast<std::int32_t>(index) || v.vote == Vote::kAbsent) continue;
    const auto it = member.find(data.states[static_cast<std::size_t>(v.state)].alpha3);
    if (it == member.end()) {
      ++out.others;
      continue;
    }
    by_member[static_cast<std::size_t>(it->second)] = v.vote;
  }
  std::vector<Vote> votes;
  std::vector<int> voters;
  for (std::size_t i = 0; i < by_member.size(); ++i) {
    const Vote v = by_member[i];
    if (v == Vote::kAbsent) continue;
    voters.push_back(static_cast<int>(i));
    votes.push_back(v);
    out.yes += v == Vote::kYes;
    out.abstain += v == Vote::kAbstain;
    out.no += v == Vote::kNo;
  }
  if (votes.empty()) {
    throw ScenarioError(
        like.roll_call_where,
        fmt::format("roll call {} ('{}', rcid {}, {}) has no recorded votes by the scenario's "
                    "members{} in '{}': a vote adopted without a vote cannot be placed; name a "
                    "recorded vote",
                    like.roll_call, rc.unres, rc.rcid, rc.date,
                    out.others
                        ? fmt::format(" ({} by states that are not members here)", out.others)
                        : std::string(),
                    like.votes));
  }
  Eigen::MatrixXd x(static_cast<Eigen::Index>(voters.size()), s.dims);
  for (std::size_t k = 0; k < voters.size(); ++k) {
    x.row(static_cast<Eigen::Index>(k)) =
        s.members[static_cast<std::size_t>(voters[k])].position.transpose();
  }
  const Placement placed = place_roll_call(x, votes, kLikePrecision);
  out.theta = placed.theta;
  out.se = placed.se;
  out.converged = placed.converged;

  const Parameters effective = d.parameters.apply(s.parameters);
  out.phi_fit = effective.phi_fit;
  if (!(out.phi_fit > 0)) {
    throw ScenarioError(like.roll_call_where,
                        fmt::format("draft '{}': 'like' needs phi_fit > 0 (the vote line is "
                                    "b = 2 phi_fit (p - q)), got {}",
                                    d.id, out.phi_fit));
  }
  out.position_sponsors = !d.position.has_value();
  out.position = d.position ? *d.position : sponsor_position(s, d.sponsors, d.id);
  out.mapped = map_placement(placed.theta, placed.covariance, out.position, out.phi_fit);

  const std::size_t k_yes = *find_parameter("tau_yes");
  const std::size_t k_no = *find_parameter("tau_no");
  out.status_quo_given = like.status_quo_given;
  out.tau_yes_given = d.parameters.values[k_yes].has_value();
  out.tau_no_given = d.parameters.values[k_no].has_value();
  if (!out.status_quo_given) d.status_quo = out.mapped.status_quo;
  if (!out.tau_yes_given) d.parameters.values[k_yes] = out.mapped.tau_yes;
  if (!out.tau_no_given) d.parameters.values[k_no] = out.mapped.tau_no;
  return out;
}

}  // namespace

std::string normalise_symbol(std::string_view symbol) {
  std::string out;
  for (const char c : symbol) {
    if (c == ' ') continue;
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (out.rfind("A/RES/", 0) == 0) out = "R/" + out.substr(6);
  return out;
}

LikeMap map_placement(const Eigen::VectorXd& theta, const Eigen::MatrixXd& covariance,
                      const Eigen::VectorXd& position, double phi) {
  const Eigen::Index d = position.size();
  const Eigen::VectorXd b = theta.tail(d);
  LikeMap out;
  out.status_quo = position - b / (2.0 * phi);
  const double k = phi * (out.status_quo.squaredNorm() - position.squaredNorm());
  out.tau_yes = k - theta(0);
  out.tau_no = theta(1) - k;
  // The delta method: rows q_1..q_D, tau_yes, tau_no; columns a, c, b_1..b_D.
  // dq/db = -I / (2 phi); dK/db = 2 phi q' dq/db = -q'.
  Eigen::MatrixXd jacobian = Eigen::MatrixXd::Zero(d + 2, d + 2);
  jacobian.block(0, 2, d, d) = -Eigen::MatrixXd::Identity(d, d) / (2.0 * phi);
  jacobian(d, 0) = -1.0;
  jacobian.block(d, 2, 1, d) = -out.status_quo.transpose();
  jacobian(d + 1, 1) = 1.0;
  jacobian.block(d + 1, 2, 1, d) = out.status_quo.transpose();
  Eigen::VectorXd se = Eigen::VectorXd::Constant(d + 2, std::numeric_limits<double>::quiet_NaN());
  if (covariance.rows() == d + 2 && covariance.cols() == d + 2) {
    se = (jacobian * covariance * jacobian.transpose()).diagonal().cwiseMax(0.0).cwiseSqrt();
  }
  out.status_quo_se = se.head(d);
  out.tau_yes_se = se(d);
  out.tau_no_se = se(d + 1);
  return out;
}

std::vector<LikeReport> place_likes(Scenario& scenario, const std::vector<LikeSource>& likes) {
  std::vector<LikeReport> out;
  std::map<std::string, VoteData> loaded;
  for (const LikeSource& like : likes) {
    PLENARY_ASSERT(like.draft >= 0 && like.draft < static_cast<int>(scenario.drafts.size()));
    auto it = loaded.find(like.votes_path);
    if (it == loaded.end())
      it = loaded.emplace(like.votes_path, calibrate::load_vote_data(like.votes_path)).first;
    out.push_back(place_one(scenario, like, it->second));
  }
  if (!out.empty()) validate(scenario);
  return out;
}

std::string format_likes(const std::vector<LikeReport>& reports) {
  std::string out;
  for (const LikeReport& l : reports) {
    const Eigen::Index d = l.position.size();
    out += fmt::format("draft '{}' like {}: rcid {}, '{}', {}, {}\n", l.draft, l.roll_call, l.rcid,
                       l.symbol, l.date, l.title);
    out +=
        fmt::format("  votes seen ({}): {} yes, {} abstain, {} no by members of the scenario{}\n",
                    l.votes, l.yes, l.abstain, l.no,
                    l.others ? fmt::format("; {} by states not in it (unused)", l.others) : "");
    std::string b;
    for (Eigen::Index k = 0; k < d; ++k) {
      b += fmt::format("{}{:.4g} ± {:.2g}", k ? ", " : "", l.theta(2 + k), l.se(2 + k));
    }
    out += fmt::format(
        "  placed (ordered logit, posterior mode{}): a = {:.4g} ± {:.2g}, c = {:.4g} ± "
        "{:.2g}, b = [{}]\n",
        l.converged ? "" : ", NOT CONVERGED", l.theta(0), l.se(0), l.theta(1), l.se(1), b);
    std::string q;
    for (Eigen::Index k = 0; k < d; ++k) {
      q += fmt::format("{}{:.4g} ± {:.2g}", k ? ", " : "", l.mapped.status_quo(k),
                       l.mapped.status_quo_se(k));
    }
    const auto kept = [](bool given) {
      return given ? " (the draft's own value kept instead)" : "";
    };
    out += fmt::format(
        "  set: status_quo [{}]{}, tau_yes {:.4g} ± {:.2g}{}, tau_no {:.4g} ± {:.2g}{}\n", q,
        kept(l.status_quo_given), l.mapped.tau_yes, l.mapped.tau_yes_se, kept(l.tau_yes_given),
        l.mapped.tau_no, l.mapped.tau_no_se, kept(l.tau_no_given));
    out += fmt::format("  held: position {}{}, phi_fit {:.4g}\n", vector_text(l.position),
                       l.position_sponsors ? " (the sponsors' mean)" : "", l.phi_fit);
  }
  return out;
}

}  // namespace plenary::forecast
