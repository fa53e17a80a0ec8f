// A C program linked against wasi-libc (dlmalloc), which prints every allocation and free it
// makes, so that a test can compare what it did with what the hooks reported:
//   alloc PTR SIZE / realloc OLD NEW SIZE / free PTR
// One allocation is large enough that dlmalloc grows memory with memory.grow.

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void* allocated(void* ptr, size_t size) {
  printf("alloc %lu %lu\n", (unsigned long)(uintptr_t)ptr, (unsigned long)size);
  return ptr;
}

static void release(void* ptr) {
  printf("free %lu\n", (unsigned long)(uintptr_t)ptr);
  free(ptr);
}

int main(void) {
  char* small = allocated(malloc(24), 24);
  int* zeroed = allocated(calloc(10, sizeof(int)), 10 * sizeof(int));
  void* aligned = allocated(aligned_alloc(64, 128), 128);
  void* out = NULL;
  if (posix_memalign(&out, 32, 200) != 0) {
    return 1;
  }
  allocated(out, 200);
  size_t bigSize = 1 << 20;
  unsigned char* big = allocated(malloc(bigSize), bigSize);
  memset(big, 7, bigSize);

  strcpy(small, "viewsan");
  char* moved = realloc(small, 4000);
  printf("realloc %lu %lu %lu\n", (unsigned long)(uintptr_t)small,
         (unsigned long)(uintptr_t)moved, 4000ul);

  unsigned sum = 0;
  for (size_t i = 0; i < bigSize; i += 4096) {
    sum += big[i];
  }
  printf("checksum %u %s %d\n", sum, moved, zeroed[9]);

  release(moved);
  release(zeroed);
  release(aligned);
  release(out);
  release(big);
  return 0;
}
