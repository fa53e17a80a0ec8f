// Source locations in a report's text as links: `at drawMesh (http://app/app.js:44:9)`, and a wasm
// frame named by source, `at drop_pixels (twin.c:9:3)`. In the DevTools extension a click opens
// the location in the Sources panel (chrome.devtools.panels.openResource); standalone, where no
// Sources panel is at hand, it copies `file:line:column` for the editor.

import { h } from './dom.js';

// `(location)` at the end of a frame line, or a bare `at location`; the location ends in
// :line:column, and a wasm frame's `[wasm-function[N]:0x…]` may follow it.
const FRAME = /^(\s*at (?:.*? \()?)([^\s()]+):(\d+):(\d+)(\)?(?: \[[^\]]*\])?)$/;

/** Nodes for `text`, its frames' locations as links; `onCopied(text)` says what was copied. */
export function linkedText(text, onCopied) {
  const nodes = [];
  for (const [index, line] of String(text).split('\n').entries()) {
    if (index > 0) nodes.push('\n');
    const match = FRAME.exec(line);
    if (!match || /^wasm:/.test(match[2])) {
      nodes.push(line);
      continue;
    }
    const [, before, url, lineNumber, column, after] = match;
    const location = `${url}:${lineNumber}:${column}`;
    nodes.push(before, h('a', {
      class: 'source-link',
      href: '#',
      title: openResource() ? 'Open in the Sources panel' : 'Copy file:line:column',
      'data-url': url,
      'data-line': lineNumber,
      'data-column': column,
      onclick: (event) => {
        event.preventDefault();
        open(url, Number(lineNumber), Number(column), location, onCopied);
      },
    }, location), after);
  }
  return nodes;
}

function openResource() {
  return globalThis.chrome?.devtools?.panels?.openResource ?? null;
}

function open(url, line, column, location, onCopied) {
  const openIt = openResource();
  if (openIt) {
    // openResource counts lines from 0, columns too.
    openIt.call(globalThis.chrome.devtools.panels, url, line - 1, column - 1, () => {});
    return;
  }
  globalThis.navigator?.clipboard?.writeText(location).then(() => onCopied?.(location), () => onCopied?.(null));
}
