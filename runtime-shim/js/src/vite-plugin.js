// viewsan/vite: viewsan in a Vite app's dev server, with one line in vite.config.js:
//
//   import viewsan from 'viewsan/vite';
//   export default { plugins: [viewsan()] };
//
// The dev server then serves the app's .wasm files instrumented by the native viewsan-instrument
// (vite-dev-middleware.js, instrument-cache.js) and every HTML page loads the runtime's register.js
// as its first module script, so each instrumented module is guarded whatever loads it. With
// `build: true`, `vite build` writes the same into its output (vite-build.js). The plugin uses
// only Vite's plugin API: vite is not a dependency of the viewsan package.
// Node only: the package's main entry never loads this file.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createInstrumentCache } from './instrument-cache.js';
import { INSTRUMENT_PROGRAM, findNativeInstrument } from './native-instrument.js';
import { parseOptionString, validateOptions } from './options.js';
import { createPathFilter } from './path-filter.js';
import { builtRegisterUrl, emitInstrumented, inlineLimitKeepingWasm } from './vite-build.js';
import { RUNTIME_PREFIX, devMiddleware } from './vite-dev-middleware.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

const PLUGIN_OPTIONS = ['include', 'exclude', 'instrument', 'alloc', 'free', 'realloc', 'instrumentArgs', 'runtime', 'build'];

function stringList(value, name) {
  const list = value == null ? [] : [value].flat();
  if (!list.every((item) => typeof item === 'string')) {
    throw new TypeError(`viewsan: the ${name} option takes a string or an array of strings`);
  }
  return list;
}

/** The page's options: the plugin's `runtime` (code), then the dev server's VIEWSAN_OPTIONS (environment). */
function runtimeOptions(runtime, environment, warn) {
  const fail = (message) => { throw new TypeError(`viewsan: the runtime option: ${message}`); };
  let fromCode = runtime ?? {};
  if (typeof fromCode === 'string') fromCode = parseOptionString(fromCode, fail);
  if (typeof fromCode !== 'object') fail('expected an object of viewsan options, or a VIEWSAN_OPTIONS string');
  validateOptions(fromCode);
  for (const [name, value] of Object.entries(fromCode)) {
    if (typeof value === 'function') fail(`${name} is a function, which cannot reach the page (options are sent as JSON)`);
  }
  const fromEnvironment = environment ? parseOptionString(environment, warn) : {};
  return { ...fromCode, ...fromEnvironment };
}

function pluginError(message) {
  const error = new Error(message);
  error.stack = message;  // one line: what is missing and what to do, no trace into the plugin
  return error;
}

/**
 * The Vite plugin. Options (all optional):
 *   include, exclude  which .wasm files are instrumented (path-filter.js); default: all
 *   instrument        the native viewsan-instrument's path (default: VIEWSAN_INSTRUMENT, PATH,
 *                     the cmake --install prefix this package is in, the usual prefixes)
 *   alloc, free, realloc  allocator names for --alloc/--free/--realloc (`NAME[:POS]`)
 *   instrumentArgs    more arguments for viewsan-instrument: an array, or a function of the file
 *   runtime           the runtime's options (`{ mode: 'compat', haltOnError: false }`, or a
 *                     VIEWSAN_OPTIONS string), set as the page's globalThis.VIEWSAN_OPTIONS
 *   build             also instrument `vite build`'s output (default false: the dev server only)
 */
export default function viewsan(pluginOptions = {}) {
  for (const key of Object.keys(pluginOptions)) {
    if (!PLUGIN_OPTIONS.includes(key)) {
      throw new TypeError(`viewsan: unknown option '${key}' (the options are ${PLUGIN_OPTIONS.join(', ')})`);
    }
  }
  const allocatorArgs = [
    ...stringList(pluginOptions.alloc, 'alloc').map((name) => `--alloc=${name}`),
    ...stringList(pluginOptions.free, 'free').map((name) => `--free=${name}`),
    ...stringList(pluginOptions.realloc, 'realloc').map((name) => `--realloc=${name}`),
  ];
  const { instrumentArgs } = pluginOptions;
  const extraArgs = typeof instrumentArgs === 'function'
    ? (file) => stringList(instrumentArgs(file), 'instrumentArgs')
    : () => stringList(instrumentArgs, 'instrumentArgs');
  let pageOptions = runtimeOptions(pluginOptions.runtime, undefined);

  let config;
  let instrument;
  let accepts;
  let cacheDir;
  const said = new Set();

  // What became of a module, once per module and content: instrumented, notes of the tool's, or
  // left as it is because it was instrumented already.
  function say(file, result) {
    const key = `${result.hash} ${file}`;
    if (said.has(key)) return;
    said.add(key);
    const name = path.relative(config.root, file).split(path.sep).join('/');
    if (result.asIs) {
      config.logger.info(`viewsan: ${name} is instrumented already: left as it is`);
      return;
    }
    if (result.fresh) config.logger.info(`viewsan: instrumented ${name}`);
    if (result.notes) config.logger.warn(`viewsan: ${name}: ${result.notes}`);
  }

  return {
    name: 'viewsan',
    // The dev server; `vite build` only when asked. `vite preview` serves a build as it is.
    apply: (userConfig, { command, isPreview }) => (command === 'build' ? Boolean(pluginOptions.build) : !isPreview),

    config(userConfig, { command }) {
      if (command !== 'build') return undefined;
      return { build: { assetsInlineLimit: inlineLimitKeepingWasm(userConfig.build?.assetsInlineLimit, () => accepts) } };
    },

    async configResolved(resolved) {
      config = resolved;
      pageOptions = runtimeOptions(pluginOptions.runtime, process.env.VIEWSAN_OPTIONS,
        (message) => config.logger.warn(message));
      const found = findNativeInstrument(pluginOptions.instrument
        ? { file: pluginOptions.instrument, label: `the instrument option ${pluginOptions.instrument}` }
        : undefined);
      if (found.error) {
        const hint = found.missing ? ': install it (cmake --install, see viewsan\'s README), then put it on ' +
          'PATH, set VIEWSAN_INSTRUMENT to its path, or pass viewsan({ instrument: \'/path/to/viewsan-instrument\' })' : '';
        throw pluginError(`viewsan: ${INSTRUMENT_PROGRAM}: ${found.error}${hint}`);
      }
      cacheDir = path.join(config.cacheDir, 'viewsan');
      accepts = createPathFilter({ include: pluginOptions.include, exclude: pluginOptions.exclude, root: config.root });
      instrument = await createInstrumentCache({
        tool: found.file,
        args: (file) => [...allocatorArgs, ...extraArgs(file)],
        // The dev server serves maps under /@viewsan/maps/; a build writes each beside its module.
        mapUrl: config.command === 'build'
          ? (hash) => `viewsan-${hash}.wasm.map`
          : (hash) => `${config.base}${RUNTIME_PREFIX}maps/${hash}.wasm.map`,
        cacheDir,
      });
    },

    configureServer(server) {
      // Added here rather than in a returned hook, so that it runs before Vite's own middlewares.
      server.middlewares.use(devMiddleware(server, { instrument, accepts, say, packageDir, cacheDir }));
    },

    async generateBundle(outputOptions, bundle) {
      await emitInstrumented(this, bundle, { config, packageDir, instrument, accepts, say });
    },

    // register.js first, before any of the app's scripts; options before it, as a classic script
    // (module scripts run after every classic one).
    transformIndexHtml(html, { filename }) {
      const tags = [];
      if (Object.keys(pageOptions).length) {
        const json = JSON.stringify(pageOptions).replace(/</g, '\\u003c');
        tags.push({ tag: 'script', children: `globalThis.VIEWSAN_OPTIONS = ${json};`, injectTo: 'head-prepend' });
      }
      const src = config.command === 'build' ? builtRegisterUrl(config, filename) : `${config.base}${RUNTIME_PREFIX}register.js`;
      tags.push({ tag: 'script', attrs: { type: 'module', src }, injectTo: 'head-prepend' });
      return tags;
    },
  };
}
