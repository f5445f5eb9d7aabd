// Plain SVG charts, written as strings (no library). Every chart scales with its container
// through its viewBox; colours come from CSS classes in style.css.
import { esc, fmt } from './format.js';

const n2 = (x) => Math.round(x * 100) / 100; // coordinates: 2 decimals keep the SVG small

/** Decimals of axis labels for a span (1 for [0, 1], none for 0-100). */
function spanDecimals(span) {
  return Math.max(0, 1 - Math.floor(Math.log10(span)));
}

function niceStep(max, target = 5) {
  if (max <= 0) return 1;
  const raw = max / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/**
 * Histogram of values in `domain` (default [0, 1]; GODI and ODB 0-100).
 * @param {number[]} values
 * @param {{bins?: number, yLabel: string, xLabel: string, title: string, marker?: number|null, markerLabel?: string, domain?: [number, number]}} o
 */
export function histogram(values, o) {
  const bins = o.bins ?? 20;
  const [lo, hi] = o.domain ?? [0, 1];
  const span = hi - lo;
  const counts = new Array(bins).fill(0);
  for (const v of values) {
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    // bins are [k/bins, (k+1)/bins) of the domain; its top goes in the last one
    const k = Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / span) * bins + 1e-9)));
    counts[k] += 1;
  }
  const W = 560, H = 260, L = 48, R = 12, T = 14, B = 40;
  const pw = W - L - R, ph = H - T - B;
  const maxC = Math.max(1, ...counts);
  const step = niceStep(maxC, 4);
  const top = Math.ceil(maxC / step) * step;
  const y = (c) => T + ph - (c / top) * ph;
  const x = (v) => L + Math.max(0, Math.min(1, (v - lo) / span)) * pw;
  let s = `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(o.title)}" class="chart hist">`;
  s += `<title>${esc(o.title)}</title>`;
  for (let c = 0; c <= top + 1e-9; c += step) {
    s += `<line class="grid" x1="${L}" x2="${W - R}" y1="${n2(y(c))}" y2="${n2(y(c))}"/>`;
    s += `<text class="tick" x="${L - 6}" y="${n2(y(c) + 4)}" text-anchor="end">${c}</text>`;
  }
  const bw = pw / bins;
  counts.forEach((c, k) => {
    if (!c) return;
    const x0 = L + (k / bins) * pw + 1;
    const a = fmt(lo + (k / bins) * span), b = fmt(lo + ((k + 1) / bins) * span);
    s += `<rect class="bar" x="${n2(x0)}" y="${n2(y(c))}" width="${n2(bw - 2)}" height="${n2(T + ph - y(c))}"><title>${a}–${b}: ${c}</title></rect>`;
  });
  const dec = spanDecimals(span);
  for (let k = 0; k <= 10; k += 1) {
    const v = lo + (k / 10) * span;
    s += `<line class="axis" x1="${n2(x(v))}" x2="${n2(x(v))}" y1="${T + ph}" y2="${T + ph + 4}"/>`;
    s += `<text class="tick" x="${n2(x(v))}" y="${T + ph + 17}" text-anchor="middle">${v.toFixed(dec)}</text>`;
  }
  s += `<line class="axis" x1="${L}" x2="${W - R}" y1="${T + ph}" y2="${T + ph}"/>`;
  if (o.marker !== null && o.marker !== undefined && Number.isFinite(o.marker)) {
    const mx = n2(x(o.marker));
    s += `<line class="marker" x1="${mx}" x2="${mx}" y1="${T}" y2="${T + ph}"/>`;
    s += `<text class="marker-label" x="${mx + 4}" y="${T + 10}">${esc(o.markerLabel ?? '')} ${fmt(o.marker)}</text>`;
  }
  s += `<text class="axis-label" x="${L + pw / 2}" y="${H - 4}" text-anchor="middle">${esc(o.xLabel)}</text>`;
  s += `<text class="axis-label" transform="translate(12 ${T + ph / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`;
  return s + '</svg>';
}

/**
 * Horizontal bars, one per group, sorted by value (highest first), on `domain` (default
 * [0, 1]); bars start at the domain's low end.
 * @param {{label: string, value: number|null, n: number}[]} groups
 * @param {{title: string, reference?: number|null, referenceLabel?: string, nLabel?: string, domain?: [number, number]}} o
 */
export function hbars(groups, o) {
  const rows = groups.filter((g) => g.value !== null && g.value !== undefined && Number.isFinite(g.value))
    .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  const W = 560, L = 170, R = 48, T = 8, B = 28, rowH = 18;
  const H = T + B + rowH * Math.max(1, rows.length);
  const pw = W - L - R;
  const [lo, hi] = o.domain ?? [0, 1];
  const span = hi - lo;
  const at = (v) => Math.max(0, Math.min(1, (v - lo) / span)); // share of the domain
  const x = (v) => L + at(v) * pw;
  let s = `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(o.title)}" class="chart hbars">`;
  s += `<title>${esc(o.title)}</title>`;
  const dec = spanDecimals(span);
  for (let k = 0; k <= 10; k += 2) {
    const v = lo + (k / 10) * span;
    s += `<line class="grid" x1="${n2(x(v))}" x2="${n2(x(v))}" y1="${T}" y2="${H - B}"/>`;
    s += `<text class="tick" x="${n2(x(v))}" y="${H - B + 16}" text-anchor="middle">${v.toFixed(dec)}</text>`;
  }
  rows.forEach((g, i) => {
    const y0 = T + i * rowH;
    const label = g.label.length > 26 ? g.label.slice(0, 25) + '…' : g.label;
    s += `<g class="row"><title>${esc(g.label)}: ${fmt(g.value)} (n = ${g.n})</title>`;
    s += `<text class="label" x="${L - 6}" y="${y0 + rowH / 2 + 4}" text-anchor="end">${esc(label)}</text>`;
    s += `<rect class="bar" x="${L}" y="${y0 + 3}" width="${n2(at(g.value) * pw)}" height="${rowH - 6}"/>`;
    s += `<text class="value" x="${n2(x(g.value) + 4)}" y="${y0 + rowH / 2 + 4}">${fmt(g.value)}</text></g>`;
  });
  if (o.reference !== null && o.reference !== undefined && Number.isFinite(o.reference)) {
    const rx = n2(x(o.reference));
    s += `<line class="marker" x1="${rx}" x2="${rx}" y1="${T - 4}" y2="${H - B}"/>`;
    s += `<text class="marker-label" x="${rx}" y="${H - 2}" text-anchor="middle">${esc(o.referenceLabel ?? '')} ${fmt(o.reference)}</text>`;
  }
  return s + '</svg>';
}

/**
 * The T x P scatter with the 2017 quadrants (split at 0.5, "above" = strictly greater).
 * @param {{x: number, y: number, id: string, name: string, q: string|null}[]} points
 * @param {{title: string, xLabel: string, yLabel: string, selected?: string|null, quadrantLabels: Record<string,string>, split?: number}} o
 */
export function scatter(points, o) {
  const split = o.split ?? 0.5;
  const W = 520, H = 520, L = 52, R = 14, T = 14, B = 48;
  const pw = W - L - R, ph = H - T - B;
  const x = (v) => L + v * pw;
  const y = (v) => T + ph - v * ph;
  const counts = { I: 0, II: 0, III: 0, IV: 0 };
  for (const p of points) if (p.q && p.q in counts) counts[p.q] += 1;
  let s = `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(o.title)}" class="chart scatter">`;
  s += `<title>${esc(o.title)}</title>`;
  // quadrant backgrounds: I = high T, low P (bottom right); II = both high (top right);
  // III = both low (bottom left); IV = low T, high P (top left)
  const sx = x(split), sy = y(split);
  s += `<rect class="quad q-IV" x="${L}" y="${T}" width="${n2(sx - L)}" height="${n2(sy - T)}"/>`;
  s += `<rect class="quad q-II" x="${n2(sx)}" y="${T}" width="${n2(L + pw - sx)}" height="${n2(sy - T)}"/>`;
  s += `<rect class="quad q-III" x="${L}" y="${n2(sy)}" width="${n2(sx - L)}" height="${n2(T + ph - sy)}"/>`;
  s += `<rect class="quad q-I" x="${n2(sx)}" y="${n2(sy)}" width="${n2(L + pw - sx)}" height="${n2(T + ph - sy)}"/>`;
  for (let k = 0; k <= 10; k += 2) {
    const v = k / 10;
    s += `<line class="grid" x1="${n2(x(v))}" x2="${n2(x(v))}" y1="${T}" y2="${T + ph}"/>`;
    s += `<line class="grid" x1="${L}" x2="${L + pw}" y1="${n2(y(v))}" y2="${n2(y(v))}"/>`;
    s += `<text class="tick" x="${n2(x(v))}" y="${T + ph + 16}" text-anchor="middle">${v.toFixed(1)}</text>`;
    s += `<text class="tick" x="${L - 6}" y="${n2(y(v) + 4)}" text-anchor="end">${v.toFixed(1)}</text>`;
  }
  s += `<line class="split" x1="${n2(sx)}" x2="${n2(sx)}" y1="${T}" y2="${T + ph}"/>`;
  s += `<line class="split" x1="${L}" x2="${L + pw}" y1="${n2(sy)}" y2="${n2(sy)}"/>`;
  const ql = (q, tx, ty, anchor) =>
    `<text class="quad-label q-${q}" x="${n2(tx)}" y="${n2(ty)}" text-anchor="${anchor}"><tspan font-weight="700">${q}</tspan> · n = ${counts[q]}</text>`;
  s += ql('IV', L + 6, T + 16, 'start');
  s += ql('II', L + pw - 6, T + 16, 'end');
  s += ql('III', L + 6, T + ph - 8, 'start');
  s += ql('I', L + pw - 6, T + ph - 8, 'end');
  s += '<g class="points">';
  let sel = '';
  for (const p of points) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
    const c = `<circle class="pt q-${p.q ?? 'none'}" cx="${n2(x(p.x))}" cy="${n2(y(p.y))}" r="3.2" data-id="${esc(p.id)}"><title>${esc(p.name)} · T ${fmt(p.x)} · P ${fmt(p.y)}</title></circle>`;
    if (o.selected && p.id === o.selected) {
      sel = `<circle class="pt-selected" cx="${n2(x(p.x))}" cy="${n2(y(p.y))}" r="7"><title>${esc(p.name)} · T ${fmt(p.x)} · P ${fmt(p.y)}</title></circle>`;
    }
    s += c;
  }
  s += '</g>' + sel;
  s += `<rect class="frame" x="${L}" y="${T}" width="${pw}" height="${ph}"/>`;
  s += `<text class="axis-label" x="${L + pw / 2}" y="${H - 8}" text-anchor="middle">${esc(o.xLabel)}</text>`;
  s += `<text class="axis-label" transform="translate(14 ${T + ph / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`;
  return s + '</svg>';
}

// ---------------------------------------------------------------- robustness charts

/** Ticks from `lo` to `hi` at a nice step (about `target` of them). */
function ticks(lo, hi, target = 6) {
  const step = niceStep(hi - lo, target);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.round(v / step) * step);
  return { step, values: out };
}

/** A rank as shown: an integer, or one decimal where the quantile falls between ranks. */
export function rankText(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '';
  const s = fmt(x, 1);
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}

/**
 * Rank intervals: one row per institution, a line from the 5th to the 95th percentile of
 * its rank over the runs, a dot at the median and a tick at the nominal rank. Rank 1 (the
 * best) is on the left.
 * @param {{id: string, label: string, rank: number, q05: number, q95: number, median: number}[]} rows
 * The axis spans the ranks shown (`domain`, default 1 to `m`), so that a few neighbours are
 * not squeezed into a corner of all the ranks.
 * @param {{title: string, m: number, domain?: [number, number], xLabel: string, tip: (r: object) => string}} o
 */
export function rankIntervals(rows, o) {
  const W = 620, L = 200, R = 16, T = 8, B = 34, rowH = 17;
  const H = T + B + rowH * Math.max(1, rows.length);
  const pw = W - L - R;
  const [lo, hi0] = o.domain ?? [1, o.m];
  const hi = Math.max(lo + 1, hi0);
  const x = (v) => L + ((v - lo) / (hi - lo)) * pw;
  let s = `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(o.title)}" class="chart rank-intervals">`;
  s += `<title>${esc(o.title)}</title>`;
  const tk = ticks(lo, hi, 6);
  const first = tk.values.filter((v) => v >= lo);
  // the first rank of the axis is labelled when no tick sits close to it
  const labelled = first.length && (first[0] - lo) / (hi - lo) < 0.06 ? first : [lo, ...first];
  for (const v of labelled.filter((v) => v <= hi)) {
    s += `<line class="grid" x1="${n2(x(v))}" x2="${n2(x(v))}" y1="${T}" y2="${H - B}"/>`;
    s += `<text class="tick" x="${n2(x(v))}" y="${H - B + 14}" text-anchor="middle">${v}</text>`;
  }
  rows.forEach((r, i) => {
    const y = T + i * rowH + rowH / 2;
    const label = r.label.length > 30 ? r.label.slice(0, 29) + '…' : r.label;
    s += `<g class="ri-row" data-id="${esc(r.id)}"><title>${esc(o.tip(r))}</title>`;
    s += `<rect class="ri-hit" x="0" y="${n2(y - rowH / 2)}" width="${W}" height="${rowH}"/>`;
    s += `<text class="label" x="${L - 8}" y="${n2(y + 4)}" text-anchor="end">${esc(label)}</text>`;
    s += `<line class="ri-range" x1="${n2(x(r.q05))}" x2="${n2(Math.max(x(r.q95), x(r.q05) + 0.8))}" y1="${n2(y)}" y2="${n2(y)}"/>`;
    s += `<circle class="ri-median" cx="${n2(x(r.median))}" cy="${n2(y)}" r="3.6"/>`;
    s += `<line class="ri-nominal" x1="${n2(x(r.rank))}" x2="${n2(x(r.rank))}" y1="${n2(y - 6)}" y2="${n2(y + 6)}"/></g>`;
  });
  s += `<line class="axis" x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}"/>`;
  s += `<text class="axis-label" x="${L + pw / 2}" y="${H - 4}" text-anchor="middle">${esc(o.xLabel)}</text>`;
  return s + '</svg>';
}

/**
 * Histogram of any values (R_S over the runs): `bins` equal bins from the smallest to the
 * largest value, a marker at `marker`.
 * @param {number[]} values
 * @param {{title: string, xLabel: string, yLabel: string, bins?: number, marker?: number, markerLabel?: string}} o
 */
export function valueHistogram(values, o) {
  const finite = values.filter((v) => Number.isFinite(v));
  const bins = o.bins ?? 30;
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
  const width = (hi - lo) / bins;
  const counts = new Array(bins).fill(0);
  for (const v of finite) counts[Math.min(bins - 1, Math.floor((v - lo) / width))] += 1;
  const W = 560, H = 260, L = 48, R = 12, T = 14, B = 40;
  const pw = W - L - R, ph = H - T - B;
  const maxC = Math.max(1, ...counts);
  const step = niceStep(maxC, 4);
  const top = Math.ceil(maxC / step) * step;
  const y = (c) => T + ph - (c / top) * ph;
  const x = (v) => L + ((v - lo) / (hi - lo)) * pw;
  let s = `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(o.title)}" class="chart hist value-hist">`;
  s += `<title>${esc(o.title)}</title>`;
  for (let c = 0; c <= top + 1e-9; c += step) {
    s += `<line class="grid" x1="${L}" x2="${W - R}" y1="${n2(y(c))}" y2="${n2(y(c))}"/>`;
    s += `<text class="tick" x="${L - 6}" y="${n2(y(c) + 4)}" text-anchor="end">${c}</text>`;
  }
  const bw = pw / bins;
  counts.forEach((c, k) => {
    if (!c) return;
    const a = lo + k * width;
    s += `<rect class="bar" x="${n2(x(a) + 0.5)}" y="${n2(y(c))}" width="${n2(Math.max(0.5, bw - 1))}" height="${n2(T + ph - y(c))}"><title>${fmt(a)}–${fmt(a + width)}: ${c}</title></rect>`;
  });
  const tk = ticks(lo, hi, 6);
  const dec = tk.step >= 1 ? 0 : tk.step >= 0.1 ? 1 : 2;
  for (const v of tk.values) {
    if (v < lo - 1e-9 || v > hi + 1e-9) continue;
    s += `<line class="axis" x1="${n2(x(v))}" x2="${n2(x(v))}" y1="${T + ph}" y2="${T + ph + 4}"/>`;
    s += `<text class="tick" x="${n2(x(v))}" y="${T + ph + 17}" text-anchor="middle">${fmt(v, dec)}</text>`;
  }
  s += `<line class="axis" x1="${L}" x2="${W - R}" y1="${T + ph}" y2="${T + ph}"/>`;
  if (o.marker !== null && o.marker !== undefined && Number.isFinite(o.marker)) {
    const mx = n2(x(o.marker));
    const right = x(o.marker) > L + pw * 0.75;
    s += `<line class="marker" x1="${mx}" x2="${mx}" y1="${T}" y2="${T + ph}"/>`;
    s += `<text class="marker-label" x="${right ? mx - 4 : mx + 4}" y="${T + 10}" text-anchor="${right ? 'end' : 'start'}">${esc(o.markerLabel ?? '')} ${fmt(o.marker)}</text>`;
  }
  s += `<text class="axis-label" x="${L + pw / 2}" y="${H - 4}" text-anchor="middle">${esc(o.xLabel)}</text>`;
  s += `<text class="axis-label" transform="translate(12 ${T + ph / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`;
  return s + '</svg>';
}

/**
 * Sobol' indices of one target, one bar per factor: the first-order index S1 and, stacked
 * on it, ST - S1 (what the factor does through interactions). Estimates below 0 (noise of
 * the estimator) are drawn as 0 and written as they are.
 * @param {{label: string, s1: number, st: number, s1_lo?: number|null, s1_hi?: number|null, st_lo?: number|null, st_hi?: number|null}[]} items
 * @param {{title: string, s1Label: string, interLabel: string, tip: (d: object) => string}} o
 */
export function sobolBars(items, o) {
  const W = 480, L = 110, R = 84, T = 30, B = 28, rowH = 22;
  const H = T + B + rowH * Math.max(1, items.length);
  const pw = W - L - R;
  const top = Math.max(0.1, ...items.map((d) => Math.max(d.st, d.s1, d.st_hi ?? 0)));
  const tk = ticks(0, top, 5);
  const hi = Math.max(top, tk.values.at(-1) ?? top);
  const x = (v) => L + (Math.max(0, Math.min(hi, v)) / hi) * pw;
  let s = `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(o.title)}" class="chart sobol">`;
  s += `<title>${esc(o.title)}</title>`;
  // legend
  s += `<rect class="s1" x="${L}" y="6" width="12" height="12"/><text class="tick" x="${L + 16}" y="16">${esc(o.s1Label)}</text>`;
  s += `<rect class="inter" x="${L + 150}" y="6" width="12" height="12"/><text class="tick" x="${L + 166}" y="16">${esc(o.interLabel)}</text>`;
  const dec = tk.step >= 0.1 ? 1 : 2;
  for (const v of tk.values) {
    s += `<line class="grid" x1="${n2(x(v))}" x2="${n2(x(v))}" y1="${T}" y2="${H - B}"/>`;
    s += `<text class="tick" x="${n2(x(v))}" y="${H - B + 14}" text-anchor="middle">${fmt(v, dec)}</text>`;
  }
  items.forEach((d, i) => {
    const y0 = T + i * rowH;
    const s1 = Math.max(0, d.s1);
    const st = Math.max(s1, d.st);
    s += `<g class="row" data-factor="${esc(d.factor ?? d.label)}"><title>${esc(o.tip(d))}</title>`;
    s += `<text class="label" x="${L - 8}" y="${y0 + rowH / 2 + 4}" text-anchor="end">${esc(d.label)}</text>`;
    s += `<rect class="s1" x="${L}" y="${y0 + 4}" width="${n2(x(s1) - L)}" height="${rowH - 8}"/>`;
    s += `<rect class="inter" x="${n2(x(s1))}" y="${y0 + 4}" width="${n2(x(st) - x(s1))}" height="${rowH - 8}"/>`;
    if (Number.isFinite(d.st_lo) && Number.isFinite(d.st_hi)) {
      const yc = y0 + rowH / 2;
      s += `<line class="ci" x1="${n2(x(d.st_lo))}" x2="${n2(x(d.st_hi))}" y1="${yc}" y2="${yc}"/>`;
    }
    const end = Math.max(x(st), Number.isFinite(d.st_hi) ? x(d.st_hi) : 0);
    s += `<text class="value" x="${n2(end + 6)}" y="${y0 + rowH / 2 + 4}">${fmt(d.s1)} · ${fmt(d.st)}</text></g>`;
  });
  s += `<line class="axis" x1="${L}" x2="${L}" y1="${T}" y2="${H - B}"/>`;
  return s + '</svg>';
}

// ---------------------------------------------------------------- comparison charts

/**
 * Places labels wanted at `ys` (any order) at least `gap` apart within [top, bottom],
 * as close to where they are wanted as a forward and a backward pass allow.
 * @returns {number[]} the placed y of each label, in the order given
 */
export function spreadLabels(ys, gap, top, bottom) {
  const order = ys.map((y, i) => [y, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const placed = order.map(([y]) => Math.max(top, Math.min(bottom, y)));
  for (let k = 1; k < placed.length; k += 1) placed[k] = Math.max(placed[k], placed[k - 1] + gap);
  if (placed.length && placed.at(-1) > bottom) {
    placed[placed.length - 1] = bottom;
    for (let k = placed.length - 2; k >= 0; k -= 1) placed[k] = Math.min(placed[k], placed[k + 1] - gap);
  }
  const out = new Array(ys.length);
  order.forEach(([, i], k) => { out[i] = placed[k]; });
  return out;
}

/**
 * Slope chart: one line per group from its value before (left axis) to its value after
 * (right axis), coloured by direction (`up`, `down`, `flat`: the same value at two
 * decimals), labelled at both ends (labels spread apart, with a thin leader where moved).
 * The vertical axis spans the values shown (with a margin), not the whole range.
 * @param {{id: string, label: string, before: number, after: number}[]} rows
 * @param {{title: string, beforeLabel: string, afterLabel: string, tip: (r: object) => string, domain?: [number, number]}} o
 */
export function slopeChart(rows, o) {
  const data = rows.filter((r) => Number.isFinite(r.before) && Number.isFinite(r.after));
  const gap = 14;
  const W = 860, LW = 230, RW = 230, T = 34, B = 18;
  const ph = Math.max(280, data.length * gap);
  const H = T + ph + B;
  const x0 = LW, x1 = W - RW;
  const values = data.flatMap((r) => [r.before, r.after]);
  let lo = values.length ? Math.min(...values) : 0;
  let hi = values.length ? Math.max(...values) : 1;
  if (o.domain) [lo, hi] = o.domain;
  if (!(hi > lo)) { lo -= 0.05; hi += 0.05; }
  const pad = (hi - lo) * 0.06;
  lo -= pad; hi += pad;
  const y = (v) => T + ph - ((v - lo) / (hi - lo)) * ph;
  let s = `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(o.title)}" class="chart slope">`;
  s += `<title>${esc(o.title)}</title>`;
  const tk = ticks(lo, hi, 6);
  const dec = tk.step >= 1 ? 0 : tk.step >= 0.1 ? 1 : 2;
  for (const v of tk.values) {
    if (v < lo || v > hi) continue;
    s += `<line class="grid" x1="${x0}" x2="${x1}" y1="${n2(y(v))}" y2="${n2(y(v))}"/>`;
    s += `<text class="tick" x="${n2((x0 + x1) / 2)}" y="${n2(y(v) - 2)}" text-anchor="middle">${fmt(v, dec)}</text>`;
  }
  s += `<line class="axis" x1="${x0}" x2="${x0}" y1="${T}" y2="${T + ph}"/>`;
  s += `<line class="axis" x1="${x1}" x2="${x1}" y1="${T}" y2="${T + ph}"/>`;
  s += `<text class="axis-label" x="${x0}" y="${T - 16}" text-anchor="middle">${esc(o.beforeLabel)}</text>`;
  s += `<text class="axis-label" x="${x1}" y="${T - 16}" text-anchor="middle">${esc(o.afterLabel)}</text>`;
  const left = spreadLabels(data.map((r) => y(r.before)), gap, T + 4, T + ph);
  const right = spreadLabels(data.map((r) => y(r.after)), gap, T + 4, T + ph);
  const short = (t) => (t.length > 26 ? t.slice(0, 25) + '…' : t);
  data.forEach((r, i) => {
    const dir = fmt(r.after) === fmt(r.before) ? 'flat' : r.after > r.before ? 'up' : 'down';
    const yb = n2(y(r.before)), ya = n2(y(r.after));
    s += `<g class="slope-line ${dir}" data-id="${esc(r.id)}" data-dir="${dir}"><title>${esc(o.tip(r))}</title>`;
    s += `<line class="slope" x1="${x0}" x2="${x1}" y1="${yb}" y2="${ya}"/>`;
    s += `<circle class="end" cx="${x0}" cy="${yb}" r="2.6"/><circle class="end" cx="${x1}" cy="${ya}" r="2.6"/>`;
    const ly = n2(left[i]), ry = n2(right[i]);
    if (Math.abs(ly - yb) > 2) s += `<line class="leader" x1="${x0 - 4}" x2="${x0 - 12}" y1="${yb}" y2="${ly}"/>`;
    if (Math.abs(ry - ya) > 2) s += `<line class="leader" x1="${x1 + 4}" x2="${x1 + 12}" y1="${ya}" y2="${ry}"/>`;
    s += `<text class="label" x="${x0 - 14}" y="${n2(ly + 3.5)}" text-anchor="end">${esc(short(r.label))} <tspan class="v">${fmt(r.before)}</tspan></text>`;
    s += `<text class="label" x="${x1 + 14}" y="${n2(ry + 3.5)}"><tspan class="v">${fmt(r.after)}</tspan> ${esc(short(r.label))}</text>`;
    s += '</g>';
  });
  return s + '</svg>';
}
