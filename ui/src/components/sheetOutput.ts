// How a printed sheet leaves (saved to the export folder, or printed on a
// chosen queue): the two fields every print dialog of sheets shows, the
// words for what was done, and a dialog for a sheet that needs nothing
// else. The queues come from the backend.

import { useEffect, useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import type { Printer } from '../bindings/Printer';
import type { ReleaseMethod } from '../bindings/ReleaseMethod';
import type { SheetDone } from '../bindings/SheetDone';
import { sheetDoneText } from '../format';
import type { SheetOutput } from '../bindings/SheetOutput';
import { Button, FormError, Modal, SelectField, useFormErrors } from './form';

/** The output chosen in a dialog, and its fields. */
export function useSheetOutput() {
  const [method, setMethod] = useState<ReleaseMethod>('saved');
  const [printers, setPrinters] = useState<Printer[]>([]);
  const [printer, setPrinter] = useState('');
  useEffect(() => {
    api.call({ cmd: 'list_printers' }).then(setPrinters, () => setPrinters([]));
  }, []);
  const output: SheetOutput = { method, printer };
  const fields = (printerError?: string) => html`
    <${SelectField} label="How" name="method" testid="print-method" value=${method} onValue=${(v: string) => setMethod(v as ReleaseMethod)}
      options=${[{ value: 'saved', label: 'Save as PDF (the export folder)' }, { value: 'printed', label: 'Print' }]} />
    ${method === 'printed'
      ? html`<${SelectField} label="Printer" name="printer" testid="print-printer" value=${printer} onValue=${setPrinter} placeholder="The default printer" options=${printers.map((x) => ({ value: x.name, label: x.name }))} error=${printerError} />`
      : null}`;
  return { output, fields, submitLabel: method === 'printed' ? 'Print' : 'Save' };
}


/** A dialog that prints or saves one sheet: how it leaves, and what was
 *  done. `run` asks the backend. */
export function SheetDialog(p: { title: string; testid: string; run: (output: SheetOutput) => Promise<SheetDone>; onClose: () => void }) {
  const out = useSheetOutput();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const form = useFormErrors(['printer']);
  const submit = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setDone(null);
    setBusy(true);
    try {
      setDone(sheetDoneText(await p.run(out.output)));
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<${Modal} title=${p.title} testid=${p.testid} onClose=${p.onClose}>
    <form onSubmit=${submit}>
      ${out.fields(form.errors.fields.printer)}
      <${FormError} error=${form.errors.general} />
      ${done ? html`<p class="form-ok" role="status" data-testid=${`${p.testid}-done`}>${done}</p>` : null}
      <div class="form-actions"><${Button} kind="ghost" testid=${`${p.testid}-close`} onClick=${p.onClose}>Close</${Button}><${Button} kind="primary" type="submit" testid=${`${p.testid}-submit`} busy=${busy}>${out.submitLabel}</${Button}></div>
    </form>
  </${Modal}>`;
}
