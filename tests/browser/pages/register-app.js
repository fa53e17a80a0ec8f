// An app that knows nothing of viewsan: it streams an instrumented module in, keeps a view across
// the module's own free, and reads it. register.js guards it; with halt_on_error=0 the app goes on.
const fixtures = new URLSearchParams(location.search).get('fixtures');
const { instance } = await WebAssembly.instantiateStreaming(fetch(`${fixtures}/freelist-heap.vs.wasm`), {});
const { memory, make_buffer: makeBuffer, consume } = instance.exports;
const p = makeBuffer(16);
const view = new Uint8Array(memory.buffer, p, 16);
consume(p, 16);
document.title = `stale read ${view[0]}`;
