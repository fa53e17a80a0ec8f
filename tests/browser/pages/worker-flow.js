// The worker of an app that knows nothing of viewsan, classic or module alike (no import, no
// export): it instantiates an instrumented module synchronously, views a buffer, frees it in the
// buggy flow and reads the view. Under viewsan the stale read throws use-after-free.
self.onmessage = ({ data: { bytes, flow, size } }) => {
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  const p = exports.malloc(size);
  const view = new Uint8Array(exports.memory.buffer, p, size);
  view[0] = 7;
  if (flow === 'buggy') exports.free(p);
  postMessage({ value: view[0], location: String(self.location), options: self.VIEWSAN_OPTIONS ?? null });
};
