// gemm_bench.cpp — GFLOP/s of the recurrent cells' matrix products (W_hh row-major, activations column-major, B = 32) at the
// benchmark sizes, as plain Eigen and through the core's own kernels when it has them. Not a GEMM library benchmark.
//
// Layouts as in core/layers.hpp; "core" = mul_wx / mul_wtd / mul_dyt of core/kernels.hpp, detected at compile time.
//
// usage: bench_gemm_bench [--variant NAME] [--ms 300] [--reps 5] [--hidden 32,64,128]   → one JSON line per H
//   fwd: G_t += W_hh·h_{t−1} (4H×H · H×32), per step    bwd: dh = W_hhᵀ·dG_t (H×4H · 4H×32), per step
//   dyt: dW_hh += dG·Hᵀ over all steps (4H×(T−1)·32 · (T−1)·32×H), once per training step
// Built natively by CMake (bench_gemm_bench) and for wasm by bench/run.sh (em++ -O3 -msimd128, as the core's wasm build).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "tensor.hpp"
#if __has_include("kernels.hpp")
#include "kernels.hpp"
#endif

// The core's entry points are detected rather than assumed, so this file keeps compiling while they change: a dummy
// overload makes the names exist, and the traits below are true only when a real overload accepts these arguments.
namespace rnnlab {
struct BenchAbsent {};
inline void mul_wx(BenchAbsent) {}
inline void mul_wtd(BenchAbsent) {}
inline void mul_dyt(BenchAbsent) {}
}  // namespace rnnlab

namespace {
using namespace rnnlab;
using W_t = WMap<float>;
using Blk = decltype(std::declval<Mat<float>&>().middleCols(0, 1));

template <class W, class X, class = void> struct HasWx : std::false_type {};
template <class W, class X>
struct HasWx<W, X, std::void_t<decltype(rnnlab::mul_wx(std::declval<const W&>(), std::declval<const X&>(), std::declval<X>(), true))>>
    : std::true_type {};
template <class W, class X, class = void> struct HasWtd : std::false_type {};
template <class W, class X>
struct HasWtd<W, X, std::void_t<decltype(rnnlab::mul_wtd(std::declval<const W&>(), std::declval<const X&>(), std::declval<Mat<float>&>(), false))>>
    : std::true_type {};
template <class W, class X, class = void> struct HasDyt : std::false_type {};
template <class W, class X>
struct HasDyt<W, X, std::void_t<decltype(rnnlab::mul_dyt(std::declval<const X&>(), std::declval<const X&>(), std::declval<W>()))>>
    : std::true_type {};
constexpr bool kCore = HasWx<W_t, Blk>::value && HasWtd<W_t, Blk>::value && HasDyt<W_t, Blk>::value;

double now_s() {
  using C = std::chrono::steady_clock;
  return std::chrono::duration<double>(C::now().time_since_epoch()).count();
}
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}
// GFLOP/s of body() (which does `flop` floating-point operations) over about `ms` milliseconds
template <class F> double rate(F&& body, double flop, double ms) {
  long n = 0;
  const double t0 = now_s();
  double t = t0;
  do { body(); ++n; t = now_s(); } while ((t - t0) * 1000 < ms);
  return flop * double(n) / (t - t0) * 1e-9;
}
}  // namespace

int main(int argc, char** argv) {
  std::string variant = "native";
  double ms = 300;
  int reps = 5;
  std::vector<int> sizes = {32, 64, 128};
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--variant") variant = v;
    else if (a == "--ms") ms = std::atof(v.c_str());
    else if (a == "--reps") reps = std::max(1, std::atoi(v.c_str()));
    else if (a == "--hidden") {
      sizes.clear();
      std::stringstream ss(v);
      for (std::string s; std::getline(ss, s, ',');) sizes.push_back(std::atoi(s.c_str()));
    } else { std::fprintf(stderr, "unknown option %s\n", a.c_str()); return 2; }
  }
  const int B = 32, T = 50, N = T * B;
  double sink = 0;
  for (int H : sizes) {
    std::vector<float> wbuf(size_t(4 * H) * H), gbuf(wbuf.size(), 0.0f);
    for (size_t i = 0; i < wbuf.size(); ++i) wbuf[i] = float((i * 2654435761u) % 1000) * 2e-5f - 0.01f;
    WMap<float> W(wbuf.data(), 4 * H, H), dW(gbuf.data(), 4 * H, H);
    Mat<float> y = Mat<float>::Random(H, N) * 0.5f;
    Mat<float> G = Mat<float>::Zero(4 * H, N);
    Mat<float> dG = Mat<float>::Random(4 * H, N) * 0.01f;
    Mat<float> dh(H, B);
    const double f_step = 2.0 * 4 * H * H * B * (T - 1), f_dyt = 2.0 * 4 * H * H * B * (T - 1);
    // one body per product and implementation; each does the T − 1 products of a sequence (or the one dyt product)
    auto e_fwd = [&] { for (int s = 1; s < T; ++s) G.middleCols(s * B, B).noalias() += W * y.middleCols((s - 1) * B, B); };
    auto e_bwd = [&] { for (int s = 1; s < T; ++s) dh.noalias() = W.transpose() * dG.middleCols(s * B, B); };
    auto e_dyt = [&] { dW.noalias() += dG.rightCols(N - B) * y.leftCols(N - B).transpose(); };
    auto c_fwd = [&] {
      if constexpr (kCore) for (int s = 1; s < T; ++s) rnnlab::mul_wx(W, y.middleCols((s - 1) * B, B), G.middleCols(s * B, B), true);
    };
    auto c_bwd = [&] { if constexpr (kCore) for (int s = 1; s < T; ++s) rnnlab::mul_wtd(W, dG.middleCols(s * B, B), dh, false); };
    auto c_dyt = [&] { if constexpr (kCore) rnnlab::mul_dyt(dG.rightCols(N - B), y.leftCols(N - B), dW); };
    std::vector<double> r[6];
    for (int rep = -1; rep < reps; ++rep) {  // rep −1: warm-up (wasm tiers up), not recorded
      const double m = rep < 0 ? ms / 3 : ms;
      const double v[6] = {rate(e_fwd, f_step, m), rate(e_bwd, f_step, m), rate(e_dyt, f_dyt, m),
                           kCore ? rate(c_fwd, f_step, m) : 0, kCore ? rate(c_bwd, f_step, m) : 0, kCore ? rate(c_dyt, f_dyt, m) : 0};
      if (rep >= 0) for (int k = 0; k < 6; ++k) r[k].push_back(v[k]);
      sink += double(G(0, B)) + double(dh(0, 0)) + double(dW(0, 0));
    }
    std::printf("{\"bench\":\"gemm\",\"variant\":\"%s\",\"hidden\":%d,\"batch\":%d,\"reps\":%d,"
                "\"eigen_fwd\":%.3f,\"eigen_bwd\":%.3f,\"eigen_dyt\":%.3f,",
                variant.c_str(), H, B, reps, median(r[0]), median(r[1]), median(r[2]));
    if (kCore) std::printf("\"core_fwd\":%.3f,\"core_bwd\":%.3f,\"core_dyt\":%.3f}\n", median(r[3]), median(r[4]), median(r[5]));
    else std::printf("\"core_fwd\":null,\"core_bwd\":null,\"core_dyt\":null}\n");
    std::fflush(stdout);
  }
  std::fprintf(stderr, "checksum %g\n", sink);
  return 0;
}
