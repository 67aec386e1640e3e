// The patient details form, shared by registration and editing. Inputs are
// named by the `PatientInput` fields (`reg-<field>`); their errors come from
// the backend (`error-<field>`). The birth date is a plain text field
// (`MM/DD/YYYY`, or `YYYY-MM-DD`), read and checked by the backend:
// WebKitGTK's empty `<input type=date>` shows today's date in grey, easy to
// take for a value.

import type { ComponentChildren } from 'preact';
import { html } from '../html';
import type { PatientInput } from '../bindings/PatientInput';
import type { PatientChart } from '../bindings/PatientChart';
import { CONTACTS, CONTACT_LABEL, formatDate, SEXES, SEX_LABEL } from '../format';
import { SelectField, TextField } from './form';

export type Field = keyof PatientInput;

export const PATIENT_FIELDS: Field[] = [
  'family_name', 'given_name', 'middle_name', 'preferred_name', 'birth_date', 'sex', 'gender_identity',
  'address_line1', 'address_line2', 'city', 'region', 'postal_code', 'phone_mobile', 'phone_home',
  'phone_work', 'email', 'preferred_contact', 'emergency_name', 'emergency_relationship', 'emergency_phone',
];

export function emptyPatientInput(): PatientInput {
  return {
    family_name: '', given_name: '', middle_name: '', preferred_name: '', birth_date: '', sex: '',
    gender_identity: '', address_line1: '', address_line2: '', city: '', region: '', postal_code: '',
    phone_mobile: '', phone_home: '', phone_work: '', email: '', preferred_contact: 'phone',
    emergency_name: '', emergency_relationship: '', emergency_phone: '',
  };
}

/** The form's values for an existing patient. */
export function inputFromChart(c: PatientChart): PatientInput {
  const p = c.patient;
  return {
    family_name: p.family_name,
    given_name: p.given_name,
    middle_name: p.middle_name,
    preferred_name: p.preferred_name,
    // Shown as typed at registration; the backend reads MM/DD/YYYY and YYYY-MM-DD.
    birth_date: formatDate(p.birth_date),
    sex: p.sex,
    gender_identity: p.gender_identity,
    address_line1: p.address_line1,
    address_line2: p.address_line2,
    city: p.city,
    region: p.region,
    postal_code: p.postal_code,
    // Phones as the backend shows them; it reads any common way of typing one.
    phone_mobile: c.phones.mobile,
    phone_home: c.phones.home,
    phone_work: c.phones.work,
    email: p.email,
    preferred_contact: p.preferred_contact,
    emergency_name: p.emergency_name,
    emergency_relationship: p.emergency_relationship,
    emergency_phone: c.phones.emergency,
  };
}

export function PatientForm(p: {
  value: PatientInput;
  /** Takes an updater, so quick successive edits never see a stale value. */
  onChange: (update: (v: PatientInput) => PatientInput) => void;
  errors: Record<string, string>;
  onFieldEdited?: (f: Field) => void;
  autoFocus?: boolean;
  actions: ComponentChildren;
}) {
  const v = p.value;
  const set = (f: Field) => (x: string) => {
    p.onChange((prev) => ({ ...prev, [f]: x }));
    p.onFieldEdited?.(f);
  };
  const text = (f: Field, label: string, extra: Record<string, unknown> = {}) =>
    html`<${TextField} name=${f} label=${label} testid=${`reg-${f}`} value=${v[f]} onValue=${set(f)} error=${p.errors[f]} ...${extra} />`;
  const phone = (f: Field, label: string) =>
    text(f, label, { type: 'tel', inputMode: 'tel', placeholder: '(503) 555-0134' });

  return html`<div class="patient-form">
    <section class="form-section">
      <h2>Name</h2>
      <div class="grid-4">
        ${text('family_name', 'Family name', { required: true, autoFocus: p.autoFocus, autoComplete: 'off' })}
        ${text('given_name', 'Given name', { required: true })}
        ${text('middle_name', 'Middle name')}
        ${text('preferred_name', 'Preferred name', { hint: 'What the patient likes to be called' })}
      </div>
    </section>
    <section class="form-section">
      <h2>Birth & sex</h2>
      <div class="grid-4">
        ${text('birth_date', 'Birth date', { required: true, placeholder: 'MM/DD/YYYY', inputMode: 'numeric' })}
        <${SelectField} name="sex" label="Sex" testid="reg-sex" required=${true} value=${v.sex} onValue=${set('sex')} error=${p.errors.sex} placeholder="Choose…" options=${SEXES.map((s) => ({ value: s, label: SEX_LABEL[s] }))} />
        ${text('gender_identity', 'Gender identity', { class: 'span-2', hint: 'Optional, as the patient describes it' })}
      </div>
    </section>
    <section class="form-section">
      <h2>Address</h2>
      <div class="grid-4">
        ${text('address_line1', 'Street address', { class: 'span-2' })}
        ${text('address_line2', 'Apartment, suite, unit', { class: 'span-2' })}
        ${text('city', 'City', { class: 'span-2' })}
        ${text('region', 'State', { maxLength: 2, placeholder: 'OR' })}
        ${text('postal_code', 'ZIP code', { inputMode: 'numeric', placeholder: '97201' })}
      </div>
    </section>
    <section class="form-section">
      <h2>Contact</h2>
      <div class="grid-4">
        ${phone('phone_mobile', 'Mobile phone')}
        ${phone('phone_home', 'Home phone')}
        ${phone('phone_work', 'Work phone')}
        <${SelectField} name="preferred_contact" label="Preferred contact" testid="reg-preferred_contact" value=${v.preferred_contact} onValue=${set('preferred_contact')} error=${p.errors.preferred_contact} options=${CONTACTS.map((c) => ({ value: c, label: CONTACT_LABEL[c] }))} />
        ${text('email', 'Email', { type: 'email', class: 'span-2', autoComplete: 'off' })}
      </div>
    </section>
    <section class="form-section">
      <h2>Emergency contact</h2>
      <div class="grid-4">
        ${text('emergency_name', 'Name', { class: 'span-2' })}
        ${text('emergency_relationship', 'Relationship', { placeholder: 'Spouse, parent…' })}
        ${phone('emergency_phone', 'Phone')}
      </div>
    </section>
    <div class="form-actions sticky-actions">${p.actions}</div>
  </div>`;
}
