// Web Worker of the robustness panel: runs `uncertainty` / `sensitivity` of the same
// WebAssembly package's full module (../pkg/apertura_full.js) off the main thread, so the page keeps
// answering while thousands of runs are evaluated.
//
// Messages in:  {id, analysis: "uncertainty" | "sensitivity", input, options}
// Messages out: {type: "ready", version}
//               {id, type: "progress", analysis, done, total}   (between chunks of runs)
//               {id, type: "result", analysis, result, ms}
//               {id, type: "error", analysis, error: {name, code, message, factor, institution, item, row, column, value}}
// Cancelling is the page's worker.terminate(): a run is one synchronous call, so a message
// could not reach it before it ends.
import init, { uncertainty, sensitivity, version } from '../pkg/apertura_full.js';

const ready = init().then(
  () => self.postMessage({ type: 'ready', version: version() }),
  (e) => {
    self.postMessage({ type: 'fatal', message: e?.message ?? String(e) });
    throw e;
  },
);

/** An error as a plain object (an Error does not keep its own fields through postMessage). */
function plain(e) {
  const out = { name: e?.name ?? 'Error', message: e?.message ?? String(e) };
  for (const k of ['code', 'factor', 'institution', 'item', 'row', 'column', 'value']) out[k] = e?.[k] ?? null;
  return out;
}

self.onmessage = async (event) => {
  const { id, analysis, input, options } = event.data ?? {};
  try {
    await ready;
  } catch (e) {
    self.postMessage({ id, type: 'error', analysis, error: plain(e) });
    return;
  }
  const run = analysis === 'sensitivity' ? sensitivity : uncertainty;
  const t0 = performance.now();
  try {
    const result = run(input, {
      ...options,
      onProgress: (done, total) => {
        self.postMessage({ id, type: 'progress', analysis, done, total });
      },
    });
    self.postMessage({ id, type: 'result', analysis, result, ms: performance.now() - t0 });
  } catch (e) {
    self.postMessage({ id, type: 'error', analysis, error: plain(e) });
  }
};
