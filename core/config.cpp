// config.cpp — JSON → RunConfig with a message for every way a value can be wrong.
// Not the place for defaults that depend on the task (tasks.cpp completes inputs/outputs/readout/loss).
#include "config.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <cstdio>

namespace rnnlab {
namespace {

using nlohmann::json;

std::string show(const json& v) {
  std::string s = v.dump();
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

std::string join(const std::vector<std::string>& xs) {
  std::string s;
  for (size_t i = 0; i < xs.size(); ++i) s += (i ? ", " : "") + xs[i];
  return s;
}

// what `std::ostream << x` prints (%g, 6 digits), without pulling iostreams and locales into the wasm module (~90 KB)
std::string num(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", x);
  return b;
}

// Reads the keys of one JSON object, remembering which were read so that finish() can name any unknown one.
struct Reader {
  const json& j;
  std::string path;
  std::vector<std::string> known;

  Reader(const json& j_, std::string p) : j(j_), path(std::move(p)) {
    if (!j.is_object()) fail_type(j, "an object");
  }
  std::string key(const std::string& k) const { return path.empty() ? k : path + "." + k; }
  [[noreturn]] void fail_type(const json& v, const std::string& what) const {
    throw ConfigError("config" + (path.empty() ? std::string() : "." + path) + " = " + show(v) + ": must be " + what);
  }
  [[noreturn]] void fail(const std::string& k, const json& v, const std::string& allowed) const {
    throw ConfigError("config." + key(k) + " = " + show(v) + ": not allowed; allowed: " + allowed);
  }
  const json* get(const std::string& k) {
    known.push_back(k);
    auto it = j.find(k);
    if (it == j.end()) return nullptr;
    if (it->is_null()) throw ConfigError("config." + key(k) + " = null: not allowed; leave the key out to get its default");
    return &*it;
  }
  double number(const std::string& k, double def, double lo, double hi, bool lo_open = false, bool hi_open = false) {
    const json* v = get(k);
    if (!v) return def;
    const std::string range = std::string("a number ") + (lo_open ? "> " : "≥ ") + num(lo) + " and " + (hi_open ? "< " : "≤ ") + num(hi);
    if (!v->is_number()) fail(k, *v, range);
    const double x = v->get<double>();
    if (!std::isfinite(x) || (lo_open ? x <= lo : x < lo) || (hi_open ? x >= hi : x > hi)) fail(k, *v, range);
    return x;
  }
  long long integer(const std::string& k, long long def, long long lo, long long hi) {
    const json* v = get(k);
    if (!v) return def;
    const std::string range = "an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
    if (!v->is_number()) fail(k, *v, range);
    const double x = v->get<double>();
    if (!std::isfinite(x) || x != std::floor(x) || x < double(lo) || x > double(hi)) fail(k, *v, range);
    return (long long)x;
  }
  bool boolean(const std::string& k, bool def) {
    const json* v = get(k);
    if (!v) return def;
    if (!v->is_boolean()) fail(k, *v, "true or false");
    return v->get<bool>();
  }
  std::string choice(const std::string& k, const std::string& def, const std::vector<std::string>& allowed) {
    const json* v = get(k);
    if (!v) return def;
    if (v->is_string())
      for (auto& a : allowed)
        if (a == v->get<std::string>()) return a;
    fail(k, *v, join(allowed));
  }
  std::string string(const std::string& k, const std::string& def, size_t max_len) {
    const json* v = get(k);
    if (!v) return def;
    if (!v->is_string() || v->get<std::string>().size() > max_len)
      fail(k, *v, "a string of at most " + std::to_string(max_len) + " bytes");
    return v->get<std::string>();
  }
  json sub(const std::string& k) {
    const json* v = get(k);
    if (!v) return json::object();
    if (!v->is_object()) fail(k, *v, "an object {…}");
    return *v;
  }
  json raw(const std::string& k) {
    const json* v = get(k);
    return v ? *v : json();
  }
  // Unknown keys are errors, named with what the object accepts.
  void finish(const std::string& context = "") const {
    std::set<std::string> ks(known.begin(), known.end());
    for (auto it = j.begin(); it != j.end(); ++it)
      if (!ks.count(it.key()))
        throw ConfigError("config." + key(it.key()) + ": unknown key" + context + "; allowed keys: " + join(known));
  }
};

// a choice among an enum's names (in enum order)
template <class E> E pick(Reader& r, const std::string& k, const std::string& def, const std::vector<std::string>& names) {
  const std::string v = r.choice(k, def, names);
  return E(std::find(names.begin(), names.end(), v) - names.begin());
}

void parse_task(const json& j, TaskSpec& t) {
  Reader r(j, "task");
  t.name = r.choice("name", "adding", {"adding", "sine", "copy", "parity", "text", "xor", "gaussian", "custom"});
  const std::string& n = t.name;
  const bool seq = n == "adding" || n == "sine" || n == "parity" || n == "text";
  if (seq) t.length = int(r.integer("length", n == "adding" ? 50 : n == "text" ? 32 : 20, 1, caps::length));
  if (n == "copy") {
    t.length = int(r.integer("length", 5, 1, caps::length / 3));
    t.delay = int(r.integer("delay", 10, 0, caps::length / 3));
    t.symbols = int(r.integer("symbols", 8, 2, caps::symbols));
  }
  if (n == "sine") {
    t.noise = r.number("noise", 0.0, 0.0, 10.0);
    t.target = r.choice("target", "value", {"value", "direction"});
  }
  if (n == "xor") t.noise = r.number("noise", 0.0, 0.0, 10.0);
  if (n == "gaussian") t.features = int(r.integer("features", 32, 1, caps::features));
  if (n == "text") t.text = r.string("text", "", 1 << 20);
  if (n == "custom") {
    t.custom_inputs = r.raw("inputs");
    t.custom_targets = r.raw("targets");
    if (t.custom_inputs.is_null()) throw ConfigError("config.task.inputs: missing; the custom task needs inputs [B][T][in]");
    if (t.custom_targets.is_null())
      throw ConfigError("config.task.targets: missing; the custom task needs targets [B][out], [B][T][out] or class indices [B] / [B][T]");
  } else {
    t.train_size = int(r.integer("train_size", n == "text" ? 512 : 2048, 1, caps::train_size));
    t.val_size = int(r.integer("val_size", 256, 1, caps::val_size));
  }
  r.finish(" for task '" + n + "'");
}

void parse_init_spec(Reader& r, const std::string& key, const std::string& scale_key, const std::string& gain_key,
                     InitSpec& s, double def_scale, double def_gain) {
  s.kind = pick<Init>(r, key, "default", init_names());
  s.scale = r.number(scale_key, def_scale, -1e6, 1e6);
  s.gain = r.number(gain_key, def_gain, 0.0, 1e6);
}

void parse_model(const json& j, ModelSpec& m, RunConfig& rc) {
  Reader r(j, "model");
  const std::string cell = r.choice("cell", "lstm", {"rnn", "lstm", "gru", "mlp"});
  m.cell = cell == "rnn" ? Cell::Rnn : cell == "lstm" ? Cell::Lstm : cell == "gru" ? Cell::Gru : Cell::Mlp;
  m.hidden = int(r.integer("hidden", 32, 1, caps::hidden));
  m.layers = int(r.integer("layers", 1, m.cell == Cell::Mlp ? 0 : 1, caps::layers));  // mlp with 0 layers = linear model
  if (m.cell == Cell::Rnn) {
    const std::string f = r.choice("nonlinearity", "tanh", {"tanh", "relu", "selu"});
    m.relu_rnn = f == "relu";
    m.selu_rnn = f == "selu";
  }
  if (m.cell == Cell::Mlp) m.activation = pick<Act>(r, "activation", "relu", act_names());
  if (r.j.contains("readout")) {
    rc.model_readout_set = true;
    m.every = r.choice("readout", "last", {"last", "every"}) == "every";
  } else r.get("readout");
  if (r.j.contains("outputs")) {
    rc.model_outputs_set = true;
    m.outputs = int(r.integer("outputs", 1, 1, caps::hidden));
  } else r.get("outputs");
  m.residual = r.boolean("residual", false);
  m.dropout = r.number("dropout", 0.0, 0.0, 1.0, false, true);
  const std::string norm = r.choice("norm", "none", {"none", "batch", "layer"});
  m.norm = norm == "batch" ? Norm::Batch : norm == "layer" ? Norm::Layer : Norm::None;
  r.finish(" for cell '" + cell + "'");
}

void parse_init_block(const json& j, ModelSpec& m) {
  Reader r(j, "init");
  parse_init_spec(r, "weights", "scale", "gain", m.w_init, 0.1, 1.0);
  m.r_init.kind = pick<Init>(r, "recurrent", "default", init_names());
  m.r_init.scale = r.number("recurrent_scale", m.w_init.scale, -1e6, 1e6);
  m.r_init.gain = r.number("recurrent_gain", m.w_init.gain, 0.0, 1e6);
  m.head_init.kind = pick<Init>(r, "head", "default", init_names());
  m.head_init.scale = r.number("head_scale", 0.1, -1e6, 1e6);
  const std::string bias = r.choice("bias", "default", {"default", "zeros"});
  m.bias_zero = bias == "zeros";
  m.forget_bias = r.number("forget_bias", 0.0, -100.0, 100.0);
  r.finish();
}

void parse_optimizer(const json& j, OptimSpec& o) {
  Reader r(j, "optimizer");
  o.name = r.choice("name", "adam", {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"});
  const std::string& n = o.name;
  const double def_lr = (n == "adam" || n == "adamw") ? 1e-3 : 1e-2;
  o.lr = r.number("lr", def_lr, 0.0, 1e12, true);
  o.weight_decay = r.number("weight_decay", n == "adamw" ? 1e-2 : 0.0, 0.0, 1e6);
  if (n == "sgd" || n == "momentum" || n == "nesterov") {
    o.momentum = r.number("momentum", n == "sgd" ? 0.0 : 0.9, 0.0, 1.0, false, true);
    o.dampening = r.number("dampening", 0.0, 0.0, 1.0);
    o.nesterov = r.boolean("nesterov", n == "nesterov");
    if (o.nesterov && (o.momentum <= 0 || o.dampening != 0))
      throw ConfigError("config.optimizer.nesterov = true: needs momentum > 0 and dampening = 0 (as torch.optim.SGD)");
  } else if (n == "adagrad") {
    o.eps = r.number("eps", 1e-10, 0.0, 1.0, true);
    o.lr_decay = r.number("lr_decay", 0.0, 0.0, 1e6);
    o.initial_accumulator_value = r.number("initial_accumulator_value", 0.0, 0.0, 1e6);
  } else if (n == "rmsprop") {
    o.alpha = r.number("alpha", 0.99, 0.0, 1.0, false, true);
    o.eps = r.number("eps", 1e-8, 0.0, 1.0, true);
    o.momentum = r.number("momentum", 0.0, 0.0, 1.0, false, true);
    o.centered = r.boolean("centered", false);
  } else {
    const json* b = r.get("betas");
    if (b) {
      if (!b->is_array() || b->size() != 2 || !(*b)[0].is_number() || !(*b)[1].is_number() || (*b)[0].get<double>() < 0 ||
          (*b)[0].get<double>() >= 1 || (*b)[1].get<double>() < 0 || (*b)[1].get<double>() >= 1)
        r.fail("betas", *b, "two numbers [β1, β2], each ≥ 0 and < 1");
      o.beta1 = (*b)[0].get<double>();
      o.beta2 = (*b)[1].get<double>();
    }
    o.eps = r.number("eps", 1e-8, 0.0, 1.0, true);
    o.amsgrad = r.boolean("amsgrad", false);
  }
  r.finish(" for optimizer '" + n + "'");
}

void parse_schedule(const json& j, ScheduleSpec& s) {
  Reader r(j, "schedule");
  s.name = r.choice("name", "constant", {"constant", "step", "exponential", "cosine"});
  if (s.name == "step") {
    s.step_size = int(r.integer("step_size", 100, 1, 100000000));
    s.gamma = r.number("gamma", 0.1, 0.0, 1.0, true);
  } else if (s.name == "exponential") {
    s.gamma = r.number("gamma", 0.99, 0.0, 1.0, true);
  } else if (s.name == "cosine") {
    s.T_max = int(r.integer("T_max", 1000, 1, 100000000));
    s.eta_min = r.number("eta_min", 0.0, 0.0, 1e12);
  }
  s.warmup = int(r.integer("warmup", 0, 0, 100000000));
  r.finish(" for schedule '" + s.name + "'");
}

}  // namespace

bool parse_json(const std::string& text, json& out) {
  // the parser itself, not json::sax_parse(): that one takes the input format at run time and so compiles the binary
  // readers (CBOR, MessagePack, …) too
  auto input = nlohmann::detail::input_adapter(text);
  nlohmann::detail::parser<json, decltype(input)> parser(std::move(input));
  nlohmann::detail::json_sax_dom_parser<json> dom(out, false);
  return parser.sax_parse(&dom, true) && !dom.is_errored();
}

RunConfig parse_config(const std::string& text) {
  json j;
  if (!parse_json(text, j)) throw ConfigError("config: not valid JSON");
  return parse_config(j);
}

RunConfig parse_config(const json& j) {
  RunConfig c;
  Reader r(j, "");
  c.seed = uint64_t(r.integer("seed", 1, 0, 4294967295LL));
  parse_task(r.sub("task"), c.task);
  parse_model(r.sub("model"), c.model, c);
  parse_init_block(r.sub("init"), c.model);
  parse_optimizer(r.sub("optimizer"), c.optim);
  parse_schedule(r.sub("schedule"), c.schedule);
  c.loss = r.choice("loss", "", {"mse", "cross_entropy"});
  c.batch = int(r.integer("batch", 32, 1, caps::batch));
  {
    json reg = r.sub("regularization");
    Reader rr(reg, "regularization");
    c.l1 = rr.number("l1", 0.0, 0.0, 1e6);
    c.l2 = rr.number("l2", 0.0, 0.0, 1e6);
    rr.finish();
  }
  {
    json clip = r.sub("clip");
    Reader rc(clip, "clip");
    c.clip_norm = rc.number("norm", 0.0, 0.0, 1e12);
    rc.finish();
  }
  c.eval_every = int(r.integer("eval_every", 25, 1, 1000000));
  r.finish();
  return c;
}

}  // namespace rnnlab
