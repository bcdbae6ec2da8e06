/** Correlation heatmap on a diverging blue–white–red scale over −1..1, with its legend. */
import { CHART_COLORS, chartFigure, dataTable, svgElement, type ChartLabel } from './chart-frame.js';
import { escapeHtml, formatNumber, px, truncateLabel } from './format.js';

const NEGATIVE = [33, 102, 172] as const;
const NEUTRAL = [247, 247, 247] as const;
const POSITIVE = [178, 24, 43] as const;
const MISSING_FILL = '#d9d9d9';
const LABEL_CHARS = 14;
const LEGEND_STEPS = 11;

/** The colour of a value in −1..1 (clamped); grey for an undefined correlation. */
export function divergingColor(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return MISSING_FILL;
  const t = Math.max(-1, Math.min(1, value));
  const end = t < 0 ? NEGATIVE : POSITIVE;
  const a = Math.abs(t);
  const channel = (i: 0 | 1 | 2) => Math.round(NEUTRAL[i] + (end[i] - NEUTRAL[i]) * a);
  const hex = (n: number) => n.toString(16).padStart(2, '0');
  return `#${hex(channel(0))}${hex(channel(1))}${hex(channel(2))}`;
}

/** The heatmap figure of a square matrix over `columns`. */
export function heatmapFigure(
  label: ChartLabel,
  columns: readonly string[],
  matrix: readonly (readonly (number | null)[])[],
): string {
  const k = columns.length;
  const cell = Math.max(9, Math.min(26, Math.floor(420 / Math.max(1, k))));
  const labelW = LABEL_CHARS * 6 + 6;
  const gridX = labelW;
  const gridY = labelW;
  const legendY = gridY + k * cell + 14;
  const width = Math.max(gridX + k * cell + 8, labelW + LEGEND_STEPS * 16 + 84);
  const height = legendY + 34;
  const parts: string[] = [];
  columns.forEach((name, i) => {
    const short = escapeHtml(truncateLabel(name, LABEL_CHARS));
    const full = `<title>${escapeHtml(name)}</title>`;
    parts.push(
      `<text x="${gridX - 4}" y="${px(gridY + i * cell + cell / 2 + 3)}" text-anchor="end">${full}${short}</text>`,
      `<text transform="translate(${px(gridX + i * cell + cell / 2 + 3)} ${gridY - 4}) rotate(-90)">${full}${short}</text>`,
    );
  });
  matrix.forEach((row, i) =>
    row.forEach((v, j) => {
      const a = escapeHtml(columns[i] ?? '');
      const b = escapeHtml(columns[j] ?? '');
      parts.push(
        `<rect class="mark" x="${gridX + j * cell}" y="${gridY + i * cell}" width="${cell - 1}" height="${cell - 1}" fill="${divergingColor(v)}">` +
          `<title>${a} × ${b}: ${formatNumber(v)}</title></rect>`,
      );
    }),
  );
  const step = 16;
  for (let s = 0; s < LEGEND_STEPS; s++) {
    const v = -1 + (2 * s) / (LEGEND_STEPS - 1);
    parts.push(
      `<rect x="${labelW + s * step}" y="${legendY}" width="${step}" height="10" fill="${divergingColor(v)}"/>`,
    );
  }
  const legendEnd = labelW + LEGEND_STEPS * step;
  parts.push(
    `<rect x="${labelW}" y="${legendY}" width="${LEGEND_STEPS * step}" height="10" fill="none" stroke="${CHART_COLORS.axis}"/>`,
    `<text x="${labelW}" y="${legendY + 22}">−1</text>`,
    `<text x="${labelW + (LEGEND_STEPS * step) / 2}" y="${legendY + 22}" text-anchor="middle">0</text>`,
    `<text x="${legendEnd}" y="${legendY + 22}" text-anchor="end">+1</text>`,
    `<rect x="${legendEnd + 10}" y="${legendY}" width="10" height="10" fill="${MISSING_FILL}"/>`,
    `<text x="${legendEnd + 24}" y="${legendY + 9}">undefined</text>`,
  );
  const svg = svgElement(
    label,
    width,
    height,
    `<g font-size="10" fill="${CHART_COLORS.text}">${parts.join('')}</g>`,
  );
  const rows = columns.map((name, i) => [
    name,
    ...columns.map((_, j) => formatNumber(matrix[i]?.[j] ?? null)),
  ]);
  return chartFigure(label, svg, dataTable(['', ...columns], rows));
}
