// kernels.test.cpp — the float SIMD kernels (core/kernels.hpp) against Eigen in double on shapes with every remainder,
// and the vector exp/σ/tanh against libm. Not a speed test. Tolerance: 1e-5 relative to the row's magnitude for products.
#include <doctest/doctest.h>

#include <cmath>

#include "kernels.hpp"
#include "rng.hpp"

using namespace rnnlab;

namespace {
Eigen::MatrixXf rnd(int r, int c, Rng& g) {
  Eigen::MatrixXf m(r, c);
  for (int j = 0; j < c; ++j) for (int i = 0; i < r; ++i) m(i, j) = float(g.normal());
  return m;
}
double rel(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) { return (a - b).cwiseAbs().maxCoeff() / std::max(1.0, b.cwiseAbs().maxCoeff()); }
}  // namespace

TEST_CASE("the three matrix-product kernels match Eigen for every remainder of the tile sizes") {
  Rng g(1);
  for (int M : {1, 3, 4, 7, 8, 13, 32}) for (int K : {1, 2, 5, 8, 9, 17}) for (int N : {1, 2, 3, 5, 9}) {
    // Y = W X  and  Y += W X
    RowMat<float> W = rnd(M, K, g);
    Eigen::MatrixXf X = rnd(K + 2, N, g);  // a block of a taller matrix: outer stride ≠ rows
    Eigen::MatrixXf Y = rnd(M + 1, N, g), Y0 = Y;
    mul_wx(W, X.topRows(K), Y.topRows(M), false);
    Eigen::MatrixXd ref = W.cast<double>() * X.topRows(K).cast<double>();
    CHECK(rel(Y.topRows(M).cast<double>(), ref) < 1e-5);
    CHECK(Y.row(M) == Y0.row(M));  // the row below the block is untouched
    mul_wx(W, X.topRows(K), Y.topRows(M), true);
    CHECK(rel(Y.topRows(M).cast<double>(), 2 * ref) < 1e-5);
    // Z = Wᵀ D
    Eigen::MatrixXf D = rnd(M, N, g), Z(K, N);
    mul_wtd(W, D, Z, false);
    Eigen::MatrixXd refz = W.cast<double>().transpose() * D.cast<double>();
    CHECK(rel(Z.cast<double>(), refz) < 1e-5);
    mul_wtd(W, D, Z, true);
    CHECK(rel(Z.cast<double>(), 2 * refz) < 1e-5);
    // G += D Yᵀ with G row-major (M, K)
    Eigen::MatrixXf Yk = rnd(K, N, g);
    RowMat<float> G = rnd(M, K, g);
    Eigen::MatrixXd refg = G.cast<double>() + D.cast<double>() * Yk.cast<double>().transpose();
    mul_dyt(D, Yk, G);
    CHECK(rel(G.cast<double>(), refg) < 1e-5);
    // v += row sums of D
    Eigen::VectorXf v = rnd(M, 1, g);
    Eigen::MatrixXd refv = v.cast<double>() + D.cast<double>().rowwise().sum();
    add_rowsum(D, v);
    CHECK(rel(v.cast<double>(), refv) < 1e-5);
  }
}

TEST_CASE("the vector exp, sigmoid and tanh stay within a few float ulp of libm") {
  double worst_exp = 0, worst_sig = 0, worst_tanh = 0;
  for (double x = -30; x <= 30; x += 0.01) {
    const float f = float(x);
    const double e = std::exp(double(f));
    worst_exp = std::max(worst_exp, std::fabs(kern::exp1(f) - e) / e);
    const float s = kern::sigmoid4(kern::splat(f))[0];
    worst_sig = std::max(worst_sig, std::fabs(s - 1.0 / (1.0 + std::exp(-double(f)))));
    const float t = kern::tanh4(kern::splat(f))[0];
    worst_tanh = std::max(worst_tanh, std::fabs(t - std::tanh(double(f))));
  }
  MESSAGE("exp rel " << worst_exp << ", sigmoid abs " << worst_sig << ", tanh abs " << worst_tanh);
  CHECK(worst_exp < 4e-7);
  CHECK(worst_sig < 2e-7);
  CHECK(worst_tanh < 4e-7);
  CHECK(kern::sigmoid4(kern::splat(-200.f))[0] >= 0.f);
  CHECK(kern::tanh4(kern::splat(200.f))[0] == 1.f);
  CHECK(kern::tanh4(kern::splat(-200.f))[0] == -1.f);
}
