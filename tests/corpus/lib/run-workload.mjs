// Runs a workload (workloads/NAME.mjs) in a process of its own with the counting no-op hooks
// preloaded (register-hooks.mjs), and returns what it printed and what the hooks counted. The
// original builds import nothing from "viewsan" and run as they would without the hooks.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { runNodeProgram } from './run-node.mjs';

let runs = 0;

export function runWithCountingHooks(scratch, workload, args) {
  const counts = join(scratch, `counts-${++runs}.json`);
  const { results } = runNodeProgram({
    script: fileURLToPath(new URL(`../workloads/${workload}`, import.meta.url)),
    args,
    preload: fileURLToPath(new URL('register-hooks.mjs', import.meta.url)),
    env: { ...process.env, VIEWSAN_CORPUS_COUNTS: counts },
  });
  return { results, counts: JSON.parse(readFileSync(counts, 'utf8')) };
}
