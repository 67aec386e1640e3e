// Trends: one measure over time (blood pressure plots systolic and
// diastolic together), asked for with one `Trend` request, drawn by
// `TrendChart` with its range band, and listed in a table below.

import { useEffect, useState } from 'preact/hooks';
import { html } from '../../html';
import * as api from '../../api';
import type { TrendSeries } from '../../bindings/TrendSeries';
import { FormError, SelectField, Spinner, TextField, useFormErrors } from '../../components/form';
import { formatLocal, todayText } from '../../format';
import { useReference } from '../../reference';
import { useChart } from './context';
import { labGroups, FlagBadge } from './labs';
import { TrendChart } from './trendChart';

type Range = '1y' | '2y' | '5y' | 'all';
const RANGES: { key: Range; label: string; years: number | null }[] = [
  { key: '1y', label: '1 year', years: 1 },
  { key: '2y', label: '2 years', years: 2 },
  { key: '5y', label: '5 years', years: 5 },
  { key: 'all', label: 'All', years: null },
];

function yearsAgo(n: number): string {
  const t = new Date();
  t.setFullYear(t.getFullYear() - n);
  return todayText(t);
}

export function TrendsTab() {
  const ctx = useChart();
  const ref = useReference();
  const [choice, setChoice] = useState('bp');
  const [from, setFrom] = useState(yearsAgo(2));
  const [to, setTo] = useState(todayText());
  const [span, setSpan] = useState<[number | null, number | null]>([null, null]);
  const [range, setRange] = useState<Range | null>('2y');
  const [series, setSeries] = useState<TrendSeries[] | null>(null);
  const [loading, setLoading] = useState(false);
  const form = useFormErrors(['from', 'to', 'codes']);

  const vitals = ref?.vitals ?? [];
  const codeOf = (key: string) => vitals.find((v) => v.key === key)?.code;
  const codes = (c: string): string[] => {
    if (c !== 'bp') return [c];
    const sys = codeOf('systolic');
    const dia = codeOf('diastolic');
    return sys && dia ? [sys, dia] : [];
  };

  const load = async (c: string, f: string, t: string) => {
    const list = codes(c);
    if (!list.length) return;
    const lo = typedDay(f);
    const hi = typedDay(t);
    setSpan([lo, hi === null ? null : hi + 86400]);
    form.clear();
    setLoading(true);
    try {
      setSeries(await api.trend(ctx.patientId, list, f, t));
    } catch (e) {
      form.fail(e);
      setSeries(null);
    } finally {
      setLoading(false);
    }
  };

  // Vital codes come with the reference data; draw once it is here.
  useEffect(() => {
    if (ref) void load(choice, from, to);
  }, [ref, choice]);

  const pickRange = (r: (typeof RANGES)[number]) => {
    const f = r.years === null ? '' : yearsAgo(r.years);
    const t = r.years === null ? '' : todayText();
    setRange(r.key);
    setFrom(f);
    setTo(t);
    void load(choice, f, t);
  };

  const apply = (e: Event) => {
    e.preventDefault();
    setRange(null);
    void load(choice, from, to);
  };

  // The patient's own tests first, then vitals, then the whole catalogue.
  const mine = new Map((ctx.summary?.recent_labs ?? []).map((o) => [o.code, o.name]));
  const labs = ref?.labs ?? [];
  const groups = [
    ...(mine.size ? [{ label: "This patient's lab results", options: [...mine.entries()].map(([value, label]) => ({ value, label })) }] : []),
    {
      label: 'Vital signs',
      options: vitals.filter((v) => v.key !== 'systolic' && v.key !== 'diastolic').map((v) => ({ value: v.code, label: `${v.name} (${v.display_unit})` })),
    },
    ...labGroups(labs.filter((t) => !mine.has(t.loinc))).map((g) => ({ ...g, label: `Labs: ${g.label}` })),
  ];

  // Lab values with the catalogue's decimals (vitals come already rounded).
  const shown = (code: string, v: number) => {
    const t = labs.find((x) => x.loinc === code);
    return t ? v.toFixed(t.decimals) : String(v);
  };
  const points = (series ?? []).flatMap((s) => s.points.map((pt) => ({ ...pt, name: s.name, unit: s.unit, text: shown(s.code, pt.value) })));
  points.sort((a, b) => b.at.localeCompare(a.at));
  const unit = [...new Set((series ?? []).map((s) => s.unit))].join(', ');

  return html`<div class="chart-body">
    <section class="panel trend-panel">
      <form class="trend-controls" onSubmit=${apply} novalidate>
        <${SelectField} label="Show" name="trend" testid="trend-select" value=${choice} onValue=${setChoice} class="trend-pick"
          options=${[{ value: 'bp', label: 'Blood pressure (systolic and diastolic)' }]} groups=${groups} />
        <${TextField} label="From" name="from" testid="trend-from" value=${from} onValue=${(v: string) => { setFrom(v); form.clearField('from'); }} error=${form.errors.fields.from} placeholder="MM/DD/YYYY" inputMode="numeric" class="trend-date" />
        <${TextField} label="To" name="to" testid="trend-to" value=${to} onValue=${(v: string) => { setTo(v); form.clearField('to'); }} error=${form.errors.fields.to} placeholder="MM/DD/YYYY" inputMode="numeric" class="trend-date" />
        <button type="submit" class="btn btn-secondary trend-apply" data-testid="trend-apply">Show</button>
        <div class="range-buttons" role="group" aria-label="Quick range">
          ${RANGES.map(
            (r) => html`<button type="button" key=${r.key} class=${`btn btn-small ${range === r.key ? 'btn-primary' : 'btn-secondary'}`} data-testid="trend-range" data-range=${r.key} aria-pressed=${range === r.key} onClick=${() => pickRange(r)}>${r.label}</button>`,
          )}
        </div>
      </form>
      <${FormError} error=${form.errors.general} />
      ${loading && !series ? html`<${Spinner} />` : null}
      ${series
        ? points.length === 0
          ? html`<div class="empty-state trend-empty" data-testid="trend-empty">
              <h2>Nothing to plot</h2>
              <p>No ${series.map((s) => s.name.toLowerCase()).join(' or ')} values recorded ${range === 'all' ? 'for this patient' : 'in this period'}.</p>
            </div>`
          : html`
              <div class="trend-legend muted small">
                ${series.map((s) =>
                  s.range_text
                    ? html`<span key=${s.code}>${s.name}: shaded ${s.range_text} (${vitals.some((v) => v.code === s.code) ? 'target' : 'reference'} range)</span>`
                    : null,
                )}
              </div>
              <${TrendChart} series=${series} unit=${unit} window=${span} />`
        : null}
    </section>
    ${series && points.length
      ? html`<section class="panel flush">
          <div class="panel-head"><h2>Values <span class="count">${points.length}</span></h2></div>
          <div class="table-scroll trend-table-scroll"><table class="data-table compact-table">
            <thead><tr><th>Date</th><th>Measure</th><th class="num">Value</th><th>Flag</th></tr></thead>
            <tbody>
              ${points.map(
                (pt, i) => html`<tr key=${i} data-testid="trend-point" data-at=${pt.at} data-value=${pt.value} data-flag=${pt.flag ?? ''}>
                  <td class="nowrap">${formatLocal(pt.at)}</td>
                  <td>${pt.name}</td>
                  <td class="num">${pt.text} <span class="muted small">${pt.unit}</span></td>
                  <td><${FlagBadge} flag=${pt.flag} /></td>
                </tr>`,
              )}
            </tbody>
          </table></div>
        </section>`
      : null}
  </div>`;
}

/** A typed `MM/DD/YYYY` (or `YYYY-MM-DD`) as local midnight in seconds, or null. */
function typedDay(s: string): number | null {
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s.trim());
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s.trim());
  const [y, m, d] = us ? [us[3], us[1], us[2]] : iso ? [iso[1], iso[2], iso[3]] : [null, null, null];
  if (!y) return null;
  const t = new Date(Number(y), Number(m) - 1, Number(d));
  return Number.isNaN(t.getTime()) ? null : Math.floor(t.getTime() / 1000);
}
