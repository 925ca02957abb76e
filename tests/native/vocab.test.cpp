// vocab.test.cpp — web/vocab.json (the choices web/schema.js offers) is what the core's parser reads today, and the
// vocabulary says what the parser does. Not the schema itself (tests/node/vocab.test.mjs compares schema.js with the file).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "../../tools/vocab.hpp"

using nlohmann::json;

TEST_CASE("the committed web/vocab.json equals what rnnlab_vocab writes now (run `make vocab` after a config change)") {
  std::ifstream f(std::string(RNNLAB_SOURCE_DIR) + "/web/vocab.json");
  REQUIRE(f.good());
  std::stringstream ss;
  ss << f.rdbuf();
  json committed;
  REQUIRE(rnnlab::parse_json(ss.str(), committed));
  CHECK(committed == rnnlab::web_vocabulary());
}

TEST_CASE("every choice the vocabulary lists is accepted by the parser and a made-up one is refused") {
  const json v = rnnlab::web_vocabulary();
  for (const char* path : {"model.cell", "model.nonlinearity", "model.norm", "optimizer.name", "init.weights", "schedule.name"}) {
    const std::string p = path, section = p.substr(0, p.find('.')), key = p.substr(p.find('.') + 1);
    REQUIRE(v["choices"].contains(p));
    for (const json& c : v["choices"][p]) {
      json cfg = json::object();
      cfg[section][key] = c;
      if (p == "model.nonlinearity") cfg["model"]["cell"] = "rnn";
      CHECK_NOTHROW(rnnlab::parse_config(cfg));
    }
    json bad = json::object();
    bad[section][key] = "no_such_choice";
    CHECK_THROWS_AS(rnnlab::parse_config(bad), rnnlab::ConfigError);
  }
}

TEST_CASE("each optimizer accepts exactly the keys the vocabulary lists for it") {
  const json v = rnnlab::web_vocabulary();
  const json& accepts = v["keys"]["optimizer"]["accepts"];
  CHECK(accepts.size() == v["choices"]["optimizer.name"].size());
  for (auto it = accepts.begin(); it != accepts.end(); ++it) {
    for (const char* k : {"amsgrad", "betas", "momentum", "alpha", "lr_decay", "nesterov", "centered"}) {
      bool listed = false;
      for (const json& a : *it) listed = listed || a == k;
      json cfg = json::object();
      cfg["optimizer"]["name"] = it.key();
      cfg["optimizer"][k] = std::string(k) == "betas" ? json::array({0.9, 0.99})
                            : (std::string(k) == "amsgrad" || std::string(k) == "nesterov" || std::string(k) == "centered") ? json(false)
                                                                                                                              : json(0.5);
      INFO(it.key() << " with " << k);
      if (listed) CHECK_NOTHROW(rnnlab::parse_config(cfg));
      else CHECK_THROWS_AS(rnnlab::parse_config(cfg), rnnlab::ConfigError);
    }
  }
}
