// The standalone panel in a tab, showing a report file: how the browser suites open it, and the
// report file most of them show.

import { fileURLToPath } from 'node:url';
import { ViewsanModel } from '../../../devtools/lib/index.js';
import { startStaticServer } from '../../../devtools/lib/static-server.js';
import { busyBatch, useAfterFreeBatch } from '../fixtures/events.js';

export const PANEL_DIR = fileURLToPath(new URL('../../../devtools/panel/', import.meta.url));

/** A report file of two contexts (a page and a worker): three reports, views, a page error. */
export function fixtureReport() {
  const model = new ViewsanModel();
  model.ingest(busyBatch(), 1);
  model.ingest(useAfterFreeBatch(), 2);
  model.addContext({ context: 1, target: 'page', url: 'http://app/app/index.html' });
  model.addContext({ context: 2, target: 'worker', url: 'http://app/app/decoder.js', name: 'decoder' });
  model.addPageError({
    type: 'exception', message: 'Uncaught ViewSanError: use-after-free on Float32Array view', url: 'http://app/app.js',
    line: 44, column: 9, stack: '    at drawMesh (http://app/app.js:44:9)', context: 2,
  });
  return model.toJSON();
}

/**
 * Opens `report` (a report file's JSON) in the panel served beside it (?report=URL), runs
 * `use(page)`, then closes both.
 */
export async function withReportOpen(browser, report, use, pageOptions = {}) {
  const server = await startStaticServer({
    files: { '/report.json': JSON.stringify(report) },
    mounts: { '/panel/': PANEL_DIR },
  });
  const page = await browser.open(server.url('/panel/index.html?report=/report.json'), pageOptions);
  // The tab in front, where keys and the pointer go (earlier tests' tabs may still be open).
  await page.client.Page.bringToFront();
  try {
    return await use(page);
  } finally {
    await page.close();
    await server.close();
  }
}
