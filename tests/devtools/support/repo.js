// The repository and its build tree, for tests that serve real pages, the viewsan runtime and
// built modules the way `viewsan-devtools launch --root` does.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** The build tree CTest runs from (VIEWSAN_BUILD_DIR), else ./build. */
export const BUILD = process.env.VIEWSAN_BUILD_DIR || path.join(REPO, 'build');

/** Skips a test whose built inputs are missing, naming them. */
export function builtOrSkip(t, ...relativePaths) {
  const missing = relativePaths.filter((file) => !existsSync(path.join(BUILD, file)));
  if (missing.length) t.skip(`not built: ${missing.join(', ')} (build the project first)`);
  return missing.length === 0;
}
