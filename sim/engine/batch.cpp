// Batch: the lane state of a batch of replicates, its reset and the schedule of both phases
// (Batch::run). Phase 1 is in sponsorship.cpp, the bloc terms in bloc_terms.cpp, phase 2 in
// vote.cpp; the rules they apply are in include/plenary/model/rules.hpp.

#include "engine/batch.hpp"

#include <algorithm>

#include "engine/lane_kernels.hpp"
#include "plenary/core/random.hpp"
#include "plenary/engine/position_draws.hpp"
#include "plenary/model/rules.hpp"
#include "plenary/util/assert.hpp"

namespace plenary {

namespace engine {

namespace {

PLENARY_KERNEL_BODY void philox_body(std::uint64_t seed, std::uint32_t block, std::uint32_t word1,
                                     const std::uint32_t* lo, const std::uint32_t* hi,
                                     std::size_t count, std::uint32_t* out) {
  kernels::philox_many(static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                       block, word1, lo, hi, count, out, kChunk);
}

// The AVX-512 and AVX2 generators (kernels::philox_many_avx512, philox_many_avx2) read and
// write counters in whole vectors of 8: pair_lo_/pair_hi_ are padded to np_ per draft and
// words_ rows hold kChunk.
__attribute__((target("avx512f,avx512vl,avx512bw,avx512dq"))) void philox_wide(
    std::uint64_t seed, std::uint32_t block, std::uint32_t word1, const std::uint32_t* lo,
    const std::uint32_t* hi, std::size_t count, std::uint32_t* out) {
  kernels::philox_many_avx512(static_cast<std::uint32_t>(seed),
                              static_cast<std::uint32_t>(seed >> 32), block, word1, lo, hi, count,
                              out, kChunk);
}
__attribute__((target("avx2,fma"))) void philox_avx2(std::uint64_t seed, std::uint32_t block,
                                                     std::uint32_t word1, const std::uint32_t* lo,
                                                     const std::uint32_t* hi, std::size_t count,
                                                     std::uint32_t* out) {
  kernels::philox_many_avx2(static_cast<std::uint32_t>(seed),
                            static_cast<std::uint32_t>(seed >> 32), block, word1, lo, hi, count,
                            out, kChunk);
}
void philox_scalar(std::uint64_t seed, std::uint32_t block, std::uint32_t word1,
                   const std::uint32_t* lo, const std::uint32_t* hi, std::size_t count,
                   std::uint32_t* out) {
  philox_body(seed, block, word1, lo, hi, count, out);
}
}  // namespace

void philox_kernel(std::uint64_t seed, std::uint32_t block, std::uint32_t word1,
                   const std::uint32_t* lo, const std::uint32_t* hi, std::size_t count,
                   std::uint32_t* out) {
  switch (kernel_isa()) {
    case Isa::kAvx512:
      return philox_wide(seed, block, word1, lo, hi, count, out);
    case Isa::kAvx2:
      return philox_avx2(seed, block, word1, lo, hi, count, out);
    case Isa::kScalar:
      break;
  }
  philox_scalar(seed, block, word1, lo, hi, count, out);
}

}  // namespace engine

namespace {

// to[i] += from[i]: with the arrays declared apart, the compiler vectorises the loop (a
// byte pointer could otherwise alias the counts).
void add_bytes(std::uint64_t* __restrict to, const std::uint8_t* __restrict from, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) to[i] += from[i];
}

// The base log-odds of a member barred from sponsoring a draft: z stays finite (so no NaN
// can arise) and kernels::exp(-z) saturates at e^709, far above 1 / u for any u >= 2^-33.
constexpr double kNeverJoins = -1e300;

}  // namespace

using engine::kChunk;

Batch::Batch(const Model& model, int capacity, UncertaintySource uncertainty)
    : m_(model),
      cap_(static_cast<std::size_t>(capacity)),
      n_(static_cast<std::size_t>(model.members)),
      np_((n_ + 7) / 8 * 8),
      r_(model.drafts.size()),
      g_(model.bloc_sizes.size()) {
  PLENARY_ASSERT(capacity % 4 == 0 && capacity > 0);
  uncertainty_ = uncertainty;
  draw_ = uncertainty != UncertaintySource::kNone;
  if (draw_) {
    lane_rows_ = cap_;
    lane_step_ = 1;
  }
  base_.resize(r_ * lane_rows_ * np_);
  fit_.resize(r_ * lane_rows_ * np_);
  pair_lo_.resize(r_ * np_);
  pair_hi_.resize(r_ * np_);
  for (std::size_t r = 0; r < r_; ++r) {
    const ModelDraft& d = model.drafts[r];
    for (std::size_t i = 0; i < n_; ++i) {
      const std::uint64_t pair = pair_key(model.member_keys[i], d.key);
      pair_lo_[ri(r, i)] = static_cast<std::uint32_t>(pair);
      pair_hi_[ri(r, i)] = static_cast<std::uint32_t>(pair >> 32);
    }
  }
  lane_params_.resize(r_ * cap_);
  lobby_coef_.resize(r_ * cap_);
  for (std::size_t l = 0; l < cap_; ++l) set_lane_parameters(l, nullptr, 1);
  if (draws_parameters(uncertainty)) {
    lane_drafts_.resize(r_ * cap_);
    for (const DrawnCoordinate& c : model.parameter_uncertainty->coordinates) {
      draw_absence_ |= c.what.kind == FitCoordinateKind::kAbsenceScale;
    }
    if (draw_absence_) lane_absence_.resize(cap_ * n_);
  }
  if (!draw_) fill_constants(0, model.positions);
  // Lane state (with the members' own bloc terms) within a 1 MiB L2 cache: keep them.
  per_member_bloc_ = kLaneBytesPerMember * static_cast<double>(r_ * cap_ * np_) <= 1024.0 * 1024;
  build_combinations();
  sponsor_.resize(r_ * cap_ * np_);
  peer_.resize(r_ * cap_ * np_);
  bloc_value_.resize(r_ * cap_ * values_);
  if (per_member_bloc_) bloc_.resize(r_ * cap_ * np_);
  rival_.resize(r_ * cap_ * np_);
  bloc_count_.resize(r_ * cap_ * (g_ + 1));
  bloc_changed_.resize(r_ * cap_ * (g_ + 1));
  lane_stale_.resize(r_ * cap_);
  lane_work_.resize(r_ * cap_);
  bloc_share_.resize(r_ * cap_ * (g_ + 1));
  clout_sum_.resize(r_ * cap_);
  lane_joins_.resize(r_ * cap_);
  index_tie_values();
  member_bloc_start_.reserve(n_ + 1);
  member_bloc_start_.push_back(0);
  for (std::size_t i = 0; i < n_; ++i) {
    for (int g : m_.member_blocs[i]) member_bloc_.push_back(static_cast<std::uint32_t>(g));
    member_bloc_start_.push_back(static_cast<std::uint32_t>(member_bloc_.size()));
  }
  count_.resize(r_ * cap_);
  words_.resize(4 * kChunk);
  decision_.resize(kChunk);
  joined_.resize(kChunk);
  vote_count_.resize(r_ * kVotes * n_);
  vote_rival_.resize(n_);
  rights_.resize(n_);
  for (std::size_t i = 0; i < n_; ++i) rights_[i] = m_.votes[i] ? 1 : 0;
}

// The per-(draft, member) constants of one lane (all lanes when positions are not drawn)
// from the members' positions x: theta_0 - theta_fit |x_i - p_r|^2 and phi_fit (|x_i -
// q_r|^2 - |x_i - p_r|^2), p_r the sponsors' mean of x for a draft that takes it.
void Batch::fill_constants(std::size_t lane, const Eigen::MatrixXd& x) {
  const auto dims = static_cast<Eigen::Index>(m_.dims);
  for (std::size_t r = 0; r < r_; ++r) {
    const ModelDraft& d = m_.drafts[r];
    if (!draw_) {
      for (std::size_t i = 0; i < n_; ++i) {
        const Eigen::VectorXd xi = x.row(static_cast<Eigen::Index>(i)).transpose();
        const double dp = (xi - d.position).squaredNorm();
        const double dq = (xi - d.status_quo).squaredNorm();
        base_[lri(r, lane, i)] = rules::join_base(d.params, dp);
        fit_[lri(r, lane, i)] = rules::vote_fit(d.params, dp, dq);
      }
    } else {
      // Drawn lanes: the same distances without a heap allocation per member (D <= 3).
      const DraftDraw* own =
          lane_drafts_.empty() ? nullptr : lane_drafts_.data() + (r * cap_ + lane);
      const Parameters& lane_params = params(r, lane);
      double p[3] = {};
      double q[3] = {};
      for (Eigen::Index k = 0; k < dims; ++k) {
        p[k] = own ? own->position[k] : d.position(k);
        q[k] = own ? own->status_quo[k] : d.status_quo(k);
      }
      if (d.sponsor_mean && draws_positions(uncertainty_) && !(own && own->position_drawn)) {
        double weight = 0;
        for (Eigen::Index k = 0; k < dims; ++k) p[k] = 0;
        for (int j : d.sponsors) {
          for (Eigen::Index k = 0; k < dims; ++k) p[k] += m_.clout(j) * x(j, k);
          weight += m_.clout(j);
        }
        for (Eigen::Index k = 0; k < dims; ++k) p[k] /= weight;
      }
      for (std::size_t i = 0; i < n_; ++i) {
        const auto row = static_cast<Eigen::Index>(i);
        double dp = 0;
        double dq = 0;
        for (Eigen::Index k = 0; k < dims; ++k) {
          const double a = x(row, k) - p[k];
          const double b = x(row, k) - q[k];
          dp += a * a;
          dq += b * b;
        }
        base_[lri(r, lane, i)] = rules::join_base(lane_params, dp);
        fit_[lri(r, lane, i)] = rules::vote_fit(lane_params, dp, dq);
      }
    }
    // A member barred from sponsoring (a what-if) never joins: with z this low, exp(-z)
    // saturates and u (1 + exp(-z)) < 1 never holds, at no cost in the hot loop.
    for (int i : d.barred) base_[lri(r, lane, static_cast<std::size_t>(i))] = kNeverJoins;
  }
}

// A lane's effective parameters and lobbying coefficient per draft: the model's, or a
// draw's (`drawn`, one entry per draft), with its absence rates scaled by `absence_factor`.
void Batch::set_lane_parameters(std::size_t lane, const std::vector<DraftDraw>* drawn,
                                double absence_factor) {
  for (std::size_t r = 0; r < r_; ++r) {
    const ModelDraft& d = m_.drafts[r];
    const std::size_t at = r * cap_ + lane;
    lane_params_[at] = drawn ? (*drawn)[r].params : d.params;
    const double lobbying = drawn ? (*drawn)[r].lobbying : d.lobbying;
    lobby_coef_[at] = rules::lobby_coefficient(lane_params_[at], lobbying, m_.total_clout);
    if (drawn) lane_drafts_[at] = (*drawn)[r];
  }
  if (!draw_absence_) return;
  for (std::size_t i = 0; i < n_; ++i) {
    const double a = m_.absence(static_cast<Eigen::Index>(i));
    // A rate of 1 stays 1 (docs/fit.md, "The absence scale").
    lane_absence_[lane * n_ + i] = a < 1 ? std::min(1.0, a * absence_factor) : a;
  }
}

// Each lane's draws (position_draw, parameter_draw): replicates that share a draw share it
// bit for bit. Only what they change is recomputed: the lane's parameters, lobbying
// coefficients, absence rates and its position-dependent constants, not the model.
void Batch::draw_lanes(long first, std::size_t lanes, std::uint64_t seed) {
  long positions_of = -1;
  long parameters_of = -1;
  double absence_factor = 1;
  for (std::size_t l = 0; l < lanes; ++l) {
    const long replicate = first + static_cast<long>(l);
    if (draws_parameters(uncertainty_)) {
      const long d = parameter_draw(replicate);
      if (d != parameters_of) {
        apply_parameter_draw(m_, drawn_parameters(m_, seed, static_cast<std::uint32_t>(d)),
                             draft_draw_, absence_factor);
        parameters_of = d;
      }
      set_lane_parameters(l, &draft_draw_, absence_factor);
    }
    if (draws_positions(uncertainty_)) {
      const long d = position_draw(uncertainty_, replicate);
      if (d != positions_of) {
        draw_positions_into(m_, seed, static_cast<std::uint32_t>(d), drawn_);
        positions_of = d;
      }
      fill_constants(l, drawn_);
    } else {
      fill_constants(l, m_.positions);
    }
  }
}

void Batch::reset(std::size_t lanes) {
  for (std::size_t r = 0; r < r_; ++r) {
    const std::size_t begin = at(r, 0, 0);
    const std::size_t end = at(r, lanes, 0);
    std::fill(sponsor_.data() + begin, sponsor_.data() + end, std::uint8_t{0});
    std::fill(peer_.data() + begin, peer_.data() + end, 0.0);
    std::fill(bloc_value_.data() + bv(r, 0, 0), bloc_value_.data() + bv(r, lanes, 0), 0.0);
    if (per_member_bloc_) std::fill(bloc_.data() + begin, bloc_.data() + end, 0.0);
    std::fill(rival_.data() + begin, rival_.data() + end, std::uint16_t{0});
    // The padding members count as sponsors: phase 1 never lets them join.
    for (std::size_t l = 0; l < lanes; ++l) {
      std::fill(sponsor_.data() + at(r, l, n_), sponsor_.data() + at(r, l, np_), std::uint8_t{1});
    }
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

void Batch::record_round(int t, std::size_t lanes, std::vector<DraftCounts>& counts) const {
  const std::size_t row = static_cast<std::size_t>(t) * (n_ + 1);
  for (std::size_t r = 0; r < r_; ++r) {
    auto& hist = counts[r].sponsors_by_round;
    for (std::size_t l = 0; l < lanes; ++l) {
      hist[row + static_cast<std::size_t>(count_[r * cap_ + l])] += 1;
    }
  }
}

void Batch::run(long first, int lanes_used, std::uint64_t seed, std::vector<DraftCounts>& counts,
                ReplicateLog* log, long log_index) {
  const auto lanes = static_cast<std::size_t>(lanes_used);
  PLENARY_ASSERT(first % 4 == 0 && lanes <= cap_);
  if (draw_) draw_lanes(first, lanes, seed);
  reset(lanes);
  record_round(0, lanes, counts);
  for (int t = 0; t < m_.rounds; ++t) {
    sponsorship_round(t, first, lanes, seed);
    apply_joins();
    record_round(t + 1, lanes, counts);
  }
  for (std::size_t r = 0; r < r_; ++r) {
    for (std::size_t l = 0; l < lanes; ++l) {
      add_bytes(counts[r].member_sponsor.data(), sponsor_.data() + at(r, l, 0), n_);
    }
  }
  vote(first, lanes, seed, counts, log, log_index);
}

}  // namespace plenary
