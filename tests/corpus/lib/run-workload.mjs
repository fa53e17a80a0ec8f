// Runs a workload (workloads/NAME.mjs) in a process of its own with the counting no-op hooks
// preloaded (register-hooks.mjs), and returns what it printed and what the hooks counted. The
// original builds import nothing from "viewsan" and run as they would without the hooks.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

let runs = 0;

export function runWithCountingHooks(scratch, workload, args) {
  const counts = join(scratch, `counts-${++runs}.json`);
  const child = spawnSync(process.execPath,
    ['--import', fileURLToPath(new URL('register-hooks.mjs', import.meta.url)),
      fileURLToPath(new URL(`../workloads/${workload}`, import.meta.url)), ...args],
    { encoding: 'utf8', maxBuffer: 16 << 20, env: { ...process.env, VIEWSAN_CORPUS_COUNTS: counts } });
  assert.equal(child.status, 0, child.stderr);
  return {
    results: JSON.parse(child.stdout.trim().split('\n').at(-1)),
    counts: JSON.parse(readFileSync(counts, 'utf8')),
  };
}
