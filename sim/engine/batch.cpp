#include "engine/batch.hpp"

#include <algorithm>
#include <cmath>

#include "plenary/engine/random.hpp"
#include "plenary/util/assert.hpp"

namespace plenary {

Batch::Batch(const Model& model, int capacity)
    : m_(model),
      cap_(static_cast<std::size_t>(capacity)),
      n_(static_cast<std::size_t>(model.members)),
      r_(model.drafts.size()),
      g_(model.bloc_sizes.size()) {
  PLENARY_ASSERT(capacity % 4 == 0 && capacity > 0);
  base_.resize(r_ * n_);
  pair_.resize(r_ * n_);
  fit_.resize(r_ * n_);
  for (std::size_t r = 0; r < r_; ++r) {
    const ModelDraft& d = model.drafts[r];
    for (std::size_t i = 0; i < n_; ++i) {
      const Eigen::VectorXd x = model.positions.row(static_cast<Eigen::Index>(i)).transpose();
      const double dp = (x - d.position).squaredNorm();
      const double dq = (x - d.status_quo).squaredNorm();
      base_[ri(r, i)] = d.params.theta_0 - d.params.theta_fit * dp;
      fit_[ri(r, i)] = d.params.phi_fit * (dq - dp);
      pair_[ri(r, i)] = pair_key(model.member_keys[i], d.key);
    }
    lobby_coef_.push_back(d.params.theta_lobby * d.lobbying / model.total_clout);
  }
  for (int size : model.bloc_sizes) inv_bloc_size_.push_back(size > 0 ? 1.0 / size : 0.0);
  for (const auto& blocs : model.member_blocs) {
    inv_bloc_count_.push_back(blocs.empty() ? 0.0 : 1.0 / static_cast<double>(blocs.size()));
  }
  sponsor_.resize(r_ * cap_ * n_);
  peer_.resize(r_ * cap_ * n_);
  bloc_count_.resize(r_ * cap_ * g_);
  clout_sum_.resize(r_ * cap_);
  count_.resize(r_ * cap_);
}

void Batch::reset(std::size_t lanes) {
  std::fill(sponsor_.begin(), sponsor_.end(), std::uint8_t{0});
  std::fill(peer_.begin(), peer_.end(), 0.0);
  std::fill(bloc_count_.begin(), bloc_count_.end(), 0);
  std::fill(clout_sum_.begin(), clout_sum_.end(), 0.0);
  std::fill(count_.begin(), count_.end(), 0);
  // s_ir(0) = 1 exactly for the original sponsors, whatever the draft's opening round.
  for (std::size_t r = 0; r < r_; ++r) {
    for (int j : m_.drafts[r].sponsors) {
      for (std::size_t l = 0; l < lanes; ++l) join(r, static_cast<std::size_t>(j), l);
    }
  }
}

void Batch::join(std::size_t r, std::size_t j, std::size_t l) {
  sponsor_[at(r, l, j)] = 1;
  count_[r * cap_ + l] += 1;
  clout_sum_[r * cap_ + l] += m_.clout(static_cast<Eigen::Index>(j));
  for (int g : m_.member_blocs[j]) bloc_count_[(r * cap_ + l) * g_ + static_cast<std::size_t>(g)] += 1;
  // Incremental peer pressure: j's column of W goes to the members watching j. Walking
  // the dense column adds exact zeros elsewhere, so both storages give the same bits.
  double* peer = &peer_[at(r, l, 0)];
  if (m_.dense_ties) {
    const double* column = m_.ties_dense.col(static_cast<Eigen::Index>(j)).data();
    for (std::size_t i = 0; i < n_; ++i) peer[i] += column[i];
  } else {
    for (Eigen::SparseMatrix<double>::InnerIterator it(m_.ties, static_cast<Eigen::Index>(j)); it;
         ++it) {
      peer[it.index()] += it.value();
    }
  }
}

double Batch::bloc_term(std::size_t r, std::size_t l, std::size_t i) const {
  const auto& blocs = m_.member_blocs[i];
  if (blocs.empty()) return 0.0;
  const std::int32_t* counts = &bloc_count_[(r * cap_ + l) * g_];
  double sum = 0;
  for (int g : blocs) sum += counts[g] * inv_bloc_size_[static_cast<std::size_t>(g)];
  return sum * inv_bloc_count_[i];
}

int Batch::rival_sponsorships(std::size_t r, std::size_t l, std::size_t i,
                              const std::vector<char>* standing) const {
  int n = 0;
  for (int rival : m_.drafts[r].rivals) {
    const auto q = static_cast<std::size_t>(rival);
    if (standing && !(*standing)[q]) continue;
    n += sponsor_[at(q, l, i)];
  }
  return n;
}

void Batch::sponsorship_round(int t, long first, std::size_t lanes, std::uint64_t seed) {
  for (std::size_t r = 0; r < r_; ++r) {
    const ModelDraft& d = m_.drafts[r];
    if (t < d.opens || t >= d.closes) continue;
    const Parameters& p = d.params;
    for (std::size_t l0 = 0; l0 < lanes; l0 += 4) {
      const std::size_t width = std::min<std::size_t>(4, lanes - l0);
      // Phase 1 packs replicates 4b..4b+3 into block b (include/plenary/engine/random.hpp).
      const auto block = static_cast<std::uint32_t>((first + static_cast<long>(l0)) / 4);
      for (std::size_t i = 0; i < n_; ++i) {
        bool any = false;
        for (std::size_t w = 0; w < width; ++w) any |= sponsor_[at(r, l0 + w, i)] == 0;
        if (!any) continue;
        const auto words = philox_block(seed, block, Phase::kSponsorship,
                                        static_cast<std::uint32_t>(t), pair_[ri(r, i)]);
        for (std::size_t w = 0; w < width; ++w) {
          const std::size_t l = l0 + w;
          if (sponsor_[at(r, l, i)]) continue;
          const double z = base_[ri(r, i)] + p.theta_peer * peer_[at(r, l, i)] +
                           p.theta_bloc * bloc_term(r, l, i) +
                           lobby_coef_[r] * clout_sum_[r * cap_ + l] -
                           p.theta_rival * rival_sponsorships(r, l, i, nullptr);
          // u < sigmoid(z) without a division.
          if (to_uniform(words[w]) * (1.0 + std::exp(-z)) < 1.0) joins_.push_back({r, i, l});
        }
      }
    }
  }
}

void Batch::apply_joins() {
  // Synchronous update: every decision of the round read the state before any join.
  // Within a lane, joins are applied in (draft, member) order whatever the batch size.
  for (const Join& j : joins_) join(j.draft, j.member, j.lane);
  joins_.clear();
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

double Batch::vote_utility(std::size_t r, std::size_t l, std::size_t i,
                           const std::vector<char>* standing) const {
  const Parameters& p = m_.drafts[r].params;
  return fit_[ri(r, i)] + p.phi_peer * peer_[at(r, l, i)] + p.phi_bloc * bloc_term(r, l, i) -
         p.phi_rival * rival_sponsorships(r, l, i, standing);
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
      const VoteProbabilities p = vote_probabilities(vote_utility(r, l, i, nullptr), d.params);
      yes += present * p.yes;
      voting += present * (p.yes + p.no);
    }
  }
  // Nobody expected to vote: there is no share to judge by, and the draft stands.
  if (voting <= 0) return false;
  return yes / voting < *d.withdraw_below;
}

void Batch::vote(long first, std::size_t lanes, std::uint64_t seed,
                 std::vector<DraftCounts>& counts) {
  std::vector<char> standing(r_);
  for (std::size_t l = 0; l < lanes; ++l) {
    const auto replicate = static_cast<std::uint32_t>(first + static_cast<long>(l));
    for (std::size_t r = 0; r < r_; ++r) standing[r] = !withdrawn(r, l);
    for (std::size_t r = 0; r < r_; ++r) {
      DraftCounts& c = counts[r];
      if (!standing[r]) {
        c.withdrawn += 1;
        continue;
      }
      c.stood += 1;
      const ModelDraft& d = m_.drafts[r];
      const Parameters& p = d.params;
      std::array<long, 4> tally{};
      bool requested = false;
      for (std::size_t i = 0; i < n_; ++i) {
        if (!m_.votes[i]) continue;
        const auto words = philox_block(seed, replicate, Phase::kVote, 0, pair_[ri(r, i)]);
        Vote v = Vote::kYes;
        if (to_uniform(words[0]) < m_.absence(static_cast<Eigen::Index>(i))) {
          v = Vote::kAbsent;
        } else if (!sponsor_[at(r, l, i)]) {
          const double u = to_uniform(words[1]);
          const double utility = vote_utility(r, l, i, &standing) + std::log(u / (1.0 - u));
          v = utility > p.tau_yes ? Vote::kYes : utility < -p.tau_no ? Vote::kNo : Vote::kAbstain;
          if (v == Vote::kNo && to_uniform(words[2]) < p.rho) requested = true;
        }
        tally[static_cast<std::size_t>(v)] += 1;
        c.member_votes[4 * i + static_cast<std::size_t>(v)] += 1;
      }
      if (!requested) {
        // Nobody asked for a recorded vote: adopted without a vote, no tally recorded.
        c.adopted += 1;
        c.without_vote += 1;
        continue;
      }
      c.recorded += 1;
      for (std::size_t v = 0; v < 4; ++v) c.tally[v * (n_ + 1) + static_cast<std::size_t>(tally[v])] += 1;
      if (adopted(d.majority, tally[0], tally[1])) c.adopted += 1;
    }
  }
}

void Batch::run(long first, int lanes_used, std::uint64_t seed, std::vector<DraftCounts>& counts) {
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
  vote(first, lanes, seed, counts);
}

}  // namespace plenary
