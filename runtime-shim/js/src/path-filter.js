// Which files the Vite plugin instruments: `include` and `exclude`, as Vite users know them from
// Rollup's createFilter. Each is a glob, a RegExp, an array of those, or a function of the path.
//   - a glob is matched against the file's path relative to the Vite root, with '/' separators
//     (`src/**/*.wasm`, `public/*.wasm`; a file outside the root starts with '../'); a glob with
//     no '/' matches the file's name in any folder (`*.vs.wasm`), as in .gitignore
//   - a RegExp is tested against the absolute path, with '/' separators
//   - a function is called with the absolute path
// A file is taken when `include` (default: every file) matches it and `exclude` does not.
// Node only: the package's main entry never loads this file.

import path from 'node:path';

/** `**`, `*`, `?`, `[...]` and `{a,b}` of a glob, as a RegExp over a whole '/'-separated path. */
export function globToRegExp(glob) {
  let source = '';
  let braces = 0;
  const text = glob.replace(/^\.\//, '');
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '*' && text[i + 1] === '*') {
      const atStart = i === 0 || text[i - 1] === '/';
      const beforeSlash = text[i + 2] === '/';
      if (atStart && beforeSlash) {
        source += '(?:[^/]*/)*';  // `**/`: any number of folders, none included
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (c === '*') {
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else if (c === '[') {
      const end = text.indexOf(']', i + 2);
      if (end < 0) {
        source += '\\[';
      } else {
        source += `[${text.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '{') {
      braces++;
      source += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      source += ')';
    } else if (c === ',' && braces > 0) {
      source += '|';
    } else {
      source += c.replace(/[.+^$()|\\\]{}]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

const toPosix = (file) => file.split(path.sep).join('/');

function matcher(pattern, root) {
  if (typeof pattern === 'function') return (file) => Boolean(pattern(file));
  if (pattern instanceof RegExp) {
    return (file) => {
      pattern.lastIndex = 0;  // a /g or /y RegExp keeps its place between tests
      return pattern.test(toPosix(file));
    };
  }
  if (typeof pattern === 'string') {
    const regExp = globToRegExp(pattern);
    const byName = !pattern.replace(/^\.\//, '').includes('/');
    return (file) => regExp.test(byName ? path.basename(file) : toPosix(path.relative(root, file)));
  }
  throw new TypeError(`viewsan: include and exclude take globs, RegExps or a function, not ${typeof pattern}`);
}

function anyOf(patterns, root) {
  const matchers = [patterns].flat().map((pattern) => matcher(pattern, root));
  return (file) => matchers.some((matches) => matches(file));
}

/** A predicate over absolute paths: included and not excluded. */
export function createPathFilter({ include, exclude, root }) {
  const included = include == null ? () => true : anyOf(include, root);
  const excluded = exclude == null ? () => false : anyOf(exclude, root);
  return (file) => included(file) && !excluded(file);
}
