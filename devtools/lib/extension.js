// Writes the Chrome extension as one folder that Chrome loads unpacked: the files of extension/
// plus the panel folder, which the extension's DevTools panel shows as it is (one UI, two homes).

import { cp, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
  await cp(PANEL_DIR, path.join(dir, 'panel'), { recursive: true });
  const { version } = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
  return { dir, version };
}
