// The chart's tab bar (clinical tabs for users who may read them, then the
// patient's details, edit and history) and the body of each clinical tab.

import { html } from '../../html';
import { patientHref, type ClinicalTab, type PatientTab } from '../../router';
import { SummaryTab } from './summary';
import { ProblemsTab } from './problems';
import { MedicationsTab } from './medications';
import { AllergiesTab } from './allergies';
import { ImmunizationsTab } from './immunizations';
import { VitalsTab } from './vitals';
import { LabsTab } from './labs';
import { TrendsTab } from './trends';
import { NotesTab } from './notes';
import { NoteScreen } from './noteEditor';
import { DocumentsTab } from './documents';
import { PrescriptionsTab } from './prescriptions';

const CLINICAL: { tab: ClinicalTab; label: string }[] = [
  { tab: 'summary', label: 'Summary' },
  { tab: 'problems', label: 'Problems' },
  { tab: 'medications', label: 'Medications' },
  { tab: 'allergies', label: 'Allergies' },
  { tab: 'immunizations', label: 'Immunizations' },
  { tab: 'vitals', label: 'Vitals' },
  { tab: 'labs', label: 'Labs' },
  { tab: 'trends', label: 'Trends' },
  { tab: 'notes', label: 'Notes' },
  { tab: 'documents', label: 'Documents' },
  { tab: 'prescriptions', label: 'Prescriptions' },
];

export function ChartTabs(p: { patientId: number; tab: PatientTab; clinical: boolean; canEdit: boolean; canRelease: boolean; canBill: boolean }) {
  const link = (tab: PatientTab, label: string, href: string, testid?: string) => {
    const on = p.tab === tab;
    return html`<a key=${tab} role="tab" class=${`tab ${on ? 'active' : ''}`} aria-selected=${on} href=${href} data-testid=${testid}>${label}</a>`;
  };
  return html`<nav class="tabs chart-tabs" role="tablist" aria-label="Chart">
    ${p.clinical
      ? html`<div class="tab-group">
          ${CLINICAL.map((t) =>
            link(t.tab, t.label, t.tab === 'summary' ? patientHref(p.patientId) : patientHref(p.patientId, t.tab), `chart-tab-${t.tab}`),
          )}
        </div>`
      : null}
    <div class=${`tab-group ${p.clinical ? 'tab-group-secondary' : ''}`}>
      ${link(
        'demographics',
        'Demographics',
        p.clinical ? patientHref(p.patientId, 'demographics') : patientHref(p.patientId),
        'chart-tab-demographics',
      )}
      ${p.canEdit ? link('edit', 'Edit', patientHref(p.patientId, 'edit'), 'patient-edit') : null}
      ${link('history', 'History', patientHref(p.patientId, 'history'), 'patient-history')}
      ${p.canRelease ? link('records', 'Records out', patientHref(p.patientId, 'records'), 'chart-tab-records') : null}
      ${p.canBill ? link('billing', 'Billing', patientHref(p.patientId, 'billing'), 'chart-tab-billing') : null}
    </div>
  </nav>`;
}

export function ClinicalTabBody(p: { tab: ClinicalTab; noteId: number | null }) {
  switch (p.tab) {
    case 'summary':
      return html`<${SummaryTab} />`;
    case 'problems':
      return html`<${ProblemsTab} />`;
    case 'medications':
      return html`<${MedicationsTab} />`;
    case 'allergies':
      return html`<${AllergiesTab} />`;
    case 'immunizations':
      return html`<${ImmunizationsTab} />`;
    case 'vitals':
      return html`<${VitalsTab} />`;
    case 'labs':
      return html`<${LabsTab} />`;
    case 'trends':
      return html`<${TrendsTab} />`;
    case 'notes':
      return p.noteId !== null ? html`<${NoteScreen} key=${p.noteId} noteId=${p.noteId} />` : html`<${NotesTab} />`;
    case 'documents':
      return html`<${DocumentsTab} />`;
    case 'prescriptions':
      return html`<${PrescriptionsTab} />`;
  }
}
