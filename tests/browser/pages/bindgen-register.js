// wasm-bindgen's glue loading its module itself under register.js, as its web target does
// (`__wbg_init`): register reads the glue's script while the module compiles, so the glue's very
// first cached view is its own. Results land in window.results.

// The runtime's sources (src/), whose view records the page reads: the same modules throughout.
const { viewRecords } = await import('../../../runtime-shim/js/src/guarded-view.js');
const { ViewSanError } = await import('../../../runtime-shim/js/src/errors.js');
const { bindgenGlue } = await import('../../js/fixtures/bindgen-glue.mjs');
const { kindOf } = await import('./kind-of.js');
await import('../../../runtime-shim/js/src/register.js');

const fixtures = new URLSearchParams(location.search).get('fixtures');

const results = {};
try {
  let kept = null;
  const glue = bindgenGlue((bytes) => {
    kept = bytes;
  });
  const instance = await glue.init(await (await fetch(`${fixtures}/bindgen-lender.vs.wasm`)).arrayBuffer());
  results.greeting = glue.greeting();
  results.firstGuarded = viewRecords.has(glue.own().u8);
  instance.exports.lend(16);
  results.lentKept = kindOf(() => kept.at(0), ViewSanError);
} catch (error) {
  results.error = `${error.name}: ${error.message}\n${error.stack}`;
}
window.results = results;
document.title = 'done';
