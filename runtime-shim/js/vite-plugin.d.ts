// Type declarations for viewsan/vite, the Vite plugin. Its return value is a Vite plugin; vite is
// the app's dependency, not the viewsan package's, so its Plugin type is named only here.
import type { Plugin } from 'vite';
import type { Options } from './index.js';

/** A glob (relative to the Vite root; without a '/', a file name), a RegExp (absolute path), or a function of the absolute path. */
export type FilePattern = string | RegExp | ((file: string) => boolean);

export interface ViewsanViteOptions {
  /** The .wasm files to instrument (default: all). */
  include?: FilePattern | Array<string | RegExp>;
  /** The .wasm files to leave as they are. */
  exclude?: FilePattern | Array<string | RegExp>;
  /** The native viewsan-instrument (default: $VIEWSAN_INSTRUMENT, PATH, the prefix the package is installed in, /usr/local/bin, /opt/viewsan/bin, /usr/bin). */
  instrument?: string;
  /** Allocating functions, `NAME[:POS]` as viewsan-instrument's --alloc takes them. */
  alloc?: string | string[];
  /** Freeing functions (--free). */
  free?: string | string[];
  /** Reallocating functions (--realloc). */
  realloc?: string | string[];
  /** More arguments for viewsan-instrument, for every file or per file (e.g. --wasm-bindgen-glue). */
  instrumentArgs?: string[] | ((file: string) => string[]);
  /** The runtime's options in the page (globalThis.VIEWSAN_OPTIONS); the dev server's VIEWSAN_OPTIONS has the last word. */
  runtime?: Omit<Options, 'onReport'> | string;
  /** Also instrument what `vite build` writes (default: the dev server only). */
  build?: boolean;
}

export default function viewsan(options?: ViewsanViteOptions): Plugin;
