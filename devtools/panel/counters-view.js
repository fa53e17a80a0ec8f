// The run at a glance: one tile per stat, errors first.

import { h, setContent } from './dom.js';
import { formatBytes } from './format.js';

const TILES = [
  { label: 'Errors', value: (stats) => stats.errors, alert: 'error' },
  { label: 'Warnings', value: (stats) => stats.warnings, alert: 'warning' },
  { label: 'Page errors', value: (stats, pageErrors) => pageErrors, alert: 'error' },
  { label: 'Allocs', value: (stats) => stats.allocs },
  { label: 'Frees', value: (stats) => stats.frees },
  { label: 'Reallocs', value: (stats) => stats.reallocs },
  { label: 'Grows', value: (stats) => stats.grows },
  { label: 'Live', value: (stats) => stats.liveBytes, bytes: true },
  { label: 'Peak', value: (stats) => stats.peakBytes, bytes: true },
  { label: 'Copied out', value: (stats) => stats.copyOutBytes, bytes: true },
  // Only when the runtime could not stream some allocator events: the other tiles miss them.
  { label: 'Lost events', value: (stats, pageErrors, lostEvents) => lostEvents, alert: 'warning', onlyIfAny: true },
];

export class CountersView {
  #shown = null;

  constructor(element) {
    this.element = element;
  }

  render(stats, pageErrorCount, lostEvents = 0) {
    const shown = `${JSON.stringify(stats)}/${pageErrorCount}/${lostEvents}`;
    if (shown === this.#shown) return;
    this.#shown = shown;
    setContent(this.element, TILES.map(({ label, value, alert, bytes, onlyIfAny }) => {
      const count = value(stats, pageErrorCount, lostEvents);
      if (onlyIfAny && count === 0) return null;
      return h('div', { class: `counter${alert && count > 0 ? ` counter-${alert}` : ''}`, 'data-counter': label },
        h('span', { class: 'counter-value' }, bytes ? formatBytes(count) : count.toLocaleString('en-US')),
        h('span', { class: 'counter-label' }, label));
    }));
  }
}
