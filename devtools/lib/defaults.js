// Every default of viewsan-devtools, in one place; the CLI help prints them from here.

/** Where `attach` looks for a Chrome started with --remote-debugging-port; `launch`'s own Chromium listens here too. */
export const HOST = '127.0.0.1';
export const PORT = 9222;

/** A run ends after this long whatever happens. */
export const TIMEOUT_SECONDS = 30;

/** After the load event, a run ends once no batch has arrived for this long. */
export const IDLE_MS = 1500;

/** Resolved on PATH; Debian installs /usr/bin/chromium. */
export const CHROMIUM = 'chromium';

/** How long Chromium may take to open its DevTools port. */
export const CHROMIUM_STARTUP_MS = 20_000;

/** Headless flags that work in containers and CI; `launch` adds a fresh --user-data-dir. */
export const CHROMIUM_FLAGS = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--remote-debugging-port=0',
]);

/**
 * The panel server listens on loopback only, at the same URL run after run (a bookmark, a tab
 * left open, reconnect to the next run) unless that port is taken: then at a free one.
 */
export const SERVE_HOST = '127.0.0.1';
export const SERVE_PORT = 9231;
