// The --report file is written whole or not at all: CI may read it the moment the CLI exits.

import { rename, rm, writeFile } from 'node:fs/promises';

import { reportFileText } from '../panel/report-file-text.js';

export async function writeReportFile(file, report) {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, reportFileText(report));
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
