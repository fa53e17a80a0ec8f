#!/usr/bin/env node
// viewsan-instrument npm launcher: the instrumenter is a native program (C++, Binaryen linked in)
// that CMake builds and installs; npm cannot build it. This bin finds an installed one and runs it
// with the same arguments, standard streams and exit status. Looked for as native-instrument.js
// says: $VIEWSAN_INSTRUMENT, PATH, the prefix `cmake --install` put this package under, then the
// usual prefixes.
// Nothing found: one line on stderr and exit status 127, the shell's status for a missing
// command, which no run of the tool itself returns (0 done, 1 bad input, 2 usage error).

import { spawnSync } from 'node:child_process';
import { constants as osConstants } from 'node:os';

import { INSTRUMENT_PROGRAM as PROGRAM, findNativeInstrument } from '../src/native-instrument.js';

const NOT_FOUND = 127;

const found = findNativeInstrument();
if (found.error) {
  const hint = found.missing ? ': build and install it with cmake (see the README\'s Install section), ' +
    'or set VIEWSAN_INSTRUMENT to its path' : '';
  process.stderr.write(`${PROGRAM}: ${found.error}${hint}\n`);
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
