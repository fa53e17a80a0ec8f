// Follows every target a page's viewsan runtime can run in, over one browser-level DevTools
// connection: the pages open now and those opened later, their dedicated workers (nested ones
// too), shared and service workers, and out-of-process iframes. Each target gets its own flat
// CDP session. Targets that start after us wait for the debugger (waitForDebuggerOnStart), so the
// caller wires them, binding included, and then they run. Workers wait before their first script;
// Chromium does not hold the first navigation of a new tab, so a tab opened during a run may run
// its first scripts before its binding is in place (the runtime picks the binding up later).

import CDP from 'chrome-remote-interface';
import { BrowserError } from './errors.js';

/** The target types followed; `type` of a TargetSession is one of these. */
export const FOLLOWED_TYPES = Object.freeze(['page', 'iframe', 'worker', 'shared_worker', 'service_worker']);

// Browser-level auto-attach: pages and the workers that do not belong to one page. Dedicated
// workers and iframes are attached through their parent's session instead.
const BROWSER_FILTER = [
  { type: 'page', exclude: false },
  { type: 'shared_worker', exclude: false },
  { type: 'service_worker', exclude: false },
  { exclude: true },
];

const CHILD_FILTER = [
  { type: 'worker', exclude: false },
  { type: 'iframe', exclude: false },
  { exclude: true },
];

// The browser's own pages and extensions (this project's included) are not the app.
const IGNORED_URL = /^(chrome|chrome-extension|chrome-untrusted|devtools):/;

/** One CDP session, bound to one target over the shared connection. */
export class TargetSession {
  #client;
  #listeners = [];

  constructor(client, { sessionId, targetInfo, parent, waitingForDebugger }) {
    this.#client = client;
    this.id = sessionId;
    this.targetId = targetInfo.targetId;
    /** @type {'page'|'iframe'|'worker'|'shared_worker'|'service_worker'} */
    this.type = targetInfo.type;
    /** The target's URL when it was attached; pages update it as they navigate. */
    this.url = targetInfo.url;
    /** A worker's name (`new Worker(url, {name})`), else null. */
    this.name = targetInfo.type.endsWith('worker') && targetInfo.title && targetInfo.title !== targetInfo.url
      ? targetInfo.title : null;
    /** @type {TargetSession|null} the page or worker that started this one */
    this.parent = parent ?? null;
    /** Whether the target started after we attached (it waited for us, as far as it could). */
    this.isNew = Boolean(waitingForDebugger);
  }

  /** A label for messages: the URL, or the type for a blank one. */
  get label() {
    return this.url || this.type;
  }

  send(method, params = {}) {
    return this.#client.send(method, params, this.id);
  }

  /** Subscribes to one of this target's events until `dispose()`. */
  on(event, handler) {
    const name = `${event}.${this.id}`;
    this.#client.on(name, handler);
    this.#listeners.push([name, handler]);
  }

  /** A promise for the target's next `event`. */
  once(event) {
    return new Promise((resolve) => {
      const handler = (params) => {
        this.#client.removeListener(`${event}.${this.id}`, handler);
        resolve(params);
      };
      this.#client.on(`${event}.${this.id}`, handler);
    });
  }

  dispose() {
    for (const [name, handler] of this.#listeners) this.#client.removeListener(name, handler);
    this.#listeners = [];
  }
}

/**
 * Starts following targets. `onTarget(session)` wires a new target (it must not resume it: the
 * follower does that once it returns); a target it throws on is left to run unwired and reported
 * through `onError`. Resolves once the targets that existed at the start are wired.
 * @param {object} client  chrome-remote-interface client connected to the browser endpoint
 * @param {object} handlers
 * @param {(session: TargetSession) => Promise<void>} handlers.onTarget
 * @param {(session: TargetSession) => void} [handlers.onDetached]
 * @param {(error: Error, session: TargetSession) => void} [handlers.onError]
 * @returns {Promise<{sessions: Map<string, TargetSession>}>} sessions by session id, kept current
 */
export async function followTargets(client, { onTarget, onDetached = () => {}, onError = () => {} }) {
  const sessions = new Map();
  const byTarget = new Set();
  const pending = new Set();

  client.on('Target.attachedToTarget', ({ sessionId, targetInfo, waitingForDebugger }, parentSessionId) => {
    const resume = () => client.send('Runtime.runIfWaitingForDebugger', {}, sessionId).catch(() => {});
    // A worker may be offered by two parents; one session per target is enough.
    if (byTarget.has(targetInfo.targetId) || !FOLLOWED_TYPES.includes(targetInfo.type) || IGNORED_URL.test(targetInfo.url)) {
      if (waitingForDebugger) resume();
      client.send('Target.detachFromTarget', { sessionId }).catch(() => {});
      return;
    }
    const session = new TargetSession(client, { sessionId, targetInfo, parent: sessions.get(parentSessionId), waitingForDebugger });
    sessions.set(sessionId, session);
    byTarget.add(session.targetId);
    const setup = (async () => {
      try {
        await onTarget(session);
        // Children of this target, paused like it until they are wired.
        if (session.type !== 'service_worker' && session.type !== 'shared_worker') {
          await session.send('Target.setAutoAttach', {
            autoAttach: true, waitForDebuggerOnStart: true, flatten: true, filter: CHILD_FILTER,
          });
        }
      } catch (error) {
        // A target that closed while being wired is not a failure.
        if (sessions.has(sessionId)) onError(error, session);
      } finally {
        if (waitingForDebugger) await resume();
      }
    })();
    pending.add(setup);
    setup.finally(() => pending.delete(setup));
  });

  client.on('Target.detachedFromTarget', ({ sessionId }) => {
    const session = sessions.get(sessionId);
    if (!session) return;
    sessions.delete(sessionId);
    byTarget.delete(session.targetId);
    session.dispose();
    onDetached(session);
  });

  // The targets open now are announced before this returns; new ones arrive paused.
  try {
    await client.Target.setAutoAttach({
      autoAttach: true, waitForDebuggerOnStart: true, flatten: true, filter: BROWSER_FILTER,
    });
  } catch (error) {
    throw new BrowserError(`cannot follow the browser's targets: ${error.message}`, { cause: error });
  }
  while (pending.size) await Promise.all(pending);
  return { sessions };
}

/** A chrome-remote-interface client on the browser's own endpoint, where every target is reachable. */
export async function connectToBrowser(host, port) {
  const { webSocketDebuggerUrl } = await CDP.Version({ host, port });
  return CDP({ host, port, target: webSocketDebuggerUrl });
}
