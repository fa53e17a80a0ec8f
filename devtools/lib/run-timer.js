// Decides when a collection run ends. Before the load event a page may still be fetching and
// compiling its module, so only the timeout applies; after it, a quiet page is a finished page:
// no batch for the idle time, and no request of its pages or workers in flight (a worker that
// fetches its module after the load event keeps the run going).

export class RunTimer {
  /** Resolves with why the run ended: 'timeout', 'idle' or 'interrupted'; rejects with a failure. */
  done;
  #idleMs;
  #loaded = false;
  #ended = false;
  #idleTimer = null;
  #inFlight = 0;
  #timeoutTimer;
  #signal;
  #resolve;
  #reject;
  #onAbort = () => this.#end('interrupted');

  constructor({ timeoutMs, idleMs, signal }) {
    this.#idleMs = idleMs;
    this.#signal = signal;
    this.done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // A failure may come while the caller still awaits setup; it sees it when it awaits `done`.
    this.done.catch(() => {});
    this.#timeoutTimer = setTimeout(() => this.#end('timeout'), timeoutMs);
    if (signal?.aborted) this.#end('interrupted');
    else signal?.addEventListener('abort', this.#onAbort);
  }

  get loaded() {
    return this.#loaded;
  }

  /** A page finished loading: from now on, silence ends the run. */
  markLoaded() {
    this.#loaded = true;
    this.#armIdle();
  }

  /** A batch arrived, or a target started. */
  markActivity() {
    if (this.#loaded) this.#armIdle();
  }

  /** A request started: the run is not idle until it ends. */
  requestStarted() {
    this.#inFlight++;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
  }

  requestEnded() {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    this.markActivity();
  }

  /** Stops the clocks of a run its caller abandoned. */
  cancel() {
    this.#end('interrupted');
  }

  fail(error) {
    if (this.#stop()) this.#reject(error);
  }

  #end(reason) {
    if (this.#stop()) this.#resolve(reason);
  }

  // Returns false when the run had already ended.
  #stop() {
    if (this.#ended) return false;
    this.#ended = true;
    clearTimeout(this.#timeoutTimer);
    clearTimeout(this.#idleTimer);
    this.#signal?.removeEventListener('abort', this.#onAbort);
    return true;
  }

  #armIdle() {
    if (this.#ended || this.#inFlight > 0) return;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => this.#end('idle'), this.#idleMs);
  }
}
