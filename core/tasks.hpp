// tasks.hpp — datasets generated from the seed (adding, sine, copy, parity, text, xor, gaussian) or given (custom).
// Not a data loader: everything is in memory, sized by the caps in config.hpp; batches are gathered by index.
#pragma once
#include <string>
#include <vector>

#include "config.hpp"
#include "rng.hpp"
#include "tensor.hpp"

namespace rnnlab {

struct Dataset {
  int n = 0, T = 1, in = 1, out = 1;
  bool every = false;            // a target at every time step (else only after the last)
  bool classes = false;          // targets are class indices in labels (else rows of Y)
  Mat<float> X;                  // (in, n·T)  sample i, step t at column i·T + t
  Mat<float> Y;                  // (out, n) or (out, n·T) regression targets
  std::vector<int> labels;       // n or n·T class indices
};

struct Task {
  std::string name;
  Dataset train, val;            // val.n == 0: no validation set (custom)
  bool full_batch = false;       // custom: every step uses all samples in order
  double baseline = -1;          // a reference loss the lessons draw (adding: Var(sum) = 1/6), −1 if none
  std::string vocab;             // text: the byte of each class index (the corpus's distinct bytes, sorted)
};

// Builds the task's data from its own stream and completes the config's task-dependent fields
// (model.inputs / outputs / readout, loss, batch for full-batch tasks); throws ConfigError on a mismatch.
Task make_task(RunConfig& c, Rng& data_rng);

// Gathers samples idx into a batch: X (in, T·B) with step t at columns [t·B, t·B+B), Y / labels likewise.
void gather(const Dataset& d, const std::vector<int>& idx, Mat<float>& X, Mat<float>& Y, std::vector<int>& labels);

extern const char* const kDefaultCorpus;

}  // namespace rnnlab
