// run.cpp — the training loop: batch → forward → loss (+ penalties) → backward → clip → optimizer, with metrics.
// Not numerics of its own: layers.hpp, loss.hpp and optim.hpp hold every formula.
#include "run.hpp"

#include <cmath>
#include <limits>

// Code that runs once per run or per export (set-up, JSON): optimised for size in the wasm build (clang's minsize); the
// training step keeps -O3. No effect on results: no fast-math, so only inlining and vectorisation decisions change.
#if defined(__EMSCRIPTEN__)
#define RNNLAB_COLD __attribute__((minsize))
#else
#define RNNLAB_COLD
#endif

namespace rnnlab {

using nlohmann::json;

namespace {

bool finite(double x) { return std::isfinite(x); }

// a JSON number that is finite as a float (1e39 is a finite double but would be stored as inf)
bool float_number(const json& v) {
  return v.is_number() && std::fabs(v.get<double>()) <= double(std::numeric_limits<float>::max());
}

}  // namespace

RNNLAB_COLD json Summary::to_json() const {
  auto num_or_null = [](double x, bool present) { return present && std::isfinite(x) ? json(x) : json(nullptr); };
  JsonObject o;
  o.set("step", step).set("loss", num_or_null(loss, step > 0)).set("penalty", penalty).set("lr", lr)
      .set("grad_norm", num_or_null(grad_norm, step > 0)).set("accuracy", num_or_null(accuracy, accuracy >= 0))
      .set("val_loss", num_or_null(val_loss, val_loss >= 0)).set("val_accuracy", num_or_null(val_accuracy, val_accuracy >= 0))
      .set("diverged", diverged).set("diverged_at", diverged ? json(diverged_at) : json(nullptr));
  return o.take();
}

RNNLAB_COLD Run::Run(const std::string& text) : config_(parse_config(text)) { init(); }
RNNLAB_COLD Run::Run(const json& j) : config_(parse_config(j)) { init(); }

RNNLAB_COLD void Run::init() {
  // independent streams: the data does not change when the model or the optimizer does
  data_rng_.reseed(config_.seed * 4 + 0);
  init_rng_.reseed(config_.seed * 4 + 1);
  batch_rng_.reseed(config_.seed * 4 + 2);
  dropout_rng_.reseed(config_.seed * 4 + 3);
  task_ = make_task(config_, data_rng_);
  const double count = Model<float>::count_params(config_.model);  // before allocating: a too-large model is refused
  if (count > caps::params)
    throw ConfigError("config.model: " + std::to_string((long long)count) + " parameters; allowed: at most " +
                      std::to_string((long long)caps::params) + " (lower hidden or layers)");
  model_ = std::make_unique<Model<float>>(config_.model);
  model_->initialize(init_rng_);
  opt_ = std::make_unique<Optimizer<float>>(config_.optim, model_->P.size());
  config_.normalized = normalize(config_);
  summary_.lr = scheduled_lr(config_.schedule, config_.optim.lr, 0);
  for (const char* k : {"step", "loss", "lr", "grad_norm", "val_step", "val_loss"}) metrics_[k];
  if (task_.train.classes) { metrics_["accuracy"]; metrics_["val_accuracy"]; }
  if (config_.l1 > 0 || config_.l2 > 0) metrics_["penalty"];
}

double Run::loss_and_grad(const std::vector<int>& idx, bool probe) {
  const Dataset& d = task_.train;
  gather(d, idx, X_, Y_, labels_);
  Ctx c;
  c.T = d.T; c.B = int(idx.size()); c.train = true; c.rng = &dropout_rng_; c.probe = probe;
  Model<float>& m = *model_;
  m.P.zero_grad();
  const Mat<float>& yhat = m.forward(X_, c);
  double loss;
  int hits = 0;
  if (d.classes) loss = cross_entropy_loss<float>(yhat, labels_.data(), dyhat_, &hits);
  else loss = mse_loss<float>(yhat, Y_, dyhat_);
  if (d.classes) summary_.accuracy = double(hits) / double(yhat.cols());
  m.backward(X_, dyhat_, c);
  return loss;
}

std::pair<double, double> Run::evaluate(const Dataset& d) {
  if (d.n == 0) return {-1, -1};
  Ctx c;
  c.T = d.T; c.train = false; c.rng = &dropout_rng_;
  double loss = 0, hits = 0, count = 0;
  std::vector<int> idx;
  Mat<float> X, Y, dy;
  std::vector<int> labels;
  const int chunk = 256;
  for (int s = 0; s < d.n; s += chunk) {
    const int B = std::min(chunk, d.n - s);
    idx.resize(size_t(B));
    for (int b = 0; b < B; ++b) idx[size_t(b)] = s + b;
    gather(d, idx, X, Y, labels);
    c.B = B;
    const Mat<float>& yhat = model_->forward(X, c);
    int h = 0;
    const double l = d.classes ? cross_entropy_loss<float>(yhat, labels.data(), dy, &h) : mse_loss<float>(yhat, Y, dy);
    loss += l * double(yhat.size()) / (d.classes ? double(yhat.rows()) : 1.0);
    count += d.classes ? double(yhat.cols()) : double(yhat.size());
    hits += h;
  }
  return {loss / count, d.classes ? hits / count : -1.0};
}

// One update, in the order of its formulas: θ ← opt(θ, clip(∇L(θ; batch) + ∇penalty(θ))), then the bookkeeping.
void Run::step_once(bool probe) {
  const long k = summary_.step;  // 0-based index of this update
  const double lr = scheduled_lr(config_.schedule, config_.optim.lr, k);
  sample_batch();
  const double loss = loss_and_grad(idx_, probe);  // forward, loss, backward: gradients in P.grad
  const double penalty = add_penalties();
  const double gnorm = clip_gradients();
  if (probe) w_before_ = model_->P.value;
  opt_->update(model_->P.value.data(), model_->P.grad.data(), model_->P.size(), lr);
  summary_.step = k + 1;
  if (!finite(loss) || !finite(penalty) || !weights_finite()) return mark_diverged();
  record_step(loss, penalty, lr, gnorm);
  if (probe) record_probes();
  if (task_.val.n > 0 && ((k + 1) % config_.eval_every == 0 || k == 0) && !evaluate_and_record()) {
    forget_last_step();  // the histories end before the step that diverged
    mark_diverged();
  }
}

// idx_ ← the batch's sample indices: the whole set in order (custom data) or B uniform draws
void Run::sample_batch() {
  const int B = config_.batch;
  idx_.resize(size_t(B));
  if (task_.full_batch) for (int b = 0; b < B; ++b) idx_[size_t(b)] = b;
  else for (int b = 0; b < B; ++b) idx_[size_t(b)] = int(batch_rng_.below(uint32_t(task_.train.n)));
}

// penalty λ1·Σ|w| + λ2·Σw² over the weight matrices; g += λ1·sign(w) + 2·λ2·w. Returns the penalty (0 without one).
double Run::add_penalties() {
  double penalty = 0;
  if (config_.l1 <= 0 && config_.l2 <= 0) return penalty;
  Params<float>& P = model_->P;
  const float l1 = float(config_.l1), l2 = float(config_.l2);
  for (const ParamInfo& p : P.info) {
    if (!is_weight(p.kind)) continue;
    float* w = P.value.data() + p.offset;
    float* g = P.grad.data() + p.offset;
    for (size_t i = 0; i < p.size(); ++i) {
      penalty += config_.l1 * std::fabs(w[i]) + config_.l2 * double(w[i]) * w[i];
      g[i] += l1 * float((w[i] > 0) - (w[i] < 0)) + 2 * l2 * w[i];
    }
  }
  return penalty;
}

// torch.nn.utils.clip_grad_norm_: g ·= min(1, max_norm/(‖g‖ + 1e-6)). Returns ‖g‖ before clipping.
double Run::clip_gradients() {
  std::vector<float>& grad = model_->P.grad;
  double sq = 0;
  for (float g : grad) sq += double(g) * g;
  const double gnorm = std::sqrt(sq);
  if (config_.clip_norm > 0) {
    const double coef = config_.clip_norm / (gnorm + 1e-6);
    if (coef < 1) for (float& g : grad) g *= float(coef);
  }
  return gnorm;
}

bool Run::weights_finite() const {
  for (float w : model_->P.value) if (!std::isfinite(w)) return false;
  return true;
}

void Run::mark_diverged() {
  summary_.diverged = true;
  summary_.diverged_at = summary_.step;
}

void Run::record_step(double loss, double penalty, double lr, double gnorm) {
  summary_.loss = loss;
  summary_.penalty = penalty;
  summary_.lr = lr;
  summary_.grad_norm = gnorm;
  record("step", float(summary_.step));
  record("loss", float(loss));
  record("lr", float(lr));
  record("grad_norm", float(gnorm));
  if (task_.train.classes) record("accuracy", float(summary_.accuracy));
  if (config_.l1 > 0 || config_.l2 > 0) record("penalty", float(penalty));
}

// drops what record_step() added for this step
void Run::forget_last_step() {
  for (const char* key : {"step", "loss", "lr", "grad_norm", "accuracy", "penalty"}) {
    auto it = metrics_.find(key);
    if (it != metrics_.end() && !it->second.empty() && (std::string(key) == "step" || it->second.size() == metrics_["step"].size()))
      it->second.pop_back();
  }
}

// the probes of this step: per-time-step gradient norms, per-block activation statistics, per-parameter update ratios
void Run::record_probes() {
  Model<float>& m = *model_;
  const Params<float>& P = m.P;
  if (!m.cells.empty()) {
    metrics_["grad_t"].assign(m.cells[0]->grad_t.begin(), m.cells[0]->grad_t.end());
    auto& all = metrics_["grad_t_layers"];
    all.clear();
    for (auto* cell : m.cells) all.insert(all.end(), cell->grad_t.begin(), cell->grad_t.end());
  }
  auto& am = metrics_["act_mean"]; auto& as = metrics_["act_std"]; auto& gb = metrics_["grad_block"];
  auto& ast = metrics_["act_std_t"]; auto& ah = metrics_["act_hist"]; auto& us = metrics_["unit_spread"];
  am.clear(); as.clear(); gb.clear(); ast.clear(); ah.clear(); us.clear();
  for (auto& p : m.probes) {
    am.push_back(p.act_mean); as.push_back(p.act_std); gb.push_back(p.grad_norm); us.push_back(p.unit_spread);
    ast.insert(ast.end(), p.act_std_t.begin(), p.act_std_t.end());
    ah.insert(ah.end(), p.hist.begin(), p.hist.end());
  }
  auto& ur = metrics_["update_ratio"]; auto& pg = metrics_["param_grad_norm"]; auto& ws = metrics_["weight_std"];
  ur.clear(); pg.clear(); ws.clear();
  for (const ParamInfo& p : P.info) {
    double du = 0, w2 = 0, g2 = 0;
    for (size_t i = p.offset; i < p.offset + p.size(); ++i) {
      const double delta = double(P.value[i]) - w_before_[i];
      du += delta * delta; w2 += double(w_before_[i]) * w_before_[i]; g2 += double(P.grad[i]) * P.grad[i];
    }
    ur.push_back(float(w2 > 0 ? std::sqrt(du / w2) : 0.0));
    pg.push_back(float(std::sqrt(g2)));
    double sum = 0, sq = 0;
    for (size_t i = p.offset; i < p.offset + p.size(); ++i) { sum += P.value[i]; sq += double(P.value[i]) * P.value[i]; }
    const double n = double(p.size()), mean = sum / n;
    ws.push_back(float(std::sqrt(std::max(0.0, sq / n - mean * mean))));
  }
}

// validation loss (and accuracy) into the summary and the histories; false if it is not finite (the run diverged)
bool Run::evaluate_and_record() {
  auto [vl, va] = evaluate(task_.val);
  if (!finite(vl)) return false;
  summary_.val_loss = vl;
  summary_.val_accuracy = va;
  record("val_step", float(summary_.step));
  record("val_loss", float(vl));
  if (task_.train.classes) record("val_accuracy", float(va));
  return true;
}

Summary Run::train(int steps) {
  if (steps < 0 || steps > 1000000) throw ConfigError("train(steps = " + std::to_string(steps) + "): allowed: 0 to 1000000");
  for (int i = 0; i < steps && !summary_.diverged; ++i) step_once(i == steps - 1 || summary_.step == 0);
  return summary_;
}

RNNLAB_COLD json Run::export_weights() const {
  json out = json::object();
  const Params<float>& P = model_->P;
  auto put = [&](const ParamInfo& p, const float* base) {
    if (p.cols == 0) out[p.name] = std::vector<float>(base + p.offset, base + p.offset + p.rows);
    else {
      json rows = json::array();
      for (int r = 0; r < p.rows; ++r)
        rows.push_back(std::vector<float>(base + p.offset + size_t(r) * p.cols, base + p.offset + size_t(r + 1) * p.cols));
      out[p.name] = std::move(rows);
    }
  };
  for (const ParamInfo& p : P.info) put(p, P.value.data());
  for (const ParamInfo& p : P.buffer_info) put(p, P.buffer.data());
  return out;
}

RNNLAB_COLD void Run::import_weights(const json& w) {
  if (!w.is_object()) throw ConfigError("importWeights: expected an object {name: nested arrays} as exportWeights() gives");
  Params<float>& P = model_->P;
  std::map<std::string, const ParamInfo*> known;
  for (const ParamInfo& p : P.info) known[p.name] = &p;
  for (const ParamInfo& p : P.buffer_info) known[p.name] = &p;
  auto shape = [](const ParamInfo& p) {
    return p.cols ? "[" + std::to_string(p.rows) + ", " + std::to_string(p.cols) + "]" : "[" + std::to_string(p.rows) + "]";
  };
  std::vector<float> value = P.value, buffer = P.buffer;  // all or nothing: check everything before changing the run
  for (auto it = w.begin(); it != w.end(); ++it) {
    auto k = known.find(it.key());
    if (k == known.end()) {
      std::string names;
      for (auto& e : known) names += (names.empty() ? "" : ", ") + e.first;
      throw ConfigError("importWeights: unknown parameter '" + it.key() + "'; this model has: " + names);
    }
    const ParamInfo& p = *k->second;
    const bool is_buffer = &p >= P.buffer_info.data() && &p < P.buffer_info.data() + P.buffer_info.size();
    float* dst = (is_buffer ? buffer.data() : value.data()) + p.offset;
    const json& v = it.value();
    auto bad = [&]() { throw ConfigError("importWeights: '" + p.name + "' has the wrong shape or a non-finite value; expected " + shape(p) + " finite numbers"); };
    if (!v.is_array() || v.size() != size_t(p.rows)) bad();
    for (int r = 0; r < p.rows; ++r) {
      if (p.cols == 0) {
        if (!float_number(v[r])) bad();
        dst[r] = v[r].get<float>();
      } else {
        const json& row = v[r];
        if (!row.is_array() || row.size() != size_t(p.cols)) bad();
        for (int c = 0; c < p.cols; ++c) {
          if (!float_number(row[c])) bad();
          dst[size_t(r) * p.cols + c] = row[c].get<float>();
        }
      }
    }
  }
  for (const ParamInfo& p : P.info)
    if (!w.contains(p.name)) throw ConfigError("importWeights: missing parameter '" + p.name + "' " + shape(p));
  P.value = std::move(value);
  P.buffer = std::move(buffer);
}

}  // namespace rnnlab
