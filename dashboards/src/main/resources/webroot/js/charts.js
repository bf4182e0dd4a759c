// Small SVG charts drawn from API data. Sizes are in viewBox units and the SVG scales to
// its container; every bar carries a <title> so the exact figure shows on hover.

import { svg, h } from './dom.js';
import { formatAxis, formatTime } from './time.js';

const W = 600;
const H = 160;
const PAD_LEFT = 40;
const PAD_BOTTOM = 20;

function niceMax(value) {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (value <= step * magnitude) return step * magnitude;
  }
  return 10 * magnitude;
}

function frame(id, max, label) {
  const root = svg('svg', {
    id,
    class: 'chart',
    viewBox: `0 0 ${W} ${H}`,
    role: 'img',
    'aria-label': label,
    preserveAspectRatio: 'none',
  });
  const plotH = H - PAD_BOTTOM;
  root.append(
    svg('line', { x1: PAD_LEFT, y1: plotH, x2: W, y2: plotH, class: 'axis' }),
    svg('text', { x: PAD_LEFT - 4, y: 10, class: 'tick end' }, formatNumber(max)),
    svg('text', { x: PAD_LEFT - 4, y: plotH, class: 'tick end' }, '0'),
  );
  return root;
}

function timeTicks(root, times, x) {
  if (times.length === 0) return;
  const span = new Date(times[times.length - 1]).getTime() - new Date(times[0]).getTime();
  const every = Math.max(1, Math.ceil(times.length / 6));
  times.forEach((time, i) => {
    if (i % every !== 0) return;
    root.append(svg('text', { x: x(i), y: H - 4, class: 'tick' }, formatAxis(time, span)));
  });
}

export function formatNumber(n) {
  return new Intl.NumberFormat().format(Math.round(n * 100) / 100);
}

/** Histogram: buckets [{time, count}] as bars; onPick(bucket, next) narrows to a bar. */
export function histogram(id, buckets, label, onPick) {
  const max = niceMax(Math.max(0, ...buckets.map((b) => b.count)));
  const root = frame(id, max, label);
  const plotW = W - PAD_LEFT;
  const plotH = H - PAD_BOTTOM;
  const width = buckets.length ? plotW / buckets.length : plotW;
  buckets.forEach((bucket, i) => {
    const barH = (bucket.count / max) * plotH;
    const bar = svg(
      'rect',
      {
        x: PAD_LEFT + i * width + 0.5,
        y: plotH - barH,
        width: Math.max(1, width - 1),
        height: barH,
        class: onPick ? 'bar pick' : 'bar',
        dataset: { count: bucket.count },
      },
      svg('title', null, `${formatTime(bucket.time)}: ${formatNumber(bucket.count)}`),
    );
    if (onPick) bar.addEventListener('click', () => onPick(bucket, buckets[i + 1]));
    root.append(bar);
  });
  timeTicks(
    root,
    buckets.map((b) => b.time),
    (i) => PAD_LEFT + i * width,
  );
  return root;
}

/**
 * Stacked bars over time: rows [{time, series, value}] with a fixed series order (e.g. the
 * severities), one colour class per series.
 */
export function stackedBars(id, rows, seriesOrder, label, classOf) {
  const times = [...new Set(rows.map((r) => r.time))].sort();
  const byTime = new Map(times.map((t) => [t, new Map()]));
  for (const r of rows) byTime.get(r.time).set(r.series, (byTime.get(r.time).get(r.series) ?? 0) + r.value);
  const totals = times.map((t) => [...byTime.get(t).values()].reduce((a, b) => a + b, 0));
  const max = niceMax(Math.max(0, ...totals));
  const root = frame(id, max, label);
  const plotW = W - PAD_LEFT;
  const plotH = H - PAD_BOTTOM;
  const width = times.length ? plotW / times.length : plotW;
  times.forEach((time, i) => {
    let y = plotH;
    for (const series of seriesOrder) {
      const value = byTime.get(time).get(series) ?? 0;
      if (!value) continue;
      const barH = (value / max) * plotH;
      y -= barH;
      root.append(
        svg(
          'rect',
          { x: PAD_LEFT + i * width + 0.5, y, width: Math.max(1, width - 1), height: barH, class: `bar ${classOf(series)}` },
          svg('title', null, `${formatTime(time)} ${series}: ${formatNumber(value)}`),
        ),
      );
    }
  });
  timeTicks(root, times, (i) => PAD_LEFT + i * width);
  return root;
}

/** Lines over time: rows [{time, series, value}], one polyline per series. */
export function lines(id, rows, label) {
  const times = [...new Set(rows.map((r) => r.time))].sort();
  const index = new Map(times.map((t, i) => [t, i]));
  const series = [...new Set(rows.map((r) => r.series))].sort();
  const max = niceMax(Math.max(0, ...rows.map((r) => r.value)));
  const root = frame(id, max, label);
  const plotW = W - PAD_LEFT;
  const plotH = H - PAD_BOTTOM;
  const x = (i) => PAD_LEFT + (times.length > 1 ? (i / (times.length - 1)) * plotW : plotW / 2);
  series.forEach((name, s) => {
    const points = rows
      .filter((r) => r.series === name)
      .sort((a, b) => index.get(a.time) - index.get(b.time))
      .map((r) => `${x(index.get(r.time)).toFixed(1)},${(plotH - (r.value / max) * plotH).toFixed(1)}`);
    root.append(
      svg('polyline', { points: points.join(' '), class: `line s${s % 6}` }, svg('title', null, name)),
    );
  });
  timeTicks(root, times, x);
  const legend = h(
    'ul',
    { class: 'legend' },
    series.map((name, s) => h('li', { class: `s${s % 6}` }, name)),
  );
  return h('div', { class: 'chart-box' }, root, legend);
}

/** Horizontal bars for a ranking: items [{label, value, onClick?}]. */
export function ranking(id, items, label) {
  const max = Math.max(1, ...items.map((i) => i.value));
  const rowH = 22;
  const root = svg('svg', {
    id,
    class: 'chart ranking',
    viewBox: `0 0 ${W} ${Math.max(rowH, items.length * rowH)}`,
    role: 'img',
    'aria-label': label,
  });
  items.forEach((item, i) => {
    const y = i * rowH;
    const barW = (item.value / max) * (W - 260);
    const group = svg(
      'g',
      { class: item.onClick ? 'pick' : '' },
      svg('text', { x: 0, y: y + 15, class: 'label' }, truncate(item.label, 34)),
      svg('rect', { x: 220, y: y + 3, width: Math.max(1, barW), height: rowH - 6, class: 'bar' }),
      svg('text', { x: 224 + barW, y: y + 15, class: 'value' }, formatNumber(item.value)),
      svg('title', null, `${item.label}: ${formatNumber(item.value)}`),
    );
    if (item.onClick) group.addEventListener('click', item.onClick);
    root.append(group);
  });
  return root;
}

function truncate(text, length) {
  const s = String(text ?? '');
  return s.length > length ? `${s.slice(0, length - 1)}…` : s;
}
