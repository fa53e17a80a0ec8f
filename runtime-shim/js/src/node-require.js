// Node before 20.16 has no process.getBuiltinModule: there, the runtime requires Node's modules
// through a require this module makes, once, before the runtime's modules load (environment.js).
// Imported first by the ES module entry points; the Node bundle's loader does the same. Elsewhere
// it does nothing.

if (typeof process === 'object' && typeof process.versions?.node === 'string' && !process.getBuiltinModule) {
  globalThis[Symbol.for('viewsan.nodeRequire')] ??= (await import('node:module')).createRequire(import.meta.url);
}
