// The fast path of plenary lobby (sim/stats/lobby_fast.hpp, docs/strategy.md "The fast
// path").

#include "stats/lobby_fast.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <climits>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <type_traits>

#include "core/kernels.hpp"
#include "plenary/core/exp.hpp"
#include "plenary/core/random.hpp"
#include "plenary/model/rules.hpp"
#include "plenary/scenario/what_if.hpp"
#include "plenary/util/assert.hpp"

namespace plenary::lobby_fast {
namespace {

constexpr int kNever = INT_MAX;

// A decision settled (1 or 0) or too close to call (-1).
constexpr int kUnsure = -1;

// rules::joins with the distance of its test from the threshold checked.
int join_test(double z, std::uint32_t word, double band) {
  const double p = to_uniform(word) * (1.0 + kernels::exp(-z));
  if (std::abs(p - 1.0) < band) return kUnsure;
  return p < 1.0 ? 1 : 0;
}

// One draft of the part of the scenario that the lobbied draft depends on (itself and the
// drafts connected to it by rivalry; the others cannot change it).
struct LocalDraft {
  int index = 0;  // in the model
  const ModelDraft* d = nullptr;
  std::vector<int> rivals;  // local indices
  double lobby = 0;         // rules::lobby_coefficient
  std::vector<double> base, fit;
  // Per entry of Plan's columns: theta_peer W[i][j] + theta_bloc (bloc share), this draft's
  // change of member i's join log-odds when j sponsors it.
  std::vector<double> col_dz;
  std::vector<std::uint64_t> pair;
  std::vector<std::uint32_t> pair_lo, pair_hi;  // for philox_many, padded to 8
  std::vector<char> barred;
  std::vector<double> barred_margin;  // HUGE_VAL for a barred member, else 0, for margins()
};

// What does not change between replicates: the drafts, the members' influence columns
// (how one member's sponsorship moves the others' peer and bloc terms) and the vote's inputs.
struct Plan {
  const Model* m = nullptr;
  int n = 0;
  int rounds = 0;  // phase 1 rounds that matter: the latest close among the local drafts
  int target = 0;  // the lobbied draft's local index
  std::vector<LocalDraft> drafts;
  // Column j: the members i whose terms j's sponsorship moves, W[i][j] and the bloc share.
  std::vector<std::size_t> col_start;
  std::vector<int> col_member;
  std::vector<double> col_peer, col_bloc;
  std::vector<std::vector<int>> bloc_members;
  std::vector<double> bloc_weight;  // per member: 1 / (number of its blocs)

  Plan(const Model& model, int draft);
  std::size_t at(int r, int i) const {
    return static_cast<std::size_t>(r) * static_cast<std::size_t>(n) + static_cast<std::size_t>(i);
  }
  std::size_t at(int t, int r, int i) const {
    return (static_cast<std::size_t>(t) * drafts.size() + static_cast<std::size_t>(r)) *
               static_cast<std::size_t>(n) +
           static_cast<std::size_t>(i);
  }
};

Plan::Plan(const Model& model, int draft) : m(&model), n(model.members) {
  // The drafts connected to `draft` through rivals, in model order.
  std::set<int> part{draft};
  for (std::vector<int> todo{draft}; !todo.empty();) {
    const int r = todo.back();
    todo.pop_back();
    for (int q : model.drafts[static_cast<std::size_t>(r)].rivals) {
      if (part.insert(q).second) todo.push_back(q);
    }
  }
  std::map<int, int> local;
  for (int r : part) local[r] = static_cast<int>(local.size());
  target = local[draft];
  for (int r : part) {
    LocalDraft ld;
    ld.index = r;
    ld.d = &model.drafts[static_cast<std::size_t>(r)];
    for (int q : ld.d->rivals) ld.rivals.push_back(local[q]);
    const Parameters& p = ld.d->params;
    ld.lobby = rules::lobby_coefficient(p, ld.d->lobbying, model.total_clout);
    ld.barred.assign(static_cast<std::size_t>(n), 0);
    for (int i : ld.d->barred) ld.barred[static_cast<std::size_t>(i)] = 1;
    for (char b : ld.barred) ld.barred_margin.push_back(b ? HUGE_VAL : 0.0);
    for (int i = 0; i < n; ++i) {
      const Eigen::VectorXd x = model.positions.row(i).transpose();
      const double d2 = (x - ld.d->position).squaredNorm();
      ld.base.push_back(rules::join_base(p, d2));
      ld.fit.push_back(rules::vote_fit(p, d2, (x - ld.d->status_quo).squaredNorm()));
      ld.pair.push_back(pair_key(model.member_keys[static_cast<std::size_t>(i)], ld.d->key));
      ld.pair_lo.push_back(static_cast<std::uint32_t>(ld.pair.back()));
      ld.pair_hi.push_back(static_cast<std::uint32_t>(ld.pair.back() >> 32));
    }
    ld.pair_lo.resize((static_cast<std::size_t>(n) + 7) / 8 * 8, 0);
    ld.pair_hi.resize((static_cast<std::size_t>(n) + 7) / 8 * 8, 0);
    rounds = std::max(rounds, ld.d->closes);
    drafts.push_back(std::move(ld));
  }
  bloc_members.resize(model.bloc_sizes.size());
  bloc_weight.assign(static_cast<std::size_t>(n), 0);
  for (int i = 0; i < n; ++i) {
    const auto& blocs = model.member_blocs[static_cast<std::size_t>(i)];
    for (int g : blocs) bloc_members[static_cast<std::size_t>(g)].push_back(i);
    if (!blocs.empty()) bloc_weight[static_cast<std::size_t>(i)] = 1.0 / double(blocs.size());
  }
  std::vector<double> peer(static_cast<std::size_t>(n)), bloc(static_cast<std::size_t>(n));
  col_start.push_back(0);
  for (int j = 0; j < n; ++j) {
    std::fill(peer.begin(), peer.end(), 0.0);
    std::fill(bloc.begin(), bloc.end(), 0.0);
    for (Eigen::SparseMatrix<double>::InnerIterator it(model.ties, j); it; ++it) {
      peer[static_cast<std::size_t>(it.row())] += it.value();
    }
    for (int g : model.member_blocs[static_cast<std::size_t>(j)]) {
      const double size = model.bloc_sizes[static_cast<std::size_t>(g)];
      for (int i : bloc_members[static_cast<std::size_t>(g)]) {
        bloc[static_cast<std::size_t>(i)] += bloc_weight[static_cast<std::size_t>(i)] / size;
      }
    }
    for (int i = 0; i < n; ++i) {
      if (peer[static_cast<std::size_t>(i)] == 0 && bloc[static_cast<std::size_t>(i)] == 0)
        continue;
      col_member.push_back(i);
      col_peer.push_back(peer[static_cast<std::size_t>(i)]);
      col_bloc.push_back(bloc[static_cast<std::size_t>(i)]);
    }
    col_start.push_back(col_member.size());
  }
  for (LocalDraft& ld : drafts) {
    const Parameters& p = ld.d->params;
    for (std::size_t e = 0; e < col_member.size(); ++e) {
      ld.col_dz.push_back(p.theta_peer * col_peer[e] + p.theta_bloc * col_bloc[e]);
    }
  }
}

// log(u / (1 - u)) to within 1e-8: only the screen reads it, whose band is far wider.
inline double approx_logit(double u) {
  const double x = u / (1.0 - u);
  // std::frexp's mantissa in [0.5, 1) and exponent, from the bits: x is normal and positive
  // (u lies in [2^-33, 1 - 2^-33]).
  const auto bits = std::bit_cast<std::uint64_t>(x);
  // Integer operations only, so that margins() below is vectorised (a floating-point
  // comparison in a select keeps GCC from it, as it may trap): the mantissa m in [0.5, 1)
  // and, below 1/sqrt(2), doubled (its exponent field raised by one, which is m * 2 exactly);
  // the exponent, lowered by one then, as a double (2^52 + its bits, less 2^52: no
  // conversion from a 64-bit integer, which AVX2 lacks).
  const std::uint64_t mantissa = (bits & 0x800fffffffffffffULL) | (std::uint64_t{1022} << 52);
  constexpr auto kLow = std::bit_cast<std::int64_t>(0.70710678118654752);
  const std::uint64_t low = static_cast<std::int64_t>(mantissa) < kLow ? 1 : 0;
  const double m = std::bit_cast<double>(mantissa + (low << 52));
  const double e =
      std::bit_cast<double>(((bits >> 52) - low) | 0x4330000000000000ULL) - 0x1p52 - 1022.0;
  const double s = (m - 1) / (m + 1);  // |s| <= 0.172
  const double s2 = s * s;
  const double series = 1 + s2 * (1.0 / 3 + s2 * (1.0 / 5 + s2 * (1.0 / 7 + s2 * (1.0 / 9))));
  return e * 0.69314718055994531 + 2 * s * series;
}

// One round of one draft in the baseline's replay: every member's join log-odds z (as
// rules::join_utility) and its margin, approx_logit(to_uniform(word)) - z (HUGE_VAL for a
// barred member: barred[i] is HUGE_VAL for it, else 0, added), in vectors where the processor
// has them (the same bits in every copy: IEEE divisions, additions and multiplications and
// integer operations only).
struct MarginInputs {
  const std::uint32_t* words;
  const double *base, *peer, *bloc, *rival, *barred;
  double lobby, theta_peer, theta_bloc, theta_rival;
};
PLENARY_KERNEL_BODY void margins_body(const MarginInputs& in, std::size_t n, double* __restrict z,
                                      double* __restrict margin) {
  const std::uint32_t* __restrict words = in.words;
  const double* __restrict base = in.base;
  const double* __restrict peer = in.peer;
  const double* __restrict bloc = in.bloc;
  const double* __restrict rival = in.rival;
  const double* __restrict barred = in.barred;
  const double lobby = in.lobby;
  const double theta_peer = in.theta_peer;
  const double theta_bloc = in.theta_bloc;
  const double theta_rival = in.theta_rival;
  for (std::size_t i = 0; i < n; ++i) {
    const double zi = rules::join_utility(base[i], peer[i], bloc[i], lobby, rival[i], theta_peer,
                                          theta_bloc, theta_rival);
    z[i] = zi;
    // to_uniform(words[i]) through a signed conversion (exact: the word as a double).
    const double word =
        static_cast<double>(static_cast<std::int32_t>(words[i] ^ 0x80000000U)) + 2147483648.0;
    const double m = approx_logit((word + 0.5) * 0x1p-32) - zi;
    margin[i] = m + barred[i];
  }
}
PLENARY_KERNEL_COPIES(void, margins,
                      (const MarginInputs& in, std::size_t n, double* z, double* margin),
                      (in, n, z, margin))

// A draft's bounds of the margins ahead, round t's row from round t + 1's (next_*; in the
// last open round, HUGE_VAL, HUGE_VAL and -HUGE_VAL): the least margin of the rounds
// t .. close - 1; the least of them before the member's joining in the baseline (end_open[i]
// = 1 + the last round that counts, joined[i] its joining round, as doubles); the greatest up
// to its joining. Member by member, in vectors (min and max are exact).
PLENARY_KERNEL_BODY void bounds_body(
    const double* __restrict margin, const double* __restrict end_open,
    const double* __restrict joined, double t, std::size_t n, const double* __restrict next_least,
    const double* __restrict next_before, const double* __restrict next_open,
    double* __restrict least, double* __restrict least_before, double* __restrict greatest_open) {
  for (std::size_t i = 0; i < n; ++i) {
    const double m = margin[i];
    // The margin where it counts, else a value that changes no bound (selects of values
    // already computed, so that the loop is vectorised).
    const double open = t < end_open[i] ? m : -HUGE_VAL;
    const double before = t < end_open[i] ? m : HUGE_VAL;
    const double counted = t != joined[i] ? before : HUGE_VAL;
    least[i] = std::min(m, next_least[i]);
    least_before[i] = std::min(counted, next_before[i]);
    greatest_open[i] = std::max(open, next_open[i]);
  }
}
PLENARY_KERNEL_COPIES(void, bounds,
                      (const double* margin, const double* end_open, const double* joined, double t,
                       std::size_t n, const double* next_least, const double* next_before,
                       const double* next_open, double* least, double* least_before,
                       double* greatest_open),
                      (margin, end_open, joined, t, n, next_least, next_before, next_open, least,
                       least_before, greatest_open))

// kernels::philox_many in the copy of kernel_isa() (the same words from every copy; the
// vector copies read and write counters in whole vectors of 8: pair_lo and pair_hi are
// padded, and so are the rows of Worker::words_).
void philox_words(std::uint32_t k0, std::uint32_t k1, std::uint32_t c0, std::uint32_t c1,
                  const std::uint32_t* lo, const std::uint32_t* hi, std::size_t n,
                  std::uint32_t* out, std::size_t stride) {
  switch (kernel_isa()) {
    case Isa::kAvx512:
      return kernels::philox_many_avx512(k0, k1, c0, c1, lo, hi, n, out, stride);
    case Isa::kAvx2:
      return kernels::philox_many_avx2(k0, k1, c0, c1, lo, hi, n, out, stride);
    case Isa::kScalar:
      break;
  }
  kernels::philox_many(k0, k1, c0, c1, lo, hi, n, out, stride);
}

// apply()'s key for round t (start): least_before[i] where a member's joining in the baseline
// cannot be undone by a change of its log-odds of at least 0 (it joined before t, or by a
// margin below -screen; joined[i] and join_margin[i] its joining round, as a double, and
// margin), else -HUGE_VAL.
PLENARY_KERNEL_BODY void screen_keys_body(const double* __restrict least_before,
                                          const double* __restrict joined,
                                          const double* __restrict join_margin, double t,
                                          double screen, std::size_t n, double* __restrict key) {
  for (std::size_t i = 0; i < n; ++i) {
    const double lb = least_before[i];
    const double decided = join_margin[i] < -screen ? lb : -HUGE_VAL;
    key[i] = joined[i] < t ? lb : decided;
  }
}
PLENARY_KERNEL_COPIES(void, screen_keys,
                      (const double* least_before, const double* joined, const double* join_margin,
                       double t, double screen, std::size_t n, double* key),
                      (least_before, joined, join_margin, t, screen, n, key))

// Margins within this of 0 are listed per round and draft: the members not sponsoring yet
// whose decision a small change of the lobbying term alone can turn.
constexpr double kNear = 0.05;

// One replicate's baseline, replayed with the same random numbers: every member's margin in
// every round and local draft (the draw's logit minus the join log-odds: a member joins when
// its log-odds rise above it), its join round, the terms at the close, the vote's draws.
struct Baseline {
  std::vector<double> margin, z;  // [t][r][i]
  // [t][r][i]: the least margin in rounds t .. close - 1 (open rounds), for a member that
  // sponsors in the baseline but not under the commitment; for a member that sponsors in
  // neither (its margins after it joined in the baseline cannot matter), the least margin of
  // those rounds before its joining (HUGE_VAL from it on) and the greatest up to its joining
  // (-HUGE_VAL past it).
  std::vector<double> least, least_before, greatest_open;
  // [t][r][i]: least_before, or -HUGE_VAL where the joining's own margin is needed
  // (screen_keys()), for apply()'s first test.
  std::vector<double> screen_key;
  std::vector<double> join_margin;     // [r][i]: the margin of its joining, -HUGE_VAL if none
  std::vector<std::vector<int>> near;  // [t * R + r]: non-sponsors with |margin| < kNear
  // [t * R + r]: the least margin >= 0 and the greatest margin < 0 in near[t * R + r] (HUGE_VAL
  // and -HUGE_VAL when none), so that a round whose near list holds nothing within the
  // lobbying term's window is passed over without reading the list.
  std::vector<double> near_pos, near_neg;
  std::vector<int> joined;                // [r][i]: round of joining, -1 original, kNever
  std::vector<double> peer, bloc, rival;  // [r][i] at the close
  std::vector<std::uint8_t> sponsor;      // [r][i] at the close
  int sponsors = 0;                       // the target's at the close
  // The vote on the target draft: absent, asks for a recorded vote, the noise and its logit.
  std::vector<std::uint8_t> absent, asks;
  std::vector<std::uint32_t> noise;
  std::vector<double> eps;
  bool unsure = false;
};

// One commitment in one replicate, as differences from the baseline. Only "dirty" members
// (whose terms or sponsorship differ) can decide otherwise than in the baseline, with the
// lobbying term's change (the same for every member) the one exception, which the near
// lists cover.
struct Delta {
  std::vector<std::int8_t> diff;  // [r][i]: sponsor minus the baseline's sponsor
  // [r][i]: the difference of the join log-odds but for the lobbying term, and of the rival
  // term; those of the peer and bloc terms only at the close, for the vote (close_terms()).
  std::vector<double> dz, rival, peer, bloc;
  std::vector<std::uint8_t> dirty;           // [r][i]
  std::vector<std::vector<int>> dirty_list;  // [r]
  // The columns applied, (r, i), in order (repeats possible): their members' terms differ
  // but, unless listed in dirty_list too, their windows held no margin when last moved.
  std::vector<std::pair<int, int>> moved;
  bool closed = false;                       // close_terms() has run
  std::vector<double> clout;                 // [r]: difference of the sponsors' clout
  std::vector<std::uint32_t> stamp;          // [r][i]: last evaluation
  std::vector<std::uint32_t> touched_stamp;  // [r][i]: last listed in `touched`
  std::uint32_t evaluation = 0;
  struct Change {
    int r, i, sign;
  };
  std::vector<Change> changes;  // of this round
  // A dirty member is evaluated only in the rounds where it may decide otherwise than in the
  // baseline: next[r][i], listed in due[t] as (r, i) (stale entries skipped). The windows
  // allow the lobbying term to move by kSlack from reference[r]; beyond, all are redone.
  std::vector<int> next;                              // [r][i]
  std::vector<std::vector<std::pair<int, int>>> due;  // [t]
  std::vector<double> reference;                      // [r]
  std::vector<std::pair<int, int>> touched;           // (r, i) whose terms changed this round
  long nonzero = 0;                                   // entries of diff that are not 0
  int target_sum = 0;                                 // the sum of diff over the target
};

class Worker {
 public:
  Worker(const Plan& plan, const Options& o) : p_(plan), o_(o) {
    const std::size_t R = p_.drafts.size();
    const std::size_t rn = R * static_cast<std::size_t>(p_.n);
    const std::size_t trn = static_cast<std::size_t>(p_.rounds) * rn;
    b_.margin.assign(trn, 0);
    b_.least.assign(trn, HUGE_VAL);
    b_.least_before.assign(trn, HUGE_VAL);
    b_.screen_key.assign(trn, -HUGE_VAL);
    b_.join_margin.assign(rn, -HUGE_VAL);
    b_.greatest_open.assign(trn, -HUGE_VAL);
    b_.z.assign(trn, 0);
    b_.near.resize(static_cast<std::size_t>(p_.rounds) * R);
    b_.near_pos.assign(static_cast<std::size_t>(p_.rounds) * R, HUGE_VAL);
    b_.near_neg.assign(static_cast<std::size_t>(p_.rounds) * R, -HUGE_VAL);
    b_.joined.assign(rn, kNever);
    b_.peer.assign(rn, 0);
    b_.bloc.assign(rn, 0);
    b_.rival.assign(rn, 0);
    b_.sponsor.assign(rn, 0);
    const auto n = static_cast<std::size_t>(p_.n);
    b_.absent.assign(n, 0);
    b_.asks.assign(n, 0);
    b_.noise.assign(n, 0);
    b_.eps.assign(n, 0);
    d_.diff.assign(rn, 0);
    d_.dz.assign(rn, 0);
    d_.peer.assign(rn, 0);
    d_.bloc.assign(rn, 0);
    d_.rival.assign(rn, 0);
    d_.dirty.assign(rn, 0);
    d_.dirty_list.resize(R);
    d_.clout.assign(R, 0);
    d_.stamp.assign(rn, 0);
    d_.touched_stamp.assign(rn, 0);
    d_.next.assign(rn, kNever);
    d_.due.resize(static_cast<std::size_t>(p_.rounds) + 1);
    d_.reference.assign(R, 0);
    const std::size_t padded = (n + 7) / 8 * 8;
    words_.assign(static_cast<std::size_t>(p_.rounds) * R * 4 * padded, 0);
    stride_ = padded;
    within_.resize(n);
    end_open_.resize(n);
    joined_.resize(n);
    running_.resize(3 * n);
  }

  // Replicates 4q .. 4q + 3 (those below `end`): every set's outcome, or a flag that the
  // engine must decide it.
  void quad(long q, long end, const std::vector<std::vector<int>>& forced, const ReplicateLog& log,
            std::vector<std::vector<DraftOutcome>>& out,
            std::vector<std::vector<std::uint8_t>>& unsure, std::atomic<long>& mismatches);
  long redraws() const { return redraws_; }
  long reconverged() const { return reconverged_; }

 private:
  void draw_words(long q);
  void replay_baseline(long k);
  void vote_draws(long k);
  void bound_margins(int r);
  // The replicate's phase-1 words of round t and local draft r, per member.
  const std::uint32_t* round_words(int t, int r) const {
    return words_.data() +
           ((static_cast<std::size_t>(t) * p_.drafts.size() + static_cast<std::size_t>(r)) * 4 +
            static_cast<std::size_t>(lane_)) *
               stride_;
  }
  const std::vector<double>& bloc_terms(const std::vector<int>& counts, int r);
  void touch(int r, int i);
  void mark_dirty(int r, int i);
  void schedule(int r, int i, int from);
  void apply(int r, int i, int sign, int from);
  void reschedule(int r, int from);
  bool outside(std::size_t a, int start, double lo, double hi) const;
  void reset();
  void close_terms();
  bool evaluate(int t, int r, int i, double lobby);
  int next_event(int t);
  bool reconverges() const;
  bool commit(const std::vector<int>& forced, DraftOutcome& out);
  int sponsor(int r, int i, bool with_delta) const {
    const std::size_t a = p_.at(r, i);
    return b_.sponsor[a] + (with_delta ? d_.diff[a] : 0);
  }
  bool vote(bool with_delta, DraftOutcome& out) const;
  int withdrawn(int r, bool with_delta) const;

  const Plan& p_;
  const Options& o_;
  Baseline b_;
  Delta d_;
  // The quad's phase-1 words: [t][r][word 0..3][member, padded to stride_].
  std::vector<std::uint32_t> words_;
  std::size_t stride_ = 0;
  // bloc_terms()' result per local draft, recomputed only when one of its sponsors joined
  // since (stale_).
  std::vector<std::vector<double>> bloc_;
  std::vector<std::uint8_t> stale_;
  std::vector<double> share_;   // its blocs' shares
  std::vector<double> window_;  // next_event()'s windows of the lobbying term, per draft
  long lane_ = 0;               // the replicate's word in the quad's words_
  std::vector<int> within_;     // apply()'s members to touch, one column's worth
  // replay_baseline()'s scratch for bounds(): per member, 1 + the last round before its
  // joining, its joining round, and the bounds past the close.
  std::vector<double> end_open_, joined_, running_;
  long redraws_ = 0;      // Stats::redraws
  long reconverged_ = 0;  // Stats::reconverged
};

void Worker::draw_words(long q) {
  const auto R = p_.drafts.size();
  for (int t = 0; t < p_.rounds; ++t) {
    for (std::size_t r = 0; r < R; ++r) {
      const LocalDraft& ld = p_.drafts[r];
      if (t < ld.d->opens || t >= ld.d->closes) continue;
      std::uint32_t* out = &words_[(static_cast<std::size_t>(t) * R + r) * 4 * stride_];
      philox_words(
          static_cast<std::uint32_t>(o_.seed), static_cast<std::uint32_t>(o_.seed >> 32),
          static_cast<std::uint32_t>(q),
          (static_cast<std::uint32_t>(Phase::kSponsorship) << 24) | static_cast<std::uint32_t>(t),
          ld.pair_lo.data(), ld.pair_hi.data(), static_cast<std::size_t>(p_.n), out, stride_);
    }
  }
}

const std::vector<double>& Worker::bloc_terms(const std::vector<int>& counts, int r) {
  const Model& m = *p_.m;
  const std::size_t G = m.bloc_sizes.size();
  std::vector<double>& out = bloc_[static_cast<std::size_t>(r)];
  if (!stale_[static_cast<std::size_t>(r)]) return out;
  stale_[static_cast<std::size_t>(r)] = 0;
  out.resize(static_cast<std::size_t>(p_.n));
  // Each bloc's share once (the same quotients as summed member by member).
  share_.resize(G);
  for (std::size_t g = 0; g < G; ++g) {
    share_[g] = counts[static_cast<std::size_t>(r) * G + g] / static_cast<double>(m.bloc_sizes[g]);
  }
  for (int i = 0; i < p_.n; ++i) {
    double sum = 0;
    for (int g : m.member_blocs[static_cast<std::size_t>(i)])
      sum += share_[static_cast<std::size_t>(g)];
    out[static_cast<std::size_t>(i)] = sum * p_.bloc_weight[static_cast<std::size_t>(i)];
  }
  return out;
}

void Worker::replay_baseline(long k) {
  const Model& m = *p_.m;
  const auto R = static_cast<int>(p_.drafts.size());
  const std::size_t G = m.bloc_sizes.size();
  std::fill(b_.joined.begin(), b_.joined.end(), kNever);
  std::fill(b_.peer.begin(), b_.peer.end(), 0.0);
  std::fill(b_.rival.begin(), b_.rival.end(), 0.0);
  std::fill(b_.sponsor.begin(), b_.sponsor.end(), 0);
  for (auto& l : b_.near) l.clear();
  std::fill(b_.near_pos.begin(), b_.near_pos.end(), HUGE_VAL);
  std::fill(b_.near_neg.begin(), b_.near_neg.end(), -HUGE_VAL);
  b_.unsure = false;
  bloc_.resize(static_cast<std::size_t>(R));
  stale_.assign(static_cast<std::size_t>(R), 1);
  std::vector<int> counts(static_cast<std::size_t>(R) * G, 0);
  std::vector<double> clout(static_cast<std::size_t>(R), 0.0);
  std::vector<std::vector<int>> joins(static_cast<std::size_t>(R));
  auto join = [&](int r, int i, int t) {
    b_.sponsor[p_.at(r, i)] = 1;
    b_.joined[p_.at(r, i)] = t;
    for (std::size_t e = p_.col_start[static_cast<std::size_t>(i)];
         e < p_.col_start[static_cast<std::size_t>(i) + 1]; ++e) {
      b_.peer[p_.at(r, p_.col_member[e])] += p_.col_peer[e];
    }
    for (int g : m.member_blocs[static_cast<std::size_t>(i)]) {
      ++counts[static_cast<std::size_t>(r) * G + static_cast<std::size_t>(g)];
    }
    stale_[static_cast<std::size_t>(r)] = 1;
    clout[static_cast<std::size_t>(r)] += m.clout(i);
    for (int q : p_.drafts[static_cast<std::size_t>(r)].rivals) b_.rival[p_.at(q, i)] += 1;
  };
  for (int r = 0; r < R; ++r) {
    for (int i : p_.drafts[static_cast<std::size_t>(r)].d->sponsors) join(r, i, -1);
  }
  lane_ = k % 4;
  const auto n = static_cast<std::size_t>(p_.n);
  for (int t = 0; t < p_.rounds; ++t) {
    for (int r = 0; r < R; ++r) {
      joins[static_cast<std::size_t>(r)].clear();
      const LocalDraft& ld = p_.drafts[static_cast<std::size_t>(r)];
      if (t < ld.d->opens || t >= ld.d->closes) continue;
      const Parameters& pr = ld.d->params;
      const std::uint32_t* words = round_words(t, r);
      const std::size_t row = p_.at(t, r, 0);
      const std::size_t ri = p_.at(r, 0);
      const MarginInputs in{words,
                            ld.base.data(),
                            b_.peer.data() + ri,
                            bloc_terms(counts, r).data(),
                            b_.rival.data() + ri,
                            ld.barred_margin.data(),
                            ld.lobby * clout[static_cast<std::size_t>(r)],
                            pr.theta_peer,
                            pr.theta_bloc,
                            pr.theta_rival};
      margins(in, n, b_.z.data() + row, b_.margin.data() + row);
      // The non-sponsors' decisions and near margins (a barred member's margin is HUGE_VAL).
      const double* margin = b_.margin.data() + row;
      const std::uint8_t* sponsor = b_.sponsor.data() + ri;
      auto& near = b_.near[static_cast<std::size_t>(t * R + r)];
      double& near_pos = b_.near_pos[static_cast<std::size_t>(t * R + r)];
      double& near_neg = b_.near_neg[static_cast<std::size_t>(t * R + r)];
      for (std::size_t i = 0; i < n; ++i) {
        if (sponsor[i]) continue;
        const double mi = margin[i];
        if (std::abs(mi) < kNear) {
          near.push_back(static_cast<int>(i));
          if (mi >= 0) {
            near_pos = std::min(near_pos, mi);
          } else {
            near_neg = std::max(near_neg, mi);
          }
        }
        int joins_now = -mi > o_.screen ? 1 : -mi < -o_.screen ? 0 : kUnsure;
        if (joins_now == kUnsure) joins_now = join_test(b_.z[row + i], words[i], o_.band);
        if (joins_now == kUnsure) b_.unsure = true;
        if (joins_now == 1) joins[static_cast<std::size_t>(r)].push_back(static_cast<int>(i));
      }
    }
    // The synchronous update: the round's joins after all its decisions.
    for (int r = 0; r < R; ++r) {
      for (int i : joins[static_cast<std::size_t>(r)]) join(r, i, t);
    }
  }
  for (int r = 0; r < R; ++r) {
    const std::vector<double>& bloc = bloc_terms(counts, r);
    std::copy(bloc.begin(), bloc.end(), b_.bloc.begin() + static_cast<long>(p_.at(r, 0)));
    bound_margins(r);
  }
  if (o_.vote) vote_draws(k);
}

// Draft r's bounds of the margins ahead (Baseline::least, least_before, greatest_open) and
// each member's margin of its joining, from the replayed margins.
void Worker::bound_margins(int r) {
  const LocalDraft& ld = p_.drafts[static_cast<std::size_t>(r)];
  const int opens = ld.d->opens;
  const int closes = ld.d->closes;
  const auto n = static_cast<std::size_t>(p_.n);
  for (std::size_t i = 0; i < n; ++i) {
    const int joined = b_.joined[p_.at(r, 0) + i];
    end_open_[i] = joined == kNever ? closes : std::min(closes, joined + 1);
    joined_[i] = joined;
    b_.join_margin[p_.at(r, 0) + i] = joined >= opens && joined < closes
                                          ? b_.margin[p_.at(joined, r, static_cast<int>(i))]
                                          : -HUGE_VAL;
  }
  std::fill(running_.begin(), running_.begin() + static_cast<long>(2 * n), HUGE_VAL);
  std::fill(running_.begin() + static_cast<long>(2 * n), running_.end(), -HUGE_VAL);
  // The rows of round t + 1, past the close the running values.
  const double* next_least = running_.data();
  const double* next_before = running_.data() + n;
  const double* next_open = running_.data() + 2 * n;
  for (int t = closes - 1; t >= opens; --t) {
    const std::size_t row = p_.at(t, r, 0);
    double* least = b_.least.data() + row;
    double* least_before = b_.least_before.data() + row;
    double* greatest_open = b_.greatest_open.data() + row;
    bounds(b_.margin.data() + row, end_open_.data(), joined_.data(), t, n, next_least, next_before,
           next_open, least, least_before, greatest_open);
    screen_keys(least_before, joined_.data(), b_.join_margin.data() + p_.at(r, 0), t, o_.screen, n,
                b_.screen_key.data() + row);
    next_least = least;
    next_before = least_before;
    next_open = greatest_open;
  }
}

void Worker::vote_draws(long k) {
  const Model& m = *p_.m;
  const LocalDraft& ld = p_.drafts[static_cast<std::size_t>(p_.target)];
  for (int i = 0; i < p_.n; ++i) {
    const auto ui = static_cast<std::size_t>(i);
    const auto w =
        philox_block(o_.seed, static_cast<std::uint32_t>(k), Phase::kVote, 0, ld.pair[ui]);
    b_.absent[ui] = rules::absent(to_uniform(w[0]), m.absence(i));
    b_.noise[ui] = w[1];
    b_.eps[ui] = approx_logit(to_uniform(w[1]));
    b_.asks[ui] = rules::asks_for_recorded_vote(Vote::kNo, to_uniform(w[2]), ld.d->params.rho);
  }
}

inline void Worker::touch(int r, int i) {
  std::uint32_t& seen = d_.touched_stamp[p_.at(r, i)];
  if (seen != d_.evaluation) {
    seen = d_.evaluation;
    d_.touched.emplace_back(r, i);
  }
  mark_dirty(r, i);
}

inline void Worker::mark_dirty(int r, int i) {
  std::uint8_t& flag = d_.dirty[p_.at(r, i)];
  if (flag) return;
  flag = 1;
  d_.dirty_list[static_cast<std::size_t>(r)].push_back(i);
}

// Changes of the lobbying term up to this much from the reference are covered by the windows.
constexpr double kSlack = 0.02;

// The first round from `from` on in which member i's decision on r may differ from the
// baseline's, given its terms now and a lobbying term within kSlack of the reference: for a
// member that sponsors in neither, one whose margin lies within the window the change can
// reach; for one that sponsors only under the commitment, the baseline's joining; for one
// that sponsors only in the baseline, one whose margin the change can overcome.
void Worker::schedule(int r, int i, int from) {
  const std::size_t a = p_.at(r, i);
  const LocalDraft& ld = p_.drafts[static_cast<std::size_t>(r)];
  const int start = std::max(from, ld.d->opens);
  const int close = ld.d->closes;
  const int joined = b_.joined[a];
  const int diff = d_.diff[a];
  int next = kNever;
  if (diff == 1) {
    if (joined >= start && joined < close) next = joined;
  } else {
    const double dz = d_.dz[a];
    const double ref = d_.reference[static_cast<std::size_t>(r)];
    const double lo = diff == 0 ? std::min(0.0, dz + ref - kSlack) - o_.screen : -HUGE_VAL;
    const double hi = std::max(0.0, dz + ref + kSlack) + o_.screen;
    const int end = diff == 0 ? std::min(close, joined == kNever ? close : joined + 1) : close;
    // Member i's margins, round by round: [t * stride].
    const std::size_t stride = p_.drafts.size() * static_cast<std::size_t>(p_.n);
    const double* m = b_.margin.data() + a;
    // No margin of the rounds left within the window: nothing to evaluate.
    const bool none =
        start >= end || (diff == 0 ? outside(a, start, lo, hi) : b_.least[p_.at(start, r, i)] > hi);
    for (int t = none ? end : start; t < end; ++t) {
      const double mt = m[static_cast<std::size_t>(t) * stride];
      if (mt >= lo && mt <= hi) {
        next = t;
        break;
      }
    }
  }
  d_.next[a] = next;
  if (next != kNever) d_.due[static_cast<std::size_t>(next)].emplace_back(r, i);
}

// For a member that sponsors in neither (entry a of [r][i]), from round `start` (an open
// round): no margin of the rounds up to its joining in the baseline lies within [lo, hi]
// (lo <= 0 <= hi): all below it, or those before the joining all above it and the joining's
// own margin (never above the window, as the member joined) below it.
bool Worker::outside(std::size_t a, int start, double lo, double hi) const {
  // p_.at(start, r, i) for a = p_.at(r, i).
  const std::size_t row =
      static_cast<std::size_t>(start) * p_.drafts.size() * static_cast<std::size_t>(p_.n) + a;
  if (b_.greatest_open[row] < lo) return true;
  return b_.least_before[row] > hi && (b_.joined[a] < start || b_.join_margin[a] < lo);
}

// Member i's sponsorship of r moves by `sign` relative to the baseline's, its effect counted
// from round `from` on. The members of i's column whose window (schedule()'s, with their new
// terms) holds no margin of the rounds left are not rescheduled, nor listed as dirty (the
// column is, in d_.moved): that is schedule()'s own first test, made here without a call for
// the nine in ten that fail it. A window found empty leaves a member's earlier due round in
// place, which costs at most one evaluation that decides as the baseline did.
void Worker::apply(int r, int i, int sign, int from) {
  const std::size_t ai = p_.at(r, i);
  std::int8_t& diff = d_.diff[ai];
  d_.nonzero -= diff != 0;
  diff = static_cast<std::int8_t>(diff + sign);
  d_.nonzero += diff != 0;
  if (r == p_.target) d_.target_sum += sign;
  touch(r, i);
  const double s = sign;
  const LocalDraft& ld = p_.drafts[static_cast<std::size_t>(r)];
  const int start = std::max(from, ld.d->opens);
  const bool open = start < ld.d->closes;
  const double ref = d_.reference[static_cast<std::size_t>(r)];
  d_.moved.emplace_back(r, i);
  // Everything the column's loop reads, in locals: touch() is a call.
  double* const dzs = d_.dz.data() + p_.at(r, 0);
  const std::int8_t* const diffs = d_.diff.data() + p_.at(r, 0);
  const double* const col_dz = ld.col_dz.data();
  const int* const col_member = p_.col_member.data();
  const std::size_t e_end = p_.col_start[static_cast<std::size_t>(i) + 1];
  const std::size_t e_start = p_.col_start[static_cast<std::size_t>(i)];
  if (!open) {
    for (std::size_t e = e_start; e < e_end; ++e) dzs[col_member[e]] += s * col_dz[e];
  } else {
    // [j]: member j's least margin on r in rounds start .. close - 1 before its joining in
    // the baseline (a member that sponsors in neither), and the same in screen_key where the
    // joining's own margin need not be read.
    const double* const least = b_.least_before.data() + p_.at(start, r, 0);
    const double* const key = b_.screen_key.data() + p_.at(start, r, 0);
    const int* const joined = b_.joined.data() + p_.at(r, 0);
    const double* const join_margin = b_.join_margin.data() + p_.at(r, 0);
    const double screen = o_.screen;
    // The members to touch are gathered first (without a branch), so that the loop makes no
    // call and keeps everything in registers.
    int* const within = within_.data();
    std::size_t count = 0;
    // One copy of the loop per sign, which adds or subtracts the column's entry (the same
    // bits as adding it times +-1) without a multiplication.
    const auto column = [&](auto positive) {
      for (std::size_t e = e_start; e < e_end; ++e) {
        const int j = col_member[e];
        const double dz = dzs[j] = positive ? dzs[j] + col_dz[e] : dzs[j] - col_dz[e];
        // outside()'s test but for the greatest margin: no margin before the baseline's
        // joining within reach, nor that of the joining round.
        // First with the key, when the window's lower end is -screen (down >= 0, so up > 0):
        // the same test with fewer loads and no selects; else, or when it fails, in full.
        const double up = dz + ref + kSlack;
        const double down = dz + ref - kSlack;
        const bool out =
            diffs[j] == 0 &&
            ((down >= 0.0 && key[j] > up + screen) ||
             (least[j] > (up > 0.0 ? up : 0.0) + screen &&
              (joined[j] < start || join_margin[j] < (down < 0.0 ? down : 0.0) - screen)));
        within[count] = j;
        count += out ? 0 : 1;
      }
    };
    PLENARY_ASSERT(sign == 1 || sign == -1);
    if (sign > 0) {
      column(std::true_type{});
    } else {
      column(std::false_type{});
    }
    for (std::size_t x = 0; x < count; ++x) touch(r, within[x]);
  }
  d_.clout[static_cast<std::size_t>(r)] += s * p_.m->clout(i);
  for (int q : p_.drafts[static_cast<std::size_t>(r)].rivals) {
    d_.rival[p_.at(q, i)] += s;
    d_.dz[p_.at(q, i)] -= p_.drafts[static_cast<std::size_t>(q)].d->params.theta_rival * s;
    touch(q, i);
  }
}

// Every window on draft r again from round `from`: of the dirty members and of the members
// of its moved columns, which become dirty when their window holds a margin (so that only a
// dirty member is ever scheduled).
void Worker::reschedule(int r, int from) {
  for (int i : d_.dirty_list[static_cast<std::size_t>(r)]) schedule(r, i, from);
  const LocalDraft& ld = p_.drafts[static_cast<std::size_t>(r)];
  const int start = std::max(from, ld.d->opens);
  if (start >= ld.d->closes) return;
  const double ref = d_.reference[static_cast<std::size_t>(r)];
  for (std::size_t x = 0; x < d_.moved.size(); ++x) {
    const auto [q, i] = d_.moved[x];
    if (q != r) continue;
    for (std::size_t e = p_.col_start[static_cast<std::size_t>(i)];
         e < p_.col_start[static_cast<std::size_t>(i) + 1]; ++e) {
      const int j = p_.col_member[e];
      const std::size_t a = p_.at(r, j);
      // schedule()'s first test for a member that sponsors in neither (a dirty member was
      // scheduled above): no margin of the rounds left within its window.
      if (d_.diff[a] == 0 && !d_.dirty[a]) {
        const double dz = d_.dz[a];
        if (outside(a, start, std::min(0.0, dz + ref - kSlack) - o_.screen,
                    std::max(0.0, dz + ref + kSlack) + o_.screen)) {
          continue;
        }
      }
      if (!d_.dirty[a]) {
        mark_dirty(r, j);
        schedule(r, j, from);
      }
    }
  }
}

// The differences of the peer and bloc terms at the close: the columns of the members whose
// sponsorship differs from the baseline's at the close (they are dirty and their columns
// moved, so reset() clears them).
void Worker::close_terms() {
  d_.closed = true;
  for (std::size_t r = 0; r < p_.drafts.size(); ++r) {
    for (int i : d_.dirty_list[r]) {
      const int sign = d_.diff[p_.at(static_cast<int>(r), i)];
      if (sign == 0) continue;
      for (std::size_t e = p_.col_start[static_cast<std::size_t>(i)];
           e < p_.col_start[static_cast<std::size_t>(i) + 1]; ++e) {
        const std::size_t at = p_.at(static_cast<int>(r), p_.col_member[e]);
        d_.peer[at] += sign * p_.col_peer[e];
        d_.bloc[at] += sign * p_.col_bloc[e];
      }
    }
  }
}

void Worker::reset() {
  // The moved columns' members (and the dirty members) are all the nonzero entries; a
  // commitment moves about 140 column entries, which cost more to clear one by one than the
  // whole tables (R * n doubles).
  const auto n = static_cast<long>(p_.n);
  for (std::size_t x = 0; x < d_.moved.size(); ++x) {
    const int r = d_.moved[x].first;
    // Each draft's row once (the moves of a draft follow one another, most often).
    if (x > 0 && d_.moved[x - 1].first == r) continue;
    const long row = static_cast<long>(p_.at(r, 0));
    std::fill(d_.dz.begin() + row, d_.dz.begin() + row + n, 0.0);
    // close_terms() moved the peer and bloc terms of the moved columns' members.
    if (d_.closed) {
      std::fill(d_.peer.begin() + row, d_.peer.begin() + row + n, 0.0);
      std::fill(d_.bloc.begin() + row, d_.bloc.begin() + row + n, 0.0);
    }
  }
  d_.closed = false;
  d_.moved.clear();
  for (std::size_t r = 0; r < p_.drafts.size(); ++r) {
    for (int i : d_.dirty_list[r]) {
      const std::size_t a = p_.at(static_cast<int>(r), i);
      d_.diff[a] = 0;
      d_.dz[a] = 0;
      d_.peer[a] = 0;
      d_.bloc[a] = 0;
      d_.rival[a] = 0;
      d_.dirty[a] = 0;
      d_.next[a] = kNever;
    }
    d_.dirty_list[r].clear();
    d_.clout[r] = 0;
    d_.reference[r] = 0;
  }
  for (auto& due : d_.due) due.clear();
  d_.touched.clear();
  ++d_.evaluation;  // a new stamp for the commitment's first touches
  d_.nonzero = 0;
  d_.target_sum = 0;
}

// Member i's decision on local draft r in round t under the commitment, its difference from
// the baseline's recorded in d_.changes; false when too close to call here.
bool Worker::evaluate(int t, int r, int i, double lobby) {
  const std::size_t a = p_.at(r, i);
  if (d_.stamp[a] == d_.evaluation) return true;
  d_.stamp[a] = d_.evaluation;
  const int joined = b_.joined[a];
  const int diff = d_.diff[a];
  const int base_before = joined < t ? 1 : 0;
  const int base_after = joined <= t ? 1 : 0;
  int after = 1;  // the commitment's sponsorship after the round
  if (base_before + diff == 0) {
    const double dz = d_.dz[a] + lobby;
    const std::size_t ti = p_.at(t, r, i);
    const double v = dz - b_.margin[ti];
    after = v > o_.screen ? 1 : v < -o_.screen ? 0 : kUnsure;
    if (after == kUnsure) {
      after = join_test(b_.z[ti] + dz, round_words(t, r)[i], o_.band);
      if (after == kUnsure) return false;
    }
  }
  const int change = after - base_after - diff;
  if (change != 0) d_.changes.push_back({r, i, change});
  return true;
}

// The first round from t on (p_.rounds if none) in which a decision may differ from the
// baseline's: a member is due, or a near margin of an open draft lies within the reach of
// the lobbying term's change (every member when that reach exceeds the near lists').
int Worker::next_event(int t) {
  const auto R = static_cast<int>(p_.drafts.size());
  window_.resize(2 * static_cast<std::size_t>(R));
  for (int r = 0; r < R; ++r) {
    const double lobby =
        p_.drafts[static_cast<std::size_t>(r)].lobby * d_.clout[static_cast<std::size_t>(r)];
    const double lo = std::min(0.0, lobby) - o_.screen;
    const double hi = std::max(0.0, lobby) + o_.screen;
    // A window wider than the near lists' catches every round.
    const bool wide = !(lo > -kNear && hi < kNear);
    window_[2 * static_cast<std::size_t>(r)] = wide ? -HUGE_VAL : lo;
    window_[2 * static_cast<std::size_t>(r) + 1] = wide ? HUGE_VAL : hi;
  }
  for (; t < p_.rounds; ++t) {
    if (!d_.due[static_cast<std::size_t>(t)].empty()) return t;
    for (int r = 0; r < R; ++r) {
      const LocalDraft& ld = p_.drafts[static_cast<std::size_t>(r)];
      if (t < ld.d->opens || t >= ld.d->closes) continue;
      const auto tr = static_cast<std::size_t>(t * R + r);
      if (b_.near_pos[tr] <= window_[2 * static_cast<std::size_t>(r) + 1] ||
          b_.near_neg[tr] >= window_[2 * static_cast<std::size_t>(r)]) {
        return t;
      }
    }
  }
  return t;
}

// True when the round's changes leave no sponsorship differing from the baseline's (each
// (draft, member) changes at most once a round: evaluate() stamps it).
bool Worker::reconverges() const {
  long nonzero = d_.nonzero;
  for (const Delta::Change& c : d_.changes) {
    const int before = d_.diff[p_.at(c.r, c.i)];
    nonzero += (before + c.sign != 0) - (before != 0);
  }
  return nonzero == 0;
}

// The replicate with `forced` committed to the target draft: false when a decision was too
// close to call here (the engine decides it); `out` is left as the baseline's when the
// commitment changes nothing.
bool Worker::commit(const std::vector<int>& forced, DraftOutcome& out) {
  const auto R = static_cast<int>(p_.drafts.size());
  reset();
  // The windows drawn around the lobbying term the commitment sets, so that round 0 need not
  // redraw them all.
  double clout = 0;
  for (std::size_t x = 0; x < forced.size(); ++x) {
    const int i = forced[x];
    if (b_.joined[p_.at(p_.target, i)] == -1 ||
        std::find(forced.begin(), forced.begin() + static_cast<long>(x), i) !=
            forced.begin() + static_cast<long>(x)) {
      continue;
    }
    clout += p_.m->clout(i);
  }
  d_.reference[static_cast<std::size_t>(p_.target)] =
      p_.drafts[static_cast<std::size_t>(p_.target)].lobby * clout;
  for (int i : forced) {
    if (b_.joined[p_.at(p_.target, i)] == -1 || d_.diff[p_.at(p_.target, i)]) continue;
    apply(p_.target, i, 1, 0);
  }
  for (const auto& [r, i] : d_.touched) schedule(r, i, 0);
  d_.touched.clear();
  for (int t = 0;; ++t) {
    // The same sponsorship as the baseline's: the rest of the replicate is the baseline's.
    if (d_.nonzero == 0) return true;
    // The rounds where no member is due and no near margin lies within the lobbying term's
    // reach decide as in the baseline: passed over.
    t = next_event(t);
    if (t >= p_.rounds) break;
    ++d_.evaluation;
    d_.changes.clear();
    // Index-based: schedule() may add to later rounds' lists only.
    auto& due = d_.due[static_cast<std::size_t>(t)];
    for (std::size_t x = 0; x < due.size(); ++x) {
      const auto [r, i] = due[x];
      if (d_.next[p_.at(r, i)] != t) continue;
      const double lobby =
          p_.drafts[static_cast<std::size_t>(r)].lobby * d_.clout[static_cast<std::size_t>(r)];
      if (!evaluate(t, r, i, lobby)) return false;
      std::uint32_t& seen = d_.touched_stamp[p_.at(r, i)];
      if (seen != d_.evaluation) {
        seen = d_.evaluation;
        d_.touched.emplace_back(r, i);
      }
    }
    for (int r = 0; r < R; ++r) {
      const LocalDraft& ld = p_.drafts[static_cast<std::size_t>(r)];
      if (t < ld.d->opens || t >= ld.d->closes) continue;
      const double lobby = ld.lobby * d_.clout[static_cast<std::size_t>(r)];
      const double lo = std::min(0.0, lobby) - o_.screen;
      const double hi = std::max(0.0, lobby) + o_.screen;
      if (lo > -kNear && hi < kNear) {
        const auto tr = static_cast<std::size_t>(t * R + r);
        if (b_.near_pos[tr] > hi && b_.near_neg[tr] < lo) continue;
        for (int i : b_.near[tr]) {
          const double margin = b_.margin[p_.at(t, r, i)];
          if (margin >= lo && margin <= hi && !evaluate(t, r, i, lobby)) return false;
        }
      } else {
        for (int i = 0; i < p_.n; ++i) {
          if (!evaluate(t, r, i, lobby)) return false;
        }
      }
    }
    // The round's changes bring every sponsorship back to the baseline's (most often the
    // committed member's own joining in the baseline): the rest is the baseline's, and
    // their columns need not be moved back.
    if (!d_.changes.empty() && reconverges()) {
      ++reconverged_;
      return true;
    }
    for (const Delta::Change& c : d_.changes) apply(c.r, c.i, c.sign, t + 1);
    if (!d_.changes.empty()) {
      for (int r = 0; r < R; ++r) {
        const double lobby =
            p_.drafts[static_cast<std::size_t>(r)].lobby * d_.clout[static_cast<std::size_t>(r)];
        if (std::abs(lobby - d_.reference[static_cast<std::size_t>(r)]) > kSlack) {
          // Beyond the windows' slack: every window of a member whose terms differ again.
          d_.reference[static_cast<std::size_t>(r)] = lobby;
          reschedule(r, t + 1);
          ++redraws_;
        }
      }
    }
    for (const auto& [r, i] : d_.touched) schedule(r, i, t + 1);
    d_.touched.clear();
  }
  if (d_.nonzero == 0) return true;
  out = DraftOutcome{};
  out.sponsors = b_.sponsors + d_.target_sum;
  if (!o_.vote) return true;
  close_terms();
  return vote(true, out);
}

// 1 withdrawn, 0 stands, kUnsure too close to call (rules::withdrawn at the close, every
// rival counted).
int Worker::withdrawn(int r, bool with_delta) const {
  const Model& m = *p_.m;
  const LocalDraft& ld = p_.drafts[static_cast<std::size_t>(r)];
  if (!ld.d->withdraw_below) return 0;
  const Parameters& pr = ld.d->params;
  double yes = 0;
  double voting = 0;
  for (int i = 0; i < p_.n; ++i) {
    if (!m.votes[static_cast<std::size_t>(i)]) continue;
    const double present = 1.0 - m.absence(i);
    const std::size_t a = p_.at(r, i);
    if (sponsor(r, i, with_delta)) {
      yes += present;
      voting += present;
      continue;
    }
    const double peer = b_.peer[a] + (with_delta ? d_.peer[a] : 0.0);
    const double bloc = b_.bloc[a] + (with_delta ? d_.bloc[a] : 0.0);
    const double rival = b_.rival[a] + (with_delta ? d_.rival[a] : 0.0);
    const VoteProbabilities v = rules::vote_probabilities(
        rules::vote_utility(ld.fit[static_cast<std::size_t>(i)], peer, bloc, rival, pr.phi_peer,
                            pr.phi_bloc, pr.phi_rival),
        pr, m.abstain_habit(i));
    yes += present * v.yes;
    voting += present * (v.yes + v.no);
  }
  if (voting <= 0) return 0;
  if (voting < 1e-200) return kUnsure;
  const double share = yes / voting;
  if (std::abs(share - *ld.d->withdraw_below) < o_.band) return kUnsure;
  return share < *ld.d->withdraw_below ? 1 : 0;
}

// Withdrawal and the vote on the target draft (docs/model.md, "Phase 2"); false when a
// decision was too close to call here.
bool Worker::vote(bool with_delta, DraftOutcome& out) const {
  const Model& m = *p_.m;
  const int T = p_.target;
  const LocalDraft& ld = p_.drafts[static_cast<std::size_t>(T)];
  std::vector<int> standing_rivals;
  for (int q : ld.rivals) {
    const int w = withdrawn(q, with_delta);
    if (w == kUnsure) return false;
    if (w == 0) standing_rivals.push_back(q);
  }
  const int w = withdrawn(T, with_delta);
  if (w == kUnsure) return false;
  out.flags = 0;
  out.tally = {};
  if (w == 1) return true;
  out.flags |= DraftOutcome::kStood;
  const Parameters& pr = ld.d->params;
  std::array<std::int32_t, 4> tally{};
  bool asked = false;
  for (int i = 0; i < p_.n; ++i) {
    const auto ui = static_cast<std::size_t>(i);
    if (!m.votes[ui]) continue;
    const std::size_t a = p_.at(T, i);
    Vote v = Vote::kYes;
    if (b_.absent[ui]) {
      v = Vote::kAbsent;
    } else if (!sponsor(T, i, with_delta)) {
      double rival = 0;
      for (int q : standing_rivals) rival += sponsor(q, i, with_delta);
      const double peer = b_.peer[a] + (with_delta ? d_.peer[a] : 0.0);
      const double bloc = b_.bloc[a] + (with_delta ? d_.bloc[a] : 0.0);
      const double mu = rules::vote_utility(ld.fit[ui], peer, bloc, rival, pr.phi_peer, pr.phi_bloc,
                                            pr.phi_rival);
      const double habit = m.abstain_habit(i);
      const double tau_yes = rules::cutpoint(pr.tau_yes, habit);
      const double tau_no = rules::cutpoint(pr.tau_no, habit);
      const double yes = mu + b_.eps[ui] - tau_yes;  // > 0: Yes
      const double no = mu + b_.eps[ui] + tau_no;    // < 0: No
      if (std::abs(yes) > o_.screen && std::abs(no) > o_.screen) {
        v = yes > 0 ? Vote::kYes : no < 0 ? Vote::kNo : Vote::kAbstain;
      } else {
        // rules::vote_decision, with both of its tests checked for closeness.
        const double u = to_uniform(b_.noise[ui]);
        const double p_yes = u * (1.0 + kernels::exp(mu - tau_yes));
        const double p_no = u * (1.0 + kernels::exp(mu + tau_no));
        if (std::abs(p_yes - 1.0) < o_.band || std::abs(p_no - 1.0) < o_.band) return false;
        v = rules::vote_decision(u, mu, tau_yes, tau_no);
      }
    }
    ++tally[vote_index(v)];
    if (v == Vote::kNo && b_.asks[ui]) asked = true;
  }
  if (!asked) {
    out.flags |= DraftOutcome::kAdopted | DraftOutcome::kWithoutVote;
    return true;
  }
  const bool passed =
      rules::adopted(ld.d->majority, tally[vote_index(Vote::kYes)], tally[vote_index(Vote::kNo)]);
  out.flags |= DraftOutcome::kRecorded | (passed ? DraftOutcome::kAdopted : 0);
  out.tally = tally;
  return true;
}

void Worker::quad(long q, long end, const std::vector<std::vector<int>>& forced,
                  const ReplicateLog& log, std::vector<std::vector<DraftOutcome>>& out,
                  std::vector<std::vector<std::uint8_t>>& unsure, std::atomic<long>& mismatches) {
  draw_words(q);
  const int draft = p_.drafts[static_cast<std::size_t>(p_.target)].index;
  for (long k = 4 * q; k < std::min(4 * q + 4, end); ++k) {
    replay_baseline(k);
    const DraftOutcome& logged = log.outcome(k - o_.first, draft);
    bool bad = b_.unsure;
    if (!bad) {
      DraftOutcome mine = logged;
      b_.sponsors = 0;
      for (int i = 0; i < p_.n; ++i) b_.sponsors += b_.sponsor[p_.at(p_.target, i)];
      mine.sponsors = b_.sponsors;
      if (o_.vote && !vote(false, mine)) {
        bad = true;
      } else if (!(mine == logged)) {
        bad = true;
        mismatches.fetch_add(1);
      }
    }
    const auto kk = static_cast<std::size_t>(k - o_.first);
    for (std::size_t s = 0; s < forced.size(); ++s) {
      out[s][kk] = logged;
      if (bad || !commit(forced[s], out[s][kk])) unsure[s][kk] = 1;
    }
  }
}

}  // namespace

bool fits(const Model& model, int threads) {
  // 20 bytes per column entry (member, peer and bloc shares); 78 bytes per (round, draft,
  // member) and thread, at most (the margins, their three bounds and apply()'s key, the
  // log-odds: 48; the quad's four words: 16).
  double entries = static_cast<double>(model.ties.nonZeros());
  for (int i = 0; i < model.members; ++i) {
    for (int g : model.member_blocs[static_cast<std::size_t>(i)]) {
      entries += model.bloc_sizes[static_cast<std::size_t>(g)];
    }
  }
  const double workers = threads > 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
  const double state = static_cast<double>(model.rounds) *
                       static_cast<double>(model.drafts.size()) *
                       static_cast<double>(model.members) * 78.0 * workers;
  return 20.0 * entries + state < 2e9;
}

Model forced_model(const Scenario& s, int draft, const std::vector<int>& forced) {
  std::vector<WhatIf> what_ifs;
  const std::string& id = s.drafts[static_cast<std::size_t>(draft)].id;
  for (int i : forced) {
    what_ifs.push_back(
        {WhatIfKind::kForce, s.members[static_cast<std::size_t>(i)].code + ":" + id});
  }
  const WhatIfRun w = apply_what_ifs(s, what_ifs);
  return compile(w.scenario, w.constraints);
}

std::vector<std::vector<DraftOutcome>> outcomes(const Scenario& scenario, const Model& model,
                                                int draft,
                                                const std::vector<std::vector<int>>& forced,
                                                const ReplicateLog& baseline, const Options& o,
                                                Stats* stats) {
  const Plan plan(model, draft);
  const long K = o.replicates;
  const long first_quad = o.first / 4;
  const long quads = (o.first + K + 3) / 4;
  std::vector<std::vector<DraftOutcome>> out(
      forced.size(), std::vector<DraftOutcome>(static_cast<std::size_t>(K)));
  std::vector<std::vector<std::uint8_t>> unsure(
      forced.size(), std::vector<std::uint8_t>(static_cast<std::size_t>(K)));
  long threads = o.threads > 0 ? o.threads : static_cast<long>(std::thread::hardware_concurrency());
  threads = std::clamp<long>(threads, 1, std::max(1L, quads - first_quad));
  std::atomic<long> next{first_quad};
  std::atomic<long> mismatches{0};
  std::atomic<long> redraws{0};
  std::atomic<long> reconverged{0};
  auto work = [&] {
    Worker w(plan, o);
    for (long q; (q = next.fetch_add(1)) < quads;) {
      w.quad(q, o.first + K, forced, baseline, out, unsure, mismatches);
    }
    redraws.fetch_add(w.redraws());
    reconverged.fetch_add(w.reconverged());
  };
  std::vector<std::thread> pool;
  for (long t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  // What was too close to call here, the engine decides: the replicate's block of four, run
  // with the commitment, on the same seed.
  long fallbacks = 0;
  for (std::size_t s = 0; s < forced.size(); ++s) {
    std::optional<Model> m;
    for (long q = first_quad; q < quads; ++q) {
      const long first = 4 * q;
      const long count = std::min(4L, o.first + K - first);
      bool any = false;
      for (long k = first; k < first + count; ++k)
        any |= unsure[s][static_cast<std::size_t>(k - o.first)] != 0;
      if (!any) continue;
      if (!m) m = forced_model(scenario, draft, forced[s]);
      ReplicateLog log;
      RunOptions ro;
      ro.replicates = count;
      ro.first_replicate = first;
      ro.seed = o.seed;
      ro.threads = 1;
      ro.log = &log;
      simulate(*m, ro);
      for (long k = first; k < first + count; ++k) {
        if (!unsure[s][static_cast<std::size_t>(k - o.first)]) continue;
        out[s][static_cast<std::size_t>(k - o.first)] = log.outcome(k - first, draft);
        ++fallbacks;
      }
    }
  }
  if (stats) {
    stats->fallbacks += fallbacks;
    stats->mismatches += mismatches.load();
    stats->redraws += redraws.load();
    stats->reconverged += reconverged.load();
  }
  return out;
}

}  // namespace plenary::lobby_fast
