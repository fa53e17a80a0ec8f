// `viewsan/register` (src/register.js) as Node resolves the package's name: the one script's
// runtime only (load-runtime.js).
import { nodeRuntime } from './load-runtime.js';

await nodeRuntime().installRegister();
