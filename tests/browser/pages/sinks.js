// Browser-only platform sinks fed guarded views, in both modes: each must accept a live view
// (the real bytes reach the API) and report a view over freed memory at the boundary.
// Results land in window.sinkResults: {mode: {sink: {live, freed}}}.
import { ViewSanError, instantiate } from '../../../runtime-shim/js/index.js';

const fixtures = new URLSearchParams(location.search).get('fixtures');
const wasm = await (await fetch(`${fixtures}/wbindgen-tensors.vs.wasm`)).arrayBuffer();

const gl = document.getElementById('canvas').getContext('webgl2');

const SINKS = {
  ImageData: (bytes) => new ImageData(new Uint8ClampedArray(bytes.buffer, bytes.byteOffset, 64), 4, 4).data[0],
  putImageData: (bytes) => {
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.putImageData(new ImageData(new Uint8ClampedArray(bytes.buffer, bytes.byteOffset, 64), 4, 4), 0, 0);
    return ctx.getImageData(0, 0, 1, 1).data[0];
  },
  'AudioBuffer.copyToChannel': (bytes, floats) => {
    const audio = new AudioBuffer({ length: 16, sampleRate: 8000, numberOfChannels: 1 });
    audio.copyToChannel(floats, 0);
    return audio.getChannelData(0)[0];
  },
  'AudioBuffer.copyFromChannel': (bytes, floats) => {
    const audio = new AudioBuffer({ length: 16, sampleRate: 8000, numberOfChannels: 1 });
    audio.getChannelData(0).fill(0.25);
    audio.copyFromChannel(floats, 0);
    return floats[0];
  },
  'WebGL bufferData': (bytes, floats) => {
    const buffer = gl.createBuffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
    gl.bufferData(gl.ARRAY_BUFFER, floats, gl.STATIC_DRAW);
    return gl.getError() === gl.NO_ERROR ? 1 : 0;
  },
  'WebGL texImage2D': (bytes) => {
    gl.bindTexture(gl.TEXTURE_2D, gl.createTexture());
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, 4, 4, 0, gl.RGBA, gl.UNSIGNED_BYTE, bytes);
    return gl.getError() === gl.NO_ERROR ? 1 : 0;
  },
  postMessage: (bytes) => { window.postMessage({ kind: 'test', bytes }, '*'); return 1; },
  // Each of these took a strict view for a string ("200,200,...") or refused it.
  'Request body': async (bytes) => new Uint8Array(await new Request('/', { method: 'POST', body: bytes }).arrayBuffer())[63],
  File: async (bytes) => new Uint8Array(await new File([bytes], 'f').arrayBuffer())[0],
  'SubtleCrypto.digest': async (bytes) => (await crypto.subtle.digest('SHA-256', bytes)).byteLength,
  'WritableStreamDefaultWriter.write': async (bytes) => {
    const stream = new CompressionStream('gzip');
    const writer = stream.writable.getWriter();
    writer.write(bytes);
    writer.close();
    const compressed = await new Response(stream.readable).arrayBuffer();
    const restored = new Response(new Blob([compressed]).stream().pipeThrough(new DecompressionStream('gzip')));
    return new Uint8Array(await restored.arrayBuffer()).length;
  },
  'XMLHttpRequest.send': (bytes) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', location.href);
    xhr.send(bytes);
    xhr.abort();
    return 1;
  },
};

async function runMode(mode) {
  const { instance } = await instantiate(wasm, {}, { mode });
  const { memory, __wbindgen_malloc: malloc, __wbindgen_free: free } = instance.exports;
  const results = {};
  for (const [name, use] of Object.entries(SINKS)) {
    const p = malloc(64, 4);
    const bytes = new Uint8Array(memory.buffer, p, 64);
    const floats = new Float32Array(memory.buffer, p, 16);
    bytes.fill(200);
    const result = { live: null, freed: null };
    try {
      result.live = await use(bytes, floats);
    } catch (error) {
      result.live = `threw ${error.name}: ${error.message.split('\n')[0]}`;
    }
    free(p, 64, 4);
    try {
      await use(bytes, floats);
      result.freed = 'no report';
    } catch (error) {
      result.freed = error instanceof ViewSanError ? error.kind : `threw ${error.name}: ${error.message}`;
    }
    results[name] = result;
  }
  return results;
}

window.sinkResults = { strict: await runMode('strict'), compat: await runMode('compat'), webgl: Boolean(gl) };
document.title = 'done';
