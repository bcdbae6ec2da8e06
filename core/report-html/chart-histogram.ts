/** Paired histogram: real and synthetic bars side by side in each bin, shares on the y axis. */
import {
  CHART_COLORS,
  chartFigure,
  dataTable,
  seriesLegend,
  svgElement,
  type ChartLabel,
} from './chart-frame.js';
import { escapeHtml, formatPercent, px } from './format.js';
import type { HistogramData } from './report-data.js';

const WIDTH = 380;
const HEIGHT = 210;
const MARGIN = { left: 42, right: 10, top: 18, bottom: 38 } as const;

/** Four "nice" tick values from 0 up to at least `max`. */
export function shareTicks(max: number): number[] {
  const top = max <= 0 ? 1 : max;
  const raw = top / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  return Array.from({ length: Math.ceil(top / step - 1e-9) + 1 }, (_, i) => i * step);
}

/** The histogram figure; `formatEdge` labels bin edges (numbers, dates or lengths). */
export function histogramFigure(
  label: ChartLabel,
  data: HistogramData,
  formatEdge: (edge: number) => string,
): string {
  const bins = data.real.length;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const ticks = shareTicks(Math.max(...data.real, ...data.synthetic));
  const yMax = ticks[ticks.length - 1] as number;
  const y = (v: number) => MARGIN.top + plotH - (v / yMax) * plotH;
  const binW = plotW / bins;
  const barW = Math.max(0.5, binW / 2 - 0.5);
  const parts: string[] = [];
  for (const t of ticks) {
    parts.push(
      `<path d="M${MARGIN.left} ${px(y(t))}H${WIDTH - MARGIN.right}" stroke="${CHART_COLORS.grid}"/>`,
      `<text x="${MARGIN.left - 4}" y="${px(y(t) + 3)}" text-anchor="end">${formatPercent(t)}</text>`,
    );
  }
  const bars = (shares: readonly number[], offset: number, color: string, series: string) =>
    shares
      .map((s, i) => {
        const x = MARGIN.left + i * binW + offset;
        const top = y(s);
        return `<rect class="mark" data-series="${series}" x="${px(x)}" y="${px(top)}" width="${px(barW)}" height="${px(MARGIN.top + plotH - top)}" fill="${color}"/>`;
      })
      .join('');
  parts.push(
    bars(data.real, 0.5, CHART_COLORS.real, 'real'),
    bars(data.synthetic, binW / 2, CHART_COLORS.synthetic, 'synthetic'),
  );
  const baseline = MARGIN.top + plotH;
  parts.push(`<path d="M${MARGIN.left} ${baseline}H${WIDTH - MARGIN.right}" stroke="${CHART_COLORS.axis}"/>`);
  // Integer bins are labelled by their value at the bin centre, other bins by their edges.
  const at = (k: number): [number, number] =>
    data.integerBins
      ? [(data.edges[k] as number) + 0.5, MARGIN.left + (k + 0.5) * binW]
      : [data.edges[k] as number, MARGIN.left + k * binW];
  const lastIndex = data.integerBins ? bins - 1 : bins;
  const labelled = bins >= 3 ? [0, Math.floor(lastIndex / 2), lastIndex] : [0, lastIndex];
  [...new Set(labelled)].forEach((k, n, all) => {
    const [value, x] = at(k);
    const anchor = all.length === 1 ? 'middle' : n === 0 ? 'start' : n === all.length - 1 ? 'end' : 'middle';
    parts.push(
      `<text x="${px(x)}" y="${baseline + 14}" text-anchor="${data.integerBins ? 'middle' : anchor}">${escapeHtml(formatEdge(value))}</text>`,
    );
  });
  parts.push(seriesLegend(MARGIN.left, HEIGHT - 6));
  const svg = svgElement(
    label,
    WIDTH,
    HEIGHT,
    `<g font-size="10" fill="${CHART_COLORS.text}">${parts.join('')}</g>`,
  );
  const rows = data.real.map((r, i) => [
    data.integerBins
      ? formatEdge((data.edges[i] as number) + 0.5)
      : `${formatEdge(data.edges[i] as number)} – ${formatEdge(data.edges[i + 1] as number)}`,
    formatPercent(r),
    formatPercent(data.synthetic[i]),
  ]);
  return chartFigure(label, svg, dataTable(['bin', 'real', 'synthetic'], rows));
}
