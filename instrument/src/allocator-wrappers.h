// Follows allocator entry points through the thin wrappers that release builds export, down to
// the functions that really allocate or free.
//
// A stripped wasm-bindgen module exports __wbindgen_malloc, which checks its arguments and calls
// an unnamed function, which calls another that is the allocator itself; code inside the module
// calls that one directly (a Vec allocates through it, then JavaScript frees it through
// __wbindgen_free). Hooking only the export would miss those allocations, so each hooked entry
// point W is followed to the functions it forwards to, when W is a forwarding wrapper:
//
//  1. W's code makes only direct calls (or return_calls) to functions defined in the module,
//     no call_indirect or call_ref, and at least one: exactly one if W frees, not counting the
//     calls that never return (a call followed by unreachable in its block: Rust's panic on a
//     bad layout, which wasm-bindgen's __wbindgen_free makes with the dealloc inlined), nor
//     calls that take no argument and return nothing, which can pass on nothing of W's (every
//     export of @wasm-fmt/ruff_fmt's module starts with one), nor, if W allocates, calls whose
//     result only decides a branch, reaching a br_if's or an if's condition through arithmetic
//     alone, which hand back no block (the layout check of @oxc-parser/wasm's and jieba-wasm's
//     __wbindgen_malloc; a free has no rule 5 to hold it: `if (!try_free(p)) report(p)`);
//  2. no call is inside a loop;
//  3. each argument W reports (the pointer freed, the size, the count) reaches each callee
//     unchanged: it is a `local.get` of W's parameter at exactly one of the callee's argument
//     positions, and W writes that parameter nowhere but with the result of that call; or it is
//     read back from W's stack frame, where a call that only stores its arguments put it as W
//     received it (newer wasm-bindgen's layout check: frame-stores.h), a call that forwards
//     nothing and does not count in rules 1 and 5;
//  4. each callee fits the role with those positions, as a named allocator must
//     (allocator-discovery.h), and a freeing callee returns nothing;
//  5. if W allocates or reallocates, every value it returns is a call's result, a constant
//     (null, or a dangling pointer) or one of its arguments (wasm-bindgen returns `align` as the
//     dangling pointer of a zero size), and every call's result is among them: W hands out no
//     block its callees did not. Values are traced through blocks, branches to them, `if` and
//     `select` arms, local.tee and locals, wherever they are written (the rule does not follow
//     control flow).
//
// Several calls let an allocating W choose a path, as __wbindgen_malloc does with Rust's
// allocator inlined: an aligned allocation or a plain one. Rule 5 keeps out a function that
// merely passes the size to a helper, and rule 3 one that adds a header to it.
//
// Each callee is then hooked as well, with the positions the arguments arrived at, and followed
// in turn, until a function is no forwarding wrapper (it does the work) or is hooked already.
// Entry points with an `out` parameter (posix_memalign) are not followed. A function reached
// from entry points of different roles or with different positions is left alone, with
// everything below it.
//
// A wrapper whose callees are all hooked with the same role and positions (found by following,
// or by name: malloc forwarding to dlmalloc) reports nothing itself: the callee it reaches
// reports, with the wrapper's site (instrument-allocators.cpp). So a call that never reaches the
// allocator reports nothing either: __wbindgen_malloc(0) returns a dangling pointer and
// allocates nothing, and __wbindgen_free(p, 0) frees nothing.

#pragma once

#include "allocator-discovery.h"
#include "module-context.h"

#include <vector>

namespace viewsan {

// Adds to `hooked` the functions the wrapper chains of its allocators lead to, each with
// `wrapper` set to the function that forwards to it, and sets `forwardsTo` on every allocator
// whose callee is hooked with the same role and positions. Reads the code as it is before any
// pass.
void followWrappers(const ModuleContext& context, std::vector<Allocator>& hooked);

} // namespace viewsan
