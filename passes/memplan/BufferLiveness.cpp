//===- BufferLiveness.cpp - live ranges of buffers in a function ----------===//
#include "passes/memplan/BufferLiveness.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;

namespace onnxc::memplan {

BufferLiveness::BufferLiveness(func::FuncOp func) : func(func) {
  int64_t index = 0;
  for (Operation &op : func.getBody().front())
    positions[&op] = index++;
}

int64_t BufferLiveness::positionOf(Operation *op) const {
  Block *entry = &func.getBody().front();
  while (op->getBlock() != entry)
    op = op->getParentOp();
  return positions.lookup(op);
}

FailureOr<std::pair<int64_t, int64_t>> BufferLiveness::liveRange(Value buffer) const {
  int64_t first = std::numeric_limits<int64_t>::max(), last = -1;
  SmallVector<Value> worklist{buffer};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (OpOperand &use : v.getUses()) {
      Operation *user = use.getOwner();
      if (isa<func::ReturnOp>(user))
        return failure();
      int64_t pos = positionOf(user);
      first = std::min(first, pos);
      last = std::max(last, pos);
      if (auto view = dyn_cast<ViewLikeOpInterface>(user))
        if (view.getViewSource() == v)
          for (Value r : user->getResults())
            worklist.push_back(r);
      // A raw address taken from the buffer (a microkernel call's argument)
      // keeps the buffer live until the address's last use.
      if (isa<memref::ExtractAlignedPointerAsIndexOp>(user) || !isa<MemRefType>(v.getType()))
        for (Value r : user->getResults())
          worklist.push_back(r);
    }
  }
  if (last < 0) // Never used: occupy no time, but keep a valid range.
    first = last = 0;
  return std::make_pair(first, last);
}

} // namespace onnxc::memplan
