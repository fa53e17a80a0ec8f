// Reads the runtime's batches, for the CLI and for the panel's extension feed: contract 4's
// `{v, events}`, and the bare arrays of runtimes from before protocol versions (the same events as
// version 1). A batch of a newer version is skipped, not guessed at: its events may mean what this
// viewsan-devtools would misread. The reader says so once, and counts what it skipped.

import { decodeBatch, PROTOCOL_VERSION } from './viewsan/protocol.js';

export class BatchReader {
  /** Batches skipped because their protocol version is newer than this reader's. */
  skipped = 0;
  #onNewerVersion;

  /** @param {(message: string) => void} onNewerVersion  called at the first batch skipped */
  constructor(onNewerVersion) {
    this.#onNewerVersion = onNewerVersion;
  }

  /**
   * @param {string} text  one batch as the runtime sent it
   * @returns {object[]|null} its events (none for a skipped batch); null for text that is no batch
   */
  read(text) {
    const batch = typeof text === 'string' ? decodeBatch(text) : null;
    if (batch === null) return null;
    if (batch.events !== null) return batch.events;
    if (this.skipped++ === 0) this.#onNewerVersion(newerVersionMessage(batch.version));
    return [];
  }
}

function newerVersionMessage(version) {
  return `skipped events of a newer viewsan runtime: it sends event-stream version ${version}, and this ` +
    `viewsan-devtools reads version ${PROTOCOL_VERSION} (update viewsan-devtools to the page's viewsan version)`;
}
