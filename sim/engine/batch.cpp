#include "engine/batch.hpp"

#include <algorithm>
#include <cmath>

#include "plenary/engine/random.hpp"
#include "plenary/util/assert.hpp"

namespace plenary {

Batch::Batch(const Model& model, int capacity)
    : m_(model),
      capacity_(capacity),
      n_(model.members),
      r_(static_cast<int>(model.drafts.size())),
      g_(static_cast<int>(model.bloc_sizes.size())) {
  PLENARY_ASSERT(capacity % 4 == 0 && capacity > 0);
  const auto nr = static_cast<std::size_t>(n_) * static_cast<std::size_t>(r_);
  base_.resize(nr);
  pair_.resize(nr);
  fit_.resize(nr);
  for (int r = 0; r < r_; ++r) {
    const ModelDraft& d = model.drafts[static_cast<std::size_t>(r)];
    for (int i = 0; i < n_; ++i) {
      const auto k = static_cast<std::size_t>(r) * static_cast<std::size_t>(n_) + static_cast<std::size_t>(i);
      const Eigen::VectorXd x = model.positions.row(i).transpose();
      const double dp = (x - d.position).squaredNorm();
      const double dq = (x - d.status_quo).squaredNorm();
      base_[k] = d.params.theta_0 - d.params.theta_fit * dp;
      fit_[k] = d.params.phi_fit * (dq - dp);
      pair_[k] = pair_key(model.member_keys[static_cast<std::size_t>(i)], d.key);
    }
    lobby_coef_.push_back(d.params.theta_lobby * d.lobbying / model.total_clout);
  }
  for (int size : model.bloc_sizes) inv_bloc_size_.push_back(size > 0 ? 1.0 / size : 0.0);
  for (const auto& blocs : model.member_blocs) {
    inv_bloc_count_.push_back(blocs.empty() ? 0.0 : 1.0 / static_cast<double>(blocs.size()));
  }
  const auto lanes = static_cast<std::size_t>(capacity_);
  sponsor_.resize(nr * lanes);
  peer_.resize(nr * lanes);
  bloc_count_.resize(static_cast<std::size_t>(r_) * static_cast<std::size_t>(g_) * lanes);
  clout_sum_.resize(static_cast<std::size_t>(r_) * lanes);
  count_.resize(static_cast<std::size_t>(r_) * lanes);
}

void Batch::reset(int lanes) {
  std::fill(sponsor_.begin(), sponsor_.end(), std::uint8_t{0});
  std::fill(peer_.begin(), peer_.end(), 0.0);
  std::fill(bloc_count_.begin(), bloc_count_.end(), 0);
  std::fill(clout_sum_.begin(), clout_sum_.end(), 0.0);
  std::fill(count_.begin(), count_.end(), 0);
  // s_ir(0) = 1 exactly for the original sponsors, whatever the draft's opening round.
  for (int r = 0; r < r_; ++r) {
    for (int j : m_.drafts[static_cast<std::size_t>(r)].sponsors) {
      for (int l = 0; l < lanes; ++l) join(r, j, l);
    }
  }
}

void Batch::join(int r, int j, int lane) {
  const auto cap = static_cast<std::size_t>(capacity_);
  const auto l = static_cast<std::size_t>(lane);
  const auto rr = static_cast<std::size_t>(r);
  sponsor_[at(r, j) + l] = 1;
  count_[rr * cap + l] += 1;
  clout_sum_[rr * cap + l] += m_.clout(j);
  for (int g : m_.member_blocs[static_cast<std::size_t>(j)]) {
    bloc_count_[(rr * static_cast<std::size_t>(g_) + static_cast<std::size_t>(g)) * cap + l] += 1;
  }
  // Incremental peer pressure: j's column of W goes to the members watching j. Walking
  // the dense column adds exact zeros elsewhere, so both storages give the same bits.
  if (m_.dense_ties) {
    const double* column = m_.ties_dense.col(j).data();
    for (int i = 0; i < n_; ++i) peer_[at(r, i) + l] += column[i];
  } else {
    for (Eigen::SparseMatrix<double>::InnerIterator it(m_.ties, j); it; ++it) {
      peer_[at(r, static_cast<int>(it.index())) + l] += it.value();
    }
  }
}

double Batch::bloc_term(int r, int i, int lane) const {
  const auto& blocs = m_.member_blocs[static_cast<std::size_t>(i)];
  if (blocs.empty()) return 0.0;
  const auto cap = static_cast<std::size_t>(capacity_);
  double sum = 0;
  for (int g : blocs) {
    const auto k = (static_cast<std::size_t>(r) * static_cast<std::size_t>(g_) + static_cast<std::size_t>(g)) * cap +
                   static_cast<std::size_t>(lane);
    sum += bloc_count_[k] * inv_bloc_size_[static_cast<std::size_t>(g)];
  }
  return sum * inv_bloc_count_[static_cast<std::size_t>(i)];
}

int Batch::rival_sponsorships(int r, int i, int lane, const std::vector<char>* standing) const {
  int n = 0;
  for (int rival : m_.drafts[static_cast<std::size_t>(r)].rivals) {
    if (standing && !(*standing)[static_cast<std::size_t>(rival)]) continue;
    n += sponsor_[at(rival, i) + static_cast<std::size_t>(lane)];
  }
  return n;
}

void Batch::sponsorship_round(int t, long first, int lanes, std::uint64_t seed) {
  const auto cap = static_cast<std::size_t>(capacity_);
  for (int r = 0; r < r_; ++r) {
    const ModelDraft& d = m_.drafts[static_cast<std::size_t>(r)];
    if (t < d.opens || t >= d.closes) continue;
    const Parameters& p = d.params;
    const double* clout_sum = &clout_sum_[static_cast<std::size_t>(r) * cap];
    for (int i = 0; i < n_; ++i) {
      const std::size_t k = static_cast<std::size_t>(r) * static_cast<std::size_t>(n_) + static_cast<std::size_t>(i);
      const std::uint8_t* sponsor = &sponsor_[at(r, i)];
      const double* peer = &peer_[at(r, i)];
      for (int l0 = 0; l0 < lanes; l0 += 4) {
        const int l_end = std::min(l0 + 4, lanes);
        bool any = false;
        for (int l = l0; l < l_end; ++l) any |= sponsor[l] == 0;
        if (!any) continue;
        // Phase 1 packs replicates 4b..4b+3 into block b (include/plenary/engine/random.hpp).
        const auto words = philox_block(seed, static_cast<std::uint32_t>((first + l0) / 4),
                                        Phase::kSponsorship, static_cast<std::uint32_t>(t),
                                        pair_[k]);
        for (int l = l0; l < l_end; ++l) {
          if (sponsor[l]) continue;
          const double z = base_[k] + p.theta_peer * peer[l] + p.theta_bloc * bloc_term(r, i, l) +
                           lobby_coef_[static_cast<std::size_t>(r)] * clout_sum[l] -
                           p.theta_rival * rival_sponsorships(r, i, l, nullptr);
          // u < sigmoid(z) without a division.
          if (to_uniform(words[static_cast<std::size_t>(l - l0)]) * (1.0 + std::exp(-z)) < 1.0) {
            joins_.push_back({r, i, l});
          }
        }
      }
    }
  }
}

void Batch::apply_joins() {
  // Synchronous update: every decision of the round read the state before any join.
  for (const Join& j : joins_) join(j.draft, j.member, j.lane);
  joins_.clear();
}

void Batch::record_round(int t, int lanes, std::vector<DraftCounts>& counts) const {
  const auto n1 = static_cast<std::size_t>(n_) + 1;
  for (int r = 0; r < r_; ++r) {
    auto& hist = counts[static_cast<std::size_t>(r)].sponsors_by_round;
    for (int l = 0; l < lanes; ++l) {
      const auto c = count_[static_cast<std::size_t>(r) * static_cast<std::size_t>(capacity_) + static_cast<std::size_t>(l)];
      hist[static_cast<std::size_t>(t) * n1 + static_cast<std::size_t>(c)] += 1;
    }
  }
}

double Batch::vote_utility(int r, int i, int lane, const std::vector<char>* standing) const {
  const Parameters& p = m_.drafts[static_cast<std::size_t>(r)].params;
  const std::size_t k = static_cast<std::size_t>(r) * static_cast<std::size_t>(n_) + static_cast<std::size_t>(i);
  return fit_[k] + p.phi_peer * peer_[at(r, i) + static_cast<std::size_t>(lane)] +
         p.phi_bloc * bloc_term(r, i, lane) -
         p.phi_rival * rival_sponsorships(r, i, lane, standing);
}

bool Batch::withdrawn(int r, int lane) const {
  const ModelDraft& d = m_.drafts[static_cast<std::size_t>(r)];
  if (!d.withdraw_below) return false;
  // MODEL.md, "Withdrawal": the expected Yes share of those present and voting, decided at
  // the end of phase 1 for all drafts at once (so every rival still stands).
  double yes = 0;
  double voting = 0;
  for (int i = 0; i < n_; ++i) {
    if (!m_.votes[static_cast<std::size_t>(i)]) continue;
    const double present = 1.0 - m_.absence(i);
    if (sponsor_[at(r, i) + static_cast<std::size_t>(lane)]) {
      yes += present;
      voting += present;
    } else {
      const VoteProbabilities p = vote_probabilities(vote_utility(r, i, lane, nullptr), d.params);
      yes += present * p.yes;
      voting += present * (p.yes + p.no);
    }
  }
  // Nobody expected to vote: there is no share to judge by, and the draft stands.
  if (voting <= 0) return false;
  return yes / voting < *d.withdraw_below;
}

void Batch::vote(long first, int lanes, std::uint64_t seed, std::vector<DraftCounts>& counts) {
  std::vector<char> standing(static_cast<std::size_t>(r_));
  const auto n1 = static_cast<std::size_t>(n_) + 1;
  for (int l = 0; l < lanes; ++l) {
    const auto replicate = static_cast<std::uint32_t>(first + l);
    for (int r = 0; r < r_; ++r) standing[static_cast<std::size_t>(r)] = !withdrawn(r, l);
    for (int r = 0; r < r_; ++r) {
      DraftCounts& c = counts[static_cast<std::size_t>(r)];
      if (!standing[static_cast<std::size_t>(r)]) {
        c.withdrawn += 1;
        continue;
      }
      c.stood += 1;
      const ModelDraft& d = m_.drafts[static_cast<std::size_t>(r)];
      const Parameters& p = d.params;
      std::array<long, 4> tally{};
      bool requested = false;
      for (int i = 0; i < n_; ++i) {
        if (!m_.votes[static_cast<std::size_t>(i)]) continue;
        const auto words = philox_block(seed, replicate, Phase::kVote, 0,
                                        pair_[static_cast<std::size_t>(r) * static_cast<std::size_t>(n_) + static_cast<std::size_t>(i)]);
        Vote v = Vote::kYes;
        if (to_uniform(words[0]) < m_.absence(i)) {
          v = Vote::kAbsent;
        } else if (!sponsor_[at(r, i) + static_cast<std::size_t>(l)]) {
          const double u = to_uniform(words[1]);
          const double utility = vote_utility(r, i, l, &standing) + std::log(u / (1.0 - u));
          v = utility > p.tau_yes ? Vote::kYes : utility < -p.tau_no ? Vote::kNo : Vote::kAbstain;
          if (v == Vote::kNo && to_uniform(words[2]) < p.rho) requested = true;
        }
        tally[static_cast<std::size_t>(v)] += 1;
        c.member_votes[4 * static_cast<std::size_t>(i) + static_cast<std::size_t>(v)] += 1;
      }
      if (!requested) {
        // Nobody asked for a recorded vote: adopted without a vote, no tally recorded.
        c.adopted += 1;
        c.without_vote += 1;
        continue;
      }
      c.recorded += 1;
      for (std::size_t v = 0; v < 4; ++v) c.tally[v * n1 + static_cast<std::size_t>(tally[v])] += 1;
      if (adopted(d.majority, tally[0], tally[1])) c.adopted += 1;
    }
  }
}

void Batch::run(long first, int lanes, std::uint64_t seed, std::vector<DraftCounts>& counts) {
  PLENARY_ASSERT(first % 4 == 0 && lanes <= capacity_);
  reset(lanes);
  record_round(0, lanes, counts);
  for (int t = 0; t < m_.rounds; ++t) {
    sponsorship_round(t, first, lanes, seed);
    apply_joins();
    record_round(t + 1, lanes, counts);
  }
  for (int r = 0; r < r_; ++r) {
    auto& member_sponsor = counts[static_cast<std::size_t>(r)].member_sponsor;
    for (int i = 0; i < n_; ++i) {
      const std::uint8_t* s = &sponsor_[at(r, i)];
      for (int l = 0; l < lanes; ++l) member_sponsor[static_cast<std::size_t>(i)] += s[l];
    }
  }
  vote(first, lanes, seed, counts);
}

}  // namespace plenary
