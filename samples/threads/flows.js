// The flows of the threads sample, shared by the Node runner and the page. `app` is the Emscripten
// module object (createFrames()): frames are made and released by worker threads, and JavaScript
// on the main thread views them. Each flow returns what it read and what it should have read.

export const FRAME_BYTES = 4096;
const SCRATCH_BYTES = 64 << 20;  // more than the initial 16 MiB heap: a worker grows the memory

// The byte a frame holds at `i` (frames.c fills them with 1, 2, 3, ...).
const expectedByte = (i) => (i + 1) & 0xff;

/**
 * Correct: a worker makes each frame, the main thread reads it through a view while it is alive
 * and drops the view before the frame goes, released by a worker or freed by the main thread;
 * after a worker grew the memory, views are made from the memory's current buffer.
 */
export function correctFlow(app) {
  const sums = [];
  for (const release of [(frame) => app._frame_release(frame), (frame) => app._free(frame)]) {
    const frame = app._frame_produce(FRAME_BYTES);
    const view = new Uint8Array(app.wasmMemory.buffer, frame, FRAME_BYTES);
    let sum = 0;
    for (let i = 0; i < FRAME_BYTES; i++) sum += view[i];
    sums.push([sum, app._frame_sum(frame, FRAME_BYTES)]);
    release(frame);
  }
  const scratch = app._scratch_reserve(SCRATCH_BYTES);
  const index = SCRATCH_BYTES - 2;
  const last = new Uint8Array(app.wasmMemory.buffer, scratch, SCRATCH_BYTES)[index];
  app._frame_release(scratch);
  return {
    value: [...sums.map(([sum]) => sum), last],
    expected: [...sums.map(([, wasm]) => wasm), expectedByte(index)],
  };
}

/**
 * Buggy twin, free: the view outlives the frame, which a worker released, and a worker's next
 * frame takes its bytes. Unguarded, the write through the old view lands in the new frame.
 */
export function freedFlow(app) {
  const frame = app._frame_produce(FRAME_BYTES);
  const view = new Uint8Array(app.wasmMemory.buffer, frame, FRAME_BYTES);
  app._frame_release(frame);
  const next = app._frame_produce(FRAME_BYTES);
  view.fill(0, 0, 16);  // meant for the old frame
  const value = app._frame_sum(next, FRAME_BYTES);
  app._frame_release(next);
  let expected = 0;
  for (let i = 0; i < FRAME_BYTES; i++) expected += expectedByte(i);
  return { value, expected };
}

/**
 * Buggy twin, growth: the app keeps Emscripten's HEAPU8 while a worker grows the memory. The shared
 * buffer is not detached; the old HEAPU8 just ends where the memory ended, and reads past it give
 * undefined (duckdb-wasm #2256).
 */
export function grownFlow(app) {
  const heap = app.HEAPU8;
  const scratch = app._scratch_reserve(SCRATCH_BYTES);
  const index = SCRATCH_BYTES - 2;
  const value = heap[scratch + index];
  app._frame_release(scratch);
  return { value: value ?? null, expected: expectedByte(index) };
}

export const FLOWS = { correct: correctFlow, freed: freedFlow, grown: grownFlow };
