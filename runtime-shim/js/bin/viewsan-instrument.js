#!/usr/bin/env node
// viewsan-instrument npm launcher: the instrumenter is a native program (C++, Binaryen linked in)
// that CMake builds and installs; npm cannot build it. This bin finds an installed one and runs it
// with the same arguments, standard streams and exit status. Looked for, in order:
//   1. $VIEWSAN_INSTRUMENT, when set (and nothing else then: a wrong path is an error)
//   2. viewsan-instrument on PATH (launchers like this one skipped)
//   3. the prefix this package was installed into by `cmake --install` (<prefix>/bin, from
//      <prefix>/share/viewsan/viewsan/bin/), then /usr/local/bin, /opt/viewsan/bin, /usr/bin
// Nothing found: one line on stderr and exit status 127, the shell's status for a missing
// command, which no run of the tool itself returns (0 done, 1 bad input, 2 usage error).

import { spawnSync } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PROGRAM = 'viewsan-instrument';
const NOT_FOUND = 127;
// A file holding this marker is a launcher (this one, or another copy of it): never run it.
const MARKER = 'viewsan-instrument npm launcher';

const self = realpathSync(fileURLToPath(import.meta.url));
const packageDir = path.dirname(path.dirname(self));

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
    if (realpathSync(file) === self) return true;
    const fd = openSync(file, 'r');
    try {
      const head = Buffer.alloc(1024);
      const length = readSync(fd, head, 0, head.length, 0);
      return head.subarray(0, length).includes(MARKER);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

function usable(file) {
  return isExecutableFile(file) && !isLauncher(file);
}

function findNativeTool() {
  const fromEnv = process.env.VIEWSAN_INSTRUMENT;
  if (fromEnv) {
    if (!usable(fromEnv)) {
      return { error: `VIEWSAN_INSTRUMENT=${fromEnv} is not the native tool (no executable file there)` };
    }
    return { file: fromEnv };
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, PROGRAM);
    if (usable(file)) return { file };
  }
  const known = [
    path.resolve(packageDir, '../../../bin', PROGRAM),  // <prefix>/share/viewsan/viewsan
    `/usr/local/bin/${PROGRAM}`,
    `/opt/viewsan/bin/${PROGRAM}`,
    `/usr/bin/${PROGRAM}`,
  ];
  for (const file of known) {
    if (usable(file)) return { file };
  }
  return {
    error: 'the native tool is not installed: build and install it with cmake (see the README\'s ' +
      'Install section), or set VIEWSAN_INSTRUMENT to its path',
  };
}

const found = findNativeTool();
if (found.error) {
  process.stderr.write(`${PROGRAM}: ${found.error}\n`);
  process.exit(NOT_FOUND);
}
const run = spawnSync(found.file, process.argv.slice(2), { stdio: 'inherit' });
if (run.error) {
  process.stderr.write(`${PROGRAM}: cannot run ${found.file}: ${run.error.message}\n`);
  process.exit(NOT_FOUND);
}
if (run.signal) {
  // As a shell reports a child killed by a signal.
  process.exit(128 + ((osConstants.signals[run.signal] ?? 0)));
}
process.exit(run.status);
