// config.hpp — the run configuration (PyTorch/Keras vocabulary) parsed from JSON and validated key by key.
// Not the training itself: parse_config() only turns JSON into specs or throws ConfigError naming key, value and what is allowed.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model.hpp"
#include "optim.hpp"

namespace rnnlab {

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Caps that keep memory bounded (docs/api.md lists them).
namespace caps {
constexpr int hidden = 1024, layers = 64, length = 2000, batch = 1024, features = 4096, symbols = 64;
constexpr int train_size = 100000, val_size = 10000;
constexpr double activations = 8e6;   // batch·length·hidden·layers: the activations a step keeps
constexpr double dataset = 3.2e7;     // (train_size + val_size)·length·inputs floats of generated data
constexpr double params = 8e6;        // trainable parameters
}  // namespace caps

struct TaskSpec {
  std::string name = "adding";  // adding, sine, copy, parity, text, xor, gaussian, custom
  int length = 50;              // sequence length T (copy: symbols to remember)
  int train_size = 2048, val_size = 256;
  double noise = 0.0;           // sine: std of input noise; xor: label-flip-free jitter
  std::string target = "value"; // sine: "value" (regression) or "direction" (up/down classes)
  int symbols = 8, delay = 10;  // copy
  int features = 32;            // gaussian: input size
  std::string text;             // text: corpus (default: the built-in one)
  nlohmann::json custom_inputs, custom_targets;  // custom
};

struct RunConfig {
  uint64_t seed = 1;
  TaskSpec task;
  ModelSpec model;
  OptimSpec optim;
  ScheduleSpec schedule;
  std::string loss;             // "mse" or "cross_entropy"; default from the task
  int batch = 32;
  double l1 = 0, l2 = 0;        // penalties λ1·Σ|w| + λ2·Σw² over weight matrices (not biases, norms)
  double clip_norm = 0;         // 0 = no clipping; else torch.nn.utils.clip_grad_norm_(max_norm)
  int eval_every = 25;          // validation loss every this many steps
  bool model_readout_set = false, model_outputs_set = false;
  nlohmann::json normalized;    // the config with every default filled in (optimizer, schedule: by their parsers)
};

// The one JSON parse entry point of the core and the bindings: false if `text` is not valid JSON (then `out` is unspecified).
// It drives nlohmann's own DOM builder (detail::json_sax_dom_parser) from its parser directly: json::parse() would also
// compile its callback-filtering parser, which nothing here uses (~15 kB of the wasm module).
bool parse_json(const std::string& text, nlohmann::json& out);

// A JSON object built one key at a time, each key through one out-of-line call per value type: nlohmann's
// initializer-list form ({{"key", value}, …}) and `j["key"] = value` inline a key string, a json_ref or temporary and a
// map insertion at every use (normalize() in run.cpp was 17 kB of wasm that way, ~7 kB this way). The keys sort as in any
// nlohmann::json (std::map), so the text is the same. Values: anything nlohmann::json converts from (a string literal
// arrives as const char*).
class JsonObject {
 public:
  template <class T> [[gnu::noinline]] JsonObject& set(const char* key, T value) {
    j_[key] = nlohmann::json(std::move(value));
    return *this;
  }
  nlohmann::json take() { return std::move(j_); }

 private:
  nlohmann::json j_ = nlohmann::json::object();
};

// Parses and validates; the task-dependent parts (inputs, outputs, readout, loss) are completed by make_task().
RunConfig parse_config(const std::string& json_text);
RunConfig parse_config(const nlohmann::json& j);
// The inverse: the config with every default filled in (after make_task() has completed the task-dependent parts).
nlohmann::json normalize(const RunConfig& c);
// The vocabulary, read off the parser itself: every key with its type, default, range or choices; the sections that
// depend on a choice (task.name, model.cell, optimizer.name, schedule.name) as {"by": key, "variants": {choice: keys}}.
nlohmann::json describe_config();

}  // namespace rnnlab
