// optim.test.cpp — every optimizer and schedule against independent double re-implementations of torch.optim's
// documented algorithms, and Run's L1/L2 penalties and clip_grad_norm_ through the training loop. Not gradient checks.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "optim.hpp"
#include "run.hpp"

using namespace rnnlab;
using nlohmann::json;

namespace {

// ----- torch.optim reference algorithms (pseudo-code of the torch.optim docs), in double ------------------------------
struct Hyper {
  double lr = 1e-3, momentum = 0, dampening = 0, weight_decay = 0, alpha = 0.99, eps = 1e-8, beta1 = 0.9, beta2 = 0.999;
  double lr_decay = 0, initial_accumulator_value = 0;
  bool nesterov = false, centered = false, amsgrad = false;
};

struct RefSGD {  // torch.optim.SGD
  Hyper h; std::vector<double> b; int t = 0;
  void step(std::vector<double>& w, const std::vector<double>& grad) {
    ++t;
    if (b.empty()) b.assign(w.size(), 0);
    for (size_t i = 0; i < w.size(); ++i) {
      double g = grad[i];
      if (h.weight_decay != 0) g = g + h.weight_decay * w[i];
      if (h.momentum != 0) {
        if (t > 1) b[i] = h.momentum * b[i] + (1 - h.dampening) * g;
        else b[i] = g;
        if (h.nesterov) g = g + h.momentum * b[i];
        else g = b[i];
      }
      w[i] = w[i] - h.lr * g;
    }
  }
};

struct RefAdagrad {  // torch.optim.Adagrad
  Hyper h; std::vector<double> sum; int t = 0;
  void step(std::vector<double>& w, const std::vector<double>& grad) {
    ++t;
    if (sum.empty()) sum.assign(w.size(), h.initial_accumulator_value);
    const double clr = h.lr / (1 + (t - 1) * h.lr_decay);
    for (size_t i = 0; i < w.size(); ++i) {
      double g = grad[i];
      if (h.weight_decay != 0) g = g + h.weight_decay * w[i];
      sum[i] = sum[i] + g * g;
      w[i] = w[i] - clr * g / (std::sqrt(sum[i]) + h.eps);
    }
  }
};

struct RefRMSprop {  // torch.optim.RMSprop
  Hyper h; std::vector<double> v, gavg, b;
  void step(std::vector<double>& w, const std::vector<double>& grad) {
    if (v.empty()) { v.assign(w.size(), 0); gavg.assign(w.size(), 0); b.assign(w.size(), 0); }
    for (size_t i = 0; i < w.size(); ++i) {
      double g = grad[i];
      if (h.weight_decay != 0) g = g + h.weight_decay * w[i];
      v[i] = h.alpha * v[i] + (1 - h.alpha) * g * g;
      double vt = v[i];
      if (h.centered) {
        gavg[i] = h.alpha * gavg[i] + (1 - h.alpha) * g;
        vt = vt - gavg[i] * gavg[i];
      }
      if (h.momentum > 0) {
        b[i] = h.momentum * b[i] + g / (std::sqrt(vt) + h.eps);
        w[i] = w[i] - h.lr * b[i];
      } else {
        w[i] = w[i] - h.lr * g / (std::sqrt(vt) + h.eps);
      }
    }
  }
};

struct RefAdam {  // torch.optim.Adam (decoupled = false) and torch.optim.AdamW (decoupled = true)
  Hyper h; bool decoupled = false; std::vector<double> m, v, vmax; int t = 0;
  void step(std::vector<double>& w, const std::vector<double>& grad) {
    ++t;
    if (m.empty()) { m.assign(w.size(), 0); v.assign(w.size(), 0); vmax.assign(w.size(), 0); }
    for (size_t i = 0; i < w.size(); ++i) {
      double g = grad[i];
      if (decoupled) w[i] = w[i] - h.lr * h.weight_decay * w[i];
      else if (h.weight_decay != 0) g = g + h.weight_decay * w[i];
      m[i] = h.beta1 * m[i] + (1 - h.beta1) * g;
      v[i] = h.beta2 * v[i] + (1 - h.beta2) * g * g;
      const double mhat = m[i] / (1 - std::pow(h.beta1, t));
      double vhat;
      if (h.amsgrad) {
        vmax[i] = std::max(vmax[i], v[i]);
        vhat = vmax[i] / (1 - std::pow(h.beta2, t));
      } else {
        vhat = v[i] / (1 - std::pow(h.beta2, t));
      }
      w[i] = w[i] - h.lr * mhat / (std::sqrt(vhat) + h.eps);
    }
  }
};

OptimSpec to_spec(const std::string& name, const Hyper& h) {
  OptimSpec s;
  const char* names[] = {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"};
  s.name = Optim(std::find(std::begin(names), std::end(names), name) - std::begin(names)); s.lr = h.lr; s.momentum = h.momentum; s.dampening = h.dampening; s.nesterov = h.nesterov;
  s.alpha = h.alpha; s.centered = h.centered; s.beta1 = h.beta1; s.beta2 = h.beta2; s.amsgrad = h.amsgrad; s.eps = h.eps;
  s.weight_decay = h.weight_decay; s.lr_decay = h.lr_decay; s.initial_accumulator_value = h.initial_accumulator_value;
  return s;
}

const std::vector<double> kW0 = {0.5, -1.25, 2.0, -0.03125, 0.75, -0.4};

// step k's gradient: varies in size and sign from step to step (and one entry changes sign every step)
std::vector<double> grad_at(int k) {
  std::vector<double> g(kW0.size());
  for (size_t i = 0; i < g.size(); ++i) g[i] = std::sin(1.7 * double(k) + 0.9 * double(i)) * (0.2 + 0.5 * double(i)) + 0.05 * double(k);
  g[3] = (k % 2 ? -1.0 : 1.0) * 0.3;
  return g;
}

// Runs the core optimizer (float) and the reference (double) side by side for 5 steps with grad_at(k).
template <class Ref> void compare(const std::string& name, const Hyper& h, Ref ref) {
  std::vector<float> wf(kW0.begin(), kW0.end());
  std::vector<double> wd = kW0;
  Optimizer<float> opt(to_spec(name, h), wf.size());
  ref.h = h;
  for (int k = 0; k < 5; ++k) {
    const std::vector<double> g = grad_at(k);
    std::vector<float> gf(g.begin(), g.end());
    // the reference sees the same float-rounded gradient the core sees
    const std::vector<double> gd(gf.begin(), gf.end());
    opt.update(wf.data(), gf.data(), wf.size(), h.lr);
    ref.step(wd, gd);
    for (size_t i = 0; i < wf.size(); ++i) {
      CAPTURE(name); CAPTURE(k); CAPTURE(i);
      // ~1e-6 relative in float (several float roundings per step, compounded over 5 steps)
      CHECK(std::fabs(double(wf[i]) - wd[i]) <= 1e-6 * std::max(1.0, std::fabs(wd[i])));
    }
  }
  // the update really moved the weights (so the comparison above cannot pass vacuously)
  double moved = 0;
  for (size_t i = 0; i < wd.size(); ++i) moved += std::fabs(wd[i] - kW0[i]);
  CHECK(moved > 1e-3);
}

}  // namespace

TEST_CASE("plain sgd matches torch.optim.SGD over five steps") {
  Hyper h; h.lr = 0.1;
  compare("sgd", h, RefSGD{h});
  h.weight_decay = 0.01;
  compare("sgd", h, RefSGD{h});
}

TEST_CASE("sgd with momentum and dampening matches torch.optim.SGD (buffer = gradient at the first step)") {
  Hyper h; h.lr = 0.05; h.momentum = 0.9;
  compare("momentum", h, RefSGD{h});
  h.dampening = 0.3;
  compare("momentum", h, RefSGD{h});
  h.weight_decay = 0.02;
  compare("sgd", h, RefSGD{h});
}

TEST_CASE("nesterov momentum matches torch.optim.SGD(nesterov=True)") {
  Hyper h; h.lr = 0.05; h.momentum = 0.8; h.nesterov = true;
  compare("nesterov", h, RefSGD{h});
  h.weight_decay = 0.01;
  compare("nesterov", h, RefSGD{h});
}

TEST_CASE("adagrad matches torch.optim.Adagrad, with lr_decay and initial_accumulator_value") {
  Hyper h; h.lr = 0.1; h.eps = 1e-10;
  compare("adagrad", h, RefAdagrad{h});
  h.lr_decay = 0.5;
  compare("adagrad", h, RefAdagrad{h});
  h.initial_accumulator_value = 0.25;
  compare("adagrad", h, RefAdagrad{h});
  h.weight_decay = 0.05;
  compare("adagrad", h, RefAdagrad{h});
}

TEST_CASE("rmsprop matches torch.optim.RMSprop: plain, centered, with momentum, both") {
  Hyper h; h.lr = 0.01; h.alpha = 0.9;
  compare("rmsprop", h, RefRMSprop{h});
  h.centered = true;
  compare("rmsprop", h, RefRMSprop{h});
  h.centered = false; h.momentum = 0.7;
  compare("rmsprop", h, RefRMSprop{h});
  h.centered = true; h.weight_decay = 0.01;
  compare("rmsprop", h, RefRMSprop{h});
}

TEST_CASE("adam matches torch.optim.Adam, with and without amsgrad") {
  Hyper h; h.lr = 0.01;
  compare("adam", h, RefAdam{h, false});
  h.beta1 = 0.5; h.beta2 = 0.8;  // larger bias corrections and a visible amsgrad max
  compare("adam", h, RefAdam{h, false});
  h.amsgrad = true;
  compare("adam", h, RefAdam{h, false});
}

TEST_CASE("adam's weight_decay is L2 added to the gradient; adamw's is decoupled") {
  Hyper h; h.lr = 0.01; h.weight_decay = 0.1;
  compare("adam", h, RefAdam{h, false});
  compare("adamw", h, RefAdam{h, true});
  h.amsgrad = true; h.beta2 = 0.8;
  compare("adamw", h, RefAdam{h, true});
  // and the two really differ (so the two checks above test different rules)
  std::vector<double> a = kW0, b = kW0;
  RefAdam ra{h, false}, rw{h, true};
  for (int k = 0; k < 5; ++k) { ra.step(a, grad_at(k)); rw.step(b, grad_at(k)); }
  double diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff += std::fabs(a[i] - b[i]);
  CHECK(diff > 1e-4);
}

TEST_CASE("the very first adam step moves every weight by lr·sign(g) (m̂/√v̂ = ±1)") {
  // from the definition: m̂₁ = g, v̂₁ = g², so the step is lr·g/(|g| + ε)
  OptimSpec s; s.name = Optim::Adam; s.lr = 0.01;
  std::vector<float> w = {1.f, -2.f, 3.f}, g = {0.5f, -4.f, 1e-3f};
  Optimizer<float> opt(s, 3);
  opt.update(w.data(), g.data(), 3, s.lr);
  CHECK(w[0] == doctest::Approx(1 - 0.01).epsilon(1e-6));
  CHECK(w[1] == doctest::Approx(-2 + 0.01).epsilon(1e-6));
  CHECK(w[2] == doctest::Approx(3 - 0.01 * 1e-3 / (1e-3 + 1e-8)).epsilon(1e-6));
}

// ----- schedules: torch.optim.lr_scheduler closed forms --------------------------------------------------------------
TEST_CASE("constant, StepLR, ExponentialLR and CosineAnnealingLR match torch's closed forms") {
  const double lr = 0.1;
  ScheduleSpec c;
  for (long k : {0L, 1L, 10L, 999L}) CHECK(scheduled_lr(c, lr, k) == doctest::Approx(lr));

  ScheduleSpec st; st.name = "step"; st.step_size = 30; st.gamma = 0.5;
  // StepLR: lr · γ^⌊k/step_size⌋
  const long ks[] = {0, 1, 29, 30, 31, 59, 60, 95, 300};
  for (long k : ks) {
    CAPTURE(k);
    CHECK(scheduled_lr(st, lr, k) == doctest::Approx(lr * std::pow(0.5, std::floor(double(k) / 30.0))).epsilon(1e-12));
  }
  CHECK(scheduled_lr(st, lr, 29) == doctest::Approx(0.1));
  CHECK(scheduled_lr(st, lr, 30) == doctest::Approx(0.05));
  CHECK(scheduled_lr(st, lr, 60) == doctest::Approx(0.025));

  ScheduleSpec ex; ex.name = "exponential"; ex.gamma = 0.95;
  for (long k : ks) { CAPTURE(k); CHECK(scheduled_lr(ex, lr, k) == doctest::Approx(lr * std::pow(0.95, double(k))).epsilon(1e-12)); }

  ScheduleSpec co; co.name = "cosine"; co.T_max = 100; co.eta_min = 0.001;
  const double pi = std::acos(-1.0);
  for (long k : {0L, 1L, 25L, 50L, 75L, 99L, 100L}) {
    CAPTURE(k);
    const double torch = 0.001 + (lr - 0.001) * (1 + std::cos(pi * double(k) / 100.0)) / 2;
    CHECK(scheduled_lr(co, lr, k) == doctest::Approx(torch).epsilon(1e-12));
  }
  CHECK(scheduled_lr(co, lr, 0) == doctest::Approx(lr));
  CHECK(scheduled_lr(co, lr, 50) == doctest::Approx((lr + 0.001) / 2));
  CHECK(scheduled_lr(co, lr, 100) == doctest::Approx(0.001));
  // past T_max the core holds η_min (documented: cos(π·min(k, T_max)/T_max)); torch's closed form would rise again
  for (long k : {101L, 150L, 200L, 1000L}) CHECK(scheduled_lr(co, lr, k) == doctest::Approx(0.001));
}

TEST_CASE("warm-up multiplies any schedule by LinearLR(start_factor = 1/W, total_iters = W − 1)") {
  const double lr = 0.2;
  auto linear_lr = [](int W, long k) {  // torch.optim.lr_scheduler.LinearLR closed form
    const double start = 1.0 / W, end = 1.0;
    const long total = W - 1;
    if (total == 0) return 1.0;
    return start + (end - start) * double(std::min(k, total)) / double(total);
  };
  const double pi = std::acos(-1.0);
  for (const std::string name : {"constant", "step", "exponential", "cosine"}) {
    ScheduleSpec base; base.name = name; base.step_size = 3; base.gamma = 0.9; base.T_max = 20; base.eta_min = 0.0;
    for (int W : {1, 4, 10}) {
      ScheduleSpec s = base; s.warmup = W;
      for (long k = 0; k < 25; ++k) {
        CAPTURE(name); CAPTURE(W); CAPTURE(k);
        double b = lr;
        if (base.name == "step") b = lr * std::pow(0.9, double(k / 3));
        if (base.name == "exponential") b = lr * std::pow(0.9, double(k));
        if (base.name == "cosine") b = lr * (1 + std::cos(pi * double(std::min(k, 20L)) / 20.0)) / 2;
        CHECK(scheduled_lr(s, lr, k) == doctest::Approx(b * linear_lr(W, k)).epsilon(1e-12));
      }
    }
  }
  ScheduleSpec w; w.warmup = 4;
  CHECK(scheduled_lr(w, lr, 0) == doctest::Approx(lr / 4));
  CHECK(scheduled_lr(w, lr, 3) == doctest::Approx(lr));
}

// ----- penalties and clipping through Run ---------------------------------------------------------------------------
namespace {

json custom_config(const json& extra) {
  json c = {{"seed", 3},
            {"task", {{"name", "custom"},
                      {"inputs", {{{0.5, -1.0}, {1.0, 0.25}, {-0.5, 0.75}},
                                  {{1.5, 0.5}, {-1.0, -0.25}, {0.25, 1.0}},
                                  {{-0.75, 2.0}, {0.5, -0.5}, {1.0, 0.0}}}},
                      {"targets", {{0.3, -0.2}, {-0.6, 0.1}, {0.9, 0.4}}}}},
            {"model", {{"cell", "gru"}, {"hidden", 4}, {"layers", 2}}},
            {"optimizer", {{"name", "sgd"}, {"lr", 0.1}}}};
  if (!extra.is_null()) c.merge_patch(extra);
  return c;
}

const std::vector<int> kAll = {0, 1, 2};

}  // namespace

TEST_CASE("with sgd and l2, one step changes each weight by lr·(grad + 2·λ2·w) and each bias by lr·grad") {
  const double lr = 0.1, l2 = 0.05;
  Run r(custom_config({{"regularization", {{"l2", l2}}}}));
  const std::vector<float> w0 = r.model().P.value;
  const double data_loss = r.loss_and_grad(kAll);
  const std::vector<float> g = r.model().P.grad;  // the data term's gradient only
  double pen = 0;
  for (const ParamInfo& p : r.model().P.info)
    if (p.cols > 0)
      for (size_t i = p.offset; i < p.offset + p.size(); ++i) pen += l2 * double(w0[i]) * w0[i];
  const Summary s = r.train(1);
  const std::vector<float>& w1 = r.model().P.value;
  for (const ParamInfo& p : r.model().P.info) {
    const bool weight = p.cols > 0;  // 2-D parameters: weight_ih/hh, head.weight, torch's weight matrices
    for (size_t i = p.offset; i < p.offset + p.size(); ++i) {
      const double expect = double(w0[i]) - lr * (double(g[i]) + (weight ? 2 * l2 * double(w0[i]) : 0.0));
      CAPTURE(p.name);
      CHECK(double(w1[i]) == doctest::Approx(expect).epsilon(1e-6).scale(1));
    }
  }
  CHECK(s.loss == doctest::Approx(data_loss).epsilon(1e-6));      // the reported loss is the data term
  CHECK(s.penalty == doctest::Approx(pen).epsilon(1e-6));          // λ2·Σw² over weight matrices only
  CHECK(r.metrics().at("penalty").size() == 1);
}

TEST_CASE("with sgd and l1, one step changes each weight by lr·(grad + λ1·sign(w)) and each bias by lr·grad") {
  const double lr = 0.1, l1 = 0.02;
  Run r(custom_config({{"regularization", {{"l1", l1}}}, {"model", {{"cell", "lstm"}}}}));
  const std::vector<float> w0 = r.model().P.value;
  r.loss_and_grad(kAll);
  const std::vector<float> g = r.model().P.grad;
  double pen = 0;
  for (const ParamInfo& p : r.model().P.info)
    if (p.cols > 0)
      for (size_t i = p.offset; i < p.offset + p.size(); ++i) pen += l1 * std::fabs(double(w0[i]));
  const Summary s = r.train(1);
  const std::vector<float>& w1 = r.model().P.value;
  for (const ParamInfo& p : r.model().P.info) {
    const bool weight = p.cols > 0;
    for (size_t i = p.offset; i < p.offset + p.size(); ++i) {
      const double sign = w0[i] > 0 ? 1.0 : w0[i] < 0 ? -1.0 : 0.0;
      const double expect = double(w0[i]) - lr * (double(g[i]) + (weight ? l1 * sign : 0.0));
      CAPTURE(p.name);
      CHECK(double(w1[i]) == doctest::Approx(expect).epsilon(1e-6).scale(1));
    }
  }
  CHECK(s.penalty == doctest::Approx(pen).epsilon(1e-6));
}

TEST_CASE("penalties leave batch-norm parameters alone (they are not weight matrices)") {
  const double lr = 0.1, l2 = 0.5;
  json norm_cfg = custom_config({{"regularization", {{"l2", l2}}}, {"model", {{"cell", "rnn"}, {"norm", "batch"}}}});
  Run a(norm_cfg);
  const std::vector<float> w0 = a.model().P.value;
  a.loss_and_grad(kAll);
  const std::vector<float> g = a.model().P.grad;
  a.train(1);
  int checked = 0;
  for (const ParamInfo& p : a.model().P.info) {
    if (p.name.rfind("norm.", 0) != 0) continue;
    for (size_t i = p.offset; i < p.offset + p.size(); ++i, ++checked)
      CHECK(double(a.model().P.value[i]) == doctest::Approx(double(w0[i]) - lr * double(g[i])).epsilon(1e-6).scale(1));
  }
  CHECK(checked == 2 * 2 * 4);  // norm.{0,1}.{weight,bias}, hidden 4
}

TEST_CASE("clipping by global norm scales the whole gradient by max_norm/(‖g‖ + 1e-6), as clip_grad_norm_") {
  const double lr = 0.1;
  // first the unclipped gradient, to choose a max_norm below and above its norm
  Run probe(custom_config({}));
  probe.loss_and_grad(kAll);
  double sq = 0;
  for (float x : probe.model().P.grad) sq += double(x) * x;
  const double norm = std::sqrt(sq);
  REQUIRE(norm > 1e-3);

  for (double max_norm : {0.25 * norm, 0.9 * norm, 2.0 * norm}) {
    CAPTURE(max_norm);
    Run r(custom_config({{"clip", {{"norm", max_norm}}}}));
    const std::vector<float> w0 = r.model().P.value;
    r.loss_and_grad(kAll);
    const std::vector<float> g = r.model().P.grad;
    const double coef = std::min(1.0, max_norm / (norm + 1e-6));
    const Summary s = r.train(1);
    CHECK(s.grad_norm == doctest::Approx(norm).epsilon(1e-6));  // the norm before clipping, as torch returns it
    double step_sq = 0;
    for (size_t i = 0; i < w0.size(); ++i) {
      const double expect = double(w0[i]) - lr * coef * double(g[i]);
      CHECK(double(r.model().P.value[i]) == doctest::Approx(expect).epsilon(1e-6).scale(1));
      step_sq += (double(r.model().P.value[i]) - w0[i]) * (double(r.model().P.value[i]) - w0[i]);
    }
    // the update's norm is lr·min(‖g‖, max_norm)
    CHECK(std::sqrt(step_sq) == doctest::Approx(lr * std::min(norm, max_norm)).epsilon(1e-3));
  }
}

TEST_CASE("clipping applies to the gradient including the penalty term") {
  const double lr = 0.1, l2 = 0.3, max_norm = 0.01;
  Run r(custom_config({{"clip", {{"norm", max_norm}}}, {"regularization", {{"l2", l2}}}}));
  const std::vector<float> w0 = r.model().P.value;
  r.loss_and_grad(kAll);
  std::vector<double> g(r.model().P.grad.begin(), r.model().P.grad.end());
  for (const ParamInfo& p : r.model().P.info)
    if (p.cols > 0)
      for (size_t i = p.offset; i < p.offset + p.size(); ++i) g[i] += 2 * l2 * double(w0[i]);
  double sq = 0;
  for (double x : g) sq += x * x;
  const double norm = std::sqrt(sq), coef = std::min(1.0, max_norm / (norm + 1e-6));
  REQUIRE(coef < 0.5);
  const Summary s = r.train(1);
  CHECK(s.grad_norm == doctest::Approx(norm).epsilon(1e-6));
  for (size_t i = 0; i < w0.size(); ++i)
    CHECK(double(r.model().P.value[i]) == doctest::Approx(double(w0[i]) - lr * coef * g[i]).epsilon(1e-6).scale(1));
}

TEST_CASE("Run follows the configured schedule: the lr history is scheduled_lr at steps 0, 1, 2, …") {
  json cfg = custom_config({{"optimizer", {{"name", "adam"}, {"lr", 0.01}}},
                            {"schedule", {{"name", "step"}, {"step_size", 2}, {"gamma", 0.5}, {"warmup", 3}}}});
  Run r(cfg);
  r.train(7);
  const auto& lr = r.metrics().at("lr");
  REQUIRE(lr.size() == 7);
  for (int k = 0; k < 7; ++k) {
    const double expect = 0.01 * std::pow(0.5, double(k / 2)) * std::min(1.0, (k + 1) / 3.0);
    CHECK(double(lr[size_t(k)]) == doctest::Approx(expect).epsilon(1e-6));
  }
}
