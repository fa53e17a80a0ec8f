#include "rust-symbols.h"

#include <gtest/gtest.h>

namespace viewsan {
namespace {

TEST(RustSymbols, ReadsTheRustcCratesItems) {
  // As @biomejs/wasm-nodejs 2.5.14's name section holds them.
  EXPECT_EQ(rustcItemName("_RNvCs1njKG4L9aB3_7___rustc12___rust_alloc"), "__rust_alloc");
  EXPECT_EQ(rustcItemName("_RNvCs1njKG4L9aB3_7___rustc14___rust_dealloc"), "__rust_dealloc");
  EXPECT_EQ(rustcItemName("_RNvCs1njKG4L9aB3_7___rustc14___rust_realloc"), "__rust_realloc");
  EXPECT_EQ(rustcItemName("_RNvCs1njKG4L9aB3_7___rustc19___rust_alloc_zeroed"),
            "__rust_alloc_zeroed");
  // No crate disambiguator, an encoding version, an LLVM suffix.
  EXPECT_EQ(rustcItemName("_RNvC7___rustc12___rust_alloc"), "__rust_alloc");
  EXPECT_EQ(rustcItemName("_R0NvC7___rustc12___rust_alloc"), "__rust_alloc");
  EXPECT_EQ(rustcItemName("_RNvCs1njKG4L9aB3_7___rustc12___rust_alloc.llvm.4242"), "__rust_alloc");
}

TEST(RustSymbols, RefusesEverythingElse) {
  EXPECT_EQ(rustcItemName("__rust_alloc"), std::nullopt);
  EXPECT_EQ(rustcItemName("_RNvCs1njKG4L9aB3_3std12___rust_alloc"), std::nullopt);  // not __rustc
  // A method of the dlmalloc crate: nested deeper than the crate root.
  EXPECT_EQ(rustcItemName("_RNvMs0_NtCsi6WBrLFLuLB_8dlmalloc8dlmallocINtB5_8DlmallocNtNtB7_3sys6Sys"
                          "temE6mallocCs7L774UPzF0f_3std"),
            std::nullopt);
  EXPECT_EQ(rustcItemName("_RNvCs1njKG4L9aB3_7___rustc12___rust_allo"), std::nullopt);   // short
  EXPECT_EQ(rustcItemName("_RNvCs1njKG4L9aB3_7___rustc12___rust_allocX"), std::nullopt); // long
  EXPECT_EQ(rustcItemName("_RNvCs1njKG4L9aB3_7___rustc99999999___rust_alloc"), std::nullopt);
  EXPECT_EQ(rustcItemName("_RNvCs1njKG4L9aB3_7___rustcu12___rust_alloc"), std::nullopt);  // punycode
  EXPECT_EQ(rustcItemName("_ZN3std5alloc8rust_oom17h0E"), std::nullopt);  // legacy mangling
  EXPECT_EQ(rustcItemName(""), std::nullopt);
  EXPECT_EQ(rustcItemName("_R"), std::nullopt);
}

} // namespace
} // namespace viewsan
