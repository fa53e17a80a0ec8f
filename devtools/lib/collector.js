// Wires page targets to one model: installs the binding the page runtime sends its batches
// through, folds the batches, and records the pages' own errors beside them.

import { BINDING_NAME } from '../panel/protocol.js';
import { BrowserError } from './errors.js';

export class Collector {
  /** Problems worth a line in the summary that do not fail the run. */
  warnings = [];
  #model;
  #timer;
  #nextContext = 1;

  /**
   * @param {{model: import('../panel/model.js').ViewsanModel, timer: import('./run-timer.js').RunTimer}} options
   */
  constructor({ model, timer }) {
    this.#model = model;
    this.#timer = timer;
  }

  /**
   * Starts collecting from one page target. The binding reaches every JavaScript context the
   * page creates from now on, so call this before navigating to catch the page from its start.
   * @param {object} client a chrome-remote-interface client connected to the target
   * @param {string} label names the target in warnings and failures (its URL)
   */
  async watch(client, label) {
    const { Inspector, Log, Page, Runtime } = client;
    // Session numbers restart in every context, so each context gets a run-wide number.
    const contexts = new Map();
    const contextOf = (executionContextId) => {
      if (!contexts.has(executionContextId)) contexts.set(executionContextId, this.#nextContext++);
      return contexts.get(executionContextId);
    };
    let warnedMalformed = false;

    Runtime.bindingCalled(({ name, payload, executionContextId }) => {
      if (name !== BINDING_NAME) return;
      this.#timer.markActivity();
      const batch = parseBatch(payload);
      if (batch) {
        this.#model.ingest(batch, contextOf(executionContextId));
      } else if (!warnedMalformed) {
        warnedMalformed = true;
        this.warnings.push(`ignored a batch from ${label} that is not a JSON array of events`);
      }
    });
    Runtime.exceptionThrown(({ exceptionDetails }) => {
      this.#model.addPageError(exceptionToPageError(exceptionDetails, contextOf));
    });
    Runtime.consoleAPICalled((call) => {
      if (call.type === 'error') this.#model.addPageError(consoleErrorToPageError(call, contextOf));
    });
    // Browser-side errors: a failed fetch of the module or of viewsan-shim.wasm shows up here.
    // The favicon is the browser's own request, and its 404 says nothing about the page.
    Log.entryAdded(({ entry }) => {
      if (entry.level === 'error' && !isFaviconRequest(entry.url)) {
        this.#model.addPageError({ type: 'log', source: entry.source, message: entry.text, url: entry.url ?? null });
      }
    });
    Page.loadEventFired(() => this.#timer.markLoaded());
    Inspector.targetCrashed(() => this.#timer.fail(new BrowserError(`the page crashed: ${label}`)));
    client.on('disconnect', () => this.#timer.fail(new BrowserError(`lost the DevTools connection to ${label}`)));

    await Runtime.addBinding({ name: BINDING_NAME });
    await Promise.all([Runtime.enable(), Page.enable(), Log.enable()]);
  }
}

function isFaviconRequest(url) {
  return URL.canParse(url) && new URL(url).pathname === '/favicon.ico';
}

function parseBatch(payload) {
  try {
    const batch = JSON.parse(payload);
    return Array.isArray(batch) ? batch : null;
  } catch {
    return null;
  }
}

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
