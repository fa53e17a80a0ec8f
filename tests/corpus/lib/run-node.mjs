// Runs a Node program in a process of its own, the way the corpus and real-world tests run the
// workloads (tests/corpus/workloads): each prints its results as JSON on its last line.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

/**
 * Runs `node [--import preload] script ...args` and returns the JSON of its last line of output,
 * its stderr, and how long the whole process took; a program that exits with another status than
 * `status` fails the test.
 */
export function runNodeProgram({ script, args = [], preload, env = process.env, cwd, status = 0 }) {
  const started = performance.now();
  const child = spawnSync(process.execPath, [...(preload ? ['--import', preload] : []), script, ...args],
    { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - started;
  if (child.error) throw child.error;
  assert.equal(child.status, status, `${script} exited ${child.status}:\n${child.stderr.slice(-4000)}`);
  return { results: JSON.parse(child.stdout.trim().split('\n').at(-1)), stderr: child.stderr, ms };
}
