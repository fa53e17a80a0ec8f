// Real input for a page in headless Chromium, through CDP's Input domain: the browser makes the
// events (focus moves on Tab, :focus-visible, pointer capture), as a user's keyboard and mouse do.

const KEYS = {
  Tab: { code: 'Tab', windowsVirtualKeyCode: 9 },
  Enter: { code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' },
  ' ': { code: 'Space', windowsVirtualKeyCode: 32, text: ' ' },
  PageUp: { code: 'PageUp', windowsVirtualKeyCode: 33 },
  PageDown: { code: 'PageDown', windowsVirtualKeyCode: 34 },
  End: { code: 'End', windowsVirtualKeyCode: 35 },
  Home: { code: 'Home', windowsVirtualKeyCode: 36 },
  ArrowLeft: { code: 'ArrowLeft', windowsVirtualKeyCode: 37 },
  ArrowUp: { code: 'ArrowUp', windowsVirtualKeyCode: 38 },
  ArrowRight: { code: 'ArrowRight', windowsVirtualKeyCode: 39 },
  ArrowDown: { code: 'ArrowDown', windowsVirtualKeyCode: 40 },
  '0': { code: 'Digit0', windowsVirtualKeyCode: 48, text: '0' },
  '+': { code: 'Equal', windowsVirtualKeyCode: 187, text: '+' },
  '-': { code: 'Minus', windowsVirtualKeyCode: 189, text: '-' },
};
const CTRL = 2;
const SHIFT = 8;

/** Presses and releases `key` (a KeyboardEvent key name), with Shift held when `shift`. */
export async function press(page, key, { shift = false } = {}) {
  const { text, ...codes } = KEYS[key];
  const modifiers = shift ? SHIFT : 0;
  await page.client.Input.dispatchKeyEvent({ type: text ? 'keyDown' : 'rawKeyDown', key, ...codes, text, unmodifiedText: text, modifiers });
  await page.client.Input.dispatchKeyEvent({ type: 'keyUp', key, ...codes, modifiers });
}

/** Drags with the left button from `from` to `to` ({x, y} in CSS px of the viewport), in `steps` moves. */
export async function drag(page, from, to, steps = 5) {
  const { Input } = page.client;
  await Input.dispatchMouseEvent({ type: 'mouseMoved', ...from });
  await Input.dispatchMouseEvent({ type: 'mousePressed', ...from, button: 'left', buttons: 1, clickCount: 1 });
  for (let step = 1; step <= steps; step++) {
    const at = { x: from.x + ((to.x - from.x) * step) / steps, y: from.y + ((to.y - from.y) * step) / steps };
    await Input.dispatchMouseEvent({ type: 'mouseMoved', ...at, button: 'left', buttons: 1 });
  }
  await Input.dispatchMouseEvent({ type: 'mouseReleased', ...to, button: 'left', buttons: 0, clickCount: 1 });
}

/** A turn of the wheel at `at` (pointer-down `deltaY` zooms in when `ctrl`, as a pinch does). */
export async function wheel(page, at, deltaY, { ctrl = false } = {}) {
  await page.client.Input.dispatchMouseEvent({ type: 'mouseWheel', ...at, deltaX: 0, deltaY, modifiers: ctrl ? CTRL : 0 });
}

/** Types `text` into the focused element, as an input method commits it. */
export function typeText(page, text) {
  return page.client.Input.insertText({ text });
}

/** Two clicks of the left button at `at`, as one double-click. */
export async function doubleClick(page, at) {
  const { Input } = page.client;
  await Input.dispatchMouseEvent({ type: 'mouseMoved', ...at });
  for (const clickCount of [1, 2]) {
    await Input.dispatchMouseEvent({ type: 'mousePressed', ...at, button: 'left', buttons: 1, clickCount });
    await Input.dispatchMouseEvent({ type: 'mouseReleased', ...at, button: 'left', buttons: 0, clickCount });
  }
}
