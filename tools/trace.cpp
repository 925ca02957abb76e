// trace.cpp — native command-line twin of the wasm API for cross-checks: reads a config (JSON file or '-'), prints JSON
// with the initial weights, the data's first batch statistics and the per-step losses. Not a user tool: tests spawn it.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "run.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: rnnlab_trace <config.json | -> <steps>\n");
    return 2;
  }
  std::stringstream ss;
  if (std::string(argv[1]) == "-") ss << std::cin.rdbuf();
  else {
    std::ifstream f(argv[1]);
    if (!f) { std::fprintf(stderr, "cannot read %s\n", argv[1]); return 2; }
    ss << f.rdbuf();
  }
  try {
    rnnlab::Run run(ss.str());
    nlohmann::json out;
    out["init"] = run.export_weights();
    const rnnlab::Dataset& d = run.task().train;
    out["data_x"] = std::vector<float>(d.X.data(), d.X.data() + std::min<Eigen::Index>(d.X.size(), 256));
    run.train(std::atoi(argv[2]));
    out["summary"] = run.summary().to_json();
    for (auto& [k, v] : run.metrics()) out["metrics"][k] = v;
    std::cout << out.dump() << "\n";
  } catch (const std::exception& e) {
    std::cout << nlohmann::json{{"error", e.what()}}.dump() << "\n";
    return 1;
  }
  return 0;
}
