// Views made before viewsan saw the memory's module, in a page: glue makes its memory and a view
// over it, then instantiates the heap fixture that imports the memory. The early view is caught
// after a memory.grow() from the glue; the correct flow, which re-creates its view after growth,
// reads right and gets no report.
// Results land in window.results.

// The runtime's sources (src/), whose shim.js the page waits for: the same modules throughout.
const { instantiate, ViewSanError } = await import('../../../runtime-shim/js/src/index.js');
const { kindOf } = await import('./kind-of.js');
// A page does not wait for viewsan-shim.wasm when it imports viewsan, and a view made before the
// shim arrived stays plain: the glue here runs once it has.
await (await import('../../../runtime-shim/js/src/shim.js')).loadShimModule();

const fixtures = new URLSearchParams(location.search).get('fixtures');

const results = {};
try {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1024 });
  const early = new Uint8Array(memory.buffer);
  let heap = new Uint8Array(memory.buffer);
  const view = () => {
    if (heap.buffer !== memory.buffer) heap = new Uint8Array(memory.buffer);
    return heap;
  };
  const bytes = await (await fetch(`${fixtures}/imported-heap.vs.wasm`)).arrayBuffer();
  const { instance, session } = await instantiate(bytes, { env: { memory } });
  const p = instance.exports.make_buffer(8);
  memory.grow(1);
  results.correct = [view().at(p), view().at(p + 7)];
  results.early = kindOf(() => early.at(0), ViewSanError);
  results.reports = session.reports.map((r) => [r.kind, r.grow?.site?.kind]);
} catch (error) {
  results.error = `${error.name}: ${error.message}\n${error.stack}`;
}
window.results = results;
document.title = 'done';
