// Element building from data, never from markup strings: every piece of data lands in a
// text node or an attribute, so a rule name or log line can never become markup.

/**
 * h('a', {href: '#/x', class: 'link', onclick: fn, dataset: {id: 1}}, 'text', child)
 * Attributes named on* become listeners; false/null/undefined attributes are left out.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  applyAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  applyAttrs(el, attrs);
  append(el, children);
  return el;
}

function applyAttrs(el, attrs) {
  if (!attrs) return;
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'value' && 'value' in el && !(el instanceof SVGElement)) {
      el.value = value;
    } else if ((name === 'checked' || name === 'selected') && name in el) {
      el[name] = Boolean(value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export const $ = (id) => document.getElementById(id);

/** An option list for a select: [value, label] pairs, the current value selected. */
export function options(pairs, current) {
  return pairs.map(([value, label]) => h('option', { value, selected: value === current }, label));
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

/** Appends children to an existing element, skipping absent ones (DOM append would print "null"). */
export function add(el, ...children) {
  append(el, children);
  return el;
}
