// A workload module run as a program prints its results as one line of JSON, so that a test can
// run it in a child process (under `node --import`, say) and compare what two runs printed.

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** True when `moduleUrl` is the program node was started with. */
export function isMain(moduleUrl) {
  return process.argv[1] !== undefined &&
    realpathSync(process.argv[1]) === realpathSync(fileURLToPath(moduleUrl));
}

/** Byte arrays become their length and SHA-256, so results compare and print compactly. */
export async function digest(bytes) {
  const { createHash } = await import('node:crypto');
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { bytes: buffer.length, sha256: createHash('sha256').update(buffer).digest('hex') };
}

export function printResults(results) {
  process.stdout.write(`${JSON.stringify(results)}\n`);
}
