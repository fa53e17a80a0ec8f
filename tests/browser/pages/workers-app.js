// Starts one worker of each kind, blob:, data: and same-origin URLs, classic and module, runs the
// buggy or the correct flow in it, and collects what each worker answered or threw: in
// window.workerResults, keyed `${kind}/${flow}`. Each kind allocates its own size, so that its
// report can be told apart. The first message is posted at once, as apps do.
const fixtures = new URLSearchParams(location.search).get('fixtures');
const bytes = await (await fetch(`${fixtures}/freelist-heap.vs.wasm`)).arrayBuffer();
const flowURL = new URL('./worker-flow.js', import.meta.url).href;
const flowCode = await (await fetch(flowURL)).text();
const blobURL = () => URL.createObjectURL(new Blob([flowCode], { type: 'text/javascript' }));
const dataURL = `data:text/javascript,${encodeURIComponent(flowCode)}`;

const KINDS = {
  'blob/classic': { url: blobURL, size: 16 },
  'blob/module': { url: blobURL, size: 24, type: 'module' },
  'data/classic': { url: () => dataURL, size: 32 },
  'data/module': { url: () => dataURL, size: 40, type: 'module' },
  'file/classic': { url: () => flowURL, size: 48 },
  'file/module': { url: () => flowURL, size: 56, type: 'module' },
  'file-relative/classic': { url: () => new URL('./worker-relative.js', import.meta.url).href, size: 64 },
};

function run({ url, size, type }, flow) {
  return new Promise((resolve) => {
    const scriptURL = url();
    const worker = new Worker(scriptURL, type ? { type } : undefined);
    if (scriptURL.startsWith('blob:')) URL.revokeObjectURL(scriptURL);
    worker.postMessage({ bytes, flow, size });
    // Workers are left running: their last events may still be on their way to DevTools.
    const done = (result) => {
      clearTimeout(timer);
      resolve({ url: scriptURL, ...result });
    };
    const timer = setTimeout(() => done({ timeout: true }), 10000);
    worker.onmessage = ({ data }) => done({ answer: data });
    worker.onerror = (event) => {
      event.preventDefault();
      done({ error: event.message });
    };
  });
}

const results = {};
for (const flow of ['correct', 'buggy']) {
  for (const [kind, spec] of Object.entries(KINDS)) results[`${kind}/${flow}`] = await run(spec, flow);
}

// A SharedWorker is not guarded, and said so on the console.
const logged = [];
const consoleError = console.error;
console.error = (...args) => {
  logged.push(args.join(' '));
  consoleError.apply(console, args);
};
try {
  new SharedWorker(flowURL);
} catch (error) {
  logged.push(`SharedWorker: ${error}`);
}
console.error = consoleError;
results.sharedWorker = logged;

window.workerResults = results;
document.title = 'done';
