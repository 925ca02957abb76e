// init.hpp — weight initialisers with torch.nn.init's formulas (fan_in = cols, fan_out = rows of a (out, in) weight).
// Not a policy: which initialiser goes to which parameter is decided by model.hpp from the config.
#pragma once
#include <cmath>
#include <string>
#include <vector>

#include "rng.hpp"
#include "tensor.hpp"

namespace rnnlab {

enum class Init { Default, Zeros, Constant, Uniform, Normal, XavierUniform, XavierNormal, HeUniform, HeNormal,
                  LecunUniform, LecunNormal, Orthogonal, Identity };

// names in enum order: the one list that parsing, error messages and the normalized config all use
inline const std::vector<std::string>& init_names() {
  static const std::vector<std::string> names = {"default", "zeros", "constant", "uniform", "normal", "xavier_uniform",
      "xavier_normal", "he_uniform", "he_normal", "lecun_uniform", "lecun_normal", "orthogonal", "identity"};
  return names;
}
inline const std::string& init_name(Init i) { return init_names()[size_t(i)]; }

struct InitSpec {
  Init kind = Init::Default;
  double scale = 0.1;  // uniform: U(-scale, scale); normal: N(0, scale²); constant: the value
  double gain = 1.0;   // multiplies xavier / he / lecun / orthogonal / identity
  double default_bound = 0.0;  // for Default: U(-bound, bound) (torch: 1/sqrt(hidden) for RNN cells, 1/sqrt(fan_in) for Linear)
};

// The variance each initialiser aims at, for a (rows=fan_out, cols=fan_in) weight; used by tests and lesson 5.
inline double init_variance(const InitSpec& s, int fan_out, int fan_in) {
  const double g2 = s.gain * s.gain;
  switch (s.kind) {
    case Init::Default: return s.default_bound * s.default_bound / 3.0;
    case Init::Zeros: case Init::Constant: return 0.0;
    case Init::Uniform: return s.scale * s.scale / 3.0;
    case Init::Normal: return s.scale * s.scale;
    case Init::XavierUniform: case Init::XavierNormal: return g2 * 2.0 / (fan_in + fan_out);
    case Init::HeUniform: case Init::HeNormal: return g2 * 2.0 / fan_in;
    case Init::LecunUniform: case Init::LecunNormal: return g2 * 1.0 / fan_in;
    case Init::Orthogonal: return g2 / std::max(fan_in, fan_out);
    case Init::Identity: return 0.0;
  }
  return 0.0;
}

// Q·diag(sign(diag R)) of A = QR (A column-major (m, n), m ≥ n; Q column-major (m, n)): Householder reflections with
// LAPACK's and Eigen's sign convention (R(j, j) = −sign(x₀)‖x‖), i.e. the unique Q whose R has a positive diagonal.
// Written out rather than Eigen::HouseholderQR<MatrixXd>, whose blocked double code was ~38 KB of the wasm module.
inline void householder_q(std::vector<double>& A, int m, int n, std::vector<double>& Q) {
  std::vector<double> V(size_t(m) * n, 0.0), rdiag(n);
  for (int j = 0; j < n; ++j) {
    double* a = &A[size_t(j) * m];
    double norm = 0;
    for (int r = j; r < m; ++r) norm += a[r] * a[r];
    norm = std::sqrt(norm);
    const double alpha = a[j] >= 0 ? -norm : norm;
    rdiag[j] = alpha;
    double* v = &V[size_t(j) * m];
    double vn = 0;
    for (int r = j; r < m; ++r) { v[r] = a[r]; }
    v[j] -= alpha;
    for (int r = j; r < m; ++r) vn += v[r] * v[r];
    if (vn == 0) continue;  // the column is already zero below the diagonal: no reflection
    vn = std::sqrt(vn);
    for (int r = j; r < m; ++r) v[r] /= vn;
    for (int c = j; c < n; ++c) {  // A(j:, c) -= 2 v (vᵀ A(j:, c))
      double* ac = &A[size_t(c) * m];
      double d = 0;
      for (int r = j; r < m; ++r) d += v[r] * ac[r];
      for (int r = j; r < m; ++r) ac[r] -= 2 * d * v[r];
    }
  }
  Q.assign(size_t(m) * n, 0.0);
  for (int c = 0; c < n; ++c) Q[size_t(c) * m + c] = 1.0;
  for (int j = n - 1; j >= 0; --j) {  // Q = H_0 ⋯ H_{n−1} · I(m, n)
    const double* v = &V[size_t(j) * m];
    for (int c = 0; c < n; ++c) {
      double* qc = &Q[size_t(c) * m];
      double d = 0;
      for (int r = j; r < m; ++r) d += v[r] * qc[r];
      for (int r = j; r < m; ++r) qc[r] -= 2 * d * v[r];
    }
  }
  for (int c = 0; c < n; ++c)
    if (rdiag[c] < 0) for (int r = 0; r < m; ++r) Q[size_t(c) * m + r] = -Q[size_t(c) * m + r];
}

// Fill a (rows, cols) row-major weight. Draws run in row-major order, so one seed gives the same weights everywhere.
template <class T> void init_weight(WMap<T> W, const InitSpec& s, Rng& rng) {
  const int rows = int(W.rows()), cols = int(W.cols());
  const double fan_in = cols, fan_out = rows;
  auto fill_uniform = [&](double b) { for (int r = 0; r < rows; ++r) for (int c = 0; c < cols; ++c) W(r, c) = T(rng.uniform(-b, b)); };
  auto fill_normal = [&](double sd) { for (int r = 0; r < rows; ++r) for (int c = 0; c < cols; ++c) W(r, c) = T(rng.normal(0.0, sd)); };
  switch (s.kind) {
    case Init::Default: fill_uniform(s.default_bound); break;
    case Init::Zeros: W.setZero(); break;
    case Init::Constant: W.setConstant(T(s.scale)); break;
    case Init::Uniform: fill_uniform(s.scale); break;
    case Init::Normal: fill_normal(s.scale); break;
    case Init::XavierUniform: fill_uniform(s.gain * std::sqrt(6.0 / (fan_in + fan_out))); break;
    case Init::XavierNormal: fill_normal(s.gain * std::sqrt(2.0 / (fan_in + fan_out))); break;
    case Init::HeUniform: fill_uniform(s.gain * std::sqrt(6.0 / fan_in)); break;
    case Init::HeNormal: fill_normal(s.gain * std::sqrt(2.0 / fan_in)); break;
    case Init::LecunUniform: fill_uniform(s.gain * std::sqrt(3.0 / fan_in)); break;
    case Init::LecunNormal: fill_normal(s.gain * std::sqrt(1.0 / fan_in)); break;
    case Init::Identity:
      W.setZero();
      for (int i = 0; i < std::min(rows, cols); ++i) W(i, i) = T(s.gain);
      break;
    case Init::Orthogonal: {
      // torch.nn.init.orthogonal_: QR of a normal (max, min) matrix, Q scaled by sign(diag R), transposed if rows < cols.
      const int m = std::max(rows, cols), n = std::min(rows, cols);
      std::vector<double> A(size_t(m) * n);  // column-major (m, n)
      for (int r = 0; r < m; ++r) for (int c = 0; c < n; ++c) A[size_t(c) * m + r] = rng.normal();
      std::vector<double> Q;
      householder_q(A, m, n, Q);
      for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) W(r, c) = T(s.gain * (rows < cols ? Q[size_t(r) * m + c] : Q[size_t(c) * m + r]));
      break;
    }
  }
}

}  // namespace rnnlab
