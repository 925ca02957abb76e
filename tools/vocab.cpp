// vocab.cpp — writes the core's config vocabulary as JSON: web/vocab.json (web_vocabulary(): choices by key, the keys
// each optimizer/cell/task/schedule accepts), which web/schema.js takes its choices from; --full: all of describe_config().
// Not in the wasm module. usage: rnnlab_vocab [--full] [out.json]   (stdout without a file; `make vocab` writes web/vocab.json)
#include <cstdio>
#include <fstream>

#include <string>

#include "vocab.hpp"

int main(int argc, char** argv) {
  const bool full = argc > 1 && std::string(argv[1]) == "--full";
  if (full) --argc, ++argv;
  const std::string text = (full ? rnnlab::describe_config() : rnnlab::web_vocabulary()).dump(1) + "\n";
  if (argc < 2) {
    std::fputs(text.c_str(), stdout);
    return 0;
  }
  std::ofstream f(argv[1], std::ios::binary);
  f << text;
  return f ? 0 : 1;
}
