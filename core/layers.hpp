// layers.hpp — every layer of the core: Linear, Activation, RNN/LSTM/GRU cells (PyTorch formulas and gate order),
// LayerNorm, BatchNorm, Dropout, Sequential and Residual. Not a model: model.hpp stacks these from a config.
//
// Conventions: a sequence is a (features, T·B) matrix, step t = columns [t·B, t·B+B). forward(P, x, y, c) writes y and
// caches what backward needs in named members; backward(P, x, y, dy, dx, c) takes the same x and y, ACCUMULATES (+=)
// parameter gradients into P.grad and WRITES dx = ∂L/∂x (skipped when dx is nullptr).
#pragma once
#include <cmath>
#include <memory>
#include <vector>

#include "activations.hpp"
#include "kernels.hpp"
#include "rng.hpp"
#include "tensor.hpp"

namespace rnnlab {

struct Ctx {
  int T = 1, B = 1;     // sequence length, batch size
  bool train = true;    // dropout and batch-norm statistics follow this
  Rng* rng = nullptr;   // dropout masks
  bool probe = false;   // record per-time-step gradient norms
};

template <class T> struct Layer {
  virtual ~Layer() = default;
  virtual int out_size() const = 0;
  virtual void forward(Params<T>& P, const Mat<T>& x, Mat<T>& y, const Ctx& c) = 0;
  virtual void backward(Params<T>& P, const Mat<T>& x, const Mat<T>& y, const Mat<T>& dy, Mat<T>* dx, const Ctx& c) = 0;
};

// ---------------------------------------------------------------------------------------------------------------------
// y = W x + b, applied at every time step. W (out, in), b (out).
template <class T> struct Linear : Layer<T> {
  int in, out, W, b;  // parameter indices
  Linear(int in_, int out_, int W_, int b_) : in(in_), out(out_), W(W_), b(b_) {}
  int out_size() const override { return out; }

  void forward(Params<T>& P, const Mat<T>& x, Mat<T>& y, const Ctx&) override {
    y.resize(out, x.cols());                    // (out, N)
    mul_wx(P.w(W), x, y, false);
    y.colwise() += P.v(b);
  }
  void backward(Params<T>& P, const Mat<T>& x, const Mat<T>&, const Mat<T>& dy, Mat<T>* dx, const Ctx&) override {
    mul_dyt(dy, x, P.dw(W));                    // (out, in) += dy xᵀ
    add_rowsum(dy, P.dv(b));                    // (out)
    if (dx) { dx->resize(in, x.cols()); mul_wtd(P.w(W), dy, *dx, false); }
  }
};

// ---------------------------------------------------------------------------------------------------------------------
// y = f(x), elementwise; the derivative is taken from y (activations.hpp).
template <class T> struct Activation : Layer<T> {
  Act act; int size;
  Activation(Act a, int n) : act(a), size(n) {}
  int out_size() const override { return size; }
  void forward(Params<T>&, const Mat<T>& x, Mat<T>& y, const Ctx&) override {
    const Act a = act;
    y = x.unaryExpr([a](T v) { return act_f<T>(a, v); });
  }
  void backward(Params<T>&, const Mat<T>&, const Mat<T>& y, const Mat<T>& dy, Mat<T>* dx, const Ctx&) override {
    if (!dx) return;
    const Act a = act;
    *dx = dy.cwiseProduct(y.unaryExpr([a](T v) { return act_df<T>(a, v); }));
  }
};

// ---------------------------------------------------------------------------------------------------------------------
// Common parts of the three recurrent cells: parameters named as nn.RNN/LSTM/GRU name them, gates stacked in rows.
template <class T> struct Recurrent : Layer<T> {
  int in, H, gates;
  int Wih, Whh, bih, bhh;        // weight_ih (gates·H, in), weight_hh (gates·H, H), bias_ih, bias_hh (gates·H)
  std::vector<T> grad_t;         // ‖∂L/∂h_t‖ (Frobenius over the batch) per step, filled by backward when c.probe
  Mat<T> dh, dhn;                // (H, B) total gradient on h_t; gradient flowing to h_{t-1}
  Vec<T> bhh_before;             // (gates·H) bias_hh gradient before this backward, to reuse its column sum for bias_ih
  int out_size() const override { return H; }

  // after the time loop: the weight gradients as three big products over all steps
  void finish_backward(Params<T>& P, const Mat<T>& x, const Mat<T>& y, const Mat<T>& dGx, const Mat<T>& dGh, Mat<T>* dx,
                       const Ctx& c) {
    const int B = c.B, N = c.T * c.B;
    if (&dGx == &dGh) bhh_before = P.dv(bhh);
    if (c.T > 1) mul_dyt(dGh.rightCols(N - B), y.leftCols(N - B), P.dw(Whh));  // Σ_t dG_t h_{t-1}ᵀ
    add_rowsum(dGh, P.dv(bhh));
    mul_dyt(dGx, x, P.dw(Wih));
    if (&dGx == &dGh) P.dv(bih) += P.dv(bhh) - bhh_before;  // same pre-activation gradient (RNN, LSTM): sum it once
    else add_rowsum(dGx, P.dv(bih));
    if (dx) { dx->resize(in, N); mul_wtd(P.w(Wih), dGx, *dx, false); }
  }
  void start_backward(const Ctx& c) {
    dhn.setZero(H, c.B);
    if (c.probe) grad_t.assign(c.T, T(0));
  }
};

// h_t = f(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), f = tanh or relu (nn.RNN nonlinearity), or selu (lesson 13; not in nn.RNN:
// f(a) = λ·a for a > 0, λ·α·(eᵃ − 1) otherwise, λ ≈ 1.0507, α ≈ 1.6733 as torch.nn.functional.selu)
template <class T> struct RnnCell : Recurrent<T> {
  using R = Recurrent<T>;
  bool relu, selu = false;
  Mat<T> dA;  // (H, T·B) gradient on the pre-activation
  void forward(Params<T>& P, const Mat<T>& x, Mat<T>& y, const Ctx& c) override {
    const int B = c.B, H = R::H;
    y.resize(H, x.cols());                                      // (H, T·B)
    mul_wx(P.w(R::Wih), x, y, false);
    y.colwise() += P.v(R::bih) + P.v(R::bhh);
    auto Whh = P.w(R::Whh);
    for (int t = 0; t < c.T; ++t) {
      auto yt = y.middleCols(t * B, B);                          // (H, B)
      if (t > 0) mul_wx(Whh, y.middleCols((t - 1) * B, B), yt, true);
      if (relu) yt = yt.cwiseMax(T(0));
      else if (selu) yt = yt.unaryExpr([](T v) { return act_f<T>(Act::Selu, v); });
      else tanh_inplace(yt);
    }
  }
  void backward(Params<T>& P, const Mat<T>& x, const Mat<T>& y, const Mat<T>& dy, Mat<T>* dx, const Ctx& c) override {
    const int B = c.B;
    R::start_backward(c);
    dA.resize(R::H, x.cols());
    auto Whh = P.w(R::Whh);
    for (int t = c.T - 1; t >= 0; --t) {
      R::dh = dy.middleCols(t * B, B) + R::dhn;
      if (c.probe) R::grad_t[t] = R::dh.norm();
      auto h = y.middleCols(t * B, B).array();
      auto da = dA.middleCols(t * B, B);
      if (relu) da = (h > T(0)).select(R::dh.array(), T(0)).matrix();  // relu' from h = relu(a)
      else if (selu) da = R::dh.cwiseProduct(h.matrix().unaryExpr([](T v) { return act_df<T>(Act::Selu, v); }));  // from h
      else da = (R::dh.array() * (1 - h * h)).matrix();                 // tanh' = 1 − h²
      if (t > 0) mul_wtd(Whh, da, R::dhn, false);
    }
    R::finish_backward(P, x, y, dA, dA, dx, c);
  }
};

// nn.LSTM, gates in rows [i; f; g; o]:
// i,f,o = σ(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh) slices, g = tanh(slice); c_t = f⊙c_{t-1} + i⊙g; h_t = o⊙tanh(c_t)
template <class T> struct LstmCell : Recurrent<T> {
  using R = Recurrent<T>;
  Mat<T> G;    // (4H, T·B) gate activations after their nonlinearity
  Mat<T> C;    // (H, T·B) cell state c_t
  Mat<T> TC;   // (H, T·B) tanh(c_t)
  Mat<T> dG;   // (4H, T·B) gradient on the gate pre-activations
  Mat<T> dc, dcn;  // (H, B)
  void forward(Params<T>& P, const Mat<T>& x, Mat<T>& y, const Ctx& c) override {
    const int H = R::H, N = int(x.cols());
    G.resize(4 * H, N);
    C.resize(H, N);
    TC.resize(H, N);
    y.resize(H, N);
    mul_wx(P.w(R::Wih), x, G, false);                            // all steps' input products in one GEMM
    G.colwise() += P.v(R::bih) + P.v(R::bhh);
    if constexpr (std::is_same_v<T, float>) forward_fused(P, y, c); else forward_reference(P, y, c);
  }
  // the time loop, each step's gate lines in one pass (kern::lstm_fwd: the arithmetic of forward_reference)
  void forward_fused(Params<T>& P, Mat<T>& y, const Ctx& c) {
    const int B = c.B, H = R::H;
    auto Whh = P.w(R::Whh);
    for (int t = 0; t < c.T; ++t) {
      auto g = G.middleCols(t * B, B);                           // (4H, B)
      if (t > 0) mul_wx(Whh, y.middleCols((t - 1) * B, B), g, true);
      kern::lstm_fwd(g.data(), int(G.outerStride()), t > 0 ? &C(0, (t - 1) * B) : nullptr, &C(0, t * B), &TC(0, t * B),
                     &y(0, t * B), H, H, B);
    }
  }
  // the time loop as Eigen expressions (the double path, which the gradient checks run)
  void forward_reference(Params<T>& P, Mat<T>& y, const Ctx& c) {
    const int B = c.B, H = R::H;
    auto Whh = P.w(R::Whh);
    for (int t = 0; t < c.T; ++t) {
      auto g = G.middleCols(t * B, B);                           // (4H, B)
      if (t > 0) mul_wx(Whh, y.middleCols((t - 1) * B, B), g, true);
      sigmoid_inplace(g.topRows(2 * H));
      tanh_inplace(g.middleRows(2 * H, H));
      sigmoid_inplace(g.bottomRows(H));
      auto ct = C.middleCols(t * B, B);                          // (H, B)
      ct = g.topRows(H).cwiseProduct(g.middleRows(2 * H, H));
      if (t > 0) ct += g.middleRows(H, H).cwiseProduct(C.middleCols((t - 1) * B, B));
      TC.middleCols(t * B, B) = ct;
      tanh_inplace(TC.middleCols(t * B, B));
      y.middleCols(t * B, B) = g.bottomRows(H).cwiseProduct(TC.middleCols(t * B, B));
    }
  }
  void backward(Params<T>& P, const Mat<T>& x, const Mat<T>& y, const Mat<T>& dy, Mat<T>* dx, const Ctx& c) override {
    const int B = c.B, H = R::H;
    R::start_backward(c);
    dcn.setZero(H, B);
    dG.resize(4 * H, x.cols());
    R::dh.resize(H, B);
    if constexpr (std::is_same_v<T, float>) backward_fused(P, dy, c); else backward_reference(P, dy, c);
    R::finish_backward(P, x, y, dG, dG, dx, c);
  }
  // the time loop, each step's gradient lines up to the W_hh product in one pass (kern::lstm_bwd: backward_reference's
  // arithmetic)
  void backward_fused(Params<T>& P, const Mat<T>& dy, const Ctx& c) {
    const int B = c.B, H = R::H;
    auto Whh = P.w(R::Whh);
    for (int t = c.T - 1; t >= 0; --t) {
      kern::lstm_bwd(&dy(0, t * B), R::dhn.data(), R::dh.data(), dcn.data(), &G(0, t * B), &dG(0, t * B), 4 * H,
                     &TC(0, t * B), t > 0 ? &C(0, (t - 1) * B) : nullptr, H, H, B);
      if (c.probe) R::grad_t[t] = R::dh.norm();
      if (t > 0) mul_wtd(Whh, dG.middleCols(t * B, B), R::dhn, false);
    }
  }
  // the time loop as Eigen expressions (the double path)
  void backward_reference(Params<T>& P, const Mat<T>& dy, const Ctx& c) {
    const int B = c.B, H = R::H;
    auto Whh = P.w(R::Whh);
    for (int t = c.T - 1; t >= 0; --t) {
      R::dh = dy.middleCols(t * B, B) + R::dhn;                           // (H, B)
      if (c.probe) R::grad_t[t] = R::dh.norm();
      auto g = G.middleCols(t * B, B).array();                            // (4H, B)
      auto i = g.topRows(H), f = g.middleRows(H, H), gg = g.middleRows(2 * H, H), o = g.bottomRows(H);
      auto tc = TC.middleCols(t * B, B).array();
      auto d = dG.middleCols(t * B, B).array();                           // (4H, B)
      // h = o⊙tanh(c)  ⇒  dc = dh⊙o⊙(1 − tanh²c) + (gradient from c_{t+1})
      dc = (R::dh.array() * o * (1 - tc * tc) + dcn.array()).matrix();
      d.bottomRows(H) = R::dh.array() * tc * o * (1 - o);                 // do · σ'
      d.topRows(H) = dc.array() * gg * i * (1 - i);                        // di = dc⊙g
      if (t > 0) d.middleRows(H, H) = dc.array() * C.middleCols((t - 1) * B, B).array() * f * (1 - f);  // df = dc⊙c_{t-1}
      else d.middleRows(H, H).setZero();
      d.middleRows(2 * H, H) = dc.array() * i * (1 - gg * gg);             // dg = dc⊙i, tanh'
      dcn = (dc.array() * f).matrix();                                     // c_t = f⊙c_{t-1} + …
      if (t > 0) mul_wtd(Whh, dG.middleCols(t * B, B), R::dhn, false);
    }
  }
};

// nn.GRU, gates in rows [r; z; n]:
// r,z = σ(W_i x + b_i + W_h h + b_h) slices; n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)); h_t = (1−z)⊙n + z⊙h_{t-1}
template <class T> struct GruCell : Recurrent<T> {
  using R = Recurrent<T>;
  Mat<T> S;    // (3H, T·B) r, z, n after their nonlinearity
  Mat<T> HN;   // (H, T·B) W_hn h_{t-1} + b_hn (what r multiplies)
  Mat<T> gh;   // (3H, B) W_hh h_{t-1} + b_hh for the current step
  Mat<T> dGx, dGh;  // (3H, T·B) gradients on the input-side and hidden-side pre-activations
  void forward(Params<T>& P, const Mat<T>& x, Mat<T>& y, const Ctx& c) override {
    const int H = R::H, N = int(x.cols());
    S.resize(3 * H, N);
    HN.resize(H, N);
    y.resize(H, N);
    mul_wx(P.w(R::Wih), x, S, false);
    S.colwise() += P.v(R::bih);
    if constexpr (std::is_same_v<T, float>) forward_fused(P, y, c); else forward_reference(P, y, c);
  }
  // the time loop: W_hh h_{t-1}, then the bias and each step's gate lines in one pass (kern::gru_fwd: the arithmetic of
  // forward_reference)
  void forward_fused(Params<T>& P, Mat<T>& y, const Ctx& c) {
    const int B = c.B, H = R::H;
    auto Whh = P.w(R::Whh);
    auto bhh = P.v(R::bhh);
    for (int t = 0; t < c.T; ++t) {
      auto s = S.middleCols(t * B, B);                               // (3H, B)
      if (t > 0) { gh.resize(3 * H, B); mul_wx(Whh, y.middleCols((t - 1) * B, B), gh, false); }
      kern::gru_fwd(s.data(), int(S.outerStride()), t > 0 ? gh.data() : nullptr, bhh.data(),
                    t > 0 ? &y(0, (t - 1) * B) : nullptr, &HN(0, t * B), &y(0, t * B), H, H, B);
    }
  }
  // the time loop as Eigen expressions (the double path, which the gradient checks run)
  void forward_reference(Params<T>& P, Mat<T>& y, const Ctx& c) {
    const int B = c.B, H = R::H;
    auto Whh = P.w(R::Whh);
    auto bhh = P.v(R::bhh);
    for (int t = 0; t < c.T; ++t) {
      auto s = S.middleCols(t * B, B);                               // (3H, B)
      if (t > 0) { gh.resize(3 * H, B); mul_wx(Whh, y.middleCols((t - 1) * B, B), gh, false); gh.colwise() += bhh; }
      else gh = bhh.replicate(1, B);
      s.topRows(2 * H) += gh.topRows(2 * H);
      sigmoid_inplace(s.topRows(2 * H));
      HN.middleCols(t * B, B) = gh.bottomRows(H);
      s.bottomRows(H).array() += s.topRows(H).array() * gh.bottomRows(H).array();
      tanh_inplace(s.bottomRows(H));
      auto yt = y.middleCols(t * B, B);                              // (H, B)
      yt = ((1 - s.middleRows(H, H).array()) * s.bottomRows(H).array()).matrix();
      if (t > 0) yt += s.middleRows(H, H).cwiseProduct(y.middleCols((t - 1) * B, B));
    }
  }
  void backward(Params<T>& P, const Mat<T>& x, const Mat<T>& y, const Mat<T>& dy, Mat<T>* dx, const Ctx& c) override {
    const int B = c.B, H = R::H, N = int(x.cols());
    R::start_backward(c);
    dGx.resize(3 * H, N);
    dGh.resize(3 * H, N);
    R::dh.resize(H, B);
    if constexpr (std::is_same_v<T, float>) backward_fused(P, y, dy, c); else backward_reference(P, y, dy, c);
    R::finish_backward(P, x, y, dGx, dGh, dx, c);
  }
  // the time loop, each step's gradient lines in one pass (kern::gru_bwd: dhn = dh⊙z first, then += W_hhᵀ·dGh)
  void backward_fused(Params<T>& P, const Mat<T>& y, const Mat<T>& dy, const Ctx& c) {
    const int B = c.B, H = R::H;
    auto Whh = P.w(R::Whh);
    for (int t = c.T - 1; t >= 0; --t) {
      kern::gru_bwd(&dy(0, t * B), R::dhn.data(), R::dh.data(), &S(0, t * B), 3 * H, &HN(0, t * B),
                    t > 0 ? &y(0, (t - 1) * B) : nullptr, H, &dGx(0, t * B), &dGh(0, t * B), 3 * H, H, B);
      if (c.probe) R::grad_t[t] = R::dh.norm();
      if (t > 0) mul_wtd(Whh, dGh.middleCols(t * B, B), R::dhn, true);
    }
  }
  // the time loop as Eigen expressions (the double path)
  void backward_reference(Params<T>& P, const Mat<T>& y, const Mat<T>& dy, const Ctx& c) {
    const int B = c.B, H = R::H;
    auto Whh = P.w(R::Whh);
    for (int t = c.T - 1; t >= 0; --t) {
      R::dh = dy.middleCols(t * B, B) + R::dhn;                               // (H, B)
      if (c.probe) R::grad_t[t] = R::dh.norm();
      auto s = S.middleCols(t * B, B).array();                                // (3H, B)
      auto r = s.topRows(H), z = s.middleRows(H, H), n = s.bottomRows(H);
      auto dh = R::dh.array();
      auto gx = dGx.middleCols(t * B, B).array();                             // (3H, B)
      auto ghd = dGh.middleCols(t * B, B).array();                            // (3H, B)
      // h = (1−z)⊙n + z⊙h_prev
      if (t > 0) gx.middleRows(H, H) = dh * (y.middleCols((t - 1) * B, B).array() - n) * z * (1 - z);
      else gx.middleRows(H, H) = dh * (-n) * z * (1 - z);
      gx.bottomRows(H) = dh * (1 - z) * (1 - n * n);                          // through n = tanh(a_n)
      // a_n = W_in x + b_in + r⊙(W_hn h + b_hn)
      gx.topRows(H) = gx.bottomRows(H) * HN.middleCols(t * B, B).array() * r * (1 - r);
      ghd.topRows(2 * H) = gx.topRows(2 * H);
      ghd.bottomRows(H) = gx.bottomRows(H) * r;
      if (t > 0) { mul_wtd(Whh, dGh.middleCols(t * B, B), R::dhn, false); R::dhn.array() += dh * z; }
    }
  }
};

// ---------------------------------------------------------------------------------------------------------------------
// nn.LayerNorm over the features of each column: y = γ⊙(x − μ)/√(σ² + ε) + β
template <class T> struct LayerNorm : Layer<T> {
  int F, gamma, beta; T eps = T(1e-5);
  Mat<T> xhat;                 // (F, N)
  Eigen::Matrix<T, 1, Eigen::Dynamic> inv;  // (N) 1/√(σ² + ε) per column
  Mat<T> g;                                  // (F, N) backward scratch ∂L/∂x̂
  Eigen::Matrix<T, 1, Eigen::Dynamic> gm, gxm;  // (N) column means of g and g⊙x̂
  LayerNorm(int f, int g, int b) : F(f), gamma(g), beta(b) {}
  int out_size() const override { return F; }
  void forward(Params<T>& P, const Mat<T>& x, Mat<T>& y, const Ctx&) override {
    gm = x.colwise().mean();  // μ per column (gm is reused as scratch)
    xhat = x.rowwise() - gm;
    inv = ((xhat.array().square().colwise().sum() / T(F)) + eps).rsqrt().matrix();
    xhat = xhat * inv.asDiagonal();
    y = P.v(gamma).asDiagonal() * xhat;
    y.colwise() += P.v(beta);
  }
  void backward(Params<T>& P, const Mat<T>&, const Mat<T>&, const Mat<T>& dy, Mat<T>* dx, const Ctx&) override {
    P.dv(gamma) += dy.cwiseProduct(xhat).rowwise().sum();
    P.dv(beta) += dy.rowwise().sum();
    if (!dx) return;
    g.noalias() = P.v(gamma).asDiagonal() * dy;  // ∂L/∂x̂
    gm = g.colwise().mean();
    gxm = g.cwiseProduct(xhat).colwise().mean();
    // x̂ = (x − μ)·inv  ⇒  dx = inv·(g − mean(g) − x̂·mean(g⊙x̂)), per column
    *dx = ((g.rowwise() - gm) - xhat * gxm.asDiagonal()) * inv.asDiagonal();
  }
};

// nn.BatchNorm1d over the columns (all batch entries and time steps) of each feature:
// y = γ⊙(x − μ_B)/√(σ²_B + ε) + β while training (running statistics updated with momentum 0.1), running stats in eval
template <class T> struct BatchNorm : Layer<T> {
  int F, gamma, beta, rmean, rvar; T eps = T(1e-5), momentum = T(0.1);
  Mat<T> xhat;   // (F, N)
  Vec<T> inv;    // (F)
  Mat<T> g;      // (F, N) backward scratch ∂L/∂x̂
  Vec<T> mu, var, gm, gxm;  // (F) batch mean and variance; means of g and g⊙x̂
  BatchNorm(int f, int g, int b, int rm, int rv) : F(f), gamma(g), beta(b), rmean(rm), rvar(rv) {}
  int out_size() const override { return F; }
  void forward(Params<T>& P, const Mat<T>& x, Mat<T>& y, const Ctx& c) override {
    const T N = T(x.cols());
    if (c.train) {
      mu = x.rowwise().mean();
      xhat = x.colwise() - mu;
      var = xhat.array().square().rowwise().sum() / N;
      inv = (var.array() + eps).rsqrt().matrix();
      auto rm = P.buf(rmean);
      auto rv = P.buf(rvar);
      rm = (1 - momentum) * rm + momentum * mu;
      rv = (1 - momentum) * rv + momentum * var * (N > 1 ? N / (N - 1) : T(1));  // torch keeps the unbiased variance
    } else {
      xhat = x.colwise() - P.buf(rmean);
      inv = (P.buf(rvar).array() + eps).rsqrt().matrix();
    }
    xhat = inv.asDiagonal() * xhat;
    y = P.v(gamma).asDiagonal() * xhat;
    y.colwise() += P.v(beta);
  }
  void backward(Params<T>& P, const Mat<T>& x, const Mat<T>&, const Mat<T>& dy, Mat<T>* dx, const Ctx& c) override {
    P.dv(gamma) += dy.cwiseProduct(xhat).rowwise().sum();
    P.dv(beta) += dy.rowwise().sum();
    if (!dx) return;
    g.noalias() = P.v(gamma).asDiagonal() * dy;
    if (!c.train) { *dx = inv.asDiagonal() * g; return; }
    const T N = T(x.cols());
    gm = g.rowwise().sum() / N;
    gxm = g.cwiseProduct(xhat).rowwise().sum() / N;
    // x̂ = (x − μ_B)·inv  ⇒  dx = inv·(g − mean(g) − x̂·mean(g⊙x̂)), per feature over the batch
    *dx = inv.asDiagonal() * ((g.colwise() - gm) - gxm.asDiagonal() * xhat);
  }
};

// Inverted dropout: y = x⊙m/(1−p), m ~ Bernoulli(1−p) while training; y = x in evaluation.
template <class T> struct Dropout : Layer<T> {
  int F; T p;
  Mat<T> mask;  // (F, N) 0 or 1/(1−p)
  Dropout(int f, T p_) : F(f), p(p_) {}
  int out_size() const override { return F; }
  void forward(Params<T>&, const Mat<T>& x, Mat<T>& y, const Ctx& c) override {
    if (!c.train || p <= T(0)) { y = x; return; }
    mask.resize(x.rows(), x.cols());
    const T keep = T(1) / (T(1) - p);
    for (Eigen::Index j = 0; j < mask.cols(); ++j)
      for (Eigen::Index i = 0; i < mask.rows(); ++i) mask(i, j) = c.rng->uniform() >= double(p) ? keep : T(0);
    y = x.cwiseProduct(mask);
  }
  void backward(Params<T>&, const Mat<T>&, const Mat<T>&, const Mat<T>& dy, Mat<T>* dx, const Ctx& c) override {
    if (!dx) return;
    if (!c.train || p <= T(0)) *dx = dy; else *dx = dy.cwiseProduct(mask);
  }
};

// ---------------------------------------------------------------------------------------------------------------------
// Layers applied in order; keeps every intermediate output for backward.
template <class T> struct Sequential : Layer<T> {
  std::vector<std::unique_ptr<Layer<T>>> layers;
  std::vector<Mat<T>> outs, grads;  // outs[i] = output of layer i; grads: ping-pong buffers for backward
  int in_size = 0;
  int out_size() const override { return layers.empty() ? in_size : layers.back()->out_size(); }
  void forward(Params<T>& P, const Mat<T>& x, Mat<T>& y, const Ctx& c) override {
    outs.resize(layers.size());
    const Mat<T>* cur = &x;
    for (size_t i = 0; i < layers.size(); ++i) { layers[i]->forward(P, *cur, outs[i], c); cur = &outs[i]; }
    y = *cur;
  }
  void backward(Params<T>& P, const Mat<T>& x, const Mat<T>&, const Mat<T>& dy, Mat<T>* dx, const Ctx& c) override {
    grads.resize(2);
    const Mat<T>* g = &dy;
    for (size_t k = layers.size(); k-- > 0;) {
      const Mat<T>& in = k == 0 ? x : outs[k - 1];
      Mat<T>* out = k == 0 ? dx : &grads[k % 2];
      layers[k]->backward(P, in, outs[k], *g, out, c);
      g = out;
      if (!g) return;
    }
    if (layers.empty() && dx) *dx = dy;
  }
};

// y = x + F(x) (He et al. 2016); F is a Sequential with out_size == in_size.
template <class T> struct Residual : Layer<T> {
  Sequential<T> f;
  Mat<T> fx, dfx;
  int out_size() const override { return f.out_size(); }
  void forward(Params<T>& P, const Mat<T>& x, Mat<T>& y, const Ctx& c) override {
    f.forward(P, x, fx, c);
    y = x + fx;
  }
  void backward(Params<T>& P, const Mat<T>& x, const Mat<T>&, const Mat<T>& dy, Mat<T>* dx, const Ctx& c) override {
    f.backward(P, x, fx, dy, dx ? &dfx : nullptr, c);
    if (dx) *dx = dy + dfx;
  }
};

}  // namespace rnnlab
