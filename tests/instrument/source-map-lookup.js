// Prints the source location a source map gives for each byte offset on the command line, as
// "FILE:LINE:COLUMN" (lines from 1, columns from 0, as Binaryen's ";;@" annotations count them),
// or "-" when the map gives none there. A wasm source map has one generated line, whose columns
// are offsets in the module's file.
//
// usage: node source-map-lookup.js MAP OFFSET...
'use strict';
const fs = require('fs');

const digits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decode(mappings) {
  const segments = [];
  const at = [0, 0, 0, 0, 0];
  for (const line of mappings.split(';')) {
    at[0] = 0;
    for (const text of line.split(',')) {
      if (!text) continue;
      const fields = [];
      let value = 0, shift = 0;
      for (const c of text) {
        const digit = digits.indexOf(c);
        if (digit < 0) throw new Error(`bad VLQ digit '${c}'`);
        value += (digit & 31) * 2 ** shift;
        shift += 5;
        if (!(digit & 32)) {
          fields.push(value % 2 ? -Math.floor(value / 2) : Math.floor(value / 2));
          value = 0;
          shift = 0;
        }
      }
      fields.forEach((delta, i) => { at[i] += delta; });
      segments.push(fields.length >= 4 ? [at[0], at[1], at[2], at[3]] : [at[0]]);
    }
  }
  return segments;
}

const [mapFile, ...offsets] = process.argv.slice(2);
const map = JSON.parse(fs.readFileSync(mapFile, 'utf8'));
const segments = decode(map.mappings);
for (const text of offsets) {
  const offset = Number(text);
  let found = null;
  for (const segment of segments) {
    if (segment[0] <= offset) found = segment;
  }
  console.log(found && found.length === 4
    ? `${map.sources[found[1]]}:${found[2] + 1}:${found[3]}`
    : '-');
}
