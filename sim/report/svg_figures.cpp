#include "report/svg_figures.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <numeric>

#include "report/svg_base.hpp"

namespace plenary::svg {

namespace {

std::size_t u(int i) { return static_cast<std::size_t>(i); }

std::string member_name(const ReportRun& run, int i) {
  const std::string& name = run.scenario.members[u(i)].name;
  return name.empty() ? run.model.codes[u(i)] : name;
}

std::string draft_label(const ReportRun& run, std::size_t r) {
  return fmt::format("draft {}", run.model.drafts[r].id);
}

// Hover text of a member: who it is and its figures for the draft.
std::string member_tooltip(const ReportRun& run, const MemberSummary& m) {
  std::string out = fmt::format("{} {}: co-sponsor {}", run.model.codes[u(m.member)],
                                member_name(run, m.member), percent(m.p_sponsor));
  if (!m.p_yes) {
    return out + (run.model.votes[u(m.member)] ? "" : "; no vote (Article 19)");
  }
  return out + fmt::format("; Yes {}, No {}, Abstain {}, Absent {}", percent(*m.p_yes),
                           percent(*m.p_no), percent(*m.p_abstain), percent(*m.p_absent));
}

// Left to right: Yes, Abstain, Absent, no vote, No; within each, from the surest Yes.
int seat_rank(SeatState s) {
  switch (s) {
    case SeatState::kYes:
      return 0;
    case SeatState::kAbstain:
      return 1;
    case SeatState::kAbsent:
      return 2;
    case SeatState::kNoVote:
      return 3;
    case SeatState::kNo:
      return 4;
  }
  return 5;
}

}  // namespace

SeatState most_likely_vote(const MemberSummary& m) {
  if (!m.p_yes) return SeatState::kNoVote;
  SeatState best = SeatState::kYes;
  double p = *m.p_yes;
  const std::array<std::pair<SeatState, double>, 3> others = {{{SeatState::kNo, *m.p_no},
                                                               {SeatState::kAbstain, *m.p_abstain},
                                                               {SeatState::kAbsent, *m.p_absent}}};
  for (const auto& [state, q] : others) {
    if (q > p) best = state, p = q;
  }
  return best;
}

int adoption_yes(Majority rule, int median_no) {
  const int simple = median_no + 1;
  return rule == Majority::kSimple ? simple : std::max(simple, 2 * median_no);
}

std::string sponsorship_figure(const ReportRun& run, std::size_t r) {
  const DraftSummary& d = run.summary.drafts[r];
  FanChart c;
  c.label = "Co-sponsors by round, " + draft_label(run, r);
  for (const Distribution& x : d.sponsors_by_round) {
    c.p5.push_back(x.p5);
    c.p50.push_back(x.p50);
    c.p95.push_back(x.p95);
    c.mean.push_back(x.mean);
  }
  for (const auto& [n, p] : d.p_reach) c.targets.push_back(n);
  c.opens = run.model.drafts[r].opens;
  c.closes = run.model.drafts[r].closes;
  return fan_chart(c);
}

std::string seat_figure(const ReportRun& run, std::size_t r) {
  const DraftSummary& d = run.summary.drafts[r];
  if (run.results.drafts[r].stood == 0) return "";
  std::vector<int> order(d.members.size());
  std::iota(order.begin(), order.end(), 0);
  auto lean = [&](int i) {
    const MemberSummary& m = d.members[u(i)];
    return m.p_yes ? *m.p_yes - *m.p_no : 0.0;
  };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    const int ra = seat_rank(most_likely_vote(d.members[u(a)]));
    const int rb = seat_rank(most_likely_vote(d.members[u(b)]));
    return ra != rb ? ra < rb : lean(a) > lean(b);
  });
  std::vector<Seat> seats;
  for (int i : order) {
    const MemberSummary& m = d.members[u(i)];
    const SeatState s = most_likely_vote(m);
    seats.push_back(
        {run.model.codes[u(i)],
         fmt::format("{} (most likely: {})", member_tooltip(run, m), seat_state_name(s)), s});
  }
  return hemicycle(seats, "Most likely vote of each member, " + draft_label(run, r));
}

std::string tally_figure(const ReportRun& run, std::size_t r) {
  const DraftSummary& d = run.summary.drafts[r];
  if (d.tally_replicates == 0 || !d.no) return "";
  const std::vector<std::uint64_t>& tally = run.results.drafts[r].tally;
  const std::size_t n1 = u(run.model.members) + 1;
  TallyChart c;
  c.label = "Recorded Yes and No counts, " + draft_label(run, r);
  // DraftCounts::tally holds one histogram of n1 counts per vote, at vote_index(v) * n1.
  const auto histogram = [&](Vote v) {
    const auto first = tally.begin() + static_cast<std::ptrdiff_t>(vote_index(v) * n1);
    return std::vector<std::uint64_t>(first, first + static_cast<std::ptrdiff_t>(n1));
  };
  c.yes = histogram(Vote::kYes);
  c.no = histogram(Vote::kNo);
  const int yes = adoption_yes(run.model.drafts[r].majority, d.no->p50);
  c.adoption_line = yes;
  c.adoption_label = fmt::format("adopted if Yes \u2265 {} (median No {})", yes, d.no->p50);
  return tally_chart(c);
}

namespace {

// Every draft's position, and the status quos (merged where drafts share one).
std::vector<SpaceMarker> space_markers(const ReportRun& run, std::size_t r, bool one_dim) {
  std::vector<SpaceMarker> markers;
  std::vector<std::pair<Eigen::VectorXd, std::vector<std::string>>> quos;
  for (std::size_t k = 0; k < run.model.drafts.size(); ++k) {
    const ModelDraft& md = run.model.drafts[k];
    auto at = [&](const Eigen::VectorXd& v, int dim) { return dim < v.size() ? v[dim] : 0.0; };
    markers.push_back(
        {at(md.position, 0), one_dim ? 0.0 : at(md.position, 1), md.id, false, k == r});
    auto same = [&](const auto& q) { return q.first == md.status_quo; };
    auto it = std::find_if(quos.begin(), quos.end(), same);
    if (it == quos.end()) {
      quos.push_back({md.status_quo, {md.id}});
    } else {
      it->second.push_back(md.id);
    }
  }
  for (const auto& [q, ids] : quos) {
    std::string label = "status quo";
    if (quos.size() > 1) label += " of " + fmt::format("{}", fmt::join(ids, ", "));
    markers.push_back({q[0], one_dim || q.size() < 2 ? 0.0 : q[1], label, true, false});
  }
  return markers;
}

}  // namespace

SpaceChart space_data(const ReportRun& run, std::size_t r) {
  const DraftSummary& d = run.summary.drafts[r];
  SpaceChart c;
  c.label = "Members in the policy space by P(co-sponsor), " + draft_label(run, r);
  c.value_name = "P(co-sponsor)";
  c.one_dimensional = run.model.dims < 2;
  // The original sponsors of every draft are always named.
  std::vector<bool> named(u(run.model.members), false);
  for (const Draft& draft : run.scenario.drafts) {
    for (int i : draft.sponsors) named[u(i)] = true;
  }
  for (const MemberSummary& m : d.members) {
    const auto row = static_cast<Eigen::Index>(m.member);
    // In one dimension the vertical offset only spreads the points (deterministically).
    const double y =
        c.one_dimensional ? ((m.member * 37) % 17 - 8) / 10.0 : run.model.positions(row, 1);
    c.points.push_back({run.model.positions(row, 0), y, m.p_sponsor, run.model.codes[u(m.member)],
                        member_tooltip(run, m), named[u(m.member)]});
  }
  c.markers = space_markers(run, r, c.one_dimensional);
  return c;
}

std::string space_figure(const ReportRun& run, std::size_t r) {
  return space_chart(space_data(run, r));
}

}  // namespace plenary::svg
