// Preloaded with `node --import`: gives counting no-op hooks to every instrumented module the
// process instantiates, and at exit writes the counts as JSON to $VIEWSAN_CORPUS_COUNTS.

import { writeFileSync } from 'node:fs';

import { createHooks, provideHooks } from './hooks.mjs';

// Read now: some programs prune process.env before they exit (esbuild's loader does).
const countsFile = process.env.VIEWSAN_CORPUS_COUNTS;
const hooks = createHooks();
provideHooks(hooks);
process.on('exit', () => {
  if (countsFile) writeFileSync(countsFile, JSON.stringify(hooks.counts));
});
