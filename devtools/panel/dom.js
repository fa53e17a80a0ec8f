// Two element factories, so the views read as the tree they build.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An HTML element: `h('td', {class: 'kind', onclick}, 'text', child)`. */
export function h(tag, props, ...children) {
  return build(document.createElement(tag), props, children);
}

/** The same for SVG. */
export function svg(tag, props, ...children) {
  return build(document.createElementNS(SVG_NS, tag), props, children);
}

/** Replaces an element's children; null and false children are skipped, as in `h`. */
export function setContent(element, ...children) {
  element.replaceChildren(...present(children));
}

function build(element, props = {}, children) {
  for (const [name, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...present(children));
  return element;
}

function present(children) {
  return children.flat(Infinity).filter((child) => child != null && child !== false);
}
