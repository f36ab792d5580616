// plenary compare: paired figures of two runs (include/plenary/stats/compare.hpp).

#include "plenary/stats/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "plenary/util/assert.hpp"
#include "plenary/util/error.hpp"

namespace plenary {

namespace {

// A mean over replicates, sum_k w_k y_k / sum_k w_k (w_k = 1 when `weight` is empty), with
// each replicate's linearised contribution e_k = w_k (y_k - mean) K / sum w, so that the
// variance of the estimate is about sum e_k^2 / (K (K - 1)) and a difference of two paired
// estimates has contributions e_B,k - e_A,k.
struct Estimate {
  std::optional<double> mean;
  std::vector<double> contribution;
};

Estimate estimate(const std::vector<double>& y, const std::vector<double>& weight) {
  const std::size_t k = y.size();
  double sum_w = 0;
  double sum_wy = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const double w = weight.empty() ? 1.0 : weight[i];
    sum_w += w;
    sum_wy += w * y[i];
  }
  Estimate e;
  if (sum_w <= 0) return e;
  e.mean = sum_wy / sum_w;
  e.contribution.resize(k);
  const double scale = static_cast<double>(k) / sum_w;
  for (std::size_t i = 0; i < k; ++i) {
    const double w = weight.empty() ? 1.0 : weight[i];
    e.contribution[i] = w * (y[i] - *e.mean) * scale;
  }
  return e;
}

// Standard error from contributions. Probabilities divide by K^2 (the binomial
// sqrt(p (1 - p) / K) that `plenary run` reports), means by K (K - 1) (the sample standard
// deviation over sqrt(K)); both need K >= 2 for a mean.
// With `group` > 1 (--uncertainty: replicates 2d and 2d + 1 share a draw, or four share
// the positions with `both`), the groups are the independent units: P / (P - 1) sum over
// groups of the summed contributions squared, over K^2 (docs/uncertainty.md).
std::optional<double> standard_error(const std::vector<double>& c, bool probability, int group) {
  if (group > 1) {
    const auto g = static_cast<std::size_t>(group);
    const std::size_t units = (c.size() + g - 1) / g;
    if (units < 2) return std::nullopt;
    double ss = 0;
    for (std::size_t k = 0; k < c.size(); k += g) {
      double s = 0;
      for (std::size_t j = k; j < std::min(c.size(), k + g); ++j) s += c[j];
      ss += s * s;
    }
    const auto p = static_cast<double>(units);
    return std::sqrt(p / (p - 1) * ss) / static_cast<double>(c.size());
  }
  const auto k = static_cast<double>(c.size());
  if (c.size() < (probability ? 1u : 2u)) return std::nullopt;
  double mean = 0;
  for (double x : c) mean += x;
  mean /= k;
  double ss = 0;
  for (double x : c) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / (probability ? k * k : k * (k - 1)));
}

// One side's per-replicate values of a figure (empty when the side lacks it).
struct Series {
  bool present = false;
  std::vector<double> y;
  std::vector<double> weight;  // empty: every replicate counts
  int pairs = 1;               // replicates sharing a draw (CompareSide::share_draws)
};

PairedFigure figure(std::string key, std::string label, bool probability, const Series& a,
                    const Series& b) {
  PairedFigure f;
  f.key = std::move(key);
  f.label = std::move(label);
  f.probability = probability;
  const int pairs = std::max(a.pairs, b.pairs);
  Estimate ea;
  Estimate eb;
  if (a.present) {
    ea = estimate(a.y, a.weight);
    f.a = ea.mean;
    if (ea.mean) f.a_se = standard_error(ea.contribution, probability, pairs);
  }
  if (b.present) {
    eb = estimate(b.y, b.weight);
    f.b = eb.mean;
    if (eb.mean) f.b_se = standard_error(eb.contribution, probability, pairs);
  }
  if (f.a && f.b) {
    f.diff = *f.b - *f.a;
    std::vector<double> d(ea.contribution.size());
    for (std::size_t k = 0; k < d.size(); ++k) d[k] = eb.contribution[k] - ea.contribution[k];
    f.diff_se = standard_error(d, probability, pairs);
    if (f.diff_se) {
      f.low = *f.diff - kZ95 * *f.diff_se;
      f.high = *f.diff + kZ95 * *f.diff_se;
    }
  }
  return f;
}

// Per-replicate values of one side, built from its log.
class Side {
 public:
  explicit Side(const CompareSide& s) : s_(s), k_(static_cast<std::size_t>(s.log.replicates)) {
    for (std::size_t i = 0; i < s.model.votes.size(); ++i) voters_ += s.model.votes[i] ? 1 : 0;
  }

  Series per_replicate(const std::function<double(long)>& value) const {
    Series s{true, std::vector<double>(k_), {}, s_.share_draws};
    for (std::size_t k = 0; k < k_; ++k) s.y[k] = value(static_cast<long>(k));
    return s;
  }

  Series distinct_sponsors() const {
    return per_replicate([this](long k) {
      int n = 0;
      for (int i = 0; i < s_.log.members; ++i)
        n += (s_.log.member(k, i) & ReplicateLog::kSponsorsAny) != 0;
      return static_cast<double>(n);
    });
  }

  Series all_adopted() const {
    return per_replicate([this](long k) {
      for (int r = 0; r < s_.log.drafts; ++r) {
        if (!s_.log.outcome(k, r).has(DraftOutcome::kAdopted)) return 0.0;
      }
      return 1.0;
    });
  }

  // At least one draft adopted, and every adopted draft adopted without a vote.
  Series all_without_vote() const {
    return per_replicate([this](long k) {
      bool any = false;
      for (int r = 0; r < s_.log.drafts; ++r) {
        const DraftOutcome& o = s_.log.outcome(k, r);
        if (!o.has(DraftOutcome::kAdopted)) continue;
        if (!o.has(DraftOutcome::kWithoutVote)) return 0.0;
        any = true;
      }
      return any ? 1.0 : 0.0;
    });
  }

  Series no_votes() const {
    return per_replicate([this](long k) {
      double n = 0;
      for (int r = 0; r < s_.log.drafts; ++r)
        n += s_.log.outcome(k, r).tally[vote_index(Vote::kNo)];
      return n;
    });
  }

  // Share of the members with voting rights that vote No on at least one standing draft;
  // 0 in a replicate in which no draft stood.
  Series polarisation() const {
    return per_replicate([this](long k) {
      bool stood = false;
      for (int r = 0; r < s_.log.drafts; ++r)
        stood |= s_.log.outcome(k, r).has(DraftOutcome::kStood);
      if (!stood || voters_ == 0) return 0.0;
      int n = 0;
      for (int i = 0; i < s_.log.members; ++i)
        n += (s_.log.member(k, i) & ReplicateLog::kVotesNoAny) != 0;
      return static_cast<double>(n) / voters_;
    });
  }

  Series draft(int r, const std::function<double(const DraftOutcome&)>& value) const {
    if (r < 0) return {};
    return per_replicate([&](long k) { return value(s_.log.outcome(k, r)); });
  }

  Series tally(int r, Vote v) const {
    Series s = draft(
        r, [v](const DraftOutcome& o) { return static_cast<double>(o.tally[vote_index(v)]); });
    if (s.present) {
      s.weight = draft(r, [](const DraftOutcome& o) {
                   return o.has(DraftOutcome::kRecorded) ? 1.0 : 0.0;
                 }).y;
    }
    return s;
  }

  // Replicates with a recorded vote on draft r; nullopt for a draft this side lacks.
  std::optional<long> recorded(int r) const {
    if (r < 0) return std::nullopt;
    long n = 0;
    for (std::size_t k = 0; k < k_; ++k) {
      n += s_.log.outcome(static_cast<long>(k), r).has(DraftOutcome::kRecorded) ? 1 : 0;
    }
    return n;
  }

  const CompareSide& s_;

 private:
  std::size_t k_;
  int voters_ = 0;
};

std::vector<PairedFigure> draft_figures(const Side& a, int ra, const Side& b, int rb,
                                        const std::vector<int>& thresholds) {
  auto flag = [](std::uint8_t bit, bool negate = false) {
    return [bit, negate](const DraftOutcome& o) { return o.has(bit) != negate ? 1.0 : 0.0; };
  };
  auto sponsors = [](const DraftOutcome& o) { return static_cast<double>(o.sponsors); };
  std::vector<PairedFigure> out;
  out.push_back(figure("sponsors", "Co-sponsors at the close", false, a.draft(ra, sponsors),
                       b.draft(rb, sponsors)));
  for (int n : thresholds) {
    auto reach = [n](const DraftOutcome& o) { return o.sponsors >= n ? 1.0 : 0.0; };
    out.push_back(figure(fmt::format("p_reach:{}", n), fmt::format("P(reaching {} co-sponsors)", n),
                         true, a.draft(ra, reach), b.draft(rb, reach)));
  }
  out.push_back(figure("p_adopted", "P(adopted)", true, a.draft(ra, flag(DraftOutcome::kAdopted)),
                       b.draft(rb, flag(DraftOutcome::kAdopted))));
  out.push_back(figure("p_without_vote", "P(adopted without a vote)", true,
                       a.draft(ra, flag(DraftOutcome::kWithoutVote)),
                       b.draft(rb, flag(DraftOutcome::kWithoutVote))));
  out.push_back(figure("p_withdrawn", "P(withdrawn)", true,
                       a.draft(ra, flag(DraftOutcome::kStood, true)),
                       b.draft(rb, flag(DraftOutcome::kStood, true))));
  for (const Vote v : kAllVotes) {
    std::string label(vote_name(v));
    label[0] = static_cast<char>(label[0] - 'a' + 'A');
    out.push_back(figure(std::string(vote_name(v)), label + " (recorded votes)", false,
                         a.tally(ra, v), b.tally(rb, v)));
  }
  return out;
}

std::vector<MemberMove> member_moves(const CompareSide& a, const CompareSide& b) {
  std::vector<MemberMove> moves;
  const long k = a.log.replicates;
  auto stance = [](std::uint8_t f) {
    return ((f & ReplicateLog::kSponsorsAny) != 0 ? 1.0 : 0.0) -
           ((f & ReplicateLog::kVotesNoAny) != 0 ? 1.0 : 0.0);
  };
  for (std::size_t i = 0; i < a.scenario.members.size(); ++i) {
    const Member& m = a.scenario.members[i];
    const int j = b.scenario.find_member(m.code);
    if (j < 0) continue;
    MemberMove mv;
    mv.code = m.code;
    mv.name = m.name;
    std::vector<double> d(static_cast<std::size_t>(k));
    for (long r = 0; r < k; ++r) {
      const std::uint8_t fa = a.log.member(r, static_cast<int>(i));
      const std::uint8_t fb = b.log.member(r, j);
      mv.sponsor_a += (fa & ReplicateLog::kSponsorsAny) != 0;
      mv.sponsor_b += (fb & ReplicateLog::kSponsorsAny) != 0;
      mv.no_a += (fa & ReplicateLog::kVotesNoAny) != 0;
      mv.no_b += (fb & ReplicateLog::kVotesNoAny) != 0;
      mv.stance_a += stance(fa);
      mv.stance_b += stance(fb);
      d[static_cast<std::size_t>(r)] = stance(fb) - stance(fa);
    }
    const auto kd = static_cast<double>(k);
    for (double* x :
         {&mv.sponsor_a, &mv.sponsor_b, &mv.no_a, &mv.no_b, &mv.stance_a, &mv.stance_b}) {
      *x /= kd;
    }
    mv.diff = mv.stance_b - mv.stance_a;
    for (double& x : d) x -= mv.diff;
    mv.diff_se = standard_error(d, false, a.share_draws).value_or(0.0);
    moves.push_back(std::move(mv));
  }
  std::stable_sort(moves.begin(), moves.end(), [](const MemberMove& x, const MemberMove& y) {
    return std::abs(x.diff) > std::abs(y.diff);
  });
  return moves;
}

}  // namespace

PairedFigure paired_figure(std::string key, std::string label, bool probability,
                           const std::vector<double>& a, const std::vector<double>& a_weight,
                           const std::vector<double>& b, const std::vector<double>& b_weight,
                           int share_draws) {
  PLENARY_ASSERT(a.size() == b.size());
  return figure(std::move(key), std::move(label), probability,
                Series{true, a, a_weight, share_draws}, Series{true, b, b_weight, share_draws});
}

Comparison compare(const CompareSide& a, const CompareSide& b, const std::vector<int>& thresholds) {
  PLENARY_ASSERT(a.log.replicates == b.log.replicates);
  Comparison c;
  c.replicates = a.log.replicates;
  c.seed_a = a.seed;
  c.seed_b = b.seed;
  c.common_random_numbers = a.seed == b.seed;
  const Side sa(a);
  const Side sb(b);
  c.overall.push_back(figure("distinct_sponsors", "Distinct co-sponsors", false,
                             sa.distinct_sponsors(), sb.distinct_sponsors()));
  c.overall.push_back(
      figure("p_all_adopted", "P(every draft adopted)", true, sa.all_adopted(), sb.all_adopted()));
  c.overall.push_back(figure("p_all_without_vote", "P(all adopted without a vote)", true,
                             sa.all_without_vote(), sb.all_without_vote()));
  c.overall.push_back(
      figure("no_votes", "No votes cast (recorded)", false, sa.no_votes(), sb.no_votes()));
  c.overall.push_back(
      figure("polarisation", "Polarisation index", true, sa.polarisation(), sb.polarisation()));
  auto add_draft = [&](const Draft& d, int ra, int rb) {
    DraftComparison dc;
    dc.id = d.id;
    dc.title = d.title;
    dc.in_a = ra >= 0;
    dc.in_b = rb >= 0;
    dc.recorded_a = sa.recorded(ra);
    dc.recorded_b = sb.recorded(rb);
    dc.figures = draft_figures(sa, ra, sb, rb, thresholds);
    c.drafts.push_back(std::move(dc));
  };
  for (std::size_t r = 0; r < a.scenario.drafts.size(); ++r) {
    const Draft& d = a.scenario.drafts[r];
    add_draft(d, static_cast<int>(r), b.scenario.find_draft(d.id));
  }
  for (std::size_t r = 0; r < b.scenario.drafts.size(); ++r) {
    const Draft& d = b.scenario.drafts[r];
    if (a.scenario.find_draft(d.id) < 0) add_draft(d, -1, static_cast<int>(r));
  }
  c.members = member_moves(a, b);
  return c;
}

}  // namespace plenary
