// The text of a report file (the CLI's --report, the panel's export): JSON people read too,
// indented, except that each event (a run may hold hundreds of thousands; indenting them made a
// 50,000-allocation report 48 MB) takes one line. Browser-safe: the panel exports with it.

export function reportFileText(report) {
  const { events, ...rest } = report;
  const head = JSON.stringify(rest, null, 2);
  if (!Array.isArray(events) || head === '{}') return `${JSON.stringify(report, null, 2)}\n`;
  const lines = events.map((event) => `    ${JSON.stringify(event)}`).join(',\n');
  return `${head.slice(0, -2)},\n  "events": [${events.length ? `\n${lines}\n  ` : ''}]\n}\n`;
}
