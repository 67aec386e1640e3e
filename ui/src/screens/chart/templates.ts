// Note templates (`#/templates`, reached from a chart's Notes tab): the
// practice's starting texts for SOAP notes. Clinicians add and edit them;
// an inactive template is kept but not offered when a visit starts.

import { useState } from 'preact/hooks';
import { html } from '../../html';
import * as api from '../../api';
import { useApp } from '../../app';
import type { NoteBody } from '../../bindings/NoteBody';
import type { NoteTemplate } from '../../bindings/NoteTemplate';
import { Button, CheckField, FormError, Modal, Spinner, TextAreaField, TextField, useFormErrors } from '../../components/form';
import { capitalize, toast } from '../../components/toast';
import { useLoad } from './data';

export function TemplatesScreen() {
  const app = useApp();
  const canWrite = app.can('clinical_write');
  const list = useLoad(() => api.listTemplates(), []);
  const [editing, setEditing] = useState<NoteTemplate | 'new' | null>(null);
  const rows = [...(list.data ?? [])].sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name));

  return html`<div class="screen templates-screen">
    <div class="screen-head">
      <div>
        <h1>Note templates</h1>
        <p class="muted">Starting text for visit notes. Choose one when starting a note; the draft can then be edited freely.</p>
      </div>
      <div class="form-actions">
        <button type="button" class="btn btn-ghost" onClick=${() => history.back()}>Back</button>
        ${canWrite ? html`<button type="button" class="btn btn-primary" data-testid="template-new" onClick=${() => setEditing('new')}>New template</button>` : null}
      </div>
    </div>
    ${!list.data
      ? list.failed ? null : html`<${Spinner} />`
      : html`<div class="panel flush">
          ${rows.length === 0
            ? html`<p class="panel-empty">No templates yet.</p>`
            : html`<table class="data-table compact-table">
                <thead><tr><th>Name</th><th>Starts with</th><th>Status</th><th class="row-actions"></th></tr></thead>
                <tbody>
                  ${rows.map(
                    (t) => html`<tr key=${t.id} class=${`${canWrite ? 'clickable' : ''} ${t.active ? '' : 'is-disabled'}`} data-testid="template-row" data-template-id=${t.id} data-name=${t.name}
                        onClick=${() => canWrite && setEditing(t)}>
                      <td class="name-cell">${t.name}</td>
                      <td class="note-preview muted">${(t.body.subjective || t.body.assessment || t.body.plan || t.body.objective).split('\n')[0]}</td>
                      <td>${t.active ? html`<span class="status status-on">Active</span>` : html`<span class="status status-off">Inactive</span>`}</td>
                      <td class="row-actions">${canWrite ? html`<button type="button" class="btn btn-ghost btn-xs" data-testid="template-edit" onClick=${(e: Event) => { e.stopPropagation(); setEditing(t); }}>Edit</button>` : null}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>`}
        </div>`}
    ${editing
      ? html`<${TemplateDialog}
          template=${editing === 'new' ? null : editing}
          onClose=${() => setEditing(null)}
          onSaved=${(all: NoteTemplate[]) => { list.setData(all); setEditing(null); }}
          onReload=${list.reload}
        />`
      : null}
  </div>`;
}

const SECTIONS = ['subjective', 'objective', 'assessment', 'plan'] as const;

function TemplateDialog(p: { template: NoteTemplate | null; onClose: () => void; onSaved: (all: NoteTemplate[]) => void; onReload: () => void }) {
  const t = p.template;
  const [name, setName] = useState(t?.name ?? '');
  const [body, setBody] = useState<NoteBody>(t?.body ?? { subjective: '', objective: '', assessment: '', plan: '', text: '' });
  const [active, setActive] = useState(t?.active ?? true);
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['name', ...SECTIONS]);
  const f = form.errors.fields;

  const save = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      const all = await api.saveTemplate({ template_id: t?.id ?? null, expected_version: t?.version ?? 0, name, body, active });
      toast(`Template “${name.trim()}” saved`, 'success');
      p.onSaved(all);
    } catch (err) {
      const w = api.toWireError(err);
      if (w.code === 'conflict') {
        form.setErrors({ fields: {}, general: `${capitalize(w.message)} Someone else changed this template; close, reload the list and edit again.` });
        p.onReload();
      } else {
        form.fail(err);
      }
    } finally {
      setBusy(false);
    }
  };

  return html`<${Modal} title=${t ? `Edit template: ${t.name}` : 'New template'} testid="template-dialog" onClose=${p.onClose} wide=${true}>
    <form onSubmit=${save} novalidate>
      <${FormError} error=${form.errors.general} />
      <${TextField} label="Name" name="name" testid="template-name" required=${true} value=${name} onValue=${(v: string) => { setName(v); form.clearField('name'); }} error=${f.name} autoFocus=${true} placeholder="e.g. Hypertension follow-up" />
      <div class="grid-2">
        ${SECTIONS.map(
          (s) => html`<${TextAreaField} key=${s} label=${s.charAt(0).toUpperCase() + s.slice(1)} name=${s} testid=${`template-${s}`} rows=${5} value=${body[s]}
            onValue=${(v: string) => { setBody((b) => ({ ...b, [s]: v })); form.clearField(s); }} error=${f[s]} />`,
        )}
      </div>
      <${CheckField} label="Active (offered when a visit starts)" name="active" testid="template-active" checked=${active} onChecked=${setActive} />
      <div class="modal-actions">
        <button type="button" class="btn btn-ghost" onClick=${p.onClose}>Cancel</button>
        <${Button} kind="primary" type="submit" testid="template-save" busy=${busy}>Save template</${Button}>
      </div>
    </form>
  </${Modal}>`;
}
