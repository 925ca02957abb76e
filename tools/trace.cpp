// trace.cpp — native command-line twin of the wasm API for cross-checks: reads a config (JSON file or '-'), prints JSON
// with the initial weights, the data's first batch statistics and the per-step losses; with a third argument
// {"sample": k, "generate": [prime, length, temperature, seed]} also inspect/predict of that sample and the generated text.
// Not a user tool: tests spawn it.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "run.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: rnnlab_trace <config.json | -> <steps> [look.json]\n");
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
    if (argc > 3) {  // after training: what predict, inspect and generate give (the flat layouts of run.hpp)
      const nlohmann::json look = nlohmann::json::parse(argv[3]);
      std::vector<float> data, pred;
      run.inspect(look["sample"].get<int>(), {}, data);
      out["inspect"] = data;
      out["final"] = run.export_weights();
      const rnnlab::Dataset& v = run.task().val.n ? run.task().val : run.task().train;
      run.predict(std::vector<float>(data.begin(), data.begin() + v.T * v.in), 1, v.T, pred);
      out["predict"] = pred;
      if (look.contains("generate")) {
        const auto& g = look["generate"];
        out["generate"] = run.generate(g[0].get<std::string>(), g[1].get<double>(), g[2].get<double>(), g[3].get<double>());
      }
    }
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } catch (const std::exception& e) {
    std::cout << nlohmann::json{{"error", e.what()}}.dump() << "\n";
    return 1;
  }
  return 0;
}
