// vocab.hpp — the part of the core's config vocabulary the web pages use, cut from describe_config(): every choice key's
// allowed values by dot path, and the keys each choice of a section accepts. Not the full description (ranges, types).
#pragma once
#include "config.hpp"

namespace rnnlab {

// {"choices": {"model.cell": ["rnn", …], "optimizer.name": [...], …},
//  "keys": {"optimizer": {"by": "name", "accepts": {"adam": ["amsgrad", "betas", …], …}}, "model": …, "task": …, "schedule": …}}
// A key that several variants read (model.norm under every cell) has the same choices in each; the first is kept.
inline nlohmann::json web_vocabulary(const nlohmann::json& d = describe_config()) {
  using nlohmann::json;
  json choices = json::object(), keys = json::object();
  auto take = [&](const std::string& prefix, const json& fields) {
    for (auto it = fields.begin(); it != fields.end(); ++it)
      if (it->value("type", "") == "choice" && !choices.contains(prefix + it.key())) choices[prefix + it.key()] = (*it)["choices"];
  };
  for (auto it = d.begin(); it != d.end(); ++it) {
    const json& v = *it;
    if (v.contains("variants")) {
      json& k = keys[it.key()];
      k["by"] = v["by"];
      for (auto c = v["variants"].begin(); c != v["variants"].end(); ++c) {
        take(it.key() + ".", *c);
        json names = json::array();
        for (auto f = c->begin(); f != c->end(); ++f) names.push_back(f.key());
        k["accepts"][c.key()] = names;
      }
    } else if (v.contains("keys")) {
      take(it.key() + ".", v["keys"]);
    } else {
      take("", json::object({{it.key(), v}}));
    }
  }
  return json::object({{"choices", choices}, {"keys", keys}});
}

}  // namespace rnnlab
