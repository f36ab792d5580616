// Phase 2 of MODEL.md in the engine, and the withdrawal before it: each standing draft's
// vote in every lane of a batch, with the vote rule (rules::vote_utility,
// rules::vote_decision in include/plenary/model/rules.hpp) applied over whole vectors of
// members, the tallies and adoption (rules::adopted), or adoption without a vote.

#include <algorithm>
#include <array>

#include "engine/batch.hpp"
#include "engine/lane_kernels.hpp"
#include "plenary/core/random.hpp"
#include "plenary/model/rules.hpp"

namespace plenary {

namespace {

using engine::kChunk;
using engine::philox_kernel;

// The votes of one lane on one draft for `count` members (MODEL.md, phase 2), as codes:
// a vote's vote_index (where DraftCounts and the tallies count it), or kNoRights for a
// member without voting rights. A member with voting rights is absent by rules::absent; a
// present co-sponsor votes Yes; any other present member votes by rules::vote_decision on
// m = rules::vote_utility.
constexpr std::uint8_t code_of(Vote v) { return static_cast<std::uint8_t>(vote_index(v)); }
constexpr std::uint8_t kYes = code_of(Vote::kYes);
constexpr std::uint8_t kNo = code_of(Vote::kNo);
constexpr std::uint8_t kAbstain = code_of(Vote::kAbstain);
constexpr std::uint8_t kAbsent = code_of(Vote::kAbsent);
constexpr std::uint8_t kNoRights = kVotes;

struct VoteArgs {
  const double* fit;
  const double* peer;
  const double* bloc;                // the members' bloc terms, or null (Batch::bloc_)
  const double* bloc_value;          // else the lane's bloc term per combination
  const std::uint32_t* combination;  // and each member's combination
  const std::uint16_t* rival;        // rival counts (Batch::rival_)
  const double* absence;
  const double* habit;  // h_i: the member's cut points are tau + h_i (rules::cutpoint)
  const std::uint8_t* rights;
  const std::uint8_t* sponsor;
  const std::uint32_t* words;  // rows of kChunk: absence, noise, request
  double phi_peer;
  double phi_bloc;
  double phi_rival;
  double tau_yes;
  double tau_no;
  double rho;
};

inline double vote_utility(const VoteArgs& a, std::size_t k) {
  const double bloc = a.bloc ? a.bloc[k] : a.bloc_value[a.combination[k]];
  return rules::vote_utility(a.fit[k], a.peer[k], bloc, static_cast<double>(a.rival[k]), a.phi_peer,
                             a.phi_bloc, a.phi_rival);
}

// As decide_kernel: a vectorised pass brackets both exp() of rules::vote_decision by
// kernels::exp_bracket and settles every member whose u is clear of both brackets; the
// rest get the exact rule in a scalar pass, so the codes are exactly those of the rule
// with the full exp. Returns whether a present member voting No asks for a recorded vote
// (rules::asks_for_recorded_vote).
template <bool kPerMember>
PLENARY_KERNEL_BODY bool vote_body(const VoteArgs& a, std::size_t count,
                                   std::uint8_t* __restrict code) {
  const double* __restrict fit = a.fit;
  const double* __restrict peer = a.peer;
  const double* __restrict bloc = a.bloc;
  const double* __restrict bloc_value = a.bloc_value;
  const std::uint32_t* __restrict combination = a.combination;
  const std::uint16_t* __restrict rival = a.rival;
  const double* __restrict absence = a.absence;
  const double* __restrict habit = a.habit;
  const std::uint8_t* __restrict rights = a.rights;
  const std::uint8_t* __restrict sponsor = a.sponsor;
  const std::uint32_t* __restrict words = a.words;
  alignas(64) std::uint8_t unsure[kChunk];
  std::uint8_t any_unsure = 0;
  std::uint8_t requested = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const double u_absent = to_uniform(words[k]);
    const double u = to_uniform(words[kChunk + k]);
    const double u_ask = to_uniform(words[2 * kChunk + k]);
    const double m =
        rules::vote_utility(fit[k], peer[k], kPerMember ? bloc[k] : bloc_value[combination[k]],
                            static_cast<double>(rival[k]), a.phi_peer, a.phi_bloc, a.phi_rival);
    const double tau_yes = rules::cutpoint(a.tau_yes, habit[k]);
    const double tau_no = rules::cutpoint(a.tau_no, habit[k]);
    double yes_lo;
    double yes_hi;
    kernels::exp_bracket(m - tau_yes, yes_lo, yes_hi);
    double no_lo;
    double no_hi;
    kernels::exp_bracket(m + tau_no, no_lo, no_hi);
    // Rounding is monotone: the exact tests of rules::vote_decision lie between the tests
    // on the bounds.
    const bool yes = u * (1.0 + yes_lo) > 1.0;
    const bool not_yes = !(u * (1.0 + yes_hi) > 1.0);
    const bool no = u * (1.0 + no_hi) < 1.0;
    const bool not_no = !(u * (1.0 + no_lo) < 1.0);
    const bool voting = rights[k] != 0;
    const bool absent = rules::absent(u_absent, absence[k]);
    const bool free = voting & !absent & (sponsor[k] == 0);
    const std::uint8_t noisy = yes ? kYes : no ? kNo : kAbstain;
    const std::uint8_t fixed = !voting ? kNoRights : absent ? kAbsent : kYes;
    code[k] = free ? noisy : fixed;
    unsure[k] = static_cast<std::uint8_t>(free & ((!yes & !not_yes) | (not_yes & !no & !not_no)));
    any_unsure |= unsure[k];
    requested |= static_cast<std::uint8_t>(free & not_yes & no & (u_ask < a.rho));
  }
  if (!any_unsure) return requested != 0;
  for (std::size_t k = 0; k < count; ++k) {
    if (!unsure[k]) continue;
    const double u = to_uniform(words[kChunk + k]);
    const Vote v =
        rules::vote_decision(u, vote_utility(a, k), rules::cutpoint(a.tau_yes, a.habit[k]),
                             rules::cutpoint(a.tau_no, a.habit[k]));
    code[k] = code_of(v);
    if (rules::asks_for_recorded_vote(v, to_uniform(words[2 * kChunk + k]), a.rho)) requested = 1;
  }
  return requested != 0;
}

PLENARY_KERNEL_WIDE bool vote_wide(const VoteArgs& a, std::size_t count,
                                   std::uint8_t* __restrict code) {
  return a.bloc ? vote_body<true>(a, count, code) : vote_body<false>(a, count, code);
}
PLENARY_KERNEL_AVX2 bool vote_avx2(const VoteArgs& a, std::size_t count,
                                   std::uint8_t* __restrict code) {
  return a.bloc ? vote_body<true>(a, count, code) : vote_body<false>(a, count, code);
}
bool vote_scalar(const VoteArgs& a, std::size_t count, std::uint8_t* __restrict code) {
  return a.bloc ? vote_body<true>(a, count, code) : vote_body<false>(a, count, code);
}
bool vote_kernel(const VoteArgs& a, std::size_t count, std::uint8_t* code) {
  switch (kernel_isa()) {
    case Isa::kAvx512:
      return vote_wide(a, count, code);
    case Isa::kAvx2:
      return vote_avx2(a, count, code);
    case Isa::kScalar:
      break;
  }
  return vote_scalar(a, count, code);
}

// Adds one lane's vote codes to the tally and to the members' per-vote counters.
PLENARY_KERNEL_BODY void count_votes_body(const std::uint8_t* __restrict code, std::size_t count,
                                          std::uint32_t* __restrict yes,
                                          std::uint32_t* __restrict no,
                                          std::uint32_t* __restrict abstain,
                                          std::uint32_t* __restrict absent, std::uint32_t* tally) {
  std::uint32_t t0 = 0, t1 = 0, t2 = 0, t3 = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const std::uint32_t c0 = code[k] == kYes, c1 = code[k] == kNo, c2 = code[k] == kAbstain,
                        c3 = code[k] == kAbsent;
    yes[k] += c0;
    no[k] += c1;
    abstain[k] += c2;
    absent[k] += c3;
    t0 += c0;
    t1 += c1;
    t2 += c2;
    t3 += c3;
  }
  tally[kYes] += t0;
  tally[kNo] += t1;
  tally[kAbstain] += t2;
  tally[kAbsent] += t3;
}
PLENARY_KERNEL_COPIES(void, count_votes,
                      (const std::uint8_t* __restrict code, std::size_t count,
                       std::uint32_t* __restrict yes, std::uint32_t* __restrict no,
                       std::uint32_t* __restrict abstain, std::uint32_t* __restrict absent,
                       std::uint32_t* tally),
                      (code, count, yes, no, abstain, absent, tally))

}  // namespace

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
  const Parameters& p = params(r, l);
  const double bloc =
      per_member_bloc_ ? bloc_[at(r, l, i)] : bloc_value_[bv(r, l, member_combination_[i])];
  return rules::vote_utility(fit_[lri(r, l, i)], peer_[at(r, l, i)], bloc, rivals, p.phi_peer,
                             p.phi_bloc, p.phi_rival);
}

bool Batch::withdrawn(std::size_t r, std::size_t l) const {
  const ModelDraft& d = m_.drafts[r];
  if (!d.withdraw_below) return false;
  // rules::withdrawn on the expected Yes share of those present and voting, decided at the
  // end of phase 1 for all drafts at once (so every rival still stands).
  double yes = 0;
  double voting = 0;
  for (std::size_t i = 0; i < n_; ++i) {
    if (!m_.votes[i]) continue;
    const double present = 1.0 - absence(l)[i];
    if (sponsor_[at(r, l, i)]) {
      yes += present;
      voting += present;
    } else {
      const VoteProbabilities p =
          rules::vote_probabilities(vote_utility(r, l, i, static_cast<double>(rival_[at(r, l, i)])),
                                    params(r, l), m_.abstain_habit(static_cast<Eigen::Index>(i)));
      yes += present * p.yes;
      voting += present * (p.yes + p.no);
    }
  }
  return rules::withdrawn(yes, voting, *d.withdraw_below);
}

void Batch::vote(long first, std::size_t lanes, std::uint64_t seed,
                 std::vector<DraftCounts>& counts, ReplicateLog* log, long log_index) {
  std::vector<char> standing(r_);
  std::fill(vote_count_.begin(), vote_count_.end(), 0u);
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
        const std::uint8_t* s = sponsor_.data() + at(r, l, 0);
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
      const Parameters& p = params(r, l);
      // The rival term counts standing rivals only: rival_ holds every rival's, so it is
      // recounted only when a rival was withdrawn (exact small integers either way).
      const std::uint16_t* rival = rival_.data() + at(r, l, 0);
      bool all_stand = true;
      for (int q : d.rivals) all_stand &= standing[static_cast<std::size_t>(q)] != 0;
      if (!all_stand) {
        for (std::size_t i = 0; i < n_; ++i) {
          vote_rival_[i] = static_cast<std::uint16_t>(standing_rivals(r, l, i, standing));
        }
        rival = vote_rival_.data();
      }
      std::uint32_t* member_count = vote_count_.data() + r * kVotes * n_;
      std::array<std::uint32_t, kVotes> tally{};
      bool requested = false;
      for (std::size_t i0 = 0; i0 < n_; i0 += kChunk) {
        const std::size_t count = std::min(kChunk, n_ - i0);
        // Phase 2: one block per (replicate, member, draft), words 0-2 used.
        philox_kernel(seed, replicate, static_cast<std::uint32_t>(Phase::kVote) << 24,
                      pair_lo_.data() + ri(r, i0), pair_hi_.data() + ri(r, i0), count,
                      words_.data());
        const VoteArgs args{fit_.data() + lri(r, l, i0),
                            peer_.data() + at(r, l, i0),
                            member_bloc(r, l, i0),
                            bloc_value_.data() + bv(r, l, 0),
                            member_combination_.data() + i0,
                            rival + i0,
                            absence(l) + i0,
                            m_.abstain_habit.data() + i0,
                            rights_.data() + i0,
                            sponsor_.data() + at(r, l, i0),
                            words_.data(),
                            p.phi_peer,
                            p.phi_bloc,
                            p.phi_rival,
                            p.tau_yes,
                            p.tau_no,
                            p.rho};
        requested |= vote_kernel(args, count, decision_.data());
        count_votes(decision_.data(), count, member_count + kYes * n_ + i0,
                    member_count + kNo * n_ + i0, member_count + kAbstain * n_ + i0,
                    member_count + kAbsent * n_ + i0, tally.data());
        if (flags != nullptr) {
          for (std::size_t q = 0; q < count; ++q) {
            if (decision_[q] == kNo) {
              flags[i0 + q] |= ReplicateLog::kVotesNoAny;
            }
          }
        }
      }
      if (!requested) {
        // Nobody asked for a recorded vote (rules::asks_for_recorded_vote): adopted without
        // a vote, no tally recorded.
        c.adopted += 1;
        c.without_vote += 1;
        if (outcome != nullptr) {
          outcome->flags |= DraftOutcome::kAdopted | DraftOutcome::kWithoutVote;
        }
        continue;
      }
      c.recorded += 1;
      for (std::size_t v = 0; v < kVotes; ++v) {
        c.tally[v * (n_ + 1) + static_cast<std::size_t>(tally[v])] += 1;
      }
      const bool passed = rules::adopted(d.majority, tally[kYes], tally[kNo]);
      if (passed) c.adopted += 1;
      if (outcome != nullptr) {
        outcome->flags |= DraftOutcome::kRecorded | (passed ? DraftOutcome::kAdopted : 0);
        for (std::size_t v = 0; v < kVotes; ++v) {
          outcome->tally[v] = static_cast<std::int32_t>(tally[v]);
        }
      }
    }
  }
  // Each member's votes over the batch's lanes, in the layout of DraftCounts.
  for (std::size_t r = 0; r < r_; ++r) {
    auto& member_votes = counts[r].member_votes;
    const std::uint32_t* member_count = vote_count_.data() + r * kVotes * n_;
    for (std::size_t i = 0; i < n_; ++i) {
      for (std::size_t v = 0; v < kVotes; ++v) {
        member_votes[kVotes * i + v] += member_count[v * n_ + i];
      }
    }
  }
}

}  // namespace plenary
