import { describe, expect, it } from 'vitest';
import {
  buildSchemaPlan,
  createTableGenerator,
  parseSchemaConfigText,
  type SchemaPlan,
} from '../../core/schema-gen/index.js';
import type { CellValue, Table } from '../../core/table.js';

function planOf(yaml: string): SchemaPlan {
  const parsed = parseSchemaConfigText(yaml);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  return buildSchemaPlan(parsed.value);
}

/** All rows of a single-table config whose columns are given as YAML list items. */
function generate(columns: string, rows: number, seed = 1): Table {
  const yaml = `tables:\n  - table_name: t\n    rows: ${rows}\n    columns:\n${columns
    .trim()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n')}\n`;
  return createTableGenerator(planOf(yaml), 't', { seed }).generateChunk(0, rows);
}

function col(table: Table, name: string): CellValue[] {
  const c = table.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c.values;
}

function frequencies(values: CellValue[]): Map<CellValue, number> {
  const m = new Map<CellValue, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

describe('schema rules', () => {
  it('range: integers stay within [min, max] and reach both ends', () => {
    const t = generate('- {name: n, type: int, rule: {type: range, min: -3, max: 4}}', 5000);
    const values = col(t, 'n') as number[];
    expect(values.every((v) => Number.isInteger(v) && v >= -3 && v <= 4)).toBe(true);
    expect(new Set(values)).toEqual(new Set([-3, -2, -1, 0, 1, 2, 3, 4]));
    expect(t.columns[0]?.type).toBe('integer');
  });

  it('range: floats keep the declared decimals and bounds', () => {
    const t = generate(
      '- {name: x, type: float, rule: {type: range, min: 0.5, max: 2.25, decimals: 2}}\n- {name: y, rule: {type: range, min: 1, max: 2.5}}',
      5000,
    );
    for (const v of col(t, 'x') as number[]) {
      expect(v).toBeGreaterThanOrEqual(0.5);
      expect(v).toBeLessThanOrEqual(2.25);
      expect(Math.abs(v * 100 - Math.round(v * 100))).toBeLessThan(1e-9);
    }
    const y = col(t, 'y') as number[];
    expect(y.every((v) => v >= 1 && v <= 2.5)).toBe(true);
    expect(y.some((v) => !Number.isInteger(v))).toBe(true);
    expect(t.columns.map((c) => c.type)).toEqual(['float', 'float']);
  });

  it('choice: weighted frequencies within 4 standard errors of the weights (fixed seed)', () => {
    const n = 20_000;
    const t = generate('- {name: c, rule: {type: choice, value: [A, B, C, D], weights: [50, 30, 15, 5]}}', n);
    const f = frequencies(col(t, 'c'));
    for (const [value, p] of [
      ['A', 0.5],
      ['B', 0.3],
      ['C', 0.15],
      ['D', 0.05],
    ] as const) {
      const se = Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs((f.get(value) ?? 0) / n - p)).toBeLessThan(4 * se);
    }
  });

  it('choice: without weights every value is equally likely; numbers keep their type', () => {
    const n = 12_000;
    const t = generate('- {name: c, rule: {type: choice, values: [1, 2, 3]}}', n);
    const f = frequencies(col(t, 'c'));
    expect([...f.keys()].sort()).toEqual([1, 2, 3]);
    for (const count of f.values())
      expect(Math.abs(count / n - 1 / 3)).toBeLessThan(4 * Math.sqrt(((1 / 3) * (2 / 3)) / n));
    expect(t.columns[0]?.type).toBe('integer');
  });

  it('regex: every value matches the pattern', () => {
    const pattern = '^[A-Z]{2}-\\d{3,5}(-[a-z]+)?$';
    const t = generate(`- {name: code, rule: {type: regex, pattern: '${pattern}'}}`, 2000);
    const re = new RegExp(pattern, 'u');
    expect((col(t, 'code') as string[]).every((v) => re.test(v))).toBe(true);
  });

  it('faker: providers by name with the column locale, deterministic per seed', () => {
    const columns =
      '- {name: first, rule: first_name}\n- {name: city_de, locale: de, rule: {faker: location.city}}\n- {name: n, rule: {faker: number.int, args: [{min: 5, max: 9}]}}';
    const a = generate(columns, 300, 7);
    const b = generate(columns, 300, 7);
    const c = generate(columns, 300, 8);
    expect(a).toEqual(b);
    expect(col(a, 'first')).not.toEqual(col(c, 'first'));
    expect(new Set(col(a, 'first')).size).toBeGreaterThan(100);
    const n = col(a, 'n') as number[];
    expect(n.every((v) => Number.isInteger(v) && v >= 5 && v <= 9)).toBe(true);
    expect(a.columns.find((x) => x.name === 'n')?.type).toBe('integer');
    // German city names come from the de locale: umlauts or typical suffixes appear, English ones do not.
    expect((col(a, 'city_de') as string[]).some((v) => /ä|ö|ü|ß|dorf|stadt|heim|feld/i.test(v))).toBe(true);
  });

  it('faker: relative date methods depend on the reference date, not on the clock', () => {
    const t = generate('- {name: d, rule: {faker: date.past}}', 50);
    for (const v of col(t, 'd') as string[]) {
      expect(v < '2025-01-01T00:00:00.000Z').toBe(true);
      expect(v >= '2024-01-01T00:00:00.000Z').toBe(true);
    }
  });

  it('sequence: start, step and zero-padded format', () => {
    const t = generate(
      '- {name: id, rule: {type: sequence, start: 10, step: 5}}\n- {name: code, rule: {type: sequence, format: "CUST-{000000}"}}\n- {name: inv, rule: {type: sequence, start: 7, format: "INV{{{}}}"}}',
      4,
    );
    expect(col(t, 'id')).toEqual([10, 15, 20, 25]);
    expect(col(t, 'code')).toEqual(['CUST-000001', 'CUST-000002', 'CUST-000003', 'CUST-000004']);
    expect(col(t, 'inv')).toEqual(['INV{7}', 'INV{8}', 'INV{9}', 'INV{10}']);
  });

  it('date and datetime ranges: within bounds, ISO by default, formatted on request', () => {
    const t = generate(
      [
        '- {name: d, rule: {type: date_range, start: 2024-02-27, end: 2024-03-02}}',
        '- {name: dt, rule: {type: datetime_range, start: "2024-01-01T10:00:00Z", end: "2024-01-01T10:00:59Z"}}',
        '- {name: f1, rule: {type: date_range, start: 2024-02-29, end: 2024-02-29, format: "%d/%m/%Y %a %j"}}',
        '- {name: f2, rule: {type: datetime_range, start: "2024-07-04T15:04:05Z", end: "2024-07-04T15:04:05Z", format: "DD.MM.YYYY hh:mm:ss A [UTC]"}}',
        '- {name: ts, type: datetime, rule: {type: date_range, start: 2024-01-01, end: 2024-01-01}}',
      ].join('\n'),
      2000,
    );
    expect(new Set(col(t, 'd'))).toEqual(
      new Set(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02']),
    );
    for (const v of col(t, 'dt') as string[]) expect(v).toMatch(/^2024-01-01T10:00:[0-5]\d\.000Z$/);
    expect(new Set(col(t, 'f1'))).toEqual(new Set(['29/02/2024 Thu 060']));
    expect(new Set(col(t, 'f2'))).toEqual(new Set(['04.07.2024 03:04:05 PM UTC']));
    expect(new Set(col(t, 'ts'))).toEqual(new Set(['2024-01-01T00:00:00.000Z']));
    expect(t.columns.map((c) => c.type)).toEqual(['date', 'timestamp', 'string', 'string', 'timestamp']);
  });

  it('uuid, boolean and constant', () => {
    const n = 10_000;
    const t = generate(
      '- {name: u, rule: uuid}\n- {name: b, rule: {type: boolean, probability: 0.2}}\n- {name: k, rule: {type: constant, value: fixed}}',
      n,
    );
    for (const u of col(t, 'u') as string[])
      expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const trues = (col(t, 'b') as boolean[]).filter(Boolean).length;
    expect(Math.abs(trues / n - 0.2)).toBeLessThan(4 * Math.sqrt((0.2 * 0.8) / n));
    expect(new Set(col(t, 'k'))).toEqual(new Set(['fixed']));
  });

  it('null rate: nulls at the configured share, never in not-null columns', () => {
    const n = 20_000;
    const t = generate(
      '- {name: a, null_rate: 0.25, rule: {type: range, min: 1, max: 9}}\n- {name: b, nullable: true, rule: uuid}\n- {name: c, constraints: [not_null], rule: uuid}',
      n,
    );
    const share = (name: string) => col(t, name).filter((v) => v === null).length / n;
    expect(Math.abs(share('a') - 0.25)).toBeLessThan(4 * Math.sqrt((0.25 * 0.75) / n));
    expect(Math.abs(share('b') - 0.1)).toBeLessThan(4 * Math.sqrt((0.1 * 0.9) / n));
    expect(share('c')).toBe(0);
  });

  it('conditional rules: the first matching rule applies, the default otherwise', () => {
    const t = generate(
      [
        '- {name: dept, rule: {type: choice, values: [1, 2, 3, 4]}}',
        '- name: salary',
        '  type: float',
        '  rule: {type: range, min: 30000, max: 50000}',
        '  conditional_rules:',
        '    - condition: {column: dept, operator: "==", value: 1}',
        '      rule: {type: range, min: 80000, max: 150000}',
        '    - when: {column: dept, op: in, value: [2, 3]}',
        '      rule: {type: range, min: 60000, max: 70000}',
        '    - when: {column: dept, op: gte, value: 1}',
        '      rule: {type: constant, value: -1}',
        '- name: label',
        '  conditional_rules:',
        '    - when: {column: salary, op: gt, value: 100000}',
        '      rule: {type: constant, value: high}',
      ].join('\n'),
      5000,
    );
    const dept = col(t, 'dept') as number[];
    const salary = col(t, 'salary') as number[];
    const label = col(t, 'label');
    dept.forEach((d, i) => {
      const s = salary[i] as number;
      if (d === 1) expect(s >= 80000 && s <= 150000).toBe(true);
      else if (d === 2 || d === 3) expect(s >= 60000 && s <= 70000).toBe(true);
      else expect(s).toBe(-1);
      expect(label[i]).toBe(s > 100000 ? 'high' : null);
    });
    expect(new Set(dept)).toEqual(new Set([1, 2, 3, 4]));
    expect(label.some((l) => l === 'high')).toBe(true);
  });

  it('conditional rules: ne, not_in, lt and lte against text and dates; nulls match no condition', () => {
    const t = generate(
      [
        '- {name: day, null_rate: 0.2, rule: {type: date_range, start: 2024-01-01, end: 2024-01-10}}',
        '- name: when_ne',
        '  conditional_rules: [{when: {column: day, op: ne, value: 2024-01-05}, rule: {type: constant, value: x}}]',
        '- name: when_not_in',
        '  conditional_rules: [{when: {column: day, op: not_in, value: [2024-01-01, 2024-01-02]}, rule: {type: constant, value: x}}]',
        '- name: when_lt',
        '  conditional_rules: [{when: {column: day, op: lt, value: 2024-01-04}, rule: {type: constant, value: x}}]',
        '- name: when_lte',
        '  conditional_rules: [{when: {column: day, op: lte, value: 2024-01-04}, rule: {type: constant, value: x}}]',
      ].join('\n'),
      3000,
    );
    const day = col(t, 'day') as (string | null)[];
    const expectWhere = (name: string, holds: (d: string) => boolean) =>
      col(t, name).forEach((v, i) => {
        const d = day[i] ?? null;
        expect(v).toBe(d !== null && holds(d) ? 'x' : null);
      });
    expectWhere('when_ne', (d) => d !== '2024-01-05');
    expectWhere('when_not_in', (d) => d !== '2024-01-01' && d !== '2024-01-02');
    expectWhere('when_lt', (d) => d < '2024-01-04');
    expectWhere('when_lte', (d) => d <= '2024-01-04');
    expect(day.some((d) => d === null)).toBe(true);
  });

  it('column type str turns numbers into text; values never depend on the machine clock', () => {
    const t = generate('- {name: n, type: str, rule: {type: range, min: 1, max: 3}}', 100);
    expect(t.columns[0]?.type).toBe('string');
    expect((col(t, 'n') as string[]).every((v) => ['1', '2', '3'].includes(v))).toBe(true);
  });
});
