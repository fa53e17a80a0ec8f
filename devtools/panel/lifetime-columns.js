// Allocation lifetimes bucketed into the pixel columns of a time window, as the timeline draws
// them: how many are live in each column, and how many bytes. However many allocations there
// are, the result is one number a column. Pure, so it is tested in Node.

/** Whether the lifetime [allocT, freeT) (freeT null: still live) meets the window [from, to]. */
export function meetsWindow(region, { from, to }) {
  return region.allocT <= to && (region.freeT === null || region.freeT >= from);
}

// The column a time falls in, times outside the window clamped to its ends (the one past the last
// column stands for "after the window").
function columnOf({ from, span }, columns) {
  return (t) => Math.min(columns, Math.max(0, Math.floor(((t - from) / span) * columns)));
}

/** The bytes of `regions` live at time `t`. */
export function liveBytesAt(regions, t) {
  let bytes = 0;
  for (const region of regions) {
    if (region.allocT <= t && (region.freeT === null || region.freeT > t)) bytes += region.size;
  }
  return bytes;
}

const columnCount = (width) => Math.max(1, Math.floor(width));

/** How many of `regions` are live in each of the `width` columns of `window`, and the most in any. */
export function liveCountPerColumn(regions, window, width) {
  const columns = columnCount(width);
  const column = columnOf(window, columns);
  const deltas = new Int32Array(columns + 1);
  for (const region of regions) {
    if (!meetsWindow(region, window)) continue;
    const start = Math.min(columns - 1, column(region.allocT));  // made at the very end: the last column
    deltas[start]++;
    deltas[Math.max(start + 1, region.freeT === null ? columns : column(region.freeT))]--;
  }
  const counts = new Int32Array(columns);
  let live = 0;
  let peak = 0;
  for (let i = 0; i < columns; i++) {
    live += deltas[i];
    counts[i] = live;
    peak = Math.max(peak, live);
  }
  return { counts, peak };
}

/**
 * Live bytes per column: `levels`, the bytes live at each column's end, and `peaks`, the most
 * within it (an allocation and its free within one column still show); `highest`, the largest
 * peak (at least 1). Allocations made before the window count from its first column, without a
 * peak there.
 */
export function liveBytesPerColumn(regions, window, width) {
  const columns = columnCount(width);
  const column = columnOf(window, columns);
  const deltas = new Float64Array(columns + 1);
  const peaks = new Float64Array(columns + 1);
  for (const region of regions) {
    if (!meetsWindow(region, window)) continue;
    const start = column(region.allocT);
    deltas[start] += region.size;
    if (region.allocT >= window.from) peaks[start] = Math.max(peaks[start], region.size);
    if (region.freeT !== null) deltas[column(region.freeT)] -= region.size;
  }
  let level = 0;
  let highest = 1;
  const levels = new Float64Array(columns + 1);
  for (let i = 0; i <= columns; i++) {
    const before = level;
    level += deltas[i];
    levels[i] = level;
    peaks[i] = Math.max(level, before + peaks[i]);
    highest = Math.max(highest, peaks[i]);
  }
  return { columns, levels, peaks, highest };
}
