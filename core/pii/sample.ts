/**
 * Deterministic sampling for classification: evenly spaced non-null values, so that the same
 * table always gives the same report and a sorted or clustered column is still seen end to end.
 */
import type { CellValue } from '../table.js';

/** Up to `size` non-null values at evenly spaced positions among the non-null values, as strings. */
export function sampleEvenly(values: readonly CellValue[], size: number): string[] {
  let nonNull = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== null && values[i] !== undefined) nonNull++;
  const wanted = Math.min(Math.max(0, Math.floor(size)), nonNull);
  const out: string[] = [];
  if (wanted === 0) return out;
  let seen = 0;
  let target = 0;
  for (let i = 0; i < values.length && out.length < wanted; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    if (seen === target) {
      out.push(typeof v === 'string' ? v : String(v));
      target = Math.floor((out.length * nonNull) / wanted);
    }
    seen++;
  }
  return out;
}
