// wasm-bindgen's glue in a page (the glue: tests/js/fixtures/bindgen-glue.mjs, over the
// bindgen-lender fixture). The page's script is fetched when the glue first makes a cached view,
// so that view is guarded; once the text has arrived, the views the glue makes after a growth are
// its own, real typed arrays. A `&[u8]` lent to an import and kept past the call is caught either way.
// Results land in window.results.

// The runtime's sources (src/), whose view records the page reads: the same modules throughout.
const { instantiate, ViewSanError } = await import('../../../runtime-shim/js/src/index.js');
const { viewRecords } = await import('../../../runtime-shim/js/src/guarded-view.js');
const { bindgenGlue } = await import('../../js/fixtures/bindgen-glue.mjs');
const { kindOf } = await import('./kind-of.js');
await (await import('../../../runtime-shim/js/src/shim.js')).loadShimModule();

const fixtures = new URLSearchParams(location.search).get('fixtures');
const guarded = (view) => viewRecords.has(view);

const results = {};
try {
  let kept = null;
  const glue = bindgenGlue((bytes) => {
    kept = bytes;
  });
  const bytes = await (await fetch(`${fixtures}/bindgen-lender.vs.wasm`)).arrayBuffer();
  const { instance, session } = await instantiate(bytes, glue.imports, { haltOnError: true });
  glue.bind(instance.exports);
  results.greeting = glue.greeting();
  results.firstGuarded = guarded(glue.own().u8);
  // Each growth makes the glue make its view again: the first one after the script arrived is real.
  results.laterReal = false;
  for (let tries = 0; tries < 100 && !results.laterReal; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    instance.exports.grow(1);
    results.byteSum = glue.byteSum('abc');
    results.laterReal = !guarded(glue.own().u8);
  }
  results.appViewGuarded = guarded(new Uint8Array(instance.exports.memory.buffer));
  instance.exports.lend(16);
  results.lentGuarded = guarded(kept);
  results.lentKept = kindOf(() => kept.at(0), ViewSanError);
  results.errors = session.reports.filter((r) => r.severity === 'error').map((r) => r.kind);
} catch (error) {
  results.error = `${error.name}: ${error.message}\n${error.stack}`;
}
window.results = results;
document.title = 'done';
