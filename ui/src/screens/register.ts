// Register a patient. Possible duplicates come back from the backend; the
// dialog lets the user open one of them or register anyway.

import { useState } from 'preact/hooks';
import { html } from '../html';
import * as api from '../api';
import type { PatientInput } from '../bindings/PatientInput';
import type { PatientSummary } from '../bindings/PatientSummary';
import { Button, FormError, Modal, useFormErrors } from '../components/form';
import { emptyPatientInput, PATIENT_FIELDS, PatientForm } from '../components/patientForm';
import { toast } from '../components/toast';
import { formatDate, patientListName, SEX_LABEL } from '../format';
import { handOffChart } from '../handoff';
import { navigate, patientHref } from '../router';

export function RegisterPatient() {
  const [value, setValue] = useState<PatientInput>(emptyPatientInput);
  const [busy, setBusy] = useState(false);
  const [duplicates, setDuplicates] = useState<PatientSummary[] | null>(null);
  const form = useFormErrors(PATIENT_FIELDS);

  const send = async (acknowledge: boolean) => {
    form.clear();
    setBusy(true);
    try {
      const outcome = await api.registerPatient(value, acknowledge);
      if (outcome.outcome === 'possible_duplicates') {
        setDuplicates(outcome.candidates);
      } else {
        setDuplicates(null);
        handOffChart(outcome.chart);
        toast(`Registered ${outcome.chart.patient.family_name}, ${outcome.chart.patient.given_name} · MRN ${outcome.chart.patient.mrn}`, 'success');
        navigate(patientHref(outcome.chart.patient.id));
      }
    } catch (e) {
      setDuplicates(null);
      form.fail(e);
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: Event) => {
    e.preventDefault();
    void send(false);
  };

  return html`<div class="screen register-screen">
    <div class="screen-head">
      <div>
        <h1>Register a new patient</h1>
        <p class="muted">Fields marked <span class="req">*</span> are required. Chartroom checks for patients already registered before saving.</p>
      </div>
    </div>
    <form class="panel" onSubmit=${submit} novalidate>
      <${FormError} error=${form.errors.general} />
      <${PatientForm}
        value=${value}
        onChange=${setValue}
        errors=${form.errors.fields}
        onFieldEdited=${form.clearField}
        autoFocus=${true}
        actions=${html`
          <${Button} kind="secondary" onClick=${() => { setValue(emptyPatientInput()); form.clear(); }}>Clear form</${Button}>
          <${Button} kind="primary" type="submit" testid="reg-submit" busy=${busy}>Register patient</${Button}>
        `}
      />
    </form>
    ${duplicates
      ? html`<${DuplicateDialog}
          candidates=${duplicates}
          busy=${busy}
          onOpen=${(id: number) => navigate(patientHref(id))}
          onRegisterAnyway=${() => void send(true)}
          onCancel=${() => setDuplicates(null)}
        />`
      : null}
  </div>`;
}

function DuplicateDialog(p: {
  candidates: PatientSummary[];
  busy: boolean;
  onOpen: (id: number) => void;
  onRegisterAnyway: () => void;
  onCancel: () => void;
}) {
  return html`<${Modal} title="This patient may already be registered" testid="duplicate-dialog" onClose=${p.onCancel} wide=${true}>
    <p>These registered patients look like the same person. Registering a duplicate splits the patient's record in two, so please check first.</p>
    <div class="table-wrap">
      <table class="data-table">
        <thead><tr><th>Name</th><th>Birth date</th><th>Sex</th><th>MRN</th><th>Phone</th><th></th></tr></thead>
        <tbody>
          ${p.candidates.map(
            (c) => html`<tr key=${c.id}>
              <td class="name-cell">${patientListName(c)}</td>
              <td>${formatDate(c.birth_date)}</td>
              <td>${SEX_LABEL[c.sex] ?? c.sex}</td>
              <td class="mono">${c.mrn}</td>
              <td class="nowrap">${c.phone_display}</td>
              <td class="right"><button type="button" class="btn btn-primary btn-small" data-testid="duplicate-open" data-patient-id=${c.id} onClick=${() => p.onOpen(c.id)}>Open this chart</button></td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
    <div class="modal-actions">
      <button type="button" class="btn btn-ghost" data-testid="duplicate-cancel" onClick=${p.onCancel}>Back to the form</button>
      <${Button} kind="secondary" testid="duplicate-register-anyway" busy=${p.busy} onClick=${p.onRegisterAnyway}>Register as a new patient anyway</${Button}>
    </div>
  </${Modal}>`;
}
