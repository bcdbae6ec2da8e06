/** QQ plot: synthetic quantiles against real ones; points on the diagonal mean matching distributions. */
import { CHART_COLORS, chartFigure, dataTable, svgElement, type ChartLabel } from './chart-frame.js';
import { escapeHtml, formatPercent, px } from './format.js';
import type { QqData } from './report-data.js';

const SIZE = 230;
const MARGIN = { left: 16, right: 10, top: 10, bottom: 40 } as const;

/** The QQ figure; `format` labels values (numbers or dates). */
export function qqFigure(label: ChartLabel, data: QqData, format: (value: number) => string): string {
  const points: [number, number][] = [];
  data.real.forEach((r, i) => {
    const s = data.synthetic[i] ?? null;
    if (r !== null && s !== null && Number.isFinite(r) && Number.isFinite(s)) points.push([r, s]);
  });
  const all = points.flat();
  let lo = all.length === 0 ? 0 : Math.min(...all);
  let hi = all.length === 0 ? 1 : Math.max(...all);
  if (hi <= lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  const plot = SIZE - MARGIN.left - MARGIN.right;
  const sx = (v: number) => MARGIN.left + ((v - lo) / (hi - lo)) * plot;
  const sy = (v: number) => MARGIN.top + plot - ((v - lo) / (hi - lo)) * plot;
  const bottom = MARGIN.top + plot;
  const parts = [
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plot}" height="${plot}" fill="none" stroke="${CHART_COLORS.grid}"/>`,
    `<path d="M${px(sx(lo))} ${px(sy(lo))}L${px(sx(hi))} ${px(sy(hi))}" stroke="${CHART_COLORS.axis}" stroke-dasharray="4 3"/>`,
    ...points.map(
      ([r, s]) =>
        `<circle class="mark" cx="${px(sx(r))}" cy="${px(sy(s))}" r="2.6" fill="${CHART_COLORS.synthetic}" fill-opacity="0.85"/>`,
    ),
    `<text x="${MARGIN.left}" y="${bottom + 13}">${escapeHtml(format(lo))}</text>`,
    `<text x="${MARGIN.left + plot}" y="${bottom + 13}" text-anchor="end">${escapeHtml(format(hi))}</text>`,
    `<text transform="translate(${MARGIN.left - 4} ${bottom}) rotate(-90)">${escapeHtml(format(lo))}</text>`,
    `<text transform="translate(${MARGIN.left - 4} ${MARGIN.top}) rotate(-90)" text-anchor="end">${escapeHtml(format(hi))}</text>`,
    `<text x="${MARGIN.left + plot / 2}" y="${bottom + 28}" text-anchor="middle">x: real quantile, y: synthetic</text>`,
  ];
  const svg = svgElement(
    label,
    SIZE,
    SIZE,
    `<g font-size="10" fill="${CHART_COLORS.text}">${parts.join('')}</g>`,
  );
  const rows = data.probabilities.map((p, i) => [
    formatPercent(p),
    format(data.real[i] ?? Number.NaN),
    format(data.synthetic[i] ?? Number.NaN),
  ]);
  return chartFigure(label, svg, dataTable(['quantile', 'real', 'synthetic'], rows));
}
