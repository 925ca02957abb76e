// kernels.test.cpp — the float SIMD kernels (core/kernels.hpp) against Eigen in double on shapes with every remainder,
// the vector exp/σ/tanh against libm, and the fused LSTM/GRU steps (float) against the cells' Eigen path in double.
// Not a speed test. Tolerance: 1e-5 relative to the row's magnitude for products.
#include <doctest/doctest.h>

#include <cmath>

#include "kernels.hpp"
#include "layers.hpp"
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
  for (double x = -87; x <= 88; x += 0.003) {  // the whole range before the clamps
    const double e = std::exp(double(float(x)));
    worst_exp = std::max(worst_exp, std::fabs(kern::exp1(float(x)) - e) / e);
  }
  MESSAGE("exp rel " << worst_exp << ", sigmoid abs " << worst_sig << ", tanh abs " << worst_tanh);
  CHECK(worst_exp < 4e-7);
  CHECK(worst_sig < 2e-7);
  CHECK(worst_tanh < 4e-7);
  CHECK(kern::sigmoid4(kern::splat(-200.f))[0] >= 0.f);
  CHECK(kern::tanh4(kern::splat(200.f))[0] == 1.f);
  CHECK(kern::tanh4(kern::splat(-200.f))[0] == -1.f);
}

namespace {
// a cell in double and the same cell in float with the same parameters (rounded to float)
template <template <class> class Cell> struct CellPair {
  Params<double> Pd;
  Params<float> Pf;
  Cell<double> d;
  Cell<float> f;
  CellPair(int in, int H, int gates, Rng& g) {
    d.in = in; d.H = H; d.gates = gates;
    f.in = in; f.H = H; f.gates = gates;
    d.Wih = Pd.add("w_ih", gates * H, in, ParamKind::WeightIH, 0); f.Wih = Pf.add("w_ih", gates * H, in, ParamKind::WeightIH, 0);
    d.Whh = Pd.add("w_hh", gates * H, H, ParamKind::WeightHH, 0); f.Whh = Pf.add("w_hh", gates * H, H, ParamKind::WeightHH, 0);
    d.bih = Pd.add("b_ih", gates * H, 0, ParamKind::BiasIH, 0); f.bih = Pf.add("b_ih", gates * H, 0, ParamKind::BiasIH, 0);
    d.bhh = Pd.add("b_hh", gates * H, 0, ParamKind::BiasHH, 0); f.bhh = Pf.add("b_hh", gates * H, 0, ParamKind::BiasHH, 0);
    for (size_t i = 0; i < Pd.size(); ++i) Pf.value[i] = float(g.normal(0.0, 0.7));
    for (size_t i = 0; i < Pd.size(); ++i) Pd.value[i] = Pf.value[i];
  }
};

template <template <class> class Cell> void check_cell(int gates) {
  Rng g(5);
  for (int H : {1, 4, 7, 13}) for (int T : {1, 5}) {
    const int in = 3, B = 3;
    CellPair<Cell> p(in, H, gates, g);
    Ctx c; c.T = T; c.B = B; c.probe = true;
    const Eigen::MatrixXf x = rnd(in, T * B, g), dy = rnd(H, T * B, g);
    Mat<float> yf, dxf;
    Mat<double> yd, dxd;
    p.f.forward(p.Pf, x, yf, c);
    p.d.forward(p.Pd, x.cast<double>(), yd, c);
    CHECK_MESSAGE(rel(yf.cast<double>(), yd) < 1e-5, "H " << H << " T " << T);
    p.f.backward(p.Pf, x, yf, dy, &dxf, c);
    p.d.backward(p.Pd, x.cast<double>(), yd, dy.cast<double>(), &dxd, c);
    const Eigen::Map<const Eigen::VectorXf> gf(p.Pf.grad.data(), Eigen::Index(p.Pf.size()));
    const Eigen::Map<const Eigen::VectorXd> gd(p.Pd.grad.data(), Eigen::Index(p.Pd.size()));
    CHECK_MESSAGE(rel(gf.cast<double>(), gd) < 1e-5, "H " << H << " T " << T);
    CHECK_MESSAGE(rel(dxf.cast<double>(), dxd) < 1e-5, "H " << H << " T " << T);
    for (int t = 0; t < T; ++t) CHECK(std::fabs(p.f.grad_t[size_t(t)] - p.d.grad_t[size_t(t)]) < 1e-5 * std::max(1.0, p.d.grad_t[size_t(t)]));
  }
}
}  // namespace

TEST_CASE("the fused float LSTM step (kernels.hpp) gives the double cell's outputs and gradients for every H mod 4") {
  check_cell<LstmCell>(4);
}

TEST_CASE("the fused float GRU step (kernels.hpp) gives the double cell's outputs and gradients for every H mod 4") {
  check_cell<GruCell>(3);
}
