// The standalone panel in a tab, showing a report file: how the browser suites open it.

import { fileURLToPath } from 'node:url';
import { startStaticServer } from '../../../devtools/lib/static-server.js';

export const PANEL_DIR = fileURLToPath(new URL('../../../devtools/panel/', import.meta.url));

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
  try {
    return await use(page);
  } finally {
    await page.close();
    await server.close();
  }
}
