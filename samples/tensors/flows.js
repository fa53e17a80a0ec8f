// The tensors sample's flows, shared by Node and the page. `app` is the instance's exports:
// memory, __wbindgen_malloc(size, align), __wbindgen_free(ptr, size, align), matmul_relu.

export const N = 64;                 // 64 x 64 Float32 matrices
const BYTES = N * N * 4;

function tensor(app) {
  const ptr = app.__wbindgen_malloc(BYTES, 4);
  return { ptr, free: () => app.__wbindgen_free(ptr, BYTES, 4) };
}

// A deterministic input: a[i][k] = (i - k) / N, b = identity (so out = relu(a)).
function fillInputs(a, b) {
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < N; k++) {
      a[i * N + k] = (i - k) / N;
      b[i * N + k] = i === k ? 1 : 0;
    }
  }
}

function infer(app) {
  const a = tensor(app);
  const b = tensor(app);
  const out = tensor(app);
  const viewOf = (t) => new Float32Array(app.memory.buffer, t.ptr, N * N);
  fillInputs(viewOf(a), viewOf(b));
  app.matmul_relu(a.ptr, b.ptr, out.ptr, N);
  a.free();
  b.free();
  return { out, result: viewOf(out) };
}

/** Correct: read the output tensor in place, then free it. */
export function correctFlow(app) {
  const { out, result } = infer(app);
  const value = result[N * 5 + 2];  // relu((5 - 2) / N)
  out.free();
  return { value, expected: 3 / N };
}

/**
 * Buggy twin: the output tensor is freed once the next batch's input is due, but the caller still
 * reads its old view; the next tensor of the same size got the same block.
 */
export function buggyFlow(app) {
  const { out, result } = infer(app);
  out.free();
  const nextInput = tensor(app);  // the same size: the allocator hands back the output's block
  new Float32Array(app.memory.buffer, nextInput.ptr, N * N).fill(7);
  const value = result[N * 5 + 2];
  nextInput.free();
  return { value, expected: 3 / N };
}

/** Copy path against view path, and the aliasing sentinel (zero-copy-guide.txt, "Verification"). */
export function zeroCopyProof(app, now = () => performance.now()) {
  const a = tensor(app);
  const b = tensor(app);
  const out = tensor(app);
  try {
    const viewOf = (t) => new Float32Array(app.memory.buffer, t.ptr, N * N);
    const input = new Float32Array(N * N).fill(0.5);
    const rounds = 50;
    let t = now();
    for (let i = 0; i < rounds; i++) {
      viewOf(a).set(input);                       // copy in
      viewOf(b).set(input);
      app.matmul_relu(a.ptr, b.ptr, out.ptr, N);
      viewOf(out).slice();                        // copy out
    }
    const copyMs = (now() - t) / rounds;
    t = now();
    for (let i = 0; i < rounds; i++) {
      app.matmul_relu(a.ptr, b.ptr, out.ptr, N);  // inputs stay in place
      if (viewOf(out)[0] < 0) throw new Error('relu');
    }
    const viewMs = (now() - t) / rounds;
    const av = viewOf(a);
    const bv = viewOf(b);
    av.fill(0);
    bv.fill(0);
    av[0] = 3;  // sentinels, written through the views
    bv[0] = 2;
    app.matmul_relu(a.ptr, b.ptr, out.ptr, N);
    return { copyMs, viewMs, aliased: viewOf(out)[0] === 6 };
  } finally {
    a.free();
    b.free();
    out.free();
  }
}
