// tasks.cpp — the task generators and the custom-data reader.
// Not randomness of its own: every draw comes from the data stream passed in, in a fixed order.
#include "tasks.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace rnnlab {

using nlohmann::json;

const char* const kDefaultCorpus =
    "Alice was beginning to get very tired of sitting by her sister on the bank, and of having nothing to do: once or "
    "twice she had peeped into the book her sister was reading, but it had no pictures or conversations in it, and what "
    "is the use of a book, thought Alice, without pictures or conversations? So she was considering in her own mind (as "
    "well as she could, for the hot day made her feel very sleepy and stupid), whether the pleasure of making a "
    "daisy-chain would be worth the trouble of getting up and picking the daisies, when suddenly a White Rabbit with "
    "pink eyes ran close by her. There was nothing so very remarkable in that; nor did Alice think it so very much out "
    "of the way to hear the Rabbit say to itself, Oh dear! Oh dear! I shall be late! But when the Rabbit actually took "
    "a watch out of its waistcoat-pocket, and looked at it, and then hurried on, Alice started to her feet, for it "
    "flashed across her mind that she had never before seen a rabbit with either a waistcoat-pocket, or a watch to take "
    "out of it, and burning with curiosity, she ran across the field after it, and fortunately was just in time to see "
    "it pop down a large rabbit-hole under the hedge. In another moment down went Alice after it, never once "
    "considering how in the world she was to get out again.";

// The generators and make_task run once per run: optimised for size in the wasm build (clang's minsize; no effect on the
// numbers). gather(), below the region, runs every step and keeps -O3: Eigen at -Oz calls every coefficient access.
#if defined(__EMSCRIPTEN__)
#pragma clang attribute push(__attribute__((minsize)), apply_to = function)
#endif

namespace {

Dataset alloc(int n, int T, int in, int out, bool every, bool classes) {
  Dataset d;
  d.n = n; d.T = T; d.in = in; d.out = out; d.every = every; d.classes = classes;
  d.X.setZero(in, Eigen::Index(n) * T);
  if (classes) d.labels.assign(size_t(every ? n * T : n), 0);
  else d.Y.setZero(out, every ? Eigen::Index(n) * T : n);
  return d;
}

// adding problem (Hochreiter & Schmidhuber 1997; Le et al. 2015): channel 0 ~ U(0,1), channel 1 marks one step in
// each half; target = sum of the two marked values. Predicting the mean (1) scores Var = 1/6.
Dataset adding(int n, int T, Rng& rng) {
  Dataset d = alloc(n, T, 2, 1, false, false);
  for (int i = 0; i < n; ++i) {
    for (int t = 0; t < T; ++t) d.X(0, i * T + t) = float(rng.uniform());
    const int half = std::max(1, T / 2);
    const int a = int(rng.below(uint32_t(half)));
    const int b = T > 1 ? std::min(T - 1, half + int(rng.below(uint32_t(std::max(1, T - half))))) : 0;
    d.X(1, i * T + a) = 1;
    d.X(1, i * T + b) = 1;
    d.Y(0, i) = d.X(0, i * T + a) + (a == b ? 0.f : d.X(0, i * T + b));
  }
  return d;
}

// sine: x_t = sin(ω t + φ) + noise·N(0,1), ω ~ U(0.1, 0.4), φ ~ U(0, 2π); target the clean next value, or its direction.
Dataset sine(int n, int T, double noise, bool direction, Rng& rng) {
  Dataset d = alloc(n, T, 1, direction ? 2 : 1, false, direction);
  for (int i = 0; i < n; ++i) {
    const double w = rng.uniform(0.1, 0.4), phi = rng.uniform(0.0, 6.283185307179586);
    for (int t = 0; t < T; ++t) d.X(0, i * T + t) = float(std::sin(w * t + phi) + (noise > 0 ? noise * rng.normal() : 0.0));
    const double next = std::sin(w * T + phi), last = std::sin(w * (T - 1) + phi);
    if (direction) d.labels[i] = next > last ? 1 : 0;
    else d.Y(0, i) = float(next);
  }
  return d;
}

// copy/memory (Hochreiter & Schmidhuber 1997; Arjovsky et al. 2016): L symbols, D blanks, then recall the symbols.
// Input one-hot over K symbols + blank (K) + go marker (K+1); T = 2L + D; targets: blank until the go marker, then the symbols.
Dataset copy_task(int n, int L, int D, int K, Rng& rng) {
  const int T = 2 * L + D;
  Dataset d = alloc(n, T, K + 2, K + 1, true, true);
  for (int i = 0; i < n; ++i) {
    std::vector<int> s(L);
    for (int t = 0; t < L; ++t) s[t] = int(rng.below(uint32_t(K)));
    for (int t = 0; t < T; ++t) {
      int ch = K;
      if (t < L) ch = s[t];
      else if (t == L + D - 1 || (D == 0 && t == L)) ch = K + 1;
      d.X(ch, i * T + t) = 1;
      d.labels[size_t(i * T + t)] = t >= L + D ? s[t - L - D] : K;
    }
  }
  return d;
}

// parity: bits as ±1; class = XOR of all bits.
Dataset parity(int n, int T, Rng& rng) {
  Dataset d = alloc(n, T, 1, 2, false, true);
  for (int i = 0; i < n; ++i) {
    int p = 0;
    for (int t = 0; t < T; ++t) {
      const int bit = int(rng.below(2));
      p ^= bit;
      d.X(0, i * T + t) = bit ? 1.f : -1.f;
    }
    d.labels[i] = p;
  }
  return d;
}

// character-level text: windows of T+1 characters at random offsets; one-hot input, next character at every step.
Dataset text(int n, int T, const std::vector<int>& codes, int V, Rng& rng) {
  Dataset d = alloc(n, T, V, V, true, true);
  const uint32_t starts = uint32_t(codes.size() - size_t(T));
  for (int i = 0; i < n; ++i) {
    const size_t s = rng.below(starts);
    for (int t = 0; t < T; ++t) {
      d.X(codes[s + t], i * T + t) = 1;
      d.labels[size_t(i * T + t)] = codes[s + t + 1];
    }
  }
  return d;
}

// xor: x ~ U(−1,1)² (+ jitter noise·N(0,1) on the inputs), class = [x1·x2 > 0]; one step.
Dataset xor_task(int n, double noise, Rng& rng) {
  Dataset d = alloc(n, 1, 2, 2, false, true);
  for (int i = 0; i < n; ++i) {
    const double a = rng.uniform(-1, 1), b = rng.uniform(-1, 1);
    d.labels[i] = a * b > 0 ? 1 : 0;
    d.X(0, i) = float(a + (noise > 0 ? noise * rng.normal() : 0.0));
    d.X(1, i) = float(b + (noise > 0 ? noise * rng.normal() : 0.0));
  }
  return d;
}

// gaussian: x ~ N(0, I_d); target y = tanh(u·x) for a fixed teacher u ~ N(0, 1/d) drawn first; one step.
Dataset gaussian(int n, int dim, const std::vector<double>& u, Rng& rng) {
  Dataset d = alloc(n, 1, dim, 1, false, false);
  for (int i = 0; i < n; ++i) {
    double s = 0;
    for (int k = 0; k < dim; ++k) { const double x = rng.normal(); d.X(k, i) = float(x); s += u[size_t(k)] * x; }
    d.Y(0, i) = float(std::tanh(s));
  }
  return d;
}

[[noreturn]] void bad_custom(const std::string& what) { throw ConfigError("config.task." + what); }

// finite as a float: 1e39 is a finite double but would enter the data as inf
bool is_num(const json& v) { return v.is_number() && std::fabs(v.get<double>()) <= double(std::numeric_limits<float>::max()); }

// custom: inputs [B][T][in]; targets [B][out] (last step), [B][T][out] (every step), [B] or [B][T] class indices.
Dataset custom(const json& in, const json& tg, const std::string& loss) {
  if (!in.is_array() || in.empty()) bad_custom("inputs: must be a non-empty array [B][T][in] of numbers");
  const size_t n = in.size();
  if (n > size_t(caps::batch)) bad_custom("inputs: " + std::to_string(n) + " samples; allowed: at most " + std::to_string(caps::batch));
  if (!in[0].is_array() || in[0].empty() || !in[0][0].is_array() || in[0][0].empty())
    bad_custom("inputs[0]: must be a non-empty array [T][in] of numbers");
  const size_t T = in[0].size(), F = in[0][0].size();
  if (T > size_t(caps::length) || F > size_t(caps::features))
    bad_custom("inputs: T = " + std::to_string(T) + ", in = " + std::to_string(F) + " exceed the caps (T ≤ " +
               std::to_string(caps::length) + ", in ≤ " + std::to_string(caps::features) + ")");
  if (double(n) * T * F > caps::dataset) bad_custom("inputs: too many numbers");
  if (!tg.is_array() || tg.size() != n)
    bad_custom("targets: must be an array with one entry per input sample (" + std::to_string(n) + ")");
  // the shape of targets decides the kind
  // class indices when the loss says so, or when each target is a bare number; else real-valued rows
  const bool classes = loss == "cross_entropy" || (loss.empty() && tg[0].is_number());
  bool every = false;
  size_t out = 1;
  if (classes) {
    every = tg[0].is_array();
    if (every && tg[0].size() != T) bad_custom("targets[0]: " + std::to_string(tg[0].size()) + " class indices; expected T = " + std::to_string(T));
  } else {
    if (!tg[0].is_array() || tg[0].empty()) bad_custom("targets[0]: must be [out] numbers or [T][out] numbers (or use loss cross_entropy with class indices)");
    every = tg[0][0].is_array();
    if (every && tg[0].size() != T) bad_custom("targets[0]: " + std::to_string(tg[0].size()) + " steps; expected T = " + std::to_string(T));
    out = every ? tg[0][0].size() : tg[0].size();
    if (out == 0 || out > size_t(caps::hidden)) bad_custom("targets[0]: output size must be 1.." + std::to_string(caps::hidden));
  }
  int max_class = 0;
  Dataset d = alloc(int(n), int(T), int(F), int(out), every, classes);
  for (size_t i = 0; i < n; ++i) {
    const std::string si = "[" + std::to_string(i) + "]";
    if (!in[i].is_array() || in[i].size() != T) bad_custom("inputs" + si + ": expected " + std::to_string(T) + " steps (all samples share T)");
    for (size_t t = 0; t < T; ++t) {
      const json& row = in[i][t];
      if (!row.is_array() || row.size() != F)
        bad_custom("inputs" + si + "[" + std::to_string(t) + "]: expected " + std::to_string(F) + " numbers");
      for (size_t k = 0; k < F; ++k) {
        if (!is_num(row[k])) bad_custom("inputs" + si + "[" + std::to_string(t) + "][" + std::to_string(k) + "] = " + row[k].dump() + ": must be a finite number");
        d.X(Eigen::Index(k), Eigen::Index(i * T + t)) = row[k].get<float>();
      }
    }
    const json& y = tg[i];
    auto label = [&](const json& v, const std::string& where) {
      if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() >= caps::hidden)
        bad_custom("targets" + where + " = " + v.dump() + ": must be a class index from 0 to " + std::to_string(caps::hidden - 1));
      max_class = std::max(max_class, int(v.get<long long>()));
      return int(v.get<long long>());
    };
    auto values = [&](const json& v, Eigen::Index col, const std::string& where) {
      if (!v.is_array() || v.size() != out) bad_custom("targets" + where + ": expected " + std::to_string(out) + " numbers");
      for (size_t k = 0; k < out; ++k) {
        if (!is_num(v[k])) bad_custom("targets" + where + "[" + std::to_string(k) + "] = " + v[k].dump() + ": must be a finite number");
        d.Y(Eigen::Index(k), col) = v[k].get<float>();
      }
    };
    if (classes && !every) d.labels[i] = label(y, si);
    else if (classes) {
      if (!y.is_array() || y.size() != T) bad_custom("targets" + si + ": expected " + std::to_string(T) + " class indices");
      for (size_t t = 0; t < T; ++t) d.labels[i * T + t] = label(y[t], si + "[" + std::to_string(t) + "]");
    } else if (!every) values(y, Eigen::Index(i), si);
    else {
      if (!y.is_array() || y.size() != T) bad_custom("targets" + si + ": expected " + std::to_string(T) + " steps");
      for (size_t t = 0; t < T; ++t) values(y[t], Eigen::Index(i * T + t), si + "[" + std::to_string(t) + "]");
    }
  }
  if (classes) { d.out = std::max(2, max_class + 1); }
  return d;
}

}  // namespace

Task make_task(RunConfig& c, Rng& rng) {
  Task task;
  const TaskSpec& s = c.task;
  task.name = s.name;
  auto both = [&](auto gen) { task.train = gen(s.train_size); task.val = gen(s.val_size); };
  const double seq_elems = double(s.train_size + s.val_size);
  auto check_size = [&](double per_sample) {
    if (seq_elems * per_sample > caps::dataset)
      throw ConfigError("config.task: (train_size + val_size)·length·inputs = " + std::to_string((long long)(seq_elems * per_sample)) +
                        " numbers; allowed: at most " + std::to_string((long long)caps::dataset) + " (lower train_size or length)");
  };
  if (s.name == "adding") { check_size(2.0 * s.length); both([&](int n) { return adding(n, s.length, rng); }); task.baseline = 1.0 / 6.0; }
  else if (s.name == "sine") { check_size(s.length); both([&](int n) { return sine(n, s.length, s.noise, s.target == "direction", rng); }); }
  else if (s.name == "copy") {
    check_size(double(2 * s.length + s.delay) * (s.symbols + 2));
    both([&](int n) { return copy_task(n, s.length, s.delay, s.symbols, rng); });
  } else if (s.name == "parity") { check_size(s.length); both([&](int n) { return parity(n, s.length, rng); }); }
  else if (s.name == "text") {
    const std::string corpus = s.text.empty() ? std::string(kDefaultCorpus) : s.text;
    std::map<unsigned char, int> vocab;
    for (unsigned char ch : corpus) vocab.emplace(ch, 0);
    if (vocab.size() > 256) throw ConfigError("config.task.text: too many distinct bytes");
    int k = 0;
    for (auto& e : vocab) e.second = k++;
    for (auto& e : vocab) task.vocab += char(e.first);
    if (corpus.size() < size_t(s.length) + 2)
      throw ConfigError("config.task.text: " + std::to_string(corpus.size()) + " characters; allowed: at least length + 2 = " +
                        std::to_string(s.length + 2));
    std::vector<int> codes;
    for (unsigned char ch : corpus) codes.push_back(vocab[ch]);
    check_size(double(s.length) * k);
    both([&](int n) { return text(n, s.length, codes, k, rng); });
  } else if (s.name == "xor") { both([&](int n) { return xor_task(n, s.noise, rng); }); }
  else if (s.name == "gaussian") {
    check_size(s.features);
    std::vector<double> u(size_t(s.features));
    for (auto& x : u) x = rng.normal(0.0, 1.0 / std::sqrt(double(s.features)));
    both([&](int n) { return gaussian(n, s.features, u, rng); });
  } else {
    task.train = custom(s.custom_inputs, s.custom_targets, c.loss);
    task.full_batch = true;
    c.batch = task.train.n;
  }
  const Dataset& d = task.train;
  // complete and check the model's task-dependent fields
  if (c.model_outputs_set && c.model.outputs != d.out)
    throw ConfigError("config.model.outputs = " + std::to_string(c.model.outputs) + ": the task '" + s.name + "' has " +
                      std::to_string(d.out) + (d.classes ? " classes" : " outputs") + "; leave it out or set " + std::to_string(d.out));
  c.model.outputs = d.out;
  c.model.inputs = d.in;
  if (c.model_readout_set && c.model.every != d.every)
    throw ConfigError(std::string("config.model.readout = \"") + (c.model.every ? "every" : "last") + "\": the task '" + s.name +
                      "' has targets " + (d.every ? "at every step (readout \"every\")" : "after the last step (readout \"last\")"));
  c.model.every = d.every;
  const std::string want = d.classes ? "cross_entropy" : "mse";
  if (!c.loss.empty() && c.loss != want)
    throw ConfigError("config.loss = \"" + c.loss + "\": the task '" + s.name + "' needs \"" + want + "\"" +
                      (d.classes ? " (its targets are class indices)" : " (its targets are real numbers)"));
  c.loss = want;
  const double acts = double(c.batch) * d.T * c.model.hidden * c.model.layers;
  if (acts > caps::activations)
    throw ConfigError("config: batch·length·hidden·layers = " + std::to_string((long long)acts) + "; allowed: at most " +
                      std::to_string((long long)caps::activations) + " (lower one of them)");
  return task;
}

#if defined(__EMSCRIPTEN__)
#pragma clang attribute pop
#endif

void gather(const Dataset& d, const std::vector<int>& idx, Mat<float>& X, Mat<float>& Y, std::vector<int>& labels) {
  const int B = int(idx.size()), T = d.T;
  X.resize(d.in, Eigen::Index(T) * B);
  for (int t = 0; t < T; ++t)
    for (int b = 0; b < B; ++b) X.col(Eigen::Index(t) * B + b) = d.X.col(Eigen::Index(idx[b]) * T + t);
  const int cols = d.every ? T * B : B;
  if (d.classes) {
    labels.resize(size_t(cols));
    for (int b = 0; b < B; ++b) {
      if (d.every) for (int t = 0; t < T; ++t) labels[size_t(t * B + b)] = d.labels[size_t(idx[b] * T + t)];
      else labels[size_t(b)] = d.labels[size_t(idx[b])];
    }
  } else {
    Y.resize(d.out, cols);
    for (int b = 0; b < B; ++b) {
      if (d.every) for (int t = 0; t < T; ++t) Y.col(Eigen::Index(t) * B + b) = d.Y.col(Eigen::Index(idx[b]) * T + t);
      else Y.col(b) = d.Y.col(idx[b]);
    }
  }
}

}  // namespace rnnlab
