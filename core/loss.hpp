// loss.hpp — the two losses, with torch's reductions: mse = mean over all elements; cross_entropy = mean over samples
// of −log softmax(logits)[target]. Each returns the loss and WRITES ∂loss/∂prediction. Not penalties (see run.cpp).
#pragma once
#include <cmath>
#include <vector>

#include "tensor.hpp"

namespace rnnlab {

// L = (1/n)·Σ (ŷ − y)², n = all elements;  ∂L/∂ŷ = 2(ŷ − y)/n
template <class T> T mse_loss(const Mat<T>& yhat, const Mat<T>& y, Mat<T>& dyhat) {
  const T n = T(yhat.size());
  dyhat = yhat - y;
  const T loss = dyhat.squaredNorm() / n;
  dyhat *= T(2) / n;
  return loss;
}

// logits (C, N), labels N class indices; L = −(1/N)·Σ_j log softmax(z_j)[y_j];  ∂L/∂z = (softmax(z) − onehot(y))/N.
// correct (optional) receives the number of argmax hits.
template <class T> T cross_entropy_loss(const Mat<T>& logits, const int* labels, Mat<T>& dlogits, int* correct = nullptr) {
  const Eigen::Index C = logits.rows(), N = logits.cols();
  dlogits.resize(C, N);
  double loss = 0;
  int hits = 0;
  for (Eigen::Index j = 0; j < N; ++j) {
    Eigen::Index arg;
    const T m = logits.col(j).maxCoeff(&arg);
    dlogits.col(j) = (logits.col(j).array() - m).exp().matrix();
    const T s = dlogits.col(j).sum();
    const int y = labels[j];
    loss += double(std::log(s) - (logits(y, j) - m));
    dlogits.col(j) /= s;
    dlogits(y, j) -= T(1);
    hits += (arg == y);
  }
  dlogits /= T(N);
  if (correct) *correct = hits;
  return T(loss / double(N));
}

}  // namespace rnnlab
