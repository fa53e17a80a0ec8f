// The corpus packages that run under `node --import viewsan/register` as their users run them:
// which workload drives each (tests/corpus/workloads) and with which arguments after the package's
// directory, which of its .wasm files are instrumented in place, with which glue (one for the
// package, or one per .wasm file keyed by its path), and which corpus
// packages it imports (copied beside it). tests/realworld and bench/realworld.mjs both read this
// table.

export const REGISTER_PACKAGES = {
  brotli: { name: 'brotli-wasm', workload: 'brotli.mjs', wasm: ['pkg.node/brotli_wasm_bg.wasm'] },
  png: { name: '@jsquash/png', workload: 'png.mjs', wasm: ['codec/pkg/squoosh_png_bg.wasm'] },
  tiktoken: {
    name: '@dqbd/tiktoken', workload: 'tiktoken.mjs', wasm: ['tiktoken_bg.wasm'],
    glue: ['--wasm-bindgen-glue', '@dqbd/tiktoken/tiktoken_bg.js'],
  },
  zstd: {
    name: '@bokuweb/zstd-wasm', workload: 'zstd.mjs', wasm: ['dist/common/zstd.wasm'],
    glue: ['--emscripten-glue', '@bokuweb/zstd-wasm/dist/common/zstd.js'],
  },
  // Two modules, each with its own glue: encoder and decoder.
  jpeg: {
    name: '@jsquash/jpeg', workload: 'jpeg.mjs', wasm: ['codec/enc/mozjpeg_enc.wasm', 'codec/dec/mozjpeg_dec.wasm'],
    glue: {
      'codec/enc/mozjpeg_enc.wasm': ['--emscripten-glue', '@jsquash/jpeg/codec/enc/mozjpeg_enc.js'],
      'codec/dec/mozjpeg_dec.wasm': ['--emscripten-glue', '@jsquash/jpeg/codec/dec/mozjpeg_dec.js'],
    },
  },
  canvaskit: {
    name: 'canvaskit-wasm', workload: 'canvaskit.mjs', wasm: ['bin/canvaskit.wasm'],
    glue: ['--emscripten-glue', 'canvaskit-wasm/bin/canvaskit.js'],
  },
  treeSitter: {
    name: 'web-tree-sitter', workload: 'tree-sitter.mjs', wasm: ['web-tree-sitter.wasm'],
    dependencies: ['tree-sitter-javascript'],
    glue: ['--emscripten-glue', 'web-tree-sitter/web-tree-sitter.js'],
  },
  biome: {
    name: '@biomejs/wasm-nodejs', workload: 'biome.mjs', wasm: ['biome_wasm_bg.wasm'],
    glue: ['--wasm-bindgen-glue', '@biomejs/wasm-nodejs/biome_wasm.js'],
  },
  photon: { name: '@silvia-odwyer/photon-node', workload: 'photon.mjs', wasm: ['photon_rs_bg.wasm'] },
  onnxruntime: onnxruntime(1),
  onnxruntime2: onnxruntime(2),
};

// onnxruntime-web's Node entry loads its pthreads build whatever the thread count.
function onnxruntime(threads) {
  return {
    name: 'onnxruntime-web', workload: 'onnxruntime.mjs', args: [String(threads)],
    wasm: ['dist/ort-wasm-simd-threaded.wasm'], dependencies: ['onnxruntime-common'],
    glue: ['--emscripten-glue', 'onnxruntime-web/dist/ort-wasm-simd-threaded.mjs'],
  };
}
