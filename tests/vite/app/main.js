// An app that knows nothing of viewsan. It loads the same module each way a Vite app loads a .wasm
// (a `?url` import, `new URL(…, import.meta.url)`, `?init`, a file in public/), keeps a view over
// a buffer across the module's own free of it, and reads it: a stale read, silent without
// viewsan. heap.wasm, prebuilt.wasm (instrumented already) and public/heap-public.wasm are put
// here by the test.
import heapUrl from './heap.wasm?url';
import initHeap from './heap.wasm?init';
import prebuiltUrl from './prebuilt.wasm?url';

async function staleRead(instantiate) {
  try {
    const instance = await instantiate();
    const { memory, make_buffer: makeBuffer, consume } = instance.exports;
    const p = makeBuffer(16);
    const view = new Uint8Array(memory.buffer, p, 16);
    consume(p, 16);
    return { read: view[0] };
  } catch (error) {
    return { error: error.name, kind: error.kind ?? null, message: error.message };
  }
}

const streamed = (url) => async () => (await WebAssembly.instantiateStreaming(fetch(url), {})).instance;

// No top-level await: `vite build`'s default targets do not have it.
async function run() {
  return {
    urlImport: await staleRead(streamed(heapUrl)),
    importMetaUrl: await staleRead(streamed(new URL('./heap.wasm', import.meta.url))),
    wasmInit: await staleRead(() => initHeap({})),
    publicDir: await staleRead(streamed(`${import.meta.env.BASE_URL}heap-public.wasm`)),
    instrumentedAlready: await staleRead(streamed(prebuiltUrl)),
    options: globalThis.VIEWSAN_OPTIONS ?? null,
  };
}

run().then((results) => {
  window.results = results;
  document.title = 'done';
});
