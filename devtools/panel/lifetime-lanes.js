// The timeline's lanes: allocation lifetimes packed first fit, in allocation order (the order a
// session's region map keeps, which is by start time), each into the first lane free at its
// start. A live lifetime shares its lane with nothing after it. Past `maxLanes`, the rest are
// left over (the timeline draws their density). Pure, so it is tested in Node.

/** @returns {{lanes: object[][], overflow: object[]}} lanes of regions in start order, and the rest */
export function packLanes(regions, maxLanes) {
  const lanes = [];
  const laneEnds = [];
  const overflow = [];
  for (const region of regions) {
    const end = region.freeT ?? Infinity;
    const lane = laneEnds.findIndex((laneEnd) => laneEnd <= region.allocT);
    if (lane !== -1) {
      lanes[lane].push(region);
      laneEnds[lane] = end;
    } else if (lanes.length < maxLanes) {
      lanes.push([region]);
      laneEnds.push(end);
    } else {
      overflow.push(region);
    }
  }
  return { lanes, overflow };
}

/**
 * The region of `lane` whose lifetime meets [from, to], a live one running to `endT`: the lane's
 * regions are in start order and do not overlap, so a binary search finds it.
 */
export function regionAt(lane, from, to, endT) {
  let low = 0;
  let high = lane.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (lane[middle].allocT <= to) low = middle + 1;
    else high = middle;
  }
  const candidate = lane[low - 1];
  return candidate && (candidate.freeT ?? endT) >= from ? candidate : null;
}
