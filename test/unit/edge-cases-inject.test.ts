import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  detectDataQualityIssues,
  EDGE_CASE_COLUMN,
  injectEdgeCases,
  isWellFormedPhone,
  parseEdgeCaseRules,
  suggestEdgeCaseRules,
  type EdgeCaseRule,
} from '../../core/edge-cases/index.js';
import { ConfigError } from '../../core/errors.js';
import { isPostalCodeShape, isValidEmail } from '../../core/pii/index.js';
import { isoToEpochMs, profileTable } from '../../core/profile/index.js';
import { createRng, deriveSeed } from '../../core/random/index.js';
import { concatTables, type CellValue, type Table } from '../../core/table.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A synthetic-looking chunk: rows [start, start + n) of a run, each a pure function of (seed, row). */
function runChunk(seed: number, start: number, n: number): Table {
  const cols: Record<string, CellValue[]> = {
    amount: [],
    qty: [],
    created: [],
    at: [],
    name: [],
    email: [],
    code: [],
  };
  for (let r = start; r < start + n; r++) {
    const rng = createRng(deriveSeed(seed, r));
    cols['amount']?.push(Math.round(rng.nextDouble() * 10000) / 100);
    cols['qty']?.push(1 + rng.nextInt(9));
    cols['created']?.push(
      new Date(Date.UTC(2015, 0, 1) + rng.nextInt(3000) * 86_400_000).toISOString().slice(0, 10),
    );
    cols['at']?.push(new Date(Date.UTC(2015, 0, 1) + rng.nextInt(3000 * 86_400) * 1000).toISOString());
    cols['name']?.push(rng.nextInt(10) === 0 ? null : `name${rng.nextInt(1000)}`);
    cols['email']?.push(`user${rng.nextInt(100000)}@example.com`);
    cols['code']?.push(`C-${String(rng.nextInt(100000)).padStart(5, '0')}`);
  }
  const types = {
    amount: 'float',
    qty: 'integer',
    created: 'date',
    at: 'timestamp',
    name: 'string',
    email: 'string',
    code: 'string',
  } as const;
  return {
    rowCount: n,
    columns: Object.entries(cols).map(([name, values]) => ({
      name,
      type: types[name as keyof typeof types],
      values,
    })),
  };
}

function col(t: Table, name: string): CellValue[] {
  const c = t.columns.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no column ${name}`);
  return c.values;
}

const ALL_RULES: EdgeCaseRule[] = [
  { kind: 'boundary', column: 'amount', frequency: 0.02, min: 0, max: 100 },
  { kind: 'boundary', column: 'created', frequency: 0.02, min: '2015-01-01', max: '2023-03-19' },
  { kind: 'null', column: 'name', frequency: 0.03 },
  { kind: 'maxLength', column: 'name', frequency: 0.01, maxLength: 40 },
  { kind: 'unicode', column: 'name', frequency: 0.05, maxLength: 12 },
  { kind: 'leapDay', column: 'created', frequency: 0.02 },
  { kind: 'leapDay', column: 'at', frequency: 0.02 },
  { kind: 'farFuture', column: 'at', frequency: 0.01 },
  { kind: 'farPast', column: 'created', frequency: 0.01 },
  { kind: 'zero', column: 'amount', frequency: 0.01 },
  { kind: 'negative', column: 'qty', frequency: 0.01 },
  { kind: 'duplicate', column: 'email', frequency: 0.02 },
  { kind: 'malformed', column: 'email', frequency: 0.02, malformed: 'email' },
  { kind: 'malformed', column: 'code', frequency: 0.01, malformed: 'identifier', pattern: 'C-99999' },
  { kind: 'malformed', column: 'name', frequency: 0.01, malformed: 'phone' },
  { kind: 'malformed', column: 'name', frequency: 0.01, malformed: 'postcode', pattern: '99999' },
  { kind: 'malformed', column: 'name', frequency: 0.01, malformed: 'date' },
];

function injectRun(
  rules: readonly EdgeCaseRule[],
  seed: number,
  total: number,
  chunkRows: number,
  tag: 'column' | 'sidecar',
) {
  const tables: Table[] = [];
  const originals: Table[] = [];
  const records = [];
  for (let start = 0; start < total; start += chunkRows) {
    const chunk = runChunk(seed, start, Math.min(chunkRows, total - start));
    originals.push(chunk);
    const out = injectEdgeCases(chunk, rules, { seed, startRow: start, totalRows: total, tag });
    tables.push(out.table);
    records.push(...out.records);
  }
  return { table: concatTables(tables), original: concatTables(originals), records };
}

describe('injectEdgeCases', () => {
  it('affects exactly round(F·N) rows per rule over the run, the same rows whatever the chunk size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1500 }),
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 900 }),
        fc.nat(),
        (total, weights, chunkRows, seed) => {
          // Frequencies scaled to add up to at most 0.9.
          const sum = weights.reduce((a, b) => a + b, 0) || 1;
          const scale = 0.9 / Math.max(1, sum / 1000);
          const rules: EdgeCaseRule[] = weights.map((w, i) => ({
            kind: i % 2 === 0 ? 'zero' : 'null',
            column: i % 2 === 0 ? 'amount' : 'name',
            frequency: Math.min(1, (w / 1000) * scale),
          }));
          // Rounding each rule up can still overfill a tiny run (three rules of 0.25 over 2 rows);
          // such a set is rejected with a ConfigError (see the 'rejects … at its path' cases).
          fc.pre(rules.reduce((n, r) => n + Math.round(r.frequency * total), 0) <= total);
          const chunked = injectRun(rules, seed, total, chunkRows, 'sidecar');
          const whole = injectRun(rules, seed, total, Math.max(1, total), 'sidecar');
          expect(chunked.records).toEqual(whole.records);
          expect(chunked.table).toEqual(whole.table);
          rules.forEach((rule, i) => {
            const type = rule.kind === 'zero' ? 'zero' : 'null';
            const hits = chunked.records.filter((r) => r.type === type && r.column === rule.column);
            const expected = rules
              .filter((other, j) => j % 2 === i % 2)
              .reduce((n, other) => n + Math.round(other.frequency * total), 0);
            expect(hits.length).toBe(expected);
          });
          expect(new Set(chunked.records.map((r) => r.row)).size).toBe(chunked.records.length);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('tags every injected row in the _edge_case column, and only those', () => {
    const total = 5000;
    const { table, original } = injectRun(ALL_RULES, 11, total, 1000, 'column');
    const tags = col(table, EDGE_CASE_COLUMN);
    const sidecar = injectRun(ALL_RULES, 11, total, 1000, 'sidecar').records;
    expect(tags.filter((t) => t !== null)).toHaveLength(sidecar.length);
    for (const r of sidecar) expect(tags[r.row]).toBe(`${r.type}:${r.column}`);
    const expectedRows = ALL_RULES.reduce((n, r) => n + Math.round(r.frequency * total), 0);
    expect(sidecar).toHaveLength(expectedRows);
    // Rows without a tag are untouched.
    for (let i = 0; i < total; i++)
      if (tags[i] === null) for (const c of original.columns) expect(col(table, c.name)[i]).toBe(c.values[i]);
  });

  it('writes values of the tagged anomaly type', () => {
    const total = 5000;
    const { table, original } = injectRun(ALL_RULES, 5, total, 1000, 'column');
    const tags = col(table, EDGE_CASE_COLUMN);
    const seen = new Set<string>();
    tags.forEach((tag, i) => {
      if (tag === null) return;
      const [type, column] = String(tag).split(':') as [string, string];
      seen.add(type);
      const v = col(table, column)[i] ?? null;
      const year = typeof v === 'string' ? Number(v.slice(0, 4)) : NaN;
      switch (type) {
        case 'boundaryMin':
          expect([0, '2015-01-01']).toContain(v);
          break;
        case 'boundaryMax':
          expect([100, '2023-03-19']).toContain(v);
          break;
        case 'null':
          expect(v).toBeNull();
          break;
        case 'maxLength':
          expect(String(v)).toHaveLength(40);
          break;
        case 'unicode':
          expect(String(v).length).toBeLessThanOrEqual(12);
          expect(String(v)).toMatch(/[^\x20-\x7e]/);
          expect(LONE_SURROGATE.test(String(v))).toBe(false);
          break;
        case 'leapDay':
          expect(String(v).slice(4, 10)).toBe('-02-29');
          expect(Number.isFinite(isoToEpochMs(String(v)))).toBe(true);
          expect(String(v)).toHaveLength(column === 'created' ? 10 : 24);
          break;
        case 'farFuture':
          expect(year).toBeGreaterThanOrEqual(2038);
          break;
        case 'farPast':
          expect(year).toBeLessThanOrEqual(1901);
          expect(String(v)).toHaveLength(10);
          break;
        case 'zero':
          expect(v).toBe(0);
          break;
        case 'negative':
          expect(v as number).toBeLessThan(0);
          expect(Number.isInteger(v)).toBe(true);
          break;
        case 'duplicate': {
          // A copy of another row's sampled value from the same 1,000-row block.
          const block = Math.floor(i / 1000) * 1000;
          const donors = col(original, column)
            .slice(block, block + 1000)
            .filter((_, k) => block + k !== i);
          expect(donors).toContain(v);
          break;
        }
        case 'malformedEmail':
          expect(isValidEmail(String(v))).toBe(false);
          break;
        case 'malformedIdentifier':
          expect(String(v)).not.toMatch(/^C-\d{5}$/);
          break;
        case 'malformedPhone':
          expect(isWellFormedPhone(String(v))).toBe(false);
          break;
        case 'malformedPostcode':
          expect(isPostalCodeShape(String(v))).toBe(false);
          break;
        case 'impossibleDate':
          expect(String(v)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          expect(Number.isNaN(isoToEpochMs(String(v)))).toBe(true);
          break;
        default:
          throw new Error(`unexpected tag ${type}`);
      }
    });
    expect(seen.size).toBe(16);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = injectRun(ALL_RULES, 1, 2000, 700, 'sidecar').records;
    expect(injectRun(ALL_RULES, 1, 2000, 700, 'sidecar').records).toEqual(a);
    expect(injectRun(ALL_RULES, 2, 2000, 700, 'sidecar').records).not.toEqual(a);
  });

  it.each([
    [[{ kind: 'zero', column: 'missing', frequency: 0.1 }], 'edgeCases[0].column'],
    [[{ kind: 'zero', column: 'name', frequency: 0.1 }], 'edgeCases[0].column'],
    [[{ kind: 'leapDay', column: 'qty', frequency: 0.1 }], 'edgeCases[0].column'],
    [[{ kind: 'unicode', column: 'amount', frequency: 0.1 }], 'edgeCases[0].column'],
    [[{ kind: 'boundary', column: 'amount', frequency: 0.1, min: '2020-01-01' }], 'edgeCases[0].min'],
    [
      [
        { kind: 'null', column: 'name', frequency: 0.6 },
        { kind: 'zero', column: 'amount', frequency: 0.6 },
      ],
      'edgeCases',
    ],
    [[{ kind: 'null', column: 'code', frequency: 0.1 }], 'edgeCases[0].column'],
    [[{ kind: 'duplicate', column: 'email', frequency: 0.1 }], 'edgeCases[0].column'],
    [[{ kind: 'zero', column: 'amount', frequency: 1.5 }], 'edgeCases[0].frequency'],
    [[{ kind: 'malformed', column: 'email', frequency: 0.1, malformed: 'ssn' }], 'edgeCases[0].malformed'],
    [[{ kind: 'boundary', column: 'amount', frequency: 0.1 }], 'edgeCases[0].min'],
  ])('rejects %j at its path', (rules, field) => {
    const schema = { columns: runChunk(0, 0, 1).columns };
    try {
      parseEdgeCaseRules(rules, schema, { notNull: ['code'], unique: ['email'] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).field).toBe(field);
    }
  });

  it('refuses a chunk outside the run and a clashing tag column', () => {
    const chunk = runChunk(0, 0, 10);
    expect(() => injectEdgeCases(chunk, [], { seed: 0, startRow: 5, totalRows: 10, tag: 'column' })).toThrow(
      ConfigError,
    );
    expect(() =>
      injectEdgeCases(chunk, [], { seed: 0, startRow: 0, totalRows: 10, tag: 'column', tagColumn: 'amount' }),
    ).toThrow(/tagColumn/);
  });
});

describe('detectDataQualityIssues', () => {
  /** A sample with known shares of malformed values in each kind of column. */
  function dirtySample(rows: number): {
    table: Table;
    bad: Record<string, Set<string>>;
    counts: Record<string, number>;
  } {
    const rng = createRng(99);
    const bad: Record<string, Set<string>> = {
      email: new Set(),
      zip: new Set(),
      customer_id: new Set(),
      signup: new Set(),
      phone: new Set(),
    };
    const cols: Record<string, CellValue[]> = {
      email: [],
      zip: [],
      customer_id: [],
      signup: [],
      phone: [],
      note: [],
    };
    const counts: Record<string, number> = {};
    const push = (name: string, good: string, badValue: string, share: number, i: number) => {
      const isBad = i % Math.round(1 / share) === 0;
      if (isBad) {
        bad[name]?.add(badValue);
        counts[name] = (counts[name] ?? 0) + 1;
      }
      cols[name]?.push(isBad ? badValue : good);
    };
    for (let i = 0; i < rows; i++) {
      const n = rng.nextInt(1_000_000);
      push('email', `person${n}@corp.example.org`, `person${n}corp.example.org`, 0.04, i);
      push('zip', String(10000 + (n % 89999)), `${n % 1000}`, 0.02, i + 1);
      push('customer_id', `CUST-${String(n).padStart(6, '0')}`, `CUST${n}`, 0.025, i + 2);
      push(
        'signup',
        new Date(Date.UTC(2020, 0, 1) + (n % 1000) * 86_400_000).toISOString().slice(0, 10),
        `2121-02-${29 + (n % 3)}`,
        0.01,
        i + 3,
      );
      push('phone', `+1 415 555 ${String(n % 10000).padStart(4, '0')}`, `0${n % 100}`, 0.05, i + 4);
      cols['note']?.push(`free text ${n}`);
    }
    return {
      table: {
        rowCount: rows,
        columns: Object.entries(cols).map(([name, values]) => ({ name, type: 'string' as const, values })),
      },
      bad,
      counts,
    };
  }

  it('finds malformed values per kind, at their frequency, without copying them into the rules', () => {
    const { table, bad, counts } = dirtySample(2000);
    const issues = detectDataQualityIssues(table, profileTable(table));
    const byColumn = Object.fromEntries(issues.map((i) => [i.column, i]));
    expect(Object.keys(byColumn).sort()).toEqual(['customer_id', 'email', 'phone', 'signup', 'zip']);
    const kinds = {
      email: 'email',
      zip: 'postcode',
      customer_id: 'identifier',
      signup: 'date',
      phone: 'phone',
    };
    for (const [column, malformed] of Object.entries(kinds)) {
      expect(counts[column]).toBeGreaterThan(10);
      expect(byColumn[column]).toMatchObject({
        malformed,
        count: counts[column],
        frequency: (counts[column] as number) / 2000,
      });
    }
    expect(byColumn['customer_id']?.rule).toMatchObject({ pattern: 'CUST-999999' });
    expect(byColumn['signup']?.rule).toMatchObject({ pattern: '9999-99-99' });
    const fields = issues.flatMap((i) => Object.values(i.rule)).filter((v) => typeof v === 'string');
    for (const values of Object.values(bad)) for (const v of values) expect(fields).not.toContain(v);
  });

  it('reproduces each issue in synthetic data at the sample frequency ±10%, with new values', () => {
    const { table, bad } = dirtySample(2000);
    const issues = detectDataQualityIssues(table, profileTable(table));
    // Clean synthetic rows of the same shape: well-formed values only.
    const total = 30_000;
    const rng = createRng(5);
    const clean: Table = {
      rowCount: total,
      columns: table.columns.map((c) => ({ ...c, values: [] as CellValue[] })),
    };
    for (let i = 0; i < total; i++) {
      const n = rng.nextInt(1_000_000);
      col(clean, 'email').push(`someone${n}@synthetic.example.net`);
      col(clean, 'zip').push(String(10000 + (n % 89999)));
      col(clean, 'customer_id').push(`CUST-${String(n).padStart(6, '0')}`);
      col(clean, 'signup').push(
        new Date(Date.UTC(2021, 0, 1) + (n % 900) * 86_400_000).toISOString().slice(0, 10),
      );
      col(clean, 'phone').push(`+1 212 555 ${String(n % 10000).padStart(4, '0')}`);
      col(clean, 'note').push(`note ${n}`);
    }
    const rules = issues.map((i) => i.rule);
    const out = injectEdgeCases(clean, rules, {
      seed: 3,
      startRow: 0,
      totalRows: total,
      tag: 'sidecar',
    }).table;
    const again = detectDataQualityIssues(out, profileTable(out));
    for (const issue of issues) {
      const found = again.find((a) => a.column === issue.column);
      expect(found?.malformed).toBe(issue.malformed);
      expect(Math.abs((found?.frequency ?? 0) - issue.frequency)).toBeLessThanOrEqual(0.1 * issue.frequency);
      const realBad = bad[issue.column] as Set<string>;
      for (const v of col(out, issue.column)) expect(realBad.has(String(v))).toBe(false);
    }
  });

  it('finds nothing in clean data', () => {
    const t = runChunk(1, 0, 500);
    expect(detectDataQualityIssues(t, profileTable(t))).toEqual([]);
  });
});

describe('suggestEdgeCaseRules', () => {
  it('proposes rules by column kind and honours not-null and unique columns', () => {
    const t = runChunk(1, 0, 2000);
    const rules = suggestEdgeCaseRules(profileTable(t), { frequency: 0.002, unique: ['email'], notNull: [] });
    const kinds = (column: string) =>
      rules
        .filter((r) => r.column === column)
        .map((r) => r.kind)
        .sort();
    expect(kinds('amount')).toEqual(['boundary', 'negative', 'zero']);
    expect(kinds('created')).toEqual(['boundary', 'farFuture', 'farPast', 'leapDay']);
    expect(kinds('name')).toEqual(expect.arrayContaining(['maxLength', 'null', 'unicode']));
    expect(kinds('email')).not.toContain('duplicate');
    expect(kinds('code')).toContain('duplicate');
    // The suggested rules are valid for the table they came from.
    expect(() => parseEdgeCaseRules(rules, { columns: t.columns })).not.toThrow();
    const withoutNulls = suggestEdgeCaseRules(profileTable(t), { notNull: ['name'] });
    expect(withoutNulls.some((r) => r.kind === 'null')).toBe(false);
  });
});
