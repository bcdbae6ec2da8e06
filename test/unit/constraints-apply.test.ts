import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyConstraints,
  createUniquenessState,
  learnFixedCombinations,
  parseConstraints,
  type Constraint,
  type ResampleRows,
} from '../../core/constraints/index.js';
import { ConfigError } from '../../core/errors.js';
import { createRng, deriveSeed, type Rng } from '../../core/random/index.js';
import { concatTables, schemaOf, type CellValue, type PhysicalType, type Table } from '../../core/table.js';

const DAY = 86_400_000;
const BASE_DAY = Date.UTC(2022, 0, 1) / DAY;
const CITIES = ['Berlin', 'Munich', 'Paris', 'Lyon', 'Rome', 'Milan', 'Oslo'];
const COUNTRIES = ['DE', 'FR', 'IT', 'NO'];
const CODE_PATTERN = '[A-Z]{2}-\\d{3}';

const COLUMNS: { name: string; type: PhysicalType }[] = [
  { name: 'id', type: 'integer' },
  { name: 'a', type: 'integer' },
  { name: 'b', type: 'float' },
  { name: 'c', type: 'integer' },
  { name: 'd1', type: 'date' },
  { name: 'd2', type: 'date' },
  { name: 't1', type: 'timestamp' },
  { name: 'city', type: 'string' },
  { name: 'country', type: 'string' },
  { name: 'code', type: 'string' },
  { name: 'n', type: 'integer' },
];

const isoDate = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/** One random row of the test table: small value ranges so that duplicates and violations are common. */
function randomRow(rng: Rng): CellValue[] {
  const maybe = (v: CellValue): CellValue => (rng.nextInt(10) === 0 ? null : v);
  const letters = () => String.fromCharCode(65 + rng.nextInt(26), 65 + rng.nextInt(26));
  return [
    maybe(rng.nextInt(30)),
    maybe(rng.nextInt(101) - 50),
    maybe(Math.round((rng.nextDouble() * 100 - 50) * 100) / 100),
    maybe(rng.nextInt(41) - 20),
    maybe(isoDate(BASE_DAY + rng.nextInt(400))),
    maybe(isoDate(BASE_DAY + rng.nextInt(400))),
    maybe(new Date((BASE_DAY + rng.nextDouble() * 400) * DAY).toISOString()),
    maybe(CITIES[rng.nextInt(CITIES.length)] as string),
    maybe(COUNTRIES[rng.nextInt(COUNTRIES.length)] as string),
    maybe(rng.nextInt(4) === 0 ? 'bad' : `${letters()}-${String(rng.nextInt(1000)).padStart(3, '0')}`),
    maybe(rng.nextInt(20)),
  ];
}

function tableOf(rows: CellValue[][]): Table {
  return {
    rowCount: rows.length,
    columns: COLUMNS.map((c, j) => ({ name: c.name, type: c.type, values: rows.map((r) => r[j] ?? null) })),
  };
}

function randomTable(seed: number, rows: number, startRow = 0): Table {
  return tableOf(
    Array.from({ length: rows }, (_, i) => randomRow(createRng(deriveSeed(seed, startRow + i)))),
  );
}

/** A resampler keyed by (seed, global row, attempt), as chunk-size independence requires. */
function keyedResampler(seed: number): ResampleRows {
  return (_count, attempt, rows) =>
    tableOf(rows.map((r) => randomRow(createRng(deriveSeed(seed, 7, r, attempt)))));
}

// ---------------------------------------------------------------------------------------------
// An independent checker: written from the spec, sharing no code with core/constraints.

function comparable(v: CellValue, dates: boolean): number {
  if (dates) return typeof v === 'string' ? new Date(v.length === 10 ? `${v}T00:00:00Z` : v).getTime() : NaN;
  return typeof v === 'number' ? v : NaN;
}

function column(t: Table, name: string): CellValue[] {
  const c = t.columns.find((x) => x.name === name);
  if (c === undefined) throw new Error(`no column ${name}`);
  return c.values;
}

/** Indices of rows violating `c` (for keys: every row whose key an earlier row holds). */
function violations(t: Table, c: Constraint): number[] {
  const bad: number[] = [];
  const isDateCol = (name: string) =>
    ['date', 'timestamp'].includes(t.columns.find((x) => x.name === name)?.type ?? '');
  if (c.kind === 'unique' || c.kind === 'primaryKey') {
    const seen = new Set<string>();
    for (let i = 0; i < t.rowCount; i++) {
      const key = c.columns.map((n) => column(t, n)[i] ?? null);
      if (key.some((v) => v === null)) {
        if (c.kind === 'primaryKey') bad.push(i);
        continue;
      }
      const k = JSON.stringify(key);
      if (seen.has(k)) bad.push(i);
      seen.add(k);
    }
    return bad;
  }
  for (let i = 0; i < t.rowCount; i++) {
    let ok = true;
    switch (c.kind) {
      case 'range': {
        const v = column(t, c.column)[i] ?? null;
        if (v === null) break;
        const dates = isDateCol(c.column) || typeof c.min === 'string' || typeof c.max === 'string';
        const x = comparable(v, dates);
        const min = c.min === undefined ? -Infinity : comparable(c.min, dates);
        const max = c.max === undefined ? Infinity : comparable(c.max, dates);
        ok = (c.minExclusive ? x > min : x >= min) && (c.maxExclusive ? x < max : x <= max);
        break;
      }
      case 'positive':
      case 'negative': {
        const v = column(t, c.column)[i] ?? null;
        if (v === null) break;
        const x = v as number;
        const strict = c.strict ?? true;
        ok = c.kind === 'positive' ? (strict ? x > 0 : x >= 0) : strict ? x < 0 : x <= 0;
        break;
      }
      case 'inequality': {
        const l = column(t, c.left)[i] ?? null;
        const r = column(t, c.right)[i] ?? null;
        if (l === null || r === null) break;
        const dates = isDateCol(c.left) || typeof l === 'string';
        const x = comparable(l, dates);
        const y = comparable(r, dates);
        ok = c.op === '<' ? x < y : c.op === '<=' ? x <= y : c.op === '>' ? x > y : x >= y;
        break;
      }
      case 'regex': {
        const v = column(t, c.column)[i] ?? null;
        if (v === null) break;
        ok = typeof v === 'string' && new RegExp(`^(?:${c.pattern})$`, 'u').test(v);
        break;
      }
      case 'fixedCombinations': {
        const tuple = c.columns.map((n) => column(t, n)[i] ?? null);
        if (tuple.some((v) => v === null)) break;
        ok = c.allowed.some((a) => a.every((v, j) => v === tuple[j]));
        break;
      }
      case 'custom': {
        const row = Object.fromEntries(t.columns.map((col) => [col.name, col.values[i] ?? null]));
        ok = c.predicate(row);
        break;
      }
    }
    if (!ok) bad.push(i);
  }
  return bad;
}

// ---------------------------------------------------------------------------------------------
// Arbitrary satisfiable constraint sets: every constraint is chosen to hold for a witness row, so
// the set as a whole can always be met; their order is shuffled.

const witnessArb = fc.record({
  a: fc.integer({ min: -40, max: 40 }),
  b: fc.integer({ min: -4000, max: 4000 }).map((x) => x / 100),
  c: fc.integer({ min: -20, max: 20 }),
  d1: fc.integer({ min: 0, max: 400 }),
  d2: fc.integer({ min: 0, max: 400 }),
  t1: fc.integer({ min: 0, max: 400 }),
});

const slackArb = fc.tuple(
  fc.integer({ min: 0, max: 30 }),
  fc.integer({ min: 0, max: 30 }),
  fc.boolean(),
  fc.boolean(),
);

function rangeAround(
  column: string,
  w: number,
  [down, up, minEx, maxEx]: [number, number, boolean, boolean],
  asDate: boolean,
): Constraint {
  const min = w - down - (minEx ? 1 : 0);
  const max = w + up + (maxEx ? 1 : 0);
  const fmt = (x: number) => (asDate ? isoDate(BASE_DAY + x) : x);
  return { kind: 'range', column, min: fmt(min), max: fmt(max), minExclusive: minEx, maxExclusive: maxEx };
}

/** A sign constraint the witness `b` meets: a zero witness only meets a non-strict one. */
function signAround(b: number, nonStrict: boolean): Constraint {
  if (b > 0) return { kind: 'positive', column: 'b', strict: !nonStrict };
  if (b < 0) return { kind: 'negative', column: 'b', strict: !nonStrict };
  return { kind: nonStrict ? 'positive' : 'negative', column: 'b', strict: false };
}

function opFor(x: number, y: number, pick: number): '<' | '<=' | '>' | '>=' {
  const ops = (['<', '<=', '>', '>='] as const).filter((op) =>
    op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y,
  );
  return ops[pick % ops.length] as '<' | '<=' | '>' | '>=';
}

const constraintSetArb = fc
  .record({
    w: witnessArb,
    slacks: fc.array(slackArb, { minLength: 6, maxLength: 6 }),
    picks: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
    extraCombos: fc.array(fc.tuple(fc.constantFrom(...CITIES), fc.constantFrom(...COUNTRIES)), {
      maxLength: 6,
    }),
    nonStrictSign: fc.boolean(),
    include: fc.array(fc.boolean(), { minLength: 14, maxLength: 14 }),
  })
  .chain(({ w, slacks, picks, extraCombos, nonStrictSign, include }) => {
    const s = (k: number) => slacks[k] as [number, number, boolean, boolean];
    const p = (k: number) => picks[k] as number;
    const all: Constraint[] = [
      rangeAround('a', w.a, s(0), false),
      rangeAround('c', w.c, s(1), false),
      rangeAround('d2', w.d2, s(2), true),
      { kind: 'range', column: 'b', min: w.b - s(3)[0] / 4, max: w.b + s(3)[1] / 4 },
      signAround(w.b, nonStrictSign),
      { kind: 'inequality', left: 'a', op: opFor(w.a, w.c, p(0)), right: 'c' },
      { kind: 'inequality', left: 'd2', op: opFor(w.d2, w.d1, p(1)), right: 'd1' },
      { kind: 'inequality', left: 'c', op: opFor(w.c, w.b, p(2)), right: 'b' },
      { kind: 'inequality', left: 't1', op: opFor(w.t1 * DAY + 1, w.d1 * DAY, p(3)), right: 'd1' },
      {
        kind: 'fixedCombinations',
        columns: ['city', 'country'],
        allowed: [['Berlin', 'DE'], ...extraCombos],
      },
      { kind: 'regex', column: 'code', pattern: CODE_PATTERN },
      { kind: 'primaryKey', columns: ['id'] },
      p(4) % 2 === 0 ? { kind: 'unique', columns: ['code'] } : { kind: 'unique', columns: ['city', 'code'] },
      {
        kind: 'custom',
        name: 'n-not-13',
        predicate: (row) => row['n'] !== 13,
        repair: () => ({ n: 0 }),
      },
    ];
    const chosen = all.filter((_, k) => include[k]);
    // t1 is a timestamp: compare it with the date d1 only when t1's witness is stored as one.
    return fc.shuffledSubarray(chosen, { minLength: chosen.length, maxLength: chosen.length });
  });

describe('parseConstraints', () => {
  it('normalises shorthands', () => {
    expect(
      parseConstraints([
        { kind: 'unique', column: 'id' },
        { kind: 'inequality', expression: 'ship_date >= order_date' },
        { kind: 'primaryKey', columns: ['a', 'b'] },
      ]),
    ).toEqual([
      { kind: 'unique', columns: ['id'] },
      { kind: 'inequality', left: 'ship_date', op: '>=', right: 'order_date' },
      { kind: 'primaryKey', columns: ['a', 'b'] },
    ]);
  });

  it.each([
    [
      [
        { kind: 'range', column: 'a', min: 1 },
        { kind: 'range', colum: 'a', min: 1 },
      ],
      'constraints[1].column',
    ],
    [[{ kind: 'range', column: 'a' }], 'constraints[0].min'],
    [[{ kind: 'regex', column: 'a' }], 'constraints[0].pattern'],
    [[{ kind: 'nope', column: 'a' }], 'constraints[0].kind'],
    [[{ kind: 'unique', column: 'a', columns: ['a'] }], 'constraints[0].columns'],
    [[{ kind: 'inequality', expression: 'a =< b' }], 'constraints[0].expression'],
    [[{ kind: 'positive', column: 'a', strict: 'yes' }], 'constraints[0].strict'],
    [
      [{}, { kind: 'fixedCombinations', columns: ['x', 'y'], allowed: [['a', 'b'], ['c']] }],
      'constraints[0].kind',
    ],
    [
      [{ kind: 'fixedCombinations', columns: ['x', 'y'], allowed: [['a', 'b'], ['c']] }],
      'constraints[0].allowed[1]',
    ],
  ])('names the path of a malformed constraint: %j', (input, field) => {
    try {
      parseConstraints(input);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).field).toBe(field);
    }
  });

  it.each([
    [{ kind: 'range', column: 'missing', min: 1 }, 'constraints[0].column'],
    [{ kind: 'range', column: 'city', min: 1 }, 'constraints[0].column'],
    [{ kind: 'range', column: 'a', min: '2024-01-01' }, 'constraints[0].min'],
    [{ kind: 'range', column: 'd1', max: 5 }, 'constraints[0].max'],
    [{ kind: 'range', column: 'a', min: 5, max: 5, maxExclusive: true }, 'constraints[0].max'],
    [{ kind: 'regex', column: 'a', pattern: '\\d+' }, 'constraints[0].column'],
    [{ kind: 'regex', column: 'code', pattern: '(' }, 'constraints[0].pattern'],
    [{ kind: 'inequality', left: 'a', op: '<', right: 'd1' }, 'constraints[0].right'],
    [{ kind: 'inequality', left: 'a', op: '<', right: 'nope' }, 'constraints[0].right'],
    [{ kind: 'positive', column: 'd1' }, 'constraints[0].column'],
    [{ kind: 'primaryKey', columns: ['id', 'nope'] }, 'constraints[0].columns[1]'],
  ])('checks columns against the schema: %j', (constraint, field) => {
    try {
      parseConstraints([constraint], { columns: COLUMNS });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).field).toBe(field);
    }
  });
});

describe('applyConstraints: repairs', () => {
  const sample: Table = {
    rowCount: 6,
    columns: [
      { name: 'id', type: 'integer', values: [1, 2, 2, 3, null, 1] },
      {
        name: 'order_date',
        type: 'date',
        values: ['2024-01-05', '2024-02-01', '2024-03-01', '2024-01-01', '2024-01-01', '2024-01-01'],
      },
      {
        name: 'ship_date',
        type: 'date',
        values: ['2024-01-01', '2024-02-03', '2024-02-01', null, '2023-12-01', '2025-01-01'],
      },
      { name: 'amount', type: 'float', values: [-3.25, 10, 0, 5.5, 1000, 3] },
      { name: 'city', type: 'string', values: ['Berlin', 'Paris', 'Berlin', 'Munich', 'Lyon', 'X'] },
      { name: 'country', type: 'string', values: ['DE', 'DE', 'DE', 'DE', 'FR', 'FR'] },
    ],
  };
  const constraints = parseConstraints([
    { kind: 'primaryKey', column: 'id' },
    { kind: 'inequality', expression: 'ship_date >= order_date' },
    { kind: 'range', column: 'amount', max: 500 },
    { kind: 'positive', column: 'amount' },
    {
      kind: 'fixedCombinations',
      columns: ['city', 'country'],
      allowed: [
        ['Berlin', 'DE'],
        ['Munich', 'DE'],
        ['Paris', 'FR'],
        ['Lyon', 'FR'],
      ],
    },
    { kind: 'range', column: 'ship_date', max: '2024-12-31' },
  ]);
  const { table, report } = applyConstraints(sample, constraints, { seed: 1 });

  it('swaps inverted dates, clips to ranges and mirrors negative amounts', () => {
    expect(column(table, 'order_date')[0]).toBe('2024-01-01');
    expect(column(table, 'ship_date')[0]).toBe('2024-01-05');
    expect(column(table, 'ship_date')[5]).toBe('2024-12-31');
    expect(column(table, 'amount')).toEqual([3.25, 10, 1, 5.5, 500, 3]);
  });

  it('bumps duplicate and null keys to free values', () => {
    expect(column(table, 'id')).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('picks the nearest allowed combination', () => {
    // "X, FR" keeps FR; "Paris, DE" keeps one of its two values.
    expect(column(table, 'country')[5]).toBe('FR');
    expect(column(table, 'city')[5]).toBe('Paris');
    const row1 = [column(table, 'city')[1], column(table, 'country')[1]];
    expect(row1[0] === 'Paris' || row1[1] === 'DE').toBe(true);
  });

  it('reports violations and repairs per constraint', () => {
    expect(report.rows).toBe(6);
    expect(report.constraints.map((c) => [c.label, c.violations, c.repaired])).toEqual([
      ['primaryKey(id)', 4, 4],
      ['inequality(ship_date >= order_date)', 3, 3],
      ['range(amount)', 1, 1],
      ['positive(amount)', 2, 2],
      ['fixedCombinations(city, country)', 2, 2],
      ['range(ship_date)', 1, 1],
    ]);
    for (const c of constraints) expect(violations(table, c)).toEqual([]);
  });

  it('leaves the input untouched', () => {
    expect(column(sample, 'amount')).toEqual([-3.25, 10, 0, 5.5, 1000, 3]);
  });

  it('regenerates values from the regex', () => {
    const t: Table = {
      rowCount: 3,
      columns: [{ name: 'code', type: 'string', values: ['AB-123', 'nope', null] }],
    };
    const out = applyConstraints(t, [{ kind: 'regex', column: 'code', pattern: CODE_PATTERN }], {
      seed: 3,
    }).table;
    expect(column(out, 'code')[0]).toBe('AB-123');
    expect(column(out, 'code')[1]).toMatch(/^[A-Z]{2}-\d{3}$/);
    expect(column(out, 'code')[2]).toBeNull();
  });

  it('uses a strict inequality step of one day, one unit, or the decimals shown', () => {
    const t: Table = {
      rowCount: 2,
      columns: [
        { name: 'x', type: 'float', values: [1.25, 3] },
        { name: 'y', type: 'float', values: [1.25, 3] },
        { name: 'd', type: 'date', values: ['2024-02-28', '2024-02-28'] },
        { name: 'e', type: 'date', values: ['2024-02-28', '2024-02-28'] },
      ],
    };
    const out = applyConstraints(
      t,
      [
        { kind: 'inequality', left: 'x', op: '>', right: 'y' },
        { kind: 'inequality', left: 'd', op: '>', right: 'e' },
      ],
      { seed: 0 },
    ).table;
    expect(column(out, 'x')).toEqual([1.26, 4]);
    expect(column(out, 'd')).toEqual(['2024-02-29', '2024-02-29']);
  });

  it('rejects constraints that cannot hold together, naming one of them', () => {
    const t: Table = {
      rowCount: 1,
      columns: [
        { name: 'x', type: 'integer', values: [5] },
        { name: 'y', type: 'integer', values: [5] },
      ],
    };
    expect(() =>
      applyConstraints(
        t,
        [
          { kind: 'range', column: 'x', max: 3 },
          { kind: 'range', column: 'y', min: 4 },
          { kind: 'inequality', left: 'x', op: '>=', right: 'y' },
        ],
        { seed: 0 },
      ),
    ).toThrow(/^constraints\[\d\]: cannot hold together/);
  });
});

describe('applyConstraints: resampling', () => {
  it('takes replacement rows before repairing, and reports them', () => {
    const t = tableOf([
      [1, 5, 0, 0, null, null, null, null, null, null, null],
      [2, -5, 0, 0, null, null, null, null, null, null, null],
      [3, -6, 0, 0, null, null, null, null, null, null, null],
    ]);
    const calls: [number, number, number[]][] = [];
    const resample: ResampleRows = (count, attempt, rows) => {
      calls.push([count, attempt, [...rows]]);
      // Attempt 0 still violates; attempt 1 satisfies.
      return tableOf(
        rows.map((r) => [100 + r, attempt === 0 ? -1 : 7, 0, 0, null, null, null, null, null, null, null]),
      );
    };
    const { table, report } = applyConstraints(t, [{ kind: 'positive', column: 'a' }], {
      seed: 1,
      startRow: 10,
      resample,
    });
    expect(column(table, 'a')).toEqual([5, 7, 7]);
    expect(column(table, 'id')).toEqual([1, 111, 112]);
    expect(calls).toEqual([
      [2, 0, [11, 12]],
      [2, 1, [11, 12]],
    ]);
    expect(report.rowsResampled).toBe(2);
    expect(report.rowsRepaired).toBe(0);
    expect(report.constraints[0]).toMatchObject({ violations: 2, resampled: 2, repaired: 0 });
  });

  it('repairs after maxAttempts failed replacements', () => {
    const t = tableOf([[1, -5, 0, 0, null, null, null, null, null, null, null]]);
    const resample: ResampleRows = (_c, _a, rows) =>
      tableOf(rows.map(() => [1, -1, 0, 0, null, null, null, null, null, null, null]));
    const { table, report } = applyConstraints(t, [{ kind: 'positive', column: 'a' }], {
      seed: 1,
      resample,
      maxAttempts: 3,
    });
    expect(column(table, 'a')).toEqual([5]);
    expect(report.resampleCalls).toBe(3);
    expect(report.constraints[0]).toMatchObject({ violations: 1, resampled: 0, repaired: 1 });
  });
});

describe('applyConstraints: properties', () => {
  it('every output row satisfies every constraint, and the row count is kept', () => {
    fc.assert(
      fc.property(
        constraintSetArb,
        fc.integer({ min: 0, max: 60 }),
        fc.nat(),
        fc.boolean(),
        (constraints, rows, seed, withResampler) => {
          const t = randomTable(seed, rows);
          const { table } = applyConstraints(t, constraints, {
            seed,
            ...(withResampler ? { resample: keyedResampler(seed) } : {}),
          });
          expect(table.rowCount).toBe(rows);
          expect(schemaOf(table)).toEqual(schemaOf(t));
          for (const c of constraints) expect(violations(table, c), JSON.stringify(c)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('holds uniqueness across chunks and gives the same rows whatever the chunk size', () => {
    fc.assert(
      fc.property(
        constraintSetArb,
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 1, max: 25 }),
        fc.nat(),
        (constraints, rows, chunkRows, seed) => {
          const resample = keyedResampler(seed);
          const whole = applyConstraints(randomTable(seed, rows), constraints, { seed, resample }).table;
          const state = createUniquenessState(constraints);
          const parts: Table[] = [];
          for (let start = 0; start < rows; start += chunkRows) {
            const chunk = randomTable(seed, Math.min(chunkRows, rows - start), start);
            parts.push(
              applyConstraints(chunk, constraints, { seed, startRow: start, resample, uniqueness: state })
                .table,
            );
          }
          const joined = concatTables(parts);
          for (const c of constraints) expect(violations(joined, c)).toEqual([]);
          expect(joined).toEqual(whole);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is deterministic for a seed', () => {
    fc.assert(
      fc.property(constraintSetArb, fc.nat(), (constraints, seed) => {
        const t = randomTable(seed, 40);
        const a = applyConstraints(t, constraints, { seed }).table;
        const b = applyConstraints(t, constraints, { seed }).table;
        expect(a).toEqual(b);
      }),
      { numRuns: 50 },
    );
  });
});

describe('applyConstraints: dates held in string columns', () => {
  it('compares ISO strings as instants and writes repairs in the cell layout', () => {
    const t: Table = {
      rowCount: 3,
      columns: [
        { name: 'start', type: 'string', values: ['2024-03-01', '2024-03-05T10:00:00.000Z', '2024-01-01'] },
        { name: 'stop', type: 'string', values: ['2024-02-01', '2024-03-05T09:00:00.000Z', 'not a date'] },
      ],
    };
    const constraints: Constraint[] = [
      { kind: 'inequality', left: 'stop', op: '>', right: 'start' },
      { kind: 'range', column: 'start', min: '2024-01-15' },
    ];
    const out = applyConstraints(t, constraints, { seed: 2 }).table;
    for (const c of constraints) expect(violations(out, c)).toEqual([]);
    expect(column(out, 'start')).toEqual(['2024-02-01', '2024-03-05T09:00:00.000Z', '2024-01-15']);
    expect(column(out, 'stop')).toEqual(['2024-03-01', '2024-03-05T10:00:00.000Z', '2024-01-16']);
  });
});

describe('learnFixedCombinations', () => {
  it('refuses sensitive columns, naming the one at fault', () => {
    const t: Table = {
      rowCount: 1,
      columns: [
        { name: 'city', type: 'string', values: ['x'] },
        { name: 'ssn', type: 'string', values: ['y'] },
      ],
    };
    expect(() => learnFixedCombinations(t, ['city', 'ssn'], { sensitive: ['ssn'] })).toThrow(
      /^columns\[1\]: is a sensitive column/,
    );
  });

  it('keeps each combination seen once, skipping rows with nulls', () => {
    const t: Table = {
      rowCount: 4,
      columns: [
        { name: 'city', type: 'string', values: ['Berlin', 'Paris', 'Berlin', null] },
        { name: 'country', type: 'string', values: ['DE', 'FR', 'DE', 'DE'] },
      ],
    };
    expect(learnFixedCombinations(t, ['city', 'country'])).toEqual({
      kind: 'fixedCombinations',
      columns: ['city', 'country'],
      allowed: [
        ['Berlin', 'DE'],
        ['Paris', 'FR'],
      ],
    });
  });
});
