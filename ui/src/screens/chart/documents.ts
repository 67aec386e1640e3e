// Attached documents (scanned letters, outside reports): attach a PDF, PNG
// or JPEG (read in memory, sent as base64 to `AttachDocument`, which checks
// the type and the size limit), list them, and view one without writing it
// to disk: images from a `blob:` URL, PDFs drawn by pdf.js. A document's
// category, date and description can be corrected (`UpdateDocument`, not
// once it is in error); the replaced states are in its history.

import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../../html';
import * as api from '../../api';
import type { DocumentContent } from '../../bindings/DocumentContent';
import type { DocumentView } from '../../bindings/DocumentView';
import { Button, FieldError, FormError, Modal, SelectField, Spinner, TextField, useFormErrors } from '../../components/form';
import { InErrorDialog, RecordEditDialog, RecordHistoryDialog } from '../../components/chartDialogs';
import { reportError, toast } from '../../components/toast';
import { DOC_CATEGORIES, DOC_CATEGORY_LABEL, formatDate, formatInstant, formatSize, inErrorText, todayText } from '../../format';
import { useChart } from './context';
import { useLoad } from './data';
import { readBase64 } from '../../files';

const ACCEPT = 'application/pdf,image/png,image/jpeg';

type PdfViewerType = typeof import('../../components/pdfViewer').PdfViewer;

function base64Bytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function DocumentsTab() {
  const ctx = useChart();
  const docs = useLoad(() => api.listDocuments(ctx.patientId), [ctx.patientId]);
  const [formKey, setFormKey] = useState(0);
  const [viewing, setViewing] = useState<DocumentView | null>(null);
  const [retracting, setRetracting] = useState<DocumentView | null>(null);
  const [editingId, setEditingId] = useState<number | null>(null);
  const [history, setHistory] = useState<DocumentView | null>(null);
  const [showInError, setShowInError] = useState(false);

  const all = docs.data ?? [];
  // By id, so that after a reload the dialog edits the current version.
  const editing = editingId === null ? null : all.find((d) => d.id === editingId) ?? null;
  /** Puts a saved document in the list in place of its old version. */
  const put = (saved: DocumentView) =>
    docs.setData((list) => {
      const rows = (list ?? []).map((d) => (d.id === saved.id ? saved : d));
      return rows.some((d) => d.id === saved.id) ? rows : [...rows, saved];
    });
  const retractedCount = all.filter((d) => d.status === 'entered_in_error').length;
  const rows = all
    .filter((d) => showInError || d.status !== 'entered_in_error')
    .sort((a, b) => b.doc_date.localeCompare(a.doc_date) || b.id - a.id);

  return html`<div class="chart-body">
    ${ctx.canWrite
      ? html`<section class="panel attach-panel">
          <h2>Attach a document</h2>
          <${AttachForm} key=${formKey} onSaved=${() => { setFormKey((k) => k + 1); void docs.reload(); }} />
        </section>`
      : null}
    <section class="panel flush">
      <div class="panel-head">
        <h2>Documents ${docs.data ? html`<span class="count">${all.length - retractedCount}</span>` : null}</h2>
        <div class="panel-tools">
          ${retractedCount
            ? html`<label class="toggle small"><input type="checkbox" data-testid="entry-show-in-error" checked=${showInError} onChange=${(e: Event) => setShowInError((e.currentTarget as HTMLInputElement).checked)} /> Show entered in error (${retractedCount})</label>`
            : null}
        </div>
      </div>
      ${!docs.data
        ? docs.failed ? null : html`<${Spinner} />`
        : rows.length === 0
          ? html`<p class="panel-empty">No documents attached.</p>`
          : html`<div class="table-scroll"><table class="data-table compact-table">
              <thead><tr><th>Date</th><th>Category</th><th>Description</th><th>File</th><th>Added</th><th class="row-actions"></th></tr></thead>
              <tbody>
                ${rows.map((d) => {
                  const retracted = d.status === 'entered_in_error';
                  return html`<tr key=${d.id} data-testid="doc-row" data-document-id=${d.id} data-status=${d.status} class=${retracted ? 'is-in-error' : ''}>
                    <td class="nowrap">${formatDate(d.doc_date)}</td>
                    <td><span class="chip">${DOC_CATEGORY_LABEL[d.category] ?? d.category}</span></td>
                    <td><span class="entry-label">${d.description}</span>${retracted ? html`<span class="in-error-reason">${inErrorText(d)}</span>` : null}</td>
                    <td class="small"><span class="mono">${d.file_name}</span> <span class="muted">${formatSize(d.size)}</span></td>
                    <td class="small muted nowrap">${formatInstant(d.added_at)}<div>${d.added_by}</div></td>
                    <td class="row-actions">
                      <button type="button" class="btn btn-secondary btn-xs" data-testid="doc-view" onClick=${() => setViewing(d)}>View</button>
                      ${ctx.canWrite && !retracted
                        ? html`<button type="button" class="btn btn-ghost btn-xs" data-testid="doc-edit" onClick=${() => setEditingId(d.id)}>Edit</button>`
                        : null}
                      <button type="button" class="btn btn-ghost btn-xs" data-testid="doc-history" onClick=${() => setHistory(d)}>History</button>
                      ${ctx.canWrite && !retracted
                        ? html`<button type="button" class="btn btn-ghost btn-xs btn-danger-text" data-testid="entry-in-error" onClick=${() => setRetracting(d)}>In error…</button>`
                        : null}
                    </td>
                  </tr>`;
                })}
              </tbody>
            </table></div>`}
    </section>
    ${viewing ? html`<${DocumentViewer} doc=${viewing} onClose=${() => setViewing(null)} />` : null}
    ${editing ? html`<${EditDocumentDialog} doc=${editing} onSaved=${put} onReload=${docs.reload} onClose=${() => setEditingId(null)} />` : null}
    ${history
      ? html`<${RecordHistoryDialog} record=${{ type: 'document', id: history.id }} title=${history.description} testid="doc-history-dialog" itemTestid="doc-version"
          current=${docFields(all.find((d) => d.id === history.id) ?? history)} onClose=${() => setHistory(null)} />`
      : null}
    ${retracting
      ? html`<${InErrorDialog} what=${html`<strong>${retracting.description}</strong> (${retracting.file_name})`} onClose=${() => setRetracting(null)}
          onConfirm=${async (reason: string) => {
            await api.markDocumentInError(retracting.id, reason);
            void docs.reload();
          }} />`
      : null}
  </div>`;
}

/** A document's description as `RecordHistory` lists it. */
const docFields = (d: DocumentView) => [
  { field: 'category', value: d.category },
  { field: 'date', value: d.doc_date },
  { field: 'description', value: d.description },
];

const EDIT_FIELDS = ['category', 'doc_date', 'description'] as const;

/** Corrects a document's category, date and description (the file stays). */
function EditDocumentDialog(p: { doc: DocumentView; onSaved: (doc: DocumentView) => void; onReload: () => Promise<void>; onClose: () => void }) {
  const d = p.doc;
  const [category, setCategory] = useState(d.category);
  const [date, setDate] = useState(formatDate(d.doc_date));
  const [description, setDescription] = useState(d.description);
  return html`<${RecordEditDialog} title="Edit document" testid="doc-edit-dialog" saveTestid="doc-edit-save" reloadTestid="doc-reload" noun="document"
    fields=${EDIT_FIELDS} onClose=${p.onClose} onReload=${p.onReload}
    save=${async () => {
      p.onSaved(await api.updateDocument({ document_id: d.id, expected_version: d.version, category, doc_date: date, description }));
      toast('Document updated', 'success');
    }}
    render=${(f: Record<string, string>, clearField: (name: string) => void) => html`
      <p class="muted small"><span class="mono">${d.file_name}</span> · ${formatSize(d.size)}. The earlier description stays in the document's history.</p>
      <div class="grid-2">
        <${SelectField} label="Category" name="category" id="f-edit-category" testid="doc-edit-category" value=${category} onValue=${(v: string) => { setCategory(v); clearField('category'); }} options=${DOC_CATEGORIES} error=${f.category} />
        <${TextField} label="Document date" name="doc_date" id="f-edit-doc_date" testid="doc-edit-date" required=${true} value=${date} onValue=${(v: string) => { setDate(v); clearField('doc_date'); }} error=${f.doc_date} placeholder="MM/DD/YYYY" inputMode="numeric" />
      </div>
      <${TextField} label="Description" name="description" id="f-edit-description" testid="doc-edit-description" required=${true} value=${description} onValue=${(v: string) => { setDescription(v); clearField('description'); }} error=${f.description} autoFocus=${true} />`} />`;
}

const FIELDS = ['file', 'category', 'doc_date', 'description'] as const;

function AttachForm(p: { onSaved: () => void }) {
  const ctx = useChart();
  const [file, setFile] = useState<File | null>(null);
  const [category, setCategory] = useState('letter');
  const [date, setDate] = useState(todayText());
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(FIELDS);
  const f = form.errors.fields;

  const submit = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      // No file: the backend says what is missing, with the other fields.
      const data = file ? await readBase64(file) : '';
      await api.attachDocument({
        patient_id: ctx.patientId,
        file_name: file?.name ?? '',
        mime: file?.type ?? '',
        data_base64: data,
        category,
        doc_date: date,
        description,
      });
      toast('Document attached', 'success');
      p.onSaved();
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };

  return html`<form class="attach-form" onSubmit=${submit} novalidate>
    <${FormError} error=${form.errors.general} />
    <p class="muted small">Stored inside the encrypted chart, never as a loose file.</p>
    <div class="attach-grid">
      <div class=${`field ${f.file ? 'has-error' : ''}`}>
        <label for="doc-file">File (PDF, PNG or JPEG)</label>
        <input id="doc-file" type="file" accept=${ACCEPT} data-testid="doc-file" onChange=${(e: Event) => { setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null); form.clearField('file'); }} />
        ${file && !f.file ? html`<div class="hint">${file.name} · ${formatSize(file.size)}</div>` : null}
        <${FieldError} name="file" error=${f.file} />
      </div>
      <${SelectField} label="Category" name="category" testid="doc-category" value=${category} onValue=${setCategory} options=${DOC_CATEGORIES} error=${f.category} />
      <${TextField} label="Document date" name="doc_date" testid="doc-date" required=${true} value=${date} onValue=${(v: string) => { setDate(v); form.clearField('doc_date'); }} error=${f.doc_date} placeholder="MM/DD/YYYY" inputMode="numeric" />
    </div>
    <${TextField} label="Description" name="description" testid="doc-description" required=${true} value=${description} onValue=${(v: string) => { setDescription(v); form.clearField('description'); }} error=${f.description} placeholder="Who sent it and what it is, e.g. Cardiology consult letter, Dr. Lee" />
    <div class="form-actions">
      <${Button} kind="primary" type="submit" testid="doc-save" busy=${busy}>Attach document</${Button}>
    </div>
  </form>`;
}

function DocumentViewer(p: { doc: DocumentView; onClose: () => void }) {
  const [content, setContent] = useState<DocumentContent | null>(null);
  const [pdf, setPdf] = useState<{ bytes: Uint8Array; Viewer: PdfViewerType } | null>(null);
  const [imageUrl, setImageUrl] = useState<string | null>(null);
  const urlRef = useRef<string | null>(null);

  useEffect(() => {
    let live = true;
    api
      .getDocument(p.doc.id)
      .then((c) => {
        if (!live) return;
        const b = base64Bytes(c.data_base64);
        setContent(c);
        if (c.document.mime.startsWith('image/')) {
          // In memory only: revoked when the viewer closes.
          const url = URL.createObjectURL(new Blob([b as BlobPart], { type: c.document.mime }));
          urlRef.current = url;
          setImageUrl(url);
        } else {
          // pdf.js is loaded the first time a PDF is opened.
          return import('../../components/pdfViewer').then((m) => {
            if (live) setPdf({ bytes: b, Viewer: m.PdfViewer });
          });
        }
        return undefined;
      })
      .catch((e) => {
        reportError(e);
        if (live) p.onClose();
      });
    return () => {
      live = false;
      if (urlRef.current) URL.revokeObjectURL(urlRef.current);
    };
  }, [p.doc.id]);

  const d = content?.document ?? p.doc;
  return html`<${Modal} title=${d.description} testid="doc-viewer" onClose=${p.onClose} wide=${true} class="modal-viewer">
    <div class="doc-meta muted small">
      ${DOC_CATEGORY_LABEL[d.category] ?? d.category} · ${formatDate(d.doc_date)} · <span class="mono">${d.file_name}</span> · ${formatSize(d.size)}
      ${d.status === 'entered_in_error' ? html` · <span class="in-error-reason">${inErrorText(d)}</span>` : null}
    </div>
    <div class="doc-body">
      ${!content ? html`<${Spinner} label="Opening document…" />` : null}
      ${imageUrl ? html`<img class="doc-image" src=${imageUrl} alt=${d.description} data-testid="doc-image" />` : null}
      ${pdf ? html`<${pdf.Viewer} data=${pdf.bytes} />` : null}
    </div>
    <div class="modal-actions"><button type="button" class="btn btn-secondary" onClick=${p.onClose}>Close</button></div>
  </${Modal}>`;
}
