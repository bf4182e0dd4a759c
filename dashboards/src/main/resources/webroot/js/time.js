// Times arrive from the API as ISO-8601 UTC; analysts read them in the zone they pick
// (default: the browser's), kept in localStorage so it survives a reload and a shift change.

import { currentLocale } from './i18n.js';

const ZONE_KEY = 'vigil.timeZone';

export function browserZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function timeZone() {
  const stored = localStorage.getItem(ZONE_KEY);
  return stored && isValidZone(stored) ? stored : browserZone();
}

export function setTimeZone(zone) {
  if (!isValidZone(zone)) throw new Error(`unknown time zone ${zone}`);
  localStorage.setItem(ZONE_KEY, zone);
}

export function zones() {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const list = new Set(['UTC', browserZone(), 'Asia/Ho_Chi_Minh', ...all]);
  return [...list];
}

function isValidZone(zone) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** "2026-11-26 17:00:00" style in the chosen zone and language; '' for a missing time. */
export function formatTime(iso, { seconds = true } = {}) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Intl.DateTimeFormat(currentLocale(), {
    timeZone: timeZone(),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: seconds ? '2-digit' : undefined,
    hourCycle: 'h23',
  }).format(date);
}

/** Short label for chart axes: time of day, or the date for spans longer than a day. */
export function formatAxis(iso, spanMillis) {
  const date = new Date(iso);
  const options =
    spanMillis > 36 * 3600 * 1000
      ? { month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' }
      : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  return new Intl.DateTimeFormat(currentLocale(), { timeZone: timeZone(), ...options }).format(
    date,
  );
}

/** Minutes east of UTC of the chosen zone at an instant. */
function offsetMinutes(date, zone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return Math.round((asUtc - date.getTime()) / 60000);
}

/** A datetime-local value ("2026-11-26T17:00") read in the chosen zone, as ISO UTC. */
export function localInputToIso(value) {
  if (!value) return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) throw new Error(`not a date and time: ${value}`);
  const [, y, mo, d, hh, mm, ss] = match;
  const wall = Date.UTC(+y, +mo - 1, +d, +hh, +mm, +(ss ?? 0));
  // Two passes: the offset at the guessed instant may differ across a DST change.
  let instant = wall - offsetMinutes(new Date(wall), timeZone()) * 60000;
  instant = wall - offsetMinutes(new Date(instant), timeZone()) * 60000;
  return new Date(instant).toISOString();
}

/** ISO UTC as a datetime-local value in the chosen zone. */
export function isoToLocalInput(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const shifted = new Date(date.getTime() + offsetMinutes(date, timeZone()) * 60000);
  return shifted.toISOString().slice(0, 16);
}

/** Relative presets as Elasticsearch date math, which the API accepts for from/to. */
export const PRESETS = ['now-15m', 'now-1h', 'now-4h', 'now-24h', 'now-7d', 'now-30d'];

/** Milliseconds covered by a from/to pair (date math or ISO); NaN when unknown. */
export function spanMillis(from, to) {
  const at = (value, fallback) => {
    if (!value) return fallback;
    const math = /^now(?:-(\d+)([smhdw]))?$/.exec(value);
    if (math) {
      const unit = { s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 }[math[2]] ?? 0;
      return Date.now() - (math[1] ? Number(math[1]) * unit : 0);
    }
    return new Date(value).getTime();
  };
  return at(to, Date.now()) - at(from, Date.now() - 864e5);
}
