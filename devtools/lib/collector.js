// Wires targets (pages, workers) to one model: installs the binding the page runtime sends its
// batches through, folds the batches, records the pages' own errors beside them, and tells the
// run timer about batches and requests in flight.

import { BatchReader } from '../panel/batch-reader.js';
import { BINDING_NAME } from '../panel/viewsan/protocol.js';
import { BrowserError } from './errors.js';

const FINISHED_REMEMBERED = 10_000;

export class Collector {
  /** Problems worth a line in the summary that do not fail the run. */
  warnings = [];
  /** Calls of the binding received: none means that the viewsan runtime never ran on the pages. */
  batches = 0;
  /** Reads every target's batches; a run with batches of a newer protocol version has not been read whole. */
  reader = new BatchReader((message) => this.warnings.push(message));
  #model;
  #timer;
  #nextContext = 1;
  /** Requests in flight, by id, with the target that started them. */
  #requests = new Map();
  #finished = new Set();

  /**
   * @param {{model: import('../panel/model.js').ViewsanModel, timer: import('./run-timer.js').RunTimer}} options
   */
  constructor({ model, timer }) {
    this.#model = model;
    this.#timer = timer;
  }

  /**
   * Starts collecting from one target: a page, a worker or an iframe. The binding reaches every
   * JavaScript context the target creates from now on (and those it has), so call this before
   * the target runs its first script: before navigating, or while it waits for the debugger.
   * @param {import('./targets.js').TargetSession} target
   */
  async watch(target) {
    // Session numbers restart in every context, so each context gets a run-wide number, and
    // the model learns where it ran: which target, at which URL.
    const contexts = new Map();
    const contextOf = (executionContextId) => {
      let context = contexts.get(executionContextId);
      if (context === undefined) {
        context = this.#nextContext++;
        contexts.set(executionContextId, context);
        this.#model.addContext({ context, target: target.type, url: target.url || null, name: target.name });
      }
      return context;
    };
    let warnedMalformed = false;

    target.on('Runtime.bindingCalled', ({ name, payload, executionContextId }) => {
      if (name !== BINDING_NAME) return;
      this.batches++;
      this.#timer.markActivity();
      const events = this.reader.read(payload);
      if (events) {
        this.#model.ingest(events, contextOf(executionContextId));
      } else if (!warnedMalformed) {
        warnedMalformed = true;
        this.warnings.push(`ignored a batch from ${target.label} that is not a batch of viewsan events`);
      }
    });
    // A violation arrives as a report through the binding; the runtime also prints it (console
    // error), or throws it (an uncaught ViewSanError): those are the same violation, not another.
    target.on('Runtime.exceptionThrown', ({ exceptionDetails }) => {
      const error = exceptionToPageError(exceptionDetails, contextOf);
      if (!isViewsanReport(error.message)) this.#model.addPageError(error);
    });
    target.on('Runtime.consoleAPICalled', (call) => {
      if (call.type !== 'error') return;
      const error = consoleErrorToPageError(call, contextOf);
      if (!isViewsanReport(error.message)) this.#model.addPageError(error);
    });
    // Browser-side errors: a failed fetch of the module or of viewsan-shim.wasm shows up here.
    // The favicon is the browser's own request, and its 404 says nothing about the page. A
    // worker's console messages are echoed to its parent's log: the worker's session has them.
    target.on('Log.entryAdded', ({ entry }) => {
      if (entry.level === 'error' && entry.source !== 'worker' && !isFaviconRequest(entry.url)) {
        this.#model.addPageError({ type: 'log', source: entry.source, message: entry.text, url: entry.url ?? null });
      }
    });

    // Requests in flight keep the run from going idle: the module, the shim, a worker's scripts.
    // A worker's script is requested in its parent's session and finishes in the worker's, so
    // requests are kept across targets. Streams that stay open (EventSource, WebSocket) are not
    // waited for.
    target.on('Network.requestWillBeSent', ({ requestId, type }) => {
      if (type === 'EventSource' || type === 'WebSocket' || this.#requests.has(requestId) || this.#finished.has(requestId)) return;
      this.#requests.set(requestId, target);
      this.#timer.requestStarted();
    });
    const ended = ({ requestId }) => this.#endRequest(requestId);
    target.on('Network.loadingFinished', ended);
    target.on('Network.loadingFailed', ended);

    this.#timer.markActivity();
    await target.send('Runtime.addBinding', { name: BINDING_NAME });
    const enabled = [target.send('Runtime.enable'), target.send('Network.enable').catch(() => {})];
    if (target.type === 'page' || target.type === 'iframe') {
      target.on('Page.frameNavigated', ({ frame }) => {
        if (!frame.parentId) target.url = frame.url;
      });
      if (target.type === 'page') target.on('Page.loadEventFired', () => this.#timer.markLoaded());
      target.on('Inspector.targetCrashed', () => this.#timer.fail(new BrowserError(`the page crashed: ${target.label}`)));
      enabled.push(target.send('Page.enable'), target.send('Log.enable'));
      // A tab opened during the run may have loaded while being wired: its load event is gone.
      if (target.type === 'page' && target.isNew) {
        enabled.push(target.send('Runtime.evaluate', { expression: 'document.readyState', returnByValue: true })
          .then(({ result }) => result.value === 'complete' && this.#timer.markLoaded()));
      }
    } else {
      // Workers have a Log domain in current Chromium; a browser without one is no failure.
      enabled.push(target.send('Log.enable').catch(() => {}));
    }
    await Promise.all(enabled);
  }

  /** A target went away: its requests will not finish. */
  unwatch(target) {
    for (const [requestId, owner] of this.#requests) {
      if (owner === target) this.#endRequest(requestId);
    }
  }

  #endRequest(requestId) {
    // Sessions report in their own order: a request may end in one before it starts in another.
    if (this.#finished.size >= FINISHED_REMEMBERED) this.#finished.clear();
    this.#finished.add(requestId);
    if (this.#requests.delete(requestId)) this.#timer.requestEnded();
  }
}

function isFaviconRequest(url) {
  return URL.canParse(url) && new URL(url).pathname === '/favicon.ico';
}

// The head of every report's text (contract 3's one formatter), printed or thrown.
const isViewsanReport = (message) => /(^|ViewSanError: )ERROR: viewsan: /.test(message);

function exceptionToPageError(details, contextOf) {
  const { exception, text, url, lineNumber, columnNumber, stackTrace, executionContextId } = details;
  // V8 describes an Error as "Name: message\n    at …": the head is the message, the rest its stack.
  const description = exception?.description ?? (exception && 'value' in exception ? String(exception.value) : '');
  const [head, ...frames] = description.split('\n    at ');
  return {
    type: 'exception',
    message: head ? `${text} ${head}` : text,
    url: url ?? null,
    line: lineNumber + 1,
    column: columnNumber + 1,
    stack: frames.length ? frames.map((frame) => `    at ${frame}`).join('\n') : formatStackTrace(stackTrace),
    context: executionContextId ? contextOf(executionContextId) : null,
  };
}

function consoleErrorToPageError({ args, stackTrace, executionContextId }, contextOf) {
  const top = stackTrace?.callFrames[0];
  return {
    type: 'console',
    message: args.map(formatRemoteObject).join(' '),
    url: top?.url ?? null,
    line: top ? top.lineNumber + 1 : null,
    column: top ? top.columnNumber + 1 : null,
    stack: formatStackTrace(stackTrace),
    context: contextOf(executionContextId),
  };
}

function formatRemoteObject(object) {
  if ('value' in object) return typeof object.value === 'string' ? object.value : JSON.stringify(object.value);
  return object.unserializableValue ?? object.description ?? object.type;
}

function formatStackTrace(stackTrace) {
  if (!stackTrace) return '';
  return stackTrace.callFrames
    .map(({ functionName, url, lineNumber, columnNumber }) =>
      `    at ${functionName || '<anonymous>'} (${url}:${lineNumber + 1}:${columnNumber + 1})`)
    .join('\n');
}
