// Zero code change: preload this module (`node --import viewsan/register app.mjs`, or a
// `<script type="module">` before the app's loader) and every WebAssembly module that imports
// from `viewsan` — that is, every instrumented module — is wired to a shim and guarded, whichever
// API its loader uses, including the synchronous `new WebAssembly.Instance` of wasm-bindgen's Node
// loader. Options come from VIEWSAN_OPTIONS (Node) or globalThis.VIEWSAN_OPTIONS (pages).
// Compilation needs no hook: a module is recognised by its imports when it is instantiated.
// Workers started from here on load it too, with the same options (worker-propagation.js).
// The patching itself: register-hooks.js.

import './node-require.js';
import { installRegister } from './register-hooks.js';

const ready = installRegister();
if (ready) await ready;
