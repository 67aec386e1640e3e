// Renders a PDF held in memory page by page to canvases with pdf.js. The
// worker is bundled by Vite and served from the app itself (no remote
// origin); nothing is written to disk. Font and image decoders that pdf.js
// would fetch (standard fonts, wasm) are not configured: a rare PDF may
// then render with substitute fonts or without some scanned images.
// Loaded on first use (`import()`), so pdf.js does not slow the start.

import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html';
// The legacy build carries polyfills for the newest JavaScript built-ins the
// modern build assumes (WebKitGTK does not have them all yet).
import { GlobalWorkerOptions, getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import workerUrl from 'pdfjs-dist/legacy/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

/** Page width in CSS pixels at zoom 1 when the box cannot be measured. */
const BASE_WIDTH = 820;

export function PdfViewer(p: { data: Uint8Array }) {
  const box = useRef<HTMLDivElement>(null);
  const [pages, setPages] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [zoom, setZoom] = useState(1);

  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    let cancelled = false;
    // pdf.js takes the buffer over: give it a copy.
    const task = getDocument({ data: p.data.slice(), isEvalSupported: false, enableXfa: false });
    (async () => {
      try {
        const doc = await task.promise;
        if (cancelled) return;
        setPages(doc.numPages);
        el.textContent = '';
        // Zoom 100% fits the page to the viewer's width.
        const fit = el.clientWidth > 200 ? el.clientWidth - 8 : BASE_WIDTH;
        for (let n = 1; n <= doc.numPages && !cancelled; n++) {
          const page = await doc.getPage(n);
          const unit = page.getViewport({ scale: 1 });
          const scale = (fit * zoom) / unit.width;
          const ratio = window.devicePixelRatio || 1;
          const viewport = page.getViewport({ scale: scale * ratio });
          const canvas = document.createElement('canvas');
          canvas.className = 'pdf-page';
          canvas.width = Math.floor(viewport.width);
          canvas.height = Math.floor(viewport.height);
          canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
          canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
          canvas.setAttribute('data-testid', 'pdf-page');
          canvas.setAttribute('aria-label', `Page ${n} of ${doc.numPages}`);
          el.appendChild(canvas);
          await page.render({ canvas, viewport }).promise;
        }
      } catch (e) {
        if (!cancelled) setError(e instanceof Error ? e.message : String(e));
      }
    })();
    return () => {
      cancelled = true;
      void task.destroy();
    };
  }, [p.data, zoom]);

  return html`<div class="pdf-viewer">
    <div class="pdf-tools">
      <span class="muted small">${pages === null ? 'Opening…' : `${pages} page${pages === 1 ? '' : 's'}`}</span>
      <span class="pdf-zoom" role="group" aria-label="Zoom">
        <button type="button" class="btn btn-ghost btn-xs" onClick=${() => setZoom((z) => Math.max(0.5, z - 0.25))} aria-label="Zoom out">−</button>
        <span class="small">${Math.round(zoom * 100)}%</span>
        <button type="button" class="btn btn-ghost btn-xs" onClick=${() => setZoom((z) => Math.min(3, z + 0.25))} aria-label="Zoom in">+</button>
      </span>
    </div>
    ${error ? html`<div class="form-error" role="alert">This PDF could not be shown: ${error}</div>` : null}
    <div class="pdf-pages" ref=${box}></div>
  </div>`;
}
