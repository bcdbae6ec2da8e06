/**
 * Precision and recall of the local PII classifier on the labelled corpus
 * (test/fixtures/pii-corpus, made by bench/pii/make-corpus.ts), and the time to classify a
 * generated 100,000-row × 50-column table.
 *
 * Run: `npx tsx bench/pii/precision-recall.ts [--corpus DIR] [--no-timing] [--misses]`; --corpus scores
 * another corpus in the same layout (e.g. test/fixtures/pii-corpus-holdout, made by
 * bench/pii/make-holdout-corpus.ts) instead of the default one.
 *
 * Counting (also in docs/benchmarks.md ("Sensitive-field classification")):
 * - a column labelled with kind k is detected when the classifier marks it sensitive with kind k;
 *   sensitive with another kind is a miss for k and a false positive for the reported kind;
 * - columns labelled "none" (including keys) are negatives: correct when not sensitive, whatever
 *   kind (often `identifier` at 0.32) the classifier names;
 * - "identifier" labels are personal identifiers without a validator (passport numbers,
 *   usernames) and count like any other kind;
 * - the "sensitive flag" line ignores kinds: a column is a true positive when labelled
 *   anything but none and marked sensitive (what decides whether a value can leak).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { classifyTable, type SensitivityReport } from '../../core/pii/index.js';
import { profileTable } from '../../core/profile/index.js';
import type { CellValue, ColumnData, PhysicalType, Table } from '../../core/table.js';
import { readTableFile } from '../../integrations/tabular/read-table.js';
import { prng } from '../support/prng.js';

const CORPUS = path.resolve(import.meta.dirname, '../../test/fixtures/pii-corpus');

/** Per-kind counts and the overall figures. */
export interface CorpusScore {
  perKind: Map<string, { tp: number; fn: number; fp: number }>;
  overall: { tp: number; fn: number; fp: number; precision: number; recall: number };
  sensitiveFlag: { tp: number; fn: number; fp: number; precision: number; recall: number };
  misses: {
    table: string;
    column: string;
    label: string;
    got: string;
    confidence: number;
    reasons: string[];
  }[];
  tables: number;
  columns: number;
}

/** Reads and classifies every table of a corpus directory and scores the result against its labels.json. */
export async function scoreCorpus(corpusDir: string = CORPUS): Promise<CorpusScore> {
  const labels = JSON.parse(readFileSync(path.join(corpusDir, 'labels.json'), 'utf8')) as Record<
    string,
    Record<string, string>
  >;
  const perKind = new Map<string, { tp: number; fn: number; fp: number }>();
  const bump = (kind: string, key: 'tp' | 'fn' | 'fp') => {
    const k = perKind.get(kind) ?? { tp: 0, fn: 0, fp: 0 };
    k[key]++;
    perKind.set(kind, k);
  };
  const flag = { tp: 0, fn: 0, fp: 0 };
  const misses: CorpusScore['misses'] = [];
  let columns = 0;
  const asOfMs = Date.UTC(2025, 0, 1);
  for (const [tableName, columnLabels] of Object.entries(labels)) {
    const table = await readTableFile(path.join(corpusDir, `${tableName}.csv`), 'csv');
    const report: SensitivityReport = classifyTable(table, profileTable(table), { asOfMs });
    for (const field of report.fields) {
      const label = columnLabels[field.column];
      if (label === undefined) throw new Error(`labels.json has no label for ${tableName}.${field.column}`);
      columns++;
      const got = field.sensitive ? field.kind : 'none';
      if (label !== 'none') {
        if (field.sensitive) flag.tp++;
        else flag.fn++;
        if (got === label) bump(label, 'tp');
        else bump(label, 'fn');
        if (got !== label && got !== 'none') bump(got, 'fp');
      } else if (field.sensitive) {
        flag.fp++;
        bump(got, 'fp');
      }
      if (got !== label) {
        misses.push({
          table: tableName,
          column: field.column,
          label,
          got,
          confidence: field.confidence,
          reasons: field.reasons,
        });
      }
    }
  }
  let tp = 0;
  let fn = 0;
  let fp = 0;
  for (const k of perKind.values()) {
    tp += k.tp;
    fn += k.fn;
    fp += k.fp;
  }
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  return {
    perKind,
    overall: { tp, fn, fp, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) },
    sensitiveFlag: {
      ...flag,
      precision: ratio(flag.tp, flag.tp + flag.fp),
      recall: ratio(flag.tp, flag.tp + flag.fn),
    },
    misses,
    tables: Object.keys(labels).length,
    columns,
  };
}

/** A 100,000-row × 50-column table mixing personal data, keys, numbers and prose (10 shapes × 5). */
export function wideTable(rows: number): Table {
  const rand = prng(20250101);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const FIRST = ['James', 'Mary', 'Lukas', 'Sophie', 'Giulia', 'Pablo', 'Emma', 'Noah', 'Chloé', 'Daan'];
  const LAST = [
    'Smith',
    'Müller',
    'Rossi',
    'García',
    'Martin',
    'de Vries',
    'Brown',
    'Dubois',
    'Schmidt',
    'Jones',
  ];
  const shapes: [string, PhysicalType, (i: number) => CellValue][] = [
    ['email', 'string', (i) => `user${i}@example.com`],
    ['phone', 'string', () => `(${int(201, 989)}) ${int(200, 999)}-${pad(int(0, 9999), 4)}`],
    ['first_name', 'string', () => FIRST[int(0, 9)] as string],
    ['c', 'string', () => `${FIRST[int(0, 9)]} ${LAST[int(0, 9)]}`],
    ['amount', 'float', () => int(0, 1_000_000) / 100],
    ['qty', 'integer', () => int(1, 50)],
    ['code', 'string', () => `SKU-${pad(int(0, 99999), 5)}`],
    ['id', 'integer', (i) => i + 1],
    [
      'note',
      'string',
      (i) =>
        i % 20 === 0
          ? `Call ${FIRST[int(0, 9)]} ${LAST[int(0, 9)]} at +1 202 555 ${pad(int(100, 199), 4)}`
          : 'Delivered to the front desk as agreed',
    ],
    ['category', 'string', () => ['a', 'b', 'c', 'd'][int(0, 3)] as string],
  ];
  const columns: ColumnData[] = [];
  for (let k = 0; k < 50; k++) {
    const [name, type, make] = shapes[k % shapes.length] as (typeof shapes)[number];
    const values = new Array<CellValue>(rows);
    for (let i = 0; i < rows; i++) values[i] = make(i);
    columns.push({ name: `${name}_${Math.floor(k / shapes.length)}`, type, values });
  }
  return { rowCount: rows, columns };
}

function fmt(x: number): string {
  return x.toFixed(3);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = new Set(argv);
  const corpusAt = argv.indexOf('--corpus');
  const corpusArg = corpusAt >= 0 ? argv[corpusAt + 1] : undefined;
  if (corpusAt >= 0 && corpusArg === undefined) throw new Error('--corpus needs a directory');
  const corpusDir = corpusArg === undefined ? CORPUS : path.resolve(corpusArg);
  const started = performance.now();
  const score = await scoreCorpus(corpusDir);
  console.log(
    `# PII corpus ${path.relative(process.cwd(), corpusDir) || corpusDir}: ${score.tables} tables, ${score.columns} columns (${((performance.now() - started) / 1000).toFixed(1)} s incl. reading)`,
  );
  console.log('kind                   labelled  TP  FN  FP  precision  recall');
  for (const [kind, k] of [...score.perKind.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    const p = k.tp + k.fp === 0 ? 1 : k.tp / (k.tp + k.fp);
    const r = k.tp + k.fn === 0 ? 1 : k.tp / (k.tp + k.fn);
    console.log(
      `${kind.padEnd(22)} ${String(k.tp + k.fn).padStart(8)} ${String(k.tp).padStart(3)} ${String(k.fn).padStart(3)} ${String(k.fp).padStart(3)}  ${fmt(p).padStart(9)}  ${fmt(r).padStart(6)}`,
    );
  }
  const o = score.overall;
  console.log(
    `overall (kind must match)     TP ${o.tp} FN ${o.fn} FP ${o.fp}  precision ${fmt(o.precision)}  recall ${fmt(o.recall)}`,
  );
  const s = score.sensitiveFlag;
  console.log(
    `sensitive flag (any kind)     TP ${s.tp} FN ${s.fn} FP ${s.fp}  precision ${fmt(s.precision)}  recall ${fmt(s.recall)}`,
  );
  if (args.has('--misses')) {
    for (const m of score.misses)
      console.log(
        `  miss ${m.table}.${m.column}: label ${m.label}, got ${m.got} (${m.confidence}) — ${m.reasons.join(' | ')}`,
      );
  } else console.log(`${score.misses.length} columns disagree with their label (--misses lists them)`);

  if (!args.has('--no-timing')) {
    const rows = 100_000;
    const table = wideTable(rows);
    let t0 = performance.now();
    const profile = profileTable(table);
    const profileMs = performance.now() - t0;
    t0 = performance.now();
    const report = classifyTable(table, profile);
    const classifyMs = performance.now() - t0;
    const sensitive = report.fields.filter((f) => f.sensitive).length;
    console.log(
      `# ${rows.toLocaleString('en')} rows × ${table.columns.length} columns: classifyTable ${(classifyMs / 1000).toFixed(2)} s (sample ${report.sampledValuesPerColumn} values per column; ${sensitive} sensitive), profileTable ${(profileMs / 1000).toFixed(2)} s`,
    );
  }
  console.log(
    `# ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
  );
}

if (process.argv[1] !== undefined && import.meta.filename === path.resolve(process.argv[1])) {
  await main();
}
