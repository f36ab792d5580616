#pragma once
// The dynamic estimator's transcendental functions over a batch of cells
// (docs/forecast.md, "Speed"): for each argument z, e = exp(-|z|), 1 / (1 + e) and
// log(1 + e), from which the cell's softplus, F and 1 - F follow by additions and one
// multiplication. Vectorised like the engine's kernels (sim/core/kernels.hpp): core's
// exp() and the log1p below use only IEEE additions, multiplications, divisions and bit
// operations, no fused multiply-add and no reductions, so the AVX-512, AVX2 and baseline
// copies give the same bits.

#include <cstddef>

namespace plenary::forecast {

/// e[k] = exp(-|z[k]|), inv[k] = 1 / (1 + e[k]) and log1p[k] = log(1 + e[k]) for k < n.
void logistic_batch(const double* z, std::size_t n, double* e, double* inv, double* log1p);

/// log1p[k] = log(1 + exp(-|z[k]|)) alone, for the log-likelihood.
void log1p_exp_batch(const double* z, std::size_t n, double* log1p);

/// log(1 + e) for e in [0, 1], to a few units in the last place (the scalar reference of
/// the batches, and what a test checks against std::log1p).
double log1p_unit(double e);

}  // namespace plenary::forecast
