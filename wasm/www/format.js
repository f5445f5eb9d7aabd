// Small pure helpers: display rounding, HTML escaping and a CSV reader used only to show
// the offending row of a data error next to its header. No DOM access here, so these can
// be imported from Node as well.

/**
 * Rounds half up to `decimals` places for display, as the engine does (core io.rs
 * `round_half_up`): the value is first written with 15 decimals, which absorbs binary
 * representation error (0.285 -> "0.29"), then the decimal digits are rounded half away
 * from zero. Returns "" for null/undefined and "–" for NaN.
 */
export function fmt(x, decimals = 2) {
  if (x === null || x === undefined) return '';
  if (typeof x !== 'number') x = Number(x);
  if (Number.isNaN(x)) return '–';
  if (!Number.isFinite(x)) return String(x);
  const s = Math.abs(x).toFixed(15);
  if (Math.abs(x) < 1e9 && decimals <= 4) {
    // fast path (tables redraw thousands of cells): the integer part and decimals + 1
    // digits read as one integer, rounded half up on its last digit
    const dot = s.indexOf('.');
    const n = Number(s.slice(0, dot) + s.slice(dot + 1, dot + 2 + decimals));
    const digits = String(Math.floor((n + 5) / 10)).padStart(decimals + 1, '0');
    const neg = x < 0 && /[1-9]/.test(digits) ? '-' : '';
    const cut = digits.length - decimals;
    return neg + digits.slice(0, cut) + (decimals > 0 ? '.' + digits.slice(cut) : '');
  }
  const [int, frac = ''] = s.split('.');
  const digits = (int + frac.slice(0, decimals)).split('').map(Number);
  const next = Number(frac[decimals] ?? '0');
  if (next >= 5) {
    let k = digits.length;
    for (;;) {
      if (k === 0) { digits.unshift(1); break; }
      k -= 1;
      if (digits[k] === 9) { digits[k] = 0; } else { digits[k] += 1; break; }
    }
  }
  const intLen = digits.length - decimals;
  const isZero = digits.every((d) => d === 0);
  let out = x < 0 && !isZero ? '-' : '';
  out += digits.slice(0, intLen).join('');
  if (decimals > 0) out += '.' + digits.slice(intLen).join('');
  return out;
}

/** A percentage with one decimal, rounded half up (0.125 -> "12.5 %"). */
export function pct(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '';
  return `${fmt(x * 100, 1)} %`;
}

const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Escapes text for use inside HTML text or a double-quoted attribute. */
export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ESC[c]);
}

/**
 * Parses CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into records
 * (arrays of strings), each with a `line` property: the 1-based line of the file where it
 * starts. Empty lines are skipped, as the engine's reader does. Only used to show context
 * next to an error; the engine does the real reading.
 */
export function parseCsv(text) {
  const records = [];
  let field = '';
  let record = [];
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // BOM
  const n = text.length;
  const end = () => {
    record.push(field);
    if (!(record.length === 1 && record[0] === '')) {
      record.line = start;
      records.push(record);
    }
    field = '';
    record = [];
  };
  while (i < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i += 1; continue;
      }
      if (c === '\n') line += 1;
      field += c; i += 1; continue;
    }
    if (c === '"' && field === '') { quoted = true; i += 1; continue; }
    if (c === ',') { record.push(field); field = ''; i += 1; continue; }
    if (c === '\r' || c === '\n') {
      end();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line += 1;
      start = line;
      continue;
    }
    field += c; i += 1;
  }
  if (field !== '' || record.length > 0) end();
  return records;
}

/** Looks like JSON rather than CSV (first non-blank character is `[` or `{`). */
export function looksLikeJson(text) {
  const m = /\S/.exec(text);
  return !!m && (m[0] === '[' || m[0] === '{');
}

/** Compares two cell values for sorting: numbers numerically, text with the locale, blanks last. */
export function compareValues(a, b, collator) {
  const an = a === null || a === undefined || a === '';
  const bn = b === null || b === undefined || b === '';
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}
