// What the region map and the timeline share: a canvas sized to its pane at the screen's pixel
// ratio, colors from the panel's CSS variables (light and dark), a hover tooltip and click
// through a hit test, and the gestures that zoom and pan (ctrl+wheel, drag, keys once focused),
// which each chart maps onto its own axis. Canvas, not SVG: tens of thousands of regions draw in
// milliseconds.

import { h, setContent } from './dom.js';

/** A chart whose content changed less than this long ago is taken to be following a stream. */
const STREAMING_MS = 1000;

/** A press that moves less than this is a click, not a drag. */
const DRAG_THRESHOLD_PX = 4;

const COLOR_NAMES = ['live', 'quarantined', 'reused', 'view', 'stale-view', 'error', 'grow', 'band', 'border',
  'text', 'text-secondary', 'background', 'warning', 'selection'];

export class CanvasChart {
  /** @type {HTMLCanvasElement} */
  canvas;
  /** @type {Record<string, string>} */
  colors = {};
  #tooltip;
  #caption;
  #band;
  #gestures = null;
  #press = null;      // {x, y, kind, pointerId}: a button held down on the canvas
  #dragged = false;   // the click that ends a drag picks nothing
  #redrawQueued = false;
  #hitTest = () => null;
  #onPick = () => {};
  #colorsRead = false;
  #paneWidth = 0;
  #layer = null;
  #layerKey = null;
  #drawnKey = null;
  #keyChangedAt = -Infinity;

  constructor(element, label) {
    this.element = element;
    this.canvas = h('canvas', { role: 'img', 'aria-label': label });
    this.#tooltip = h('div', { class: 'chart-tooltip', role: 'tooltip', hidden: true });
    this.#band = h('div', { class: 'chart-band', hidden: true });
    this.#caption = h('p', { class: 'caption' });
    // The pane's width as the last resize left it: reading clientWidth while drawing would force
    // a layout of the whole page in the middle of the frame.
    new ResizeObserver(([entry]) => {
      this.#paneWidth = entry.contentBoxSize?.[0]?.inlineSize ?? entry.contentRect.width;
    }).observe(element);
    this.canvas.addEventListener('mousemove', (event) => this.#hover(event));
    this.canvas.addEventListener('mouseleave', () => {
      this.#tooltip.hidden = true;
    });
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
      this.#colorsRead = false;
      this.#layerKey = null;
      this.#drawnKey = null;
    });
    this.canvas.addEventListener('click', (event) => {
      if (this.#dragged) {
        this.#dragged = false;
        return;
      }
      // The views pick what a hit names (an allocation, a report), not the hit with its tooltip.
      const hit = this.#hitTest(...this.#point(event));
      if (hit?.pick != null) this.#onPick(hit.pick);
    });
  }

  /**
   * Makes the chart navigable. Points are in CSS px from the canvas' top left corner.
   *   wheel(x, y, event): a wheel turn; returns whether it was used (the page does not scroll then)
   *   dragKind(x, y): what a drag starting there does ('pan', 'brush', or null for nothing)
   *   drag(kind, from, to, done): the drag so far, from [x, y] to [x, y]; `done` on release
   *   key(event): a key pressed while the chart has focus; returns whether it was used
   *   reset(): a double-click: everything shown again
   *   redraw(): draws the chart again as it last was, in its new window (navigate())
   */
  navigable({ wheel, dragKind, drag, key, reset, redraw }, keysLabel) {
    this.#gestures = { wheel, dragKind, drag, key, reset, redraw };
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('aria-keyshortcuts', keysLabel);
    this.canvas.addEventListener('wheel', (event) => {
      if (this.#gestures.wheel(...this.#point(event), event)) {
        event.preventDefault();
        this.#tooltip.hidden = true;
      }
    }, { passive: false });
    this.canvas.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      const [x, y] = this.#point(event);
      this.#press = { x, y, kind: undefined, pointerId: event.pointerId };
      this.#dragged = false;
    });
    this.canvas.addEventListener('pointermove', (event) => {
      const press = this.#press;
      if (!press || press.pointerId !== event.pointerId) return;
      const [x, y] = this.#point(event);
      if (press.kind === undefined) {
        if (Math.hypot(x - press.x, y - press.y) < DRAG_THRESHOLD_PX) return;
        press.kind = this.#gestures.dragKind(press.x, press.y);
        if (press.kind) this.canvas.setPointerCapture(event.pointerId);
      }
      if (!press.kind) return;
      this.#dragged = true;
      this.#tooltip.hidden = true;
      this.canvas.style.cursor = press.kind === 'pan' ? 'grabbing' : 'col-resize';
      this.#gestures.drag(press.kind, [press.x, press.y], [x, y], false);
    });
    const release = (event) => {
      const press = this.#press;
      if (!press || press.pointerId !== event.pointerId) return;
      this.#press = null;
      if (press.kind) this.#gestures.drag(press.kind, [press.x, press.y], this.#point(event), true);
      this.canvas.style.cursor = '';
    };
    this.canvas.addEventListener('pointerup', release);
    this.canvas.addEventListener('pointercancel', release);
    this.canvas.addEventListener('dblclick', () => this.#gestures.reset());
    this.canvas.addEventListener('keydown', (event) => {
      if (this.#gestures.key(event)) event.preventDefault();
    });
  }

  /**
   * Makes `change` (a change to the chart's window; null: none) and redraws in the next frame:
   * a gesture redraws its chart at once, from what the chart last drew, without waiting for the
   * panel's next cycle, and many wheel events make one redraw. Returns whether there was a change.
   */
  navigate(change) {
    if (!change) return false;
    change();
    if (!this.#redrawQueued) {
      this.#redrawQueued = true;
      requestAnimationFrame(() => {
        this.#redrawQueued = false;
        this.#gestures.redraw();
      });
    }
    return true;
  }

  /** Shades the columns from x0 to x1, between top and bottom, over the chart (a brush); null hides it. */
  showBand(band) {
    this.#band.hidden = !band;
    if (!band) return;
    const left = Math.max(0, Math.min(band.x0, band.x1));
    Object.assign(this.#band.style, {
      left: `${left}px`,
      width: `${Math.min(this.width, Math.max(band.x0, band.x1)) - left}px`,
      top: `${this.canvas.offsetTop + band.top}px`,
      height: `${band.bottom - band.top}px`,
    });
  }

  /** The width to draw at, in CSS px. */
  get paneWidth() {
    if (this.#paneWidth === 0) this.#paneWidth = this.element.clientWidth;
    return Math.max(320, Math.floor(this.#paneWidth));
  }

  /**
   * Readies the canvas for a frame of `height` CSS px and returns its 2D context, scaled so that
   * one unit is one CSS px. `hitTest(x, y)` returns `{text, pick}` or null for the point.
   */
  begin(height, { hitTest, onPick }) {
    if (!this.canvas.isConnected) setContent(this.element, this.canvas, this.#caption, this.#tooltip, this.#band);
    this.#hitTest = hitTest;
    this.#onPick = onPick;
    const width = this.paneWidth;
    const ratio = globalThis.devicePixelRatio || 1;
    this.width = width;
    this.height = height;
    if (this.canvas.width !== Math.round(width * ratio) || this.canvas.height !== Math.round(height * ratio)) {
      this.canvas.width = Math.round(width * ratio);
      this.canvas.height = Math.round(height * ratio);
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    // Read once, and again when the color scheme changes: getComputedStyle costs a style pass.
    if (!this.#colorsRead) {
      const style = getComputedStyle(this.element);
      for (const name of COLOR_NAMES) this.colors[name] = style.getPropertyValue(`--${name}`).trim() || '#888';
      this.#colorsRead = true;
    }
    const context = this.canvas.getContext('2d');
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    context.font = '10px system-ui, sans-serif';
    return context;
  }

  /**
   * Draws the part of a frame that only `key` decides (what the session holds, not the
   * selection) into an offscreen layer once, and copies the layer onto the canvas: a click
   * redraws only its highlight. While keys change fast (events streaming in), a new key is drawn
   * straight onto the canvas instead, and cached only if it comes again, so that the stream does
   * not pay for copies. Call after begin(); `draw` gets a context like begin()'s.
   */
  layer(key, draw) {
    const fullKey = `${key}/${this.canvas.width}x${this.canvas.height}`;
    const context = this.canvas.getContext('2d');
    const now = performance.now();
    const streaming = now - this.#keyChangedAt < STREAMING_MS;
    if (this.#layerKey !== fullKey && this.#drawnKey !== fullKey) this.#keyChangedAt = now;
    if (streaming && this.#layerKey !== fullKey && this.#drawnKey !== fullKey) {
      this.#drawnKey = fullKey;
      draw(context);
      return;
    }
    if (this.#layerKey !== fullKey) {
      this.#layer ??= document.createElement('canvas');
      this.#layer.width = this.canvas.width;
      this.#layer.height = this.canvas.height;
      const layerContext = this.#layer.getContext('2d');
      const ratio = this.canvas.width / this.width;
      layerContext.setTransform(ratio, 0, 0, ratio, 0, 0);
      layerContext.font = '10px system-ui, sans-serif';
      draw(layerContext);
      this.#layerKey = fullKey;
    }
    context.save();
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.drawImage(this.#layer, 0, 0);
    context.restore();
  }

  /** The line under the chart. */
  setCaption(text) {
    this.#caption.textContent = text;
  }

  /** Replaces the chart with a line of text. */
  showEmpty(text) {
    setContent(this.element, h('p', { class: 'empty' }, text));
  }

  #point(event) {
    const box = this.canvas.getBoundingClientRect();
    return [event.clientX - box.left, event.clientY - box.top];
  }

  #hover(event) {
    if (this.#press?.kind) return;
    const [x, y] = this.#point(event);
    const hit = this.#hitTest(x, y);
    this.canvas.style.cursor = hit?.pick ? 'pointer' : '';
    if (!hit) {
      this.#tooltip.hidden = true;
      return;
    }
    this.#tooltip.textContent = hit.text;
    this.#tooltip.hidden = false;
    // Beside the pointer, kept inside the pane: above the pointer where below would run past the
    // pane's bottom into the next one.
    const left = Math.min(x + 14, this.width - this.#tooltip.offsetWidth - 4);
    this.#tooltip.style.left = `${Math.max(4, left)}px`;
    const below = y + this.canvas.offsetTop + 16;
    const height = this.#tooltip.offsetHeight;
    const fitsBelow = below + height <= this.element.clientHeight;
    this.#tooltip.style.top = `${fitsBelow ? below : Math.max(0, y + this.canvas.offsetTop - 8 - height)}px`;
  }
}
