// One line of text describing a chart entry's details, for lists and the
// history dialog ("10 mg tablet · 1 tab by mouth daily · since 03/02/2024").

import type { EntryDetails } from '../bindings/EntryDetails';
import { ALLERGY_CATEGORY_LABEL, formatDate, IMMUNIZATION_KIND_LABEL, SEVERITY_LABEL } from '../format';

const join = (parts: (string | null | undefined | false)[]) => parts.filter(Boolean).join(' · ');

export function entryDetailText(d: EntryDetails, effective: string | null): string {
  const date = effective ? formatDate(effective) : '';
  switch (d.section) {
    case 'problem':
      return join([date && `onset ${date}`, d.comment]);
    case 'medication':
      return join([
        [d.strength, d.form].filter(Boolean).join(' '),
        [d.dose, d.route, d.frequency].filter(Boolean).join(' '),
        date && `since ${date}`,
        d.stop && `stop ${formatDate(d.stop)}`,
        d.prescriber && `by ${d.prescriber}`,
      ]);
    case 'allergy':
      if (d.no_known_allergies) return join([date && `recorded ${date}`]);
      return join([
        ALLERGY_CATEGORY_LABEL[d.category] ?? d.category,
        d.reaction,
        d.severity && d.severity !== 'unknown' ? SEVERITY_LABEL[d.severity] ?? d.severity : '',
      ]);
    case 'immunization':
      return join([
        date,
        IMMUNIZATION_KIND_LABEL[d.kind] ?? d.kind,
        d.dose_number && `dose ${d.dose_number}`,
        d.lot && `lot ${d.lot}`,
        d.manufacturer,
        [d.site, d.route].filter(Boolean).join(', '),
        d.note,
      ]);
    case 'prescription':
      return join([
        [d.strength, d.form].filter(Boolean).join(' '),
        d.directions,
        `#${d.quantity} ${d.quantity_unit}`,
        `${d.refills} refill${d.refills === 1 ? '' : 's'}`,
        d.substitution_allowed ? '' : 'dispense as written',
        date && `written ${date}`,
      ]);
  }
}
