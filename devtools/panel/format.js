// Text for numbers and sites, shared by the panel views and the CLI summary.

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

export function formatAddress(address) {
  return `0x${address.toString(16).padStart(8, '0')}`;
}

/** `[ptr, ptr+size)` as the sanitizers print regions. */
export function formatRange(ptr, size) {
  return `[${formatAddress(ptr)}, ${formatAddress(ptr + size)})`;
}

/** A `viewsan.sites` entry: `caller → callee (kind, +0xoffset)`. */
export function formatSite(site) {
  if (!site) return 'unknown site';
  const where = site.callee ? `${site.func} → ${site.callee}` : site.func ?? `site ${site.id}`;
  const offset = site.offset == null ? '' : `, +0x${site.offset.toString(16)}`;
  return `${where} (${site.kind}${offset})`;
}

/** A region's tooltip: where it is, who allocated it, and how it ended. */
export function describeRegion(region) {
  const lines = [
    `alloc #${region.allocId} ${formatRange(region.ptr, region.size)}, ${region.size} bytes`,
    `allocated at ${formatSite(region.allocSite)}`,
  ];
  if (region.freeT === null) lines.push('live');
  else lines.push(`${region.endedBy === 'realloc' ? 'moved by realloc' : 'freed'} at ${formatSite(region.freeSite)}`);
  return lines.join('\n');
}

export function formatMs(ms) {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function firstLine(text) {
  return String(text ?? '').split('\n', 1)[0];
}

export function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
