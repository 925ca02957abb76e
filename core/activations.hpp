// activations.hpp — elementwise nonlinearities and their derivatives written from the output y = f(x).
// Not a layer: layers.hpp wraps these; every derivative here is expressed through y so that no input needs caching.
#pragma once
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace rnnlab {

enum class Act { Sigmoid, Tanh, Relu, LeakyRelu, Elu, Selu, Linear };

constexpr double kSeluLambda = 1.0507009873554804934193349852946;
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kLeakySlope = 0.01;  // torch.nn.LeakyReLU default negative_slope
constexpr double kEluAlpha = 1.0;     // torch.nn.ELU default alpha

// names in enum order: the one list that parsing, error messages and the normalized config all use
inline const std::vector<std::string>& act_names() {
  static const std::vector<std::string> names = {"sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "linear"};
  return names;
}
inline const std::string& act_name(Act a) { return act_names()[size_t(a)]; }

template <class T> inline T act_f(Act a, T x) {
  switch (a) {
    case Act::Sigmoid: return T(1) / (T(1) + std::exp(-x));
    case Act::Tanh: return std::tanh(x);
    case Act::Relu: return x > T(0) ? x : T(0);
    case Act::LeakyRelu: return x > T(0) ? x : T(kLeakySlope) * x;
    case Act::Elu: return x > T(0) ? x : T(kEluAlpha) * (std::exp(x) - T(1));
    case Act::Selu: return T(kSeluLambda) * (x > T(0) ? x : T(kSeluAlpha) * (std::exp(x) - T(1)));
    case Act::Linear: return x;
  }
  return x;
}

// f'(x) from y = f(x). y > 0 ⇔ x > 0 for relu/leaky/elu/selu; for elu/selu below zero f' = y + α (·λ).
template <class T> inline T act_df(Act a, T y) {
  switch (a) {
    case Act::Sigmoid: return y * (T(1) - y);
    case Act::Tanh: return T(1) - y * y;
    case Act::Relu: return y > T(0) ? T(1) : T(0);
    case Act::LeakyRelu: return y > T(0) ? T(1) : T(kLeakySlope);
    case Act::Elu: return y > T(0) ? T(1) : y + T(kEluAlpha);
    case Act::Selu: return y > T(0) ? T(kSeluLambda) : y + T(kSeluLambda * kSeluAlpha);
    case Act::Linear: return T(1);
  }
  return T(1);
}

}  // namespace rnnlab
