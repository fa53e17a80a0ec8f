// The part of an axis a chart shows: a window [from, to) inside the extent of its data (time for
// the timeline, addresses for the memory map). Unzoomed, the window is the whole extent and
// follows it as a stream extends it; once zoomed or panned it stays where the user put it,
// clamped into the extent. Pure, so it is tested in Node.

const KEY_ZOOM_FACTOR = 0.5;
const WHEEL_ZOOM_RATE = 0.002;   // per pixel of wheel: a notch (about 100 px) zooms by 1.2
const LINE_PIXELS = 16;          // a wheel that counts in lines (WheelEvent.DOM_DELTA_LINE, 1)

export class ZoomWindow {
  #extent = { from: 0, to: 1 };
  #window = null;  // null: the whole extent
  #minSpan;

  /** @param {number} minSpan  the narrowest window, in the axis' units */
  constructor(minSpan) {
    this.#minSpan = minSpan;
  }

  /** The data's range; a zoomed window is kept inside it. */
  setExtent(from, to) {
    this.#extent = { from, to: Math.max(to, from + this.#minSpan) };
    if (this.#window) this.#set(this.#window.from, this.#window.to);
  }

  get extent() {
    return this.#extent;
  }

  get zoomed() {
    return this.#window !== null;
  }

  get from() {
    return (this.#window ?? this.#extent).from;
  }

  get to() {
    return (this.#window ?? this.#extent).to;
  }

  get span() {
    return this.to - this.from;
  }

  /** Scales the window by `factor` (below 1 zooms in) keeping `pivot` where it is on screen. */
  zoom(factor, pivot = (this.from + this.to) / 2) {
    const { from, to } = this;
    const span = Math.max(this.#minSpan, (to - from) * factor);
    const share = to > from ? (pivot - from) / (to - from) : 0.5;
    this.#set(pivot - share * span, pivot - share * span + span);
  }

  /** Moves the window by `delta`, stopping at the extent's ends. */
  pan(delta) {
    if (!this.#window) return;
    const { from, to } = this;
    const shift = Math.min(Math.max(delta, this.#extent.from - from), this.#extent.to - to);
    this.#window = { from: from + shift, to: to + shift };
  }

  /** Shows [from, to), widened to the narrowest window around its middle if need be. */
  show(from, to) {
    const middle = (from + to) / 2;
    const span = Math.max(this.#minSpan, to - from);
    this.#set(middle - span / 2, middle + span / 2);
  }

  /** Back to the whole extent. */
  reset() {
    this.#window = null;
  }

  #set(from, to) {
    const extent = this.#extent;
    const span = Math.min(to - from, extent.to - extent.from);
    if (span >= extent.to - extent.from) {
      this.#window = null;
      return;
    }
    const start = Math.min(Math.max(from, extent.from), extent.to - span);
    this.#window = { from: start, to: start + span };
  }
}

/**
 * What a key pressed on a chart does to its window, as a change to make, or null for a key it
 * does not use: + and - zoom by two, 0 (or Home) shows everything, and the keys of `moves` pan by
 * their amount.
 * @param {Record<string, number>} moves  key name -> how far it pans, in the axis' units
 */
export function keyChange(event, zoomWindow, moves) {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (event.key === '+' || event.key === '=') return () => zoomWindow.zoom(KEY_ZOOM_FACTOR);
  if (event.key === '-') return () => zoomWindow.zoom(1 / KEY_ZOOM_FACTOR);
  if (event.key === '0' || event.key === 'Home') return () => zoomWindow.reset();
  if (Object.hasOwn(moves, event.key)) return () => zoomWindow.pan(moves[event.key]);
  return null;
}

/** A wheel event's `delta` (its deltaX or deltaY) in pixels, whether the wheel counts pixels or lines. */
export function wheelPixels(event, delta) {
  return event.deltaMode === 1 ? delta * LINE_PIXELS : delta;
}

/** The zoom factor of a ctrl+wheel turn (a pinch on a touchpad): below 1 zooms in. */
export function wheelZoomFactor(event) {
  return Math.exp(wheelPixels(event, event.deltaY) * WHEEL_ZOOM_RATE);
}
