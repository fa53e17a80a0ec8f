// Runs the viewsan-devtools bin as CI would, capturing its exit status and output.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { encodeBatch } from 'viewsan/protocol';

export const BIN = fileURLToPath(new URL('../../../devtools/bin/viewsan-devtools.js', import.meta.url));

/** The Chromium CTest found (CHROMIUM_EXECUTABLE), else `chromium` on PATH. */
export const CHROMIUM = process.env.VIEWSAN_CHROMIUM || 'chromium';

/**
 * Starts the CLI. `exited` resolves with `{status, stdout, stderr}`; `waitForStderr(pattern)`
 * resolves with the first match on stderr, and rejects if the CLI exits without one.
 */
export function startCli(args) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => { stdout += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
  const exited = once(child, 'close').then(([status]) => ({ status, stdout, stderr }));
  return {
    child,
    exited,
    async waitForStderr(pattern) {
      let closed = false;
      exited.then(() => { closed = true; });
      for (;;) {
        const match = stderr.match(pattern);
        if (match) return match;
        if (closed) throw new Error(`the CLI exited without printing ${pattern}:\n${stderr}`);
        await Promise.race([once(child.stderr, 'data'), exited]);
      }
    },
  };
}

/** @returns {Promise<{status: number, stdout: string, stderr: string}>} */
export function runCli(args) {
  return startCli(args).exited;
}

/**
 * A page whose script hands the binding one batch of `events`, as the viewsan runtime does;
 * `encode` may give it the shape of another version.
 */
export function pageSending(events, extraScript = '', encode = encodeBatch) {
  return `<!doctype html><title>viewsan test page</title><script>
globalThis.__viewsan_devtools?.(${JSON.stringify(encode(events))});
${extraScript}
</script>`;
}

/** A free loopback port for a server to listen on: one taken and let go. */
export async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * A loopback port that refuses connections and goes on refusing them. A free port let go can be
 * handed to the next server that asks for any port (tests run in parallel), so this one is chosen
 * below the kernel's range of such ports and checked to refuse.
 */
export async function refusingPort() {
  for (let port = ephemeralPortsStart() - 1; port > 1024; port -= 97) {
    if (await refuses(port)) return port;
  }
  throw new Error('no loopback port below the ephemeral range refuses connections');
}

function ephemeralPortsStart() {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    return 32768;
  }
}

async function refuses(port) {
  const socket = connect({ host: '127.0.0.1', port });
  try {
    await once(socket, 'connect');
    return false;
  } catch (error) {
    return error.code === 'ECONNREFUSED';
  } finally {
    socket.destroy();
  }
}
