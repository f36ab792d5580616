#include "engine/batch.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

#include "engine/kernels.hpp"
#include "plenary/engine/random.hpp"
#include "plenary/util/assert.hpp"

namespace plenary {

namespace {

// Members decided together: their random words are drawn in one vectorised call.
constexpr std::size_t kChunk = 256;

// The base log-odds of a member barred from sponsoring a draft: z stays finite (so no NaN
// can arise) and kernels::exp(-z) saturates at e^709, far above 1 / u for any u >= 2^-33.
constexpr double kNeverJoins = -1e300;

// The join decisions of one lane for `count` members (MODEL.md, phase 1):
// z = base + theta_peer peer + theta_bloc bloc + lobby - theta_rival rival, and a member
// not yet sponsoring joins when u (1 + exp(-z)) < 1, i.e. u < sigmoid(z).
struct DecideArgs {
  const double* base;
  const double* peer;
  const double* bloc;
  const double* rival;
  const std::uint8_t* sponsor;
  const std::uint32_t* words;
  double theta_peer;
  double theta_bloc;
  double theta_rival;
  double lobby;
};

// z in one fixed order of operations, shared by both passes of decide_kernel.
inline double join_logit(const DecideArgs& a, std::size_t k) {
  return a.base[k] + a.theta_peer * a.peer[k] + a.theta_bloc * a.bloc[k] + a.lobby -
         a.theta_rival * a.rival[k];
}

inline double join_uniform(const DecideArgs& a, std::size_t k) {
  return (static_cast<double>(a.words[k]) + 0.5) * 0x1p-32;
}

// Two passes give exactly the decisions of the test u (1 + exp(-z)) < 1 with exp() the
// full kernel. The vectorised pass brackets exp(-z) by a cubic (kernels::exp_bracket) and
// settles every member whose u is clear of the bracket: u (1 + hi) < 1 implies the test
// holds, u (1 + lo) >= 1 that it fails (rounding is monotone). The few left (a fraction
// of about 0.002 p (1 - p), p the join probability) get the exact test in a scalar pass.
__attribute__((target_clones("avx512f", "avx2", "default"))) void decide_kernel(
    const DecideArgs& a, std::size_t count, std::uint8_t* __restrict decision) {
  // Restrict-qualified locals tell the vectoriser that the arrays do not overlap.
  const double* __restrict base = a.base;
  const double* __restrict peer = a.peer;
  const double* __restrict bloc = a.bloc;
  const double* __restrict rival = a.rival;
  const std::uint8_t* __restrict sponsor = a.sponsor;
  const std::uint32_t* __restrict words = a.words;
  alignas(64) std::uint8_t unsure[kChunk];
  std::uint8_t any_unsure = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const double z = base[k] + a.theta_peer * peer[k] + a.theta_bloc * bloc[k] + a.lobby -
                     a.theta_rival * rival[k];
    const double u = (static_cast<double>(words[k]) + 0.5) * 0x1p-32;
    double lo;
    double hi;
    kernels::exp_bracket(-z, lo, hi);
    const bool join = u * (1.0 + hi) < 1.0;
    const bool stay = !(u * (1.0 + lo) < 1.0);
    const bool open = sponsor[k] == 0;
    decision[k] = static_cast<std::uint8_t>(join & open);
    unsure[k] = static_cast<std::uint8_t>(!join & !stay & open);
    any_unsure |= unsure[k];
  }
  if (!any_unsure) return;
  for (std::size_t k = 0; k < count; ++k) {
    if (unsure[k]) {
      const double z = join_logit(a, k);
      decision[k] = static_cast<std::uint8_t>(join_uniform(a, k) * (1.0 + kernels::exp(-z)) < 1.0);
    }
  }
}

__attribute__((target_clones("avx512f", "avx2", "default"))) void philox_kernel(
    std::uint64_t seed, std::uint32_t block, std::uint32_t word1, const std::uint32_t* lo,
    const std::uint32_t* hi, std::size_t count, std::uint32_t* out) {
  kernels::philox_many(static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                       block, word1, lo, hi, count, out, kChunk);
}

__attribute__((target_clones("avx512f", "avx2", "default"))) void add_column(
    double* __restrict peer, const double* __restrict column, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) peer[i] += column[i];
}

}  // namespace

Batch::Batch(const Model& model, int capacity)
    : m_(model),
      cap_(static_cast<std::size_t>(capacity)),
      n_(static_cast<std::size_t>(model.members)),
      r_(model.drafts.size()),
      g_(model.bloc_sizes.size()) {
  PLENARY_ASSERT(capacity % 4 == 0 && capacity > 0);
  base_.resize(r_ * n_);
  fit_.resize(r_ * n_);
  pair_lo_.resize(r_ * n_);
  pair_hi_.resize(r_ * n_);
  for (std::size_t r = 0; r < r_; ++r) {
    const ModelDraft& d = model.drafts[r];
    for (std::size_t i = 0; i < n_; ++i) {
      const Eigen::VectorXd x = model.positions.row(static_cast<Eigen::Index>(i)).transpose();
      const double dp = (x - d.position).squaredNorm();
      const double dq = (x - d.status_quo).squaredNorm();
      base_[ri(r, i)] = d.params.theta_0 - d.params.theta_fit * dp;
      fit_[ri(r, i)] = d.params.phi_fit * (dq - dp);
      const std::uint64_t pair = pair_key(model.member_keys[i], d.key);
      pair_lo_[ri(r, i)] = static_cast<std::uint32_t>(pair);
      pair_hi_[ri(r, i)] = static_cast<std::uint32_t>(pair >> 32);
    }
    // A member barred from sponsoring (a what-if) never joins: with z this low, exp(-z)
    // saturates and u (1 + exp(-z)) < 1 never holds, at no cost in the hot loop.
    for (int i : d.barred) base_[ri(r, static_cast<std::size_t>(i))] = kNeverJoins;
    lobby_coef_.push_back(d.params.theta_lobby * d.lobbying / model.total_clout);
  }
  build_combinations();
  sponsor_.resize(r_ * cap_ * n_);
  peer_.resize(r_ * cap_ * n_);
  bloc_.resize(r_ * cap_ * n_);
  rival_.resize(r_ * cap_ * n_);
  bloc_count_.resize(r_ * cap_ * g_);
  bloc_changed_.resize(r_ * cap_ * g_);
  bloc_share_.resize(r_ * cap_ * (g_ + 1));
  clout_sum_.resize(r_ * cap_);
  count_.resize(r_ * cap_);
  words_.resize(4 * kChunk);
  decision_.resize(kChunk);
}

void Batch::build_combinations() {
  std::map<std::vector<int>, std::uint32_t> combination_of;
  std::vector<std::vector<std::uint32_t>> members;
  for (std::size_t i = 0; i < n_; ++i) {
    const std::vector<int>& blocs = m_.member_blocs[i];
    if (blocs.empty()) continue;
    const auto [it, fresh] =
        combination_of.try_emplace(blocs, static_cast<std::uint32_t>(members.size()));
    if (fresh) {
      Combination c{static_cast<std::uint32_t>(combination_blocs_.size()),
                    static_cast<std::uint32_t>(blocs.size()), 0, 0, {}, static_cast<double>(blocs.size())};
      for (std::size_t q = 0; q < 3; ++q) {
        c.slot[q] = static_cast<std::uint32_t>(q < blocs.size() ? static_cast<std::size_t>(blocs[q]) : g_);
      }
      combinations_.push_back(c);
      for (int g : blocs) combination_blocs_.push_back(static_cast<std::uint32_t>(g));
      members.emplace_back();
    }
    members[it->second].push_back(static_cast<std::uint32_t>(i));
  }
  std::vector<std::vector<std::uint32_t>> of_bloc(g_);
  for (std::size_t c = 0; c < combinations_.size(); ++c) {
    Combination& combination = combinations_[c];
    combination.first_member = static_cast<std::uint32_t>(combination_members_.size());
    combination.members = static_cast<std::uint32_t>(members[c].size());
    combination_members_.insert(combination_members_.end(), members[c].begin(), members[c].end());
    for (std::uint32_t k = 0; k < combination.blocs; ++k) {
      of_bloc[combination_blocs_[combination.first_bloc + k]].push_back(
          static_cast<std::uint32_t>(c));
    }
  }
  bloc_combination_start_.push_back(0);
  for (const auto& list : of_bloc) {
    bloc_combinations_.insert(bloc_combinations_.end(), list.begin(), list.end());
    bloc_combination_start_.push_back(static_cast<std::uint32_t>(bloc_combinations_.size()));
  }
}

void Batch::reset(std::size_t lanes) {
  for (std::size_t r = 0; r < r_; ++r) {
    const std::size_t begin = at(r, 0, 0);
    const std::size_t end = at(r, lanes, 0);
    std::fill(&sponsor_[begin], &sponsor_[0] + end, std::uint8_t{0});
    std::fill(&peer_[begin], &peer_[0] + end, 0.0);
    std::fill(&bloc_[begin], &bloc_[0] + end, 0.0);
    std::fill(&rival_[begin], &rival_[0] + end, 0.0);
  }
  std::fill(clout_sum_.begin(), clout_sum_.end(), 0.0);
  std::fill(count_.begin(), count_.end(), 0);
  std::fill(bloc_count_.begin(), bloc_count_.end(), 0);
  std::fill(bloc_share_.begin(), bloc_share_.end(), 0.0);
  // s_ir(0) = 1 exactly for the original sponsors, whatever the draft's opening round.
  for (std::size_t r = 0; r < r_; ++r) {
    for (int j : m_.drafts[r].sponsors) {
      for (std::size_t l = 0; l < lanes; ++l) join(r, static_cast<std::size_t>(j), l);
    }
  }
  refresh_blocs();
}

void Batch::join(std::size_t r, std::size_t j, std::size_t l) {
  sponsor_[at(r, l, j)] = 1;
  count_[r * cap_ + l] += 1;
  clout_sum_[r * cap_ + l] += m_.clout(static_cast<Eigen::Index>(j));
  // Peer pressure: j's column of W goes to the members watching j. Walking the dense
  // column adds exact zeros elsewhere, so both storages give the same bits.
  double* peer = &peer_[at(r, l, 0)];
  if (m_.dense_ties) {
    add_column(peer, m_.ties_dense.col(static_cast<Eigen::Index>(j)).data(), n_);
  } else {
    for (Eigen::SparseMatrix<double>::InnerIterator it(m_.ties, static_cast<Eigen::Index>(j)); it;
         ++it) {
      peer[it.index()] += it.value();
    }
  }
  for (int g : m_.member_blocs[j]) {
    const std::size_t k = bg(r, l, static_cast<std::size_t>(g));
    bloc_count_[k] += 1;
    if (!bloc_changed_[k]) {
      bloc_changed_[k] = 1;
      changed_blocs_.push_back({static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(l),
                                static_cast<std::uint32_t>(g)});
    }
  }
  for (int q : m_.drafts[r].rivals) rival_[at(static_cast<std::size_t>(q), l, j)] += 1.0;
}

// Brings the bloc terms up to date after joins. b_ir = mean over i's blocs g of (sponsors
// of r in g) / |g| (MODEL.md, phase 1), from the counts, in the order of i's blocs: the
// same bits whatever the order of the joins (and the same as computing it from scratch, as
// tests/engine/reference_test.cpp does). Each combination containing a changed bloc is
// recomputed and copied to its members (once per changed bloc it contains, to the same
// value: cheaper than keeping track).
void Batch::refresh_blocs() {
  for (const Stale& b : changed_blocs_) {
    const std::size_t k = bg(b.draft, b.lane, b.index);
    bloc_changed_[k] = 0;
    bloc_share_[(b.draft * cap_ + b.lane) * (g_ + 1) + b.index] =
        static_cast<double>(bloc_count_[k]) / static_cast<double>(m_.bloc_sizes[b.index]);
  }
  for (const Stale& b : changed_blocs_) {
    const double* share = &bloc_share_[(b.draft * cap_ + b.lane) * (g_ + 1)];
    double* bloc = &bloc_[at(b.draft, b.lane, 0)];
    for (std::uint32_t k = bloc_combination_start_[b.index];
         k < bloc_combination_start_[b.index + 1]; ++k) {
      const Combination& c = combinations_[bloc_combinations_[k]];
      double sum = 0;
      if (c.blocs <= 3) {
        // Adding the padding's +0 leaves the sum's bits as they are.
        sum = ((sum + share[c.slot[0]]) + share[c.slot[1]]) + share[c.slot[2]];
      } else {
        const std::uint32_t* blocs = &combination_blocs_[c.first_bloc];
        for (std::uint32_t q = 0; q < c.blocs; ++q) sum += share[blocs[q]];
      }
      const double value = sum / c.divisor;
      const std::uint32_t* members = &combination_members_[c.first_member];
      for (std::uint32_t q = 0; q < c.members; ++q) bloc[members[q]] = value;
    }
  }
  changed_blocs_.clear();
}

void Batch::sponsorship_round(int t, long first, std::size_t lanes, std::uint64_t seed) {
  const std::uint32_t word1 =
      (static_cast<std::uint32_t>(Phase::kSponsorship) << 24) | static_cast<std::uint32_t>(t);
  for (std::size_t r = 0; r < r_; ++r) {
    const ModelDraft& d = m_.drafts[r];
    if (t < d.opens || t >= d.closes) continue;
    for (std::size_t l0 = 0; l0 < lanes; l0 += 4) {
      const std::size_t width = std::min<std::size_t>(4, lanes - l0);
      bool open_lanes = false;
      for (std::size_t w = 0; w < width; ++w) {
        open_lanes |= static_cast<std::size_t>(count_[r * cap_ + l0 + w]) < n_;
      }
      if (!open_lanes) continue;
      // Phase 1 packs replicates 4b..4b+3 into block b (include/plenary/engine/random.hpp).
      const auto block = static_cast<std::uint32_t>((first + static_cast<long>(l0)) / 4);
      for (std::size_t i0 = 0; i0 < n_; i0 += kChunk) {
        const std::size_t count = std::min(kChunk, n_ - i0);
        philox_kernel(seed, block, word1, &pair_lo_[ri(r, i0)], &pair_hi_[ri(r, i0)], count,
                      words_.data());
        for (std::size_t w = 0; w < width; ++w) {
          decide(r, l0 + w, i0, count, words_.data() + w * kChunk);
        }
      }
    }
  }
}

void Batch::decide(std::size_t r, std::size_t l, std::size_t i0, std::size_t count,
                   const std::uint32_t* words) {
  const Parameters& p = m_.drafts[r].params;
  const DecideArgs args{&base_[ri(r, i0)],   &peer_[at(r, l, i0)], &bloc_[at(r, l, i0)],
                        &rival_[at(r, l, i0)], &sponsor_[at(r, l, i0)], words,
                        p.theta_peer,          p.theta_bloc,        p.theta_rival,
                        lobby_coef_[r] * clout_sum_[r * cap_ + l]};
  decide_kernel(args, count, decision_.data());
  // Joins are rare: skip eight members at a time while none joins.
  for (std::size_t k0 = 0; k0 < count; k0 += 8) {
    std::uint64_t eight = 0;
    std::memcpy(&eight, &decision_[k0], 8);
    if (eight == 0) continue;
    for (std::size_t k = k0; k < std::min(k0 + 8, count); ++k) {
      if (decision_[k]) {
        joins_.push_back({static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(i0 + k),
                          static_cast<std::uint32_t>(l)});
      }
    }
  }
}

void Batch::apply_joins() {
  // Synchronous update: every decision of the round read the state before any join.
  // Within a lane, joins are applied in (draft, member) order whatever the batch size.
  for (const Join& j : joins_) join(j.draft, j.member, j.lane);
  joins_.clear();
  refresh_blocs();
}

void Batch::record_round(int t, std::size_t lanes, std::vector<DraftCounts>& counts) const {
  const std::size_t row = static_cast<std::size_t>(t) * (n_ + 1);
  for (std::size_t r = 0; r < r_; ++r) {
    auto& hist = counts[r].sponsors_by_round;
    for (std::size_t l = 0; l < lanes; ++l) {
      hist[row + static_cast<std::size_t>(count_[r * cap_ + l])] += 1;
    }
  }
}

int Batch::standing_rivals(std::size_t r, std::size_t l, std::size_t i,
                           const std::vector<char>& standing) const {
  int n = 0;
  for (int q : m_.drafts[r].rivals) {
    const auto rival = static_cast<std::size_t>(q);
    if (standing[rival]) n += sponsor_[at(rival, l, i)];
  }
  return n;
}

double Batch::vote_utility(std::size_t r, std::size_t l, std::size_t i, double rivals) const {
  const Parameters& p = m_.drafts[r].params;
  return fit_[ri(r, i)] + p.phi_peer * peer_[at(r, l, i)] + p.phi_bloc * bloc_[at(r, l, i)] -
         p.phi_rival * rivals;
}

bool Batch::withdrawn(std::size_t r, std::size_t l) const {
  const ModelDraft& d = m_.drafts[r];
  if (!d.withdraw_below) return false;
  // MODEL.md, "Withdrawal": the expected Yes share of those present and voting, decided at
  // the end of phase 1 for all drafts at once (so every rival still stands).
  double yes = 0;
  double voting = 0;
  for (std::size_t i = 0; i < n_; ++i) {
    if (!m_.votes[i]) continue;
    const double present = 1.0 - m_.absence(static_cast<Eigen::Index>(i));
    if (sponsor_[at(r, l, i)]) {
      yes += present;
      voting += present;
    } else {
      const VoteProbabilities p =
          vote_probabilities(vote_utility(r, l, i, rival_[at(r, l, i)]), d.params);
      yes += present * p.yes;
      voting += present * (p.yes + p.no);
    }
  }
  // Nobody expected to vote: there is no share to judge by, and the draft stands.
  if (voting <= 0) return false;
  return yes / voting < *d.withdraw_below;
}

void Batch::vote(long first, std::size_t lanes, std::uint64_t seed,
                 std::vector<DraftCounts>& counts, ReplicateLog* log, long log_index) {
  std::vector<char> standing(r_);
  for (std::size_t l = 0; l < lanes; ++l) {
    const auto replicate = static_cast<std::uint32_t>(first + static_cast<long>(l));
    const long k = log_index + static_cast<long>(l);
    std::uint8_t* flags =
        log == nullptr ? nullptr : &log->member_flags[static_cast<std::size_t>(k) * n_];
    for (std::size_t r = 0; r < r_; ++r) standing[r] = !withdrawn(r, l);
    for (std::size_t r = 0; r < r_; ++r) {
      DraftCounts& c = counts[r];
      DraftOutcome* outcome =
          log == nullptr ? nullptr : &log->outcomes[static_cast<std::size_t>(k) * r_ + r];
      if (outcome != nullptr) {
        outcome->sponsors = count_[r * cap_ + l];
        const std::uint8_t* s = &sponsor_[at(r, l, 0)];
        for (std::size_t i = 0; i < n_; ++i) {
          if (s[i] != 0) flags[i] |= ReplicateLog::kSponsorsAny;
        }
      }
      if (!standing[r]) {
        c.withdrawn += 1;
        continue;
      }
      c.stood += 1;
      if (outcome != nullptr) outcome->flags |= DraftOutcome::kStood;
      const ModelDraft& d = m_.drafts[r];
      const Parameters& p = d.params;
      std::array<long, 4> tally{};
      bool requested = false;
      for (std::size_t i = 0; i < n_; ++i) {
        if (i % kChunk == 0) {
          // Phase 2: one block per (replicate, member, draft), words 0-2 used.
          philox_kernel(seed, replicate, static_cast<std::uint32_t>(Phase::kVote) << 24,
                        &pair_lo_[ri(r, i)], &pair_hi_[ri(r, i)], std::min(kChunk, n_ - i),
                        words_.data());
        }
        if (!m_.votes[i]) continue;
        const std::uint32_t* words = words_.data() + i % kChunk;
        Vote v = Vote::kYes;
        if (to_uniform(words[0]) < m_.absence(static_cast<Eigen::Index>(i))) {
          v = Vote::kAbsent;
        } else if (!sponsor_[at(r, l, i)]) {
          // v = m + logit(u) with u uniform, i.e. m plus standard logistic noise. Yes when
          // v > tau_yes, i.e. u (1 + exp(m - tau_yes)) > 1; No when v < -tau_no, i.e.
          // u (1 + exp(m + tau_no)) < 1: no logarithm, and only plenary's own exp.
          const double u = to_uniform(words[kChunk]);
          const double m = vote_utility(r, l, i, standing_rivals(r, l, i, standing));
          v = u * (1.0 + kernels::exp(m - p.tau_yes)) > 1.0  ? Vote::kYes
              : u * (1.0 + kernels::exp(m + p.tau_no)) < 1.0 ? Vote::kNo
                                                             : Vote::kAbstain;
          if (v == Vote::kNo && to_uniform(words[2 * kChunk]) < p.rho) requested = true;
        }
        tally[static_cast<std::size_t>(v)] += 1;
        c.member_votes[4 * i + static_cast<std::size_t>(v)] += 1;
        if (flags != nullptr && v == Vote::kNo) flags[i] |= ReplicateLog::kVotesNoAny;
      }
      if (!requested) {
        // Nobody asked for a recorded vote: adopted without a vote, no tally recorded.
        c.adopted += 1;
        c.without_vote += 1;
        if (outcome != nullptr) {
          outcome->flags |= DraftOutcome::kAdopted | DraftOutcome::kWithoutVote;
        }
        continue;
      }
      c.recorded += 1;
      for (std::size_t v = 0; v < 4; ++v) {
        c.tally[v * (n_ + 1) + static_cast<std::size_t>(tally[v])] += 1;
      }
      const bool passed = adopted(d.majority, tally[0], tally[1]);
      if (passed) c.adopted += 1;
      if (outcome != nullptr) {
        outcome->flags |= DraftOutcome::kRecorded | (passed ? DraftOutcome::kAdopted : 0);
        for (std::size_t v = 0; v < 4; ++v) outcome->tally[v] = static_cast<std::int32_t>(tally[v]);
      }
    }
  }
}

void Batch::run(long first, int lanes_used, std::uint64_t seed, std::vector<DraftCounts>& counts,
                ReplicateLog* log, long log_index) {
  const auto lanes = static_cast<std::size_t>(lanes_used);
  PLENARY_ASSERT(first % 4 == 0 && lanes <= cap_);
  reset(lanes);
  record_round(0, lanes, counts);
  for (int t = 0; t < m_.rounds; ++t) {
    sponsorship_round(t, first, lanes, seed);
    apply_joins();
    record_round(t + 1, lanes, counts);
  }
  for (std::size_t r = 0; r < r_; ++r) {
    auto& member_sponsor = counts[r].member_sponsor;
    for (std::size_t l = 0; l < lanes; ++l) {
      const std::uint8_t* s = &sponsor_[at(r, l, 0)];
      for (std::size_t i = 0; i < n_; ++i) member_sponsor[i] += s[i];
    }
  }
  vote(first, lanes, seed, counts, log, log_index);
}

}  // namespace plenary
