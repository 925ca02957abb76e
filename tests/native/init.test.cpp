// init.test.cpp — every initialiser's statistics against its torch.nn.init definition, and Model::initialize's policy
// (torch defaults, forget bias, zero-init symmetry). Not a check of which initialiser a lesson should pick.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "init.hpp"
#include "model.hpp"
#include "run.hpp"

using namespace rnnlab;
using nlohmann::json;

namespace {

struct Stats { double mean = 0, var = 0, maxabs = 0; long n = 0; };

Stats stats(const std::vector<double>& v) {
  Stats s;
  s.n = long(v.size());
  for (double x : v) { s.mean += x; s.maxabs = std::max(s.maxabs, std::fabs(x)); }
  s.mean /= double(s.n);
  for (double x : v) s.var += (x - s.mean) * (x - s.mean);
  s.var /= double(s.n);
  return s;
}

// A (rows = fan_out, cols = fan_in) weight filled by the core.
std::vector<double> fill(int rows, int cols, const InitSpec& spec, uint64_t seed = 1) {
  std::vector<double> buf(size_t(rows) * size_t(cols), -777.0);
  Rng rng(seed);
  init_weight<double>(WMap<double>(buf.data(), rows, cols), spec, rng);
  return buf;
}

InitSpec spec_of(Init k, double scale = 0.1, double gain = 1.0) {
  InitSpec s; s.kind = k; s.scale = scale; s.gain = gain;
  return s;
}

constexpr int kOut = 256, kIn = 512;  // fan_out, fan_in: different, so a swapped fan convention shows

// mean ≈ 0 within 5 standard errors; variance within 5 % (≫ its standard error √(2/n) ≈ 0.4 % here)
void check_moments(const std::vector<double>& w, double var) {
  const Stats s = stats(w);
  CHECK(std::fabs(s.mean) < 5 * std::sqrt(var / double(s.n)));
  CHECK(s.var == doctest::Approx(var).epsilon(0.05));
}

}  // namespace

TEST_CASE("uniform initialisers have variance bound²/3 and stay within their bound (torch fan convention)") {
  struct Case { Init kind; double gain, bound; const char* name; };
  const double fi = kIn, fo = kOut;
  const Case cases[] = {
      {Init::Uniform, 1.0, 0.3, "uniform: U(−scale, scale)"},
      {Init::XavierUniform, 1.0, std::sqrt(6.0 / (fi + fo)), "xavier_uniform: a = gain·√(6/(fan_in + fan_out))"},
      {Init::XavierUniform, 2.0, 2.0 * std::sqrt(6.0 / (fi + fo)), "xavier_uniform, gain 2"},
      {Init::HeUniform, 1.0, std::sqrt(6.0 / fi), "kaiming_uniform (a = 0, fan_in): √(6/fan_in)"},
      {Init::LecunUniform, 1.0, std::sqrt(3.0 / fi), "lecun_uniform: √(3/fan_in)"},
      {Init::LecunUniform, 0.5, 0.5 * std::sqrt(3.0 / fi), "lecun_uniform, gain 0.5"},
  };
  for (const Case& c : cases) {
    const std::string name = c.name;
    CAPTURE(name);
    InitSpec s = spec_of(c.kind, 0.3, c.gain);
    const std::vector<double> w = fill(kOut, kIn, s);
    check_moments(w, c.bound * c.bound / 3.0);
    const Stats st = stats(w);
    CHECK(st.maxabs <= c.bound);
    CHECK(st.maxabs > 0.999 * c.bound);  // and fills it: 131072 draws leave a gap of ~1e-5 at each end
    // init_variance (used by lesson 5) agrees with the definition
    CHECK(init_variance(s, kOut, kIn) == doctest::Approx(c.bound * c.bound / 3.0).epsilon(1e-12));
  }
  // the default (torch's reset_parameters): U(−bound, bound) with the bound the model passes in
  InitSpec d; d.kind = Init::Default; d.default_bound = 0.0625;
  const std::vector<double> w = fill(kOut, kIn, d);
  check_moments(w, 0.0625 * 0.0625 / 3);
  CHECK(stats(w).maxabs <= 0.0625);
}

TEST_CASE("normal initialisers have mean 0 and their defined variance (torch fan convention)") {
  struct Case { Init kind; double scale, gain, var; const char* name; };
  const double fi = kIn, fo = kOut;
  const Case cases[] = {
      {Init::Normal, 0.2, 1.0, 0.04, "normal: N(0, scale²)"},
      {Init::XavierNormal, 0.1, 1.0, 2.0 / (fi + fo), "xavier_normal: 2/(fan_in + fan_out)"},
      {Init::XavierNormal, 0.1, 3.0, 9.0 * 2.0 / (fi + fo), "xavier_normal, gain 3"},
      {Init::HeNormal, 0.1, 1.0, 2.0 / fi, "kaiming_normal (a = 0, fan_in): 2/fan_in"},
      {Init::LecunNormal, 0.1, 1.0, 1.0 / fi, "lecun_normal: 1/fan_in"},
  };
  for (const Case& c : cases) {
    const std::string name = c.name;
    CAPTURE(name);
    InitSpec s = spec_of(c.kind, c.scale, c.gain);
    const std::vector<double> w = fill(kOut, kIn, s);
    check_moments(w, c.var);
    // a normal, not a uniform: some draws beyond √3·σ, where a uniform of the same variance ends (P ≈ 0.083)
    long beyond = 0;
    for (double x : w) beyond += std::fabs(x) > std::sqrt(3.0 * c.var);
    CHECK(double(beyond) / double(w.size()) == doctest::Approx(0.0833).epsilon(0.1));
    CHECK(init_variance(s, kOut, kIn) == doctest::Approx(c.var).epsilon(1e-12));
  }
}

TEST_CASE("orthogonal gives orthonormal columns (rows ≥ cols) or rows (rows < cols), times the gain") {
  for (auto [rows, cols] : {std::pair<int, int>{64, 32}, {32, 64}, {48, 48}, {128, 32}}) {
    for (double gain : {1.0, 1.5}) {
      CAPTURE(rows); CAPTURE(cols); CAPTURE(gain);
      std::vector<float> buf(size_t(rows) * size_t(cols));
      Rng rng(11);
      WMap<float> W(buf.data(), rows, cols);
      init_weight<float>(W, spec_of(Init::Orthogonal, 0.1, gain), rng);
      Eigen::MatrixXd M = W.cast<double>();
      const Eigen::MatrixXd G = rows >= cols ? Eigen::MatrixXd(M.transpose() * M) : Eigen::MatrixXd(M * M.transpose());
      const Eigen::MatrixXd I = gain * gain * Eigen::MatrixXd::Identity(G.rows(), G.cols());
      CHECK((G - I).cwiseAbs().maxCoeff() < 1e-5 * gain * gain);
      // mean square = g²·min/(rows·cols) = g²/max(rows, cols), as init_variance says
      CHECK(M.squaredNorm() / double(rows * cols) == doctest::Approx(gain * gain / std::max(rows, cols)).epsilon(1e-5));
      CHECK(init_variance(spec_of(Init::Orthogonal, 0.1, gain), rows, cols) ==
            doctest::Approx(gain * gain / std::max(rows, cols)));
    }
  }
  // different draws give different orthogonal matrices (it is random, not a fixed basis)
  std::vector<double> a = fill(16, 16, spec_of(Init::Orthogonal), 1), b = fill(16, 16, spec_of(Init::Orthogonal), 2);
  CHECK(a != b);
}

TEST_CASE("identity, zeros and constant fill exactly what their names say") {
  for (auto [rows, cols] : {std::pair<int, int>{5, 5}, {3, 6}, {6, 3}}) {
    const std::vector<double> w = fill(rows, cols, spec_of(Init::Identity, 0.1, 2.5));
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c) CHECK(w[size_t(r * cols + c)] == (r == c ? 2.5 : 0.0));
    for (double x : fill(rows, cols, spec_of(Init::Zeros))) CHECK(x == 0.0);
    for (double x : fill(rows, cols, spec_of(Init::Constant, -0.375))) CHECK(x == -0.375);
  }
}

TEST_CASE("one seed gives the same weights; the fill order is row-major (torch's storage order)") {
  CHECK(fill(8, 12, spec_of(Init::XavierNormal), 5) == fill(8, 12, spec_of(Init::XavierNormal), 5));
  CHECK(fill(8, 12, spec_of(Init::XavierNormal), 5) != fill(8, 12, spec_of(Init::XavierNormal), 6));
  // U(−s, s) drawn one element at a time in row-major order from the same stream
  const std::vector<double> w = fill(3, 4, spec_of(Init::Uniform, 0.5), 9);
  Rng rng(9);
  for (size_t i = 0; i < w.size(); ++i) CHECK(w[i] == rng.uniform(-0.5, 0.5));
}

// ----- Model::initialize ---------------------------------------------------------------------------------------------
namespace {
Stats param_stats(Model<float>& m, const std::string& name) {
  for (size_t i = 0; i < m.P.info.size(); ++i)
    if (m.P.info[i].name == name) {
      const ParamInfo& p = m.P.info[i];
      return stats(std::vector<double>(m.P.value.begin() + long(p.offset), m.P.value.begin() + long(p.offset + p.size())));
    }
  FAIL("no parameter " << name);
  return {};
}
const ParamInfo& info(Model<float>& m, const std::string& name) {
  for (const ParamInfo& p : m.P.info) if (p.name == name) return p;
  throw std::runtime_error("no parameter " + name);
}
}  // namespace

TEST_CASE("default init follows torch: nn.LSTM/GRU/RNN parameters U(±1/√hidden), nn.Linear U(±1/√fan_in)") {
  for (Cell cell : {Cell::Lstm, Cell::Gru, Cell::Rnn}) {
    ModelSpec s;
    s.cell = cell; s.inputs = 50; s.hidden = 16; s.layers = 2; s.outputs = 3;  // fan_in 50 ≠ hidden, so the rule shows
    Model<float> m(s);
    Rng rng(1);
    m.initialize(rng);
    const double b = 1 / std::sqrt(16.0);
    for (const char* n : {"rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "rnn.weight_ih_l1",
                          "rnn.weight_hh_l1", "rnn.bias_ih_l1", "rnn.bias_hh_l1"}) {
      const std::string name = n;
      CAPTURE(name); CAPTURE(int(cell));
      const Stats st = param_stats(m, n);
      CHECK(st.maxabs <= b);
      CHECK(st.maxabs > 0.8 * b);
      if (st.n >= 500) CHECK(st.var == doctest::Approx(b * b / 3).epsilon(0.2));  // ≥ 500 draws: SE ≤ 4 %
    }
    // head: nn.Linear(16, 3): bound 1/√16 for weight and bias
    CHECK(param_stats(m, "head.weight").maxabs <= b);
    CHECK(param_stats(m, "head.bias").maxabs <= b);
  }
  // an MLP: nn.Linear(fan_in, hidden) per block: bound 1/√fan_in for weight and bias; head 1/√hidden
  ModelSpec s;
  s.cell = Cell::Mlp; s.inputs = 4; s.hidden = 400; s.layers = 2; s.outputs = 2;
  Model<float> m(s);
  Rng rng(2);
  m.initialize(rng);
  const Stats w0 = param_stats(m, "mlp.0.weight"), b0 = param_stats(m, "mlp.0.bias");
  CHECK(w0.maxabs <= 0.5); CHECK(w0.maxabs > 0.49);                    // 1/√4
  CHECK(b0.maxabs <= 0.5); CHECK(b0.maxabs > 0.45);
  const Stats w1 = param_stats(m, "mlp.1.weight"), b1 = param_stats(m, "mlp.1.bias");
  CHECK(w1.maxabs <= 0.05); CHECK(w1.maxabs > 0.0499);                 // 1/√400
  CHECK(w1.var == doctest::Approx(0.05 * 0.05 / 3).epsilon(0.05));
  CHECK(b1.maxabs <= 0.05); CHECK(b1.maxabs > 0.045);
  const Stats hw = param_stats(m, "head.weight"), hb = param_stats(m, "head.bias");
  CHECK(hw.maxabs <= 0.05); CHECK(hw.maxabs > 0.04);
  CHECK(hb.maxabs <= 0.05);
}

TEST_CASE("configured initialisers reach the right parameters: weights → weight_ih, recurrent → weight_hh") {
  ModelSpec s;
  s.cell = Cell::Lstm; s.inputs = 3; s.hidden = 8; s.layers = 2; s.outputs = 1;
  s.w_init = spec_of(Init::Constant, 0.25);
  s.r_init = spec_of(Init::Identity, 0.1, 1.0);
  s.bias_zero = true;
  Model<float> m(s);
  Rng rng(1);
  m.initialize(rng);
  for (const char* n : {"rnn.weight_ih_l0", "rnn.weight_ih_l1"}) {
    const ParamInfo& p = info(m, n);
    for (size_t i = p.offset; i < p.offset + p.size(); ++i) CHECK(m.P.value[i] == 0.25f);
  }
  for (const char* n : {"rnn.weight_hh_l0", "rnn.weight_hh_l1"}) {
    const ParamInfo& p = info(m, n);
    auto W = m.P.w(int(&p - m.P.info.data()));
    for (int r = 0; r < p.rows; ++r) for (int c = 0; c < p.cols; ++c) CHECK(W(r, c) == (r == c ? 1.f : 0.f));
  }
  for (const char* n : {"rnn.bias_ih_l0", "rnn.bias_hh_l0", "rnn.bias_ih_l1", "rnn.bias_hh_l1"})
    CHECK(param_stats(m, n).maxabs == 0.0);
}

TEST_CASE("an LSTM's forget_bias shifts only the forget slice [H, 2H) of bias_ih, in every layer") {
  const int H = 6;
  ModelSpec s;
  s.cell = Cell::Lstm; s.inputs = 2; s.hidden = H; s.layers = 2; s.outputs = 1;
  SUBCASE("on top of the default init: the same draws, plus the shift") {
    Model<float> plain(s);
    s.forget_bias = 1.0;
    Model<float> shifted(s);
    Rng r1(4), r2(4);
    plain.initialize(r1);
    shifted.initialize(r2);
    for (const ParamInfo& p : plain.P.info) {
      const bool ih = p.name.rfind("rnn.bias_ih_l", 0) == 0;
      for (size_t j = 0; j < p.size(); ++j) {
        CAPTURE(p.name); CAPTURE(j);
        const float a = plain.P.value[p.offset + j], b = shifted.P.value[p.offset + j];
        if (ih && j >= size_t(H) && j < size_t(2 * H)) CHECK(b == doctest::Approx(a + 1.0f));
        else CHECK(b == a);
      }
    }
  }
  SUBCASE("with bias zeros: the forget slice of bias_ih is exactly the forget bias, everything else 0") {
    s.forget_bias = 1.0;
    s.bias_zero = true;
    Model<float> m(s);
    Rng rng(4);
    m.initialize(rng);
    for (const char* n : {"rnn.bias_ih_l0", "rnn.bias_ih_l1", "rnn.bias_hh_l0", "rnn.bias_hh_l1"}) {
      const ParamInfo& p = info(m, n);
      const std::string name = n;
      const bool ih = name.find("ih") != std::string::npos;
      for (size_t j = 0; j < p.size(); ++j) {
        CAPTURE(name); CAPTURE(j);
        CHECK(m.P.value[p.offset + j] == ((ih && j >= size_t(H) && j < size_t(2 * H)) ? 1.0f : 0.0f));
      }
    }
  }
  SUBCASE("a GRU ignores it (it has no forget gate)") {
    s.cell = Cell::Gru;
    Model<float> plain(s);
    s.forget_bias = 1.0;
    Model<float> shifted(s);
    Rng r1(4), r2(4);
    plain.initialize(r1);
    shifted.initialize(r2);
    CHECK(plain.P.value == shifted.P.value);
  }
}

namespace {
// Σ over hidden parameters of |row(unit u) − row(unit 0)| within each gate block, plus Σ |head column u − head column 0|:
// 0 exactly when every hidden unit has the same incoming and outgoing weights (the units are interchangeable).
double unit_asymmetry(Model<float>& m, int H) {
  double spread = 0;
  for (size_t i = 0; i < m.P.info.size(); ++i) {
    const ParamInfo& p = m.P.info[i];
    if (p.name.rfind("head.", 0) == 0) {
      if (p.cols) { auto W = m.P.w(int(i)); for (int c = 1; c < p.cols; ++c) spread += (W.col(c) - W.col(0)).cwiseAbs().sum(); }
      continue;
    }
    for (int g = 0; g < p.rows / H; ++g)
      for (int u = 1; u < H; ++u) {
        if (p.cols) { auto W = m.P.w(int(i)); spread += (W.row(g * H + u) - W.row(g * H)).cwiseAbs().sum(); }
        else { auto v = m.P.v(int(i)); spread += std::fabs(v(g * H + u) - v(g * H)); }
      }
  }
  return spread;
}

double weight_size(Model<float>& m) {
  double s = 0;
  for (float w : m.P.value) s += std::fabs(w);
  return s;
}

json zero_init_config(const std::string& cell, bool zero_head) {
  const bool mlp = cell == "mlp";
  json cfg = {{"seed", 2},
              {"task", {{"name", mlp ? "xor" : "adding"}, {"train_size", 64}, {"val_size", 16}}},
              {"model", {{"cell", cell}, {"hidden", 6}, {"layers", 2}}},
              {"init", {{"weights", "zeros"}, {"recurrent", "zeros"}, {"bias", "zeros"}}},
              {"optimizer", {{"name", "sgd"}, {"lr", 0.5}}},
              {"batch", 16}};
  if (zero_head) cfg["init"]["head"] = "zeros";
  if (mlp) cfg["model"]["activation"] = "sigmoid";  // σ(0) = ½ ≠ 0: the units are active, and still identical
  else cfg["task"]["length"] = 8;
  return cfg;
}
}  // namespace

TEST_CASE("zero init never breaks the symmetry: every hidden unit stays identical through training") {
  // lesson 3's claim, for a Run whose weights, recurrent weights, biases and head all start at zero. With tanh/relu/LSTM/GRU
  // cells every unit stays exactly 0; with sigmoid units (σ(0) = ½) they move, identically up to float rounding (Eigen's
  // products may sum different rows in different orders), so the bound is relative: ≤ 1e-6 of the weights' total size.
  for (const std::string cell : {"mlp", "rnn", "lstm", "gru"}) {
    CAPTURE(cell);
    Run r(zero_init_config(cell, true));
    r.train(200);
    CHECK(unit_asymmetry(r.model(), 6) <= 1e-6 * weight_size(r.model()));
    if (cell != "mlp") CHECK(unit_asymmetry(r.model(), 6) == 0.0);
    // the probe lesson 3 plots agrees: the spread across units of each block's output is (float-rounding) zero
    const std::vector<float>& spread = r.metrics().at("unit_spread");
    REQUIRE(spread.size() == 2);
    for (float s : spread) CHECK(s <= 1e-6f);
    // and training did something (the checks above are not about a frozen model)
    CHECK(r.metrics().at("loss").front() != r.metrics().at("loss").back());
    CHECK(weight_size(r.model()) > 0.1);
  }
}

TEST_CASE("a randomly initialised head breaks the symmetry of zero-initialised hidden layers") {
  // why lesson 3 needs init.head = zeros as well: each unit's gradient is scaled by its own head weight
  for (const std::string cell : {"mlp", "lstm"}) {
    CAPTURE(cell);
    Run r(zero_init_config(cell, false));
    r.train(20);
    CHECK(unit_asymmetry(r.model(), 6) > 0.1 * weight_size(r.model()));
  }
}
