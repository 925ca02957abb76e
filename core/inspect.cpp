// inspect.cpp — the run at work, without changing it: predict (outputs for given inputs), inspect (one sequence's hidden
// states and gates per layer), generate (text sampled byte by byte). Not training: evaluation mode only; no weight,
// optimizer state, RNG stream or history is touched (the model's forward buffers are scratch every step rewrites).
// Arrays cross as flat float32 vectors in a fixed order (docs/api.md): no JSON here, it costs wasm size and time.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "inspect.hpp"
#include "run.hpp"

// once per call, not per step: optimised for size in the wasm build, as run.cpp's set-up code (the forward keeps -O3)
#if defined(__EMSCRIPTEN__)
#pragma clang attribute push(__attribute__((minsize)), apply_to = function)
#endif

namespace rnnlab {

namespace {

// "<what> = <v>: not allowed; allowed: <allowed>" (the config's wording)
[[noreturn]] void refuse(const char* what, double v, const std::string& allowed) {
  char b[48];
  std::snprintf(b, sizeof b, " = %g: not allowed; allowed: ", v);
  throw ConfigError(what + std::string(b) + allowed);
}

void check_range(const char* what, double v, double lo, double hi, const char* allowed) {
  if (!(v >= lo && v <= hi) || v != std::floor(v)) refuse(what, v, allowed);
}

// ŷ = model(X) in evaluation mode, X (in, T·B) → (out, B) or (out, T·B); softmax per column for class tasks
Mat<float> eval_forward(Model<float>& m, const Mat<float>& X, int T, int B, bool classes) {
  const double acts = double(T) * B * m.spec.hidden * m.spec.layers;
  if (acts > caps::activations) refuse("length·hidden·layers", acts, "at most 8e6");
  Ctx c;
  c.T = T; c.B = B; c.train = false;
  Mat<float> y = m.forward(X, c);
  if (classes) {  // p = softmax(z) from loss.hpp's cross-entropy gradient against class 0: (p − onehot(0))/N
    Mat<float> p;
    std::vector<int> zero(size_t(y.cols()), 0);
    cross_entropy_loss<float>(y, zero.data(), p);
    y = p * float(y.cols());
    y.row(0).array() += 1.f;
  }
  return y;
}

// appends the (rows, T) column-major block at src (T columns ld floats apart) as [T][rows]
void put(std::vector<float>& out, const float* src, int rows, int T, int ld) {
  size_t o = out.size();
  out.resize(o + size_t(rows) * T);
  for (int t = 0; t < T; ++t, o += size_t(rows)) std::memcpy(&out[o], src + size_t(t) * ld, sizeof(float) * size_t(rows));
}

}  // namespace

// x [B][T][in] (row-major) → out [B][outputs] or [B][T][outputs]
void Run::predict(const std::vector<float>& x, int B, int T, std::vector<float>& out) {
  const Dataset& d = task_.train;
  check_range("predict: B", B, 1, caps::batch, "1 to 1024");
  check_range("predict: T", T, 1, caps::length, "1 to 2000");
  if (x.size() != size_t(B) * T * d.in) refuse("predict: inputs", double(x.size()), "B·T·inputs numbers");
  const ModelSpec& s = config_.model;
  const int chunk = std::max(1, std::min(B, int(caps::activations / (double(T) * s.hidden * s.layers))));
  out.clear();
  Mat<float> X;
  for (int b0 = 0; b0 < B; b0 += chunk) {
    const int n = std::min(chunk, B - b0);
    X.resize(d.in, Eigen::Index(T) * n);  // (in, T·n): sample b, step t at column t·n + b
    for (int b = 0; b < n; ++b)
      for (int t = 0; t < T; ++t)
        for (int k = 0; k < d.in; ++k) X(k, t * n + b) = x[(size_t(b0 + b) * T + t) * d.in + k];
    if (!X.allFinite()) refuse("predict: inputs", NAN, "finite numbers");
    const Mat<float> y = eval_forward(*model_, X, T, n, d.classes);
    for (int b = 0; b < n; ++b) put(out, y.data() + b * s.outputs, s.outputs, s.every ? T : 1, n * s.outputs);
  }
}

// out: inputs [T][in], output [T][outputs] or [outputs], target (sample only: as output; class indices [T] or one),
// then per block h [T][H], c [T][H] (LSTM), the gates [T][H] each (LSTM i, f, g, o; GRU r, z, n)
void Run::inspect(int sample, const std::vector<float>& x, std::vector<float>& out) {
  const Dataset& d = task_.val.n ? task_.val : task_.train;
  const ModelSpec& s = config_.model;
  Mat<float> X, Y;
  std::vector<int> labels;
  int T = d.T;
  if (sample >= 0) {
    if (sample >= d.n) refuse("inspect.sample", sample, "an integer from 0 to " + std::to_string(d.n - 1));
    gather(d, {sample}, X, Y, labels);
  } else {
    T = x.size() % size_t(d.in) ? 0 : int(x.size()) / d.in;
    check_range("inspect.inputs: T", T, 1, caps::length, "1 to 2000 steps");
    X = Eigen::Map<const Mat<float>>(x.data(), d.in, T);  // [T][in] row-major = (in, T) column-major
    if (!X.allFinite()) refuse("inspect.inputs", NAN, "finite numbers");
  }
  Model<float>& m = *model_;
  const Mat<float> y = eval_forward(m, X, T, 1, d.classes);
  out.clear();
  put(out, X.data(), int(X.size()), 1, 0);
  put(out, y.data(), int(y.size()), 1, 0);
  if (sample >= 0) {
    for (int l : labels) out.push_back(float(l));  // class tasks
    put(out, Y.data(), int(Y.size()), 1, 0);        // regression tasks
  }
  const int H = s.hidden;
  for (size_t k = 0; k < m.blocks.size(); ++k) {
    if (s.cell == Cell::Mlp) { put(out, m.outs[k].data(), H, T, H); continue; }  // a dense block's output
    Sequential<float>& seq = cell_seq(m, k);
    put(out, seq.outs[0].data(), H, T, H);  // the cell's h_t (H, T), before norm / residual / dropout
    if (s.cell == Cell::Lstm) {
      auto& cell = static_cast<LstmCell<float>&>(*seq.layers[0]);  // C (H, T); G (4H, T) rows [i; f; g; o] after σ/tanh
      put(out, cell.C.data(), H, T, H);
      for (int q = 0; q < 4; ++q) put(out, cell.G.data() + q * H, H, T, 4 * H);
    } else if (s.cell == Cell::Gru) {
      auto& cell = static_cast<GruCell<float>&>(*seq.layers[0]);    // S (3H, T) rows [r; z; n] after σ/tanh
      for (int q = 0; q < 3; ++q) put(out, cell.S.data() + q * H, H, T, 3 * H);
    }
  }
}

// text task (prime "": the corpus's first byte): each next byte from softmax(logits / temperature) (argmax at 0) of a forward pass over the last
// `task.length` bytes from a zero state — the windows the model was trained on
std::string Run::generate(std::string prime, double length, double temperature, double seed) {
  if (task_.name != "text") throw ConfigError("generate: task '" + task_.name + "': allowed: only the text task");
  check_range("generate.length", length, 0, caps::length, "an integer from 0 to 2000");
  if (!(temperature >= 0 && temperature <= 1e6)) refuse("generate.temperature", temperature, "a number from 0 to 1e6");
  check_range("generate.seed", seed, 0, 4294967295.0, "an integer from 0 to 2^32-1");
  const std::string& voc = task_.vocab;
  if (prime.empty()) prime = config_.task.text.empty() ? std::string(1, kDefaultCorpus[0]) : config_.task.text.substr(0, 1);
  if (prime.size() > size_t(caps::length)) refuse("generate.prime: bytes", double(prime.size()), "at most 2000");
  for (unsigned char ch : prime)
    if (voc.find(char(ch)) == std::string::npos) refuse("generate.prime: byte", ch, "bytes of the corpus");
  Rng rng{uint64_t(seed)};
  std::string text = prime;
  const int V = int(voc.size()), W = task_.train.T;
  Mat<float> X;
  std::vector<double> p(static_cast<size_t>(V));
  for (int i = 0; i < int(length); ++i) {
    const int n = std::min(W, int(text.size()));
    X.setZero(V, n);  // (V, n) one-hot of the window
    for (int t = 0; t < n; ++t) X(Eigen::Index(voc.find(text[text.size() - size_t(n - t)])), t) = 1;
    const Mat<float> z = eval_forward(*model_, X, n, 1, false);  // (V, n) logits; the last column predicts the next byte
    Eigen::Index best;
    const double zmax = z.col(n - 1).maxCoeff(&best);
    int pick = int(best);
    if (temperature > 0) {  // p ∝ exp((z − max)/temperature); the first index where the running sum passes u·Σp
      double sum = 0;
      for (int v = 0; v < V; ++v) sum += p[size_t(v)] = std::exp((double(z(v, n - 1)) - zmax) / temperature);
      double u = rng.uniform() * sum;
      for (pick = 0; pick < V - 1 && (u -= p[size_t(pick)]) >= 0; ++pick) {}
    }
    text += voc[size_t(pick)];
  }
  return text.substr(prime.size());
}

}  // namespace rnnlab

#if defined(__EMSCRIPTEN__)
#pragma clang attribute pop
#endif
