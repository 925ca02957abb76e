// config.test.cpp — every way a config can be wrong gives a ConfigError naming the key path, the value and what is
// allowed; a valid config's normalized form holds torch's defaults. Not a test of what the settings do (other files).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "config.hpp"
#include "run.hpp"

using namespace rnnlab;
using nlohmann::json;

namespace {

// The message of the ConfigError that building a Run from this config throws ("" and a failed check if none).
template <class C> std::string error_of(const C& config) {
  try {
    Run r(config);
  } catch (const ConfigError& e) {
    return e.what();
  } catch (const std::exception& e) {
    FAIL_CHECK("not a ConfigError: " << e.what());
    return "";
  }
  FAIL_CHECK("no error for " << json(config).dump());
  return "";
}

bool has(const std::string& msg, const std::string& part) { return msg.find(part) != std::string::npos; }

// the message names all of these
#define CHECK_NAMES(msg, ...)                                                        \
  do {                                                                               \
    const std::string m_ = (msg);                                                    \
    for (const char* p_ : {__VA_ARGS__}) {                                           \
      INFO("message: " << m_ << "\n  expected to contain: " << std::string(p_));    \
      CHECK(has(m_, p_));                                                            \
    }                                                                                \
  } while (0)

// a small valid base to break one key at a time
json base() { return json{{"task", {{"name", "xor"}, {"train_size", 8}, {"val_size", 8}}}, {"model", {{"hidden", 4}}}}; }
json with(const json& patch) { json j = base(); j.merge_patch(patch); return j; }

}  // namespace

TEST_CASE("text that is not JSON, or JSON that is not an object, is refused as such") {
  CHECK_THROWS_WITH_AS(parse_config(std::string("{\"seed\": 1,")), "config: not valid JSON", ConfigError);
  CHECK_THROWS_WITH_AS(Run(std::string("hello")), "config: not valid JSON", ConfigError);
  CHECK_THROWS_WITH_AS(parse_config(std::string("{} {}")), "config: not valid JSON", ConfigError);  // text after the value
  CHECK_THROWS_WITH_AS(parse_config(std::string("")), "config: not valid JSON", ConfigError);
  CHECK_NAMES(error_of(std::string("[1, 2]")), "config = [1,2]", "must be an object");
  CHECK_NAMES(error_of(std::string("5")), "config = 5", "must be an object");
  CHECK_NAMES(error_of(with({{"model", 5}})), "config.model = 5", "allowed", "object");
}

TEST_CASE("an unknown key is named with its full path and the keys allowed there") {
  CHECK_NAMES(error_of(with({{"sead", 1}})), "config.sead", "unknown key", "allowed keys", "seed", "task", "model", "init",
              "optimizer", "schedule", "loss", "batch", "regularization", "clip", "eval_every");
  CHECK_NAMES(error_of(with({{"model", {{"hiden", 32}}}})), "config.model.hiden", "unknown key", "allowed keys: cell, hidden",
              "layers", "dropout", "norm");
  CHECK_NAMES(error_of(with({{"init", {{"weight", "zeros"}}}})), "config.init.weight", "allowed keys", "weights", "recurrent");
  CHECK_NAMES(error_of(with({{"regularization", {{"l3", 1}}}})), "config.regularization.l3", "allowed keys: l1, l2");
  CHECK_NAMES(error_of(with({{"clip", {{"max_norm", 1}}}})), "config.clip.max_norm", "allowed keys: norm");
  // keys that exist elsewhere but not for this choice say so
  CHECK_NAMES(error_of(with({{"task", {{"delay", 3}}}})), "config.task.delay", "for task 'xor'", "allowed keys");
  CHECK_NAMES(error_of(with({{"model", {{"nonlinearity", "relu"}}}})), "config.model.nonlinearity", "for cell 'lstm'");
  CHECK_NAMES(error_of(with({{"schedule", {{"name", "cosine"}, {"gamma", 0.5}}}})), "config.schedule.gamma",
              "for schedule 'cosine'", "T_max", "eta_min", "warmup");
}

TEST_CASE("a value of the wrong type names the key, the value and what is allowed") {
  CHECK_NAMES(error_of(with({{"model", {{"hidden", "32"}}}})), "config.model.hidden = \"32\"", "allowed", "integer");
  CHECK_NAMES(error_of(with({{"model", {{"dropout", true}}}})), "config.model.dropout = true", "allowed", "number");
  CHECK_NAMES(error_of(with({{"model", {{"residual", "yes"}}}})), "config.model.residual = \"yes\"", "true or false");
  CHECK_NAMES(error_of(with({{"optimizer", {{"lr", {0.1}}}}})), "config.optimizer.lr = [0.1]", "allowed", "number");
  CHECK_NAMES(error_of(with({{"model", {{"cell", 3}}}})), "config.model.cell = 3", "allowed: rnn, lstm, gru, mlp");
  json null_hidden = base();
  null_hidden["model"]["hidden"] = nullptr;
  CHECK_NAMES(error_of(null_hidden), "config.model.hidden = null", "leave the key out");
}

TEST_CASE("a number out of range names the key, the value and the range") {
  CHECK_NAMES(error_of(with({{"model", {{"hidden", 0}}}})), "config.model.hidden = 0", "allowed", "from 1 to 1024");
  CHECK_NAMES(error_of(with({{"model", {{"hidden", 100000}}}})), "config.model.hidden = 100000", "from 1 to 1024");
  CHECK_NAMES(error_of(with({{"model", {{"dropout", 1}}}})), "config.model.dropout = 1", "allowed", "< 1");
  CHECK_NAMES(error_of(with({{"model", {{"dropout", -0.1}}}})), "config.model.dropout = -0.1", "≥ 0");
  CHECK_NAMES(error_of(with({{"optimizer", {{"lr", 0}}}})), "config.optimizer.lr = 0", "allowed", "> 0");
  CHECK_NAMES(error_of(with({{"regularization", {{"l2", -0.5}}}})), "config.regularization.l2 = -0.5", "allowed", "≥ 0");
  CHECK_NAMES(error_of(with({{"seed", -1}})), "config.seed = -1", "allowed");
  CHECK_NAMES(error_of(with({{"batch", 5000}})), "config.batch = 5000", "from 1 to 1024");
  CHECK_NAMES(error_of(with({{"optimizer", {{"name", "adam"}, {"betas", {0.9, 1.0}}}}})), "config.optimizer.betas = [0.9,1.0]",
              "allowed", "two numbers");
  CHECK_NAMES(error_of(with({{"optimizer", {{"name", "adam"}, {"betas", {0.9}}}}})), "config.optimizer.betas = [0.9]",
              "two numbers");
  CHECK_NAMES(error_of(with({{"schedule", {{"name", "step"}, {"gamma", 0}}}})), "config.schedule.gamma = 0", "> 0");
}

TEST_CASE("a non-integer where an integer is needed names the key and the value") {
  CHECK_NAMES(error_of(with({{"model", {{"hidden", 3.5}}}})), "config.model.hidden = 3.5", "allowed", "an integer");
  CHECK_NAMES(error_of(with({{"batch", 2.25}})), "config.batch = 2.25", "an integer");
  CHECK_NAMES(error_of(with({{"task", {{"train_size", 1e-3}}}})), "config.task.train_size", "an integer");
}

TEST_CASE("a choice outside its list names every allowed choice") {
  CHECK_NAMES(error_of(with({{"model", {{"cell", "transformer"}}}})), "config.model.cell = \"transformer\"",
              "allowed: rnn, lstm, gru, mlp");
  CHECK_NAMES(error_of(with({{"task", {{"name", "mnist"}}}})), "config.task.name = \"mnist\"",
              "adding, sine, copy, parity, text, xor, gaussian, custom");
  CHECK_NAMES(error_of(with({{"optimizer", {{"name", "adamax"}}}})), "config.optimizer.name = \"adamax\"",
              "sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw");
  CHECK_NAMES(error_of(with({{"init", {{"weights", "glorot"}}}})), "config.init.weights = \"glorot\"", "xavier_uniform",
              "he_normal", "lecun_uniform", "orthogonal", "identity");
  CHECK_NAMES(error_of(with({{"model", {{"cell", "mlp"}, {"activation", "swish"}}}})), "config.model.activation = \"swish\"",
              "sigmoid, tanh, relu, leaky_relu, elu, selu, linear");
  CHECK_NAMES(error_of(with({{"model", {{"cell", "rnn"}, {"nonlinearity", "sigmoid"}}}})),
              "config.model.nonlinearity = \"sigmoid\"", "tanh, relu, selu");
  CHECK_NAMES(error_of(with({{"model", {{"norm", "group"}}}})), "config.model.norm = \"group\"", "none, batch, layer");
  CHECK_NAMES(error_of(with({{"loss", "hinge"}})), "config.loss = \"hinge\"", "mse, cross_entropy");
  CHECK_NAMES(error_of(with({{"schedule", {{"name", "onecycle"}}}})), "config.schedule.name = \"onecycle\"",
              "constant, step, exponential, cosine");
}

TEST_CASE("an optimizer key the chosen optimizer does not have is an unknown key for that optimizer") {
  CHECK_NAMES(error_of(with({{"optimizer", {{"name", "sgd"}, {"betas", {0.9, 0.99}}}}})), "config.optimizer.betas",
              "for optimizer 'sgd'", "allowed keys: name, lr, weight_decay, momentum, dampening, nesterov");
  CHECK_NAMES(error_of(with({{"optimizer", {{"name", "adam"}, {"momentum", 0.9}}}})), "config.optimizer.momentum",
              "for optimizer 'adam'", "betas", "eps", "amsgrad");
  CHECK_NAMES(error_of(with({{"optimizer", {{"name", "rmsprop"}, {"amsgrad", true}}}})), "config.optimizer.amsgrad",
              "for optimizer 'rmsprop'", "alpha", "centered");
  CHECK_NAMES(error_of(with({{"optimizer", {{"name", "adagrad"}, {"alpha", 0.9}}}})), "config.optimizer.alpha",
              "for optimizer 'adagrad'", "lr_decay", "initial_accumulator_value");
}

TEST_CASE("nesterov needs momentum > 0 and no dampening, as torch.optim.SGD") {
  CHECK_NAMES(error_of(with({{"optimizer", {{"name", "sgd"}, {"nesterov", true}}}})), "config.optimizer.nesterov = true",
              "momentum > 0");
  CHECK_NAMES(error_of(with({{"optimizer", {{"name", "nesterov"}, {"momentum", 0}}}})), "config.optimizer.nesterov",
              "momentum > 0");
  CHECK_NAMES(error_of(with({{"optimizer", {{"name", "nesterov"}, {"dampening", 0.1}}}})), "config.optimizer.nesterov",
              "dampening = 0");
  CHECK_NOTHROW(Run(with({{"optimizer", {{"name", "sgd"}, {"momentum", 0.5}, {"nesterov", true}}}})));
}

TEST_CASE("loss, outputs and readout must match the task") {
  CHECK_NAMES(error_of(json{{"task", {{"name", "parity"}, {"train_size", 8}, {"val_size", 8}}}, {"loss", "mse"}}),
              "config.loss = \"mse\"", "'parity'", "cross_entropy");
  CHECK_NAMES(error_of(json{{"task", {{"name", "adding"}, {"train_size", 8}, {"val_size", 8}}}, {"loss", "cross_entropy"}}),
              "config.loss = \"cross_entropy\"", "'adding'", "\"mse\"");
  CHECK_NAMES(error_of(json{{"task", {{"name", "adding"}, {"train_size", 8}, {"val_size", 8}}}, {"model", {{"outputs", 3}}}}),
              "config.model.outputs = 3", "'adding'", "1 outputs");
  CHECK_NAMES(error_of(json{{"task", {{"name", "parity"}, {"train_size", 8}, {"val_size", 8}}}, {"model", {{"outputs", 3}}}}),
              "config.model.outputs = 3", "2 classes");
  CHECK_NAMES(error_of(json{{"task", {{"name", "copy"}, {"train_size", 8}, {"val_size", 8}}}, {"model", {{"readout", "last"}}}}),
              "config.model.readout = \"last\"", "'copy'", "every step");
  CHECK_NAMES(error_of(json{{"task", {{"name", "adding"}, {"train_size", 8}, {"val_size", 8}}}, {"model", {{"readout", "every"}}}}),
              "config.model.readout = \"every\"", "'adding'", "last step");
  // matching values are accepted
  CHECK_NOTHROW(Run(json{{"task", {{"name", "copy"}, {"train_size", 8}, {"val_size", 8}}},
                         {"model", {{"readout", "every"}, {"outputs", 9}, {"hidden", 4}}}, {"loss", "cross_entropy"}}));
}

TEST_CASE("malformed custom data names the offending index") {
  auto custom = [](const json& inputs, const json& targets, const json& extra = json::object()) {
    json j = {{"task", {{"name", "custom"}, {"inputs", inputs}, {"targets", targets}}}, {"model", {{"hidden", 4}}}};
    j.merge_patch(extra);
    return j;
  };
  const json ok_in = {{{1.0}, {2.0}}, {{3.0}, {4.0}}};
  CHECK_NAMES(error_of(custom(json{{{1.0}, {2.0}}, {{3.0}}}, json{{0.5}, {1.5}})), "config.task.inputs[1]", "expected 2 steps");
  CHECK_NAMES(error_of(custom(json{{{1.0, 2.0}, {3.0}}, {{1.0, 2.0}, {3.0, 4.0}}}, json{{0.5}, {1.5}})), "config.task.inputs[0][1]",
              "expected 2 numbers");
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  CHECK_NAMES(error_of(custom(json{{{1.0}, {2.0}}, {{3.0}, {nan}}}, json{{0.5}, {1.5}})), "config.task.inputs[1][1][0]",
              "finite number");
  CHECK_NAMES(error_of(custom(json{{{1.0}, {inf}}, {{3.0}, {4.0}}}, json{{0.5}, {1.5}})), "config.task.inputs[0][1][0]",
              "finite number");
  CHECK_NAMES(error_of(custom(ok_in, json{{0.5}, {"x"}})), "config.task.targets[1][0] = \"x\"", "finite number");
  // finite in JSON (double) but beyond float's range: it would enter the data as ±inf
  CHECK_NAMES(error_of(custom(json{{{1.0}, {2.0}}, {{3.0}, {-1e39}}}, json{{0.5}, {1.5}})), "config.task.inputs[1][1][0]",
              "finite number");
  CHECK_NAMES(error_of(custom(ok_in, json{{0.5}, {1e39}})), "config.task.targets[1][0]", "finite number");
  CHECK_NAMES(error_of(custom(ok_in, json{{0.5}, {-inf}})), "config.task.targets[1][0]", "finite number");
  CHECK_NAMES(error_of(custom(ok_in, json{{0.5}})), "config.task.targets", "one entry per input sample (2)");
  CHECK_NAMES(error_of(custom(ok_in, json{{0.5}, {1.5, 2.5}})), "config.task.targets[1]", "expected 1 numbers");
  CHECK_NAMES(error_of(custom(ok_in, json{1, 1.5})), "config.task.targets[1] = 1.5", "class index");
  CHECK_NAMES(error_of(custom(ok_in, json{1, -1})), "config.task.targets[1] = -1", "class index");
  CHECK_NAMES(error_of(custom(ok_in, json{{0, 1}, {1}}, {{"loss", "cross_entropy"}})), "config.task.targets[1]",
              "expected 2 class indices");
  CHECK_NAMES(error_of(custom(json::array(), json::array())), "config.task.inputs", "non-empty");
  CHECK_NAMES(error_of(json{{"task", {{"name", "custom"}, {"inputs", ok_in}}}}), "config.task.targets", "missing");
  CHECK_NAMES(error_of(json{{"task", {{"name", "custom"}, {"targets", json{1, 0}}}}}), "config.task.inputs", "missing");
}

TEST_CASE("the caps on activations, data and parameters are enforced with the numbers in the message") {
  // batch·length·hidden·layers = 1024·100·1024·1 > 8·10⁶
  CHECK_NAMES(error_of(json{{"task", {{"name", "adding"}, {"length", 100}, {"train_size", 4}, {"val_size", 4}}},
                            {"model", {{"hidden", 1024}}}, {"batch", 1024}}),
              "batch·length·hidden·layers = 104857600", "allowed: at most 8000000");
  // (train_size + val_size)·length·inputs = (100000 + 256)·2000·2 > 3.2·10⁷
  CHECK_NAMES(error_of(json{{"task", {{"name", "adding"}, {"length", 2000}, {"train_size", 100000}}}}),
              "config.task", "= 401024000 numbers", "allowed: at most 32000000");
  // two LSTM layers of H = 1024 on xor (2 inputs, 2 classes): 4H·(2 + H + 2) + 4H·(H + H + 2) + 2H + 2 > 8·10⁶
  const long long H = 1024, params = 4 * H * (2 + H + 2) + 4 * H * (H + H + 2) + 2 * H + 2;
  const std::string count = std::to_string(params) + " parameters";
  CHECK_NAMES(error_of(json{{"task", {{"name", "xor"}, {"train_size", 4}, {"val_size", 4}}},
                            {"model", {{"hidden", 1024}, {"layers", 2}}}, {"batch", 1}}),
              "config.model", count.c_str(), "at most 8000000");
  // just under the activation cap is fine: 8·10⁶ exactly
  CHECK_NOTHROW(Run(json{{"task", {{"name", "parity"}, {"length", 1000}, {"train_size", 4}, {"val_size", 4}}},
                         {"model", {{"hidden", 250}, {"cell", "rnn"}}}, {"batch", 32}}));
}

TEST_CASE("a valid config's normalized form fills in torch's defaults") {
  Run r(json{{"task", {{"name", "xor"}, {"train_size", 8}, {"val_size", 8}}}});
  const json& c = r.config();
  CHECK(c["seed"] == 1);
  CHECK(c["optimizer"]["name"] == "adam");
  CHECK(c["optimizer"]["lr"] == 1e-3);
  CHECK(c["optimizer"]["betas"] == json{0.9, 0.999});
  CHECK(c["optimizer"]["eps"] == 1e-8);
  CHECK(c["optimizer"]["weight_decay"] == 0.0);
  CHECK(c["optimizer"]["amsgrad"] == false);
  CHECK(c["model"]["cell"] == "lstm");
  CHECK(c["model"]["hidden"] == 32);
  CHECK(c["model"]["layers"] == 1);
  CHECK(c["model"]["outputs"] == 2);          // from the task
  CHECK(c["model"]["readout"] == "last");
  CHECK(c["model"]["dropout"] == 0.0);
  CHECK(c["model"]["norm"] == "none");
  CHECK(c["model"]["residual"] == false);
  CHECK(c["loss"] == "cross_entropy");        // from the task
  CHECK(c["batch"] == 32);
  CHECK(c["schedule"]["name"] == "constant");
  CHECK(c["schedule"]["warmup"] == 0);
  CHECK(c["regularization"]["l1"] == 0.0);
  CHECK(c["regularization"]["l2"] == 0.0);
  CHECK(c["clip"]["norm"] == 0.0);
  CHECK(c["eval_every"] == 25);
  CHECK(c["init"]["weights"] == "default");
  CHECK(c["init"]["recurrent"] == "default");
  CHECK(c["init"]["bias"] == "default");

  auto opt = [](const json& o) { return Run(with({{"optimizer", o}})).config()["optimizer"]; };
  const json sgd = opt({{"name", "sgd"}});
  CHECK(sgd["lr"] == 1e-2); CHECK(sgd["momentum"] == 0.0); CHECK(sgd["dampening"] == 0.0); CHECK(sgd["nesterov"] == false);
  const json mom = opt({{"name", "momentum"}});
  CHECK(mom["momentum"] == 0.9); CHECK(mom["nesterov"] == false);
  const json nes = opt({{"name", "nesterov"}});
  CHECK(nes["momentum"] == 0.9); CHECK(nes["nesterov"] == true);
  const json ada = opt({{"name", "adagrad"}});
  CHECK(ada["lr"] == 1e-2); CHECK(ada["eps"] == 1e-10); CHECK(ada["lr_decay"] == 0.0);
  CHECK(ada["initial_accumulator_value"] == 0.0);
  const json rms = opt({{"name", "rmsprop"}});
  CHECK(rms["lr"] == 1e-2); CHECK(rms["alpha"] == 0.99); CHECK(rms["eps"] == 1e-8); CHECK(rms["momentum"] == 0.0);
  CHECK(rms["centered"] == false);
  const json adamw = opt({{"name", "adamw"}});
  CHECK(adamw["weight_decay"] == 1e-2); CHECK(adamw["betas"] == json{0.9, 0.999}); CHECK(adamw["lr"] == 1e-3);

  auto task = [](const json& t) { return Run(json{{"task", t}, {"model", {{"hidden", 4}}}}).config()["task"]; };
  const json adding = task({{"name", "adding"}, {"train_size", 4}, {"val_size", 4}});
  CHECK(adding["length"] == 50);
  const json copy = task({{"name", "copy"}, {"train_size", 4}, {"val_size", 4}});
  CHECK(copy["length"] == 5); CHECK(copy["delay"] == 10); CHECK(copy["symbols"] == 8);
  const json text = task({{"name", "text"}, {"val_size", 4}});
  CHECK(text["length"] == 32); CHECK(text["train_size"] == 512);
  const json sine = task({{"name", "sine"}, {"train_size", 4}, {"val_size", 4}});
  CHECK(sine["length"] == 20); CHECK(sine["target"] == "value"); CHECK(sine["noise"] == 0.0);

  auto sched = [](const json& s) { return Run(with({{"schedule", s}})).config()["schedule"]; };
  const json st = sched({{"name", "step"}});
  CHECK(st["step_size"] == 100); CHECK(st["gamma"] == 0.1);
  CHECK(sched({{"name", "exponential"}})["gamma"] == 0.99);
  const json co = sched({{"name", "cosine"}});
  CHECK(co["T_max"] == 1000); CHECK(co["eta_min"] == 0.0);
}

TEST_CASE("the normalized config is itself a valid config that normalizes to itself") {
  const json configs[] = {
      base(),
      json{{"task", {{"name", "copy"}, {"train_size", 8}, {"val_size", 8}, {"delay", 3}}},
           {"model", {{"cell", "gru"}, {"hidden", 4}, {"layers", 2}, {"norm", "layer"}, {"dropout", 0.2}}},
           {"optimizer", {{"name", "rmsprop"}, {"centered", true}}}, {"schedule", {{"name", "cosine"}, {"T_max", 50}}}},
      json{{"task", {{"name", "custom"}, {"inputs", {{{1.0}, {2.0}}, {{3.0}, {4.0}}}}, {"targets", {{0.5}, {1.5}}}}},
           {"model", {{"cell", "rnn"}, {"nonlinearity", "relu"}, {"hidden", 3}}},
           {"optimizer", {{"name", "nesterov"}}}, {"regularization", {{"l1", 0.01}}}, {"clip", {{"norm", 1.0}}}},
      json{{"task", {{"name", "sine"}, {"target", "direction"}, {"train_size", 8}, {"val_size", 8}}},
           {"model", {{"cell", "mlp"}, {"activation", "selu"}, {"hidden", 4}}},
           {"init", {{"weights", "lecun_normal"}, {"bias", "zeros"}}}, {"optimizer", {{"name", "adagrad"}}}},
  };
  for (const json& c : configs) {
    const json n1 = Run(c).config();
    CAPTURE(n1.dump());
    json n2;
    CHECK_NOTHROW(n2 = Run(n1).config());
    CHECK(n2 == n1);
  }
}
