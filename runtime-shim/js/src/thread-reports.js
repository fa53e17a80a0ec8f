// Node: one exit-time report per process (contract 3), whichever thread made the reports. Under
// register, the main thread collects: worker threads post each report, as it is made, to a
// BroadcastChannel (it reaches the main thread wherever in the tree of workers it was made), and
// their final counts and stats when they exit. The main thread reads what is still queued
// synchronously at exit, so a report made just before the process ends is not lost; a worker
// still running then (the main thread called process.exit()) contributes its reports, not its
// stats. A worker started before register ran in the main thread writes the file itself at its
// exit, as every thread does without register.

import { connectThreads, threadReport } from './environment.js';
import { forwardUnguardedModules, unguardedModules } from './unguarded.js';

const CHANNEL = 'viewsan:thread-reports';
const COLLECTING = 'viewsan:collecting';  // environment data: the main thread collects

// The main thread opens its channel when it starts its first worker (node-workers.js calls
// workerStarting): a process without workers never pays for it (about a millisecond at the start).
let openChannel = null;

/** Before the main thread's workers start: from then on the main thread collects their reports. */
export function workerStarting() {
  openChannel?.();
  openChannel = null;
}

/**
 * @param {typeof import('node:worker_threads')} workerThreads
 * @param {object} options register's resolved options (report_path, exitcode)
 */
export function connectThreadReports(workerThreads, options) {
  const { BroadcastChannel, isMainThread, threadId } = workerThreads;
  if (isMainThread) {
    collect(workerThreads, options);
    return;
  }
  if (!workerThreads.getEnvironmentData(COLLECTING)) return;
  const post = (message) => {
    // One short-lived channel a message: an open one would also queue every other thread's posts.
    const channel = new BroadcastChannel(CHANNEL);
    try {
      channel.postMessage(message);
    } catch {
      // A report holding what cannot be cloned: the main thread gets its text at least.
      channel.postMessage(JSON.parse(JSON.stringify(message, (key, value) =>
        (typeof value === 'bigint' ? Number(value) : value))));
    } finally {
      channel.close();
    }
  };
  const plain = ({ report, thrown, place, time }) => ({ report, thrown, place, time });
  // The modules this worker instantiated unguarded belong in the process's list too.
  forwardUnguardedModules((unguarded) => post({ threadId, unguarded }));
  let sessionPosted = false;
  connectThreads({
    forward: (entry) => post({ threadId, entry: plain(entry) }),
    sessionStarted() {
      if (!sessionPosted) post({ threadId, session: true });
      sessionPosted = true;
    },
  }, options);
  process.on('exit', () => {
    if (!sessionPosted) return;
    const { entries, stats } = threadReport();
    post({ threadId, final: { entries: entries.map(plain), stats } });
  });
}

function collect({ BroadcastChannel, receiveMessageOnPort, setEnvironmentData }, options) {
  const threads = new Map();  // threadId -> { entries, stats }, for threads that had a session
  const unguardedInWorkers = [];
  // A thread's messages: `session` once, then an `entry` for each report, then `final`, which
  // holds them all again with their last counts, and the thread's stats.
  const receive = ({ threadId, entry, final, unguarded }) => {
    if (unguarded) {
      unguardedInWorkers.push(unguarded);
      return;
    }
    if (final) {
      threads.set(threadId, final);
      return;
    }
    if (!threads.has(threadId)) threads.set(threadId, { entries: [], stats: {} });
    if (entry) threads.get(threadId).entries.push(entry);
  };
  let channel = null;
  openChannel = () => {
    channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = ({ data }) => receive(data);
    channel.unref();
    setEnvironmentData(COLLECTING, true);
  };
  // What is still queued, read synchronously: at exit no message event runs any more.
  const drain = () => {
    for (let message; channel && (message = receiveMessageOnPort(channel));) receive(message.message);
  };
  connectThreads({
    collect() {
      drain();
      const entries = [];
      const stats = {};
      for (const thread of threads.values()) {
        entries.push(...thread.entries);
        for (const [k, v] of Object.entries(thread.stats)) stats[k] = (stats[k] ?? 0) + v;
      }
      return { entries, stats, sessions: threads.size };
    },
  }, options, () => {
    drain();
    const seen = new Set();
    return [...unguardedModules(), ...unguardedInWorkers].filter(({ module, reason }) => {
      const key = `${module}\n${reason}`;
      return !seen.has(key) && seen.add(key);
    });
  });
}
