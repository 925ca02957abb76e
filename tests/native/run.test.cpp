// run.test.cpp — Run as the API sees it: step counts, metric histories, evaluation cadence, divergence, PyTorch
// state_dict export/import, evaluation mode. Not the numerics of layers or optimizers (gradcheck, optim tests).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "run.hpp"

using namespace rnnlab;
using nlohmann::json;

namespace {

json small(const json& extra = json::object()) {
  json j = {{"seed", 5},
            {"task", {{"name", "parity"}, {"length", 6}, {"train_size", 64}, {"val_size", 32}}},
            {"model", {{"cell", "gru"}, {"hidden", 5}}},
            {"optimizer", {{"name", "adam"}, {"lr", 0.01}}},
            {"batch", 8}};
  j.merge_patch(extra);
  return j;
}

std::vector<float> hist(const Run& r, const std::string& k) { return r.metrics().at(k); }

// shape of an exported tensor: {rows, cols} for nested arrays, {rows} for vectors
std::vector<size_t> shape_of(const json& v) {
  if (!v.is_array()) return {};
  if (!v.empty() && v[0].is_array()) return {v.size(), v[0].size()};
  return {v.size()};
}

bool all_finite(const std::vector<float>& v) {
  for (float x : v) if (!std::isfinite(x)) return false;
  return true;
}

}  // namespace

TEST_CASE("train(steps) returns the number of updates done so far") {
  Run r(small());
  CHECK(r.summary().step == 0);
  CHECK(r.train(3).step == 3);
  CHECK(r.train(0).step == 3);
  CHECK(r.train(4).step == 7);
  CHECK(r.summary().step == 7);
  CHECK_THROWS_WITH_AS(r.train(-1), doctest::Contains("train(steps = -1)"), ConfigError);
  CHECK_THROWS_AS(r.train(1000001), ConfigError);
  CHECK(r.summary().step == 7);
}

TEST_CASE("the histories hold one entry per step, and the summary is the latest entry") {
  Run r(small({{"regularization", {{"l2", 1e-3}}}}));
  const Summary s = r.train(7);
  for (const char* k : {"step", "loss", "lr", "grad_norm", "accuracy", "penalty"}) {
    const std::string key = k;
    CAPTURE(key);
    CHECK(hist(r, key).size() == 7);
    CHECK(all_finite(hist(r, key)));
  }
  for (int i = 0; i < 7; ++i) CHECK(hist(r, "step")[size_t(i)] == float(i + 1));
  CHECK(hist(r, "loss").back() == float(s.loss));
  CHECK(hist(r, "grad_norm").back() == float(s.grad_norm));
  CHECK(hist(r, "accuracy").back() == float(s.accuracy));
  CHECK(hist(r, "penalty").back() == float(s.penalty));
  CHECK(hist(r, "lr").back() == float(s.lr));
  for (float a : hist(r, "accuracy")) { CHECK(a >= 0.f); CHECK(a <= 1.f); }
  // a regression task has no accuracy history
  Run m(small({{"task", {{"name", "adding"}, {"length", 5}}}}));
  m.train(2);
  CHECK(m.metrics().count("accuracy") == 0);
  CHECK(m.summary().accuracy == -1);
}

TEST_CASE("validation runs after step 1 and then every eval_every steps, on the validation set") {
  Run r(small({{"eval_every", 5}}));
  r.train(12);
  CHECK(hist(r, "val_step") == std::vector<float>{1, 5, 10});
  CHECK(hist(r, "val_loss").size() == 3);
  CHECK(hist(r, "val_accuracy").size() == 3);
  CHECK(hist(r, "val_loss").back() == float(r.summary().val_loss));
  // the recorded value is evaluate() on the validation set with the weights after that step
  Run q(small({{"eval_every", 5}}));
  q.train(10);
  const auto [vl, va] = q.evaluate(q.task().val);
  CHECK(float(vl) == hist(q, "val_loss").back());
  CHECK(float(va) == hist(q, "val_accuracy").back());
  // the cadence follows the global step, however train() calls are split
  Run s(small({{"eval_every", 5}}));
  s.train(3); s.train(4); s.train(5);
  CHECK(hist(s, "val_step") == hist(r, "val_step"));
}

TEST_CASE("a run is deterministic, and splitting train() calls does not change it") {
  Run a(small({{"model", {{"dropout", 0.3}}}})), b(small({{"model", {{"dropout", 0.3}}}}));
  a.train(12);
  for (int i = 0; i < 4; ++i) b.train(3);
  CHECK(hist(a, "loss") == hist(b, "loss"));
  CHECK(hist(a, "val_loss") == hist(b, "val_loss"));
  CHECK(a.model().P.value == b.model().P.value);
  // a different seed is a different run
  Run c(small({{"seed", 6}, {"model", {{"dropout", 0.3}}}}));
  c.train(12);
  CHECK(hist(a, "loss") != hist(c, "loss"));
}

TEST_CASE("divergence stops training at the step whose loss or weights stop being finite") {
  // plain sgd at lr 1e8 on a linear model: the weights grow without bound until they overflow float
  const json cfg = {{"task", {{"name", "custom"}, {"inputs", {{{3.0, -2.0}}, {{1.0, 4.0}}}}, {"targets", {{1.0}, {-2.0}}}}},
                    {"model", {{"cell", "mlp"}, {"activation", "linear"}, {"hidden", 4}, {"layers", 2}}},
                    {"optimizer", {{"name", "sgd"}, {"lr", 1e8}}}};
  Run a(cfg);
  const Summary s = a.train(100);
  REQUIRE(s.diverged);
  const long d = s.diverged_at;
  CHECK(d > 1);
  CHECK(d < 100);
  CHECK(s.step == d);
  // the histories keep every step before it, all finite
  CHECK(hist(a, "loss").size() == size_t(d - 1));
  CHECK(hist(a, "step").size() == size_t(d - 1));
  CHECK(all_finite(hist(a, "loss")));
  // further train() calls do nothing
  const std::vector<float> w = a.model().P.value;
  const Summary again = a.train(5);
  CHECK(again.step == d);
  CHECK(again.diverged);
  CHECK(again.diverged_at == d);
  CHECK(hist(a, "loss").size() == size_t(d - 1));
  CHECK(a.model().P.value.size() == w.size());
  // step by step, the same run is finite through step d − 1 and not after step d
  Run b(cfg);
  for (long k = 1; k < d; ++k) {
    const Summary sk = b.train(1);
    CHECK_FALSE(sk.diverged);
    CHECK(all_finite(b.model().P.value));
    CHECK(std::isfinite(sk.loss));
  }
  const double loss_d = b.loss_and_grad({0, 1});  // the loss the d-th step sees
  b.train(1);
  CHECK(b.summary().diverged);
  CHECK(b.summary().diverged_at == d);
  CHECK((!std::isfinite(loss_d) || !all_finite(b.model().P.value)));
  CHECK(hist(b, "loss") == hist(a, "loss"));
  // the summary says so in JSON
  const json j = a.summary().to_json();
  CHECK(j["diverged"] == true);
  CHECK(j["diverged_at"] == d);
}

TEST_CASE("exported weights carry PyTorch's state_dict names and shapes") {
  const int H = 5;
  struct Case { std::string cell; int gates; };
  for (const Case& c : {Case{"lstm", 4}, Case{"gru", 3}, Case{"rnn", 1}}) {
    CAPTURE(c.cell);
    Run r(small({{"task", {{"name", "adding"}, {"length", 4}}}, {"model", {{"cell", c.cell}, {"hidden", H}, {"layers", 2}}}}));
    const json w = r.export_weights();
    const int G = c.gates * H;
    const std::map<std::string, std::vector<size_t>> expect = {
        {"rnn.weight_ih_l0", {size_t(G), 2}}, {"rnn.weight_hh_l0", {size_t(G), size_t(H)}},
        {"rnn.bias_ih_l0", {size_t(G)}},      {"rnn.bias_hh_l0", {size_t(G)}},
        {"rnn.weight_ih_l1", {size_t(G), size_t(H)}}, {"rnn.weight_hh_l1", {size_t(G), size_t(H)}},
        {"rnn.bias_ih_l1", {size_t(G)}},      {"rnn.bias_hh_l1", {size_t(G)}},
        {"head.weight", {1, size_t(H)}},      {"head.bias", {1}}};
    CHECK(w.size() == expect.size());
    for (const auto& [name, shape] : expect) {
      CAPTURE(name);
      REQUIRE(w.contains(name));
      CHECK(shape_of(w[name]) == shape);
    }
    // row r, column c of the export is row r, column c of the (rows, cols) weight
    Model<float>& m = r.model();
    for (size_t i = 0; i < m.P.info.size(); ++i) {
      const ParamInfo& p = m.P.info[i];
      if (!p.cols) continue;
      auto W = m.P.w(int(i));
      for (int a = 0; a < p.rows; ++a)
        for (int b = 0; b < p.cols; ++b) CHECK(w[p.name][size_t(a)][size_t(b)].get<float>() == W(a, b));
    }
  }
  // an mlp with batch norm: mlp.K.*, norm.K.* with running statistics as buffers, head.*
  Run r(small({{"task", {{"name", "xor"}, {"length", nullptr}}}, {"model", {{"cell", "mlp"}, {"hidden", H}, {"layers", 2}, {"norm", "batch"}}}}));
  const json w = r.export_weights();
  const std::map<std::string, std::vector<size_t>> expect = {
      {"mlp.0.weight", {size_t(H), 2}}, {"mlp.0.bias", {size_t(H)}}, {"mlp.1.weight", {size_t(H), size_t(H)}},
      {"mlp.1.bias", {size_t(H)}}, {"norm.0.weight", {size_t(H)}}, {"norm.0.bias", {size_t(H)}},
      {"norm.0.running_mean", {size_t(H)}}, {"norm.0.running_var", {size_t(H)}}, {"norm.1.weight", {size_t(H)}},
      {"norm.1.bias", {size_t(H)}}, {"norm.1.running_mean", {size_t(H)}}, {"norm.1.running_var", {size_t(H)}},
      {"head.weight", {2, size_t(H)}}, {"head.bias", {2}}};
  CHECK(w.size() == expect.size());
  for (const auto& [name, shape] : expect) {
    CAPTURE(name);
    REQUIRE(w.contains(name));
    CHECK(shape_of(w[name]) == shape);
  }
  // torch's BatchNorm1d starts with running_mean 0, running_var 1, weight 1, bias 0
  for (int k = 0; k < H; ++k) {
    CHECK(w["norm.0.running_mean"][size_t(k)] == 0.0);
    CHECK(w["norm.0.running_var"][size_t(k)] == 1.0);
    CHECK(w["norm.0.weight"][size_t(k)] == 1.0);
    CHECK(w["norm.0.bias"][size_t(k)] == 0.0);
  }
}

TEST_CASE("importing an export round-trips exactly, running statistics included") {
  const json cfg = small({{"model", {{"cell", "lstm"}, {"layers", 2}, {"norm", "batch"}}}});
  Run a(cfg);
  a.train(5);  // moves weights and batch-norm running statistics away from their initial values
  const json wa = a.export_weights();
  json cfg_b = cfg;
  cfg_b["seed"] = 99;
  Run b(cfg_b);
  REQUIRE(b.model().P.value != a.model().P.value);
  b.import_weights(wa);
  CHECK(b.model().P.value == a.model().P.value);
  CHECK(b.model().P.buffer == a.model().P.buffer);
  CHECK(b.export_weights() == wa);
  CHECK(b.evaluate(a.task().val) == a.evaluate(a.task().val));
  // JSON text in between (what the page stores) changes nothing either
  Run c(cfg_b);
  c.import_weights(json::parse(wa.dump()));
  CHECK(c.model().P.value == a.model().P.value);
}

TEST_CASE("a bad import names the parameter and changes nothing") {
  Run r(small({{"model", {{"norm", "batch"}}}}));
  r.train(2);
  const std::vector<float> value = r.model().P.value, buffer = r.model().P.buffer;
  const json good = r.export_weights();
  auto unchanged = [&] { return r.model().P.value == value && r.model().P.buffer == buffer; };

  SUBCASE("wrong shape: one row too few") {
    json w = good;
    w["rnn.weight_hh_l0"].erase(0);
    CHECK_THROWS_WITH_AS(r.import_weights(w), doctest::Contains("'rnn.weight_hh_l0'"), ConfigError);
    CHECK_THROWS_WITH_AS(r.import_weights(w), doctest::Contains("[15, 5]"), ConfigError);
  }
  SUBCASE("wrong shape: a ragged row") {
    json w = good;
    w["rnn.weight_ih_l0"][2].push_back(0.5);
    CHECK_THROWS_WITH_AS(r.import_weights(w), doctest::Contains("'rnn.weight_ih_l0'"), ConfigError);
  }
  SUBCASE("wrong shape: a matrix where a vector belongs") {
    json w = good;
    w["head.bias"] = {{0.1, 0.2}};
    CHECK_THROWS_WITH_AS(r.import_weights(w), doctest::Contains("'head.bias'"), ConfigError);
  }
  SUBCASE("a buffer of the wrong length") {
    json w = good;
    w["norm.0.running_var"].push_back(1.0);
    CHECK_THROWS_WITH_AS(r.import_weights(w), doctest::Contains("'norm.0.running_var'"), ConfigError);
  }
  SUBCASE("an unknown name") {
    json w = good;
    w["rnn.weight_ih_l7"] = {{1.0}};
    CHECK_THROWS_WITH_AS(r.import_weights(w), doctest::Contains("unknown parameter 'rnn.weight_ih_l7'"), ConfigError);
  }
  SUBCASE("a missing name") {
    json w = good;
    w.erase("rnn.bias_hh_l0");
    CHECK_THROWS_WITH_AS(r.import_weights(w), doctest::Contains("missing parameter 'rnn.bias_hh_l0'"), ConfigError);
  }
  SUBCASE("a non-number or non-finite value") {
    json w = good;
    w["head.weight"][0][1] = "0.5";
    CHECK_THROWS_WITH_AS(r.import_weights(w), doctest::Contains("'head.weight'"), ConfigError);
    w = good;
    w["head.weight"][0][1] = std::numeric_limits<double>::infinity();
    CHECK_THROWS_WITH_AS(r.import_weights(w), doctest::Contains("'head.weight'"), ConfigError);
  }
  SUBCASE("a finite number beyond float's range (it would be stored as ±inf)") {
    json w = good;
    w["head.weight"][0][1] = 1e39;
    CHECK_THROWS_WITH_AS(r.import_weights(w), doctest::Contains("'head.weight'"), ConfigError);
  }
  SUBCASE("not an object") {
    CHECK_THROWS_AS(r.import_weights(json::array()), ConfigError);
  }
  SUBCASE("valid entries before the bad one are not applied either") {
    json w = good;
    w["head.bias"][0] = 123.0;          // sorted first, valid
    w["rnn.weight_hh_l0"] = {{1.0}};    // later, wrong shape
    CHECK_THROWS_AS(r.import_weights(w), ConfigError);
  }
  CHECK(unchanged());
}

TEST_CASE("dropout is on while training and off in evaluation") {
  Run a(small({{"model", {{"dropout", 0.5}}}})), b(small());
  REQUIRE(a.model().P.value == b.model().P.value);  // dropout has no parameters: the same init
  const auto ea = a.evaluate(a.task().val);
  CHECK(a.evaluate(a.task().val) == ea);            // deterministic
  CHECK(b.evaluate(b.task().val) == ea);            // and equal to the model without dropout
  // training mode draws a fresh mask each time
  const std::vector<int> idx = {0, 1, 2, 3, 4, 5, 6, 7};
  const double l1 = a.loss_and_grad(idx), l2 = a.loss_and_grad(idx);
  CHECK(l1 != l2);
  CHECK(b.loss_and_grad(idx) == b.loss_and_grad(idx));
}

TEST_CASE("evaluate is the mean loss and accuracy over the whole set, however it is chunked") {
  // 300 samples: evaluate goes in chunks; one 300-sample loss_and_grad is the reference
  std::vector<int> all(300);
  for (int i = 0; i < 300; ++i) all[size_t(i)] = i;
  SUBCASE("mse, targets after the last step") {
    Run r(small({{"task", {{"name", "adding"}, {"length", 4}, {"train_size", 300}}}}));
    const double ref = r.loss_and_grad(all);
    CHECK(r.evaluate(r.task().train).first == doctest::Approx(ref).epsilon(1e-5));
    CHECK(r.evaluate(r.task().train).second == -1);
  }
  SUBCASE("cross-entropy at every step, with accuracy") {
    Run r(small({{"task", {{"name", "copy"}, {"length", 2}, {"delay", 1}, {"train_size", 300}}}}));
    const double ref = r.loss_and_grad(all);
    const double acc = r.summary().accuracy;
    const auto [l, a] = r.evaluate(r.task().train);
    CHECK(l == doctest::Approx(ref).epsilon(1e-5));
    CHECK(a == doctest::Approx(acc).epsilon(1e-9));
  }
  SUBCASE("a custom task has no validation set") {
    Run r(json{{"task", {{"name", "custom"}, {"inputs", {{{1.0}}, {{2.0}}}}, {"targets", {{1.0}, {2.0}}}}}});
    r.train(3);
    CHECK(r.evaluate(r.task().val).first == -1);
    CHECK(r.metrics().at("val_loss").empty());
    CHECK(r.summary().val_loss == -1);
  }
}

TEST_CASE("the summary's JSON has nulls where there is nothing to report yet") {
  Run r(small());
  json j = r.summary().to_json();
  CHECK(j["step"] == 0);
  CHECK(j["loss"].is_null());
  CHECK(j["val_loss"].is_null());
  CHECK(j["diverged"] == false);
  CHECK(j["diverged_at"].is_null());
  r.train(1);
  j = r.summary().to_json();
  CHECK(j["loss"].is_number());
  CHECK(j["val_loss"].is_number());  // evaluated after step 1
  CHECK(j["accuracy"].is_number());
}
