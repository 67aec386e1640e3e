// A trend plot drawn with uPlot: one line per series over time, every point
// marked, each series' reference or target range as a shaded band, dates
// on the x axis and the unit on the y axis. Resizes with its container.

import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { html } from '../../html';
import type { TrendSeries } from '../../bindings/TrendSeries';
import { parseLocal } from '../../format';

const COLORS = ['#0e7c86', '#b45309', '#6d28d9', '#be185d'];
const BANDS = ['rgba(14, 124, 134, 0.10)', 'rgba(180, 83, 9, 0.10)', 'rgba(109, 40, 217, 0.08)', 'rgba(190, 24, 93, 0.08)'];
const HEIGHT = 300;
const DAY = 86400;

const pad = (n: number) => String(n).padStart(2, '0');
const dateLabel = (secs: number) => {
  const d = new Date(secs * 1000);
  return `${pad(d.getMonth() + 1)}/${pad(d.getDate())}/${String(d.getFullYear()).slice(2)}`;
};

/** The series as uPlot's aligned columns: shared x (seconds), one y per series. */
function columns(series: TrendSeries[], window: [number | null, number | null]): uPlot.AlignedData {
  const xs = new Set<number>();
  // The chosen range's ends, as empty columns: the plot spans the range
  // the user asked for, not just the dates that have values.
  for (const edge of window) if (edge !== null) xs.add(edge);
  const byX = series.map((s) => {
    const m = new Map<number, number>();
    for (const p of s.points) {
      const t = parseLocal(p.at);
      if (!t) continue;
      const x = Math.floor(t.getTime() / 1000);
      xs.add(x);
      m.set(x, p.value);
    }
    return m;
  });
  const x = [...xs].sort((a, b) => a - b);
  return [x, ...byX.map((m) => x.map((t) => m.get(t) ?? null))] as uPlot.AlignedData;
}

/**
 * `window` is the date range the user chose (seconds; `null` bounds follow
 * the data), so a single point sits in context rather than alone.
 */
export function TrendChart(p: { series: TrendSeries[]; unit: string; window: [number | null, number | null] }) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const series = p.series;
    const data = columns(series, p.window);
    const drawBands = (u: uPlot) => {
      const ctx = u.ctx;
      const { left, top, width, height } = u.bbox;
      ctx.save();
      ctx.beginPath();
      ctx.rect(left, top, width, height);
      ctx.clip();
      series.forEach((s, i) => {
        if (s.range_low === null && s.range_high === null) return;
        // A one-sided range (LDL below 100, eGFR above 60) shades to the plot's edge.
        const y1 = s.range_high === null ? top : u.valToPos(s.range_high, 'y', true);
        const y2 = s.range_low === null ? top + height : u.valToPos(s.range_low, 'y', true);
        ctx.fillStyle = BANDS[i % BANDS.length]!;
        ctx.fillRect(left, Math.min(y1, y2), width, Math.abs(y2 - y1));
        ctx.strokeStyle = COLORS[i % COLORS.length]!;
        ctx.globalAlpha = 0.35;
        ctx.setLineDash([4, 4]);
        ctx.lineWidth = 1;
        for (const y of [s.range_high === null ? null : y1, s.range_low === null ? null : y2]) {
          if (y === null) continue;
          ctx.beginPath();
          ctx.moveTo(left, y);
          ctx.lineTo(left + width, y);
          ctx.stroke();
        }
        ctx.globalAlpha = 1;
        ctx.setLineDash([]);
      });
      ctx.restore();
    };
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 320),
      height: HEIGHT,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: {
          time: true,
          range: (_u, min, max) => {
            const [wLo, wHi] = p.window;
            const lo = wLo !== null ? min : min === max ? min - 30 * DAY : min - (max - min) * 0.03;
            const hi = wHi !== null ? max : min === max ? max + 30 * DAY : max + (max - min) * 0.03;
            return [lo, hi];
          },
        },
        y: {
          // The bands are part of what must be seen.
          range: (_u, min, max) => {
            let lo = min;
            let hi = max;
            for (const s of series) {
              if (s.range_low !== null) lo = Math.min(lo, s.range_low);
              if (s.range_high !== null) hi = Math.max(hi, s.range_high);
            }
            const span = hi - lo || Math.abs(hi) || 1;
            return [lo - span * 0.1, hi + span * 0.1];
          },
        },
      },
      series: [
        { label: 'Date', value: (_u, v) => (v === null ? '—' : dateLabel(v)) },
        ...series.map((s, i) => ({
          label: s.name,
          stroke: COLORS[i % COLORS.length],
          width: 2,
          spanGaps: true,
          points: { show: true, size: 7, fill: COLORS[i % COLORS.length], stroke: '#fff', width: 1 },
          value: (_u: uPlot, v: number | null) => (v === null ? '—' : `${v} ${s.unit}`),
        })),
      ],
      axes: [
        { values: (_u, splits) => splits.map(dateLabel), space: 90, grid: { stroke: '#eef1f3' }, ticks: { stroke: '#dfe4e8' } },
        { label: p.unit, labelSize: 20, grid: { stroke: '#eef1f3' }, ticks: { stroke: '#dfe4e8' }, size: 56 },
      ],
      hooks: { drawClear: [drawBands] },
    };
    const plot = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 320), height: HEIGHT }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [p.series, p.unit, p.window[0], p.window[1]]);

  return html`<div class="trend-chart" data-testid="trend-chart" ref=${box} role="img" aria-label=${`Trend of ${p.series.map((s) => s.name).join(' and ')}`}></div>`;
}
