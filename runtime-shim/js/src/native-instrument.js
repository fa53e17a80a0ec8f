// Where the native viewsan-instrument is. It is a C++ program (Binaryen linked in) that CMake
// builds and installs and npm cannot build, so the package's bin (bin/viewsan-instrument.js) and
// its Vite plugin (vite-plugin.js) look for an installed one, in order:
//   1. the path the caller was given explicitly (the Vite plugin's `instrument` option), and then
//      nothing else: a wrong path is an error
//   2. $VIEWSAN_INSTRUMENT, when set (likewise the only place looked at then)
//   3. viewsan-instrument on PATH (launchers like the bin skipped)
//   4. the prefix this package was installed into by `cmake --install` (<prefix>/bin, from
//      <prefix>/share/viewsan/viewsan/), then /usr/local/bin, /opt/viewsan/bin, /usr/bin
// Node only: the package's main entry never loads this file.

import { accessSync, closeSync, constants, openSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const INSTRUMENT_PROGRAM = 'viewsan-instrument';
// A file holding this marker is a launcher (the bin, or another copy of it): never run it.
export const LAUNCHER_MARKER = 'viewsan-instrument npm launcher';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const ownLauncher = realOrNull(path.join(packageDir, 'bin', `${INSTRUMENT_PROGRAM}.js`));

function realOrNull(file) {
  try {
    return realpathSync(file);
  } catch {
    return null;
  }
}

function isExecutableFile(file) {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isLauncher(file) {
  try {
    if (realpathSync(file) === ownLauncher) return true;
    const fd = openSync(file, 'r');
    try {
      const head = Buffer.alloc(1024);
      const length = readSync(fd, head, 0, head.length, 0);
      return head.subarray(0, length).includes(LAUNCHER_MARKER);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

const usable = (file) => isExecutableFile(file) && !isLauncher(file);

/**
 * The native tool: `{ file }`; else `{ error }`, a sentence without the program's name for the
 * caller to prefix, and `missing: true` when it is simply not installed (the caller says how to
 * get it). `explicit` is `{ file, label }`: the only place looked at when given, named by `label`.
 */
export function findNativeInstrument(explicit) {
  const fromEnv = process.env.VIEWSAN_INSTRUMENT;
  const named = explicit?.file ? explicit
    : fromEnv ? { file: fromEnv, label: `VIEWSAN_INSTRUMENT=${fromEnv}` } : null;
  if (named) {
    if (!usable(named.file)) return { error: `${named.label} is not the native tool (no executable file there)` };
    return { file: named.file };
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, INSTRUMENT_PROGRAM);
    if (usable(file)) return { file };
  }
  const known = [
    path.resolve(packageDir, '../../../bin', INSTRUMENT_PROGRAM),  // <prefix>/share/viewsan/viewsan
    `/usr/local/bin/${INSTRUMENT_PROGRAM}`,
    `/opt/viewsan/bin/${INSTRUMENT_PROGRAM}`,
    `/usr/bin/${INSTRUMENT_PROGRAM}`,
  ];
  for (const file of known) {
    if (usable(file)) return { file };
  }
  return { error: 'the native tool is not installed', missing: true };
}
