// inspect.test.cpp — Run::predict, inspect and generate (core/inspect.cpp): outputs equal the training forward, h/c/gates
// equal the double-precision path, nothing in the run changes, sampling is deterministic, bad arguments are named.
// Not PyTorch parity (tests/node/inspect.test.mjs reads tests/reference/inspect_ref.json for that).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "inspect.hpp"
#include "run.hpp"

using namespace rnnlab;
using nlohmann::json;

namespace {

json cfg(const std::string& task, const std::string& cell, json extra = json::object()) {
  json j = {{"seed", 3},
            {"task", {{"name", task}, {"train_size", 64}, {"val_size", 16}}},
            {"model", {{"cell", cell}, {"hidden", 12}, {"layers", 2}}},
            {"optimizer", {{"name", "adam"}, {"lr", 0.01}}},
            {"batch", 8}};
  if (task != "xor") j["task"]["length"] = 9;
  j.merge_patch(extra);
  return j;
}

// samples idx of a dataset as predict's [B][T][in], flat
std::vector<float> samples(const Dataset& d, const std::vector<int>& idx) {
  std::vector<float> out;
  for (int i : idx) out.insert(out.end(), d.X.data() + size_t(i) * d.T * d.in, d.X.data() + size_t(i + 1) * d.T * d.in);
  return out;
}

std::string thrown(const std::function<void()>& f) {
  try { f(); } catch (const ConfigError& e) { return e.what(); }
  return "(nothing thrown)";
}

}  // namespace

TEST_CASE("predict gives the training forward's outputs on the same batch when dropout is 0") {
  for (const json& c : {cfg("adding", "lstm"), cfg("parity", "gru"), cfg("text", "rnn"), cfg("copy", "lstm", {{"model", {{"norm", "layer"}}}}),
                        cfg("xor", "mlp", {{"model", {{"residual", true}}}})}) {
    CAPTURE(c.dump());
    Run run(c);
    run.train(5);
    const std::vector<int> idx = {3, 1, 4, 1, 5, 9, 2, 6};
    run.loss_and_grad(idx);
    Mat<float> z = run.model().yhat;  // (out, B) or (out, T·B), train mode (no dropout, no batch norm here)
    const Dataset& d = run.task().train;
    std::vector<float> data;
    const int B = 8, T = d.T, out = int(z.rows()), steps = d.every ? T : 1;
    run.predict(samples(d, idx), B, T, data);
    REQUIRE(data.size() == size_t(B * steps * out));
    double worst = 0;
    for (int b = 0; b < B; ++b)
      for (int t = 0; t < steps; ++t) {
        const int col = d.every ? t * B + b : b;
        double norm = 0;
        if (d.classes) for (int o = 0; o < out; ++o) norm += std::exp(double(z(o, col)));
        for (int o = 0; o < out; ++o) {
          const double want = d.classes ? std::exp(double(z(o, col))) / norm : double(z(o, col));
          worst = std::max(worst, std::fabs(want - data[size_t((b * steps + t) * out + o)]));
        }
      }
    CHECK(worst <= (d.classes ? 1e-6 : 0.0));  // regression bit for bit; probabilities to float rounding
  }
}

TEST_CASE("inspect's h, c and gates equal a double-precision forward of the same weights") {
  for (const json& c : {cfg("adding", "lstm", {{"model", {{"residual", true}, {"norm", "layer"}}}}), cfg("sine", "gru"),
                        cfg("parity", "rnn", {{"model", {{"nonlinearity", "relu"}}}}), cfg("xor", "mlp")}) {
    CAPTURE(c.dump());
    Run run(c);
    run.train(20);
    std::vector<float> data;
    run.inspect(5, {}, data);
    const Model<float>& m = run.model();
    Model<double> md(m.spec);
    for (size_t i = 0; i < m.P.value.size(); ++i) md.P.value[i] = m.P.value[i];
    md.P.buffer.assign(m.P.buffer.begin(), m.P.buffer.end());
    const Dataset& v = run.task().val;
    const int T = v.T, H = m.spec.hidden, in = m.spec.inputs, outs = m.spec.every ? T * m.spec.outputs : m.spec.outputs;
    const Mat<double> X = Eigen::Map<const Mat<float>>(data.data(), in, T).cast<double>();  // inputs [T][in]
    CHECK(X.cast<float>() == v.X.middleCols(5 * T, T));
    size_t at = size_t(T * in) + outs + (v.classes ? (v.every ? T : 1) : outs);  // inputs, output, target, then the layers
    Ctx ctx;
    ctx.T = T; ctx.B = 1; ctx.train = false;
    const Mat<double> y = md.forward(X, ctx);
    double worst = 0;
    auto cmp = [&](const double* ref, int ld) {  // the next [T][H] of data against ref (rows ≥ H, T), columns ld apart
      for (int t = 0; t < T; ++t)
        for (int u = 0; u < H; ++u) worst = std::max(worst, std::fabs(data[at++] - ref[size_t(t) * ld + u]));
    };
    for (int k = 0; k < m.spec.layers; ++k) {
      if (m.spec.cell == Cell::Mlp) { cmp(md.outs[size_t(k)].data(), H); continue; }
      Sequential<double>& seq = cell_seq(md, size_t(k));
      cmp(seq.outs[0].data(), H);  // h
      if (m.spec.cell == Cell::Lstm) {
        auto& cell = static_cast<LstmCell<double>&>(*seq.layers[0]);
        cmp(cell.C.data(), H);
        for (int q = 0; q < 4; ++q) cmp(cell.G.data() + q * H, 4 * H);  // i, f, g, o
      } else if (m.spec.cell == Cell::Gru) {
        auto& cell = static_cast<GruCell<double>&>(*seq.layers[0]);
        for (int q = 0; q < 3; ++q) cmp(cell.S.data() + q * H, 3 * H);  // r, z, n
      }
    }
    CHECK(at == data.size());
    const size_t o = size_t(T * in);
    if (v.classes) CHECK(data[o + outs] == float(v.labels[5]));
    else CHECK(data[o + outs] == v.Y(0, 5));
    const double p0 = v.classes ? 1 / (1 + std::exp(y(1, 0) - y(0, 0))) : y(0, 0);  // 2 classes or 1 output
    worst = std::max(worst, std::fabs(data[o] - p0));
    CHECK(worst < 2e-5);
  }
}

TEST_CASE("predict, inspect and generate change nothing: the run then trains bit for bit as one that never called them") {
  for (const json& c : {cfg("text", "lstm", {{"model", {{"dropout", 0.3}, {"norm", "batch"}}}}),
                        cfg("adding", "gru", {{"model", {{"dropout", 0.2}, {"norm", "batch"}}}, {"eval_every", 4}})}) {
    CAPTURE(c.dump());
    Run a(c), b(c);
    a.train(12);
    b.train(12);
    std::vector<float> data;
    const Dataset& d = b.task().train;
    b.predict(samples(d, {0, 1, 2}), 3, d.T, data);
    b.inspect(2, {}, data);
    b.inspect(-1, samples(d, {4}), data);
    if (b.task().name == "text") b.generate("Alice", 30, 1, 5);
    a.train(13);
    b.train(13);
    CHECK(a.metrics() == b.metrics());
    CHECK(a.export_weights() == b.export_weights());
  }
}

TEST_CASE("generate is deterministic per seed and at temperature 0 follows the full forward's most likely byte") {
  for (const char* cell : {"lstm", "gru", "rnn"}) {
    CAPTURE(cell);
    Run run(cfg("text", cell, {{"task", {{"length", 24}}}, {"model", {{"hidden", 24}}}}));
    run.train(40);
    const std::string s = run.generate("Alice was", 80, 0.9, 7);
    CHECK(s.size() == 80);
    CHECK(run.generate("Alice was", 80, 0.9, 7) == s);
    CHECK(run.generate("Alice was", 80, 0.9, 8) != s);
    const std::string all = "Alice was " + run.generate("Alice was ", 40, 0, 1), voc = run.task().vocab;
    const int W = run.task().train.T, V = int(voc.size()), B = int(all.size()) - W;  // every window of W bytes but the last
    std::vector<float> x(size_t(B * W * V), 0.f);
    for (int b = 0; b < B; ++b)
      for (int t = 0; t < W; ++t) x[size_t((b * W + t) * V) + voc.find(all[size_t(b + t)])] = 1;
    std::vector<float> data;
    run.predict(x, B, W, data);  // [B][W][V]: the last step of window b predicts byte b + W
    for (int b = std::max(0, 10 - W); b < B; ++b) {
      const float* p = &data[size_t((b * W + W - 1) * V)];
      CHECK(voc[size_t(std::max_element(p, p + V) - p)] == all[size_t(b + W)]);
    }
  }
}

TEST_CASE("bad arguments name the key, the value and what is allowed, and the run stays usable") {
  Run text(cfg("text", "gru"));
  Run add(cfg("adding", "lstm"));
  std::vector<float> data;
  const std::vector<std::pair<std::function<void()>, std::string>> cases = {
      {[&] { add.predict({}, 0, 1, data); }, "predict: B = 0: not allowed; allowed: 1 to 1024"},
      {[&] { add.predict({1, 2, 3}, 1, 2, data); }, "predict: inputs = 3: not allowed; allowed: B·T·inputs numbers"},
      {[&] { add.predict({1, NAN}, 1, 1, data); }, "predict: inputs = nan: not allowed; allowed: finite numbers"},
      {[&] { add.inspect(16, {}, data); }, "inspect.sample = 16: not allowed; allowed: an integer from 0 to 15"},
      {[&] { add.inspect(-1, {1, 2, 3}, data); }, "inspect.inputs: T = 0: not allowed; allowed: 1 to 2000 steps"},
      {[&] { add.generate("", 5, 1, 1); }, "generate: task 'adding': allowed: only the text task"},
      {[&] { text.generate("", 5, -1, 1); }, "generate.temperature = -1: not allowed; allowed: a number from 0 to 1e6"},
      {[&] { text.generate("", 2001, 1, 1); }, "generate.length = 2001: not allowed; allowed: an integer from 0 to 2000"},
      {[&] { text.generate("Alice~", 5, 1, 1); }, "generate.prime: byte = 126: not allowed; allowed: bytes of the corpus"},
      {[&] { text.generate("", 5, 1, 1.5); }, "generate.seed = 1.5: not allowed; allowed: an integer from 0 to 2^32-1"},
  };
  for (auto& [f, want] : cases) {
    const std::string got = thrown(f);
    CAPTURE(got);
    CHECK(got.find(want) != std::string::npos);
  }
  CHECK(text.train(3).step == 3);
  CHECK(add.train(3).step == 3);
  CHECK(text.generate("", 5, 1, 1).size() == 5);
}
