/**
 * What every chart shares: the series colours, the accessible `<svg>` element (role, title and
 * description) and the `<figure>` around it with the chart's numbers as a table in `<details>`.
 */
import { escapeHtml } from './format.js';

/** Series colours (colour-blind safe pair) and the score traffic lights. */
export const CHART_COLORS = {
  real: '#4c78a8',
  synthetic: '#f58518',
  axis: '#888',
  grid: '#e3e3e3',
  text: '#333',
  good: '#2e8b57',
  fair: '#d4a017',
  poor: '#c0392b',
  track: '#e6e6e6',
} as const;

/** The accessible text of one chart. */
export interface ChartLabel {
  /** Unique within the page; built from indexes, never from user data. */
  id: string;
  title: string;
  description: string;
}

/** An `<svg>` with role img, labelled by its own title and description. */
export function svgElement(label: ChartLabel, width: number, height: number, body: string): string {
  const t = `${label.id}-t`;
  const d = `${label.id}-d`;
  return (
    `<svg class="chart-svg" role="img" aria-labelledby="${t} ${d}" viewBox="0 0 ${width} ${height}" ` +
    `width="${width}" height="${height}" preserveAspectRatio="xMinYMin meet">` +
    `<title id="${t}">${escapeHtml(label.title)}</title><desc id="${d}">${escapeHtml(label.description)}</desc>` +
    `${body}</svg>`
  );
}

/** A legend swatch pair for real and synthetic, drawn at (x, y). */
export function seriesLegend(x: number, y: number): string {
  return (
    `<g class="legend" font-size="10" fill="${CHART_COLORS.text}">` +
    `<rect x="${x}" y="${y - 8}" width="10" height="10" fill="${CHART_COLORS.real}"/>` +
    `<text x="${x + 14}" y="${y}">real</text>` +
    `<rect x="${x + 48}" y="${y - 8}" width="10" height="10" fill="${CHART_COLORS.synthetic}"/>` +
    `<text x="${x + 62}" y="${y}">synthetic</text></g>`
  );
}

/** A plain data table (cells are escaped here). */
export function dataTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  caption?: string,
): string {
  const th = head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('');
  const cap = caption === undefined ? '' : `<caption>${escapeHtml(caption)}</caption>`;
  return `<table>${cap}<thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

/** A figure: the chart, its caption, and its numbers as a table a screen reader (or a printout) can read. */
export function chartFigure(label: ChartLabel, svg: string, table: string): string {
  return (
    `<figure class="chart" id="${label.id}">${svg}<figcaption>${escapeHtml(label.title)}</figcaption>` +
    `<details><summary>Numbers</summary>${table}</details></figure>`
  );
}
