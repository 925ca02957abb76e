// rng.hpp — the core's own random numbers: xoshiro128** seeded by splitmix64, uniform and normal draws.
// Not std::<random>: its distributions differ between libraries, and one seed must give the same data natively and in wasm.
#pragma once
#include <cmath>
#include <cstdint>

namespace rnnlab {

struct Rng {
  uint32_t s[4];

  explicit Rng(uint64_t seed = 1) { reseed(seed); }

  void reseed(uint64_t seed) {
    uint64_t z = seed;
    for (int i = 0; i < 2; ++i) {  // splitmix64 → two 64-bit words → four 32-bit words
      z += 0x9E3779B97F4A7C15ull;
      uint64_t x = z;
      x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
      x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
      x ^= x >> 31;
      s[2 * i] = uint32_t(x);
      s[2 * i + 1] = uint32_t(x >> 32);
    }
    if ((s[0] | s[1] | s[2] | s[3]) == 0) s[0] = 1;
  }

  static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

  // xoshiro128** (Blackman & Vigna 2018)
  uint32_t next() {
    const uint32_t result = rotl(s[1] * 5, 7) * 9;
    const uint32_t t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  // uniform in [0, 1) with 24 random bits: exact in float, identical everywhere
  double uniform() { return double(next() >> 8) * (1.0 / 16777216.0); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

  // integer in [0, n) (n > 0), by Lemire's multiply-shift (bias < n / 2^32, negligible here)
  uint32_t below(uint32_t n) { return uint32_t((uint64_t(next()) * n) >> 32); }

  // standard normal by Box–Muller (cosine branch only, so each draw uses exactly two words)
  double normal() {
    const double u1 = (double(next() >> 8) + 1.0) * (1.0 / 16777217.0);  // (0, 1]
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double normal(double mean, double std) { return mean + std * normal(); }
};

}  // namespace rnnlab
