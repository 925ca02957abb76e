// step_prof.cpp — where a training step's time goes: the whole step, forward, backward, and the cell's products and
// nonlinearities timed alone at the step's shapes, each as the best of 7 trials of process CPU time. Not the benchmark
// (bench/run.sh) and not a test: a tool for deciding what to optimise. Native: build/native/bench_step_prof CONFIG.json;
// wasm: see docs/performance.md "Session 3" for the em++ line, then node --no-liftoff step_prof.js CONFIG.json.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "run.hpp"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
EM_JS(double, cpu_ms, (), { const u = process.cpuUsage(); return (u.user + u.system) / 1000; });
#else
#include <ctime>
static double cpu_ms() { timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec * 1e3 + t.tv_nsec / 1e6; }
#endif

using namespace rnnlab;

namespace {
// ms per call of f: best of 7 trials of n calls each (the least disturbed trial on a shared machine)
template <class F> double best_ms(int n, F f) {
  f();
  double best = 1e30;
  for (int k = 0; k < 7; ++k) {
    const double t0 = cpu_ms();
    for (int i = 0; i < n; ++i) f();
    best = std::min(best, (cpu_ms() - t0) / n);
  }
  return best;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) { std::fprintf(stderr, "usage: step_prof CONFIG.json [calls per trial, 10]\n"); return 2; }
  std::ifstream file(argv[1]);
  if (!file) { std::fprintf(stderr, "cannot read %s\n", argv[1]); return 2; }
  std::stringstream text;
  text << file.rdbuf();
  const int n = argc > 2 ? std::max(1, std::atoi(argv[2])) : 10;
  Run run(text.str());
  Model<float>& m = run.model();
  if (m.cells.empty()) { std::fprintf(stderr, "step_prof: the config has no recurrent cell\n"); return 2; }
  const Dataset& d = run.task().train;
  const int B = std::min(32, d.n), T = d.T;
  std::vector<int> idx(static_cast<size_t>(B));
  for (int b = 0; b < B; ++b) idx[size_t(b)] = b;
  run.train(20);
  const double step = best_ms(std::max(1, n / 10), [&] { run.train(10); }) / 10;  // as the benchmark: a probe every 10th
  const double lg = best_ms(n, [&] { run.loss_and_grad(idx, false); });
  const double lgp = best_ms(n, [&] { run.loss_and_grad(idx, true); });
  Mat<float> X, Y, dy;
  std::vector<int> labels;
  gather(d, idx, X, Y, labels);
  Ctx c;
  c.T = T; c.B = B;
  const double fw = best_ms(n, [&] { m.forward(X, c); });
  mse_loss<float>(m.forward(X, c), Y, dy);
  const double bw = best_ms(n, [&] { m.backward(X, dy, c); });
  // the first cell's parts alone, on scratch matrices of the step's shapes
  Recurrent<float>& cell = *m.cells[0];
  const int H = cell.H, G = cell.gates * H;
  auto Wih = m.P.w(cell.Wih);
  auto Whh = m.P.w(cell.Whh);
  Mat<float> Gm = Mat<float>::Random(G, T * B), Hm = Mat<float>::Random(H, T * B), dh(H, B);  // (G, T·B), (H, T·B), (H, B)
  Mat<float> Xc = Mat<float>::Random(cell.in, T * B);                                          // (in, T·B)
  const double in = best_ms(n, [&] { mul_wx(Wih, Xc, Gm, false); });
  const double fwd = best_ms(n, [&] { for (int t = 1; t < T; ++t) mul_wx(Whh, Hm.middleCols((t - 1) * B, B), Gm.middleCols(t * B, B), true); });
  const double bwd = best_ms(n, [&] { for (int t = 1; t < T; ++t) mul_wtd(Whh, Gm.middleCols(t * B, B), dh, false); });
  const double dyt = best_ms(n, [&] { mul_dyt(Gm.rightCols((T - 1) * B), Hm.leftCols((T - 1) * B), m.P.dw(cell.Whh)); });
  const double dih = best_ms(n, [&] { mul_dyt(Gm, Xc, m.P.dw(cell.Wih)); });
  const double act = best_ms(n, [&] { sigmoid_inplace(Gm); });
  const double rs = best_ms(n, [&] { add_rowsum(Gm, m.P.dv(cell.bhh)); });
  const double gf = 2.0 * G * H * B * (T - 1) / 1e6;  // MFLOP of one recurrent product over the sequence
  std::printf("%s H=%d B=%d T=%d, ms per step (best of 7, CPU time)\n", run.config()["model"]["cell"].get<std::string>().c_str(), H, B, T);
  std::printf("  step (train(10)/10) %.3f | loss+grad %.3f (with probes %.3f) | forward %.3f | backward %.3f\n", step, lg, lgp, fw, bw);
  std::printf("  input product %.3f | W_hh h %.3f (%.1f GFLOP/s) | W_hh^T dG %.3f (%.1f) | dW_hh %.3f (%.1f) | dW_ih %.3f\n", in,
              fwd, gf / fwd, bwd, gf / bwd, dyt, gf / dyt, dih);
  std::printf("  sigmoid over all gates and steps %.3f | one bias row sum %.3f\n", act, rs);
  std::printf("  forward minus its products %.3f | backward minus its products and 2 row sums %.3f | step minus loss+grad %.3f\n",
              fw - in - fwd, bw - bwd - dyt - dih - 2 * rs, step - lg);
  return 0;
}
