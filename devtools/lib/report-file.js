// The --report file is written whole or not at all: CI may read it the moment the CLI exits.

import { rename, rm, writeFile } from 'node:fs/promises';

export async function writeReportFile(file, report) {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, `${formatReport(report)}\n`);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * The report as JSON people read too: indented, except that each event (a run may hold hundreds
 * of thousands; indenting them made a 50,000-allocation report 48 MB) takes one line.
 */
export function formatReport(report) {
  const { events, ...rest } = report;
  const head = JSON.stringify(rest, null, 2);
  if (!Array.isArray(events) || head === '{}') return JSON.stringify(report, null, 2);
  const lines = events.map((event) => `    ${JSON.stringify(event)}`).join(',\n');
  return `${head.slice(0, -2)},\n  "events": [${events.length ? `\n${lines}\n  ` : ''}]\n}`;
}
