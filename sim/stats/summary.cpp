#include "plenary/stats/summary.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "plenary/util/assert.hpp"

namespace plenary {

namespace {

// The smallest value whose cumulative count reaches ceil(percent / 100 * n), n >= 1.
int nearest_rank(const std::uint64_t* counts, std::size_t size, std::uint64_t n, int percent) {
  const std::uint64_t rank =
      std::max<std::uint64_t>(1, (static_cast<std::uint64_t>(percent) * n + 99) / 100);
  std::uint64_t cumulative = 0;
  for (std::size_t x = 0; x < size; ++x) {
    cumulative += counts[x];
    if (cumulative >= rank) return static_cast<int>(x);
  }
  return static_cast<int>(size) - 1;
}

double entropy_bits(const std::array<std::uint64_t, kVotes>& counts) {
  std::uint64_t total = 0;
  for (std::uint64_t c : counts) total += c;
  const double n = static_cast<double>(total);
  if (n <= 0) return 0;
  double h = 0;
  for (std::uint64_t c : counts) {
    if (c == 0) continue;
    const double p = static_cast<double>(c) / n;
    h -= p * std::log2(p);
  }
  return h;
}

MemberSummary summarise_member(const Model& model, const DraftCounts& c, long replicates, int i) {
  MemberSummary m;
  m.member = i;
  const Probability sponsor = estimate(c.member_sponsor[static_cast<std::size_t>(i)],
                                       static_cast<std::uint64_t>(replicates));
  m.p_sponsor = sponsor.p;
  m.p_sponsor_se = sponsor.se;
  if (!model.votes[static_cast<std::size_t>(i)] || c.stood == 0) return m;
  std::array<std::uint64_t, kVotes> v{};  // in vote_index order
  for (const Vote vote : kAllVotes) {
    v[vote_index(vote)] = c.member_votes[kVotes * static_cast<std::size_t>(i) + vote_index(vote)];
  }
  const Probability yes = estimate(v[vote_index(Vote::kYes)], c.stood);
  const Probability no = estimate(v[vote_index(Vote::kNo)], c.stood);
  const Probability abstain = estimate(v[vote_index(Vote::kAbstain)], c.stood);
  const Probability absent = estimate(v[vote_index(Vote::kAbsent)], c.stood);
  m.p_yes = yes.p;
  m.p_no = no.p;
  m.p_abstain = abstain.p;
  m.p_absent = absent.p;
  m.p_yes_se = yes.se;
  m.p_no_se = no.se;
  m.p_abstain_se = abstain.se;
  m.p_absent_se = absent.se;
  m.entropy = entropy_bits(v);
  return m;
}

}  // namespace

std::optional<Distribution> summarise_histogram(const std::uint64_t* counts, std::size_t size) {
  std::uint64_t n = 0;
  double sum = 0;
  for (std::size_t x = 0; x < size; ++x) {
    n += counts[x];
    sum += static_cast<double>(counts[x]) * static_cast<double>(x);
  }
  if (n == 0) return std::nullopt;
  Distribution d;
  d.mean = sum / static_cast<double>(n);
  if (n >= 2) {
    double squares = 0;
    for (std::size_t x = 0; x < size; ++x) {
      const double dev = static_cast<double>(x) - d.mean;
      squares += static_cast<double>(counts[x]) * dev * dev;
    }
    d.se = std::sqrt(squares / static_cast<double>(n - 1) / static_cast<double>(n));
  }
  d.p5 = nearest_rank(counts, size, n, 5);
  d.p50 = nearest_rank(counts, size, n, 50);
  d.p95 = nearest_rank(counts, size, n, 95);
  return d;
}

Probability estimate(std::uint64_t hits, std::uint64_t n) {
  if (n == 0) return {};
  const double p = static_cast<double>(hits) / static_cast<double>(n);
  return {p, std::sqrt(p * (1 - p) / static_cast<double>(n))};
}

Summary summarise(const Model& model, const Results& results, const std::vector<int>& thresholds) {
  Summary s;
  s.replicates = results.replicates;
  s.seed = results.seed;
  const auto n1 = static_cast<std::size_t>(results.members) + 1;
  const auto k = static_cast<std::uint64_t>(results.replicates);
  for (std::size_t r = 0; r < results.drafts.size(); ++r) {
    const DraftCounts& c = results.drafts[r];
    DraftSummary d;
    d.id = model.drafts[r].id;
    for (int t = 0; t <= results.rounds; ++t) {
      const auto* hist = &c.sponsors_by_round[static_cast<std::size_t>(t) * n1];
      auto dist = summarise_histogram(hist, n1);
      PLENARY_ASSERT(dist.has_value());
      d.sponsors_by_round.push_back(*dist);
    }
    // Sponsorship of a closed draft no longer changes, so round T holds the final count.
    d.sponsors_final = d.sponsors_by_round.back();
    const auto* final_hist = &c.sponsors_by_round[static_cast<std::size_t>(results.rounds) * n1];
    for (int threshold : thresholds) {
      std::uint64_t hits = 0;
      for (std::size_t x = static_cast<std::size_t>(std::max(threshold, 0)); x < n1; ++x) {
        hits += final_hist[x];
      }
      d.p_reach.emplace_back(threshold, estimate(hits, k));
    }
    d.tally_replicates = c.recorded;
    const auto tally = [&](Vote v) {
      return summarise_histogram(&c.tally[vote_index(v) * n1], n1);
    };
    d.yes = tally(Vote::kYes);
    d.no = tally(Vote::kNo);
    d.abstain = tally(Vote::kAbstain);
    d.absent = tally(Vote::kAbsent);
    d.p_adopted = estimate(c.adopted, k);
    d.p_without_vote = estimate(c.without_vote, k);
    d.p_withdrawn = estimate(c.withdrawn, k);
    for (int i = 0; i < results.members; ++i) {
      d.members.push_back(summarise_member(model, c, results.replicates, i));
    }
    std::vector<int> order;
    for (const auto& m : d.members) {
      if (m.p_yes) order.push_back(m.member);
    }
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      return d.members[static_cast<std::size_t>(a)].entropy >
             d.members[static_cast<std::size_t>(b)].entropy;
    });
    if (order.size() > 10) order.resize(10);
    d.most_uncertain = order;
    s.drafts.push_back(std::move(d));
  }
  return s;
}

}  // namespace plenary
