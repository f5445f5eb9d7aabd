// "¿Cuánto le falta? / What would it take?": the cheapest path of the institution shown in
// the breakdown to a target (a score of the index or of a node, a rank, the national mean,
// a T x P quadrant), found by the engine's `improve` (exact minimum cost; the others
// unchanged). This module only gathers the options, calls the engine and shows its answer:
// every number shown (cost, scores, ranks, gains) is the engine's.
//
// Engine texts (reasons, error messages) are inserted as text or escaped, never as HTML.
import { esc, fmt } from './format.js';
import { CODES } from './i18n.js';

const $ = (sel) => document.querySelector(sel);
const QUADRANTS = ['I', 'II', 'III', 'IV'];
const safeId = (id) => id.replace(/[^a-z0-9_-]/gi, '_');
/** A cost as written: whole numbers without decimals (costs are counts of steps by default). */
const costText = (x) => (Number.isInteger(x) ? String(x) : fmt(x));

/** Whether this build of the engine computes improvement paths. */
export function canImprove(api) {
  return typeof api?.improve === 'function';
}

/**
 * @param {{
 *   L: (key: string, vars?: object) => string,
 *   lang: () => 'es'|'en',
 *   api: () => any,
 *   context: () => ({input: string, options: object, weightsChanged: boolean} | null),
 *   row: (id: string) => object|undefined,
 *   rows: () => object[],
 *   root: () => string,
 *   targetNodes: () => string[],
 *   tree: () => {id: string, parent: string|null, level?: string}[],
 *   withValues: () => Set<string>,
 *   range: (id: string) => {min: number|null, max: number|null},
 *   hasQuadrants: () => boolean,
 *   nodeShort: (id: string) => string,
 *   nodeLabel: (id: string) => string,
 *   colLabel: (id: string) => string,
 * }} app
 */
export function createImprove(app) {
  const { L } = app;
  const st = {
    id: null, // the institution shown
    result: null, // {id, request, value} or {id, request, error}
    ran: false, // once a path was asked for, a new institution gets one at once
    token: 0,
    movable: [],
  };

  const available = () => canImprove(app.api());

  // ------------------------------------------------------------ form

  /** Nodes that steps raise: the lowest ones with values (items, or perspectives in the
   *  published 2017 file). The engine decides; this only lists them for costs. */
  function movableNodes() {
    const have = app.withValues();
    const tree = app.tree();
    const kids = new Map();
    for (const n of tree) if (n.parent !== null) (kids.get(n.parent) ?? kids.set(n.parent, []).get(n.parent)).push(n.id);
    return tree.filter((n) => have.has(n.id) && !(kids.get(n.id) ?? []).some((k) => have.has(k))).map((n) => n.id);
  }

  function costRow(node, group = false) {
    const id = `imp-cost-${safeId(node)}${group ? '-all' : ''}`;
    const name = group ? L('imp.costs.group', { node: app.nodeShort(node) }) : app.nodeShort(node);
    return `<div class="cost-row${group ? ' group' : ''}">`
      + `<label for="${id}" class="cost-label" title="${esc(app.nodeLabel(node))}">${esc(name)}${group ? '' : ` <span class="node-id">${esc(node)}</span>`}</label>`
      + `<input id="${id}" type="number" min="0" step="any" inputmode="decimal" placeholder="1" data-cost-node="${esc(node)}" aria-label="${esc(L('imp.costs.cost', { node: app.nodeShort(node) }))}">`
      + `<label class="check freeze"><input type="checkbox" data-freeze-node="${esc(node)}"> <span>${esc(L('imp.costs.freeze'))}</span></label></div>`;
  }

  function buildCosts() {
    const keep = readCostInputs();
    st.movable = movableNodes();
    const tree = app.tree();
    const parentOf = new Map(tree.map((n) => [n.id, n.parent]));
    const groups = new Map();
    for (const id of st.movable) {
      const p = parentOf.get(id) ?? '';
      if (!groups.has(p)) groups.set(p, []);
      groups.get(p).push(id);
    }
    let h = '';
    for (const [parent, ids] of groups) {
      h += '<fieldset class="cost-group">';
      h += parent ? `<legend>${esc(app.nodeShort(parent))}${app.nodeShort(parent) !== app.nodeLabel(parent) ? ` <span class="legend-sub">${esc(app.nodeLabel(parent))}</span>` : ''}</legend>` : '';
      if (parent && parent !== app.root() && ids.length > 1) h += costRow(parent, true);
      for (const id of ids) h += costRow(id);
      h += '</fieldset>';
    }
    $('#imp-costs').innerHTML = h;
    // the costs typed before a relabel or a new file of the same edition stay
    for (const [node, v] of keep) {
      const input = document.querySelector(`#imp-costs input[data-cost-node="${CSS.escape(node)}"]`);
      const box = document.querySelector(`#imp-costs input[data-freeze-node="${CSS.escape(node)}"]`);
      if (input) input.value = v.value;
      if (box) { box.checked = v.frozen; input.disabled = v.frozen; }
    }
    countCosts();
  }

  function readCostInputs() {
    const out = new Map();
    for (const input of document.querySelectorAll('#imp-costs input[data-cost-node]')) {
      const box = input.parentElement.querySelector('input[data-freeze-node]');
      if (input.value !== '' || box?.checked) out.set(input.dataset.costNode, { value: input.value, frozen: !!box?.checked });
    }
    return out;
  }

  function countCosts() {
    const n = readCostInputs().size;
    $('#imp-costs-count').textContent = n ? `· ${L('imp.costs.count', { n })}` : '';
  }

  /** The costs as the engine takes them: `[{node, cost_per_step}]`, `Infinity` to freeze. */
  function costs() {
    const out = [];
    for (const [node, v] of readCostInputs()) {
      const cost = v.frozen ? Infinity : Number(v.value);
      if (!v.frozen && !(Number.isFinite(cost) && cost >= 0)) return { bad: node };
      out.push({ node, cost_per_step: cost });
    }
    return { list: out };
  }

  function buildNodes() {
    const sel = $('#imp-node');
    const prev = sel.value;
    const nodes = app.targetNodes();
    sel.innerHTML = nodes.map((id) => `<option value="${esc(id)}">${esc(app.colLabel(id))}${app.colLabel(id) !== app.nodeLabel(id) ? ` · ${esc(app.nodeLabel(id))}` : ''}</option>`).join('');
    sel.value = nodes.includes(prev) ? prev : app.root();
    $('#imp-quadrant').innerHTML = QUADRANTS.map((q) => `<option value="${q}">${esc(L(`scatter.q.${q}`))}</option>`).join('');
    $('#imp-quadrant').value = st.quadrant ?? 'II';
    const quad = $('#imp-kind option[value=quadrant]');
    quad.hidden = quad.disabled = !app.hasQuadrants();
    if (!app.hasQuadrants() && $('#imp-kind').value === 'quadrant') $('#imp-kind').value = 'mean';
  }

  function showFields() {
    const kind = $('#imp-kind').value;
    for (const el of document.querySelectorAll('#imp-form [data-for]')) el.hidden = !el.dataset.for.split(' ').includes(kind);
  }

  /** Defaults of the value fields for the institution shown, unless the user typed one. */
  function defaults(row) {
    const node = $('#imp-node').value || app.root();
    const r = app.range(node);
    const lo = r.min ?? 0, hi = r.max ?? 1;
    const value = $('#imp-value');
    value.min = String(lo);
    value.max = String(hi);
    value.step = hi - lo > 10 ? '1' : '0.01';
    if (!value.dataset.touched) {
      const now = row?.[node];
      const unit = (hi - lo) / 20;
      const want = Number.isFinite(now) ? Math.min(hi, Math.ceil((now + unit) / unit - 1e-9) * unit) : lo + (hi - lo) / 2;
      value.value = hi - lo > 10 ? String(Math.round(want)) : want.toFixed(2);
    }
    const rank = $('#imp-rank');
    const n = app.rows().filter((x) => x.rank > 0).length;
    rank.max = String(Math.max(1, n));
    if (!rank.dataset.touched) rank.value = String(row?.rank > 0 ? Math.max(1, row.rank - Math.max(1, Math.round(n / 10))) : 1);
  }

  /** The request the form describes, or {invalid: message}. */
  function request() {
    const kind = $('#imp-kind').value;
    const node = $('#imp-node').value;
    const root = app.root();
    const target = { kind };
    if (kind === 'score') {
      const v = Number($('#imp-value').value);
      const r = app.range(node);
      const lo = r.min ?? -Infinity, hi = r.max ?? Infinity;
      if ($('#imp-value').value === '' || !Number.isFinite(v) || v < lo || v > hi) {
        return { invalid: L('imp.bad.value', { min: fmt(r.min ?? 0), max: fmt(r.max ?? 1) }), field: '#imp-value' };
      }
      target.value = v;
    } else if (kind === 'rank') {
      const v = Number($('#imp-rank').value);
      const n = Number($('#imp-rank').max);
      if (!Number.isInteger(v) || v < 1 || v > n) return { invalid: L('imp.bad.rank', { n }), field: '#imp-rank' };
      target.value = v;
    } else if (kind === 'quadrant') {
      target.value = $('#imp-quadrant').value;
    }
    const c = costs();
    if (c.bad) return { invalid: `${app.nodeShort(c.bad)}: ${L('imp.bad.cost')}`, field: `#imp-costs input[data-cost-node="${CSS.escape(c.bad)}"]` };
    // the step as picked ("1/3"): the engine reads the fraction itself
    const options = { target, step: $('#imp-step').value };
    if (kind !== 'quadrant' && node && node !== root) options.node = node;
    if (c.list.length) options.costs = c.list;
    return { options, kind, node: kind === 'quadrant' ? root : node };
  }

  // ------------------------------------------------------------ running

  function setState(s) {
    document.body.dataset.improve = s;
  }

  async function run() {
    const ctx = app.context();
    const id = st.id;
    if (!ctx || !id || !available()) return;
    const req = request();
    const err = $('#imp-error');
    if (req.invalid) {
      showError({ message: req.invalid, code: 'invalid_option' }, true);
      document.querySelector(req.field)?.focus();
      setState('invalid');
      return;
    }
    const token = ++st.token;
    $('#imp-status').textContent = L('imp.running');
    $('#imp-run').disabled = true;
    setState('running');
    // let the status paint before the (synchronous) search
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    if (token !== st.token) return;
    const options = { ...ctx.options, ...req.options, institution: id };
    let value = null;
    let error = null;
    const t0 = performance.now();
    try {
      value = app.api().improve(ctx.input, options);
    } catch (e) {
      error = { code: e?.code ?? null, message: e?.message ?? String(e) };
    }
    $('#imp-run').disabled = false;
    if (token !== st.token) return;
    st.ran = true;
    st.result = { id, req, options, value, error, ms: performance.now() - t0, weightsChanged: ctx.weightsChanged };
    err.hidden = true;
    render();
  }

  function showError(e, local = false) {
    const err = $('#imp-error');
    const unreachable = e.code === 'unreachable_target';
    err.className = `imp-error${unreachable ? ' infeasible' : ''}`;
    err.dataset.code = e.code ?? '';
    // the reason is the engine's; the heading says what kind of answer it is
    const head = local ? '' : L(unreachable ? 'imp.infeasible' : 'imp.failed');
    const explained = e.code ? CODES[app.lang()]?.[e.code] : null;
    err.innerHTML = `${head ? `<strong>${esc(head)}</strong>` : ''}<span class="imp-reason"></span>${e.code && !local && !String(e.message).includes(e.code) ? ` <code class="err-code">${esc(e.code)}</code>` : ''}`;
    err.querySelector('.imp-reason').textContent = `${head ? ': ' : ''}${e.message}${explained && !local && !unreachable ? ` (${explained})` : ''}`;
    err.hidden = false;
    $('#imp-result').hidden = true;
    $('#imp-status').textContent = '';
  }

  function targetText(req, v) {
    const node = app.colLabel(req.node);
    const t = req.options.target;
    if (t.kind === 'score') return L('imp.target.score', { node, value: fmt(t.value) });
    if (t.kind === 'rank') return L('imp.target.rank', { node, rank: t.value });
    if (t.kind === 'mean') return L('imp.target.mean', { node, value: fmt(v?.required) });
    return L('imp.target.quadrant', { q: t.value });
  }

  function render() {
    const r = st.result;
    const out = $('#imp-result');
    $('#imp-note').hidden = !(r && r.weightsChanged);
    if (!r || r.id !== st.id) {
      out.hidden = true;
      $('#imp-error').hidden = true;
      $('#imp-status').textContent = '';
      return;
    }
    const name = app.row(r.id)?.name || r.id;
    if (r.error) {
      showError(r.error);
      $('#imp-status').textContent = L('imp.for', { name, target: targetText(r.req, null) });
      setState(r.error.code === 'unreachable_target' ? 'infeasible' : 'error');
      return;
    }
    const v = r.value;
    $('#imp-error').hidden = true;
    $('#imp-status').textContent = L('imp.for', { name, target: targetText(r.req, v) });
    if (v.feasible === false) {
      // improve() words an unreachable target as an error; a row of the batch form is kept as is
      showError({ code: 'unreachable_target', message: v.reason ?? '' });
      setState('infeasible');
      return;
    }
    const node = v.target_node ?? r.req.node;
    const actions = v.actions ?? [];
    const steps = actions.reduce((a, x) => a + (x.steps ?? 0), 0);
    const arrow = (a, b, f = fmt) => `${esc(f(a))}<span class="arr"> → </span><b>${esc(f(b))}</b>`;
    const rankT = (x) => (x > 0 ? String(x) : '–');
    let h = `<div class="imp-summary" data-testid="imp-summary">`
      + `<div class="imp-kpi main"><span class="kpi-label">${esc(L('imp.cost'))}</span><span class="kpi-value" data-testid="imp-cost">${esc(costText(v.cost))}</span></div>`
      + `<div class="imp-kpi"><span class="kpi-label">${esc(L('imp.steps'))}</span><span class="kpi-value">${steps}</span></div>`
      + `<div class="imp-kpi"><span class="kpi-label">${esc(app.colLabel(node))}</span><span class="kpi-value" data-testid="imp-score">${arrow(v.score_before, v.score_after)}</span></div>`
      + `<div class="imp-kpi"><span class="kpi-label">${esc(L('imp.rankLabel'))}</span><span class="kpi-value" data-testid="imp-rank">${arrow(v.rank_before, v.rank_after, rankT)}</span></div>`;
    if (v.quadrant_before || v.quadrant_after) {
      const chip = (q) => (q ? `<span class="chip q-${esc(q)}">${esc(q)}</span>` : '–');
      h += `<div class="imp-kpi"><span class="kpi-label">${esc(L('imp.quadrantLabel'))}</span><span class="kpi-value">${chip(v.quadrant_before)}<span class="arr"> → </span>${chip(v.quadrant_after)}</span></div>`;
    }
    h += '</div>';
    if (!actions.length) {
      h += `<p class="ok-note">${esc(L('imp.already'))}</p>`;
    } else {
      h += `<div class="table-wrap detail-wrap"><table class="detail imp-actions"><thead><tr>`
        + `<th scope="col" class="txt">${esc(L('imp.col.node'))}</th><th scope="col" class="txt bar-col">${esc(L('imp.col.fromto'))}</th>`
        + `<th scope="col" class="num">${esc(L('imp.col.steps'))}</th><th scope="col" class="num">${esc(L('imp.col.cost'))}</th>`
        + `<th scope="col" class="num">${esc(L('imp.col.gain', { node: app.colLabel(node) }))}</th></tr></thead><tbody>`;
      for (const a of actions) {
        const rg = app.range(a.node);
        const lo = rg.min ?? 0, hi = rg.max ?? 1;
        const at = (x) => Math.max(0, Math.min(1, (x - lo) / (hi - lo || 1))) * 100;
        h += `<tr data-node="${esc(a.node)}" data-steps="${a.steps}" data-cost="${a.cost}">`
          + `<th scope="row" class="txt">${esc(app.nodeLabel(a.node))} <span class="node-id">${esc(a.node)}</span></th>`
          + `<td class="bar-col"><span class="stepbar" aria-hidden="true"><span class="from" style="width:${at(a.from).toFixed(2)}%"></span><span class="add" style="left:${at(a.from).toFixed(2)}%;width:${(at(a.to) - at(a.from)).toFixed(2)}%"></span></span><span class="fromto">${arrow(a.from, a.to)}</span></td>`
          + `<td class="num">${a.steps}</td><td class="num">${esc(costText(a.cost))}</td>`
          + `<td class="num gain">+${esc(fmt(a.gain, 3))}</td></tr>`;
      }
      h += `</tbody><tfoot><tr><th scope="row" class="txt" colspan="2">${esc(L('imp.total'))}</th><td class="num">${steps}</td><td class="num">${esc(costText(v.cost))}</td>`
        + `<td class="num gain">+${esc(fmt(v.score_after - v.score_before, 3))}</td></tr></tfoot></table></div>`;
      h += `<p class="small">${esc(L('imp.gain.note'))}</p>`;
    }
    out.innerHTML = h;
    out.dataset.cost = String(v.cost);
    out.dataset.feasible = 'true';
    out.dataset.institution = r.id;
    out.hidden = false;
    setState('done');
  }

  // ------------------------------------------------------------ wiring

  function touch(e) { e.target.dataset.touched = '1'; }
  $('#imp-form').addEventListener('submit', (e) => { e.preventDefault(); run(); });
  $('#imp-kind').addEventListener('change', () => { showFields(); });
  $('#imp-node').addEventListener('change', () => { $('#imp-value').dataset.touched = ''; defaults(app.row(st.id)); });
  $('#imp-value').addEventListener('input', touch);
  $('#imp-rank').addEventListener('input', touch);
  $('#imp-quadrant').addEventListener('change', (e) => { st.quadrant = e.target.value; });
  $('#imp-costs').addEventListener('change', (e) => {
    const box = e.target.closest('input[data-freeze-node]');
    if (box) {
      const input = box.closest('.cost-row').querySelector('input[data-cost-node]');
      input.disabled = box.checked;
    }
    countCosts();
  });
  $('#imp-costs').addEventListener('input', countCosts);
  $('#imp-costs-reset').addEventListener('click', () => {
    for (const input of document.querySelectorAll('#imp-costs input[data-cost-node]')) { input.value = ''; input.disabled = false; }
    for (const box of document.querySelectorAll('#imp-costs input[data-freeze-node]')) box.checked = false;
    countCosts();
  });

  return {
    /** New data (or edition): the nodes, costs and defaults are rebuilt, old answers dropped. */
    prepare() {
      $('#improve').hidden = !available();
      if (!available()) return;
      st.result = null;
      st.ran = false;
      st.token += 1;
      $('#imp-value').dataset.touched = '';
      $('#imp-rank').dataset.touched = '';
      buildNodes();
      buildCosts();
      showFields();
      defaults(app.row(st.id));
      render();
      setState('idle');
    },
    /** The breakdown shows institution `id` (null: none, or no index). */
    show(id) {
      if (!available()) return;
      const row = id ? app.row(id) : null;
      const usable = !!row && row[app.root()] !== null && row[app.root()] !== undefined;
      $('#improve').hidden = !usable;
      if (!usable) { st.id = null; return; }
      if (id === st.id) return;
      st.id = id;
      defaults(row);
      render();
      if (st.ran) run();
    },
    /** The language changed. */
    relabel() {
      if (!available()) return;
      buildNodes();
      buildCosts();
      render();
    },
  };
}
