// The few lines the CLI prints on stderr when a run ends.

import { describeContext, firstLine, formatBytes, plural } from '../panel/format.js';
import { reportHeadline } from '../panel/viewsan/report-format.js';

const LISTED_REPORTS = 20;
const LISTED_PAGE_ERRORS = 5;

const ENDINGS = {
  idle: 'the page went idle',
  timeout: 'timed out',
  interrupted: 'interrupted',
};

/** @param {import('./launch.js').RunResult} result */
export function formatSummary({ report, endedBy, loaded, warnings, model }) {
  const { stats, reports, pageErrors } = report;
  const lines = [
    `viewsan-devtools: ${plural(stats.errors, 'error')}, ${plural(stats.warnings, 'warning')}, ` +
      `${plural(pageErrors.length, 'page error')} (${ENDINGS[endedBy]})`,
    `  ${plural(stats.allocs, 'alloc')}, ${plural(stats.frees, 'free')}, ${plural(stats.reallocs, 'realloc')}, ` +
      `${plural(stats.grows, 'grow')}; live ${formatBytes(stats.liveBytes)}, peak ${formatBytes(stats.peakBytes)}, ` +
      `copied out ${formatBytes(stats.copyOutBytes)}`,
  ];
  // Where each error happened, when it was not the page itself (a worker, a frame).
  const entries = model?.reports ?? reports.map((entry) => ({ report: entry, context: null }));
  const errors = entries.filter(({ report: { severity } }) => severity === 'error');
  for (const { report, context } of errors.slice(0, LISTED_REPORTS)) {
    const where = model?.contexts.get(context);
    const suffix = where && where.target !== 'page' ? ` (in ${describeContext(where)})` : '';
    lines.push(`  ${reportHeadline(report)}${suffix}`);
  }
  if (errors.length > LISTED_REPORTS) lines.push(`  … and ${errors.length - LISTED_REPORTS} more errors`);
  for (const pageError of pageErrors.slice(0, LISTED_PAGE_ERRORS)) {
    lines.push(`  page: ${firstLine(pageError.message)}`);
  }
  if (pageErrors.length > LISTED_PAGE_ERRORS) {
    lines.push(`  … and ${pageErrors.length - LISTED_PAGE_ERRORS} more page errors`);
  }
  if (!loaded) lines.push('  warning: no load event was seen');
  for (const warning of warnings) lines.push(`  warning: ${warning}`);
  return lines.join('\n');
}
