// The audio sample's flows, shared by Node and the page. `app` is the instance's exports.

export const FRAMES = 48000;  // one second of one channel at 48 kHz
export const ALIGNED_HEADER = 8;  // the 5-byte header padded to the largest element size
export const PACKED_HEADER = 5;   // the wire format as it is: misaligns every Float32 after it

function fillTone(samples) {
  for (let i = 0; i < samples.length; i++) samples[i] = Math.sin((2 * Math.PI * 440 * i) / 48000) * 0.25;
}

function runBlock(app, header) {
  const packet = app.packet_new(FRAMES, header);
  try {
    const samples = new Float32Array(app.memory.buffer, packet + header, FRAMES);
    samples.set(tone());
    const before = samples[100];
    app.apply_gain(packet + header, FRAMES, 2);
    return { value: samples[100], expected: before * 2 };
  } finally {
    app.packet_free(packet);
  }
}

let toneCache = null;
function tone() {
  if (!toneCache) {
    toneCache = new Float32Array(FRAMES);
    fillTone(toneCache);
  }
  return toneCache;
}

/** Correct: the header is padded to 8 bytes, so the samples start aligned. */
export const correctFlow = (app) => runBlock(app, ALIGNED_HEADER);

/** Buggy twin: a Float32Array right after the 5-byte header. */
export const buggyFlow = (app) => runBlock(app, PACKED_HEADER);

/** Copy path against view path, and the aliasing sentinel (zero-copy-guide.txt, "Verification"). */
export function zeroCopyProof(app, now = () => performance.now()) {
  const packet = app.packet_new(FRAMES, ALIGNED_HEADER);
  const ptr = packet + ALIGNED_HEADER;
  try {
    const rounds = 50;
    let t = now();
    for (let i = 0; i < rounds; i++) {
      new Float32Array(app.memory.buffer, ptr, FRAMES).set(tone());             // copy in
      app.apply_gain(ptr, FRAMES, 1);
      new Float32Array(app.memory.buffer, ptr, FRAMES).slice();                 // copy out
    }
    const copyMs = (now() - t) / rounds;
    t = now();
    for (let i = 0; i < rounds; i++) {
      const samples = new Float32Array(app.memory.buffer, ptr, FRAMES);        // zero-copy
      app.apply_gain(ptr, FRAMES, 1);
      if (samples[0] !== samples[0]) throw new Error('NaN');
    }
    const viewMs = (now() - t) / rounds;
    const samples = new Float32Array(app.memory.buffer, ptr, FRAMES);
    samples[7] = 0.125;  // the sentinel, written through the view
    app.apply_gain(ptr, FRAMES, 2);
    return { copyMs, viewMs, aliased: app.sample_at(ptr, 7) === 0.25 && samples[7] === 0.25 };
  } finally {
    app.packet_free(packet);
  }
}
