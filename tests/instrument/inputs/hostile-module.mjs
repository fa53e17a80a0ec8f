#!/usr/bin/env node
// Writes modules that reach the paths on which Binaryen 132 ends the process or exhausts
// memory or stack, for binaryen-fatal-paths.test:
//
//   hostile-module.mjs br-table-targets COUNT OUT   a br_table claiming COUNT targets, with 2
//   hostile-module.mjs add-chain DEPTH OUT          an i32.add chain DEPTH deep, dropped
//   hostile-module.mjs zero-custom IN NAME OUT      IN with custom section NAME's contents zeroed

import { readFileSync, writeFileSync } from 'node:fs';

const uleb = (value) => {
  const bytes = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    bytes.push(byte);
  } while (value > 0);
  return bytes;
};
const vec = (bytes) => [...uleb(bytes.length), ...bytes];
const section = (id, bytes) => [id, ...vec(bytes)];
// One function of type () -> () with the given body (no locals), and nothing else.
const moduleWithBody = (code) => Buffer.from([
  0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
  ...section(1, [1, 0x60, 0, 0]),
  ...section(3, [1, 0]),
  ...section(10, [1, ...vec([0, ...code, 0x0b])]),
]);

const [what, ...args] = process.argv.slice(2);
if (what === 'br-table-targets') {
  const [count, out] = args;
  // block, i32.const 0, br_table COUNT 0 0, end
  writeFileSync(out, moduleWithBody([0x02, 0x40, 0x41, 0, 0x0e, ...uleb(Number(count)), 0, 0, 0x0b]));
} else if (what === 'add-chain') {
  const [depth, out] = args;
  // i32.const 1, then DEPTH times (i32.const 1, i32.add): each add's first operand is the last.
  const code = [0x41, 1, ...new Array(Number(depth)).fill([0x41, 1, 0x6a]).flat(), 0x1a];
  writeFileSync(out, moduleWithBody(code));
} else if (what === 'zero-custom') {
  const [input, name, out] = args;
  const bytes = readFileSync(input);
  let at = 8;
  let found = false;
  const readUleb = () => {
    let result = 0, shift = 0, byte;
    do {
      byte = bytes[at++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  };
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = readUleb();
    const end = at + size;
    if (id === 0) {
      const nameLength = readUleb();
      const sectionName = bytes.subarray(at, at + nameLength).toString();
      if (sectionName === name) {
        bytes.fill(0, at + nameLength, end);
        found = true;
      }
    }
    at = end;
  }
  if (!found) throw new Error(`${input} has no custom section ${name}`);
  writeFileSync(out, bytes);
} else {
  console.error('usage: hostile-module.mjs br-table-targets COUNT OUT | add-chain DEPTH OUT | zero-custom IN NAME OUT');
  process.exit(2);
}
