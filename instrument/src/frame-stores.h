// Arguments a wrapper passes on through its own stack frame (allocator-wrappers.h, rule 3).
//
// Newer wasm-bindgen's __wbindgen_malloc(size, align) and __wbindgen_realloc check the layout
// with Rust's Layout::from_size_align, which a release build calls rather than inlines: the call
// writes {align, size} into the wrapper's stack frame, and the size the allocator gets is loaded
// back from there. So `size` reaches the allocator, unchanged, through memory:
//
//   sp = global.get $sp - 16                ;; the frame: a local
//   call $from_size_align (sp + 8, size, align)
//   call $rust_alloc (i32.load offset=12 (sp), i32.load offset=8 (sp))
//
// A call is such a storing call when it returns nothing, its first argument is an address in the
// frame (a local, as one write of it reaches the read, plus a constant), and its callee only
// stores, through its first parameter, which it never writes and passes to no call: each of its
// parameters it stores unchanged at an offset no other store of it writes is then known to be in
// the frame at that address after the call. When the wrapper passes one of its own parameters
// there as it received it (no write to the parameter reaches the call: the wrapper may reuse the
// local afterwards), a load of that address as wide as the store carries the argument, provided
// the wrapper stores nothing else at that address and hands the frame's address to no other call.
// Which writes of a local reach a read is Binaryen's LocalGraph.
#ifndef VIEWSAN_FRAME_STORES_H
#define VIEWSAN_FRAME_STORES_H

#include <ir/local-graph.h>
#include <wasm.h>

#include <map>
#include <optional>
#include <set>
#include <utility>

#include "module-context.h"

namespace viewsan {

class FrameStores {
public:
  FrameStores(const ModuleContext& context, wasm::Function* wrapper);

  // Whether `call` is a storing call: one that forwards nothing, as it only fills the frame.
  bool storing(wasm::Call* call) const { return storingCalls_.count(call) != 0; }

  // Whether `operand` (of another call) is the wrapper's parameter `param`, read back from the
  // frame where a storing call put it (directly, or through a local the load alone wrote).
  bool carries(wasm::Expression* operand, wasm::Index param) const;

private:
  struct Slot {
    const wasm::LocalSet* frame;  // the write of the local that holds the frame's address
    uint64_t address;             // offset from it
    bool operator<(const Slot& other) const {
      return std::make_pair(frame, address) < std::make_pair(other.frame, other.address);
    }
  };
  struct Stored {
    wasm::Index param;  // the wrapper's parameter in the slot
    uint8_t bytes;
  };

  std::optional<Slot> frameAddress(wasm::Expression* pointer, uint64_t offset) const;
  // The one write that reaches `get`, or null (several, or the value on entry).
  const wasm::LocalSet* reachingSet(wasm::LocalGet* get) const;
  bool receivedAsIs(wasm::Expression* operand) const;  // a parameter, as the wrapper received it

  wasm::Function* wrapper_;
  wasm::LocalGraph graph_;
  std::set<wasm::Call*> storingCalls_;
  std::map<Slot, std::optional<Stored>> slots_;  // nullopt: written otherwise too
};

} // namespace viewsan

#endif // VIEWSAN_FRAME_STORES_H
