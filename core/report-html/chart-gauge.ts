/** Score cards: a half-circle gauge filled to the score, coloured by how good it is. */
import { CHART_COLORS, svgElement, type ChartLabel } from './chart-frame.js';
import { escapeHtml, formatPercent, px } from './format.js';

/** Scores at or above `good` are green, at or above `fair` amber, below red. */
export const SCORE_BANDS = { good: 0.8, fair: 0.6 } as const;

/** The traffic-light colour of a 0..1 score. */
export function scoreColor(score: number | null): string {
  if (score === null || !Number.isFinite(score)) return CHART_COLORS.axis;
  return score >= SCORE_BANDS.good
    ? CHART_COLORS.good
    : score >= SCORE_BANDS.fair
      ? CHART_COLORS.fair
      : CHART_COLORS.poor;
}

const W = 140;
const H = 86;
const CX = 70;
const CY = 72;
const R = 56;

function arc(fraction: number): string {
  // Angles run from π (left) to 0 (right) across the top half.
  const angle = Math.PI * (1 - fraction);
  const x = CX + R * Math.cos(angle);
  const y = CY - R * Math.sin(angle);
  return `M${CX - R} ${CY}A${R} ${R} 0 0 1 ${px(x)} ${px(y)}`;
}

/** A score card: the gauge, the percentage and its name (a missing score shows a dash and no fill). */
export function scoreCard(label: ChartLabel, score: number | null, caption: string): string {
  const finite = score !== null && Number.isFinite(score);
  const fill = finite ? Math.max(0, Math.min(1, score)) : 0;
  const body =
    `<path d="${arc(1)}" fill="none" stroke="${CHART_COLORS.track}" stroke-width="12"/>` +
    (finite && fill > 0
      ? `<path class="mark" d="${arc(fill)}" fill="none" stroke="${scoreColor(score)}" stroke-width="12"/>`
      : '') +
    `<text x="${CX}" y="${CY - 4}" text-anchor="middle" font-size="20" font-weight="600" fill="${CHART_COLORS.text}">${formatPercent(score)}</text>`;
  return `<div class="card" id="${label.id}">${svgElement(label, W, H, body)}<div class="card-name">${escapeHtml(caption)}</div></div>`;
}
