// The lines the CLI prints on stderr for each error report as it arrives, as sanitizers print at
// detection: what happened (viewsan's formatter's first line), where it ran when that was not the
// page itself, and the first frames of the faulting stack. The full text is in --report's file
// and in the panel.

import { describeContext } from '../panel/format.js';
import { EventType } from '../panel/viewsan/protocol.js';
import { reportHeadline } from '../panel/viewsan/report-format.js';

const FRAMES_SHOWN = 3;

/** The lines for `report`, which ran in `where` (the model's context info, or null). */
export function liveReportLines(report, where) {
  const suffix = where && where.target !== 'page' ? ` (in ${describeContext(where)})` : '';
  const frames = String(report.stack ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('at '))
    .slice(0, FRAMES_SHOWN)
    .map((line) => `    ${line}`);
  return [`ERROR: ${reportHeadline(report)}${suffix}`, ...frames];
}

/** Prints each error report the model receives from now on with `log`; returns a function that stops. */
export function printReportsAsTheyArrive(model, log) {
  return model.subscribe((change) => {
    if (change.type !== 'events') return;
    for (const event of change.events) {
      if (event.type !== EventType.REPORT || event.report?.severity !== 'error') continue;
      for (const line of liveReportLines(event.report, model.contexts.get(event.context))) log(line);
    }
  });
}
