// The blend of the spatial model, the kin vote and the abstention habit (docs/forecast.md).
#include "plenary/forecast/blend.hpp"

#include <Eigen/Cholesky>
#include <array>
#include <cmath>

namespace plenary::forecast {

namespace {

using WeightVector = Eigen::Matrix<double, kBlendWeights, 1>;
using WeightMatrix = Eigen::Matrix<double, kBlendWeights, kBlendWeights>;

// The prior (docs/forecast.md, "Blend"): w ~ N(w0, 1/kRidge per weight), w0 being 0 except
// beta[q][r][r] = kRepeatPrior for a kin Abstain or No (repeat the kin's vote). Strength and
// centre chosen on the development sessions 64-71 (docs/validation.md, fourth pass).
constexpr double kRidge = 10.0;
constexpr double kRepeatPrior = 4.0;

WeightVector prior_mean() {
  WeightVector w0 = WeightVector::Zero();
  for (int r = 1; r <= 2; ++r) {
    for (int r2 = 0; r2 < 4; ++r2) w0(4 + 8 * r + 2 * r2 + (r - 1)) = kRepeatPrior;
  }
  return w0;
}

// Feature vector of class k: d score_k / d w.
WeightVector features(const BlendCell& c, int k) {
  WeightVector f = WeightVector::Zero();
  f(0) = c.log_spatial[k];
  f(1) = c.kin_vote == k && c.old_kin ? 1.0 : 0.0;
  f(2) = k == static_cast<int>(VoteClass::kAbstain) ? c.habit : 0.0;
  f(3) = c.kin_vote < 0 && c.kin_majority == k ? 1.0 : 0.0;
  if (k > 0) {  // beta[r][r2][k]
    const int r = c.kin_vote < 0 ? 3 : c.kin_vote;
    const int r2 = c.kin2_vote < 0 ? 3 : c.kin2_vote;
    f(4 + 8 * r + 2 * r2 + (k - 1)) = 1.0;
    f(kRepeatPropensityWeight) = c.kin_vote == k ? c.repeat_propensity : 0.0;
  }
  if (k == static_cast<int>(VoteClass::kAbstain) && c.kin_vote == k) {
    f(kAbstainPersistenceWeight) = c.abstain_persistence;
  }
  // The spatial model's weight by the member's kin vote (sixth pass): where the member
  // abstained or voted No on the kin, or has no kin vote, and where its kin vote repeated
  // its kin's-kin vote, the spatial log-probability carries its own change of weight.
  if (c.kin_vote != static_cast<int>(VoteClass::kYes)) {
    f(kSpatialByKinWeight + (c.kin_vote < 0 ? 2 : c.kin_vote - 1)) = c.log_spatial[k];
  }
  if (c.kin_vote >= 0 && c.kin_vote == c.kin2_vote) {
    f(kSpatialRepeatedChainWeight) = c.log_spatial[k];
  }
  return f;
}

Eigen::Vector3d softmax(const Eigen::Vector3d& s) {
  const Eigen::Vector3d e = (s.array() - s.maxCoeff()).exp();
  return e / e.sum();
}

// h += sum_k p_k (f_k - mean)(f_k - mean)^T over the weights some f_k uses (a cell's
// features are sparse; the other rows and columns would add zeros). The same sums as the
// dense outer products, at a tenth of their cost (docs/forecast.md, "Speed").
void add_curvature(const std::array<WeightVector, 3>& f, const Eigen::Vector3d& p,
                   const WeightVector& mean, WeightMatrix& h) {
  std::array<int, kBlendWeights> used;
  int n = 0;
  for (int i = 0; i < kBlendWeights; ++i) {
    if (f[0](i) != 0.0 || f[1](i) != 0.0 || f[2](i) != 0.0) used[n++] = i;
  }
  for (int k = 0; k < 3; ++k) {
    for (int a = 0; a < n; ++a) {
      const int i = used[a];
      const double left = p(k) * (f[k](i) - mean(i));
      for (int b = 0; b < n; ++b) h(i, used[b]) += left * (f[k](used[b]) - mean(used[b]));
    }
  }
}

// Log-likelihood (with the ridge), and optionally its gradient and negative Hessian.
double objective(const std::vector<BlendCell>& cells, const WeightVector& w, WeightVector* g,
                 WeightMatrix* h) {
  const WeightVector d = w - prior_mean();
  double ll = -0.5 * kRidge * d.squaredNorm();
  if (g != nullptr) {
    *g = -kRidge * d;
    *h = kRidge * WeightMatrix::Identity();
  }
  for (const BlendCell& c : cells) {
    if (c.outcome < 0) continue;
    std::array<WeightVector, 3> f;
    Eigen::Vector3d s;
    for (int k = 0; k < 3; ++k) {
      f[k] = features(c, k);
      s(k) = w.dot(f[k]);
    }
    const Eigen::Vector3d p = softmax(s);
    ll += std::log(std::max(p(c.outcome), 1e-300));
    if (g == nullptr) continue;
    const WeightVector mean = p(0) * f[0] + p(1) * f[1] + p(2) * f[2];
    *g += f[c.outcome] - mean;
    add_curvature(f, p, mean, *h);
  }
  return ll;
}

}  // namespace

Eigen::Vector3d blend_probabilities(const BlendCell& cell, const BlendWeights& w) {
  Eigen::Vector3d s;
  for (int k = 0; k < 3; ++k) s(k) = w.w.dot(features(cell, k));
  return softmax(s);
}

BlendWeights fit_blend(const std::vector<BlendCell>& cells) {
  BlendWeights out;
  for (const BlendCell& c : cells) out.cells += c.outcome >= 0 ? 1 : 0;
  if (out.cells == 0) return out;
  WeightVector w = prior_mean();
  w(0) = 1.0;
  WeightVector g;
  WeightMatrix h;
  double ll = objective(cells, w, &g, &h);
  for (int iteration = 0; iteration < 200; ++iteration) {
    const WeightVector delta = h.ldlt().solve(g);
    double step = 1.0;
    double next = ll;
    WeightVector trial = w;
    for (int k = 0; k < 30; ++k, step *= 0.5) {
      trial = w + step * delta;
      next = objective(cells, trial, nullptr, nullptr);
      if (next >= ll) break;
    }
    if (!(next >= ll)) break;
    const double gain = next - ll;
    w = trial;
    ll = objective(cells, w, &g, &h);
    if (gain <= 1e-10 * std::abs(ll)) {
      out.converged = true;
      break;
    }
  }
  out.w = w;
  out.log_likelihood = ll;
  out.se = h.ldlt().solve(WeightMatrix::Identity()).diagonal().cwiseMax(0.0).cwiseSqrt();
  return out;
}

}  // namespace plenary::forecast
