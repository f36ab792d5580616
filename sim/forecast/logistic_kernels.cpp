// The dynamic estimator's batched exp and log1p (logistic_kernels.hpp).
#include "logistic_kernels.hpp"

#include <cmath>

#include "core/kernels.hpp"
#include "plenary/core/exp.hpp"

namespace plenary::forecast {

namespace {

// log(1 + e) for e in [0, 1] as 2 atanh(s), s = r / (2 + r): r = e for e <= 1/2 (s in
// [0, 1/5]); above, log(1 + e) = ln 2 + log(1 + r) with r = (e - 1) / 2 exact (s in
// [-1/7, 0]). The series 2 s (1 + s^2/3 + ... + s^24/25) then leaves out less than
// 2e-17 relative. Written without branches so that it vectorises.
PLENARY_KERNEL_BODY double log1p_body(double e) {
  constexpr double kLn2 = 0.69314718055994530942;
  const bool high = e > 0.5;
  const double r = high ? (e - 1.0) * 0.5 : e;
  const double s = r / (2.0 + r);
  const double s2 = s * s;
  double p = 1.0 / 25;
  p = p * s2 + 1.0 / 23;
  p = p * s2 + 1.0 / 21;
  p = p * s2 + 1.0 / 19;
  p = p * s2 + 1.0 / 17;
  p = p * s2 + 1.0 / 15;
  p = p * s2 + 1.0 / 13;
  p = p * s2 + 1.0 / 11;
  p = p * s2 + 1.0 / 9;
  p = p * s2 + 1.0 / 7;
  p = p * s2 + 1.0 / 5;
  p = p * s2 + 1.0 / 3;
  p = p * s2 + 1.0;
  return (high ? kLn2 : 0.0) + 2.0 * s * p;
}

PLENARY_KERNEL_BODY void logistic_body(const double* __restrict z, std::size_t n,
                                       double* __restrict e, double* __restrict inv,
                                       double* __restrict log1p) {
  for (std::size_t k = 0; k < n; ++k) {
    const double x = kernels::exp(-std::fabs(z[k]));
    e[k] = x;
    inv[k] = 1.0 / (1.0 + x);
    log1p[k] = log1p_body(x);
  }
}

PLENARY_KERNEL_BODY void log1p_exp_body(const double* __restrict z, std::size_t n,
                                        double* __restrict log1p) {
  for (std::size_t k = 0; k < n; ++k) log1p[k] = log1p_body(kernels::exp(-std::fabs(z[k])));
}

PLENARY_KERNEL_WIDE void logistic_wide(const double* z, std::size_t n, double* e, double* inv,
                                       double* log1p) {
  logistic_body(z, n, e, inv, log1p);
}
PLENARY_KERNEL_AVX2 void logistic_avx2(const double* z, std::size_t n, double* e, double* inv,
                                       double* log1p) {
  logistic_body(z, n, e, inv, log1p);
}
void logistic_scalar(const double* z, std::size_t n, double* e, double* inv, double* log1p) {
  logistic_body(z, n, e, inv, log1p);
}
PLENARY_KERNEL_WIDE void log1p_exp_wide(const double* z, std::size_t n, double* log1p) {
  log1p_exp_body(z, n, log1p);
}
PLENARY_KERNEL_AVX2 void log1p_exp_avx2(const double* z, std::size_t n, double* log1p) {
  log1p_exp_body(z, n, log1p);
}
void log1p_exp_scalar(const double* z, std::size_t n, double* log1p) {
  log1p_exp_body(z, n, log1p);
}

}  // namespace

void logistic_batch(const double* z, std::size_t n, double* e, double* inv, double* log1p) {
  switch (kernel_isa()) {
    case Isa::kAvx512:
      return logistic_wide(z, n, e, inv, log1p);
    case Isa::kAvx2:
      return logistic_avx2(z, n, e, inv, log1p);
    case Isa::kScalar:
      break;
  }
  logistic_scalar(z, n, e, inv, log1p);
}

void log1p_exp_batch(const double* z, std::size_t n, double* log1p) {
  switch (kernel_isa()) {
    case Isa::kAvx512:
      return log1p_exp_wide(z, n, log1p);
    case Isa::kAvx2:
      return log1p_exp_avx2(z, n, log1p);
    case Isa::kScalar:
      break;
  }
  log1p_exp_scalar(z, n, log1p);
}

double log1p_unit(double e) { return log1p_body(e); }

}  // namespace plenary::forecast
