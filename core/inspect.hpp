// inspect.hpp — where a block's recurrent cell and its output live in a Model (for inspect.cpp and the native tests).
// Not the API: Run::predict / inspect / generate (run.hpp, inspect.cpp) are that.
#pragma once
#include "model.hpp"

namespace rnnlab {

// The Sequential whose layer 0 is block k's cell (so outs[0] is the cell's h, (H, T·B)): the block itself, or its
// residual branch when model.hpp's build() wrapped it (residual on and the block's input size equal to hidden).
template <class T> Sequential<T>& cell_seq(Model<T>& m, size_t k) {
  auto& seq = static_cast<Sequential<T>&>(*m.blocks[k]);
  const int in = k == 0 ? m.spec.inputs : m.spec.hidden;
  if (m.spec.residual && in == m.spec.hidden) return static_cast<Residual<T>&>(*seq.layers[0]).f;
  return seq;
}

}  // namespace rnnlab
