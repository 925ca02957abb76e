// config.cpp — JSON → RunConfig with a message for every way a value can be wrong.
// Not the place for defaults that depend on the task (tasks.cpp completes inputs/outputs/readout/loss).
#include "config.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <tuple>

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

// While describe_config() runs: where every Reader notes each key it reads (type, default, range, choices) under its path.
// Native only (tools/vocab.cpp writes web/vocab.json from it): in the wasm build it is a constant null, so every
// `if (g_describe)` below compiles away with the notes it guards (−2 kB gzipped; docs/performance.md).
#if defined(__EMSCRIPTEN__)
constexpr json* g_describe = nullptr;
#else
json* g_describe = nullptr;
#endif

// Reads the keys of one JSON object, remembering which were read so that finish() can name any unknown one. With `out`,
// it also writes every key it read, with the value it took (defaults included), there: the normalized section.
struct Reader {
  const json& j;
  std::string path;
  std::vector<std::string> known;
  json* out = nullptr;

  Reader(const json& j_, std::string p, json* out_ = nullptr) : j(j_), path(std::move(p)), out(out_) {
    if (!j.is_object()) fail_type(j, "an object");
  }
  // describe_config(): what key k is ("type" and, per type, "default", "min"/"max" (+ "min_open"/"max_open"), "choices")
  // (called only under `if (g_describe)`, so that the wasm build drops the JsonObject built for it)
  void note(const std::string& k, JsonObject d) const { (*g_describe)[path][k] = d.take(); }
  template <class V> V keep(const std::string& k, V v) const {
    if (out) (*out)[k] = v;
    return v;
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
    if (g_describe) {
      JsonObject d;
      d.set("type", "number").set("default", def).set("min", lo).set("max", hi);
      if (lo_open) d.set("min_open", true);
      if (hi_open) d.set("max_open", true);
      note(k, std::move(d));
    }
    return keep(k, number_value(k, def, lo, hi, lo_open, hi_open));
  }
  double number_value(const std::string& k, double def, double lo, double hi, bool lo_open, bool hi_open) {
    const json* v = get(k);
    if (!v) return def;
    const std::string range = std::string("a number ") + (lo_open ? "> " : "≥ ") + num(lo) + " and " + (hi_open ? "< " : "≤ ") + num(hi);
    if (!v->is_number()) fail(k, *v, range);
    const double x = v->get<double>();
    if (!std::isfinite(x) || (lo_open ? x <= lo : x < lo) || (hi_open ? x >= hi : x > hi)) fail(k, *v, range);
    return x;
  }
  long long integer(const std::string& k, long long def, long long lo, long long hi) {
    if (g_describe) note(k, std::move(JsonObject().set("type", "integer").set("default", def).set("min", lo).set("max", hi)));
    return keep(k, integer_value(k, def, lo, hi));
  }
  long long integer_value(const std::string& k, long long def, long long lo, long long hi) {
    const json* v = get(k);
    if (!v) return def;
    const std::string range = "an integer from " + std::to_string(lo) + " to " + std::to_string(hi);
    if (!v->is_number()) fail(k, *v, range);
    const double x = v->get<double>();
    if (!std::isfinite(x) || x != std::floor(x) || x < double(lo) || x > double(hi)) fail(k, *v, range);
    return (long long)x;
  }
  bool boolean(const std::string& k, bool def) {
    if (g_describe) note(k, std::move(JsonObject().set("type", "boolean").set("default", def)));
    const json* v = get(k);
    if (!v) return keep(k, def);
    if (!v->is_boolean()) fail(k, *v, "true or false");
    return keep(k, v->get<bool>());
  }
  std::string choice(const std::string& k, const std::string& def, const std::vector<std::string>& allowed) {
    if (g_describe) {
      JsonObject d;
      d.set("type", "choice").set("choices", allowed);
      if (!def.empty()) d.set("default", def);  // "" = chosen from the task (loss)
      note(k, std::move(d));
    }
    const json* v = get(k);
    if (!v) return keep(k, def);
    if (v->is_string())
      for (auto& a : allowed)
        if (a == v->get<std::string>()) return keep(k, a);
    fail(k, *v, join(allowed));
  }
  // a pair [a, b] of numbers, each ≥ 0 and < 1 (Adam's betas)
  std::pair<double, double> unit_pair(const std::string& k, double a, double b) {
    if (g_describe) note(k, std::move(JsonObject().set("type", "pair").set("default", std::vector<double>{a, b}).set("min", 0).set("max", 1)
                          .set("max_open", true)));
    if (const json* p = get(k)) {
      if (!p->is_array() || p->size() != 2 || !(*p)[0].is_number() || !(*p)[1].is_number() || (*p)[0].get<double>() < 0 ||
          (*p)[0].get<double>() >= 1 || (*p)[1].get<double>() < 0 || (*p)[1].get<double>() >= 1)
        fail(k, *p, "two numbers [β1, β2], each ≥ 0 and < 1");
      a = (*p)[0].get<double>();
      b = (*p)[1].get<double>();
    }
    keep(k, std::vector<double>{a, b});
    return {a, b};
  }
  std::string string(const std::string& k, const std::string& def, size_t max_len) {
    if (g_describe) note(k, std::move(JsonObject().set("type", "string").set("max_length", (long long)max_len)));
    const json* v = get(k);
    if (!v) return def;
    if (!v->is_string() || v->get<std::string>().size() > max_len)
      fail(k, *v, "a string of at most " + std::to_string(max_len) + " bytes");
    return v->get<std::string>();
  }
  json sub(const std::string& k) {
    if (g_describe) note(k, std::move(JsonObject().set("type", "object")));
    const json* v = get(k);
    if (!v) return json::object();
    if (!v->is_object()) fail(k, *v, "an object {…}");
    return *v;
  }
  json raw(const std::string& k) {
    if (g_describe) note(k, std::move(JsonObject().set("type", "any")));
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
  rc.model_readout_set = r.j.contains("readout");  // else the task chooses (tasks.cpp)
  m.every = r.choice("readout", "last", {"last", "every"}) == "every";
  rc.model_outputs_set = r.j.contains("outputs");
  m.outputs = int(r.integer("outputs", 1, 1, caps::hidden));
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

// The one place that says which optimizer takes which key (normalize() and describe_config() follow what it reads).
const std::vector<std::string> kOptimNames = {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"};

void parse_optimizer(const json& j, OptimSpec& o, json& normalized) {
  Reader r(j, "optimizer", &normalized);
  const Optim n = o.name = pick<Optim>(r, "name", "adam", kOptimNames);
  const bool sgd = n == Optim::Sgd || n == Optim::Momentum || n == Optim::Nesterov;
  const double def_lr = (n == Optim::Adam || n == Optim::Adamw) ? 1e-3 : 1e-2;
  o.lr = r.number("lr", def_lr, 0.0, 1e12, true);
  o.weight_decay = r.number("weight_decay", n == Optim::Adamw ? 1e-2 : 0.0, 0.0, 1e6);
  if (sgd) {
    o.momentum = r.number("momentum", n == Optim::Sgd ? 0.0 : 0.9, 0.0, 1.0, false, true);
    o.dampening = r.number("dampening", 0.0, 0.0, 1.0);
    o.nesterov = r.boolean("nesterov", n == Optim::Nesterov);
    if (o.nesterov && (o.momentum <= 0 || o.dampening != 0))
      throw ConfigError("config.optimizer.nesterov = true: needs momentum > 0 and dampening = 0 (as torch.optim.SGD)");
  } else if (n == Optim::Adagrad) {
    o.eps = r.number("eps", 1e-10, 0.0, 1.0, true);
    o.lr_decay = r.number("lr_decay", 0.0, 0.0, 1e6);
    o.initial_accumulator_value = r.number("initial_accumulator_value", 0.0, 0.0, 1e6);
  } else if (n == Optim::Rmsprop) {
    o.alpha = r.number("alpha", 0.99, 0.0, 1.0, false, true);
    o.eps = r.number("eps", 1e-8, 0.0, 1.0, true);
    o.momentum = r.number("momentum", 0.0, 0.0, 1.0, false, true);
    o.centered = r.boolean("centered", false);
  } else {
    std::tie(o.beta1, o.beta2) = r.unit_pair("betas", 0.9, 0.999);
    o.eps = r.number("eps", 1e-8, 0.0, 1.0, true);
    o.amsgrad = r.boolean("amsgrad", false);
  }
  r.finish(" for optimizer '" + kOptimNames[size_t(n)] + "'");
}

void parse_schedule(const json& j, ScheduleSpec& s, json& normalized) {
  Reader r(j, "schedule", &normalized);
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

// The inverse of parse_config(): the config with every default filled in, what the run actually does. The optimizer
// and schedule sections are what their parsers read (parse_config keeps them in c.normalized).
json normalize(const RunConfig& c) {
  const ModelSpec& m = c.model;
  const TaskSpec& t = c.task;
  JsonObject task;
  task.set("name", t.name);
  if (t.name == "custom") {
    task.set("inputs", t.custom_inputs).set("targets", t.custom_targets);
  } else {
    if (t.name != "xor" && t.name != "gaussian") task.set("length", t.length);
    task.set("train_size", t.train_size).set("val_size", t.val_size);
  }
  if (t.name == "copy") task.set("delay", t.delay).set("symbols", t.symbols);
  if (t.name == "sine") task.set("noise", t.noise).set("target", t.target);
  if (t.name == "xor") task.set("noise", t.noise);
  if (t.name == "gaussian") task.set("features", t.features);
  if (t.name == "text" && !t.text.empty()) task.set("text", t.text);
  const char* cells[] = {"rnn", "lstm", "gru", "mlp"};
  JsonObject model;
  model.set("cell", cells[int(m.cell)]).set("hidden", m.hidden).set("layers", m.layers)
      .set("readout", m.every ? "every" : "last").set("outputs", m.outputs).set("residual", m.residual)
      .set("dropout", m.dropout).set("norm", m.norm == Norm::None ? "none" : m.norm == Norm::Batch ? "batch" : "layer");
  if (m.cell == Cell::Rnn) model.set("nonlinearity", m.relu_rnn ? "relu" : m.selu_rnn ? "selu" : "tanh");
  if (m.cell == Cell::Mlp) model.set("activation", act_name(m.activation));
  JsonObject init;
  init.set("weights", init_name(m.w_init.kind)).set("recurrent", init_name(m.r_init.kind))
      .set("head", init_name(m.head_init.kind)).set("head_scale", m.head_init.scale)
      .set("bias", m.bias_zero ? "zeros" : "default").set("scale", m.w_init.scale).set("gain", m.w_init.gain)
      .set("recurrent_scale", m.r_init.scale).set("recurrent_gain", m.r_init.gain).set("forget_bias", m.forget_bias);
  JsonObject reg, clip, all;
  reg.set("l1", c.l1).set("l2", c.l2);
  clip.set("norm", c.clip_norm);
  all.set("seed", c.seed).set("task", task.take()).set("model", model.take()).set("init", init.take())
      .set("optimizer", c.normalized["optimizer"]).set("schedule", c.normalized["schedule"]).set("loss", c.loss).set("batch", c.batch)
      .set("regularization", reg.take()).set("clip", clip.take()).set("eval_every", c.eval_every);
  return all.take();
}

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
  parse_optimizer(r.sub("optimizer"), c.optim, c.normalized["optimizer"]);
  parse_schedule(r.sub("schedule"), c.schedule, c.normalized["schedule"]);
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

#if !defined(__EMSCRIPTEN__)
json describe_config() {
  json seen = json::object();  // path → key → description, filled by the Readers
  struct Recording {           // points the Readers at `to` for one parse (restored even when the parse throws)
    json* before;
    explicit Recording(json& to) : before(g_describe) { g_describe = &to; }
    ~Recording() { g_describe = before; }
  };
  {
    Recording rec(seen);
    parse_config(json::object());
  }
  json out = seen[""];
  for (const char* section : {"init", "regularization", "clip"}) out[section]["keys"] = seen[section];
  // the sections whose keys depend on a choice: parsed once per choice
  auto variants = [&](const char* section, const char* by, void (*parse)(const json&)) {
    json& d = out[section];
    d["by"] = by;
    for (const json& choice : seen[section][by]["choices"]) {
      json one = json::object();
      {
        Recording rec(one);
        try { parse(json::object({{by, choice}})); } catch (const ConfigError&) {}  // custom: inputs/targets are required
      }
      d["variants"][choice.get<std::string>()] = one[section];
    }
  };
  variants("task", "name", [](const json& j) { TaskSpec t; parse_task(j, t); });
  variants("model", "cell", [](const json& j) { RunConfig rc; parse_model(j, rc.model, rc); });
  variants("optimizer", "name", [](const json& j) { RunConfig rc; parse_optimizer(j, rc.optim, rc.normalized); });
  variants("schedule", "name", [](const json& j) { RunConfig rc; parse_schedule(j, rc.schedule, rc.normalized); });
  return out;
}
#endif

}  // namespace rnnlab
