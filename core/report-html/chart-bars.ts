/**
 * Horizontal grouped bars: one row per label, one bar per series within it. Used for category
 * frequencies, per-column scores, distance quantiles and edge-case frequencies.
 */
import { CHART_COLORS, chartFigure, dataTable, svgElement, type ChartLabel } from './chart-frame.js';
import { escapeHtml, px, truncateLabel } from './format.js';

/** One series of a bar chart. */
export interface BarSeries {
  name: string;
  color: string;
}

/** One row of a bar chart: a label and one value per series (null draws nothing). */
export interface BarRow {
  label: string;
  values: (number | null)[];
}

/** Options of {@link barsFigure}. */
export interface BarsOptions {
  series: readonly BarSeries[];
  /** Formats values for the bar ends and the table. */
  format: (value: number | null) => string;
  /** Value at the full bar width; default the largest value. */
  max?: number;
  /** Characters of each row label kept on the chart (the table has them whole). */
  labelChars?: number;
}

const WIDTH = 380;
const BAR_H = 9;
const GAP = 6;
const TOP = 6;
const LEGEND_H = 18;

/** The bar-chart figure. */
export function barsFigure(label: ChartLabel, rows: readonly BarRow[], options: BarsOptions): string {
  const labelChars = options.labelChars ?? 18;
  const left = 8 + Math.min(labelChars, Math.max(4, ...rows.map((r) => [...r.label].length))) * 6;
  const right = 52;
  const plotW = WIDTH - left - right;
  const values = rows.flatMap((r) => r.values).filter((v): v is number => v !== null && Number.isFinite(v));
  const max = options.max ?? Math.max(0, ...values);
  const scale = (v: number) => (max <= 0 ? 0 : (Math.max(0, v) / max) * plotW);
  const groupH = options.series.length * BAR_H + GAP;
  const height = TOP + rows.length * groupH + LEGEND_H;
  const parts: string[] = [];
  rows.forEach((row, i) => {
    const y0 = TOP + i * groupH;
    parts.push(
      `<text x="${left - 4}" y="${px(y0 + (options.series.length * BAR_H) / 2 + 3)}" text-anchor="end">` +
        `<title>${escapeHtml(row.label)}</title>${escapeHtml(truncateLabel(row.label, labelChars))}</text>`,
    );
    options.series.forEach((s, k) => {
      const v = row.values[k] ?? null;
      if (v === null || !Number.isFinite(v)) return;
      const y = y0 + k * BAR_H;
      const w = scale(v);
      parts.push(
        `<rect class="mark" data-series="${escapeHtml(s.name)}" x="${left}" y="${px(y)}" width="${px(Math.max(w, 0.5))}" height="${BAR_H - 1}" fill="${s.color}"/>`,
        `<text x="${px(left + w + 3)}" y="${px(y + BAR_H - 1.5)}" font-size="8">${escapeHtml(options.format(v))}</text>`,
      );
    });
  });
  parts.push(
    `<path d="M${left} ${TOP - 2}V${TOP + rows.length * groupH - GAP + 2}" stroke="${CHART_COLORS.axis}"/>`,
  );
  let x = left;
  const legendY = height - 5;
  for (const s of options.series) {
    parts.push(
      `<rect x="${x}" y="${legendY - 8}" width="10" height="10" fill="${s.color}"/>`,
      `<text x="${x + 14}" y="${legendY}">${escapeHtml(s.name)}</text>`,
    );
    x += 24 + [...s.name].length * 6;
  }
  const svg = svgElement(
    label,
    WIDTH,
    height,
    `<g font-size="10" fill="${CHART_COLORS.text}">${parts.join('')}</g>`,
  );
  const table = dataTable(
    ['', ...options.series.map((s) => s.name)],
    rows.map((r) => [r.label, ...options.series.map((_, k) => options.format(r.values[k] ?? null))]),
  );
  return chartFigure(label, svg, table);
}
