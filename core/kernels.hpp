// kernels.hpp — the cells' hot matrix products and gate nonlinearities, hand-vectorised for float with GCC/Clang vector
// extensions: SSE natively, wasm SIMD128 under emscripten -msimd128 (Eigen 3.4 has no wasm SIMD path). One source for
// both builds, so native and wasm sum in the same order. Not a BLAS: three shapes only; double goes through Eigen.
#pragma once
#include <cmath>
#include <cstring>
#include <type_traits>
#include <vector>

#include "tensor.hpp"

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace rnnlab {
namespace kern {

typedef float v4 __attribute__((vector_size(16)));
typedef int i4 __attribute__((vector_size(16)));

inline v4 ld(const float* p) { v4 v; std::memcpy(&v, p, 16); return v; }
inline void st(float* p, v4 v) { std::memcpy(p, &v, 16); }
inline v4 splat(float x) { return v4{x, x, x, x}; }
// G[r][0..8) += (rNl, rNh) for the four rows r of a 4×8 tile; rows are K floats apart
inline void add_tile4x8(float* g, int K, v4 r0l, v4 r0h, v4 r1l, v4 r1h, v4 r2l, v4 r2h, v4 r3l, v4 r3h) {
  st(g, ld(g) + r0l); st(g + 4, ld(g + 4) + r0h); g += K;
  st(g, ld(g) + r1l); st(g + 4, ld(g + 4) + r1h); g += K;
  st(g, ld(g) + r2l); st(g + 4, ld(g + 4) + r2h); g += K;
  st(g, ld(g) + r3l); st(g + 4, ld(g + 4) + r3h);
}
inline float hsum(v4 v) { return (v[0] + v[1]) + (v[2] + v[3]); }

// C (M×N col-major, ldc) = or += W (M×K row-major) · X (K×N col-major, ldx). Dot-product form: rows of W and columns of X
// are both contiguous; a 4×2 tile keeps 8 accumulators + 6 operands in registers.
inline void gemm_wx(const float* W, int M, int K, const float* X, int ldx, int N, float* C, int ldc, bool acc) {
  const int K4 = K & ~3;
  auto put = [&](int r, int b, float v) { float& c = C[size_t(b) * ldc + r]; c = acc ? c + v : v; };
  int i = 0;
  for (; i + 4 <= M; i += 4) {
    const float *w0 = W + size_t(i) * K, *w1 = w0 + K, *w2 = w1 + K, *w3 = w2 + K;
    int b = 0;
    for (; b + 2 <= N; b += 2) {
      const float *x0 = X + size_t(b) * ldx, *x1 = x0 + ldx;
      v4 a00 = {}, a01 = {}, a10 = {}, a11 = {}, a20 = {}, a21 = {}, a30 = {}, a31 = {};
      for (int k = 0; k < K4; k += 4) {
        const v4 X0 = ld(x0 + k), X1 = ld(x1 + k);
        v4 w = ld(w0 + k); a00 += w * X0; a01 += w * X1;
        w = ld(w1 + k); a10 += w * X0; a11 += w * X1;
        w = ld(w2 + k); a20 += w * X0; a21 += w * X1;
        w = ld(w3 + k); a30 += w * X0; a31 += w * X1;
      }
      float s00 = hsum(a00), s01 = hsum(a01), s10 = hsum(a10), s11 = hsum(a11);
      float s20 = hsum(a20), s21 = hsum(a21), s30 = hsum(a30), s31 = hsum(a31);
      for (int k = K4; k < K; ++k) {
        s00 += w0[k] * x0[k]; s01 += w0[k] * x1[k]; s10 += w1[k] * x0[k]; s11 += w1[k] * x1[k];
        s20 += w2[k] * x0[k]; s21 += w2[k] * x1[k]; s30 += w3[k] * x0[k]; s31 += w3[k] * x1[k];
      }
      put(i, b, s00); put(i, b + 1, s01); put(i + 1, b, s10); put(i + 1, b + 1, s11);
      put(i + 2, b, s20); put(i + 2, b + 1, s21); put(i + 3, b, s30); put(i + 3, b + 1, s31);
    }
    for (; b < N; ++b) {
      const float* x0 = X + size_t(b) * ldx;
      v4 a0 = {}, a1 = {}, a2 = {}, a3 = {};
      for (int k = 0; k < K4; k += 4) {
        const v4 X0 = ld(x0 + k);
        a0 += ld(w0 + k) * X0; a1 += ld(w1 + k) * X0; a2 += ld(w2 + k) * X0; a3 += ld(w3 + k) * X0;
      }
      float s0 = hsum(a0), s1 = hsum(a1), s2 = hsum(a2), s3 = hsum(a3);
      for (int k = K4; k < K; ++k) { s0 += w0[k] * x0[k]; s1 += w1[k] * x0[k]; s2 += w2[k] * x0[k]; s3 += w3[k] * x0[k]; }
      put(i, b, s0); put(i + 1, b, s1); put(i + 2, b, s2); put(i + 3, b, s3);
    }
  }
  for (; i < M; ++i) {
    const float* w0 = W + size_t(i) * K;
    for (int b = 0; b < N; ++b) {
      const float* x0 = X + size_t(b) * ldx;
      v4 a = {};
      for (int k = 0; k < K4; k += 4) a += ld(w0 + k) * ld(x0 + k);
      float s = hsum(a);
      for (int k = K4; k < K; ++k) s += w0[k] * x0[k];
      put(i, b, s);
    }
  }
}

// C (K×N col-major, ldc) = or += Wᵀ · D, W (M×K row-major), D (M×N col-major, ldd). Row j of W is column j of Wᵀ:
// C(:, b) += W(j, :)ᵀ · D(j, b), an 8×4 tile of C in 8 accumulators, D's entries broadcast.
inline void gemm_wtd(const float* W, int M, int K, const float* D, int ldd, int N, float* C, int ldc, bool acc) {
  int k = 0;
  for (; k + 8 <= K; k += 8) {
    int b = 0;
    for (; b + 4 <= N; b += 4) {
      const float *d0 = D + size_t(b) * ldd, *d1 = d0 + ldd, *d2 = d1 + ldd, *d3 = d2 + ldd;
      v4 c0l = {}, c0h = {}, c1l = {}, c1h = {}, c2l = {}, c2h = {}, c3l = {}, c3h = {};
      for (int j = 0; j < M; ++j) {
        const float* wr = W + size_t(j) * K + k;
        const v4 lo = ld(wr), hi = ld(wr + 4);
        v4 s = splat(d0[j]); c0l += lo * s; c0h += hi * s;
        s = splat(d1[j]); c1l += lo * s; c1h += hi * s;
        s = splat(d2[j]); c2l += lo * s; c2h += hi * s;
        s = splat(d3[j]); c3l += lo * s; c3h += hi * s;
      }
      float* c = C + size_t(b) * ldc + k;
      if (acc) {
        st(c, ld(c) + c0l); st(c + 4, ld(c + 4) + c0h); c += ldc;
        st(c, ld(c) + c1l); st(c + 4, ld(c + 4) + c1h); c += ldc;
        st(c, ld(c) + c2l); st(c + 4, ld(c + 4) + c2h); c += ldc;
        st(c, ld(c) + c3l); st(c + 4, ld(c + 4) + c3h);
      } else {
        st(c, c0l); st(c + 4, c0h); c += ldc;
        st(c, c1l); st(c + 4, c1h); c += ldc;
        st(c, c2l); st(c + 4, c2h); c += ldc;
        st(c, c3l); st(c + 4, c3h);
      }
    }
    for (; b < N; ++b) {
      const float* d0 = D + size_t(b) * ldd;
      v4 cl = {}, ch = {};
      for (int j = 0; j < M; ++j) {
        const float* wr = W + size_t(j) * K + k;
        const v4 s = splat(d0[j]);
        cl += ld(wr) * s; ch += ld(wr + 4) * s;
      }
      float* c = C + size_t(b) * ldc + k;
      if (acc) { st(c, ld(c) + cl); st(c + 4, ld(c + 4) + ch); } else { st(c, cl); st(c + 4, ch); }
    }
  }
  for (; k < K; ++k)
    for (int b = 0; b < N; ++b) {
      const float* d0 = D + size_t(b) * ldd;
      float s = 0;
      for (int j = 0; j < M; ++j) s += W[size_t(j) * K + k] * d0[j];
      float& c = C[size_t(b) * ldc + k];
      c = acc ? c + s : s;
    }
}

// C (M×N col-major, ldc) = or += W·X for a short K (the input products: K = the layer's inputs), where gemm_wx's dot
// products are a few vector steps long and its horizontal sums dominate: Wᵀ is copied into a (K×M) row-major buffer and
// gemm_wtd's outer-product tiles run on it (no horizontal sums)
inline void gemm_wx_shortk(const float* W, int M, int K, const float* X, int ldx, int N, float* C, int ldc, bool acc) {
  thread_local std::vector<float> wt;
  wt.resize(size_t(M) * K);
  for (int i = 0; i < M; ++i)
    for (int k = 0; k < K; ++k) wt[size_t(k) * M + i] = W[size_t(i) * K + k];
  gemm_wtd(wt.data(), K, M, X, ldx, N, C, ldc, acc);
}

// G (M×K row-major) += D (M×N col-major, ldd) · Yᵀ, Y (K×N col-major, ldy): row i of G += Σ_n D(i, n)·Y(:, n)ᵀ, a 4×8
// tile of G in 8 accumulators, D's entries broadcast. N (= steps·batch) is long. For K ≥ 64 it is cut into chunks of NC
// columns and each chunk's D and Y are first packed into tile-sized panels (D: 4 rows per n, Y: 8 rows per n, contiguous),
// so that the inner loop streams two small contiguous panels instead of striding through all of D and Y for every tile
// (measured in wasm: ~1.4× at H = 128; at H = 32 the packing costs what it saves, natively more).
inline void gemm_dyt(const float* D, int M, int ldd, const float* Y, int K, int ldy, int N, float* G) {
  constexpr int NC = 128;
  const int M4 = M & ~3, K8 = K >= 64 ? K & ~7 : 0;
  if (M4 && K8) {
    std::vector<float> dp(size_t(M4) * NC), yp(size_t(K8) * NC);
    for (int n0 = 0; n0 < N; n0 += NC) {
      const int nc = N - n0 < NC ? N - n0 : NC;
      for (int n = 0; n < nc; ++n) {  // dp[i·nc + 4n + r] = D(i + r, n0 + n);  yp[k·nc + 8n + c] = Y(k + c, n0 + n)
        const float* dc = D + size_t(n0 + n) * ldd;
        for (int i = 0; i < M4; i += 4) st(&dp[size_t(i) * nc + 4 * n], ld(dc + i));
        const float* yc = Y + size_t(n0 + n) * ldy;
        for (int k = 0; k < K8; k += 8) {
          float* q = &yp[size_t(k) * nc + 8 * n];
          st(q, ld(yc + k)); st(q + 4, ld(yc + k + 4));
        }
      }
      for (int k = 0; k < K8; k += 8) {
        const float* yb = &yp[size_t(k) * nc];
        for (int i = 0; i < M4; i += 4) {
          const float* db = &dp[size_t(i) * nc];
          v4 r0l = {}, r0h = {}, r1l = {}, r1h = {}, r2l = {}, r2h = {}, r3l = {}, r3h = {};
          for (int n = 0; n < nc; ++n) {
            const v4 lo = ld(yb + 8 * n), hi = ld(yb + 8 * n + 4);
            const float* d = db + 4 * n;
            v4 s = splat(d[0]); r0l += lo * s; r0h += hi * s;
            s = splat(d[1]); r1l += lo * s; r1h += hi * s;
            s = splat(d[2]); r2l += lo * s; r2h += hi * s;
            s = splat(d[3]); r3l += lo * s; r3h += hi * s;
          }
          add_tile4x8(G + size_t(i) * K + k, K, r0l, r0h, r1l, r1h, r2l, r2h, r3l, r3h);
        }
      }
    }
  }
  // K < 64: the same 4×8 tiles straight from D and Y (the panels fit in cache anyway)
  const int K8u = K8 ? K8 : K & ~7;
  for (int i = 0; i < M4 && !K8; i += 4)
    for (int k = 0; k < K8u; k += 8) {
      v4 r0l = {}, r0h = {}, r1l = {}, r1h = {}, r2l = {}, r2h = {}, r3l = {}, r3h = {};
      for (int n = 0; n < N; ++n) {
        const float* y = Y + size_t(n) * ldy + k;
        const v4 lo = ld(y), hi = ld(y + 4);
        const v4 d = ld(D + size_t(n) * ldd + i);
        v4 s = splat(d[0]); r0l += lo * s; r0h += hi * s;
        s = splat(d[1]); r1l += lo * s; r1h += hi * s;
        s = splat(d[2]); r2l += lo * s; r2h += hi * s;
        s = splat(d[3]); r3l += lo * s; r3h += hi * s;
      }
      add_tile4x8(G + size_t(i) * K + k, K, r0l, r0h, r1l, r1h, r2l, r2h, r3l, r3h);
    }
  // the rest: columns k ≥ K8u of the 4-row blocks (vectorised over i), then rows i ≥ M4
  for (int i = 0; i < M4; i += 4)
    for (int k = K8u; k < K; ++k) {
      v4 s = {};
      for (int n = 0; n < N; ++n) s += ld(D + size_t(n) * ldd + i) * splat(Y[size_t(n) * ldy + k]);
      for (int r = 0; r < 4; ++r) G[size_t(i + r) * K + k] += s[r];
    }
  for (int i = M4; i < M; ++i)
    for (int k = 0; k < K; ++k) {
      float s = 0;
      for (int n = 0; n < N; ++n) s += D[size_t(n) * ldd + i] * Y[size_t(n) * ldy + k];
      G[size_t(i) * K + k] += s;
    }
}

// out (M) += Σ_n D(:, n), D (M×N col-major, ldd): the bias gradient, as whole-column vector adds
inline void add_colsum(const float* D, int M, int ldd, int N, float* out) {
  const int M4 = M & ~3;
  for (int i = 0; i < M4; i += 4) {
    v4 a = {}, b = {};
    int n = 0;
    for (; n + 2 <= N; n += 2) { a += ld(D + size_t(n) * ldd + i); b += ld(D + size_t(n + 1) * ldd + i); }
    if (n < N) a += ld(D + size_t(n) * ldd + i);
    st(out + i, ld(out + i) + a + b);
  }
  for (int i = M4; i < M; ++i) {
    float s = 0;
    for (int n = 0; n < N; ++n) s += D[size_t(n) * ldd + i];
    out[i] += s;
  }
}

// pmin(a, b) = b < a ? b : a, one instruction on both targets (minps; wasm's f32x4.pmin). Clang turns the same
// expression written with vector compares into wasm's f32x4.min, whose NaN and ±0 rules V8 spells out in ~7 x64 instructions.
#if defined(__wasm_simd128__)
inline v4 pmin(v4 a, v4 b) { return v4(wasm_f32x4_pmin(v128_t(a), v128_t(b))); }
inline v4 pmax(v4 a, v4 b) { return v4(wasm_f32x4_pmax(v128_t(a), v128_t(b))); }
#else
inline v4 pmin(v4 a, v4 b) { return b < a ? b : a; }
inline v4 pmax(v4 a, v4 b) { return a < b ? b : a; }
#endif

// e^x for 4 floats (Cephes expf: x = n·ln 2 + r, degree-5 polynomial in r; ≤ 2 ulp on [−87, 88]). n = round(x·log₂e) is
// taken by adding 1.5·2²³, which leaves n in the low mantissa bits: the float n is that sum minus 1.5·2²³, and 2ⁿ's bit
// pattern is (bits + 127) << 23 (the constant's own bits shift out). No float↔int conversions: wasm's saturating
// f32x4→i32x4 conversion costs V8 about eight x64 instructions each.
inline v4 exp4(v4 x) {
  x = pmax(pmin(x, splat(88.3762626647949f)), splat(-87.3365447504f));
  const v4 magic = splat(12582912.0f);
  const v4 r = x * splat(1.44269504088896341f) + magic;
  const v4 n = r - magic;
  x = x - n * splat(0.693359375f) - n * splat(-2.12194440e-4f);
  const v4 z = x * x;
  v4 y = splat(1.9875691500E-4f);
  y = y * x + splat(1.3981999507E-3f);
  y = y * x + splat(8.3334519073E-3f);
  y = y * x + splat(4.1665795894E-2f);
  y = y * x + splat(1.6666665459E-1f);
  y = y * x + splat(5.0000001201E-1f);
  y = y * z + x + splat(1.0f);
  i4 e;
  std::memcpy(&e, &r, 16);
  e = (e + 127) << 23;
  v4 scale;
  std::memcpy(&scale, &e, 16);
  return y * scale;
}
inline float exp1(float x) { return exp4(splat(x))[0]; }

// σ(x) = 1/(1 + e^{−x});  tanh(x) = 1 − 2/(1 + e^{2x})  (absolute error ~1e-7 near 0)
inline v4 sigmoid4(v4 x) { return splat(1.0f) / (splat(1.0f) + exp4(-x)); }
inline v4 tanh4(v4 x) { return splat(1.0f) - splat(2.0f) / (splat(1.0f) + exp4(x + x)); }

template <class F> inline void map_rows(float* p, int rows, int cols, int stride, F f4) {
  const int R4 = rows & ~3;
  for (int c = 0; c < cols; ++c) {
    float* col = p + size_t(c) * stride;
    int r = 0;
    for (; r < R4; r += 4) st(col + r, f4(ld(col + r)));
    if (r < rows) {
      float t[4] = {0, 0, 0, 0};
      for (int q = r; q < rows; ++q) t[q - r] = col[q];
      const v4 v = f4(ld(t));
      for (int q = r; q < rows; ++q) col[q] = v[q - r];
    }
  }
}


// ---- fused cell steps: one pass over a time step's columns, 4 rows at a time (a zero-padded chunk for H mod 4) ----
// Each computes exactly the expressions of the layer's Eigen (double) path in layers.hpp, in the same order, so that the
// float results do not depend on which of the two ran; column b of every (rows, B) block starts at b·ld.

inline v4 ldp(const float* p, std::integral_constant<int, 4>) { return ld(p); }
inline void stp(float* p, v4 v, std::integral_constant<int, 4>) { st(p, v); }
inline v4 ldp(const float* p, int n) { v4 v = {}; for (int q = 0; q < n; ++q) v[q] = p[q]; return v; }
inline void stp(float* p, v4 v, int n) { for (int q = 0; q < n; ++q) p[q] = v[q]; }
// f(r, n) for r = 0, 4, 8, … with n = integral_constant 4 (plain vector loads), then once with n = H mod 4 (an int)
template <class F> inline void rows4(int H, F f) {
  const int H4 = H & ~3;
  for (int r = 0; r < H4; r += 4) f(r, std::integral_constant<int, 4>());
  if (H4 < H) f(H4, H - H4);
}

// LSTM forward, one step. g (4H×B, ldg): pre-activations [i; f; g; o] in, σ(i), σ(f), tanh(g), σ(o) out;
// c = i⊙g + f⊙c_prev (c_prev = nullptr at t = 0), tc = tanh(c), h = o⊙tc; c_prev, c, tc, h: (H×B, ldc)
inline void lstm_fwd(float* g, int ldg, const float* cprev, float* c, float* tc, float* h, int ldc, int H, int B) {
  for (int b = 0; b < B; ++b) {
    float* gb = g + size_t(b) * ldg;
    const size_t o = size_t(b) * ldc;
    rows4(H, [&](int r, auto n) {
      const v4 i = sigmoid4(ldp(gb + r, n)), f = sigmoid4(ldp(gb + H + r, n));
      const v4 gg = tanh4(ldp(gb + 2 * H + r, n)), og = sigmoid4(ldp(gb + 3 * H + r, n));
      stp(gb + r, i, n); stp(gb + H + r, f, n); stp(gb + 2 * H + r, gg, n); stp(gb + 3 * H + r, og, n);
      v4 cc = i * gg;
      if (cprev) cc = cc + f * ldp(cprev + o + r, n);
      const v4 t = tanh4(cc);
      stp(c + o + r, cc, n); stp(tc + o + r, t, n); stp(h + o + r, og * t, n);
    });
  }
}

// LSTM backward, one step (see LstmCell::backward for the derivation). dh = dy + dhn (written to dh, H×B);
// dc = dh⊙o⊙(1 − tc²) + dcn; dg rows [i; f; g; o] = dc⊙g⊙i⊙(1 − i), dc⊙c_prev⊙f⊙(1 − f) (0 at t = 0), dc⊙i⊙(1 − g²),
// dh⊙tc⊙o⊙(1 − o); then dcn = dc⊙f. g, dg: (4H×B, ldg); dy, tc, c_prev: (H×B, ldc); dhn, dh, dcn: (H×B, ld H)
inline void lstm_bwd(const float* dy, const float* dhn, float* dh, float* dcn, const float* g, float* dg, int ldg,
                     const float* tc, const float* cprev, int ldc, int H, int B) {
  const v4 one = splat(1.0f);
  for (int b = 0; b < B; ++b) {
    const float* gb = g + size_t(b) * ldg;
    float* db = dg + size_t(b) * ldg;
    const size_t o = size_t(b) * ldc, q = size_t(b) * H;
    rows4(H, [&](int r, auto n) {
      const v4 i = ldp(gb + r, n), f = ldp(gb + H + r, n), gg = ldp(gb + 2 * H + r, n), og = ldp(gb + 3 * H + r, n);
      const v4 t = ldp(tc + o + r, n);
      const v4 h = ldp(dy + o + r, n) + ldp(dhn + q + r, n);
      const v4 dc = h * og * (one - t * t) + ldp(dcn + q + r, n);
      stp(dh + q + r, h, n);
      stp(db + 3 * H + r, h * t * og * (one - og), n);
      stp(db + r, dc * gg * i * (one - i), n);
      stp(db + H + r, cprev ? dc * ldp(cprev + o + r, n) * f * (one - f) : v4{}, n);
      stp(db + 2 * H + r, dc * i * (one - gg * gg), n);
      stp(dcn + q + r, dc * f, n);
    });
  }
}

// GRU forward, one step. s (3H×B, lds): [r; z; n] rows of W_i x + b_i in, σ(r), σ(z), n out; gh (3H×B, ld 3H) = W_hh h_{t-1}
// (nullptr at t = 0: h_{-1} = 0), bh = b_hh (3H): r = σ(s_r + (gh_r + b_r)), z likewise, hn = gh_n + b_n,
// n = tanh(s_n + r⊙hn), h = (1 − z)⊙n + z⊙h_prev (h_prev = nullptr at t = 0); hn, h, h_prev: (H×B, ldh)
inline void gru_fwd(float* s, int lds, const float* gh, const float* bh, const float* hprev, float* hn, float* h, int ldh,
                    int H, int B) {
  const v4 one = splat(1.0f);
  for (int b = 0; b < B; ++b) {
    float* sb = s + size_t(b) * lds;
    const float* gb = gh ? gh + size_t(b) * 3 * H : nullptr;
    const size_t o = size_t(b) * ldh;
    rows4(H, [&](int r, auto n) {
      const v4 br = ldp(bh + r, n), bz = ldp(bh + H + r, n), bn = ldp(bh + 2 * H + r, n);
      const v4 hr = gb ? ldp(gb + r, n) + br : br, hz = gb ? ldp(gb + H + r, n) + bz : bz, hh = gb ? ldp(gb + 2 * H + r, n) + bn : bn;
      const v4 rr = sigmoid4(ldp(sb + r, n) + hr), z = sigmoid4(ldp(sb + H + r, n) + hz);
      const v4 nn = tanh4(ldp(sb + 2 * H + r, n) + rr * hh);
      stp(sb + r, rr, n); stp(sb + H + r, z, n); stp(sb + 2 * H + r, nn, n); stp(hn + o + r, hh, n);
      v4 y = (one - z) * nn;
      if (hprev) y = y + z * ldp(hprev + o + r, n);
      stp(h + o + r, y, n);
    });
  }
}

// GRU backward, one step (see GruCell::backward). dh = dy + dhn (written to dh); with h = (1 − z)⊙n + z⊙h_prev:
// dz = dh⊙(h_prev − n)⊙z⊙(1 − z), dn = dh⊙(1 − z)⊙(1 − n²), dr = dn⊙hn⊙r⊙(1 − r) into gx (3H×B, ldx) and the same rows
// into gh (3H×B, ldx) with its n rows dn⊙r; dhn is overwritten with dh⊙z (the caller adds W_hhᵀ·gh to it).
// s, hn, dy, h_prev: as in gru_fwd (ld lds, ldh); dhn, dh: (H×B, ld H)
inline void gru_bwd(const float* dy, float* dhn, float* dh, const float* s, int lds, const float* hn, const float* hprev,
                    int ldh, float* gx, float* gh, int ldx, int H, int B) {
  const v4 one = splat(1.0f);
  for (int b = 0; b < B; ++b) {
    const float* sb = s + size_t(b) * lds;
    float *xb = gx + size_t(b) * ldx, *hb = gh + size_t(b) * ldx;
    const size_t o = size_t(b) * ldh, q = size_t(b) * H;
    rows4(H, [&](int r, auto n) {
      const v4 rr = ldp(sb + r, n), z = ldp(sb + H + r, n), nn = ldp(sb + 2 * H + r, n);
      const v4 d = ldp(dy + o + r, n) + ldp(dhn + q + r, n);
      const v4 dz = (hprev ? d * (ldp(hprev + o + r, n) - nn) : d * -nn) * z * (one - z);
      const v4 dn = d * (one - z) * (one - nn * nn);
      const v4 dr = dn * ldp(hn + o + r, n) * rr * (one - rr);
      stp(dh + q + r, d, n);
      stp(xb + r, dr, n); stp(xb + H + r, dz, n); stp(xb + 2 * H + r, dn, n);
      stp(hb + r, dr, n); stp(hb + H + r, dz, n); stp(hb + 2 * H + r, dn * rr, n);
      stp(dhn + q + r, d * z, n);
    });
  }
}

}  // namespace kern

// ---- entry points used by layers.hpp: float → kernels above, other scalars → Eigen ----

// Y (=|+=) W·X, W a row-major weight map, X and Y column-major blocks
template <class WM, class XM, class YM> inline void mul_wx(const WM& W, const XM& X, YM&& Y, bool acc) {
  using T = typename std::decay_t<WM>::Scalar;
  if constexpr (std::is_same_v<T, float>)
    (W.cols() <= 16 && X.cols() >= 8 ? kern::gemm_wx_shortk : kern::gemm_wx)(
        W.data(), int(W.rows()), int(W.cols()), X.data(), int(X.outerStride()), int(X.cols()), Y.data(), int(Y.outerStride()), acc);
  else if (acc) Y.noalias() += W * X;
  else Y.noalias() = W * X;
}

// Y (=|+=) Wᵀ·D
template <class WM, class DM, class YM> inline void mul_wtd(const WM& W, const DM& D, YM&& Y, bool acc) {
  using T = typename std::decay_t<WM>::Scalar;
  if constexpr (std::is_same_v<T, float>)
    kern::gemm_wtd(W.data(), int(W.rows()), int(W.cols()), D.data(), int(D.outerStride()), int(D.cols()), Y.data(),
                   int(Y.outerStride()), acc);
  else if (acc) Y.noalias() += W.transpose() * D;
  else Y.noalias() = W.transpose() * D;
}

// G += D·Yᵀ, G a row-major weight-gradient map
template <class DM, class YM, class GM> inline void mul_dyt(const DM& D, const YM& Y, GM&& G) {
  using T = typename std::decay_t<GM>::Scalar;
  if constexpr (std::is_same_v<T, float>)
    kern::gemm_dyt(D.data(), int(D.rows()), int(D.outerStride()), Y.data(), int(Y.rows()), int(Y.outerStride()), int(D.cols()),
                   G.data());
  else G.noalias() += D * Y.transpose();
}

// v += Σ over the columns of D (bias gradients)
template <class DM, class VM> inline void add_rowsum(const DM& D, VM&& v) {
  using T = typename std::decay_t<DM>::Scalar;
  if constexpr (std::is_same_v<T, float>) kern::add_colsum(D.data(), int(D.rows()), int(D.outerStride()), int(D.cols()), v.data());
  else v += D.rowwise().sum();
}

// in-place σ or tanh on a column-major block
template <class BM> inline void sigmoid_inplace(BM&& B) {
  using T = typename std::decay_t<BM>::Scalar;
  if constexpr (std::is_same_v<T, float>) kern::map_rows(B.data(), int(B.rows()), int(B.cols()), int(B.outerStride()), kern::sigmoid4);
  else B = (1 + (-B.array()).exp()).inverse().matrix();
}
template <class BM> inline void tanh_inplace(BM&& B) {
  using T = typename std::decay_t<BM>::Scalar;
  if constexpr (std::is_same_v<T, float>) kern::map_rows(B.data(), int(B.rows()), int(B.cols()), int(B.outerStride()), kern::tanh4);
  else B = B.array().tanh().matrix();
}

}  // namespace rnnlab
