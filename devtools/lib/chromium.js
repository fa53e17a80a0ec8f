// Starts headless Chromium on a fresh profile and finds its DevTools port.

import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { CHROMIUM, CHROMIUM_FLAGS, CHROMIUM_STARTUP_MS } from './defaults.js';
import { BrowserError } from './errors.js';

const POLL_MS = 50;
const STDERR_TAIL_BYTES = 4096;
const SHUTDOWN_GRACE_MS = 5000;

/**
 * @param {object} [options]
 * @param {string} [options.executable]
 * @param {number} [options.startupMs]
 * @param {string[]} [options.args]  more flags, e.g. --load-extension=DIR
 * @returns {Promise<{port: number, close(): Promise<void>}>}
 *   `close()` stops the browser and removes its profile.
 */
export async function startChromium({ executable = CHROMIUM, startupMs = CHROMIUM_STARTUP_MS, args = [] } = {}) {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'viewsan-devtools-'));
  // Chromium's own temporary files (the profile's singleton socket folder, which a stopped
  // browser leaves behind) go inside the profile, which close() removes.
  const browserTmp = path.join(userDataDir, 'tmp');
  await mkdir(browserTmp);
  // Its own process group, so that close() also ends the renderer and zygote processes.
  const child = spawn(executable, [...CHROMIUM_FLAGS, ...args, `--user-data-dir=${userDataDir}`, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
    env: { ...process.env, TMPDIR: browserTmp },
  });
  let stderrTail = '';
  child.stderr.on('data', (chunk) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  // A crashing CLI must not leave a browser behind.
  const killOnExit = () => killGroup('SIGKILL');
  process.once('exit', killOnExit);

  const close = async () => {
    process.off('exit', killOnExit);
    // No pid: the executable never started, and there is nothing to stop.
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      killGroup('SIGTERM');
      const forceKill = setTimeout(() => killGroup('SIGKILL'), SHUTDOWN_GRACE_MS);
      await exited;
      clearTimeout(forceKill);
    }
    await rm(userDataDir, { recursive: true, force: true, maxRetries: 5 });
  };

  const startup = new AbortController();
  try {
    const port = await Promise.race([
      readDevToolsPort(userDataDir, startupMs, startup.signal),
      new Promise((_, reject) => child.once('error', (error) => reject(spawnFailure(executable, error)))),
      exited.then(({ code, signal }) => {
        const lastLine = stderrTail.trim().split('\n').at(-1) ?? '';
        throw new BrowserError(
          `Chromium (${executable}) exited with ${signal ?? `code ${code}`} before opening DevTools` +
            (lastLine ? `: ${lastLine}` : ''),
        );
      }),
    ]);
    return { port, close };
  } catch (error) {
    await close();
    throw error;
  } finally {
    startup.abort();
  }
}

function spawnFailure(executable, error) {
  const reason = error.code === 'ENOENT' ? 'not found' : error.message;
  return new BrowserError(`cannot start Chromium '${executable}': ${reason} (use --chromium PATH)`, { cause: error });
}

// Chromium writes "<port>\n<browser target path>" once DevTools listens.
async function readDevToolsPort(userDataDir, startupMs, signal) {
  const file = path.join(userDataDir, 'DevToolsActivePort');
  const deadline = Date.now() + startupMs;
  while (Date.now() < deadline && !signal.aborted) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const port = Number.parseInt(text.split('\n')[0], 10);
    if (text.includes('\n') && port > 0) return port;
    await delay(POLL_MS);
  }
  throw new BrowserError(`Chromium did not open DevTools within ${startupMs / 1000} s`);
}
