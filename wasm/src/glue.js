// JavaScript half of the boundary (imported by wasm/src/convert.rs through wasm-bindgen):
// bulk data crosses as typed arrays and one joined text of strings (with their lengths)
// instead of value by value, and the objects a function returns are built here. No
// scoring here: only shapes.

const encoder = new TextEncoder();

/**
 * `text` as UTF-8 into the module's `memory` at byte `at`, where `capacity` bytes are free
 * (3 per UTF-16 code unit of `text` is always enough); the number of bytes written. One
 * native copy, without an intermediate array.
 */
export function encodeInto(text, memory, at, capacity) {
  return encoder.encodeInto(text, new Uint8Array(memory.buffer, at, capacity)).written;
}

/**
 * An array of plain objects packed for the Rust side, or `null` when it is not the plain
 * case (then the caller takes the general path, `JSON.stringify` and the core's records
 * reader, and reports what it finds there).
 *
 * The plain case: an array of plain objects with the same own keys in the same order,
 * without `toJSON`, whose values are numbers, strings, booleans or `null` (no `undefined`:
 * `JSON.stringify` drops those keys, and no nested values). Out: `keys` (the first object's
 * keys, as JSON text), `kinds` (row-major, one byte per cell: 0 number, 1 text, 2 null),
 * `numbers` (row-major: the value of every number cell, the length in UTF-16 code units of
 * every text cell) and `texts` (the strings of every text cell in row-major order, joined;
 * `true`/`false`, `NaN`, `Infinity` and `-Infinity` as their text, as the core's records
 * reader receives them).
 */
export function packRecords(objects) {
  if (!Array.isArray(objects) || objects.length === 0) return null;
  const first = objects[0];
  if (!isPlain(first)) return null;
  const keys = Object.keys(first);
  const k = keys.length;
  if (k === 0) return null;
  const n = objects.length;
  const kinds = new Uint8Array(n * k);
  const numbers = new Float64Array(n * k);
  const texts = [];
  const pack = packer(keys);
  const ok = pack ? pack(objects, keys, kinds, numbers, texts) : packLoop(objects, keys, kinds, numbers, texts);
  if (!ok) return null;
  return { keys: JSON.stringify(keys), kinds, numbers, texts: texts.join('') };
}

function isPlain(o) {
  return typeof o === 'object' && o !== null && !Array.isArray(o) && typeof o.toJSON !== 'function';
}

// One cell of `packLoop` (`v` the value, `c` the cell's index) as JavaScript source, which
// a packer by key list inlines once per key.
const CELL = `if (typeof v === 'number') {
      if (v - v === 0) {
        numbers[c] = v;
      } else {
        const t = v > 0 ? 'Infinity' : v < 0 ? '-Infinity' : 'NaN';
        kinds[c] = 1; numbers[c] = t.length; texts.push(t);
      }
    } else if (typeof v === 'string') {
      kinds[c] = 1; numbers[c] = v.length; texts.push(v);
    } else if (v === null) {
      kinds[c] = 2;
    } else if (typeof v === 'boolean') {
      const t = v ? 'true' : 'false';
      kinds[c] = 1; numbers[c] = t.length; texts.push(t);
    } else {
      return false;
    }`;

/** The keyed loop of `packRecords` (where code generation is not allowed). */
function packLoop(objects, keys, kinds, numbers, texts) {
  const n = objects.length;
  const k = keys.length;
  for (let i = 0; i < n; i++) {
    const o = objects[i];
    if (!isPlain(o)) return false;
    const own = Object.keys(o);
    if (own.length !== k) return false;
    for (let j = 0; j < k; j++) {
      const key = keys[j];
      if (own[j] !== key) return false;
      const v = o[key];
      const c = i * k + j;
      if (typeof v === 'number') {
        if (v - v === 0) {
          numbers[c] = v;
        } else {
          const t = v > 0 ? 'Infinity' : v < 0 ? '-Infinity' : 'NaN';
          kinds[c] = 1;
          numbers[c] = t.length;
          texts.push(t);
        }
      } else if (typeof v === 'string') {
        kinds[c] = 1;
        numbers[c] = v.length;
        texts.push(v);
      } else if (v === null) {
        kinds[c] = 2;
      } else if (typeof v === 'boolean') {
        const t = v ? 'true' : 'false';
        kinds[c] = 1;
        numbers[c] = t.length;
        texts.push(t);
      } else {
        return false;
      }
    }
  }
  return true;
}

/**
 * The source of a packer with the keys written out: `packLoop` with named loads instead
 * of keyed ones (about twice as fast on objects that share a shape).
 */
function packSource(keys) {
  const head = [
    'const n = objects.length;',
    'const k = keys.length;',
    'let v, c;',
    'for (let i = 0; i < n; i++) {',
    '  const o = objects[i];',
    "  if (typeof o !== 'object' || o === null || Array.isArray(o) || typeof o.toJSON === 'function') return false;",
    '  const own = Object.keys(o);',
    '  if (own.length !== k) return false;',
    '  const b = i * k;',
  ];
  const body = keys.flatMap((key, j) => [
    `  if (own[${j}] !== keys[${j}]) return false;`,
    `  v = o[${JSON.stringify(key)}];`,
    `  c = b + ${j};`,
    '  ' + CELL,
  ]);
  return [...head, ...body, '}', 'return true;'].join('\n');
}

// `new Function` is used where the page allows it; where a Content Security Policy forbids
// it, the keyed loops.
let codegen = true;
const packers = new Map();

function packer(keys) {
  if (!codegen) return null;
  const sig = JSON.stringify(keys);
  let p = packers.get(sig);
  if (p !== undefined) return p;
  try {
    p = new Function('objects', 'keys', 'kinds', 'numbers', 'texts', packSource(keys));
  } catch {
    codegen = false;
    p = null;
  }
  if (packers.size > 64) packers.clear();
  packers.set(sig, p);
  return p;
}

// Row builders by key list: a function with the keys written out is several times faster
// than keyed stores (every object gets the same shape from one literal). Built with
// `new Function` where the page allows it; where a Content Security Policy forbids it, the
// keyed loop. Keys are written as JSON string literals (valid JavaScript string literals).
const builders = new Map();

function builder(nodes) {
  const sig = JSON.stringify(nodes);
  let b = builders.get(sig);
  if (b !== undefined) return b;
  b = null;
  const fixed = ['id', 'name', 'jurisdiction', 'level', 'type', 'rank', 'quadrant'];
  // `__proto__` in a literal sets the prototype: such keys take the keyed path (where
  // `defineProperty` makes them own properties, as `JSON.parse` does).
  if (codegen && !nodes.includes('__proto__') && !fixed.some((f) => nodes.includes(f))) {
    const k = nodes.length;
    const body = [
      'const out = new Array(n);',
      'for (let i = 0; i < n; i++) {',
      `  const b = i * ${k};`,
      '  let v;',
      '  out[i] = {',
      '    id: m.ids[i], name: m.names[i], jurisdiction: m.jurisdictions[i], level: m.levels[i], type: m.types[i],',
      ...nodes.map((node, j) => `    ${JSON.stringify(node)}: (v = values[b + ${j}]) === v ? v : null,`),
      '    rank: rank[i], quadrant: m.quadrants[i],',
      '  };',
      '}',
      'return out;',
    ].join('\n');
    try {
      b = new Function('m', 'values', 'rank', 'n', body);
    } catch {
      codegen = false;
      b = null;
    }
  }
  if (builders.size > 64) builders.clear();
  builders.set(sig, b);
  return b;
}

/**
 * The score table as objects (`ScoreRow[]`), in the key order of the core's
 * `scores_to_json_string`: `id, name, jurisdiction, level, type, <nodes>, rank, quadrant`.
 * `head` is JSON text of `{nodes, same_names, tables}`; `text` the ids, then the names
 * (unless `same_names`: every name is its id), joined; `ints` their lengths (UTF-16 code
 * units), then one code per row for the jurisdiction, the level, the type and the quadrant
 * in turn (`tables[t][code - 1]`, 0 for `null`); `values` the node values row-major (`NaN`
 * where unknown, which becomes `null`), `rank` one rank per row.
 */
export function scoreRows(head, text, ints, values, rank) {
  const h = JSON.parse(head);
  const n = rank.length;
  let at = 0;
  let from = 0;
  const strings = () => {
    const out = new Array(n);
    for (let i = 0; i < n; i++) {
      const to = from + ints[at++];
      out[i] = text.slice(from, to);
      from = to;
    }
    return out;
  };
  const coded = (table) => {
    const out = new Array(n);
    for (let i = 0; i < n; i++) {
      const c = ints[at++];
      out[i] = c === 0 ? null : table[c - 1];
    }
    return out;
  };
  const ids = strings();
  const m = {
    ids,
    names: h.same_names ? ids : strings(),
    jurisdictions: coded(h.tables[0]),
    levels: coded(h.tables[1]),
    types: coded(h.tables[2]),
    quadrants: coded(h.tables[3]),
  };
  const nodes = h.nodes;
  const build = builder(nodes);
  if (build) return build(m, values, rank, n);
  const k = nodes.length;
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const o = {};
    put(o, 'id', m.ids[i]);
    put(o, 'name', m.names[i]);
    put(o, 'jurisdiction', m.jurisdictions[i]);
    put(o, 'level', m.levels[i]);
    put(o, 'type', m.types[i]);
    const b = i * k;
    for (let j = 0; j < k; j++) {
      const v = values[b + j];
      put(o, nodes[j], v === v ? v : null);
    }
    put(o, 'rank', rank[i]);
    put(o, 'quadrant', m.quadrants[i]);
    out[i] = o;
  }
  return out;
}

function put(o, key, value) {
  if (key === '__proto__') {
    Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    o[key] = value;
  }
}
