// The global patches a session's views need, each installed once for the process: the platform
// sinks, the view constructors (patchViews) and, for compat-mode views, the checked methods.

import { installCompatMethods } from './compat-methods.js';
import { installSinks } from './sinks.js';
import { installViewConstructors } from './view-constructors.js';

export function installGuards(session) {
  installSinks();
  if (session.options.patchViews) installViewConstructors();
  if (session.options.mode === 'compat') installCompatMethods();
}
