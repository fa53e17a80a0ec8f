// memory64 in a page (Chromium ships it): the 64-bit heap fixture, instrumented and not, in both
// modes. JavaScript allocates and frees with BigInt pointers, session.regions() gives BigInts,
// and views over the heap are reported after free, reuse and growth.
// Results land in window.results: {`${mode} ${variant}`: {...}}.

const { instantiate } = await import('../../../runtime-shim/js/index.js');
const { kindOf } = await import('./kind-of.js');

const fixtures = new URLSearchParams(location.search).get('fixtures');

const results = {};
try {
  for (const variant of ['freelist-heap64.vs.wasm', 'freelist-heap64.wasm']) {
    const bytes = await (await fetch(`${fixtures}/${variant}`)).arrayBuffer();
    for (const mode of ['strict', 'compat']) {
      const { instance, session } = await instantiate(bytes, {}, { mode });
      const m = instance.exports;
      const p = m.malloc(32n);
      const view = new Uint8Array(m.memory.buffer, Number(p), 32);
      view.fill(9);
      const region = session.regions().find((r) => r.ptr === p);
      m.free(p);
      const freed = kindOf(() => view.at(3));
      const reused = m.malloc(32n) === p ? kindOf(() => view.at(3)) : 'not reused';
      const q = m.make_buffer(16n);
      const before = new Uint8Array(m.memory.buffer, Number(q), 16);
      m.malloc(1n << 20n);
      results[`${mode} ${variant}`] = {
        pointer: typeof p, region: region && [typeof region.ptr, region.size === 32n],
        freed, reused, grown: kindOf(() => before.at(2)),
      };
    }
  }
} catch (error) {
  results.error = `${error.name}: ${error.message}\n${error.stack}`;
}
window.results = results;
document.title = 'done';
