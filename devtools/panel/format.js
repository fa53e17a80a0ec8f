// Text for numbers, regions and contexts, shared by the panel views and the CLI summary. Sites and
// reports read as the runtime prints them: viewsan's one formatter (report-format.js).

import { siteLabel } from './viewsan/report-format.js';

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB'];

export function formatBytes(bytes) {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${BYTE_UNITS[unit]}`;
}

/** An address; '—' for none (a report on a view whose construction failed on an offset given
 *  as an object has `view.byteOffset` null). */
export function formatAddress(address) {
  return address == null ? '—' : `0x${address.toString(16).padStart(8, '0')}`;
}

/** `[ptr, ptr+size)` as the sanitizers print regions. */
export function formatRange(ptr, size) {
  return `[${formatAddress(ptr)}, ${formatAddress(ptr + size)})`;
}

/** A region's tooltip: where it is, who allocated it, and how it ended. */
export function describeRegion(region) {
  const lines = [
    `alloc #${region.allocId} ${formatRange(region.ptr, region.size)}, ${region.size} bytes`,
    `allocated by ${siteLabel(region.allocSite)}`,
  ];
  if (region.freeT === null) lines.push('live');
  else lines.push(`${region.endedBy === 'realloc' ? 'moved by realloc' : 'freed'} by ${siteLabel(region.freeSite)}`);
  return lines.join('\n');
}

/** `resolution`: the smallest difference the text must show (a zoomed axis' tick step), in ms. */
export function formatMs(ms, resolution = 1) {
  const digits = Math.min(6, Math.max(0, -Math.floor(Math.log10(resolution))));
  if (ms < 1000) return `${ms.toFixed(digits)} ms`;
  return `${(ms / 1000).toFixed(Math.max(ms < 10_000 ? 2 : 1, digits + 3 * (digits > 0)))} s`;
}

export function firstLine(text) {
  return String(text ?? '').split('\n', 1)[0];
}

export function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

const TARGET_LABELS = {
  page: 'page',
  iframe: 'iframe',
  worker: 'worker',
  shared_worker: 'shared worker',
  service_worker: 'service worker',
};

/** Where a context ran: `worker heap-worker`, `page /app/index.html`. */
export function describeContext(info) {
  if (!info) return null;
  const what = TARGET_LABELS[info.target] ?? info.target ?? 'context';
  if (info.name) return `${what} ${info.name}`;
  if (!info.url) return what;
  const path = URL.canParse(info.url) ? new URL(info.url).pathname : info.url;
  // A page by its path; a worker's script by its file name, the page already says where.
  return `${what} ${info.target === 'page' ? path : path.split('/').filter(Boolean).at(-1) ?? path}`;
}

/** A session in menus and captions: `worker heap-worker · session 1`, or `context 2 · session 1`. */
export function describeSession(session, contexts) {
  const where = describeContext(contexts.get(session.context)) ?? `context ${session.context}`;
  return `${where} · session ${session.session}`;
}

/** A non-negative integer address as a user types it: 0x hex, or decimal; null when `text` is not one. */
export function parseAddress(text) {
  const trimmed = text.trim().replaceAll('_', '');
  if (/^0x[0-9a-f]+$/i.test(trimmed)) return Number.parseInt(trimmed.slice(2), 16);
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  return null;
}
