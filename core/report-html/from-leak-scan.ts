/** Adapts a leak scan (core/privacy/leak-check.ts) to the report's privacy section: counts and places, no values. */
import type { LeakScanResult } from '../privacy/leak-check.js';
import type { Table } from '../table.js';
import type { ReportLeakScan } from './input.js';

/** Leak locations listed in a report at most (all are counted). */
export const REPORT_LEAK_LOCATIONS = 100;

/**
 * The report's leak-scan block for a scan of `scanned`: leaks per output column (exact when the
 * scan listed every leak, i.e. was not truncated), the first locations with `rowOf` mapping a
 * scanned row to the run's global row number, and the non-missing cells that were checked.
 */
export function leakScanReport(
  scan: LeakScanResult,
  scanned: Table,
  rowOf: (scannedRow: number) => number = (r) => r,
  maxLocations: number = REPORT_LEAK_LOCATIONS,
): ReportLeakScan {
  let checkedValues = 0;
  for (const column of scanned.columns)
    for (const v of column.values) if (v !== null && v !== undefined && v !== '') checkedValues++;
  const perColumn = new Map<string, number>();
  for (const leak of scan.leaks) perColumn.set(leak.column, (perColumn.get(leak.column) ?? 0) + 1);
  return {
    checkedValues,
    findings: [...perColumn].map(([column, matches]) => ({ column, matches })),
    rowsScanned: scanned.rowCount,
    leaks: scan.total,
    locations: scan.leaks
      .slice(0, maxLocations)
      .map((l) => ({ column: l.column, row: rowOf(l.row), sensitiveColumn: l.sensitiveColumn })),
  };
}
