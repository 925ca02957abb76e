// run.hpp — one training run: config → task + model + optimizer; train(steps), metrics, weights in state_dict form.
// Not bound to JavaScript (bindings/ does that) and never prints: errors are exceptions (ConfigError) with a message.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config.hpp"
#include "loss.hpp"
#include "model.hpp"
#include "optim.hpp"
#include "tasks.hpp"

namespace rnnlab {

struct Summary {
  long step = 0;             // updates done so far
  double loss = 0;           // training loss of the last step's batch (data term only)
  double penalty = 0;        // L1/L2 term of the last step
  double lr = 0, grad_norm = 0;
  double accuracy = -1;      // last batch, classification tasks (−1 otherwise)
  double val_loss = -1, val_accuracy = -1;  // latest evaluation (−1 before the first / without validation set)
  bool diverged = false;
  long diverged_at = -1;     // the step whose loss or weights were not finite
  nlohmann::json to_json() const;
};

class Run {
 public:
  explicit Run(const std::string& config_json);
  explicit Run(const nlohmann::json& config);

  Summary train(int steps);                 // stops early when the run diverges
  const Summary& summary() const { return summary_; }
  // Histories (one entry per step: step, loss, lr, grad_norm, accuracy), evaluations (val_step, val_loss, val_accuracy)
  // and the latest probes (grad_t per time step, act_mean/act_std/grad_block per block, update_ratio per parameter).
  const std::map<std::string, std::vector<float>>& metrics() const { return metrics_; }
  nlohmann::json export_weights() const;
  void import_weights(const nlohmann::json& w);
  const nlohmann::json& config() const { return config_.normalized; }
  Model<float>& model() { return *model_; }
  const Task& task() const { return task_; }
  // Evaluation loss (and accuracy) on a dataset in eval mode (no dropout, batch-norm running statistics).
  std::pair<double, double> evaluate(const Dataset& d);
  // One forward/backward on a batch without updating (for tests): returns the loss, leaves gradients in model().P.grad.
  double loss_and_grad(const std::vector<int>& idx, bool probe = false);
  // inspect.cpp: evaluation-mode passes that change nothing in the run (docs/api.md gives the layouts of `out`).
  void predict(const std::vector<float>& x, int B, int T, std::vector<float>& out);  // x [B][T][in] → [B](T)[outputs]
  void inspect(int sample, const std::vector<float>& x, std::vector<float>& out);    // sample k, or x [T][in] if k < 0
  std::string generate(std::string prime, double length, double temperature, double seed);  // bytes

 private:
  void init();
  void step_once(bool probe);
  void record(const std::string& k, float v) { metrics_[k].push_back(v); }

  RunConfig config_;
  Task task_;
  std::unique_ptr<Model<float>> model_;
  std::unique_ptr<Optimizer<float>> opt_;
  Rng data_rng_, init_rng_, batch_rng_, dropout_rng_;
  Summary summary_;
  std::map<std::string, std::vector<float>> metrics_;
  // step buffers, reused
  std::vector<int> idx_, labels_;
  Mat<float> X_, Y_, dyhat_;
  std::vector<float> w_before_;
};

}  // namespace rnnlab
