// apertura web page: everything runs here, in the browser, on the WebAssembly package.
// No framework and no request to any other host: the page fetches only its own files,
// the package (../pkg/) and, on demand, the shipped sample (../../data/samples/).
import { fmt, pct, esc, parseCsv, looksLikeJson, compareValues } from './format.js';
import { TYPE_EN, LEVEL_EN, CODES, t as tr } from './i18n.js';
import { histogram, hbars, scatter, rankText } from './charts.js';
import { createRobustness } from './robustness.js';
import { createImprove } from './improve.js';
import { createCompare } from './compare.js';
import { canPrint, printFicha } from './print.js';

const PKG_URL = new URL('../pkg/apertura.js', import.meta.url).href;
// The full module (robustness, improve, compare, fichas): loaded on demand, the first time
// a file is scored; the page's first paint and scoring need only the base module.
const FULL_URL = new URL('../pkg/apertura_full.js', import.meta.url).href;
const SAMPLE_URL = new URL('../../data/samples/mga-2017-sample.csv', import.meta.url).href;
const DEFAULT_EDITION = 'mga-2017';
const TOP_NODES = ['iga', 't', 'p', 'tg', 'tc', 'pg', 'pc'];
const MAX_NUM_COLS = 16; // numeric columns of the table: the upper levels of the tree, as many as fit
const MAX_ERRORS = 50;
const ROW_LIMIT = 5000; // beyond this, a button renders the rest (908 or 2,043 rows render at once)

const $ = (sel) => document.querySelector(sel);

const state = {
  api: null, // the base module (scoring)
  fullApi: null, // the full module (analyses), loaded on demand
  analyses: null, // its loading promise
  lang: 'es',
  editions: [],
  editionId: DEFAULT_EDITION,
  tree: [],
  nodes: new Map(),
  input: null,
  sourceName: '',
  scorer: null, // the active scorer: `full`, or `derived` while weights differ from the edition's
  full: null, // the input as given (its published aggregates kept, checked against their parts)
  derived: null, // the input without aggregate columns that can be recomputed (what-if), made on demand
  derivedInput: null,
  defs: [], // edition nodes as defined (id, aliases, children), to match column headers
  templates: [], // repeated subtrees of the edition (their parents take the template's range)
  root: 'iga', // the edition's root node
  numCols: ['iga', 't', 'p', 'tg', 'tc', 'pg', 'pc'], // nodes shown as table columns and KPIs
  rows: [],
  national: {},
  byJur: [],
  byType: [],
  withValues: new Set(),
  sort: { key: 'rank', dir: 1 },
  filter: { text: '', jur: '', type: '', quad: '' },
  showAll: false,
  selected: null,
  weightsChanged: false,
  errors: null,
  pending: 0,
  dataVersion: 0, // counts successful scorings: robustness results belong to one of them
  weightLog: [], // the slider moves since the edition's weights, replayed by robustness runs
};

const L = (key, vars) => tr(state.lang, key, vars);

// ------------------------------------------------------------------ ranges

/** The range of a node's values as the edition declares it (`range`; [0, 1] by default,
 *  GODI and ODB 0-100, ODB's z-scores unbounded: null bounds). */
function declaredRange(id) {
  const d = state.defs.find((x) => x.id === id);
  let r = d?.range;
  if (r === undefined) r = state.templates.find((t) => (t.parents ?? []).includes(id))?.range;
  if (r === undefined) return { min: 0, max: 1 };
  return { min: Number.isFinite(r.min) ? r.min : null, max: Number.isFinite(r.max) ? r.max : null };
}

/** The span to draw a node's values on: its declared range, the values' extent where it is
 *  unbounded (and [0, 1] if there is nothing to measure). */
function domainOf(id, values = state.rows.map((r) => r[id])) {
  const r = declaredRange(id);
  const finite = values.filter((v) => typeof v === 'number' && Number.isFinite(v));
  let lo = r.min ?? (finite.length ? Math.min(...finite) : 0);
  let hi = r.max ?? (finite.length ? Math.max(...finite) : 1);
  if (!(hi > lo)) hi = lo + 1;
  return [lo, hi];
}

/** Share of a value along its node's domain, in [0, 1] (for bars). */
function along(id, v, domain = domainOf(id)) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return 0;
  return Math.max(0, Math.min(1, (v - domain[0]) / (domain[1] - domain[0])));
}

/** The table's numeric columns: the root, then whole levels of the tree below it while
 *  they fit (MGA: iga, t, p, tg, tc, pg, pc; GODI: the index and its 13 datasets). */
function numericColumns() {
  const root = state.tree.find((n) => n.parent === null)?.id ?? 'iga';
  const kids = new Map();
  for (const n of state.tree) if (n.parent !== null) (kids.get(n.parent) ?? kids.set(n.parent, []).get(n.parent)).push(n);
  const cols = [root];
  let level = [root];
  for (;;) {
    const next = level.flatMap((id) => (kids.get(id) ?? []).filter((n) => n.level !== 'item').map((n) => n.id));
    if (!next.length || cols.length + next.length > MAX_NUM_COLS) break;
    cols.push(...next);
    level = next;
  }
  return cols;
}

/** Short column label: IGA, T, TG... for the MGA, the last segment of the id otherwise. */
function colLabel(id) {
  if (TOP_NODES.includes(id)) return id.toUpperCase();
  if (id === state.root) return id.toUpperCase();
  return id.slice(id.lastIndexOf('.') + 1).replace(/_/g, ' ');
}

/** Whether this edition has the MGA's transparency x participation plane. */
function hasQuadrants() {
  return state.nodes.has('t') && state.nodes.has('p');
}

/** The row filter typed by the user (`COLUMN=VALUE`, several separated by commas). */
function rowFilters() {
  return ($('#row-filter')?.value ?? '').split(',').map((f) => f.trim()).filter(Boolean);
}

/** GODI's entries file holds three years: filter on the edition's year by default. */
function defaultRowFilter() {
  const e = state.editions.find((x) => x.id === state.editionId);
  return /^godi-/.test(state.editionId) && e?.publication_year ? `year=${e.publication_year}` : '';
}

// ------------------------------------------------------------------ labels

function nodeLabel(id) {
  const n = state.nodes.get(id);
  if (!n) return id;
  return (state.lang === 'en' ? n.label_en : n.label_es) || n.label_es || id;
}

/** Short name of a node: IGA, T, TG... for the upper levels, the item's label otherwise. */
function nodeShort(id) {
  if (TOP_NODES.includes(id)) return id.toUpperCase();
  const n = state.nodes.get(id);
  if (n && n.level !== 'item' && n.depth !== undefined && n.depth <= 2) return id.toUpperCase();
  return nodeLabel(id);
}

function typeLabel(v) {
  if (!v) return '';
  return state.lang === 'en' ? TYPE_EN[v] ?? v : v;
}

function levelLabel(v) {
  if (!v) return '';
  return state.lang === 'en' ? LEVEL_EN[v] ?? v : v;
}

function editionLabel(e) {
  if (e.label && typeof e.label === 'object') return e.label[state.lang] ?? e.label.es ?? e.id;
  const year = e.publication_year;
  if (/^mga-\d{4}$/.test(e.id) && year) return `MGA ${year}`;
  return e.label || e.id;
}

function applyI18n() {
  document.documentElement.lang = state.lang;
  document.title = L('doc.title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = L(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = L(el.dataset.i18nPlaceholder);
  for (const el of document.querySelectorAll('[data-i18n-title]')) el.title = L(el.dataset.i18nTitle);
  for (const b of document.querySelectorAll('.lang-btn')) b.setAttribute('aria-pressed', String(b.dataset.lang === state.lang));
  $('.charts').setAttribute('aria-label', L('charts.heading'));
}

// ------------------------------------------------------------------ status

function setStatus(text, kind = '') {
  const el = $('#status');
  el.textContent = text;
  el.className = `status ${kind}`;
}

function statusText() {
  if (!state.input) return L('data.none');
  if (state.errors) return L(state.errors.length === 1 ? 'data.failed1' : 'data.failed', { name: state.sourceName, n: state.errors.length });
  if (state.full) return L('data.scored', { name: state.sourceName, n: state.full.length, edition: state.editionId });
  return L('data.loaded', { name: state.sourceName });
}

function statusKind() {
  return state.errors ? 'bad' : state.full ? 'ok' : '';
}

// ------------------------------------------------------------------ engine

async function boot() {
  try {
    state.lang = localStorage.getItem('apertura.lang') === 'en' ? 'en' : 'es';
  } catch { /* storage may be disabled */ }
  applyI18n();
  bindUi();
  setStatus(L('engine.loading'));
  try {
    const api = await import(PKG_URL);
    await api.default();
    state.api = api;
  } catch (e) {
    setStatus(L('engine.failed', { message: e?.message ?? String(e) }), 'bad');
    document.body.dataset.ready = 'error';
    return;
  }
  $('#engine-version').textContent = `· ${L('engine.ready', { version: state.api.version() })}`;
  state.editions = state.api.editions();
  if (!state.editions.some((e) => e.id === state.editionId)) state.editionId = state.editions[0]?.id;
  renderEditions();
  loadTree();
  $('#edition').disabled = false;
  setStatus(statusText());
  document.body.dataset.ready = 'true';
  if (state.input !== null) scoreInput(); // a file chosen while the engine was loading
}

/** Loads the full module once (on demand), then shows the analyses of the file scored. */
function loadAnalyses() {
  if (state.analyses) return state.analyses;
  document.body.dataset.analyses = 'loading';
  state.analyses = import(FULL_URL)
    .then(async (m) => {
      await m.default();
      state.fullApi = m;
      document.body.dataset.analyses = 'ready';
      if (state.scorer) {
        rob.prepare();
        imp.prepare();
        imp.show(state.selected);
        cmp.prepare();
        renderDetail();
      }
      return m;
    })
    .catch((e) => {
      state.analyses = null;
      document.body.dataset.analyses = 'error';
      console.warn(`apertura: the analyses could not be loaded: ${e?.message ?? e}`);
    });
  return state.analyses;
}

function loadTree() {
  const ed = state.api.Edition.load(state.editionId);
  try {
    state.tree = ed.tree();
    const def = JSON.parse(ed.toJson());
    state.defs = def.nodes ?? [];
    state.templates = def.templates ?? [];
  } finally {
    ed.free?.();
  }
  state.nodes = new Map(state.tree.map((n) => [n.id, n]));
  state.root = state.tree.find((n) => n.parent === null)?.id ?? 'iga';
  state.numCols = numericColumns();
  const filter = $('#row-filter');
  if (filter) filter.value = defaultRowFilter();
}

function renderEditions() {
  const sel = $('#edition');
  sel.innerHTML = state.editions
    .map((e) => `<option value="${esc(e.id)}"${e.id === state.editionId ? ' selected' : ''}>${esc(editionLabel(e))}${e.status === 'provisional' && !/provisional/i.test(editionLabel(e)) ? ` (${esc(L('edition.provisional'))})` : ''}</option>`)
    .join('');
  const e = state.editions.find((x) => x.id === state.editionId);
  $('#edition-note').textContent = e
    ? [e.id, L(`edition.${e.status}`), Number.isFinite(e.items) ? L('edition.items', { n: e.items }) : ''].filter(Boolean).join(' · ')
    : '';
}

function scoreOptions() {
  const options = { edition: state.editionId, gates: $('#gates-apply').checked ? 'apply' : 'error' };
  const where = rowFilters();
  // filters apply to CSV text only (JSON input is read as it is)
  if (where.length && state.input !== null && !looksLikeJson(state.input)) options.where = where;
  return options;
}

/** Scores state.input from scratch (new data or new edition). */
async function scoreInput() {
  if (!state.api || state.input === null) return;
  const token = ++state.pending;
  setStatus(L('data.loading'));
  document.body.dataset.state = 'scoring';
  // let the status paint before the (synchronous) scoring of a large file
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  if (token !== state.pending) return; // another file or edition came in meanwhile
  let scorer = null;
  try {
    scorer = new state.api.Scorer(state.input, scoreOptions());
  } catch (e) {
    rob.cancel();
    cmp.disable();
    dropScorer();
    showErrors(e);
    $('#results').hidden = true;
    setStatus(statusText(), statusKind());
    document.body.dataset.state = 'error';
    return;
  }
  dropScorer();
  state.scorer = scorer;
  state.full = scorer;
  state.dataVersion += 1;
  state.weightLog = [];
  state.derivedInput = derivedInput(state.input);
  clearErrors();
  state.weightsChanged = false;
  state.showAll = false;
  state.rows = scorer.rows();
  state.withValues = nodesWithValues(state.rows);
  if (!state.selected || !state.rows.some((r) => r.id === state.selected)) {
    const rankOf = (r) => (r.rank > 0 ? r.rank : Infinity); // 0: no index value
    const best = state.rows.reduce((a, r) => (a === null || rankOf(r) < rankOf(a) ? r : a), null);
    state.selected = best ? best.id : null;
  }
  renderFilterOptions();
  buildWeights();
  refresh(false);
  $('#results').hidden = false;
  rob.prepare();
  imp.prepare();
  imp.show(state.selected);
  cmp.prepare();
  loadAnalyses();
  setStatus(statusText(), statusKind());
  document.body.dataset.state = 'scored';
}

function dropScorer() {
  for (const s of new Set([state.full, state.derived, state.scorer])) s?.free?.();
  state.scorer = state.full = state.derived = null;
  state.derivedInput = null;
}

/**
 * Columns given together with all the parts they are computed from (the published 2017
 * file has GA, T and P next to TG, TC, PG, PC) are kept as given and only checked against
 * their parts. With other weights they must be recomputed instead, so the what-if scorer
 * reads the file without them. Returns that CSV text, or null when there is nothing to drop.
 */
function derivedInput(text) {
  if (looksLikeJson(text)) return null;
  const records = parseCsv(text);
  const header = records[0];
  if (!header) return null;
  const byName = new Map();
  for (const d of state.defs) {
    for (const name of [d.id, ...(d.aliases ?? [])]) byName.set(String(name).trim().toLowerCase(), d);
  }
  const defs = new Map(state.defs.map((d) => [d.id, d]));
  const given = new Set();
  header.forEach((h) => { const d = byName.get(h.trim().toLowerCase()); if (d) given.add(d.id); });
  const memo = new Map();
  const computable = (id) => {
    if (memo.has(id)) return memo.get(id);
    memo.set(id, false);
    const kids = (defs.get(id)?.children ?? []).map((c) => (typeof c === 'string' ? c : c.id));
    const ok = kids.length > 0 && kids.every((k) => given.has(k) || computable(k));
    memo.set(id, ok);
    return ok;
  };
  const drop = new Set();
  header.forEach((h, j) => { const d = byName.get(h.trim().toLowerCase()); if (d && computable(d.id)) drop.add(j); });
  if (!drop.size) return null;
  const q = (c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  return records.map((r) => r.filter((_, j) => !drop.has(j)).map(q).join(',')).join('\n') + '\n';
}

/** The scorer that weight changes go to: the what-if one when the input has derived columns. */
function weightTarget() {
  if (!state.derivedInput) return state.full;
  if (!state.derived) state.derived = new state.api.Scorer(state.derivedInput, scoreOptions());
  return state.derived;
}

function atDefaults(scorer) {
  return scorer.weightSlots().every((s) => Math.abs(s.weight - s.default) <= 1e-12);
}

function nodesWithValues(rows) {
  const out = new Set();
  for (const n of state.tree) {
    if (rows.some((r) => r[n.id] !== null && r[n.id] !== undefined)) out.add(n.id);
  }
  return out;
}

/**
 * Re-reads everything from the scorer (after a weight change) and redraws. While a slider
 * is being dragged (`table` false) the table, the slowest part to lay out, waits until the
 * slider rests; it is marked stale meanwhile.
 */
function refresh(reread = true, table = true) {
  const s = state.scorer;
  if (!s) return;
  if (reread) state.rows = s.rows();
  state.national = s.national();
  state.byJur = s.summary('jurisdiction');
  state.byType = s.summary('type');
  renderKpis();
  renderCharts();
  renderDetail();
  updateWeights();
  if (table) {
    clearTimeout(tableTimer);
    renderTable();
    $('.table-wrap').classList.remove('stale');
    document.body.dataset.renders = String(Number(document.body.dataset.renders ?? 0) + 1);
  } else {
    $('.table-wrap').classList.add('stale');
  }
  rob.refresh();
}

let frame = 0;
let fullPending = false;
let tableTimer = 0;
/** Redraws at the next frame; `full` false (slider moving) leaves the table for later. */
function scheduleRefresh(full = true) {
  fullPending ||= full;
  clearTimeout(tableTimer);
  if (!full) tableTimer = setTimeout(() => scheduleRefresh(true), 250);
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    const withTable = fullPending;
    fullPending = false;
    refresh(true, withTable);
  });
}

// ------------------------------------------------------------------ loading data

async function loadFile(file) {
  if (!file) return;
  let text;
  try {
    text = await readText(file);
  } catch (e) {
    setStatus(e?.message ?? String(e), 'bad');
    return;
  }
  loadText(text, file.name);
}

/** Reads a file as UTF-8; a file that is not valid UTF-8 is read as Windows-1252. */
async function readText(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // The published 2017 file has a few bytes that are not UTF-8 in some names;
    // decoding those with replacement keeps every score intact.
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function loadText(text, name) {
  state.input = text;
  state.sourceName = name;
  $('#file-name').textContent = name;
  state.selected = null;
  state.filter = { text: '', jur: '', type: '', quad: '' };
  $('#f-text').value = '';
  scoreInput();
}

async function loadSample() {
  setStatus(L('data.loading'));
  try {
    const res = await fetch(SAMPLE_URL);
    if (!res.ok) throw new Error(`${res.status} ${res.statusText}: ${SAMPLE_URL}`);
    loadText(await res.text(), 'mga-2017-sample.csv');
  } catch (e) {
    setStatus(e?.message ?? String(e), 'bad');
  }
}

// ------------------------------------------------------------------ errors

function clearErrors() {
  state.errors = null;
  $('#errors').hidden = true;
  $('#error-list').innerHTML = '';
}

function showErrors(e) {
  const list = Array.isArray(e?.errors) && e.errors.length
    ? e.errors
    : [{ code: e?.code, message: e?.message ?? String(e), institution: e?.institution, item: e?.item, row: e?.row, column: e?.column, value: e?.value }];
  state.errors = list;
  renderErrors();
}

function renderErrors() {
  const list = state.errors;
  if (!list) return;
  const records = state.input !== null && !looksLikeJson(state.input) ? parseCsv(state.input) : null;
  const header = records?.[0] ?? null;
  const html = list.slice(0, MAX_ERRORS).map((err) => errorItem(err, header, records)).join('');
  $('#error-list').innerHTML = html;
  const more = $('#errors-more');
  more.hidden = list.length <= MAX_ERRORS;
  more.textContent = L('errors.more', { n: list.length - MAX_ERRORS });
  $('#errors').hidden = false;
  // bring the offending cell of each snippet into view (horizontal scroll only)
  for (const wrap of document.querySelectorAll('#error-list .snippet-wrap')) {
    const bad = wrap.querySelector('.bad');
    if (bad) wrap.scrollLeft = Math.max(0, bad.offsetLeft - wrap.clientWidth / 2 + bad.offsetWidth / 2);
  }
}

function findColumn(header, column) {
  if (!header || column === null || column === undefined) return -1;
  let k = header.indexOf(column);
  if (k < 0) {
    const key = String(column).trim().toLowerCase();
    k = header.findIndex((h) => h.trim().toLowerCase() === key);
  }
  return k;
}

function errorItem(err, header, records) {
  const has = (v) => v !== null && v !== undefined && v !== '';
  const where = [];
  if (!has(err.row) && has(err.institution) && records) {
    // errors found while scoring name the institution, not the row: find its row
    let k = findColumn(header, 'id');
    if (k < 0) k = ['name', 'so', 'nombre', 'sujeto_obligado'].map((c) => findColumn(header, c)).find((j) => j >= 0) ?? -1;
    if (k >= 0) {
      const i = records.findIndex((r, n) => n > 0 && (r[k] ?? '').trim() === err.institution);
      if (i > 0) err = { ...err, row: i };
    }
  }
  if (!has(err.column) && has(err.item) && header) {
    const d = state.defs.find((x) => x.id === err.item);
    const names = d ? [d.id, ...(d.aliases ?? [])] : [err.item];
    const j = names.map((c) => findColumn(header, c)).find((x) => x >= 0);
    if (j !== undefined) err = { ...err, column: header[j] };
  }
  const record = has(err.row) && records ? records[err.row] : null;
  if (has(err.row)) {
    where.push(`<strong class="err-row">${esc(L('errors.row', { row: err.row }))}</strong>${record?.line ? ` <span class="small">(${esc(L('errors.line', { line: record.line }))})</span>` : ''}`);
  }
  if (has(err.column)) where.push(`<span class="err-col">${esc(L('errors.column', { column: '' }))}<code>${esc(err.column)}</code></span>`);
  if (has(err.institution)) where.push(`<span>${esc(L('errors.institution', { institution: '' }))}<q>${esc(err.institution)}</q></span>`);
  if (has(err.item) && err.item !== err.column) where.push(`<span>${esc(L('errors.item', { item: '' }))}<code>${esc(err.item)}</code></span>`);
  if (has(err.value)) where.push(`<span>${esc(L('errors.value', { value: err.value }))}</span>`);
  const explained = CODES[state.lang][err.code];
  let snippet = '';
  const k = header ? findColumn(header, err.column) : -1;
  if (header && record && k >= 0) {
    const head = header.map((h, j) => `<th scope="col"${j === k ? ' class="bad"' : ''}>${esc(h)}</th>`).join('');
    const cells = header.map((_, j) => `<td${j === k ? ' class="bad" aria-invalid="true"' : ''} title="${esc(record[j] ?? '')}">${esc(record[j] ?? '')}</td>`).join('');
    snippet = `<div class="snippet-wrap"><table class="snippet"><thead><tr><th scope="col">#</th>${head}</tr></thead>`
      + `<tbody><tr><th scope="row">${esc(err.row)}</th>${cells}</tr></tbody></table></div>`;
  }
  return `<li class="error" data-testid="error" data-code="${esc(err.code ?? '')}"${has(err.row) ? ` data-row="${esc(err.row)}"` : ''}${has(err.column) ? ` data-column="${esc(err.column)}"` : ''}>`
    + `<p class="err-where">${where.join(' · ') || esc(err.code ?? '')}</p>`
    + `<p class="err-msg">${explained ? `<strong>${esc(explained)}</strong> — ` : ''}${esc(err.message ?? '')}${err.code ? ` <code class="err-code">${esc(err.code)}</code>` : ''}</p>`
    + snippet + '</li>';
}

// ------------------------------------------------------------------ KPIs

function renderKpis() {
  const nat = state.national;
  $('[data-testid=national-iga]').textContent = fmt(nat[state.root]);
  $('[data-testid=row-count]').textContent = String(state.scorer.length ?? state.rows.length);
  $('#kpi-iga-label').textContent = state.root === 'iga' ? L('kpi.national') : `${colLabel(state.root)} · ${L('bars.national')}`;
  const nodes = state.numCols.slice(1).filter((id) => state.nodes.has(id) && nat[id] !== null && nat[id] !== undefined);
  $('#kpi-nodes').innerHTML = nodes
    .map((id) => `<div class="kpi kpi-small" title="${esc(nodeLabel(id))}"><span class="kpi-label">${esc(colLabel(id))}<span class="sr-only"> ${esc(nodeLabel(id))}</span></span>`
      + `<span class="kpi-value" data-node="${esc(id)}">${fmt(nat[id])}</span>`
      + `<span class="kpi-bar" aria-hidden="true"><span style="width:${(along(id, nat[id]) * 100).toFixed(2)}%"></span></span></div>`)
    .join('');
}

// ------------------------------------------------------------------ charts

function groupsOf(summary) {
  return summary
    .filter((g) => g.group !== 'national')
    .map((g) => ({ label: g.group === null || g.group === '' ? '—' : String(g.group), value: g[state.root], n: g.n }));
}

function renderCharts() {
  const rows = state.rows;
  const root = state.root;
  const domain = domainOf(root);
  $('#chart-dist').innerHTML = histogram(rows.map((r) => r[root]), {
    title: L('dist.heading'), xLabel: colLabel(root), yLabel: L('dist.y'), marker: state.national[root], markerLabel: L('bars.national'), domain,
  });
  const typeGroups = groupsOf(state.byType).map((g) => ({ ...g, label: typeLabel(g.label) }));
  $('#chart-jur').innerHTML = hbars(groupsOf(state.byJur), { title: L('jur.heading'), reference: state.national[root], referenceLabel: L('bars.national'), domain });
  $('#chart-type').innerHTML = hbars(typeGroups, { title: L('type.heading'), reference: state.national[root], referenceLabel: L('bars.national'), domain });
  // groups and the T x P plane exist only where the data and the edition have them
  const has = (key) => rows.some((r) => r[key] !== null && r[key] !== undefined && r[key] !== '');
  $('#chart-jur').closest('figure').hidden = !has('jurisdiction') && root !== 'iga';
  $('#chart-type').closest('figure').hidden = !has('type') && root !== 'iga';
  $('#chart-scatter').closest('figure').hidden = !hasQuadrants();
  renderScatter();
}

function renderScatter() {
  if (!hasQuadrants()) {
    $('#chart-scatter').innerHTML = '';
    $('#scatter-legend').innerHTML = '';
    return;
  }
  const pts = state.rows.map((r) => ({ x: r.t, y: r.p, id: r.id, name: r.name || r.id, q: r.quadrant }));
  $('#chart-scatter').innerHTML = scatter(pts, {
    title: L('scatter.heading'),
    xLabel: `T · ${nodeLabel('t')}`,
    yLabel: `P · ${nodeLabel('p')}`,
    selected: state.selected,
    quadrantLabels: {},
  });
  $('#scatter-legend').innerHTML = ['I', 'II', 'III', 'IV']
    .map((q) => `<li><span class="swatch q-${q}" aria-hidden="true"></span>${esc(L(`scatter.q.${q}`))}</li>`)
    .join('');
}

// ------------------------------------------------------------------ table

function columns() {
  return [
    { key: 'name', label: L('col.name'), text: true },
    { key: 'jurisdiction', label: L('col.jurisdiction'), text: true },
    { key: 'type', label: L('col.type'), text: true },
    ...state.numCols.filter((k) => state.nodes.has(k) && (k === state.root || state.withValues.has(k)))
      .map((k) => ({ key: k, label: colLabel(k), title: nodeLabel(k) })),
    { key: 'rank', label: L('col.rank') },
    ...(rob.current() ? [{ key: 'range90', label: L('col.range90'), title: L('col.range90.title') }] : []),
    { key: 'quadrant', label: L('col.quadrant'), text: true },
  ];
}

function fold(s) {
  return String(s ?? '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

function filteredRows() {
  const f = state.filter;
  const text = fold(f.text.trim());
  const rows = state.rows.filter((r) => (!text || fold(r.name).includes(text) || fold(r.id).includes(text))
    && (!f.jur || r.jurisdiction === f.jur)
    && (!f.type || r.type === f.type)
    && (!f.quad || (r.quadrant ?? '') === f.quad));
  const { key, dir } = state.sort;
  const collator = new Intl.Collator(state.lang, { sensitivity: 'base', numeric: true });
  const width = (r) => { const iv = rob.interval(r.id); return iv ? iv.rank_q95 - iv.rank_q05 : null; };
  const val = (r) => (key === 'type' ? typeLabel(r.type) : key === 'range90' ? width(r) : r[key]);
  rows.sort((a, b) => {
    const va = val(a), vb = val(b);
    const blankA = va === null || va === undefined || va === '';
    const blankB = vb === null || vb === undefined || vb === '';
    if (blankA || blankB) return blankA === blankB ? 0 : blankA ? 1 : -1; // blanks last either way
    return dir * compareValues(va, vb, collator) || (a.rank ?? 0) - (b.rank ?? 0);
  });
  return rows;
}

const COL_WIDTH_BASE = { name: 22, jurisdiction: 12, type: 13, rank: 6.5, quadrant: 9.5 };
// with the 90 % range column the text columns give it room, so the scores keep theirs
const COL_WIDTH_RANGE = { name: 19, jurisdiction: 11.5, type: 12, rank: 6.5, range90: 8, quadrant: 9.5 };
let COL_WIDTH = COL_WIDTH_BASE;

function renderHead() {
  const cols = columns();
  COL_WIDTH = cols.some((c) => c.key === 'range90') ? COL_WIDTH_RANGE : COL_WIDTH_BASE;
  const numeric = cols.filter((c) => !(c.key in COL_WIDTH)).length;
  const rest = 100 - cols.reduce((a, c) => a + (COL_WIDTH[c.key] ?? 0), 0);
  $('#scores-cols').innerHTML = cols
    .map((c) => `<col class="c-${esc(c.key)}" style="width:${(COL_WIDTH[c.key] ?? rest / numeric).toFixed(2)}%">`)
    .join('');
  $('#scores-head').innerHTML = cols
    .map((c) => {
      const sorted = state.sort.key === c.key;
      const aria = sorted ? (state.sort.dir > 0 ? 'ascending' : 'descending') : 'none';
      const arrow = sorted ? (state.sort.dir > 0 ? '▲' : '▼') : '';
      return `<th scope="col" aria-sort="${aria}" class="${c.text ? 'txt' : 'num'} col-${esc(c.key)}"${c.title ? ` title="${esc(c.title)}"` : ''}>`
        + `<button type="button" data-sort="${esc(c.key)}">${esc(c.label)}<span class="arrow" aria-hidden="true">${arrow}</span></button></th>`;
    })
    .join('');
}

function renderTable() {
  renderHead();
  const rows = filteredRows();
  const limit = state.showAll ? rows.length : Math.min(rows.length, ROW_LIMIT);
  const cols = columns();
  const parts = new Array(limit);
  for (let i = 0; i < limit; i += 1) {
    const r = rows[i];
    let h = `<tr data-testid="score-row" data-id="${esc(r.id)}"${r.id === state.selected ? ' class="selected" aria-current="true"' : ''}>`;
    for (const c of cols) {
      if (c.key === 'name') h += `<th scope="row" class="txt name">${esc(r.name || r.id)}</th>`;
      else if (c.key === 'type') h += `<td class="txt">${esc(typeLabel(r.type))}</td>`;
      else if (c.key === 'jurisdiction') h += `<td class="txt">${esc(r.jurisdiction ?? '')}</td>`;
      else if (c.key === 'quadrant') h += `<td class="txt q">${r.quadrant ? `<span class="chip q-${esc(r.quadrant)}">${esc(r.quadrant)}</span>` : ''}</td>`;
      else if (c.key === 'rank') h += `<td class="num">${r.rank || ''}</td>`; // 0: no index value (incomplete = partial)
      else if (c.key === 'range90') h += range90Cell(rob.interval(r.id));
      else h += `<td class="num${c.key === state.root ? ' strong' : ''}">${fmt(r[c.key])}</td>`;
    }
    parts[i] = h + '</tr>';
  }
  $('#scores-body').innerHTML = parts.join('');
  $('#table-count').textContent = L('table.shown', { shown: rows.length, total: state.rows.length });
  const more = $('#table-more');
  if (limit < rows.length) {
    more.hidden = false;
    more.innerHTML = `${esc(L('table.truncated', { shown: limit, total: rows.length }))} <button type="button" class="btn secondary" id="show-all">${esc(L('table.showAll', { n: rows.length }))}</button>`;
  } else {
    more.hidden = true;
    more.innerHTML = '';
  }
}

/** The 90 % rank range of a robustness run (5th to 95th percentile of the rank). */
function range90Cell(iv) {
  if (!iv) return '<td class="num range90"></td>';
  return `<td class="num range90" data-q05="${iv.rank_q05}" data-q95="${iv.rank_q95}">${rankText(iv.rank_q05)}–${rankText(iv.rank_q95)}</td>`;
}

function renderFilterOptions() {
  const distinct = (key) => [...new Set(state.rows.map((r) => r[key]).filter((v) => v !== null && v !== undefined && v !== ''))];
  const collator = new Intl.Collator('es');
  const jur = distinct('jurisdiction').sort(collator.compare);
  const types = distinct('type').sort((a, b) => collator.compare(typeLabel(a), typeLabel(b)));
  const opt = (v, label, sel) => `<option value="${esc(v)}"${v === sel ? ' selected' : ''}>${esc(label)}</option>`;
  $('#f-jur').innerHTML = opt('', L('table.all'), state.filter.jur) + jur.map((v) => opt(v, v, state.filter.jur)).join('');
  $('#f-type').innerHTML = opt('', L('table.allTypes'), state.filter.type) + types.map((v) => opt(v, typeLabel(v), state.filter.type)).join('');
  $('#f-quad').innerHTML = opt('', L('table.all'), state.filter.quad) + ['I', 'II', 'III', 'IV'].map((q) => opt(q, L(`scatter.q.${q}`), state.filter.quad)).join('');
  const byName = [...state.rows].sort((a, b) => collator.compare(a.name || a.id, b.name || b.id));
  $('#detail-pick').innerHTML = byName.map((r) => opt(r.id, r.name || r.id, state.selected)).join('');
}

// ------------------------------------------------------------------ breakdown

function renderDetail() {
  const body = $('#detail-body');
  const id = state.selected;
  const row = state.rows.find((r) => r.id === id);
  imp.show(id);
  $('#print-ficha').hidden = !(canPrint(state.fullApi) && row && row[state.root] !== null && row[state.root] !== undefined);
  if (!row) {
    body.innerHTML = `<p class="small">${esc(L('detail.none'))}</p>`;
    return;
  }
  $('#detail-pick').value = id;
  if (row[state.root] === null || row[state.root] === undefined) {
    // left empty (incomplete = partial: ODB's datasets file has no Readiness or Impact)
    body.innerHTML = `<div class="detail-head"><h3>${esc(row.name || row.id)}</h3></div><p class="small">${esc(L('detail.noindex'))}</p>`;
    return;
  }
  let ex;
  try {
    ex = state.scorer.explain(id);
  } catch (e) {
    body.innerHTML = `<p class="bad">${esc(L('detail.error', { message: e?.message ?? String(e) }))}</p>`;
    return;
  }
  const items = ex.items ?? [];
  const maxW = Math.max(1e-9, ...items.map((it) => it.effective_weight ?? 0));
  const meta = [row.jurisdiction, levelLabel(row.level), typeLabel(row.type)].filter(Boolean).map(esc).join(' · ');
  const top = state.numCols.filter((k) => row[k] !== null && row[k] !== undefined)
    .map((k) => `<span class="pill${k === state.root ? ' strong' : ''}" title="${esc(nodeLabel(k))}">${esc(colLabel(k))} <b>${fmt(row[k])}</b></span>`)
    .join('');
  let h = `<div class="detail-head"><h3>${esc(row.name || row.id)}</h3><p class="small">${meta}${row.rank ? ` · ${esc(L('col.rank'))} ${row.rank}` : ''}${row.quadrant ? ` · ${esc(L('col.quadrant'))} <span class="chip q-${esc(row.quadrant)}">${esc(row.quadrant)}</span>` : ''}</p><p class="pills">${top}</p></div>`;
  h += `<div class="table-wrap detail-wrap"><table class="detail"><thead><tr>`
    + `<th scope="col" class="txt">${esc(L('detail.item'))}</th><th scope="col" class="txt">${esc(L('detail.parent'))}</th>`
    + `<th scope="col" class="num">${esc(L('detail.weight'))}</th><th scope="col" class="num">${esc(L('detail.value'))}</th>`
    + `<th scope="col" class="txt bar-col">${esc(L('detail.contribution'))}</th><th scope="col" class="num">${esc(L('detail.gain'))}</th></tr></thead><tbody>`;
  let sumC = 0;
  for (const it of items) {
    const w = it.effective_weight ?? 0;
    const c = it.contribution;
    if (Number.isFinite(c)) sumC += c;
    const track = (w / maxW) * 100;
    const fill = w > 0 && Number.isFinite(c) ? Math.max(0, Math.min(1, c / w)) * 100 : 0;
    h += `<tr data-item="${esc(it.item)}"><th scope="row" class="txt">${esc(nodeLabel(it.item))} <span class="node-id">${esc(it.item)}</span></th>`
      + `<td class="txt">${esc(it.parent ? it.parent.toUpperCase() : '')}</td>`
      + `<td class="num">${esc(pct(w))}</td><td class="num">${fmt(it.value)}</td>`
      + `<td class="bar-col"><span class="cbar" aria-hidden="true"><span class="track" style="width:${track.toFixed(2)}%"><span class="fill" style="width:${fill.toFixed(2)}%"></span></span></span><span class="cval">${fmt(c)}</span></td>`
      + `<td class="num gain">${Number.isFinite(it.gain_if_one) && it.gain_if_one > 0 ? '+' : ''}${fmt(it.gain_if_one)}</td></tr>`;
  }
  h += `</tbody><tfoot><tr><th scope="row" class="txt" colspan="4">${esc(L('detail.total'))}</th><td class="bar-col"><span class="cval strong">${fmt(ex.index ?? sumC)}</span></td><td></td></tr></tfoot></table></div>`;
  body.innerHTML = h;
}

function select(id) {
  if (!id || id === state.selected) return;
  state.selected = id;
  for (const tr of document.querySelectorAll('#scores-body tr.selected')) {
    tr.classList.remove('selected');
    tr.removeAttribute('aria-current');
  }
  const tr = document.querySelector(`#scores-body tr[data-id="${CSS.escape(id)}"]`);
  if (tr) {
    tr.classList.add('selected');
    tr.setAttribute('aria-current', 'true');
  }
  renderDetail();
  renderScatter();
}

// ------------------------------------------------------------------ weights

function slotsByParent() {
  const slots = state.scorer.weightSlots();
  const order = new Map(state.tree.map((n, i) => [n.id, i]));
  const groups = new Map();
  for (const s of slots) {
    if (!groups.has(s.parent)) groups.set(s.parent, []);
    groups.get(s.parent).push(s);
  }
  return [...groups.entries()].sort((a, b) => (order.get(a[0]) ?? 0) - (order.get(b[0]) ?? 0));
}

/** Share of the root of each node under the current weights (product down the path). */
function shares(slots) {
  const w = new Map(slots.map((s) => [s.child, s]));
  // relative weights and points (GODI) are shares of their siblings' sum
  const sums = new Map();
  for (const s of slots) sums.set(s.parent, (sums.get(s.parent) ?? 0) + s.weight);
  const memo = new Map();
  const share = (id) => {
    if (memo.has(id)) return memo.get(id);
    const s = w.get(id);
    const sum = s ? sums.get(s.parent) : 1;
    const v = s ? (Math.abs(sum - 1) <= 1e-9 || !(sum > 0) ? s.weight : s.weight / sum) * share(s.parent) : 1;
    memo.set(id, v);
    return v;
  };
  return share;
}

function buildWeights() {
  const groups = slotsByParent();
  let h = '';
  for (const [parent, slots] of groups) {
    const allNoEffect = slots.every((s) => !state.withValues.has(s.child));
    h += `<fieldset class="wgroup${allNoEffect ? ' noeffect' : ''}" data-parent="${esc(parent)}"><legend>${esc(nodeShort(parent))}`
      + `${nodeShort(parent) !== nodeLabel(parent) ? ` <span class="legend-sub">${esc(nodeLabel(parent))}</span>` : ''}`
      + `${allNoEffect ? ` <span class="badge" title="${esc(L('weights.noeffect.title'))}">${esc(L('weights.noeffect'))}</span>` : ''}</legend>`;
    // weights that are points or relative (GODI's 5 ... 30, 1 per dataset) need a wider slider
    const total = slots.reduce((a, s) => a + s.default, 0);
    const max = total > 1 + 1e-9 ? total : 1;
    const step = max > 1 ? max / 100 : 0.01;
    for (const s of slots) {
      const id = `w-${s.child.replace(/[^a-z0-9_-]/gi, '_')}`;
      const noEffect = !state.withValues.has(s.child);
      h += `<div class="slider${noEffect ? ' noeffect' : ''}">`
        + `<label for="${id}"><span class="slabel">${esc(nodeShort(s.child))}</span>`
        + `${noEffect && !allNoEffect ? ` <span class="badge" title="${esc(L('weights.noeffect.title'))}">${esc(L('weights.noeffect'))}</span>` : ''}`
        + `<output for="${id}" class="sval" data-out="${esc(s.child)}"></output></label>`
        + `<input id="${id}" type="range" min="0" max="${max}" step="${step}" value="${s.weight}" data-node="${esc(s.child)}" data-parent="${esc(parent)}"`
        + ` aria-describedby="${id}-d"${noEffect ? ' data-noeffect="true"' : ''}>`
        + `<span class="small sshare" id="${id}-d" data-share="${esc(s.child)}"></span></div>`;
    }
    h += '</fieldset>';
  }
  $('#weight-groups').innerHTML = h;
  $('#weights-error').hidden = true;
  updateWeights();
}

function updateWeights() {
  if (!state.scorer) return;
  const slots = state.scorer.weightSlots();
  const share = shares(slots);
  let changed = false;
  for (const s of slots) {
    const sel = CSS.escape(s.child);
    const input = document.querySelector(`#weight-groups input[data-node="${sel}"]`);
    if (!input) continue;
    if (document.activeElement !== input || Math.abs(Number(input.value) - s.weight) > 0.005) input.value = String(s.weight);
    const out = document.querySelector(`#weight-groups [data-out="${sel}"]`);
    out.textContent = fmt(s.weight);
    document.querySelector(`#weight-groups [data-share="${sel}"]`).textContent = `${L('weights.of', { parent: nodeShort(s.parent) })} · ${L('weights.share', { share: pct(share(s.child)) })}`;
    input.setAttribute('aria-valuetext', fmt(s.weight));
    if (Math.abs(s.weight - s.default) > 1e-9) changed = true;
  }
  state.weightsChanged = changed;
  $('#weights-changed').hidden = !changed;
  $('#weights-derived').hidden = !(changed && state.scorer === state.derived);
}

function onWeightInput(e) {
  const input = e.target;
  if (!(input instanceof HTMLInputElement) || input.type !== 'range' || !state.scorer) return;
  const err = $('#weights-error');
  try {
    const target = weightTarget();
    target.setWeight(input.dataset.node, Number(input.value));
    state.weightLog.push([input.dataset.node, Number(input.value)]);
    const back = atDefaults(target);
    state.scorer = back ? state.full : target;
    if (back) {
      // back at the edition's weights: exactly, so that robustness runs need no replay
      if (target === state.full) state.full.resetWeights();
      state.weightLog = [];
    }
    err.hidden = true;
  } catch (ex) {
    err.hidden = false;
    err.textContent = L('weights.error', { message: ex?.message ?? String(ex) });
    return;
  }
  scheduleRefresh(e.type === 'change');
}

// ------------------------------------------------------------------ download

function download() {
  if (!state.scorer) return;
  const csv = state.scorer.toCsv();
  const blob = new Blob([csv], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  const base = state.sourceName.replace(/\.[^.]*$/, '') || 'datos';
  a.href = url;
  a.download = `apertura-${state.editionId}-${base}${state.weightsChanged ? '-whatif' : ''}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// ------------------------------------------------------------------ wiring

function bindUi() {
  $('#file').addEventListener('change', (e) => {
    const f = e.target.files?.[0];
    if (f) loadFile(f);
  });
  const dz = $('#dropzone');
  const stop = (e) => { e.preventDefault(); e.stopPropagation(); };
  // Dropping anywhere on the page loads the file (and never navigates away from the page).
  for (const ev of ['dragenter', 'dragover']) {
    document.addEventListener(ev, (e) => { stop(e); dz.classList.add('dragging'); });
  }
  document.addEventListener('dragleave', (e) => { if (!e.relatedTarget) dz.classList.remove('dragging'); });
  document.addEventListener('drop', (e) => {
    stop(e);
    dz.classList.remove('dragging');
    const f = e.dataTransfer?.files?.[0];
    if (f) loadFile(f);
  });
  $('#sample').addEventListener('click', loadSample);
  $('#gates-apply').addEventListener('change', () => scoreInput());
  $('#row-filter').addEventListener('change', () => scoreInput());
  $('#edition').addEventListener('change', (e) => {
    state.editionId = e.target.value;
    loadTree();
    renderEditions();
    scoreInput();
  });
  for (const b of document.querySelectorAll('.lang-btn')) {
    b.addEventListener('click', () => setLang(b.dataset.lang));
  }
  $('#weight-groups').addEventListener('input', onWeightInput);
  $('#weight-groups').addEventListener('change', onWeightInput);
  $('#reset-weights').addEventListener('click', () => {
    if (!state.scorer) return;
    state.derived?.resetWeights();
    state.full.resetWeights();
    state.scorer = state.full;
    state.weightLog = [];
    $('#weights-error').hidden = true;
    refresh();
  });
  $('#download').addEventListener('click', download);
  $('#scores-head').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-sort]');
    if (!b) return;
    const key = b.dataset.sort;
    const text = ['name', 'jurisdiction', 'type', 'quadrant', 'rank'].includes(key);
    state.sort = state.sort.key === key ? { key, dir: -state.sort.dir } : { key, dir: text ? 1 : -1 };
    renderTable();
    document.querySelector(`#scores-head button[data-sort="${CSS.escape(key)}"]`)?.focus();
  });
  const body = $('#scores-body');
  body.addEventListener('click', (e) => {
    const tr = e.target.closest('tr[data-id]');
    if (tr) select(tr.dataset.id);
  });
  $('#table-more').addEventListener('click', (e) => {
    if (e.target.id === 'show-all') { state.showAll = true; renderTable(); }
  });
  $('#chart-scatter').addEventListener('click', (e) => {
    const c = e.target.closest('circle[data-id]');
    if (c) select(c.dataset.id);
  });
  $('#detail-pick').addEventListener('change', (e) => select(e.target.value));
  $('#print-ficha').addEventListener('click', printSelected);
  let typing = 0;
  $('#f-text').addEventListener('input', (e) => {
    clearTimeout(typing);
    typing = setTimeout(() => { state.filter.text = e.target.value; renderTable(); }, 120);
  });
  for (const [sel, key] of [['#f-jur', 'jur'], ['#f-type', 'type'], ['#f-quad', 'quad']]) {
    $(sel).addEventListener('change', (e) => { state.filter[key] = e.target.value; renderTable(); });
  }
}

function setLang(lang) {
  if (lang !== 'es' && lang !== 'en') return;
  state.lang = lang;
  try { localStorage.setItem('apertura.lang', lang); } catch { /* ignore */ }
  applyI18n();
  if (state.api) {
    $('#engine-version').textContent = `· ${L('engine.ready', { version: state.api.version() })}`;
    renderEditions();
  }
  if (state.api) setStatus(statusText(), statusKind());
  if (state.errors) renderErrors();
  if (state.scorer) {
    renderFilterOptions();
    buildWeights();
    refresh(false);
    rob.relabel();
    imp.relabel();
    cmp.relabel();
  }
}

// ------------------------------------------------------------------ robustness

/** What a robustness run analyses: the data and the options the page shows. */
function robContext() {
  if (!state.scorer || state.input === null) return null;
  const options = scoreOptions();
  const moved = state.weightLog.length > 0;
  if (moved) options.weights = state.weightLog.map(([n, w]) => [n, w]);
  // with other weights the aggregates given beside their parts are recomputed (as the
  // what-if scorer does), so the run reads the file without them
  const input = moved && state.derivedInput ? state.derivedInput : state.input;
  return { input, options, key: `${state.dataVersion}|${JSON.stringify(options)}` };
}

const rob = createRobustness({
  L,
  api: () => state.fullApi,
  context: robContext,
  rows: () => state.rows,
  nodeOrder: () => state.tree.map((n) => n.id),
  nodeShort,
  onIntervals: () => renderTable(),
  select,
});

// ------------------------------------------------------------------ improve, compare, print

/** The data and options the analyses of one file use: the file as loaded, scored with the
 *  page's edition and options (the edition's weights). */
function analysisContext() {
  if (!state.scorer || state.input === null) return null;
  return { input: state.input, options: scoreOptions(), weightsChanged: state.weightsChanged, name: state.sourceName };
}

const imp = createImprove({
  L,
  lang: () => state.lang,
  api: () => state.fullApi,
  context: analysisContext,
  row: (id) => state.rows.find((r) => r.id === id),
  rows: () => state.rows,
  root: () => state.root,
  targetNodes: () => state.numCols.filter((k) => state.nodes.has(k) && (k === state.root || state.withValues.has(k))),
  tree: () => state.tree,
  withValues: () => state.withValues,
  range: declaredRange,
  hasQuadrants,
  nodeShort,
  nodeLabel,
  colLabel,
});

const cmp = createCompare({
  L,
  api: () => state.fullApi,
  context: analysisContext,
  root: () => state.root,
  colLabel,
  jurisdictionOf: (id) => state.rows.find((r) => r.id === id)?.jurisdiction ?? null,
  has: (id) => state.rows.some((r) => r.id === id && r[state.root] !== null && r[state.root] !== undefined),
  readText,
  select,
});

async function printSelected() {
  const ctx = analysisContext();
  const id = state.selected;
  const out = $('#print-status');
  if (!ctx || !id) return;
  const name = state.rows.find((r) => r.id === id)?.name || id;
  const button = $('#print-ficha');
  button.disabled = true;
  out.className = 'small print-status';
  out.textContent = L('print.preparing');
  try {
    await printFicha({ api: state.fullApi, input: ctx.input, options: ctx.options, institution: id, lang: state.lang });
    out.textContent = L('print.done', { name });
  } catch (e) {
    out.className = 'small print-status bad';
    out.dataset.code = e?.code ?? '';
    out.textContent = L('print.error', { message: e?.message ?? String(e) });
  } finally {
    button.disabled = false;
  }
}

boot();
