// Form building blocks: labelled fields with the backend's error under them.
// The UI does not validate; `useFormErrors` spreads a `WireError` over the
// fields it names (`error-<field>`) and keeps the rest as a general message.

import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html';
import { isSessionTrouble, toWireError } from '../api';
import { capitalize } from './toast';

export interface FormErrors {
  fields: Record<string, string>;
  general: string | null;
}

/** Field errors by name plus a general message, from a failed call.
 *  `known` lists the fields the form shows; `alias` maps backend field names
 *  onto them (e.g. `username` → `admin_username`). */
export function useFormErrors(known: readonly string[], alias: Record<string, string> = {}) {
  const [errors, setErrors] = useState<FormErrors>({ fields: {}, general: null });
  const clear = () => setErrors({ fields: {}, general: null });
  const fail = (e: unknown) => {
    const err = toWireError(e);
    if (isSessionTrouble(err)) return;
    const fields: Record<string, string> = {};
    const stray: string[] = [];
    for (const f of err.fields) {
      const name = alias[f.field] ?? f.field;
      if (known.includes(name)) {
        fields[name] = fields[name] ? `${fields[name]}\n${f.message}` : f.message;
      } else {
        stray.push(f.message);
      }
    }
    let general: string | null = null;
    if (err.fields.length === 0) general = capitalize(err.message);
    else if (stray.length) general = stray.join(' ');
    else general = 'Please correct the highlighted fields.';
    setErrors({ fields, general });
  };
  const clearField = (name: string) => {
    if (!errors.fields[name]) return;
    setErrors((prev) => {
      const fields = { ...prev.fields };
      delete fields[name];
      return { ...prev, fields };
    });
  };
  return { errors, clear, fail, clearField, setErrors };
}

interface FieldProps {
  label: string;
  name: string;
  testid?: string;
  value: string;
  onValue: (v: string) => void;
  type?: string;
  required?: boolean;
  error?: string | undefined;
  hint?: string;
  autoFocus?: boolean;
  autoComplete?: string;
  placeholder?: string;
  maxLength?: number;
  inputMode?: string;
  class?: string;
  mono?: boolean;
  disabled?: boolean;
  onBlur?: () => void;
  /** The id of a `<datalist>` of suggestions. */
  list?: string;
  /** Mark the field invalid but let the caller place the message. */
  errorElsewhere?: boolean;
  /** The input's element id (`f-<name>` by default; give another when the
   *  same field name is on screen twice, e.g. a form and a dialog). */
  id?: string;
}

export function TextField(p: FieldProps) {
  const id = p.id ?? `f-${p.name}`;
  const ref = useAutoFocus<HTMLInputElement>(!!p.autoFocus);
  return html`<div class=${`field ${p.error ? 'has-error' : ''} ${p.class ?? ''}`}>
    <label for=${id}>${p.label}${p.required ? html`<span class="req" aria-hidden="true">*</span>` : null}</label>
    <input
      ref=${ref}
      id=${id}
      name=${p.name}
      class=${p.mono ? 'mono' : ''}
      data-testid=${p.testid}
      type=${p.type ?? 'text'}
      value=${p.value}
      onInput=${(e: Event) => p.onValue((e.currentTarget as HTMLInputElement).value)}
      required=${p.required}
      aria-required=${p.required ? 'true' : undefined}
      aria-invalid=${p.error ? 'true' : undefined}
      aria-describedby=${p.error ? `${id}-err` : undefined}
      autocomplete=${p.autoComplete ?? 'off'}
      spellcheck=${false}
      placeholder=${p.placeholder}
      maxLength=${p.maxLength}
      inputMode=${p.inputMode}
      disabled=${p.disabled}
      onBlur=${p.onBlur}
      list=${p.list}
    />
    ${p.hint && !p.error ? html`<div class="hint">${p.hint}</div>` : null}
    ${p.errorElsewhere ? null : html`<${FieldError} id=${`${id}-err`} name=${p.name} error=${p.error} />`}
  </div>`;
}

/** A labelled textarea with the backend's error under it. */
export function TextAreaField(p: Omit<FieldProps, 'type' | 'list' | 'inputMode' | 'mono'> & { rows?: number }) {
  const id = p.id ?? `f-${p.name}`;
  const ref = useAutoFocus<HTMLTextAreaElement>(!!p.autoFocus);
  return html`<div class=${`field ${p.error ? 'has-error' : ''} ${p.class ?? ''}`}>
    <label for=${id}>${p.label}${p.required ? html`<span class="req" aria-hidden="true">*</span>` : null}</label>
    <textarea
      ref=${ref}
      id=${id}
      name=${p.name}
      data-testid=${p.testid}
      rows=${p.rows ?? 3}
      value=${p.value}
      onInput=${(e: Event) => p.onValue((e.currentTarget as HTMLTextAreaElement).value)}
      aria-required=${p.required ? 'true' : undefined}
      aria-invalid=${p.error ? 'true' : undefined}
      aria-describedby=${p.error ? `${id}-err` : undefined}
      placeholder=${p.placeholder}
      maxLength=${p.maxLength}
      disabled=${p.disabled}
      onBlur=${p.onBlur}
    ></textarea>
    ${p.hint && !p.error ? html`<div class="hint">${p.hint}</div>` : null}
    <${FieldError} id=${`${id}-err`} name=${p.name} error=${p.error} />
  </div>`;
}

/** A checkbox with its label to the right. */
export function CheckField(p: { label: ComponentChildren; name: string; testid?: string; checked: boolean; onChecked: (v: boolean) => void; error?: string | undefined }) {
  return html`<div class=${`field check-field ${p.error ? 'has-error' : ''}`}>
    <label class="check-row">
      <input type="checkbox" name=${p.name} data-testid=${p.testid} checked=${p.checked} onChange=${(e: Event) => p.onChecked((e.currentTarget as HTMLInputElement).checked)} />
      <span>${p.label}</span>
    </label>
    <${FieldError} name=${p.name} error=${p.error} />
  </div>`;
}

interface SelectProps {
  label: string;
  name: string;
  testid?: string;
  value: string;
  onValue: (v: string) => void;
  options: { value: string; label: string }[];
  /** Options under headings, after `options`. */
  groups?: { label: string; options: { value: string; label: string }[] }[];
  required?: boolean;
  error?: string | undefined;
  placeholder?: string;
  class?: string;
  /** The element id (`f-<name>` by default). */
  id?: string;
}

export function SelectField(p: SelectProps) {
  const id = p.id ?? `f-${p.name}`;
  return html`<div class=${`field ${p.error ? 'has-error' : ''} ${p.class ?? ''}`}>
    <label for=${id}>${p.label}${p.required ? html`<span class="req" aria-hidden="true">*</span>` : null}</label>
    <select
      id=${id}
      name=${p.name}
      data-testid=${p.testid}
      value=${p.value}
      onChange=${(e: Event) => p.onValue((e.currentTarget as HTMLSelectElement).value)}
      aria-required=${p.required ? 'true' : undefined}
      aria-invalid=${p.error ? 'true' : undefined}
    >
      ${p.placeholder !== undefined ? html`<option value="">${p.placeholder}</option>` : null}
      ${p.options.map((o) => html`<option key=${o.value} value=${o.value}>${o.label}</option>`)}
      ${(p.groups ?? []).map(
        (g) => html`<optgroup key=${g.label} label=${g.label}>
          ${g.options.map((o) => html`<option key=${o.value} value=${o.value}>${o.label}</option>`)}
        </optgroup>`,
      )}
    </select>
    <${FieldError} id=${`${id}-err`} name=${p.name} error=${p.error} />
  </div>`;
}

export function FieldError(p: { id?: string; name: string; error?: string | undefined }) {
  if (!p.error) return null;
  return html`<div class="field-error" id=${p.id} data-testid=${`error-${p.name}`} role="alert">${p.error}</div>`;
}

/** The general message of a form. */
export function FormError(p: { error: string | null; testid?: string }) {
  if (!p.error) return null;
  return html`<div class="form-error" data-testid=${p.testid ?? 'form-error'} role="alert">
    <span class="form-error-icon" aria-hidden="true">!</span><span>${p.error}</span>
  </div>`;
}

export function Button(p: {
  kind?: 'primary' | 'secondary' | 'danger' | 'ghost';
  type?: 'button' | 'submit';
  testid?: string;
  busy?: boolean;
  disabled?: boolean;
  onClick?: (e: Event) => void;
  children: ComponentChildren;
  class?: string;
  title?: string;
}) {
  return html`<button
    type=${p.type ?? 'button'}
    class=${`btn btn-${p.kind ?? 'secondary'} ${p.busy ? 'is-busy' : ''} ${p.class ?? ''}`}
    data-testid=${p.testid}
    disabled=${p.disabled || p.busy}
    aria-busy=${p.busy ? 'true' : undefined}
    title=${p.title}
    onClick=${p.onClick}
  >${p.busy ? html`<span class="spinner" aria-hidden="true"></span>` : null}${p.children}</button>`;
}

/** A modal dialog over the screen. */
export function Modal(p: {
  title: string;
  testid?: string;
  onClose?: () => void;
  children: ComponentChildren;
  wide?: boolean;
  class?: string;
}) {
  return html`<div class="modal-backdrop" onKeyDown=${(e: KeyboardEvent) => {
    // Stop here: a dialog over a dialog closes alone.
    if (e.key === 'Escape' && p.onClose) {
      e.stopPropagation();
      p.onClose();
    }
  }}>
    <div class=${`modal ${p.wide ? 'modal-wide' : ''} ${p.class ?? ''}`} role="dialog" aria-modal="true" aria-label=${p.title} data-testid=${p.testid}>
      <div class="modal-head">
        <h2>${p.title}</h2>
        ${p.onClose ? html`<button type="button" class="icon-btn" aria-label="Close" data-testid="modal-close" onClick=${p.onClose}>×</button>` : null}
      </div>
      ${p.children}
    </div>
  </div>`;
}

/** A spinning wheel and its label. With `delayMs`, an empty placeholder
 *  until then: a wait shorter than that (a chart opening) paints nothing
 *  extra, and no animation runs while the answer is being rendered. */
export function Spinner(p: { label?: string; delayMs?: number }) {
  const [shown, setShown] = useState(!p.delayMs);
  useEffect(() => {
    if (shown) return;
    const t = window.setTimeout(() => setShown(true), p.delayMs);
    return () => window.clearTimeout(t);
  }, []);
  if (!shown) return html`<div class="loading" aria-busy="true"></div>`;
  return html`<div class="loading"><span class="spinner" aria-hidden="true"></span>${p.label ?? 'Loading…'}</div>`;
}

/** Focuses the element once it is mounted (the `autofocus` attribute only
 *  works on page load). */
export function useAutoFocus<T extends HTMLElement>(on: boolean | undefined = true) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (on) ref.current?.focus();
  }, []);
  return ref;
}
