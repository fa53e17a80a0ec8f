// Headless Chromium for tests that look at a page: open, wait for the DOM, click, screenshot.

import CDP from 'chrome-remote-interface';
import { writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { startChromium } from '../../../devtools/lib/index.js';
import { CHROMIUM } from './cli.js';

export async function startBrowser() {
  const chromium = await startChromium({ executable: CHROMIUM });
  return {
    /**
     * Opens `url` in a new tab of the given size and waits for its load event. `init` is a
     * script that runs in the page before any of its own.
     */
    async open(url, { width = 1280, height = 900, init } = {}) {
      const target = await CDP.New({ host: '127.0.0.1', port: chromium.port });
      const client = await CDP({ host: '127.0.0.1', port: chromium.port, target });
      const metrics = { width, height, deviceScaleFactor: 1, mobile: false };
      await client.Emulation.setDeviceMetricsOverride(metrics);
      await client.Page.enable();
      if (init) await client.Page.addScriptToEvaluateOnNewDocument({ source: init });
      const loaded = client.Page.loadEventFired();
      await client.Page.navigate({ url });
      await loaded;
      return new PageDriver(client, metrics);
    },
    close: () => chromium.close(),
  };
}

class PageDriver {
  constructor(client, metrics) {
    this.client = client;
    this.metrics = metrics;
  }

  /** The value of a JavaScript expression in the page (awaited if it is a promise). */
  async evaluate(expression) {
    const { result, exceptionDetails } = await this.client.Runtime.evaluate({
      expression, returnByValue: true, awaitPromise: true,
    });
    if (exceptionDetails) throw new Error(`${expression}: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value;
  }

  /** Polls until `expression` is truthy, and returns its value. */
  async waitFor(expression, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await this.evaluate(expression);
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
      await delay(25);
    }
  }

  /** The whole page: the viewport grows to the page's height first, so the layout stays as is. */
  async screenshot(file) {
    const { cssContentSize } = await this.client.Page.getLayoutMetrics();
    await this.client.Emulation.setDeviceMetricsOverride({
      ...this.metrics, height: Math.ceil(cssContentSize.height),
    });
    await this.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    const { data } = await this.client.Page.captureScreenshot({ format: 'png' });
    await writeFile(file, Buffer.from(data, 'base64'));
  }

  close() {
    return this.client.close();
  }
}
