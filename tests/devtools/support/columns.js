// What the panel's browser suites read of a list's columns: the widths of its header cells and of
// its rows' cells, and where a column's resize handle is.

/** An expression: {header: px[], rows: px[][]} of the list `selector`, widths rounded. */
export const columnWidths = (selector) => `JSON.parse(JSON.stringify((() => {
  const list = document.querySelector(${JSON.stringify(selector)});
  const width = (element) => Math.round(element.getBoundingClientRect().width);
  return {
    header: [...list.querySelectorAll('[role="columnheader"]')].map(width),
    rows: [...list.querySelectorAll('.list-row')].map((row) => [...row.children].map(width)),
  };
})()))`;

/** An expression: the resize handle of column `name` in the list `selector`. */
export const resizeHandle = (selector, name) =>
  `document.querySelector(${JSON.stringify(selector)}).querySelector('[role="separator"][aria-label="Resize the ${name} column"]')`;

/**
 * The middle of column `name`'s resize handle, in viewport px, scrolled into sight first (and
 * drawn there: the browser routes the pointer by what it last drew), once it stays put: the
 * charts above the views list draw in the frames after the lists and change their height.
 */
export async function handleCenter(page, selector, name) {
  return JSON.parse(await page.evaluate(`(async () => {
    const handle = ${resizeHandle(selector, name)};
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    let last = null;
    for (let tries = 0; tries < 60; tries++) {
      // The list, not the handle: that would scroll the list under its sticky header.
      handle.closest('.list').scrollIntoView({ block: 'nearest' });
      await frame();
      const box = handle.getBoundingClientRect();
      const center = JSON.stringify({ x: box.left + box.width / 2, y: box.top + box.height / 2 });
      if (center === last) return center;
      last = center;
    }
    return last;
  })()`));
}
