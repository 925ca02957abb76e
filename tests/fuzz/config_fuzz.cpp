// config_fuzz.cpp — libFuzzer harness for the native config/JSON path: any bytes → Run(config) → two training steps.
// Not a unit test: it asserts only that nothing crashes, hangs or throws anything but a ConfigError with a message.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "run.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 16) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    rnnlab::Run run(text);
    run.train(2);
    (void)run.export_weights();
  } catch (const rnnlab::ConfigError& e) {
    if (std::string(e.what()).empty()) std::abort();  // every refusal names what is wrong
  }
  return 0;
}
