// The robustness panel: an uncertainty analysis (rank intervals, R_S histogram, the "90 %
// range" column of the table) and a smaller sensitivity analysis (Sobol' indices of R_S),
// both run by the engine in a Web Worker (robustness-worker.js) so the page keeps answering.
// Cancel terminates the worker; a fresh one is started for the next run.
//
// Every text that comes from the engine or the data (error messages, names) is inserted as
// text (textContent) or escaped (charts), never as HTML.
import { esc, fmt } from './format.js';
import { rankIntervals, valueHistogram, sobolBars, rankText } from './charts.js';

const WORKER_URL = new URL('./robustness-worker.js', import.meta.url);
/** The sensitivity run: small, on R_S only (Sobol' indices of every institution's score and
 *  rank would cost more than the whole uncertainty analysis). */
export const SENSITIVITY = { n: 256, bootstrap: 50, targets: ['rank_shift'] };
export const SEED = 1;
export const TOP = 30;
const N_MIN = 16;
const N_MAX = 20000;

const $ = (sel) => document.querySelector(sel);

/**
 * @param {{
 *   L: (key: string, vars?: object) => string,
 *   api: () => any,
 *   context: () => ({input: string|null, options: object, key: string} | null),
 *   nodeOrder: () => string[],
 *   nodeShort: (id: string) => string,
 *   onIntervals: () => void,
 *   select: (id: string) => void,
 * }} app
 */
export function createRobustness(app) {
  const { L } = app;
  const st = {
    worker: null,
    job: 0,
    running: null, // {id, analysis, options, input, key, started}
    ua: null, // last uncertainty result
    sa: null, // last sensitivity result
    key: null, // context key of ua/sa
    nodes: [], // aggregate nodes computed from the data
    byId: new Map(),
    status: null, // [key, vars, kind]
    error: null, // plain error object
    saState: 'off', // off | running | done | cancelled | failed
    startedAt: 0,
    uaMs: 0,
  };

  // ------------------------------------------------------------ worker

  function spawn() {
    const w = new Worker(WORKER_URL, { type: 'module' });
    w.onmessage = (e) => onMessage(w, e.data);
    w.onerror = (e) => {
      if (w !== st.worker) return;
      e.preventDefault?.();
      fail({ code: null, message: e.message || 'worker error' });
    };
    return w;
  }

  function worker() {
    if (!st.worker) st.worker = spawn();
    return st.worker;
  }

  function post(analysis, options, input, key) {
    const id = ++st.job;
    st.running = { id, analysis, options, input, key };
    worker().postMessage({ id, analysis, input, options });
    showProgress(analysis, 0, analysis === 'sensitivity' ? null : options.n);
  }

  function onMessage(w, m) {
    if (w !== st.worker || !m || m.type === 'ready') return;
    if (m.type === 'fatal') {
      fail({ code: null, message: m.message });
      return;
    }
    const run = st.running;
    if (!run || m.id !== run.id) return; // a message from a run that was replaced
    if (m.type === 'progress') {
      showProgress(m.analysis, m.done, m.total);
    } else if (m.type === 'result') {
      if (m.analysis === 'uncertainty') uaDone(run, m.result, m.ms);
      else saDone(run, m.result);
    } else if (m.type === 'error') {
      if (run.analysis === 'sensitivity') {
        st.saState = 'failed';
        renderSobol();
      }
      fail(m.error);
    }
  }

  // ------------------------------------------------------------ running

  function readControls() {
    const noise = Number($('#rob-noise').value);
    if (!($('#rob-noise').value.trim() !== '' && Number.isFinite(noise) && noise >= 0 && noise < 100)) return { bad: 'rob.bad.noise' };
    const n = Number($('#rob-n').value);
    if (!(Number.isInteger(n) && n >= N_MIN && n <= N_MAX)) return { bad: 'rob.bad.n' };
    const vary = {};
    for (const box of document.querySelectorAll('#rob-agg-nodes input[data-agg-node]')) {
      if (box.checked) vary[box.dataset.aggNode] = ['arithmetic', 'geometric'];
    }
    const factors = { weight_noise: noise / 100 };
    if (Object.keys(vary).length) {
      factors.vary_aggregation = vary;
      factors.geometric_zeros = $('#rob-zeros').value;
    }
    return { factors, n, sobol: $('#rob-sobol').checked };
  }

  function run() {
    const ctx = app.context();
    if (!ctx || ctx.input === null || st.running) return;
    const c = readControls();
    if (c.bad) {
      showError({ message: L(c.bad) }, false);
      return;
    }
    hideError();
    st.sobol = c.sobol;
    st.startedAt = performance.now();
    const options = { ...ctx.options, ...c.factors, n: c.n, seed: SEED };
    setRunning(true);
    // said once (the status is announced); the bar beside the buttons counts the runs
    setStatus(st.ua && current() ? 'rob.running.kept' : 'rob.running');
    post('uncertainty', options, ctx.input, ctx.key);
  }

  function uaDone(run, result, ms) {
    st.ua = result;
    st.sa = null;
    st.key = run.key;
    st.uaMs = ms;
    st.byId = new Map(result.institutions.map((x) => [x.id, x]));
    st.saState = st.sobol ? 'running' : 'off';
    renderResults();
    app.onIntervals();
    document.body.dataset.robustness = 'ua';
    if (st.sobol) {
      const { n, seed, ...rest } = run.options;
      void n;
      post('sensitivity', { ...rest, seed, ...SENSITIVITY }, run.input, run.key);
    } else {
      finish();
    }
  }

  function saDone(run, result) {
    if (run.key === st.key) {
      st.sa = result;
      st.saState = 'done';
      renderSobol();
    }
    finish();
  }

  function finish() {
    st.running = null;
    setRunning(false);
    const seconds = fmt((performance.now() - st.startedAt) / 1000, 1);
    if (st.sa) setStatus('rob.done.sa', { runs: st.ua.runs.length, sa: st.sa.runs.length, seconds }, 'ok');
    else setStatus('rob.done', { runs: st.ua?.runs.length ?? 0, seconds }, 'ok');
    document.body.dataset.robustness = 'done';
  }

  function fail(error) {
    st.running = null;
    setRunning(false);
    setStatus(null);
    showError(error, true);
    document.body.dataset.robustness = 'error';
  }

  /** Stops a run at once: the worker is terminated, and a fresh one started for the next. */
  function cancel() {
    if (!st.running) return;
    const wasSa = st.running.analysis === 'sensitivity';
    st.worker?.terminate();
    st.worker = null;
    st.running = null;
    setRunning(false);
    if (wasSa) {
      st.saState = 'cancelled';
      renderSobol();
    }
    setStatus('rob.cancelled', {}, '');
    document.body.dataset.robustness = 'cancelled';
    worker(); // warm up the next one
  }

  // ------------------------------------------------------------ state shown

  function setRunning(on) {
    $('#rob-run').disabled = on || !st.nodesReady;
    $('#rob-cancel').hidden = !on;
    $('#rob-progress-box').hidden = !on;
    $('#robustness').setAttribute('aria-busy', String(on));
    if (on) document.body.dataset.robustness = 'running';
  }

  function showProgress(analysis, done, total) {
    const bar = $('#rob-progress');
    if (total) {
      bar.max = total;
      bar.value = done;
    } else {
      bar.removeAttribute('value');
    }
    $('#rob-progress-text').textContent = total ? L(`rob.phase.${analysis}`, { done, total }) : L('rob.starting');
    $('#rob-progress-box').dataset.analysis = analysis;
  }

  function setStatus(key, vars = {}, kind = '') {
    st.status = key ? [key, vars, kind] : null;
    const el = $('#rob-status');
    el.textContent = key ? L(key, vars) : '';
    el.className = `status ${kind}`;
  }

  /** An error as text: a sentence, the engine's message, and where it is. */
  function showError(error, fromEngine) {
    st.error = { error, fromEngine };
    const el = $('#rob-error');
    // The engine's message names the factor, institution, row, column and value itself.
    el.textContent = fromEngine
      ? `${L('rob.failed')} ${error.message ?? ''}${error.code && !String(error.message ?? '').includes(error.code) ? ` (${error.code})` : ''}`
      : error.message;
    el.dataset.code = error.code ?? '';
    el.hidden = false;
  }

  function hideError() {
    st.error = null;
    $('#rob-error').hidden = true;
    $('#rob-error').textContent = '';
  }

  // ------------------------------------------------------------ results

  /** The interval of institution `id`, when the last analysis is of what the page shows. */
  function interval(id) {
    return current() ? st.byId.get(id) ?? null : null;
  }

  function current() {
    if (!st.ua) return false;
    const ctx = app.context();
    return !!ctx && ctx.key === st.key;
  }

  function renderResults() {
    const ua = st.ua;
    if (!ua || !current()) {
      $('#rob-results').hidden = true;
      return;
    }
    $('#rob-results').hidden = false;
    const names = ua.factors.map((f) => f.name);
    $('#rob-summary').textContent = L('rob.summary', {
      runs: ua.runs.length, seed: SEED, factors: names.length, names: names.join(', '), evaluation: L(`rob.eval.${ua.evaluation}`),
    });
    const pol = $('#rob-policies');
    pol.replaceChildren(...ua.policies.map((p) => {
      const li = document.createElement('li');
      li.textContent = p;
      return li;
    }));
    renderViewOptions();
    renderRanks();
    renderRs();
    renderSobol();
  }

  function renderViewOptions() {
    const sel = $('#rob-view');
    const keep = sel.value;
    const states = [...new Set(app.rows().map((r) => r.jurisdiction).filter(Boolean))].sort(new Intl.Collator('es').compare);
    const opts = [['top', L('rob.view.top', { n: TOP })], ...states.map((s) => [`state:${s}`, L('rob.view.state', { state: s })])];
    sel.innerHTML = opts.map(([v, label]) => `<option value="${esc(v)}">${esc(label)}</option>`).join('');
    sel.value = opts.some(([v]) => v === keep) ? keep : 'top';
  }

  /** The institutions the rank chart shows: a search, a state, or the first TOP. */
  function shownRows() {
    const ua = st.ua;
    const rows = app.rows();
    const meta = new Map(rows.map((r) => [r.id, r]));
    const fold = (s) => String(s ?? '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    const text = fold($('#rob-search').value.trim());
    const view = $('#rob-view').value;
    let list = ua.institutions;
    if (text) list = list.filter((x) => fold(x.name).includes(text) || fold(x.id).includes(text) || fold(meta.get(x.id)?.name).includes(text));
    else if (view.startsWith('state:')) list = list.filter((x) => meta.get(x.id)?.jurisdiction === view.slice(6));
    list = [...list].sort((a, b) => a.rank - b.rank || a.rank_median - b.rank_median);
    return text || !view.startsWith('state:') ? list.slice(0, TOP) : list;
  }

  function renderRanks() {
    const rows = app.rows();
    const names = new Map(rows.map((r) => [r.id, r.name || r.id]));
    const list = shownRows();
    const box = $('#chart-ranks');
    if (!list.length) {
      box.innerHTML = `<p class="small">${esc(L('rob.none'))}</p>`;
      return;
    }
    const m = st.ua.institutions.length;
    const ends = list.flatMap((x) => [x.rank, x.rank_q05, x.rank_q95]);
    const pad = Math.max(2, (Math.max(...ends) - Math.min(...ends)) * 0.05);
    const domain = [Math.max(1, Math.floor(Math.min(...ends) - pad)), Math.min(m, Math.ceil(Math.max(...ends) + pad))];
    box.innerHTML = rankIntervals(
      list.map((x) => ({ id: x.id, label: names.get(x.id) ?? x.name, rank: x.rank, q05: x.rank_q05, q95: x.rank_q95, median: x.rank_median })),
      {
        title: L('rob.ranks.heading'),
        m,
        domain,
        xLabel: L('rob.ranks.x'),
        tip: (r) => L('rob.ranks.tip', { name: r.label, rank: r.rank, median: rankText(r.median), q05: rankText(r.q05), q95: rankText(r.q95) }),
      },
    );
  }

  function renderRs() {
    const ua = st.ua;
    $('#chart-rs').innerHTML = valueHistogram(ua.runs.map((r) => r.rank_shift), {
      title: L('rob.rs.heading'), xLabel: L('rob.rs.x'), yLabel: L('rob.rs.y'), bins: 30,
      marker: ua.rank_shift.median, markerLabel: L('rob.rs.median'),
    });
  }

  function renderSobol() {
    const note = $('#rob-sobol-note');
    const box = $('#chart-sobol');
    const sa = st.sa;
    if (st.saState !== 'done' || !sa) {
      box.innerHTML = '';
      note.textContent = L({ running: 'rob.sobol.running', cancelled: 'rob.sobol.cancelled', failed: 'rob.sobol.cancelled' }[st.saState] ?? 'rob.sobol.off');
      return;
    }
    const items = sa.indices.filter((x) => x.target === 'rank_shift');
    if (!items.length) {
      box.innerHTML = '';
      note.textContent = L('rob.sobol.constant');
      return;
    }
    note.textContent = L('rob.sobol.summary', { runs: sa.runs.length, n: sa.design.n, boot: sa.bootstrap });
    box.innerHTML = sobolBars(items.map((x) => ({ ...x, label: factorLabel(x.factor) })), {
      title: L('rob.sobol.heading'), s1Label: L('rob.sobol.s1'), interLabel: L('rob.sobol.inter'),
      tip: (d) => L('rob.sobol.tip', {
        factor: `${d.label} (${d.factor})`, s1: fmt(d.s1, 3), st: fmt(d.st, 3), s1_lo: fmt(d.s1_lo, 3), s1_hi: fmt(d.s1_hi, 3), st_lo: fmt(d.st_lo, 3), st_hi: fmt(d.st_hi, 3),
      }),
    });
  }

  /** A factor as people read it: `w:tg` is "peso TG", `agg:p` "agregación P"... */
  function factorLabel(name) {
    const [kind, rest] = name.includes(':') ? [name.slice(0, name.indexOf(':')), name.slice(name.indexOf(':') + 1)] : [name, ''];
    const key = { w: 'rob.factor.w', dir: 'rob.factor.dir', agg: 'rob.factor.agg', x: 'rob.factor.x', set: 'rob.factor.set' }[kind];
    if (key) return L(key, { node: kind === 'set' ? rest : app.nodeShort(rest) });
    return kind === 'weights' ? L('rob.factor.weights') : name;
  }

  // ------------------------------------------------------------ data changes

  /**
   * New data or edition: stops a run, forgets the results, and finds the aggregate nodes
   * computed from these data (the parents whose weights a run moves), through the engine.
   */
  function prepare() {
    if (st.running) cancel();
    st.ua = st.sa = null;
    st.key = null;
    st.byId = new Map();
    st.saState = 'off';
    hideError();
    setStatus(null);
    $('#rob-results').hidden = true;
    const ctx = app.context();
    let nodes = [];
    let problem = null;
    if (ctx && ctx.input !== null) {
      try {
        const probe = app.api().uncertainty(ctx.input, { ...ctx.options, weight_noise: 0, n: 1 });
        nodes = [...new Set(probe.factors.filter((f) => f.kind === 'weight_noise').map((f) => f.parent))];
      } catch (e) {
        problem = e;
      }
    }
    const order = app.nodeOrder();
    nodes.sort((a, b) => order.indexOf(a) - order.indexOf(b));
    st.nodes = nodes;
    st.nodesReady = nodes.length > 0;
    renderAggregation();
    if (problem) showError(problem, true);
    setRunning(false);
  }

  function renderAggregation() {
    const box = $('#rob-agg-nodes');
    const checked = new Set([...box.querySelectorAll('input[data-agg-node]:checked')].map((b) => b.dataset.aggNode));
    if (!st.nodes.length) {
      box.innerHTML = `<p class="small">${esc(L('rob.agg.none'))}</p>`;
    } else {
      box.innerHTML = st.nodes.map((id) => {
        const safe = `rob-agg-${id.replace(/[^a-z0-9_-]/gi, '_')}`;
        return `<label class="check" for="${safe}"><input id="${safe}" type="checkbox" data-agg-node="${esc(id)}"${checked.has(id) ? ' checked' : ''}> <span>${esc(L('rob.agg.node', { node: app.nodeShort(id) }))}</span></label>`;
      }).join('');
    }
    updateZeros();
  }

  function updateZeros() {
    $('#rob-zeros-box').hidden = !document.querySelector('#rob-agg-nodes input[data-agg-node]:checked');
  }

  /** The weights or settings changed: results of other weights are not shown. */
  function refresh() {
    if (!st.ua) return;
    if (current()) {
      if ($('#rob-results').hidden) renderResults();
      if (st.status?.[0] === 'rob.stale') setStatus(null);
    } else {
      $('#rob-results').hidden = true;
      if (!st.running) setStatus('rob.stale', {}, '');
    }
  }

  /** Language change: every text again. */
  function relabel() {
    renderAggregation();
    if (st.status) setStatus(...st.status);
    if (st.error) showError(st.error.error, st.error.fromEngine);
    if (st.running) {
      const bar = $('#rob-progress');
      showProgress(st.running.analysis, bar.value, bar.hasAttribute('value') ? bar.max : null);
    }
    if (current()) renderResults();
    else renderSobol();
  }

  // ------------------------------------------------------------ wiring

  $('#rob-form').addEventListener('submit', (e) => {
    e.preventDefault();
    run();
  });
  $('#rob-cancel').addEventListener('click', cancel);
  $('#rob-agg-nodes').addEventListener('change', updateZeros);
  $('#rob-view').addEventListener('change', () => {
    $('#rob-search').value = '';
    renderRanks();
  });
  let typing = 0;
  $('#rob-search').addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(renderRanks, 120);
  });
  $('#chart-ranks').addEventListener('click', (e) => {
    const g = e.target.closest('g.ri-row[data-id]');
    if (g) app.select(g.dataset.id);
  });

  return {
    prepare,
    refresh,
    relabel,
    interval,
    current,
    cancel,
    get running() { return !!st.running; },
    get result() { return st.ua; },
    get sensitivity() { return st.sa; },
  };
}
