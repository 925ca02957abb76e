// model.hpp — a model built from a ModelSpec: blocks of (cell | dense) → norm → residual → dropout, then a linear head.
// Not the training loop (run.hpp) and not config parsing (config.hpp): this only stacks layers and names parameters.
#pragma once
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "init.hpp"
#include "layers.hpp"

namespace rnnlab {

enum class Cell { Rnn, Lstm, Gru, Mlp };
enum class Norm { None, Batch, Layer };

struct ModelSpec {
  Cell cell = Cell::Lstm;
  int inputs = 1, hidden = 32, layers = 1, outputs = 1;
  bool relu_rnn = false;        // nn.RNN(nonlinearity="relu")
  bool selu_rnn = false;        // nonlinearity "selu" (not in nn.RNN; layers.hpp RnnCell gives the formula)
  Act activation = Act::Tanh;   // mlp blocks
  bool residual = false;        // y = x + F(x) on every block whose input size equals its output size
  double dropout = 0.0;         // inverted dropout after every block
  Norm norm = Norm::None;
  bool every = false;           // head reads every time step (true) or the last one (false)
  InitSpec w_init, r_init, b_init;  // weights (input side / dense), recurrent weights, biases
  InitSpec head_init;               // head.weight (default: torch's nn.Linear default); head.bias follows bias_zero
  bool bias_zero = false;
  double forget_bias = 0.0;     // added to the LSTM forget-gate slice of bias_ih after initialisation
};

// Per-block probes, filled by forward (activations) and backward (gradients).
constexpr int kHistBins = 40;          // activation histogram: 40 bins over [−kHistRange, kHistRange], outliers in the end bins
constexpr double kHistRange = 4.0;
template <class T> struct BlockProbe {
  T act_mean = 0, act_std = 0, grad_norm = 0;
  T unit_spread = 0;                   // mean over columns of the std across units: 0 iff every unit computes the same
  std::vector<T> act_std_t;            // std of the block's output at each time step
  std::vector<T> hist;                 // kHistBins fractions of the block's outputs
};

template <class T> struct Model {
  ModelSpec spec;
  Params<T> P;
  std::vector<std::unique_ptr<Layer<T>>> blocks;
  std::vector<Recurrent<T>*> cells;   // the recurrent cell of each block (rnn/lstm/gru models), for per-step probes
  std::unique_ptr<Linear<T>> head;
  std::vector<Mat<T>> outs, douts;    // (H, T·B) output of block k and ∂L/∂ of it
  Mat<T> hsel, dhsel, yhat;           // head input (H, B or T·B), its gradient, head output (outputs, …)
  std::vector<BlockProbe<T>> probes;

  explicit Model(const ModelSpec& s) : spec(s) { build(); }

  // The number of trainable parameters build() allocates for s, without allocating (tests/native/run.test.cpp checks
  // it against P.size()): per block gates·H·(in + H + 2) (cells) or H·(in + 1) (mlp), 2H for a norm; head out·(in + 1).
  static double count_params(const ModelSpec& s) {
    const double H = s.hidden, gates = s.cell == Cell::Lstm ? 4 : s.cell == Cell::Gru ? 3 : 1;
    double count = 0, in = s.inputs;
    for (int k = 0; k < s.layers; ++k, in = H)
      count += (s.cell == Cell::Mlp ? H * (in + 1) : gates * H * (in + H + 2)) + (s.norm != Norm::None ? 2 * H : 0);
    return count + s.outputs * (in + 1);
  }

  void build() {
    const ModelSpec& s = spec;
    int in = s.inputs;
    for (int k = 0; k < s.layers; ++k) {
      auto seq = std::make_unique<Sequential<T>>();
      seq->in_size = in;
      const std::string l = std::to_string(k);
      if (s.cell == Cell::Mlp) {
        int W = P.add("mlp." + l + ".weight", s.hidden, in, ParamKind::DenseWeight, k);
        int b = P.add("mlp." + l + ".bias", s.hidden, 0, ParamKind::DenseBias, k);
        seq->layers.push_back(std::make_unique<Linear<T>>(in, s.hidden, W, b));
        add_norm(*seq, k);
        seq->layers.push_back(std::make_unique<Activation<T>>(s.activation, s.hidden));
      } else {
        const int gates = s.cell == Cell::Lstm ? 4 : s.cell == Cell::Gru ? 3 : 1;
        std::unique_ptr<Recurrent<T>> cell;
        if (s.cell == Cell::Lstm) cell = std::make_unique<LstmCell<T>>();
        else if (s.cell == Cell::Gru) cell = std::make_unique<GruCell<T>>();
        else { auto r = std::make_unique<RnnCell<T>>(); r->relu = s.relu_rnn; r->selu = s.selu_rnn; cell = std::move(r); }
        cell->in = in; cell->H = s.hidden; cell->gates = gates;
        cell->Wih = P.add("rnn.weight_ih_l" + l, gates * s.hidden, in, ParamKind::WeightIH, k);
        cell->Whh = P.add("rnn.weight_hh_l" + l, gates * s.hidden, s.hidden, ParamKind::WeightHH, k);
        cell->bih = P.add("rnn.bias_ih_l" + l, gates * s.hidden, 0, ParamKind::BiasIH, k);
        cell->bhh = P.add("rnn.bias_hh_l" + l, gates * s.hidden, 0, ParamKind::BiasHH, k);
        cells.push_back(cell.get());
        seq->layers.push_back(std::move(cell));
        add_norm(*seq, k);
      }
      std::unique_ptr<Layer<T>> block;
      if (s.residual && in == s.hidden) {
        auto res = std::make_unique<Residual<T>>();
        res->f = std::move(*seq);
        auto outer = std::make_unique<Sequential<T>>();
        outer->in_size = in;
        outer->layers.push_back(std::move(res));
        seq = std::move(outer);
      }
      if (s.dropout > 0) seq->layers.push_back(std::make_unique<Dropout<T>>(s.hidden, T(s.dropout)));
      blocks.push_back(std::move(seq));
      in = s.hidden;
    }
    int hW = P.add("head.weight", s.outputs, in, ParamKind::HeadWeight, -1);
    int hb = P.add("head.bias", s.outputs, 0, ParamKind::HeadBias, -1);
    head = std::make_unique<Linear<T>>(in, s.outputs, hW, hb);
    outs.resize(blocks.size());
    douts.resize(blocks.size());
    probes.resize(blocks.size());
  }

  void add_norm(Sequential<T>& seq, int k) {
    if (spec.norm == Norm::None) return;
    const std::string l = std::to_string(k);
    int g = P.add("norm." + l + ".weight", spec.hidden, 0, ParamKind::NormWeight, k);
    int b = P.add("norm." + l + ".bias", spec.hidden, 0, ParamKind::NormBias, k);
    if (spec.norm == Norm::Layer) seq.layers.push_back(std::make_unique<LayerNorm<T>>(spec.hidden, g, b));
    else {
      int rm = P.add_buffer("norm." + l + ".running_mean", spec.hidden, T(0), k);
      int rv = P.add_buffer("norm." + l + ".running_var", spec.hidden, T(1), k);
      seq.layers.push_back(std::make_unique<BatchNorm<T>>(spec.hidden, g, b, rm, rv));
    }
  }

  // Initialise every parameter in state_dict order from one stream (same seed → same weights everywhere).
  void initialize(Rng& rng) {
    const int H = spec.hidden;
    const bool rnn = spec.cell != Cell::Mlp;
    for (size_t i = 0; i < P.info.size(); ++i) {
      const ParamInfo& p = P.info[i];
      const int fan_in = p.cols ? p.cols : 1;
      InitSpec s;
      switch (p.kind) {
        case ParamKind::WeightIH: case ParamKind::DenseWeight: s = spec.w_init; break;
        case ParamKind::WeightHH: s = spec.r_init; break;
        case ParamKind::BiasIH: case ParamKind::BiasHH: case ParamKind::DenseBias: s = spec.b_init; break;
        case ParamKind::HeadWeight: s = spec.head_init; break;
        case ParamKind::HeadBias: s = InitSpec{}; break;
        case ParamKind::NormWeight: P.v(int(i)).setOnes(); continue;
        case ParamKind::NormBias: P.v(int(i)).setZero(); continue;
      }
      // torch defaults: RNN cells U(±1/√hidden) for all; Linear U(±1/√fan_in) for weight and bias
      const int bound_n = (rnn && p.kind != ParamKind::HeadWeight && p.kind != ParamKind::HeadBias) ? H
                          : (p.kind == ParamKind::DenseBias) ? P.info[i - 1].cols
                          : (p.kind == ParamKind::HeadBias) ? P.info[i - 1].cols : fan_in;
      s.default_bound = 1.0 / std::sqrt(double(bound_n));
      const bool bias = !p.cols;
      if (bias && spec.bias_zero) s.kind = Init::Zeros;  // (no draws, and the forget bias below still applies)
      WMap<T> W(P.value.data() + p.offset, p.rows, p.cols ? p.cols : 1);
      if (bias && s.kind != Init::Default && s.kind != Init::Constant && s.kind != Init::Zeros && s.kind != Init::Uniform &&
          s.kind != Init::Normal)
        s.kind = Init::Zeros;  // fan-based initialisers make no sense for a bias
      init_weight<T>(W, s, rng);
      if (p.kind == ParamKind::BiasIH && spec.cell == Cell::Lstm && spec.forget_bias != 0.0)
        P.v(int(i)).segment(H, H).array() += T(spec.forget_bias);
    }
  }

  int out_rows() const { return spec.outputs; }

  // ŷ = head(h_T) (readout last) or head(h_t) for every t; x (inputs, T·B) → yhat (outputs, B or T·B)
  const Mat<T>& forward(const Mat<T>& x, const Ctx& c) {
    const Mat<T>* cur = &x;
    for (size_t k = 0; k < blocks.size(); ++k) {
      blocks[k]->forward(P, *cur, outs[k], c);
      cur = &outs[k];
      if (c.probe) probe_activations(k, c);
    }
    if (spec.every) hsel = *cur; else hsel = cur->rightCols(c.B);
    head->forward(P, hsel, yhat, c);
    return yhat;
  }

  void probe_activations(size_t k, const Ctx& c) {
    const Mat<T>& o = outs[k];
    BlockProbe<T>& p = probes[k];
    auto stats = [](const auto& m, T& mean, T& sd) {  // two passes in double: equal values give sd = 0 exactly
      const double n = double(m.size()), mu = m.template cast<double>().sum() / n;
      mean = T(mu);
      sd = T(std::sqrt((m.template cast<double>().array() - mu).square().sum() / n));
    };
    stats(o, p.act_mean, p.act_std);
    T spread = 0;
    for (Eigen::Index j = 0; j < o.cols(); ++j) { T m, sd; stats(o.col(j), m, sd); spread += sd; }
    p.unit_spread = o.cols() ? spread / T(o.cols()) : T(0);
    p.act_std_t.resize(size_t(c.T));
    for (int t = 0; t < c.T; ++t) { T m; stats(o.middleCols(t * c.B, c.B), m, p.act_std_t[size_t(t)]); }
    p.hist.assign(kHistBins, T(0));
    const double w = 2 * kHistRange / kHistBins;
    for (Eigen::Index i = 0; i < o.size(); ++i) {
      const int b = int(std::floor((double(o.data()[i]) + kHistRange) / w));
      p.hist[size_t(std::min(kHistBins - 1, std::max(0, b)))] += T(1);
    }
    for (T& h : p.hist) h /= T(o.size());
  }

  // Accumulates ∂L/∂θ into P.grad from dyhat = ∂L/∂ŷ (same shape as yhat).
  void backward(const Mat<T>& x, const Mat<T>& dyhat, const Ctx& c) {
    head->backward(P, hsel, yhat, dyhat, blocks.empty() ? nullptr : &dhsel, c);
    if (blocks.empty()) return;
    Mat<T>& dlast = douts.back();
    if (spec.every) dlast = dhsel;
    else { dlast.setZero(outs.back().rows(), outs.back().cols()); dlast.rightCols(c.B) = dhsel; }
    for (size_t k = blocks.size(); k-- > 0;) {
      if (c.probe) probes[k].grad_norm = douts[k].norm();
      const Mat<T>& in = k == 0 ? x : outs[k - 1];
      blocks[k]->backward(P, in, outs[k], douts[k], k == 0 ? nullptr : &douts[k - 1], c);
    }
  }
};

}  // namespace rnnlab
