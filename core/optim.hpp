// optim.hpp — optimizers as policies (hyperparameters + per-run state + one flat update()) with torch.optim's rules,
// names and defaults, and the learning-rate schedules. Not gradient computation, clipping or penalties (run.cpp).
#pragma once
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

namespace rnnlab {

// The update rules by name: parsed once (config.cpp, kOptimNames) into this enum; make_rule() turns it into a policy.
enum class Optim { Sgd, Momentum, Nesterov, Adagrad, Rmsprop, Adam, Adamw };

struct OptimSpec {
  Optim name = Optim::Adam;
  double lr = 1e-3;
  double momentum = 0.0, dampening = 0.0; bool nesterov = false;   // torch.optim.SGD
  double alpha = 0.99; bool centered = false;                      // torch.optim.RMSprop (also momentum)
  double beta1 = 0.9, beta2 = 0.999; bool amsgrad = false;         // torch.optim.Adam / AdamW
  double eps = 1e-8;                                               // Adagrad's default is 1e-10
  double weight_decay = 0.0;                                       // AdamW's default is 1e-2
  double lr_decay = 0.0, initial_accumulator_value = 0.0;          // torch.optim.Adagrad
};

// One update rule: its hyperparameters, its state (one vector per meaning) and update(w, g, n, lr), which moves all n
// parameters w from their gradients g at learning rate lr (after the schedule). g += wd·w is torch's L2 weight_decay.
template <class T> struct Rule {
  virtual ~Rule() = default;
  virtual void update(T* w, const T* g, size_t n, double lr) = 0;
};

// SGD (torch.optim.SGD, momentum 0): w −= lr·(g + wd·w).                                              default lr 1e-2
template <class T> struct Sgd : Rule<T> {
  T wd;
  explicit Sgd(const OptimSpec& h) : wd(T(h.weight_decay)) {}
  void update(T* w, const T* g_in, size_t n, double lr) override {
    const T a = T(lr);
    for (size_t i = 0; i < n; ++i) w[i] -= a * (g_in[i] + wd * w[i]);
  }
};

// Heavy-ball momentum (Polyak 1964; torch.optim.SGD with momentum μ > 0): g += wd·w; b = μ·b + (1 − dampening)·g
// (b = g at step 1); w −= lr·b.                                          "momentum": μ 0.9, dampening 0, lr 1e-2
// Nesterov momentum (Nesterov 1983, as Sutskever et al. 2013; torch.optim.SGD(nesterov=True), dampening 0): the same
// buffer, then w −= lr·(g + μ·b).                                                        "nesterov": μ 0.9, lr 1e-2
// (Nesterov is a run-time flag, not a template parameter: one compiled loop for both, −0.4 kB gzipped in wasm)
template <class T> struct Momentum : Rule<T> {
  T wd, mu, damp; bool kNesterov;
  std::vector<T> buf;  // b, the momentum buffer
  long t = 0;
  Momentum(const OptimSpec& h, size_t n)
      : wd(T(h.weight_decay)), mu(T(h.momentum)), damp(T(1.0 - h.dampening)), kNesterov(h.nesterov), buf(n, T(0)) {}
  void update(T* w, const T* g_in, size_t n, double lr) override {
    ++t;
    const T a = T(lr);
    for (size_t i = 0; i < n; ++i) {
      const T g = g_in[i] + wd * w[i];
      buf[i] = t == 1 ? g : mu * buf[i] + damp * g;
      w[i] -= a * (kNesterov ? g + mu * buf[i] : buf[i]);
    }
  }
};

// Adagrad (Duchi et al. 2011; torch.optim.Adagrad): g += wd·w; s += g²; w −= lr/(1 + (t−1)·lr_decay) · g/(√s + ε).
//                                                    defaults lr 1e-2, ε 1e-10, lr_decay 0, initial_accumulator_value 0
template <class T> struct Adagrad : Rule<T> {
  T wd, eps; double lr_decay;
  std::vector<T> sum;  // s, the sum of squared gradients
  long t = 0;
  Adagrad(const OptimSpec& h, size_t n)
      : wd(T(h.weight_decay)), eps(T(h.eps)), lr_decay(h.lr_decay), sum(n, T(h.initial_accumulator_value)) {}
  void update(T* w, const T* g_in, size_t n, double lr) override {
    ++t;
    const T clr = T(lr / (1.0 + double(t - 1) * lr_decay));
    for (size_t i = 0; i < n; ++i) {
      const T g = g_in[i] + wd * w[i];
      sum[i] += g * g;
      w[i] -= clr * g / (std::sqrt(sum[i]) + eps);
    }
  }
};

// RMSprop (Hinton 2012, lecture 6e; torch.optim.RMSprop): g += wd·w; v = α·v + (1−α)·g²;
// centered (Graves 2013): ḡ = α·ḡ + (1−α)·g, v̂ = v − ḡ² (else v̂ = v); d = √v̂ + ε;
// momentum μ > 0: b = μ·b + g/d, w −= lr·b; else w −= lr·g/d.                   defaults lr 1e-2, α 0.99, ε 1e-8, μ 0
template <class T> struct RmsProp : Rule<T> {
  T wd, eps, alpha, mu; bool centered;
  std::vector<T> square_avg, grad_avg, buf;  // v; ḡ (centered only); b (momentum only)
  RmsProp(const OptimSpec& h, size_t n)
      : wd(T(h.weight_decay)), eps(T(h.eps)), alpha(T(h.alpha)), mu(T(h.momentum)), centered(h.centered), square_avg(n, T(0)),
        grad_avg(centered ? n : 0, T(0)), buf(mu > T(0) ? n : 0, T(0)) {}
  void update(T* w, const T* g_in, size_t n, double lr) override {
    const T al = alpha, a = T(lr);
    for (size_t i = 0; i < n; ++i) {
      const T g = g_in[i] + wd * w[i];
      square_avg[i] = al * square_avg[i] + (1 - al) * g * g;
      T avg = square_avg[i];
      if (centered) {
        grad_avg[i] = al * grad_avg[i] + (1 - al) * g;
        avg -= grad_avg[i] * grad_avg[i];
      }
      const T d = std::sqrt(avg) + eps;
      if (mu > T(0)) { buf[i] = mu * buf[i] + g / d; w[i] -= a * buf[i]; }
      else w[i] -= a * g / d;
    }
  }
};

// Adam (Kingma & Ba 2015; torch.optim.Adam): g += wd·w; m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
// amsgrad (Reddi et al. 2018): v̂ = max(v̂, v), used in place of v; w −= (lr/(1−β1ᵗ)) · m / (√v/√(1−β2ᵗ) + ε).
//                                                                           defaults lr 1e-3, β (0.9, 0.999), ε 1e-8
// AdamW (Loshchilov & Hutter 2019; torch.optim.AdamW): the same with decoupled decay: w −= lr·wd·w first, no g += wd·w.
//                                                                                                    default wd 1e-2
template <class T> struct Adam : Rule<T> {
  double beta1, beta2, weight_decay; T wd, eps; bool amsgrad, decoupled;
  std::vector<T> m, v, vmax;  // first moment, second moment, running max of v (amsgrad only)
  long t = 0;
  Adam(const OptimSpec& h, size_t n, bool decoupled_)
      : beta1(h.beta1), beta2(h.beta2), weight_decay(h.weight_decay), wd(T(h.weight_decay)), eps(T(h.eps)), amsgrad(h.amsgrad), decoupled(decoupled_),
        m(n, T(0)), v(n, T(0)), vmax(amsgrad ? n : 0, T(0)) {}
  void update(T* w, const T* g_in, size_t n, double lr) override {
    ++t;
    const T b1 = T(beta1), b2 = T(beta2);
    const double bc1 = 1.0 - std::pow(beta1, double(t)), bc2 = 1.0 - std::pow(beta2, double(t));
    const T step = T(lr / bc1), sbc2 = T(std::sqrt(bc2)), decay = T(1.0 - lr * weight_decay);
    for (size_t i = 0; i < n; ++i) {
      T g = g_in[i];
      if (decoupled) w[i] *= decay; else g += wd * w[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      T vv = v[i];
      if (amsgrad) { vmax[i] = std::max(vmax[i], v[i]); vv = vmax[i]; }
      w[i] -= step * m[i] / (std::sqrt(vv) / sbc2 + eps);
    }
  }
};

// Once-per-run code (make_rule): optimised for size in the wasm build, as run.cpp's set-up (clang's minsize)
#if defined(__EMSCRIPTEN__)
#define RNNLAB_OPTIM_COLD __attribute__((minsize))
#else
#define RNNLAB_OPTIM_COLD
#endif

// The rule a spec asks for, chosen once per run. "sgd", "momentum" and "nesterov" are torch.optim.SGD under three
// names with different defaults: the rule follows the hyperparameters (μ = 0: Sgd; else Momentum, Nesterov's if nesterov).
template <class T> RNNLAB_OPTIM_COLD std::unique_ptr<Rule<T>> make_rule(const OptimSpec& h, size_t n) {
  switch (h.name) {
    case Optim::Sgd: case Optim::Momentum: case Optim::Nesterov:
      if (T(h.momentum) == T(0)) return std::make_unique<Sgd<T>>(h);
      return std::make_unique<Momentum<T>>(h, n);
    case Optim::Adagrad: return std::make_unique<Adagrad<T>>(h, n);
    case Optim::Rmsprop: return std::make_unique<RmsProp<T>>(h, n);
    case Optim::Adam: return std::make_unique<Adam<T>>(h, n, false);
    case Optim::Adamw: break;
  }
  return std::make_unique<Adam<T>>(h, n, true);
}

// A run's optimizer: the rule chosen from the spec, then update() per step.
template <class T> struct Optimizer {
  std::unique_ptr<Rule<T>> rule;
  Optimizer(const OptimSpec& h, size_t n) : rule(make_rule<T>(h, n)) {}
  void update(T* w, const T* g, size_t n, double lr) { rule->update(w, g, n, lr); }
};

// Learning rate at step k (0-based: the rate used by the k-th update), torch.optim.lr_scheduler semantics:
//  constant: lr;  step (StepLR): lr·γ^⌊k/step_size⌋;  exponential (ExponentialLR): lr·γ^k;
//  cosine (CosineAnnealingLR): η_min + (lr − η_min)(1 + cos(π·min(k, T_max)/T_max))/2;
//  warmup: any of these multiplied by min(1, (k+1)/warmup) (LinearLR-style linear warm-up; 0 = none).
struct ScheduleSpec {
  std::string name = "constant";
  int step_size = 100; double gamma = 0.1;
  int T_max = 1000; double eta_min = 0.0;
  int warmup = 0;
};

inline double scheduled_lr(const ScheduleSpec& s, double lr, long k) {
  double r = lr;
  if (s.name == "step") r = lr * std::pow(s.gamma, double(k / s.step_size));
  else if (s.name == "exponential") r = lr * std::pow(s.gamma, double(k));
  else if (s.name == "cosine") {
    const double kk = double(std::min<long>(k, s.T_max));
    r = s.eta_min + (lr - s.eta_min) * (1.0 + std::cos(3.141592653589793 * kk / s.T_max)) / 2.0;
  }
  if (s.warmup > 0) r *= std::min(1.0, double(k + 1) / double(s.warmup));
  return r;
}

}  // namespace rnnlab
