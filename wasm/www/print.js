// "Imprimir ficha / Print scorecard": the engine writes the scorecard (`fichaHtml`: a
// self-contained A4 HTML document, the same as the CLI's `apertura ficha`), the page only
// prints it. The document goes into a hidden iframe (srcdoc), so the printed layout is the
// core's own and nothing of this page's style leaks into it.
//
// Just before `print()` the page dispatches `apertura:ficha-ready` on `document` with
// `detail.frame` (the iframe): a listener may replace `frame.contentWindow.print` (the
// browser test records the call there instead of opening a dialog).

const FRAME_ID = 'ficha-frame';

/** Whether this build of the engine writes fichas. */
export function canPrint(api) {
  return typeof api?.fichaHtml === 'function';
}

/**
 * Asks the engine for one institution's ficha and prints it from a hidden iframe.
 * Resolves once `print()` has been called (the dialog, if any, is the browser's); rejects
 * with the engine's error (an `Error` with `code`) when the ficha cannot be made.
 * @param {{api: any, input: string, options: object, institution: string, lang: 'es'|'en'}} o
 * @returns {Promise<HTMLIFrameElement>}
 */
export async function printFicha(o) {
  const html = o.api.fichaHtml(o.input, { ...o.options, institution: o.institution, lang: o.lang });
  if (typeof html !== 'string' || !html) throw new Error('fichaHtml returned no document');
  document.getElementById(FRAME_ID)?.remove();
  const frame = document.createElement('iframe');
  frame.id = FRAME_ID;
  frame.className = 'ficha-frame';
  frame.title = 'ficha';
  frame.setAttribute('aria-hidden', 'true');
  frame.tabIndex = -1;
  // scripts stay off inside the ficha (it has none); same origin so that print() reaches it
  frame.setAttribute('sandbox', 'allow-same-origin allow-modals');
  frame.dataset.institution = o.institution;
  const loaded = new Promise((resolve, reject) => {
    frame.addEventListener('load', resolve, { once: true });
    frame.addEventListener('error', () => reject(new Error('the ficha did not load')), { once: true });
  });
  frame.srcdoc = html;
  document.body.append(frame);
  await loaded;
  // fonts and images of the document are inline: one frame for layout is enough
  await new Promise((r) => requestAnimationFrame(() => r()));
  document.dispatchEvent(new CustomEvent('apertura:ficha-ready', { detail: { frame, institution: o.institution } }));
  frame.contentWindow.focus();
  frame.contentWindow.print();
  return frame;
}
