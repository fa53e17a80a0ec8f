// Loads the audio sample in a page (a wasi-libc reactor that imports nothing), guarded or raw.
import { instantiate } from '../../runtime-shim/js/index.js';

import { ALIGNED_HEADER, FRAMES } from './flows.js';

export async function load(buildUrl, { raw }) {
  const source = fetch(`${buildUrl}/audio/${raw ? 'gain.wasm' : 'gain.vs.wasm'}`);
  const { instance, session } = raw
    ? { instance: (await WebAssembly.instantiateStreaming(source, {})).instance, session: null }
    : await instantiate(source, {});
  instance.exports._initialize();
  return { app: instance.exports, session };
}

/** An AudioBuffer's channel through linear memory and back, with no copy in between. */
export function pageDemo(app) {
  const audio = new AudioBuffer({ length: FRAMES, sampleRate: 48000, numberOfChannels: 1 });
  audio.getChannelData(0).fill(0.25);
  const packet = app.packet_new(FRAMES, ALIGNED_HEADER);
  try {
    const samples = new Float32Array(app.memory.buffer, packet + ALIGNED_HEADER, FRAMES);
    audio.copyFromChannel(samples, 0);
    app.apply_gain(packet + ALIGNED_HEADER, FRAMES, 2);
    audio.copyToChannel(samples, 0);
    return `AudioBuffer round trip: 0.25 x 2 = ${audio.getChannelData(0)[0]}`;
  } finally {
    app.packet_free(packet);
  }
}
