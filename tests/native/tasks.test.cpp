// tasks.test.cpp — each generated task's shapes, determinism and defining property, custom data round-trips, and
// gather()'s batch layout. Not a test of whether a model can learn the tasks (lesson claims do that).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run.hpp"
#include "tasks.hpp"

using namespace rnnlab;
using nlohmann::json;

namespace {

struct Made { RunConfig cfg; Task task; };

Made make(const json& task, uint64_t seed = 1, const json& extra = json::object()) {
  json j = {{"task", task}, {"model", {{"hidden", 4}}}};
  j.merge_patch(extra);
  Made m;
  m.cfg = parse_config(j);
  Rng rng(seed);
  m.task = make_task(m.cfg, rng);
  return m;
}

// the index of the single 1 in column col of X (−1 if the column is not one-hot)
int one_hot(const Mat<float>& X, Eigen::Index col) {
  int at = -1, ones = 0;
  for (Eigen::Index r = 0; r < X.rows(); ++r) {
    if (X(r, col) == 1.f) { at = int(r); ++ones; }
    else if (X(r, col) != 0.f) return -1;
  }
  return ones == 1 ? at : -1;
}

bool same_data(const Dataset& a, const Dataset& b) {
  return a.n == b.n && a.X == b.X && a.Y == b.Y && a.labels == b.labels;
}

}  // namespace

TEST_CASE("every generated task has the documented shapes and completes the model config") {
  struct Case { json task; int in, out, T; bool every, classes; std::string loss; };
  const Case cases[] = {
      {{{"name", "adding"}, {"length", 12}}, 2, 1, 12, false, false, "mse"},
      {{{"name", "sine"}, {"length", 15}}, 1, 1, 15, false, false, "mse"},
      {{{"name", "sine"}, {"length", 15}, {"target", "direction"}}, 1, 2, 15, false, true, "cross_entropy"},
      {{{"name", "copy"}, {"length", 4}, {"delay", 3}, {"symbols", 5}}, 7, 6, 11, true, true, "cross_entropy"},
      {{{"name", "parity"}, {"length", 9}}, 1, 2, 9, false, true, "cross_entropy"},
      {{{"name", "text"}, {"length", 6}, {"text", "abracadabra, abracadabra!"}}, 8, 8, 6, true, true, "cross_entropy"},
      {{{"name", "xor"}}, 2, 2, 1, false, true, "cross_entropy"},
      {{{"name", "gaussian"}, {"features", 7}}, 7, 1, 1, false, false, "mse"},
  };
  for (const Case& c : cases) {
    json t = c.task;
    t["train_size"] = 40;
    t["val_size"] = 24;
    const std::string name = t.dump();
    CAPTURE(name);
    const Made m = make(t);
    for (const Dataset* d : {&m.task.train, &m.task.val}) {
      CHECK(d->n == (d == &m.task.train ? 40 : 24));
      CHECK(d->in == c.in);
      CHECK(d->out == c.out);
      CHECK(d->T == c.T);
      CHECK(d->every == c.every);
      CHECK(d->classes == c.classes);
      CHECK(d->X.rows() == c.in);
      CHECK(d->X.cols() == d->n * c.T);
      const long targets = c.every ? long(d->n) * c.T : long(d->n);
      if (c.classes) {
        CHECK(long(d->labels.size()) == targets);
        for (int l : d->labels) { CHECK(l >= 0); CHECK(l < c.out); }
      } else {
        CHECK(d->Y.rows() == c.out);
        CHECK(d->Y.cols() == targets);
      }
    }
    CHECK(m.cfg.model.inputs == c.in);
    CHECK(m.cfg.model.outputs == c.out);
    CHECK(m.cfg.model.every == c.every);
    CHECK(m.cfg.loss == c.loss);
    CHECK_FALSE(m.task.full_batch);
  }
}

TEST_CASE("a task's data depends only on its seed") {
  const json tasks[] = {{{"name", "adding"}, {"length", 10}}, {{"name", "sine"}, {"noise", 0.1}}, {{"name", "copy"}},
                        {{"name", "parity"}}, {{"name", "text"}, {"length", 8}}, {{"name", "xor"}, {"noise", 0.1}},
                        {{"name", "gaussian"}, {"features", 5}}};
  for (json t : tasks) {
    t["train_size"] = 30;
    t["val_size"] = 10;
    const std::string name = t.dump();
    CAPTURE(name);
    const Made a = make(t, 7), b = make(t, 7), c = make(t, 8);
    CHECK(same_data(a.task.train, b.task.train));
    CHECK(same_data(a.task.val, b.task.val));
    CHECK_FALSE(same_data(a.task.train, c.task.train));
    CHECK_FALSE(same_data(a.task.val, c.task.val));
    CHECK_FALSE(same_data(a.task.train, a.task.val));  // validation is not a copy of training
  }
  // and not on the model or optimizer: Run's data stream is separate from the weights' stream
  const json t = {{"name", "adding"}, {"length", 10}, {"train_size", 30}, {"val_size", 10}};
  Run r1(json{{"task", t}, {"model", {{"hidden", 4}, {"cell", "gru"}}}});
  Run r2(json{{"task", t}, {"model", {{"hidden", 9}, {"layers", 2}}}, {"optimizer", {{"name", "sgd"}}}});
  CHECK(same_data(r1.task().train, r2.task().train));
}

TEST_CASE("adding: the target is the sum of the two marked values, one marker in each half") {
  for (int T : {2, 7, 12, 50}) {
    CAPTURE(T);
    const Made m = make({{"name", "adding"}, {"length", T}, {"train_size", 500}, {"val_size", 10}});
    const Dataset& d = m.task.train;
    std::set<int> first_pos, second_pos;
    for (int i = 0; i < d.n; ++i) {
      std::vector<int> marks;
      for (int t = 0; t < T; ++t) {
        const float v = d.X(0, i * T + t), mk = d.X(1, i * T + t);
        CHECK(v >= 0.f);
        CHECK(v < 1.f);
        CHECK((mk == 0.f || mk == 1.f));
        if (mk == 1.f) marks.push_back(t);
      }
      REQUIRE(marks.size() == 2);
      CHECK(marks[0] < T / 2);   // first half [0, ⌊T/2⌋)
      CHECK(marks[1] >= T / 2);  // second half [⌊T/2⌋, T)
      first_pos.insert(marks[0]);
      second_pos.insert(marks[1]);
      CHECK(d.Y(0, i) == d.X(0, i * T + marks[0]) + d.X(0, i * T + marks[1]));
    }
    // the markers move: every position of each half is used (500 draws over ≤ 25 positions)
    CHECK(int(first_pos.size()) == T / 2);
    CHECK(int(second_pos.size()) == T - T / 2);
  }
}

TEST_CASE("adding: predicting 1.0 scores MSE ≈ 1/6 on the validation set, the task's baseline") {
  // y = u1 + u2 with u ~ U(0,1): E(y − 1)² = Var y = 2/12; the standard error of the mean over 10000 samples is
  // √((E(y−1)⁴ − 1/36)/n) = √((1/15 − 1/36)/10⁴) ≈ 0.002: allow 5 of them
  Run r(json{{"task", {{"name", "adding"}, {"length", 10}, {"train_size", 16}, {"val_size", 10000}}},
             {"model", {{"hidden", 3}}}});
  CHECK(r.task().baseline == doctest::Approx(1.0 / 6.0));
  const Dataset& v = r.task().val;
  double direct = 0;
  for (int i = 0; i < v.n; ++i) direct += (double(v.Y(0, i)) - 1.0) * (double(v.Y(0, i)) - 1.0);
  direct /= v.n;
  CHECK(std::fabs(direct - 1.0 / 6.0) < 5 * std::sqrt((1.0 / 15.0 - 1.0 / 36.0) / 1e4));
  // and through the model: a head with zero weights and bias 1 predicts 1.0 for every sequence
  json w = r.export_weights();
  for (auto& row : w["head.weight"]) for (auto& x : row) x = 0.0;
  w["head.bias"] = {1.0};
  r.import_weights(w);
  CHECK(r.evaluate(v).first == doctest::Approx(direct).epsilon(1e-5));
}

TEST_CASE("copy: the symbols come back after the delay, one-hot in and out") {
  for (int D : {3, 0}) {
    const int L = 4, K = 5, T = 2 * L + D;
    CAPTURE(D);
    const Made m = make({{"name", "copy"}, {"length", L}, {"delay", D}, {"symbols", K}, {"train_size", 200}, {"val_size", 8}});
    const Dataset& d = m.task.train;
    REQUIRE(d.T == T);
    std::set<int> seen;
    for (int i = 0; i < d.n; ++i) {
      int go = -1, gos = 0;
      for (int t = 0; t < T; ++t) {
        const int ch = one_hot(d.X, i * T + t);
        REQUIRE(ch >= 0);  // every input column is one-hot over K symbols + blank + go
        if (t < L) { CHECK(ch < K); seen.insert(ch); }
        else CHECK(ch >= K);  // blank (K) or go (K + 1) after the symbols
        if (ch == K + 1) { go = t; ++gos; }
        const int label = d.labels[size_t(i * T + t)];
        if (t < L + D) CHECK(label == K);                                      // blank until the recall
        else CHECK(label == one_hot(d.X, i * T + (t - L - D)));                // then the symbols, in order
      }
      CHECK(gos == 1);                          // exactly one go marker,
      CHECK(go >= L);                           // after the symbols,
      CHECK(go <= L + D);                       // and no later than the first recall step
    }
    CHECK(int(seen.size()) == K);  // all symbols occur
  }
}

TEST_CASE("parity: the label is the XOR of the bits (±1 inputs)") {
  const Made m = make({{"name", "parity"}, {"length", 11}, {"train_size", 400}, {"val_size", 8}});
  const Dataset& d = m.task.train;
  int ones = 0;
  for (int i = 0; i < d.n; ++i) {
    int x = 0;
    for (int t = 0; t < d.T; ++t) {
      const float v = d.X(0, i * d.T + t);
      CHECK((v == 1.f || v == -1.f));
      x ^= v == 1.f ? 1 : 0;
    }
    CHECK(d.labels[size_t(i)] == x);
    ones += x;
  }
  CHECK(ones > 150);  // both classes occur (expected 200 ± 10)
  CHECK(ones < 250);
}

TEST_CASE("text: one-hot characters of the corpus in, the next character at every step") {
  const std::string corpus = "abracadabra, abracadabra! hocus pocus.";
  const Made m = make({{"name", "text"}, {"length", 7}, {"text", corpus}, {"train_size", 100}, {"val_size", 8}});
  const Dataset& d = m.task.train;
  // the vocabulary is the sorted set of distinct bytes
  const std::set<char> vs(corpus.begin(), corpus.end());
  const std::vector<char> vocab(vs.begin(), vs.end());
  REQUIRE(d.in == int(vocab.size()));
  for (int i = 0; i < d.n; ++i) {
    std::string window;
    for (int t = 0; t < d.T; ++t) {
      const int c = one_hot(d.X, i * d.T + t);
      REQUIRE(c >= 0);
      window += vocab[size_t(c)];
    }
    for (int t = 0; t + 1 < d.T; ++t) CHECK(d.labels[size_t(i * d.T + t)] == one_hot(d.X, i * d.T + t + 1));
    window += vocab[size_t(d.labels[size_t(i * d.T + d.T - 1)])];
    CAPTURE(window);
    CHECK(corpus.find(window) != std::string::npos);  // T + 1 consecutive characters of the corpus
  }
  // the default corpus is the built-in one
  const Made dm = make({{"name", "text"}, {"length", 5}, {"train_size", 4}, {"val_size", 4}});
  const std::string def = kDefaultCorpus;
  CHECK(dm.task.train.in == int(std::set<char>(def.begin(), def.end()).size()));
  // a corpus shorter than length + 2 is refused
  CHECK_THROWS_AS(make({{"name", "text"}, {"length", 10}, {"text", "short"}}), ConfigError);
}

TEST_CASE("xor: the label is [x1·x2 > 0] for x uniform in the square") {
  const Made m = make({{"name", "xor"}, {"train_size", 1000}, {"val_size", 8}});
  const Dataset& d = m.task.train;
  int pos = 0;
  for (int i = 0; i < d.n; ++i) {
    const float a = d.X(0, i), b = d.X(1, i);
    CHECK(std::fabs(a) <= 1.f);
    CHECK(std::fabs(b) <= 1.f);
    CHECK(d.labels[size_t(i)] == (a * b > 0 ? 1 : 0));
    pos += d.labels[size_t(i)];
  }
  CHECK(std::abs(pos - 500) < 80);  // balanced: sd √250 ≈ 16
}

TEST_CASE("sine: the value target is the clean next value and the direction label agrees with it") {
  // x_t = sin(ωt + φ) satisfies x_{t+1} = 2cos(ω)·x_t − x_{t−1}: cos ω from the data gives the next value independently
  const int T = 20;
  const Made val = make({{"name", "sine"}, {"length", T}, {"train_size", 300}, {"val_size", 8}}, 3);
  const Made dir = make({{"name", "sine"}, {"length", T}, {"target", "direction"}, {"train_size", 300}, {"val_size", 8}}, 3);
  const Dataset& d = val.task.train;
  int up = 0, checked = 0;
  for (int i = 0; i < d.n; ++i) {
    auto x = [&](int t) { return double(d.X(0, i * T + t)); };
    int best = 1;
    for (int t = 1; t + 1 < T; ++t) if (std::fabs(x(t)) > std::fabs(x(best))) best = t;
    const double c = (x(best + 1) + x(best - 1)) / (2 * x(best));
    CHECK(c <= std::cos(0.1) + 1e-5);  // ω ∈ [0.1, 0.4]
    CHECK(c >= std::cos(0.4) - 1e-5);
    const double next = 2 * c * x(T - 1) - x(T - 2);
    CHECK(double(d.Y(0, i)) == doctest::Approx(next).epsilon(1e-5).scale(1));
    // the direction task from the same seed draws the same curves: its label is [next > last]
    CHECK(dir.task.train.X.col(i * T + T - 1) == d.X.col(i * T + T - 1));
    if (std::fabs(next - x(T - 1)) > 1e-4) {
      CHECK(dir.task.train.labels[size_t(i)] == (next > x(T - 1) ? 1 : 0));
      ++checked;
    }
    up += dir.task.train.labels[size_t(i)];
  }
  CHECK(checked > 290);
  CHECK(up > 100);
  CHECK(up < 200);
}

TEST_CASE("gaussian: the target is tanh of a fixed linear teacher, the same for training and validation") {
  const int F = 6;
  const Made m = make({{"name", "gaussian"}, {"features", F}, {"train_size", 200}, {"val_size", 50}});
  // least squares for u from atanh(y) = uᵀx on the training set; then it must fit both sets
  const Dataset& tr = m.task.train;
  Eigen::MatrixXd A = tr.X.cast<double>().transpose();  // (n, F)
  Eigen::VectorXd z(tr.n);
  for (int i = 0; i < tr.n; ++i) z(i) = std::atanh(double(tr.Y(0, i)));
  const Eigen::VectorXd u = A.colPivHouseholderQr().solve(z);
  CHECK((A * u - z).cwiseAbs().maxCoeff() < 1e-4);
  const Dataset& va = m.task.val;
  for (int i = 0; i < va.n; ++i)
    CHECK(double(va.Y(0, i)) == doctest::Approx(std::tanh(va.X.col(i).cast<double>().dot(u))).epsilon(1e-4).scale(1));
  // x ~ N(0, I): the inputs have unit variance
  const double var = tr.X.cast<double>().squaredNorm() / double(tr.X.size());
  CHECK(var == doctest::Approx(1.0).epsilon(0.1));
}

TEST_CASE("custom data round-trips: inputs and targets appear as given") {
  SUBCASE("real targets after the last step") {
    const json inputs = {{{0.5, -1.0}, {2.0, 0.25}, {-3.0, 1.5}}, {{1.0, 2.0}, {3.0, 4.0}, {5.0, 6.0}}};
    const json targets = {{0.1, 0.2, 0.3}, {-0.4, -0.5, -0.6}};
    const Made m = make({{"name", "custom"}, {"inputs", inputs}, {"targets", targets}});
    const Dataset& d = m.task.train;
    CHECK(d.n == 2); CHECK(d.T == 3); CHECK(d.in == 2); CHECK(d.out == 3);
    CHECK_FALSE(d.every); CHECK_FALSE(d.classes);
    for (int i = 0; i < 2; ++i)
      for (int t = 0; t < 3; ++t)
        for (int k = 0; k < 2; ++k) CHECK(d.X(k, i * 3 + t) == inputs[size_t(i)][size_t(t)][size_t(k)].get<float>());
    for (int i = 0; i < 2; ++i) for (int k = 0; k < 3; ++k) CHECK(d.Y(k, i) == targets[size_t(i)][size_t(k)].get<float>());
    CHECK(m.task.full_batch);
    CHECK(m.task.val.n == 0);
    CHECK(m.cfg.batch == 2);  // full batch
    CHECK(m.cfg.loss == "mse");
  }
  SUBCASE("real targets at every step") {
    const json inputs = {{{1.0}, {2.0}}, {{3.0}, {4.0}}, {{5.0}, {6.0}}};
    const json targets = {{{0.1, 1.1}, {0.2, 1.2}}, {{0.3, 1.3}, {0.4, 1.4}}, {{0.5, 1.5}, {0.6, 1.6}}};
    const Made m = make({{"name", "custom"}, {"inputs", inputs}, {"targets", targets}});
    const Dataset& d = m.task.train;
    CHECK(d.every); CHECK_FALSE(d.classes); CHECK(d.out == 2);
    CHECK(m.cfg.model.every);
    for (int i = 0; i < 3; ++i)
      for (int t = 0; t < 2; ++t)
        for (int k = 0; k < 2; ++k) CHECK(d.Y(k, i * 2 + t) == targets[size_t(i)][size_t(t)][size_t(k)].get<float>());
  }
  SUBCASE("class indices per sample") {
    const json inputs = {{{1.0}}, {{2.0}}, {{3.0}}, {{4.0}}};
    const Made m = make({{"name", "custom"}, {"inputs", inputs}, {"targets", {2, 0, 4, 1}}});
    const Dataset& d = m.task.train;
    CHECK(d.classes); CHECK_FALSE(d.every);
    CHECK(d.out == 5);  // classes 0 … max index
    CHECK(d.labels == std::vector<int>{2, 0, 4, 1});
    CHECK(m.cfg.loss == "cross_entropy");
  }
  SUBCASE("class indices per step") {
    const json inputs = {{{1.0}, {0.0}, {1.0}}, {{0.0}, {0.0}, {1.0}}};
    const Made m = make({{"name", "custom"}, {"inputs", inputs}, {"targets", {{1, 0, 1}, {0, 0, 2}}}},
                        1, {{"loss", "cross_entropy"}});
    const Dataset& d = m.task.train;
    CHECK(d.classes); CHECK(d.every); CHECK(d.out == 3);
    CHECK(d.labels == std::vector<int>{1, 0, 1, 0, 0, 2});  // sample i, step t at i·T + t
  }
  SUBCASE("a single class index still makes a two-class problem") {
    const Made m = make({{"name", "custom"}, {"inputs", {{{1.0}}, {{2.0}}}}, {"targets", {0, 0}}});
    CHECK(m.task.train.out == 2);
  }
}

TEST_CASE("gather puts step t of batch element b at column t·B + b") {
  const Made m = make({{"name", "copy"}, {"length", 3}, {"delay", 2}, {"symbols", 4}, {"train_size", 20}, {"val_size", 4}});
  const Dataset& d = m.task.train;
  const std::vector<int> idx = {7, 2, 19, 2};
  const int B = int(idx.size()), T = d.T;
  Mat<float> X, Y;
  std::vector<int> labels;
  gather(d, idx, X, Y, labels);
  REQUIRE(X.rows() == d.in);
  REQUIRE(X.cols() == T * B);
  REQUIRE(int(labels.size()) == T * B);
  for (int t = 0; t < T; ++t)
    for (int b = 0; b < B; ++b) {
      CHECK(X.col(t * B + b) == d.X.col(idx[size_t(b)] * T + t));
      CHECK(labels[size_t(t * B + b)] == d.labels[size_t(idx[size_t(b)] * T + t)]);
    }
  // targets after the last step: one column per batch element
  const Made a = make({{"name", "adding"}, {"length", 5}, {"train_size", 10}, {"val_size", 4}});
  gather(a.task.train, {3, 9, 0}, X, Y, labels);
  REQUIRE(Y.cols() == 3);
  CHECK(Y(0, 0) == a.task.train.Y(0, 3));
  CHECK(Y(0, 1) == a.task.train.Y(0, 9));
  CHECK(Y(0, 2) == a.task.train.Y(0, 0));
  CHECK(X.col(4 * 3 + 1) == a.task.train.X.col(9 * 5 + 4));  // last step of element 1
  // real targets at every step
  const Made e = make({{"name", "custom"}, {"inputs", {{{1.0}, {2.0}}, {{3.0}, {4.0}}}},
                       {"targets", {{{10.0}, {20.0}}, {{30.0}, {40.0}}}}});
  gather(e.task.train, {1, 0}, X, Y, labels);
  REQUIRE(Y.cols() == 4);
  CHECK(Y(0, 0) == 30.f);  // t = 0, b = 0 (sample 1)
  CHECK(Y(0, 1) == 10.f);  // t = 0, b = 1 (sample 0)
  CHECK(Y(0, 2) == 40.f);  // t = 1, b = 0
  CHECK(Y(0, 3) == 20.f);  // t = 1, b = 1
  CHECK(X(0, 2) == 4.f);
}
