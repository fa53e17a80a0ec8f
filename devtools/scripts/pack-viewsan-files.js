#!/usr/bin/env node
// npm pack leaves symbolic links out of a package, and panel/viewsan is one (to the viewsan
// package's sources, runtime-shim/js/src). So around packing, the link makes way for a folder with copies of
// the files the panel imports (lib/viewsan-files.js lists them), and comes back afterwards:
//   pack-viewsan-files.js copy   (prepack)    pack-viewsan-files.js link   (postpack)
// Either step can run again after an interrupted pack. The folder is swapped in by renames, so
// panel/viewsan/protocol.js is there for the other readers of the tree but for an instant.

import { cp, lstat, mkdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PANEL_VIEWSAN_FILES } from '../lib/viewsan-files.js';

const PANEL_DIR = fileURLToPath(new URL('../panel/', import.meta.url));
const LINK = path.join(PANEL_DIR, 'viewsan');
const LINK_TARGET = '../../runtime-shim/js/src';
const PACKAGE_DIR = path.resolve(PANEL_DIR, LINK_TARGET);

const isLink = async (file) => (await lstat(file).catch(() => null))?.isSymbolicLink() ?? false;

async function copyFiles() {
  const copies = `${LINK}.packing`;
  await rm(copies, { recursive: true, force: true });
  await mkdir(copies);
  for (const name of PANEL_VIEWSAN_FILES) await cp(path.join(PACKAGE_DIR, name), path.join(copies, name));
  const aside = `${LINK}.link`;
  if (await isLink(LINK)) await rename(LINK, aside);
  else await rm(LINK, { recursive: true, force: true });
  await rename(copies, LINK);
  await rm(aside, { force: true });
}

async function restoreLink() {
  if (await isLink(LINK) && (await readlink(LINK)) === LINK_TARGET) return;
  const fresh = `${LINK}.link`;
  await rm(fresh, { force: true });
  await symlink(LINK_TARGET, fresh);
  const copies = `${LINK}.packed`;
  await rm(copies, { recursive: true, force: true });
  await rename(LINK, copies).catch((error) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(fresh, LINK);
  await rm(copies, { recursive: true, force: true });
}

const steps = { copy: copyFiles, link: restoreLink };
const step = steps[process.argv[2]];
if (!step) {
  console.error('usage: pack-viewsan-files.js copy|link');
  process.exit(2);
}
await step();
