// The invert sample in a page: ?flow=correct|buggy, ?build=<URL of the built sample folder>,
// ?raw=1 to run the uninstrumented module without viewsan.
import { emscripten } from '../../../runtime-shim/js/index.js';

import { HEIGHT, WIDTH, buggyFlow, correctFlow } from '../flows.js';

const params = new URLSearchParams(location.search);
const flowName = params.get('flow') ?? 'buggy';
const build = params.get('build') ?? '../../../build/samples/invert';
const raw = params.has('raw');
const status = document.getElementById('status');
document.getElementById('flow').textContent = `${flowName}${raw ? ' (no viewsan)' : ' under viewsan'}`;

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`cannot load ${src}`));
    document.head.append(script);
  });
}

function drawTestPattern() {
  const ctx = document.getElementById('canvas').getContext('2d');
  const gradient = ctx.createLinearGradient(0, 0, WIDTH, HEIGHT);
  gradient.addColorStop(0, '#1e6fd9');
  gradient.addColorStop(1, '#f2c14e');
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, WIDTH, HEIGHT);
  return ctx;
}

// getImageData -> the frame in linear memory -> invert in place -> putImageData from the view.
function invertCanvas(app, ctx) {
  const ptr = app._frame_alloc(WIDTH, HEIGHT);
  try {
    const bytes = WIDTH * HEIGHT * 4;
    const frame = new Uint8ClampedArray(app.HEAPU8.buffer, ptr, bytes);
    frame.set(ctx.getImageData(0, 0, WIDTH, HEIGHT).data);
    app._invert(ptr, bytes);
    ctx.putImageData(new ImageData(frame, WIDTH, HEIGHT), 0, 0);
  } finally {
    app._frame_free(ptr);
  }
}

async function main() {
  await loadScript(`${build}/invert.js`);
  const wasmFile = raw ? 'invert.wasm' : 'invert.vs.wasm';
  const wasmBinary = await (await fetch(`${build}/${wasmFile}`)).arrayBuffer();
  const glue = raw ? {} : emscripten({ wasmBinary });
  const app = await globalThis.createInvert(raw ? { wasmBinary } : { ...glue });
  invertCanvas(app, drawTestPattern());
  const flow = flowName === 'correct' ? correctFlow : buggyFlow;
  const { value, expected } = flow(app);
  status.textContent = `${flowName} flow: pixel[4] = ${value}, expected ${expected}`;
  document.body.dataset.done = 'ok';
}

main().catch((error) => {
  status.textContent = error.message;
  document.body.dataset.done = error.kind ?? 'error';
  throw error;
});
