// memory.toResizableBuffer() in a page (Chromium has it; Node 20 does not): the hand-written heap
// fixture over a memory the page makes (only a memory with a maximum can become resizable),
// instrumented and not, in both modes. Views over the resizable buffer outlive growth;
// views made before the call are detached by it, and reported naming it; freed and reused
// allocations are still caught through views over the resizable buffer; Web IDL APIs handed a
// view over it are reported (resizable-view), thrown or recorded once per place. A shared
// memory's growable buffer likewise.
// Results land in window.results: {`${mode} ${variant}`: {...}, `${mode} shared`: {...}}.

const { ViewSanError, instantiate } = await import('../../../runtime-shim/js/index.js');
const { kindOf } = await import('./kind-of.js');

const fixtures = new URLSearchParams(location.search).get('fixtures');

// What a check threw, for the fields the suite asserts on.
function reportOf(fn) {
  try {
    fn();
    return 'no report';
  } catch (error) {
    if (!(error instanceof ViewSanError)) return `${error.name}: ${error.message}`;
    const { kind, grow, message } = error.report;
    return { kind, method: grow?.method, stack: grow?.site?.stack ?? '', message };
  }
}

// Named, so that the reports' stacks can be seen to name it.
function convertToResizable(memory) {
  return memory.toResizableBuffer();
}

function convertToFixedLength(memory) {
  return memory.toFixedLengthBuffer();
}

// The fields of a use-after-grow that a conversion caused, as the suite compares them.
function replacement(report, call) {
  if (typeof report === 'string') return report;
  return {
    kind: report.kind,
    method: report.method,
    stackNamesCall: report.stack.includes(call),
    messageNamesCall: report.message.includes(`memory.${report.method}() in JavaScript replaced memory.buffer`),
  };
}

async function run(bytes, mode) {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1024 });
  const { instance, session } = await instantiate(bytes, { env: { memory } }, { mode });
  const m = instance.exports;

  // Views made before the call, used after it.
  const p = m.make_buffer(16);
  const before = new Uint8Array(memory.buffer, p, 16);
  const beforeWhole = new Uint8Array(memory.buffer);
  const buffer = convertToResizable(memory);
  const stale = replacement(reportOf(() => before.at(0)), 'convertToResizable');
  const staleWhole = replacement(reportOf(() => beforeWhole.at(0)), 'convertToResizable');

  // Views over the resizable buffer outlive growth, by the instruction and from JavaScript.
  const q = m.make_buffer(16);  // 1, 2, 3, ...
  const fixed = new Uint8Array(buffer, q, 16);
  const whole = new Uint8Array(memory.buffer);  // length-tracking
  const pages = buffer.byteLength / 65536;
  m.malloc(1 << 20);
  memory.grow(1);
  const errorsBefore = session.stats().errors;
  let slowPaths = 0;
  const checkView = session.checkView;
  session.checkView = function countedCheckView(...args) {
    slowPaths++;
    return checkView.apply(this, args);
  };
  const reads = [whole[q + 2], whole[q + 2], whole[q + 2], whole[whole.length - 1]];
  session.checkView = checkView;
  const grown = {
    sameBuffer: memory.buffer === buffer,
    grewPages: buffer.byteLength / 65536 - pages >= 17,
    fixed: kindOf(() => fixed.at(2)),
    fixedValue: fixed.at(2),
    wholeLength: whole.length === buffer.byteLength,
    reads,
    slowPaths,
    newErrors: session.stats().errors - errorsBefore,
  };

  // Web IDL APIs take no view over a resizable buffer: reported before the call.
  const text = new Uint8Array(buffer, q, 4);
  const webIdl = webIdlCalls(text);
  const copied = kindOf(() => new TextDecoder().decode(text.slice()));

  // Frees and reuses are still caught through views over the resizable buffer.
  const r = m.malloc(32);
  const view = new Uint8Array(buffer, r, 32);
  view.fill(7);
  m.free(r);
  const freed = kindOf(() => view.at(0));
  const reused = m.malloc(32) === r ? kindOf(() => view.at(0)) : 'not reused';

  // toFixedLengthBuffer() detaches the resizable buffer in turn.
  const over = new Float64Array(buffer, 0, 2);
  convertToFixedLength(memory);
  const fixedAgain = replacement(reportOf(() => over.at(0)), 'convertToFixedLength');

  return { stale, staleWhole, grown, webIdl, copied, freed, reused, fixedAgain };
}

const gl = document.createElement('canvas').getContext('webgl2');

// What each Web IDL sink the suite covers does with `view`.
function webIdlCalls(view) {
  return {
    'TextDecoder.decode': kindOf(() => new TextDecoder().decode(view)),
    Blob: kindOf(() => new Blob([view])),
    'crypto.getRandomValues': kindOf(() => crypto.getRandomValues(view)),
    'WebGL2RenderingContext.bufferData': gl ? kindOf(() => {
      gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
      gl.bufferData(gl.ARRAY_BUFFER, view, gl.STATIC_DRAW);
    }) : 'no WebGL2',
  };
}

// With haltOnError false, each place is recorded once, however often it runs, and the call goes on
// to the API (which in Chromium throws its own TypeError).
async function recordedOncePerPlace(bytes, mode) {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1024 });
  const { instance, session } = await instantiate(bytes, { env: { memory } }, { mode, haltOnError: false });
  const buffer = memory.toResizableBuffer();
  const view = new Uint8Array(buffer, instance.exports.make_buffer(8), 8);
  const thrown = new Set();
  for (let i = 0; i < 3; i++) {
    for (const call of [
      () => new TextDecoder().decode(view),
      () => new Blob([view]),
      () => crypto.getRandomValues(view),
    ]) {
      try {
        call();
        thrown.add('nothing');
      } catch (error) {
        thrown.add(error instanceof ViewSanError ? error.kind : error.name);
      }
    }
  }
  const recorded = session.reports.filter((r) => r.kind === 'resizable-view').map((r) => r.access.method);
  return { thrown: [...thrown], recorded };
}

// A shared memory: toResizableBuffer() gives a growable SharedArrayBuffer and detaches nothing.
async function shared(bytes, mode) {
  const { instance } = await instantiate(bytes, {}, { mode });
  const m = instance.exports;
  const p = m.make_buffer(16);
  const before = new Uint8Array(m.memory.buffer, p, 16);
  const buffer = m.memory.toResizableBuffer();
  const view = new Uint8Array(buffer, p, 16);
  return {
    growable: buffer.growable,
    before: kindOf(() => before.at(2)),
    decode: kindOf(() => new TextDecoder().decode(view)),
  };
}

const results = {};
try {
  for (const variant of ['imported-heap.vs.wasm', 'imported-heap.wasm']) {
    const bytes = await (await fetch(`${fixtures}/${variant}`)).arrayBuffer();
    for (const mode of ['strict', 'compat']) {
      results[`${mode} ${variant}`] = await run(bytes, mode);
      results[`${mode} ${variant}`].recorded = await recordedOncePerPlace(bytes, mode);
    }
  }
  const sharedBytes = await (await fetch(`${fixtures}/shared-heap.vs.wasm`)).arrayBuffer();
  for (const mode of ['strict', 'compat']) results[`${mode} shared`] = await shared(sharedBytes, mode);
} catch (error) {
  results.error = `${error.name}: ${error.message}\n${error.stack}`;
}
window.results = results;
document.title = 'done';
