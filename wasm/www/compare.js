// Comparison mode: a second file ("Comparar con… / Compare with…") against the one loaded,
// both scored and matched by the engine's `compare(oldData, newData, options)`. The panel
// shows what the engine returns: the national and state means before and after (a slope
// chart of the states), the quadrant transitions (its 4 x 4 counts, plus "none" where it
// counts any), the biggest movers and a sortable table of every institution's changes.
// The page computes no score here; it sorts, counts signs and picks the extremes.
//
// Engine texts (error messages, names) are inserted as text or escaped, never as HTML.
import { esc, fmt, compareValues } from './format.js';
import { slopeChart } from './charts.js';

const $ = (sel) => document.querySelector(sel);
const QUADS = ['I', 'II', 'III', 'IV', 'none'];
const MOVERS = 5;

/** Whether this build of the engine compares two runs. */
export function canCompare(api) {
  return typeof api?.compare === 'function';
}

/**
 * @param {{
 *   L: (key: string, vars?: object) => string,
 *   api: () => any,
 *   context: () => ({input: string, options: object, name: string} | null),
 *   root: () => string,
 *   colLabel: (id: string) => string,
 *   jurisdictionOf: (id: string) => string|null,
 *   has: (id: string) => boolean,
 *   readText: (file: File) => Promise<string>,
 *   select: (id: string) => void,
 * }} app
 */
export function createCompare(app) {
  const { L } = app;
  const st = {
    input: null, // the comparison file's text
    name: '',
    role: 'old', // the comparison file is the earlier one ("old") or the later one
    result: null,
    error: null,
    pair: null, // {old, new} file names
    sort: { key: 'rank_new', dir: 1 },
    search: '',
    token: 0,
  };

  const available = () => canCompare(app.api());

  function setState(s) { document.body.dataset.compare = s; }

  // ------------------------------------------------------------ running

  async function run() {
    const ctx = app.context();
    if (!ctx || st.input === null || !available()) return;
    const token = ++st.token;
    $('#compare').hidden = false;
    $('#cmp-status').textContent = L('cmp.loading');
    setState('running');
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    if (token !== st.token) return;
    const older = st.role === 'old';
    const oldData = older ? st.input : ctx.input;
    const newData = older ? ctx.input : st.input;
    st.pair = older ? { old: st.name, new: ctx.name } : { old: ctx.name, new: st.name };
    const options = { ...ctx.options, by: 'jurisdiction' };
    try {
      st.result = app.api().compare(oldData, newData, options);
      st.error = null;
    } catch (e) {
      st.result = null;
      st.error = e;
    }
    if (token !== st.token) return;
    render();
  }

  // ------------------------------------------------------------ rendering

  const root = () => app.root();
  const val = (r, suffix) => r[`${root()}_${suffix}`];
  const matched = (r) => r.status === 'both' || r.status === 'merged' || r.status === 'split';

  function render() {
    $('#compare').hidden = st.input === null;
    $('#cmp-pair').textContent = st.pair ? L('cmp.pair', st.pair) : '';
    $('#cmp-role').value = st.role;
    const err = $('#cmp-error');
    if (st.error) {
      const e = st.error;
      const list = Array.isArray(e.errors) && e.errors.length ? e.errors : [e];
      err.dataset.code = e.code ?? list[0]?.code ?? '';
      err.textContent = `${L('cmp.error')} ${list.slice(0, 5).map((x) => `${x.message ?? String(x)}${x.code ? ` [${x.code}]` : ''}`).join('\n')}`
        + (list.length > 5 ? `\n… (${list.length})` : '');
      err.hidden = false;
      $('#cmp-results').hidden = true;
      $('#cmp-status').textContent = '';
      setState('error');
      return;
    }
    err.hidden = true;
    const c = st.result;
    if (!c) { $('#cmp-results').hidden = true; return; }
    $('#cmp-status').textContent = '';
    $('#cmp-notes').textContent = (c.notes ?? []).join(' ');
    renderKpis(c);
    renderSlope(c);
    renderQuadrants(c);
    renderMovers(c);
    renderTable();
    $('#cmp-results').hidden = false;
    setState('done');
  }

  function national(c) {
    return (c.groups ?? []).find((g) => g.group === 'national') ?? null;
  }

  function renderKpis(c) {
    const nat = national(c);
    const node = app.colLabel(root());
    const rows = c.institutions ?? [];
    const up = rows.filter((r) => r.rank_delta < 0).length;
    const down = rows.filter((r) => r.rank_delta > 0).length;
    const k = c.counts ?? {};
    const kpi = (label, value, cls = '', attrs = '') => `<div class="kpi cmp-kpi ${cls}"${attrs}><span class="kpi-label">${esc(label)}</span><span class="kpi-value">${value}</span></div>`;
    let h = '';
    if (nat) {
      const o = nat[`${root()}_old`], n = nat[`${root()}_new`], d = nat[`${root()}_delta`];
      h += kpi(L('cmp.kpi.national', { node }), `${esc(fmt(o))}<span class="arr"> → </span>${esc(fmt(n))} <span class="delta ${dirOf(d)}">${esc(signed(d))}</span>`, 'main', ' data-testid="cmp-national"');
    }
    h += kpi(L('cmp.kpi.matched'), String((k.both ?? 0) + (k.merged ?? 0) + (k.split ?? 0)), '', ' data-testid="cmp-matched"');
    if (k.old_only) h += kpi(L('cmp.kpi.onlyOld'), String(k.old_only));
    if (k.new_only) h += kpi(L('cmp.kpi.onlyNew'), String(k.new_only));
    h += kpi(L('cmp.kpi.up'), `<span class="delta up">${up}</span>`);
    h += kpi(L('cmp.kpi.down'), `<span class="delta down">${down}</span>`);
    $('#cmp-kpis').innerHTML = h;
  }

  function renderSlope(c) {
    const groups = (c.groups ?? []).filter((g) => g.group !== 'national' && g.group !== '' && g.group !== null);
    const rows = groups
      .map((g) => ({ id: g.group, label: g.group, before: g[`${root()}_old`], after: g[`${root()}_new`], n: g.n_matched }))
      .filter((r) => Number.isFinite(r.before) && Number.isFinite(r.after));
    const fig = $('#chart-slope').closest('figure');
    fig.hidden = rows.length === 0;
    if (!rows.length) { $('#chart-slope').innerHTML = ''; return; }
    const node = app.colLabel(root());
    $('#chart-slope').innerHTML = slopeChart(rows, {
      title: L('cmp.slope.heading'),
      beforeLabel: `${L('cmp.slope.before')} · ${node}`,
      afterLabel: `${L('cmp.slope.after')} · ${node}`,
      tip: (r) => `${r.label}: ${fmt(r.before)} → ${fmt(r.after)} (${signed(r.after - r.before)}; n = ${r.n})`,
    });
    $('#cmp-slope-legend').innerHTML = ['up', 'down', 'flat']
      .map((d) => `<li><span class="slope-key ${d}" aria-hidden="true"></span>${esc(L(`cmp.slope.${d}`))}</li>`).join('');
  }

  function renderQuadrants(c) {
    const t = c.transitions;
    const box = $('#cmp-quad');
    const wrap = box.closest('.chart-card');
    if (!t || !Array.isArray(t.counts)) { wrap.hidden = true; return; }
    const labels = t.labels ?? QUADS;
    const counts = t.counts;
    const total = counts.flat().reduce((a, b) => a + b, 0);
    // a T x P plane only where some row has a quadrant
    const none = labels.indexOf('none');
    const inPlane = counts.reduce((a, row, i) => a + row.reduce((b, x, j) => b + (i !== none && j !== none ? x : 0), 0), 0);
    wrap.hidden = total === 0 || inPlane === 0;
    if (wrap.hidden) { box.innerHTML = ''; return; }
    const showNone = none >= 0 && (counts[none].some((x) => x > 0) || counts.some((row) => row[none] > 0));
    const idx = labels.map((_, i) => i).filter((i) => i !== none || showNone);
    const max = Math.max(1, ...idx.flatMap((i) => idx.map((j) => counts[i][j])));
    const name = (i) => (labels[i] === 'none' ? L('cmp.quad.none') : labels[i]);
    const head = (i) => (labels[i] === 'none' ? esc(L('cmp.quad.none')) : `<span class="chip q-${esc(labels[i])}">${esc(labels[i])}</span>`);
    let h = `<table class="quad-table" aria-labelledby="cmp-quad-h"><thead><tr><th scope="col" class="corner"><span class="qa">${esc(L('cmp.quad.before'))} ↓</span> <span class="qb">${esc(L('cmp.quad.after'))} →</span></th>`;
    h += idx.map((j) => `<th scope="col">${head(j)}</th>`).join('') + `<th scope="col" class="tot">${esc(L('cmp.quad.total'))}</th></tr></thead><tbody>`;
    for (const i of idx) {
      h += `<tr><th scope="row">${head(i)}</th>`;
      for (const j of idx) {
        const n = counts[i][j];
        const a = n ? 0.12 + 0.6 * (n / max) : 0;
        h += `<td class="num${i === j ? ' diag' : ''}" data-from="${esc(labels[i])}" data-to="${esc(labels[j])}" style="--heat:${a.toFixed(3)}" title="${esc(L('cmp.quad.cell', { n, from: name(i), to: name(j) }))}">${n}</td>`;
      }
      h += `<td class="num tot">${idx.reduce((a, j) => a + counts[i][j], 0)}</td></tr>`;
    }
    h += `</tbody><tfoot><tr><th scope="row" class="tot">${esc(L('cmp.quad.total'))}</th>`
      + idx.map((j) => `<td class="num tot">${idx.reduce((a, i) => a + counts[i][j], 0)}</td>`).join('')
      + `<td class="num tot">${idx.reduce((a, i) => a + idx.reduce((b, j) => b + counts[i][j], 0), 0)}</td></tr></tfoot></table>`;
    box.innerHTML = h;
  }

  function renderMovers(c) {
    const rows = (c.institutions ?? []).filter((r) => matched(r) && Number.isFinite(r.rank_delta));
    const by = (sign) => rows.filter((r) => sign * r.rank_delta < 0)
      .sort((a, b) => sign * (a.rank_delta - b.rank_delta) || compareValues(a.rank_new, b.rank_new, null))
      .slice(0, MOVERS);
    const list = (key, items, dir) => `<div class="movers ${dir}"><h4>${esc(L(key))}</h4>${items.length ? `<ol>${items.map((r) => {
      const n = Math.abs(r.rank_delta);
      return `<li data-id="${esc(r.id)}"><button type="button" class="linkish" data-select="${esc(r.id)}">${esc(r.name || r.id)}</button>`
        + `<span class="mover-line"><span class="delta ${dir}">${dir === 'up' ? '▲' : '▼'} ${esc(L(n === 1 ? 'cmp.movers.place' : 'cmp.movers.places', { n }))}</span>`
        + ` · ${esc(L('col.rank').toLowerCase())} ${r.rank_old} → ${r.rank_new} · ${esc(app.colLabel(root()))} ${esc(signed(val(r, 'delta')))}</span></li>`;
    }).join('')}</ol>` : `<p class="small">${esc(L('cmp.movers.none'))}</p>`}</div>`;
    $('#cmp-movers').innerHTML = list('cmp.movers.up', by(1), 'up') + list('cmp.movers.down', by(-1), 'down');
  }

  function columns() {
    const node = app.colLabel(root());
    return [
      { key: 'name', label: L('col.name'), text: true },
      { key: 'jurisdiction', label: L('col.jurisdiction'), text: true },
      { key: 'rank_old', label: L('cmp.col.rankOld') },
      { key: 'rank_new', label: L('cmp.col.rankNew') },
      { key: 'rank_delta', label: L('cmp.col.rankDelta') },
      { key: 'old', label: L('cmp.col.old', { node }) },
      { key: 'new', label: L('cmp.col.new', { node }) },
      { key: 'delta', label: L('cmp.col.delta', { node }) },
      { key: 'quadrant', label: L('cmp.col.quad'), text: true },
    ];
  }

  function cell(r, key) {
    if (key === 'old' || key === 'new' || key === 'delta') return val(r, key);
    if (key === 'jurisdiction') return app.jurisdictionOf(r.new_id ?? r.old_id ?? r.id);
    if (key === 'quadrant') return `${r.quadrant_old ?? ''}${r.quadrant_new ?? ''}`;
    return r[key];
  }

  function renderTable() {
    const c = st.result;
    if (!c) return;
    const cols = columns();
    const { key, dir } = st.sort;
    $('#cmp-head').innerHTML = cols.map((col) => {
      const sorted = key === col.key;
      return `<th scope="col" aria-sort="${sorted ? (dir > 0 ? 'ascending' : 'descending') : 'none'}" class="${col.text ? 'txt' : 'num'} col-${col.key}">`
        + `<button type="button" data-sort="${col.key}">${esc(col.label)}<span class="arrow" aria-hidden="true">${sorted ? (dir > 0 ? '▲' : '▼') : ''}</span></button></th>`;
    }).join('');
    const fold = (s) => String(s ?? '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    const q = fold(st.search.trim());
    const all = c.institutions ?? [];
    const rows = all.filter((r) => !q || fold(r.name).includes(q) || fold(r.id).includes(q));
    const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
    const blank = (v) => v === null || v === undefined || v === '';
    rows.sort((a, b) => {
      const va = cell(a, key), vb = cell(b, key);
      // blanks (institutions in one file only) last in either direction
      const first = blank(va) || blank(vb) ? compareValues(va, vb, collator) : dir * compareValues(va, vb, collator);
      return first || compareValues(a.rank_new, b.rank_new, collator) || compareValues(a.id, b.id, collator);
    });
    const rank = (x) => (x === null || x === undefined ? '' : String(x));
    const chip = (x) => (x ? `<span class="chip q-${esc(x)}">${esc(x)}</span>` : '–');
    $('#cmp-body').innerHTML = rows.map((r) => {
      const d = val(r, 'delta');
      const rd = r.rank_delta;
      const status = r.status === 'old_only' ? L('cmp.only.old') : r.status === 'new_only' ? L('cmp.only.new') : '';
      return `<tr data-id="${esc(r.id)}" data-status="${esc(r.status)}" data-rank-delta="${rd ?? ''}" data-delta="${d ?? ''}" data-old="${val(r, 'old') ?? ''}" data-new="${val(r, 'new') ?? ''}">`
        + `<th scope="row" class="txt">${esc(r.name || r.id)}${status ? ` <span class="badge">${esc(status)}</span>` : ''}</th>`
        + `<td class="txt">${esc(cell(r, 'jurisdiction') ?? '')}</td>`
        + `<td class="num">${rank(r.rank_old)}</td><td class="num">${rank(r.rank_new)}</td>`
        + `<td class="num delta ${rd < 0 ? 'up' : rd > 0 ? 'down' : ''}">${rd === null || rd === undefined ? '' : rd < 0 ? `▲ ${-rd}` : rd > 0 ? `▼ ${rd}` : '0'}</td>`
        + `<td class="num">${esc(fmt(val(r, 'old')))}</td><td class="num strong">${esc(fmt(val(r, 'new')))}</td>`
        + `<td class="num delta ${dirOf(d)}">${esc(signed(d))}</td>`
        + `<td class="txt">${r.quadrant_old || r.quadrant_new ? `${chip(r.quadrant_old)} → ${chip(r.quadrant_new)}` : ''}</td></tr>`;
    }).join('');
    $('#cmp-count').textContent = L('cmp.table.shown', { shown: rows.length, total: all.length });
  }

  // ------------------------------------------------------------ wiring

  $('#cmp-file').addEventListener('change', async (e) => {
    const f = e.target.files?.[0];
    if (!f) return;
    try {
      st.input = await app.readText(f);
    } catch (ex) {
      st.input = null;
      st.error = ex;
      render();
      return;
    }
    st.name = f.name;
    $('#cmp-file-name').textContent = f.name;
    e.target.value = ''; // the same file again is a new change
    await run();
    $('#compare').scrollIntoView({ block: 'start', behavior: 'smooth' });
  });
  $('#cmp-role').addEventListener('change', (e) => { st.role = e.target.value === 'new' ? 'new' : 'old'; run(); });
  $('#cmp-clear').addEventListener('click', () => {
    st.input = null; st.result = null; st.error = null; st.name = ''; st.token += 1;
    $('#cmp-file-name').textContent = '';
    $('#compare').hidden = true;
    setState('off');
    $('#cmp-file').nextElementSibling?.focus?.();
    $('#cmp-file').focus();
  });
  $('#cmp-head').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-sort]');
    if (!b) return;
    const k = b.dataset.sort;
    const text = k === 'name' || k === 'jurisdiction' || k === 'quadrant';
    const ascFirst = text || k.startsWith('rank');
    st.sort = st.sort.key === k ? { key: k, dir: -st.sort.dir } : { key: k, dir: ascFirst ? 1 : -1 };
    renderTable();
    document.querySelector(`#cmp-head button[data-sort="${CSS.escape(k)}"]`)?.focus();
  });
  let typing = 0;
  $('#cmp-search').addEventListener('input', (e) => {
    clearTimeout(typing);
    typing = setTimeout(() => { st.search = e.target.value; renderTable(); }, 120);
  });
  // a mover or a row of the table shows its breakdown (when it is in the file loaded)
  const show = (id) => {
    if (!app.has(id)) return;
    app.select(id);
    document.querySelector('#detail')?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  };
  $('#cmp-movers').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-select]');
    if (b) show(b.dataset.select);
  });
  $('#cmp-body').addEventListener('click', (e) => {
    const tr = e.target.closest('tr[data-id]');
    if (tr) show(tr.dataset.id);
  });

  return {
    /** The main file was (re)scored: offer the file input and redo a comparison. */
    prepare() {
      $('#cmp-load').hidden = !available();
      $('#cmp-file').disabled = !available();
      if (st.input !== null) run();
    },
    /** The main file failed to score: nothing to compare with. */
    disable() {
      $('#cmp-file').disabled = true;
      st.token += 1;
      $('#compare').hidden = true;
    },
    relabel() {
      if (st.input !== null) render();
    },
  };
}

function dirOf(d) {
  if (!Number.isFinite(d)) return '';
  const s = fmt(d);
  return s === '0.00' || s === '-0.00' ? 'flat' : d > 0 ? 'up' : 'down';
}

/** A change with its sign (+0.05, -0.12), two decimals. */
function signed(d) {
  if (d === null || d === undefined || !Number.isFinite(d)) return '';
  const s = fmt(d);
  return d > 0 && s !== '0.00' ? `+${s}` : s === '-0.00' ? '0.00' : s;
}
