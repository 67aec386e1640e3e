// The chart's first screen (`ChartSummary`): active problems, medications,
// allergies, the last vital signs, recent labs with their flags, recent
// notes, immunizations and preventive care, in three compact columns that a
// physician reads in seconds. Each panel links to its tab.

import type { ComponentChildren } from 'preact';
import { html } from '../../html';
import type { ChartEntry } from '../../bindings/ChartEntry';
import type { ObservationView } from '../../bindings/ObservationView';
import { Spinner } from '../../components/form';
import { ENCOUNTER_KIND_LABEL, formatDate, formatLocal, isCritical } from '../../format';
import { navigate, noteHref, patientHref, type ClinicalTab } from '../../router';
import { useReference } from '../../reference';
import { useChart } from './context';
import { FlagBadge } from './labs';
import { groupVitals, vitalKeys, vitalsLine } from './vitals';
import { ImmunizationKind } from './immunizations';
import { NoteStatusChip } from './notes';

function Panel(p: { title: string; testid: string; tab?: ClinicalTab; count?: number; children: ComponentChildren }) {
  const ctx = useChart();
  return html`<section class="summary-panel" data-testid=${p.testid}>
    <div class="summary-head">
      <h2>${p.title}${p.count !== undefined ? html` <span class="count">${p.count}</span>` : null}</h2>
      ${p.tab ? html`<a class="summary-more" href=${patientHref(ctx.patientId, p.tab)}>Open</a>` : null}
    </div>
    ${p.children}
  </section>`;
}

const Empty = (p: { children: ComponentChildren }) => html`<p class="summary-empty">${p.children}</p>`;

function sig(e: ChartEntry): string {
  const d = e.details;
  if (d.section !== 'medication') return '';
  return [[d.strength, d.form].filter(Boolean).join(' '), [d.dose, d.route, d.frequency].filter(Boolean).join(' ')].filter(Boolean).join(' · ');
}

export function SummaryTab() {
  const ctx = useChart();
  const ref = useReference();
  const s = ctx.summary;
  if (!s) return html`<${Spinner} label="Loading the chart summary…" delayMs=${300} />`;

  const keys = vitalKeys(ref);
  const lastSet = groupVitals(s.last_vitals, keys)[0];
  const allergyText =
    s.allergy_status === 'listed' ? 'Allergies recorded' : s.allergy_status === 'no_known_allergies' ? 'No known allergies (NKA)' : 'Allergies not recorded';

  return html`<div class="summary-grid">
    <div class="summary-col">
      <${Panel} title="Problems" testid="summary-problems" tab="problems" count=${s.problems.length}>
        ${s.problems.length
          ? html`<ul class="summary-list">
              ${s.problems.map((e) => html`<li key=${e.id} data-testid="summary-problem" data-entry-id=${e.id}>
                <span class="summary-main">${e.label}</span><span class="mono summary-side">${e.code}</span>
              </li>`)}
            </ul>`
          : html`<${Empty}>No active problems.</${Empty}>`}
      </${Panel}>
      <${Panel} title="Medications" testid="summary-medications" tab="medications" count=${s.medications.length}>
        ${s.medications.length
          ? html`<ul class="summary-list">
              ${s.medications.map((e) => html`<li key=${e.id} data-testid="summary-medication" data-entry-id=${e.id} class="stacked">
                <span class="summary-main">${e.label}</span>
                ${sig(e) ? html`<span class="summary-sub">${sig(e)}</span>` : null}
              </li>`)}
            </ul>`
          : html`<${Empty}>No active medications.</${Empty}>`}
      </${Panel}>
      ${s.prescriptions.length
        ? html`<${Panel} title="Recent prescriptions" testid="summary-prescriptions" tab="prescriptions">
            <ul class="summary-list">
              ${s.prescriptions.map((e) => html`<li key=${e.id} class="stacked">
                <span class="summary-main">${e.label}${e.details.section === 'prescription' && e.details.strength ? ` ${e.details.strength}` : ''}</span>
                <span class="summary-sub">${e.effective_date ? formatDate(e.effective_date) : ''}${e.details.section === 'prescription' ? ` · ${e.details.directions}` : ''}</span>
              </li>`)}
            </ul>
          </${Panel}>`
        : null}
    </div>
    <div class="summary-col">
      <${Panel} title="Allergies" testid="summary-allergies" tab="allergies">
        <div class=${`allergy-status allergy-${s.allergy_status}`} data-testid="allergy-status" data-status=${s.allergy_status}>${allergyText}</div>
        ${s.allergies.length
          ? html`<ul class="summary-list">
              ${s.allergies.map((e) => html`<li key=${e.id} data-testid="summary-allergy" class="stacked">
                <span class="summary-main allergy-name">${e.label}</span>
                ${e.details.section === 'allergy' && (e.details.reaction || e.details.severity)
                  ? html`<span class="summary-sub">${[e.details.reaction, e.details.severity && e.details.severity !== 'unknown' ? e.details.severity : ''].filter(Boolean).join(' · ')}</span>`
                  : null}
              </li>`)}
            </ul>`
          : null}
      </${Panel}>
      <${Panel} title="Last vital signs" testid="summary-vitals" tab="vitals">
        ${lastSet
          ? html`<div class="summary-when">Taken ${formatLocal(lastSet.at)}</div>
              <dl class="vitals-mini">
                ${vitalsLine(lastSet, keys).map(
                  (v) => html`<div key=${v.label} data-testid="summary-vital"><dt>${v.label}</dt><dd><strong>${v.text}</strong> <span class="muted">${v.unit}</span></dd></div>`,
                )}
              </dl>`
          : html`<${Empty}>No vital signs recorded.</${Empty}>`}
      </${Panel}>
      <${Panel} title="Recent labs" testid="summary-labs" tab="labs">
        ${s.recent_labs.length
          ? html`<table class="summary-table">
              <tbody>
                ${s.recent_labs.map((o: ObservationView) => html`<tr key=${o.id} data-testid="summary-lab" data-code=${o.code} data-flag=${o.flag ?? ''} class=${isCritical(o.flag) ? 'is-critical' : ''}>
                  <td class="summary-main">${o.name}</td>
                  <td class=${`num lab-value flag-text-${o.flag ?? 'none'}`}>${o.display_value} <span class="muted small unit">${o.display_unit}</span></td>
                  <td class="flag-cell"><${FlagBadge} flag=${o.flag} compact=${true} /></td>
                  <td class="summary-side nowrap">${formatDate(o.effective_at)}</td>
                </tr>`)}
              </tbody>
            </table>`
          : html`<${Empty}>No lab results.</${Empty}>`}
      </${Panel}>
    </div>
    <div class="summary-col">
      <${Panel} title="Recent notes" testid="summary-notes" tab="notes">
        ${s.recent_notes.length
          ? html`<ul class="summary-list summary-notes">
              ${s.recent_notes.map((n) => html`<li key=${n.id} class="stacked clickable" data-testid="summary-note" data-note-id=${n.id} tabIndex=${0} role="link"
                  onClick=${() => navigate(noteHref(ctx.patientId, n.id))}
                  onKeyDown=${(e: KeyboardEvent) => e.key === 'Enter' && navigate(noteHref(ctx.patientId, n.id))}>
                <span class="summary-main">${formatDate(n.encounter_date)} · ${ENCOUNTER_KIND_LABEL[n.encounter_kind] ?? n.encounter_kind} <${NoteStatusChip} status=${n.status} /></span>
                <span class="summary-sub">${n.reason}${n.preview ? ` — ${n.preview}` : ''}</span>
              </li>`)}
            </ul>`
          : html`<${Empty}>No notes yet.</${Empty}>`}
      </${Panel}>
      <${Panel} title="Immunizations" testid="summary-immunizations" tab="immunizations">
        ${s.immunizations.length
          ? html`<ul class="summary-list">
              ${s.immunizations.map((e) => html`<li key=${e.id}>
                <span class="summary-main">${e.label} ${e.details.section === 'immunization' && e.details.kind !== 'administered' ? html`<${ImmunizationKind} kind=${e.details.kind} />` : null}</span>
                <span class="summary-side">${e.effective_date ? formatDate(e.effective_date) : ''}</span>
              </li>`)}
            </ul>`
          : html`<${Empty}>No immunizations recorded.</${Empty}>`}
      </${Panel}>
      <${Panel} title="Care due" testid="summary-care-due">
        ${s.care_due.length
          ? html`<ul class="summary-list">${s.care_due.map((c) => html`<li key=${c}>${c}</li>`)}</ul>`
          : html`<${Empty}>Preventive care reminders arrive in a later release.</${Empty}>`}
      </${Panel}>
    </div>
  </div>`;
}
