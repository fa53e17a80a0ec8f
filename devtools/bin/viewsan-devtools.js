#!/usr/bin/env node
import { main } from '../lib/cli.js';

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // Node's own exit status for a crash is 1, which here means "errors reported".
  process.stderr.write(`viewsan-devtools: internal error: ${error.stack}\n`);
  process.exitCode = 2;
}
