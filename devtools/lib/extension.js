// Writes the Chrome extension as one folder that Chrome loads unpacked: the files of extension/
// plus the panel folder, which the extension's DevTools panel shows as it is (one UI, two homes).
// The panel's viewsan/ folder is a link to the viewsan package in the repository: the extension
// gets copies of the listed files it imports, not the link.

import { cp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PANEL_VIEWSAN_DIR, PANEL_VIEWSAN_FILES } from './viewsan-files.js';

const EXTENSION_DIR = fileURLToPath(new URL('../extension/', import.meta.url));
const PANEL_DIR = fileURLToPath(new URL('../panel/', import.meta.url));

/**
 * @param {string} outDir  created if missing; files already there are overwritten
 * @returns {Promise<{dir: string, version: string}>} the folder and the extension's version
 */
export async function writeExtension(outDir) {
  const dir = path.resolve(outDir);
  await mkdir(dir, { recursive: true });
  for (const name of await readdir(EXTENSION_DIR)) await cp(path.join(EXTENSION_DIR, name), path.join(dir, name), { recursive: true });
  const panelViewsanDir = path.resolve(PANEL_VIEWSAN_DIR);
  await cp(PANEL_DIR, path.join(dir, 'panel'), {
    recursive: true,
    filter: (source) => path.resolve(source) !== panelViewsanDir,
  });
  const viewsanDir = path.join(dir, 'panel', 'viewsan');
  // A folder written before may hold a link, or files no longer on the list.
  await rm(viewsanDir, { recursive: true, force: true });
  await mkdir(viewsanDir);
  for (const name of PANEL_VIEWSAN_FILES) await cp(path.join(PANEL_VIEWSAN_DIR, name), path.join(viewsanDir, name), { dereference: true });
  const { version } = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
  return { dir, version };
}
