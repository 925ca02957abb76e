// step_bench.cpp — native training throughput of the core: one Run from a config file, warm-up, then steps/s over a
// fixed wall time, printed as one JSON line. Not a test (no checks) and not the driver: bench/run.sh interleaves the variants.
//
// usage: bench_step_bench CONFIG.json|- [--ms 1500] [--warmup-ms 400] [--chunk 10] [--variant NAME]
// Steps are taken as run.train(chunk) calls, exactly as bench/step_bench.mjs does in wasm, so both do the same work
// (including the probe step that Run::train takes at the end of every call).
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "run.hpp"

namespace {
double now_s() {
  using C = std::chrono::steady_clock;
  return std::chrono::duration<double>(C::now().time_since_epoch()).count();
}
}  // namespace

int main(int argc, char** argv) {
  std::string path, variant = "native";
  double ms = 1500, warmup_ms = 400;
  int chunk = 10;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) { std::fprintf(stderr, "%s needs a value\n", a.c_str()); std::exit(2); }
      return argv[++i];
    };
    if (a == "--ms") ms = std::atof(next().c_str());
    else if (a == "--warmup-ms") warmup_ms = std::atof(next().c_str());
    else if (a == "--chunk") chunk = std::atoi(next().c_str());
    else if (a == "--variant") variant = next();
    else if (!a.empty() && a[0] == '-' && a != "-") { std::fprintf(stderr, "unknown option %s\n", a.c_str()); return 2; }
    else path = a;
  }
  if (path.empty() || chunk < 1) {
    std::fprintf(stderr, "usage: bench_step_bench CONFIG.json|- [--ms 1500] [--warmup-ms 400] [--chunk 10] [--variant NAME]\n");
    return 2;
  }
  std::stringstream text;
  if (path == "-") text << std::cin.rdbuf();
  else {
    std::ifstream f(path);
    if (!f) { std::fprintf(stderr, "cannot read %s\n", path.c_str()); return 2; }
    text << f.rdbuf();
  }
  try {
    rnnlab::Run run(text.str());
    const auto& cfg = run.config();
    const double loss_start = run.train(1).loss;  // the first step (with its probe) is not timed
    const double w0 = now_s();
    long warm_steps = 0;
    do { run.train(chunk); warm_steps += chunk; } while ((now_s() - w0) * 1000 < warmup_ms);
    long steps = 0;
    const std::clock_t c0 = std::clock();  // CPU time of this process: steadier than wall time on a loaded machine
    const double t0 = now_s();
    double t = t0;
    do { run.train(chunk); steps += chunk; t = now_s(); } while ((t - t0) * 1000 < ms);
    const double cpu = double(std::clock() - c0) / CLOCKS_PER_SEC;
    const rnnlab::Summary& s = run.summary();
    std::printf("{\"bench\":\"step\",\"variant\":\"%s\",\"cell\":\"%s\",\"hidden\":%d,\"chunk\":%d,\"warmup_steps\":%ld,"
                "\"steps\":%ld,\"seconds\":%.6f,\"sps\":%.4f,\"cpu_seconds\":%.6f,\"cpu_sps\":%.4f,\"loss_start\":%.6g,"
                "\"loss_end\":%.6g,\"diverged\":%s}\n",
                variant.c_str(), cfg["model"]["cell"].get<std::string>().c_str(), cfg["model"]["hidden"].get<int>(), chunk,
                warm_steps, steps, t - t0, double(steps) / (t - t0), cpu, double(steps) / cpu, loss_start, s.loss,
                s.diverged ? "true" : "false");
    return s.diverged ? 1 : 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "step_bench: %s\n", e.what());
    return 1;
  }
}
