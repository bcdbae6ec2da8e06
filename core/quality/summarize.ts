/** The quality report: mean column-shape score plus the exact-copy privacy check. */
import type { ColumnShapeScore } from './column-shapes.js';

/** Quality of a synthetic dataset against its real sample. */
export interface QualityReport {
  /** Mean of the column scores (1 when no column could be scored: nothing was found wrong). */
  score: number;
  columns: ColumnShapeScore[];
  /** Synthetic rows identical to some real row. */
  exactCopies: number;
  syntheticRowsChecked: number;
  /** exactCopies / syntheticRowsChecked (0 when nothing was checked). */
  exactCopyRate: number;
}

/** Builds the quality report from column scores and the exact-copy count. */
export function summarizeQuality(
  scores: ColumnShapeScore[],
  exactCopies: number,
  syntheticRowsChecked: number,
): QualityReport {
  const finite = scores.filter((s) => Number.isFinite(s.score));
  const score = finite.length === 0 ? 1 : finite.reduce((sum, s) => sum + s.score, 0) / finite.length;
  return {
    score,
    columns: scores,
    exactCopies,
    syntheticRowsChecked,
    exactCopyRate: syntheticRowsChecked === 0 ? 0 : exactCopies / syntheticRowsChecked,
  };
}
