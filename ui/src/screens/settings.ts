// Practice settings (administrators): the practice name, the idle lock,
// the units vitals are shown in, where printed PDFs go, the address, phone,
// fax, NPI, tax id and logo every letterhead prints; and "Back up now",
// which runs in the background while the window goes on working.

import { useEffect, useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import { useApp } from '../app';
import type { Settings } from '../bindings/Settings';
import type { JobView } from '../bindings/JobView';
import { Button, FieldError, FormError, SelectField, Spinner, TextAreaField, TextField, useFormErrors } from '../components/form';
import { clearReferenceData } from '../reference';
import { optionsOf } from '../format';
import { readBase64 } from '../files';

export function SettingsScreen() {
  const app = useApp();
  const [loaded, setLoaded] = useState(false);
  const [name, setName] = useState('');
  const [minutes, setMinutes] = useState('');
  const [units, setUnits] = useState('us');
  const [exportDir, setExportDir] = useState('');
  const [address, setAddress] = useState('');
  const [phone, setPhone] = useState('');
  const [fax, setFax] = useState('');
  const [npi, setNpi] = useState('');
  const [taxId, setTaxId] = useState('');
  const [hasLogo, setHasLogo] = useState(false);
  const [timeZone, setTimeZone] = useState('');
  const [workstationZone, setWorkstationZone] = useState('');
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const form = useFormErrors(['practice_name', 'idle_lock_minutes', 'units', 'export_dir', 'practice_address', 'practice_phone', 'practice_fax', 'practice_npi', 'practice_tax_id', 'logo', 'time_zone']);
  const show = (s: Settings) => {
    setName(s.practice_name);
    setMinutes(String(s.idle_lock_minutes));
    setUnits(s.units);
    setExportDir(s.export_dir);
    setAddress(s.practice_address);
    setPhone(s.practice_phone);
    setFax(s.practice_fax);
    setNpi(s.practice_npi);
    setTaxId(s.practice_tax_id);
    setHasLogo(s.has_logo);
    setTimeZone(s.time_zone);
    setWorkstationZone(s.workstation_time_zone);
  };

  useEffect(() => {
    api
      .getSettings()
      .then((s) => {
        show(s);
        setLoaded(true);
      })
      .catch((e) => {
        form.fail(e);
        setLoaded(true);
      });
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setSaved(false);
    const n = Number(minutes.trim());
    if (!minutes.trim() || !Number.isFinite(n)) {
      form.setErrors({ fields: { idle_lock_minutes: 'Enter a number of minutes' }, general: null });
      return;
    }
    setBusy(true);
    try {
      const s = await api.updateSettings({
        practice_name: name,
        idle_lock_minutes: Math.trunc(n),
        units,
        export_dir: exportDir,
        practice_address: address,
        practice_phone: phone,
        practice_fax: fax,
        practice_npi: npi,
        practice_tax_id: taxId,
        has_logo: hasLogo,
        time_zone: timeZone,
        workstation_time_zone: workstationZone,
      });
      show(s);
      setSaved(true);
      clearReferenceData(); // vitals' display units
      await app.refresh(); // the top bar's name and the session's idle time
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };

  const pickLogo = async (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    form.clear();
    try {
      show(await api.setPracticeLogo(await readBase64(file)));
    } catch (err) {
      form.fail(err);
    }
  };
  const removeLogo = async () => {
    form.clear();
    try {
      show(await api.setPracticeLogo(null));
    } catch (err) {
      form.fail(err);
    }
  };

  if (!loaded) return html`<${Spinner} />`;
  const f = form.errors.fields;
  const edit = (fn: (v: string) => void) => (v: string) => {
    setSaved(false);
    fn(v);
  };
  return html`<div class="screen settings-screen">
    <div class="screen-head"><div><h1>Settings</h1><p class="muted">Practice-wide settings. Changes are recorded in the audit log.</p></div></div>
    <form class="panel narrow-panel" onSubmit=${submit} novalidate>
      <${FormError} error=${form.errors.general} />
      <${TextField} label="Practice name" name="practice_name" testid="settings-practice-name" required=${true} value=${name} onValue=${edit(setName)} error=${f.practice_name} hint="Shown in the top bar and on printed sheets." />
      <div class="field-row">
        <${TextField} label="Lock the screen after" name="idle_lock_minutes" testid="settings-idle-minutes" type="number" inputMode="numeric" required=${true} value=${minutes} onValue=${edit(setMinutes)} error=${f.idle_lock_minutes} class="field-small" />
        <span class="unit">minutes without input</span>
      </div>
      <p class="muted small">A locked screen hides patient information until the user types their password; unsaved work is kept.</p>
      <${SelectField} label="Units for vital signs" name="units" testid="settings-units" value=${units} onValue=${edit(setUnits)} error=${f.units} class="field-medium"
        options=${optionsOf('units')} />
      <${TextField} label="Clinic time zone" name="time_zone" testid="settings-time-zone" value=${timeZone} onValue=${edit(setTimeZone)} error=${f.time_zone} mono=${true} placeholder=${workstationZone} hint=${`An IANA name such as America/New_York; it decides "today" and appointment times. Empty: this computer's (${workstationZone}).`} />
      <${TextField} label="Folder for printed PDFs" name="export_dir" testid="settings-export-dir" value=${exportDir} onValue=${edit(setExportDir)} error=${f.export_dir} mono=${true} hint="Prescriptions are written here as PDF files. Leave empty for the default folder." />
      <${TextAreaField} label="Practice address" name="practice_address" testid="settings-address" rows=${3} value=${address} onValue=${edit(setAddress)} error=${f.practice_address} hint="Printed on every letterhead: street, then city, state and ZIP (one line each)." />
      <div class="field-row">
        <${TextField} label="Practice phone" name="practice_phone" testid="settings-phone" type="tel" value=${phone} onValue=${edit(setPhone)} error=${f.practice_phone} class="field-medium" />
        <${TextField} label="Practice fax" name="practice_fax" testid="settings-fax" type="tel" value=${fax} onValue=${edit(setFax)} error=${f.practice_fax} class="field-medium" />
      </div>
      <div class="field-row">
        <${TextField} label="Practice NPI" name="practice_npi" testid="settings-npi" inputMode="numeric" value=${npi} onValue=${edit(setNpi)} error=${f.practice_npi} class="field-medium" hint="Ten digits; printed on the letterhead." />
        <${TextField} label="Tax id (EIN)" name="practice_tax_id" testid="settings-tax-id" value=${taxId} onValue=${edit(setTaxId)} error=${f.practice_tax_id} class="field-medium" hint="For statements and claims." />
      </div>
      <div class=${`field ${f.logo ? 'has-error' : ''}`}>
        <label for="settings-logo">Logo (PNG or JPEG, up to 512 KB)</label>
        <input id="settings-logo" type="file" accept="image/png,image/jpeg" data-testid="settings-logo-file" onChange=${pickLogo} />
        <div class="hint" data-testid="settings-logo-state">${hasLogo ? 'A logo is printed at the top left of every letterhead.' : 'No logo: the letterhead is the name and address.'}</div>
        ${hasLogo ? html`<div><${Button} testid="settings-logo-remove" onClick=${removeLogo}>Remove the logo</${Button}></div>` : null}
        <${FieldError} name="logo" error=${f.logo} />
      </div>
      <div class="form-actions left">
        <${Button} kind="primary" type="submit" testid="settings-save" busy=${busy}>Save settings</${Button}>
        ${saved ? html`<span class="saved-note" data-testid="settings-saved" role="status">✓ Settings saved</span>` : null}
      </div>
    </form>
    <${BackupPanel} />
  </div>`;
}

const POLL_MS = 300;

/** "Back up now": an encrypted backup written by a background job; the
 *  progress is polled and shown while everything else keeps working. */
function BackupPanel() {
  const [folder, setFolder] = useState('');
  const [job, setJob] = useState<JobView | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useFormErrors(['folder']);
  const running = job?.phase === 'running';

  useEffect(() => {
    if (!job || job.phase !== 'running') return undefined;
    const t = window.setTimeout(() => {
      api.jobStatus(job.id).then(setJob, (e) => form.fail(e));
    }, POLL_MS);
    return () => window.clearTimeout(t);
  }, [job]);

  const start = async (e: Event) => {
    e.preventDefault();
    form.clear();
    setBusy(true);
    try {
      setJob(await api.startBackup(folder));
    } catch (err) {
      form.fail(err);
    } finally {
      setBusy(false);
    }
  };
  const pct = job && job.total_bytes > 0 ? Math.min(100, Math.round((job.done_bytes / job.total_bytes) * 100)) : 0;
  return html`<form class="panel narrow-panel backup-panel" onSubmit=${start} novalidate data-testid="backup-panel">
    <h2>Back up</h2>
    <p class="muted small">An encrypted copy of the whole practice. It restores on a new computer with the recovery code. Keep it away from this computer (a USB drive kept offsite).</p>
    <${FormError} error=${form.errors.general} />
    <${TextField} label="Folder to write the backup to" name="folder" testid="backup-folder" required=${true} value=${folder} onValue=${(v: string) => { setFolder(v); form.clearField('folder'); }} error=${form.errors.fields.folder} mono=${true} hint="The full path of an existing folder, for example /media/usb." />
    <div class="form-actions left">
      <${Button} kind="secondary" type="submit" testid="backup-start" busy=${busy} disabled=${running}>Back up now</${Button}>
    </div>
    ${job
      ? html`<div class="backup-status" data-testid="backup-status" data-phase=${job.phase} role="status">
          ${job.phase === 'running'
            ? html`<div class="progress" aria-label="Backup progress"><div class="progress-bar" style=${`width: ${pct}%`}></div></div>
                <span class="small muted">Backing up… ${pct}%. You can keep working.</span>`
            : job.phase === 'done'
              ? html`<span class="saved-note">✓ Backup written: <span class="mono" data-testid="backup-output">${job.output}</span></span>`
              : html`<${FormError} error=${job.error?.message ?? 'The backup failed'} />`}
        </div>`
      : null}
  </form>`;
}
