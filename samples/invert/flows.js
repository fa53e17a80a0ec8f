// The two flows of the invert sample, shared by the Node runner and the web page. `app` is the
// Emscripten module object (createInvert()), whether or not viewsan guards it.

export const WIDTH = 1920;
export const HEIGHT = 1080;
export const FRAME_BYTES = WIDTH * HEIGHT * 4;
const SCRATCH_BYTES = 64 << 20;  // larger than the initial 16 MiB heap: forces memory.grow

let testPattern = null;

// Fills the frame with one bulk copy in (the guide's step 4), from a pattern made once in JS.
function paintTestPattern(frame) {
  if (!testPattern) {
    testPattern = new Uint8ClampedArray(FRAME_BYTES);
    for (let i = 0; i < FRAME_BYTES; i += 4) {
      testPattern[i] = i & 0xff;
      testPattern[i + 1] = (i >> 8) & 0xff;
      testPattern[i + 2] = 0x40;
      testPattern[i + 3] = 0xff;
    }
  }
  frame.set(testPattern);
}

/**
 * Correct: allocate once, view, call, read through the same view, free. Reserving scratch first
 * means any memory growth happens before the view exists.
 */
export function correctFlow(app) {
  app._reserve_scratch(SCRATCH_BYTES);
  const ptr = app._frame_alloc(WIDTH, HEIGHT);
  try {
    const frame = new Uint8ClampedArray(app.HEAPU8.buffer, ptr, FRAME_BYTES);
    paintTestPattern(frame);
    const before = frame[4];
    app._invert(ptr, FRAME_BYTES);
    return { value: frame[4], expected: 255 - before };
  } finally {
    app._frame_free(ptr);
  }
}

/**
 * Buggy twin: the view is created before the scratch reservation, which grows memory and detaches
 * the view's buffer. Unguarded, the read returns undefined and the write is silently dropped.
 */
export function buggyFlow(app) {
  const ptr = app._frame_alloc(WIDTH, HEIGHT);
  try {
    const frame = new Uint8ClampedArray(app.HEAPU8.buffer, ptr, FRAME_BYTES);
    paintTestPattern(frame);
    const before = frame[4];
    app._reserve_scratch(SCRATCH_BYTES);
    app._invert(ptr, FRAME_BYTES);
    return { value: frame[4], expected: 255 - before };
  } finally {
    app._frame_free(ptr);
  }
}

/** Copy path against view path, and the aliasing sentinel (zero-copy-guide.txt, "Verification"). */
export function zeroCopyProof(app, now = () => performance.now()) {
  app._reserve_scratch(SCRATCH_BYTES);  // any growth happens before the views exist
  const ptr = app._frame_alloc(WIDTH, HEIGHT);
  try {
    const source = new Uint8ClampedArray(FRAME_BYTES).fill(9);
    const rounds = 20;
    let t = now();
    for (let i = 0; i < rounds; i++) {
      new Uint8ClampedArray(app.HEAPU8.buffer, ptr, FRAME_BYTES).set(source);  // copy in
      app._invert(ptr, FRAME_BYTES);
      new Uint8ClampedArray(app.HEAPU8.buffer, ptr, FRAME_BYTES).slice();      // copy out
    }
    const copyMs = (now() - t) / rounds;
    t = now();
    for (let i = 0; i < rounds; i++) {
      const frame = new Uint8ClampedArray(app.HEAPU8.buffer, ptr, FRAME_BYTES); // zero-copy
      app._invert(ptr, FRAME_BYTES);
      if (frame[0] === undefined) throw new Error('detached');
    }
    const viewMs = (now() - t) / rounds;
    const frame = new Uint8ClampedArray(app.HEAPU8.buffer, ptr, FRAME_BYTES);
    frame[0] = 10;  // the sentinel, written through the view
    app._invert(ptr, FRAME_BYTES);
    return { copyMs, viewMs, aliased: app.HEAPU8[ptr] === 245 && frame[0] === 245 };
  } finally {
    app._frame_free(ptr);
  }
}
