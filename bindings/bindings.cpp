// bindings.cpp — embind glue: JSON strings and typed-array views in, JSON strings out, every C++ exception turned into
// an {"error": message} reply. Not logic: bindings/api.js wraps these into the documented JavaScript API.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <malloc.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "run.hpp"

using nlohmann::json;
using rnnlab::Run;

// This file's own functions run once per call from JS: optimised for size (minsize). Not -Oz for the whole file: it is
// linked first, so its copies of inline library functions (std::vector, std::map, Eigen) would win over run.cpp's -O3
// copies, which the training step uses (measured: −10 % steps/s at H = 32).
#pragma clang attribute push(__attribute__((minsize)), apply_to = function)

namespace {

std::string error_json(const std::string& msg) { return rnnlab::JsonObject().set("error", msg).take().dump(); }

// runs f; "" if it returned, else the message of what it threw
template <class F> std::string failure(F&& f) {
  try {
    f();
    return std::string();
  } catch (const std::bad_alloc&) {
    return "out of memory: the run is too large for this browser tab (lower hidden, layers, batch or length)";
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error in the training core";
  }
}

// f's JSON reply, or {"error": message}
template <class F> std::string guarded(F&& f) {
  std::string out;
  const std::string err = failure([&] { out = f(); });
  return err.empty() ? out : error_json(err);
}

class RunHandle {
 public:
  // "" when created, else the error message
  std::string create(const std::string& config) {
    return failure([&] { run_ = std::make_unique<Run>(config); });
  }
  std::string train(int steps) { return guarded([&] { return need().train(steps).to_json().dump(); }); }
  std::string summary() { return guarded([&] { return need().summary().to_json().dump(); }); }
  std::string config() { return guarded([&] { return need().config().dump(); }); }
  std::string exportWeights() { return guarded([&] { return need().export_weights().dump(); }); }
  std::string importWeights(const std::string& w) {
    return guarded([&] {
      json j;
      if (!rnnlab::parse_json(w, j)) throw rnnlab::ConfigError("importWeights: not valid JSON");
      need().import_weights(j);
      return std::string("{}");
    });
  }
  // predict / inspect / generate: "" or the error. Their input is written by api.js into input(n)'s view first; the
  // arrays (bytes) they give are read once through data() (text())
  emscripten::val input(int n) {
    in_.resize(size_t(n));
    return emscripten::val(emscripten::typed_memory_view(in_.size(), in_.data()));
  }
  std::string predict(int B, int T) { return failure([&] { need().predict(in_, B, T, data_); }); }
  std::string inspect(int sample) { return failure([&] { need().inspect(sample, in_, data_); }); }
  std::string generate(const std::string& prime, double length, double temperature, double seed) {
    return failure([&] { text_ = need().generate(prime, length, temperature, seed); });
  }
  emscripten::val data() { return emscripten::val(emscripten::typed_memory_view(data_.size(), data_.data())); }
  emscripten::val text() {
    return emscripten::val(emscripten::typed_memory_view(text_.size(), reinterpret_cast<const unsigned char*>(text_.data())));
  }
  std::string taskInfo() {
    return guarded([&] {
      const rnnlab::Task& t = need().task();
      rnnlab::JsonObject o;
      o.set("name", t.name).set("length", t.train.T).set("inputs", t.train.in).set("outputs", t.train.out)
          .set("classes", t.train.classes).set("every", t.train.every).set("train_size", t.train.n)
          .set("val_size", t.val.n).set("baseline", t.baseline >= 0 ? json(t.baseline) : json(nullptr));
      return o.take().dump();
    });
  }
  std::string metricNames() {
    return guarded([&] {
      json names = json::array();
      for (auto& e : need().metrics()) names.push_back(e.first);
      return names.dump();
    });
  }
  // a view into the core's memory: api.js copies it at once (views die when memory grows)
  emscripten::val metric(const std::string& name) {
    if (!run_) return emscripten::val::null();
    auto& m = run_->metrics();
    auto it = m.find(name);
    if (it == m.end()) return emscripten::val::null();
    return emscripten::val(emscripten::typed_memory_view(it->second.size(), it->second.data()));
  }

 private:
  Run& need() {
    if (!run_) throw std::runtime_error("this run was not created");
    return *run_;
  }
  std::unique_ptr<Run> run_;
  std::vector<float> in_, data_;
  std::string text_;
};

// bytes malloc has handed out and not taken back: flat across create/dispose cycles if nothing leaks
double heapInUse() { return double(mallinfo().uordblks); }

// Test hook for the page's crashed-worker recovery (tests/e2e/crash.test.mjs): a real failure of the module, not a
// thrown Error. how 1: a wasm trap (`unreachable`); anything else: abort(), as a failed assertion or OOM would.
void crashForTests(int how) {
  if (how == 1) __builtin_trap();
  std::abort();
}

}  // namespace

#pragma clang attribute pop

EMSCRIPTEN_BINDINGS(rnnlab) {
  emscripten::function("heapInUse", &heapInUse);
  emscripten::function("crashForTests", &crashForTests);
  emscripten::class_<RunHandle>("RunHandle")
      .constructor<>()
      .function("create", &RunHandle::create)
      .function("train", &RunHandle::train)
      .function("summary", &RunHandle::summary)
      .function("config", &RunHandle::config)
      .function("exportWeights", &RunHandle::exportWeights)
      .function("importWeights", &RunHandle::importWeights)
      .function("taskInfo", &RunHandle::taskInfo)
      .function("metricNames", &RunHandle::metricNames)
      .function("metric", &RunHandle::metric)
      .function("input", &RunHandle::input)
      .function("predict", &RunHandle::predict)
      .function("inspect", &RunHandle::inspect)
      .function("generate", &RunHandle::generate)
      .function("data", &RunHandle::data)
      .function("text", &RunHandle::text);
}
