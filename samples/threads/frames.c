// The threads sample: a frame pipeline whose buffers are made and released by worker threads
// (Emscripten pthreads), while JavaScript on the main thread views them zero-copy. One heap, many
// threads: the allocation, the free and the memory growth each happen on a thread other than the
// one holding the view.
#include <emscripten/emscripten.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct {
  size_t size;
  uint8_t* frame;
} Job;

// Fills a new frame with 1, 2, 3, ... on a worker thread.
static void* produce(void* arg) {
  Job* job = arg;
  job->frame = malloc(job->size);
  if (job->frame)
    for (size_t i = 0; i < job->size; i++) job->frame[i] = (uint8_t)(i + 1);
  return NULL;
}

static void* release(void* arg) {
  free(arg);
  return NULL;
}

// Runs `work` on a worker thread and waits for it (the pool's workers are loaded at startup).
static void on_worker(void* (*work)(void*), void* arg) {
  pthread_t thread;
  if (pthread_create(&thread, NULL, work, arg) == 0) pthread_join(thread, NULL);
}

EMSCRIPTEN_KEEPALIVE uint8_t* frame_produce(size_t size) {
  Job job = {size, NULL};
  on_worker(produce, &job);
  return job.frame;
}

EMSCRIPTEN_KEEPALIVE void frame_release(uint8_t* frame) { on_worker(release, frame); }

// A large scratch buffer made on a worker thread: the heap grows there, not on the main thread.
EMSCRIPTEN_KEEPALIVE uint8_t* scratch_reserve(size_t size) {
  Job job = {size, NULL};
  on_worker(produce, &job);
  return job.frame;
}

// Sums a frame's bytes (on the calling thread).
EMSCRIPTEN_KEEPALIVE uint32_t frame_sum(const uint8_t* frame, size_t size) {
  uint32_t sum = 0;
  for (size_t i = 0; i < size; i++) sum += frame[i];
  return sum;
}
