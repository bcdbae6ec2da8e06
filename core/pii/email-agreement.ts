/**
 * Row agreement between a name-like column and the table's email columns: people's addresses
 * are built from their names (`rageshwari.bhat@…`), so when the words of a column's values turn
 * up in the local part of the same row's email address, the column holds personal names, even
 * names no dictionary here knows. Product, company and place names do not show up there.
 */
import type { ColumnData } from '../table.js';

/** At most this many rows are compared (evenly spaced). */
const AGREEMENT_ROWS = 500;
/** Fewer compared rows than this prove nothing. */
const AGREEMENT_MIN_ROWS = 20;
/** Name words shorter than this match inside unrelated local parts too often. */
const MIN_WORD = 3;

function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase();
}

/**
 * The highest share, over the email columns, of compared rows in which some word of the column's
 * value (three letters or more) occurs in the same row's email local part; 0 when fewer than 20
 * rows have both values.
 */
export function emailAgreementShare(column: ColumnData, emailColumns: readonly ColumnData[]): number {
  let best = 0;
  const rows = column.values.length;
  const step = Math.max(1, Math.floor(rows / AGREEMENT_ROWS));
  for (const email of emailColumns) {
    if (email === column) continue;
    let compared = 0;
    let hits = 0;
    for (let i = 0; i < rows; i += step) {
      const v = column.values[i];
      const e = email.values[i];
      if (typeof v !== 'string' || typeof e !== 'string') continue;
      const at = e.indexOf('@');
      if (at < 1) continue;
      compared++;
      const local = fold(e.slice(0, at));
      for (const w of fold(v).split(/[^a-z]+/)) {
        if (w.length >= MIN_WORD && local.includes(w)) {
          hits++;
          break;
        }
      }
    }
    if (compared >= AGREEMENT_MIN_ROWS) best = Math.max(best, hits / compared);
  }
  return best;
}
