// JavaScript half of the boundary (imported by wasm/src/convert.rs through wasm-bindgen):
// bulk data crosses as typed arrays and one JSON text of strings instead of value by
// value, and the objects a function returns are built here. No scoring here: only shapes.

/**
 * An array of plain objects packed for the Rust side, or `null` when it is not the plain
 * case (then the caller takes the general path, `JSON.stringify` and the core's records
 * reader, and reports what it finds there).
 *
 * The plain case: an array of plain objects with the same own keys in the same order,
 * without `toJSON`, whose values are numbers, strings, booleans or `null` (no `undefined`:
 * `JSON.stringify` drops those keys, and no nested values). Out: `keys` (the first object's
 * keys, as JSON text), `kinds` (row-major, one byte per cell: 0 number, 1 text, 2 null),
 * `numbers` (row-major, the value of every number cell) and `texts` (JSON text of the
 * strings of every text cell in row-major order; `true`/`false`, `NaN`, `Infinity` and
 * `-Infinity` as their text, as the core's records reader receives them).
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
  for (let i = 0; i < n; i++) {
    const o = objects[i];
    if (!isPlain(o)) return null;
    const own = i === 0 ? keys : Object.keys(o);
    if (own.length !== k) return null;
    const base = i * k;
    for (let j = 0; j < k; j++) {
      const key = keys[j];
      if (own[j] !== key) return null;
      const v = o[key];
      const c = base + j;
      if (typeof v === 'number') {
        if (v - v === 0) {
          numbers[c] = v; // kind 0
        } else {
          kinds[c] = 1;
          texts.push(v > 0 ? 'Infinity' : v < 0 ? '-Infinity' : 'NaN');
        }
      } else if (typeof v === 'string') {
        kinds[c] = 1;
        texts.push(v);
      } else if (v === null) {
        kinds[c] = 2;
      } else if (typeof v === 'boolean') {
        kinds[c] = 1;
        texts.push(v ? 'true' : 'false');
      } else {
        return null;
      }
    }
  }
  return { keys: JSON.stringify(keys), kinds, numbers, texts: JSON.stringify(texts) };
}

function isPlain(o) {
  return typeof o === 'object' && o !== null && !Array.isArray(o) && typeof o.toJSON !== 'function';
}

// Row builders by key list: a function with the keys written out is several times faster
// than keyed stores (every object gets the same shape from one literal). Built with
// `new Function` where the page allows it; where a Content Security Policy forbids it, the
// keyed loop. Keys are written as JSON string literals (valid JavaScript string literals).
const builders = new Map();
let codegen = true;

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
 * `meta` is JSON text of `{nodes, ids, names, jurisdictions, levels, types, quadrants}`,
 * `values` the node values row-major (`NaN` where unknown, which becomes `null`), `rank`
 * one rank per row.
 */
export function scoreRows(meta, values, rank) {
  const m = JSON.parse(meta);
  const n = m.ids.length;
  const nodes = m.nodes;
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
