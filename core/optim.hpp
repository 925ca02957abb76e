// optim.hpp — optimizers as policies (hyperparameters + per-run state + one flat update()) with torch.optim's rules,
// names and defaults, and the learning-rate schedules. Not gradient computation, clipping or penalties (run.cpp).
#pragma once
#include <cmath>
#include <string>
#include <vector>

namespace rnnlab {

struct OptimSpec {
  std::string name = "adam";  // sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw
  double lr = 1e-3;
  double momentum = 0.0, dampening = 0.0; bool nesterov = false;   // torch.optim.SGD
  double alpha = 0.99; bool centered = false;                      // torch.optim.RMSprop (also momentum)
  double beta1 = 0.9, beta2 = 0.999; bool amsgrad = false;         // torch.optim.Adam / AdamW
  double eps = 1e-8;                                               // Adagrad's default is 1e-10
  double weight_decay = 0.0;                                       // AdamW's default is 1e-2
  double lr_decay = 0.0, initial_accumulator_value = 0.0;          // torch.optim.Adagrad
};

// One update of all parameters w (n floats) from gradients g, at learning rate lr (after the schedule).
//  sgd       (torch.optim.SGD): g += wd·w; b = μ·b + (1−dampening)·g (b = g at step 1); g = nesterov ? g + μ·b : b; w −= lr·g
//  adagrad   (Duchi et al. 2011): g += wd·w; s += g²; w −= lr/(1+(t−1)·lr_decay) · g/(√s + ε)          defaults lr 1e-2, ε 1e-10
//  rmsprop   (Hinton 2012): g += wd·w; v = α·v + (1−α)·g²; [centered: ḡ = α·ḡ + (1−α)·g, v̂ = v − ḡ²]; d = √v̂ + ε;
//            momentum μ>0: b = μ·b + g/d, w −= lr·b; else w −= lr·g/d                                       defaults lr 1e-2, α 0.99, ε 1e-8
//  adam      (Kingma & Ba 2015): g += wd·w; m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; [amsgrad: v̂max = max(v̂max, v)];
//            w −= (lr/(1−β1ᵗ)) · m / (√v/√(1−β2ᵗ) + ε)                                                    defaults lr 1e-3, β (0.9, 0.999), ε 1e-8
//  adamw     (Loshchilov & Hutter 2019): w −= lr·wd·w first (decoupled), then adam without wd                 default wd 1e-2
template <class T> struct Optimizer {
  OptimSpec h;
  std::vector<T> m, v, vmax;  // first moment / momentum buffer, second moment / accumulator, amsgrad max
  long t = 0;                 // steps taken

  explicit Optimizer(const OptimSpec& s, size_t n) : h(s) {
    m.assign(n, T(0));
    v.assign(n, T(h.name == "adagrad" ? h.initial_accumulator_value : 0.0));
    if (h.amsgrad) vmax.assign(n, T(0));
  }

  void update(T* w, const T* g_in, size_t n, double lr) {
    ++t;
    const T wd = T(h.weight_decay), eps = T(h.eps);
    const std::string& name = h.name;
    if (name == "sgd" || name == "momentum" || name == "nesterov") {
      const T mu = T(h.momentum), damp = T(1.0 - h.dampening), a = T(lr);
      for (size_t i = 0; i < n; ++i) {
        T g = g_in[i] + wd * w[i];
        if (mu != T(0)) {
          m[i] = t == 1 ? g : mu * m[i] + damp * g;
          g = h.nesterov ? g + mu * m[i] : m[i];
        }
        w[i] -= a * g;
      }
    } else if (name == "adagrad") {
      const T clr = T(lr / (1.0 + double(t - 1) * h.lr_decay));
      for (size_t i = 0; i < n; ++i) {
        const T g = g_in[i] + wd * w[i];
        v[i] += g * g;
        w[i] -= clr * g / (std::sqrt(v[i]) + eps);
      }
    } else if (name == "rmsprop") {
      const T al = T(h.alpha), mu = T(h.momentum), a = T(lr);
      for (size_t i = 0; i < n; ++i) {
        const T g = g_in[i] + wd * w[i];
        v[i] = al * v[i] + (1 - al) * g * g;
        T avg = v[i];
        if (h.centered) {
          if (vmax.empty()) vmax.assign(n, T(0));  // holds ḡ
          vmax[i] = al * vmax[i] + (1 - al) * g;
          avg -= vmax[i] * vmax[i];
        }
        const T d = std::sqrt(avg) + eps;
        if (mu > T(0)) { m[i] = mu * m[i] + g / d; w[i] -= a * m[i]; }
        else w[i] -= a * g / d;
      }
    } else {  // adam, adamw
      const bool decoupled = name == "adamw";
      const T b1 = T(h.beta1), b2 = T(h.beta2);
      const double bc1 = 1.0 - std::pow(h.beta1, double(t)), bc2 = 1.0 - std::pow(h.beta2, double(t));
      const T step = T(lr / bc1), sbc2 = T(std::sqrt(bc2)), decay = T(1.0 - lr * h.weight_decay);
      for (size_t i = 0; i < n; ++i) {
        T g = g_in[i];
        if (decoupled) w[i] *= decay; else g += wd * w[i];
        m[i] = b1 * m[i] + (1 - b1) * g;
        v[i] = b2 * v[i] + (1 - b2) * g * g;
        T vv = v[i];
        if (h.amsgrad) { vmax[i] = std::max(vmax[i], v[i]); vv = vmax[i]; }
        w[i] -= step * m[i] / (std::sqrt(vv) / sbc2 + eps);
      }
    }
  }
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
