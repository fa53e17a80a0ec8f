// The threads sample (Emscripten pthreads: a pool of two workers over one shared heap) in a
// cross-origin isolated page, under register.js loaded before the app's glue, in the mode the
// query names; the raw build beside it, unguarded. Each flow runs in a fresh app.
// Results land in window.results: {isolated, `${variant} ${flow}`: {value, expected} | {error, report}}.

const params = new URLSearchParams(location.search);
globalThis.VIEWSAN_OPTIONS = { mode: params.get('mode') };
await import('../../../runtime-shim/js/register.js');
const { FLOWS } = await import('../../../samples/threads/flows.js');

const build = new URL('/build/samples/threads/', location.href).href;

// Runs a variant's glue, a classic script that defines the global createFrames.
function loadGlue(variant) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = `${build}${variant}/frames.js`;
    script.onload = () => resolve(globalThis.createFrames);
    script.onerror = () => reject(new Error(`cannot load ${script.src}`));
    document.head.append(script);
  });
}

const results = { isolated: globalThis.crossOriginIsolated };
try {
  for (const variant of ['raw', 'vs']) {
    const createFrames = await loadGlue(variant);
    for (const [name, flow] of Object.entries(FLOWS)) {
      const app = await createFrames({
        locateFile: (file) => `${build}${variant}/${file}`,
        mainScriptUrlOrBlob: `${build}${variant}/frames.js`,
      });
      try {
        results[`${variant} ${name}`] = flow(app);
      } catch (error) {
        if (!error.kind) throw error;
        const { kind, region, newer, grow, access } = error.report;
        results[`${variant} ${name}`] = { error: kind, report: { region, newer, grow, access, message: error.message } };
      } finally {
        app.PThread.terminateAllThreads();
      }
    }
  }
} catch (error) {
  results.error = `${error.name}: ${error.message}\n${error.stack}`;
}
window.results = results;
document.title = 'done';
