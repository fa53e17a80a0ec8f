// Rust's allocator shims under the v0 symbol mangling. Since Rust 1.89 (2025), `__rust_alloc`,
// `__rust_dealloc`, `__rust_realloc` and `__rust_alloc_zeroed` are items of the compiler's
// `__rustc` crate, and a name section holds them mangled
// (`_RNvCs1njKG4L9aB3_7___rustc12___rust_alloc`), not under the plain names of the table.

#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace viewsan {

// The item's name when `symbol` is a v0-mangled item `__rustc::NAME` (a value at the root of the
// crate `__rustc`, with any crate disambiguator), else nothing.
std::optional<std::string> rustcItemName(std::string_view symbol);

} // namespace viewsan
