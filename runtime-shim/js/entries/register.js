// `viewsan/register` (src/register.js) for pages and by path: the ES modules' runtime, or in Node
// the one script's (load-runtime.js).
import * as modules from './runtime.esm.js';
import { nodeRuntime } from './load-runtime.js';

// What register.js awaits: see installRegister (src/register-hooks.js).
const ready = (nodeRuntime() ?? modules).installRegister();
if (ready) await ready;
