// tensor.hpp — the core's matrix types and the one contiguous parameter buffer with named views.
// Not a tensor library: sequences are (features, T·B) column-major matrices, time step t is the column block [t·B, t·B+B).
#pragma once
#include <Eigen/Dense>
#include <cstddef>
#include <string>
#include <vector>

namespace rnnlab {

template <class T> using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;                   // column-major
template <class T> using RowMat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T> using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;
template <class T> using WMap = Eigen::Map<RowMat<T>>;   // a weight (rows, cols), row-major exactly as torch stores it
template <class T> using VMap = Eigen::Map<Vec<T>>;      // a bias or norm vector (rows)

// What a parameter is, so that initialisers, penalties and probes can pick their kind.
enum class ParamKind { WeightIH, WeightHH, BiasIH, BiasHH, DenseWeight, DenseBias, NormWeight, NormBias, HeadWeight, HeadBias };

inline bool is_weight(ParamKind k) {
  return k == ParamKind::WeightIH || k == ParamKind::WeightHH || k == ParamKind::DenseWeight || k == ParamKind::HeadWeight;
}

struct ParamInfo {
  std::string name;  // PyTorch state_dict name, e.g. "rnn.weight_ih_l0"
  size_t offset;
  int rows, cols;    // cols == 0: a vector of shape [rows]
  ParamKind kind;
  int block;         // index of the block it belongs to (-1: head)
  size_t size() const { return size_t(rows) * size_t(cols ? cols : 1); }
};

// All trainable parameters in one buffer (value) with a same-shaped gradient buffer (grad),
// plus non-trainable buffers (batch-norm running statistics) in their own list.
template <class T> struct Params {
  std::vector<ParamInfo> info;
  std::vector<T> value, grad;
  std::vector<ParamInfo> buffer_info;
  std::vector<T> buffer;

  int add(const std::string& name, int rows, int cols, ParamKind kind, int block) {
    ParamInfo p{name, value.size(), rows, cols, kind, block};
    value.resize(value.size() + p.size(), T(0));
    grad.resize(value.size(), T(0));
    info.push_back(p);
    return int(info.size()) - 1;
  }
  int add_buffer(const std::string& name, int rows, T fill, int block) {
    ParamInfo p{name, buffer.size(), rows, 0, ParamKind::NormWeight, block};
    buffer.resize(buffer.size() + p.size(), fill);
    buffer_info.push_back(p);
    return int(buffer_info.size()) - 1;
  }
  WMap<T> w(int i) { return WMap<T>(value.data() + info[i].offset, info[i].rows, info[i].cols); }
  WMap<T> dw(int i) { return WMap<T>(grad.data() + info[i].offset, info[i].rows, info[i].cols); }
  VMap<T> v(int i) { return VMap<T>(value.data() + info[i].offset, info[i].rows); }
  VMap<T> dv(int i) { return VMap<T>(grad.data() + info[i].offset, info[i].rows); }
  VMap<T> buf(int i) { return VMap<T>(buffer.data() + buffer_info[i].offset, buffer_info[i].rows); }
  void zero_grad() { std::fill(grad.begin(), grad.end(), T(0)); }
  size_t size() const { return value.size(); }
};

}  // namespace rnnlab
