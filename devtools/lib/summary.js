// The few lines the CLI prints on stderr when a run ends (each error was printed as it arrived).

import { firstLine, formatBytes, plural } from '../panel/format.js';

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
  // Each error was printed as it arrived (live-reports.js); here, how many places made them.
  const places = reports.filter(({ severity }) => severity === 'error').length;
  if (places > 0 && places !== stats.errors) lines.push(`  the ${plural(stats.errors, 'error')} were made at ${plural(places, 'place')}`);
  for (const pageError of pageErrors.slice(0, LISTED_PAGE_ERRORS)) {
    lines.push(`  page: ${firstLine(pageError.message)}`);
  }
  if (pageErrors.length > LISTED_PAGE_ERRORS) {
    lines.push(`  … and ${pageErrors.length - LISTED_PAGE_ERRORS} more page errors`);
  }
  const lost = model?.lostEvents ?? 0;
  if (lost > 0) {
    lines.push(`  warning: ${plural(lost, 'allocator event')} could not be streamed (the runtime's event ring overflowed): ` +
      'the counts above and the charts miss them');
  }
  if (!loaded) lines.push('  warning: no load event was seen');
  for (const warning of warnings) lines.push(`  warning: ${warning}`);
  return lines.join('\n');
}
