// `viewsan/vite`: the Vite plugin (src/vite-plugin.js), which runs in Vite's Node process.
export { default } from './src/vite-plugin.js';
