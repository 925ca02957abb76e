// gradcheck.test.cpp — every layer, cell, activation, loss and whole stacks against central finite differences, in double.
// Not a speed or float32 test: it checks the backward formulas. Error = |a − n| / max(|a| + |n|, 1e-3) with ε = 1e-6 in
// double: relative for gradients above 1e-3, absolute (≤ 1e-9) below, where the differences' round-off (~1e-10) dominates.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <memory>

#include "loss.hpp"
#include "model.hpp"

using namespace rnnlab;
using D = double;

namespace {

double rel_err(double a, double n) { return std::fabs(a - n) / std::max(1e-3, std::fabs(a) + std::fabs(n)); }

Mat<D> randn(int r, int c, Rng& rng, double s = 1.0) {
  Mat<D> m(r, c);
  for (int j = 0; j < c; ++j) for (int i = 0; i < r; ++i) m(i, j) = rng.normal(0.0, s);
  return m;
}

// Checks a layer with loss L = Σ R⊙y: ∂L/∂y = R; compares P.grad and dx against central differences.
void check_layer(Layer<D>& layer, Params<D>& P, Mat<D> x, const Ctx& c, uint64_t mask_seed = 7, double tol = 1e-6) {
  Rng rng(99);
  Mat<D> y;
  Rng drop(mask_seed);
  Ctx cc = c;
  cc.rng = &drop;
  layer.forward(P, x, y, cc);
  const Mat<D> R = randn(int(y.rows()), int(y.cols()), rng);
  auto loss = [&](const Mat<D>& xx) {
    drop.reseed(mask_seed);  // the same dropout mask every time
    Mat<D> yy;
    layer.forward(P, xx, yy, cc);
    return (R.array() * yy.array()).sum();
  };
  P.zero_grad();
  loss(x);
  drop.reseed(mask_seed);
  layer.forward(P, x, y, cc);
  Mat<D> dx;
  layer.backward(P, x, y, R, &dx, cc);
  const double eps = 1e-6;
  for (size_t i = 0; i < P.value.size(); ++i) {
    const double keep = P.value[i];
    P.value[i] = keep + eps; const double lp = loss(x);
    P.value[i] = keep - eps; const double lm = loss(x);
    P.value[i] = keep;
    const double num = (lp - lm) / (2 * eps), e = rel_err(P.grad[i], num);
    CHECK_MESSAGE(e < tol, "param " << i << " analytic " << P.grad[i] << " numeric " << num);
  }
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double keep = x.data()[i];
    x.data()[i] = keep + eps; const double lp = loss(x);
    x.data()[i] = keep - eps; const double lm = loss(x);
    x.data()[i] = keep;
    const double num = (lp - lm) / (2 * eps), e = rel_err(dx.data()[i], num);
    CHECK_MESSAGE(e < tol, "input " << i << " analytic " << dx.data()[i] << " numeric " << num);
  }
}

template <class Cell> std::unique_ptr<Cell> make_cell(Params<D>& P, int in, int H, int gates, Rng& rng) {
  auto c = std::make_unique<Cell>();
  c->in = in; c->H = H; c->gates = gates;
  c->Wih = P.add("w_ih", gates * H, in, ParamKind::WeightIH, 0);
  c->Whh = P.add("w_hh", gates * H, H, ParamKind::WeightHH, 0);
  c->bih = P.add("b_ih", gates * H, 0, ParamKind::BiasIH, 0);
  c->bhh = P.add("b_hh", gates * H, 0, ParamKind::BiasHH, 0);
  for (auto& v : P.value) v = rng.normal(0.0, 0.5);
  return c;
}

Ctx ctx(int T, int B, bool train = true) { Ctx c; c.T = T; c.B = B; c.train = train; c.probe = true; return c; }

}  // namespace

TEST_CASE("the vanilla RNN cell's gradients match finite differences (tanh and relu)") {
  for (bool relu : {false, true}) {
    Rng rng(1);
    Params<D> P;
    auto cell = make_cell<RnnCell<D>>(P, 3, 4, 1, rng);
    cell->relu = relu;
    check_layer(*cell, P, randn(3, 5 * 2, rng), ctx(5, 2));
  }
}

// nonlinearity "selu" (lesson 13): f' is taken from h = selu(a), on both sides of 0 (randn inputs, T = 5)
TEST_CASE("the vanilla RNN cell's gradients match finite differences with selu") {
  Rng rng(11);
  Params<D> P;
  auto cell = make_cell<RnnCell<D>>(P, 3, 4, 1, rng);
  cell->relu = false;
  cell->selu = true;
  check_layer(*cell, P, randn(3, 5 * 2, rng), ctx(5, 2));
}

TEST_CASE("the LSTM cell's gradients match finite differences") {
  Rng rng(2);
  Params<D> P;
  auto cell = make_cell<LstmCell<D>>(P, 3, 4, 4, rng);
  check_layer(*cell, P, randn(3, 6 * 2, rng), ctx(6, 2));
}

TEST_CASE("the GRU cell's gradients match finite differences") {
  Rng rng(3);
  Params<D> P;
  auto cell = make_cell<GruCell<D>>(P, 3, 4, 3, rng);
  check_layer(*cell, P, randn(3, 6 * 2, rng), ctx(6, 2));
}

TEST_CASE("a single-step sequence (T = 1) has the right gradients in every cell") {
  Rng rng(4);
  Params<D> P1, P2, P3;
  auto a = make_cell<RnnCell<D>>(P1, 2, 3, 1, rng); a->relu = false;
  auto b = make_cell<LstmCell<D>>(P2, 2, 3, 4, rng);
  auto c = make_cell<GruCell<D>>(P3, 2, 3, 3, rng);
  check_layer(*a, P1, randn(2, 3, rng), ctx(1, 3));
  check_layer(*b, P2, randn(2, 3, rng), ctx(1, 3));
  check_layer(*c, P3, randn(2, 3, rng), ctx(1, 3));
}

TEST_CASE("the linear layer's gradients match finite differences") {
  Rng rng(5);
  Params<D> P;
  Linear<D> lin(4, 3, P.add("w", 3, 4, ParamKind::DenseWeight, 0), P.add("b", 3, 0, ParamKind::DenseBias, 0));
  for (auto& v : P.value) v = rng.normal();
  check_layer(lin, P, randn(4, 7, rng), ctx(1, 7));
}

TEST_CASE("every activation's derivative matches finite differences") {
  for (Act a : {Act::Sigmoid, Act::Tanh, Act::Relu, Act::LeakyRelu, Act::Elu, Act::Selu, Act::Linear}) {
    Rng rng(6);
    Params<D> P;
    Activation<D> act(a, 5);
    check_layer(act, P, randn(5, 8, rng), ctx(1, 8));
  }
}

TEST_CASE("layer norm's gradients match finite differences") {
  Rng rng(7);
  Params<D> P;
  LayerNorm<D> ln(5, P.add("g", 5, 0, ParamKind::NormWeight, 0), P.add("b", 5, 0, ParamKind::NormBias, 0));
  for (auto& v : P.value) v = rng.normal();
  check_layer(ln, P, randn(5, 6, rng, 2.0), ctx(2, 3));
}

TEST_CASE("batch norm's gradients match finite differences in training mode") {
  Rng rng(8);
  Params<D> P;
  BatchNorm<D> bn(4, P.add("g", 4, 0, ParamKind::NormWeight, 0), P.add("b", 4, 0, ParamKind::NormBias, 0),
                  P.add_buffer("rm", 4, 0, 0), P.add_buffer("rv", 4, 1, 0));
  for (auto& v : P.value) v = rng.normal();
  check_layer(bn, P, randn(4, 10, rng, 3.0), ctx(2, 5));
}

TEST_CASE("dropout with a fixed mask passes gradients through the kept units only") {
  Rng rng(9);
  Params<D> P;
  Dropout<D> d(6, 0.5);
  check_layer(d, P, randn(6, 8, rng), ctx(1, 8));
  Mat<D> y, x = randn(6, 8, rng);
  Rng m(3);
  Ctx c = ctx(1, 8); c.rng = &m;
  d.forward(P, x, y, c);
  int zeros = 0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    if (y.data()[i] == 0) ++zeros; else CHECK(y.data()[i] == doctest::Approx(2 * x.data()[i]));
  }
  CHECK(zeros > 8);
  CHECK(zeros < 40);
}

TEST_CASE("mse and cross-entropy gradients match finite differences") {
  Rng rng(10);
  Mat<D> yhat = randn(3, 5, rng), y = randn(3, 5, rng), g;
  mse_loss<D>(yhat, y, g);
  const int labels[5] = {0, 2, 1, 1, 0};
  Mat<D> gc;
  cross_entropy_loss<D>(yhat, labels, gc);
  for (Eigen::Index i = 0; i < yhat.size(); ++i) {
    Mat<D> a = yhat, b = yhat, t;
    a.data()[i] += 1e-6; b.data()[i] -= 1e-6;
    const double nm = (mse_loss<D>(a, y, t) - mse_loss<D>(b, y, t)) / 2e-6;
    const double nc = (cross_entropy_loss<D>(a, labels, t) - cross_entropy_loss<D>(b, labels, t)) / 2e-6;
    CHECK(rel_err(g.data()[i], nm) < 1e-6);
    CHECK(rel_err(gc.data()[i], nc) < 1e-6);
  }
  // cross-entropy of uniform logits is log C
  Mat<D> z = Mat<D>::Zero(4, 2), t;
  const int l2[2] = {1, 3};
  CHECK(cross_entropy_loss<D>(z, l2, t) == doctest::Approx(std::log(4.0)));
}

namespace {
// A whole model: loss (mse or ce) of its forward; all parameter gradients against finite differences.
void check_model(ModelSpec s, int T, int B, bool classes, uint64_t seed) {
  Model<D> m(s);
  Rng rng(seed);
  m.initialize(rng);
  for (auto& v : m.P.value) v += rng.normal(0.0, 0.1);  // move norm parameters off 1/0
  const Mat<D> x = randn(s.inputs, T * B, rng);
  const int cols = s.every ? T * B : B;
  const Mat<D> y = randn(s.outputs, cols, rng);
  std::vector<int> labels(static_cast<size_t>(cols), 0);
  for (auto& l : labels) l = int(rng.below(uint32_t(s.outputs)));
  Rng drop(5);
  Ctx c = ctx(T, B);
  c.rng = &drop;
  auto loss = [&](Mat<D>* dy) {
    drop.reseed(5);
    const Mat<D>& yh = m.forward(x, c);
    Mat<D> g;
    const double L = classes ? cross_entropy_loss<D>(yh, labels.data(), g) : mse_loss<D>(yh, y, g);
    if (dy) *dy = g;
    return L;
  };
  m.P.zero_grad();
  Mat<D> dy;
  loss(&dy);
  m.backward(x, dy, c);
  const std::vector<D> grad = m.P.grad;
  for (size_t i = 0; i < m.P.value.size(); ++i) {
    const double keep = m.P.value[i];
    m.P.value[i] = keep + 1e-6; const double lp = loss(nullptr);
    m.P.value[i] = keep - 1e-6; const double lm = loss(nullptr);
    m.P.value[i] = keep;
    const double num = (lp - lm) / 2e-6, e = rel_err(grad[i], num);
    CHECK_MESSAGE(e < 1e-6, "param " << i << " analytic " << grad[i] << " numeric " << num);
  }
}
}  // namespace

TEST_CASE("stacked, residual, normalised and dropout models have the right gradients end to end") {
  ModelSpec s;
  s.inputs = 3; s.hidden = 4; s.outputs = 2;
  SUBCASE("3 stacked LSTM layers, readout last, mse") { s.cell = Cell::Lstm; s.layers = 3; check_model(s, 4, 2, false, 1); }
  SUBCASE("3 residual GRU layers with layer norm, readout every, cross-entropy") {
    s.cell = Cell::Gru; s.layers = 3; s.residual = true; s.norm = Norm::Layer; s.every = true; check_model(s, 3, 2, true, 2);
  }
  SUBCASE("2 relu RNN layers with batch norm and dropout, mse") {
    s.cell = Cell::Rnn; s.relu_rnn = true; s.layers = 2; s.norm = Norm::Batch; s.dropout = 0.3; check_model(s, 3, 3, false, 3);
  }
  SUBCASE("2 selu RNN layers, readout every, mse") { s.cell = Cell::Rnn; s.selu_rnn = true; s.layers = 2; s.every = true; check_model(s, 4, 2, false, 5); }
  SUBCASE("a 4-layer residual SELU MLP, cross-entropy") {
    s.cell = Cell::Mlp; s.activation = Act::Selu; s.layers = 4; s.residual = true; check_model(s, 1, 5, true, 4);
  }
  SUBCASE("a 3-layer tanh MLP with batch norm and dropout, mse") {
    s.cell = Cell::Mlp; s.activation = Act::Tanh; s.layers = 3; s.norm = Norm::Batch; s.dropout = 0.2; check_model(s, 1, 6, false, 5);
  }
}
