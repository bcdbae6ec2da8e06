import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DateFormat,
  detectDateFormat,
  isoToEpochMs,
  detectPattern,
  parseIsoDate,
  profileTable,
  SemanticType,
  shapeOf,
  tokenizeColumnName,
  type ColumnProfile,
} from '../../core/profile/index.js';
import type { CellValue, PhysicalType, Table } from '../../core/table.js';

function profileOf(
  name: string,
  type: PhysicalType,
  values: CellValue[],
  topCategories?: number,
): ColumnProfile {
  const table: Table = { rowCount: values.length, columns: [{ name, type, values }] };
  const profile = profileTable(table, topCategories === undefined ? {} : { topCategories });
  return profile.columns[0] as ColumnProfile;
}

const range = (n: number, f: (i: number) => CellValue): CellValue[] =>
  Array.from({ length: n }, (_, i) => f(i));

describe('numeric summary', () => {
  it('computes exact statistics for a small column, ignoring nulls', () => {
    const p = profileOf('score', 'float', [5, null, 1, 4, 2, 3, null]);
    expect(p).toMatchObject({
      count: 7,
      nullCount: 2,
      distinctCount: 5,
      unique: true,
      semanticType: SemanticType.Float,
    });
    expect(p.nullRate).toBeCloseTo(2 / 7, 12);
    expect(p.numeric?.min).toBe(1);
    expect(p.numeric?.max).toBe(5);
    expect(p.numeric?.mean).toBe(3);
    expect(p.numeric?.std).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(p.numeric?.quantiles).toEqual({
      p01: 1.04,
      p05: 1.2,
      p25: 2,
      p50: 3,
      p75: 4,
      p95: 4.8,
      p99: 4.96,
    });
  });

  it('counts NaN, infinities and unparseable text in a numeric column as null', () => {
    const p = profileOf('x', 'float', [1, Number.NaN, Number.POSITIVE_INFINITY, 'abc', '2.5', 3]);
    expect(p.nullCount).toBe(3);
    expect(p.numeric?.max).toBe(3);
    expect(p.numeric?.mean).toBeCloseTo(6.5 / 3, 12);
  });

  it('omits numeric for an all-null column and has std 0 for one value', () => {
    expect(profileOf('x', 'integer', [null, null]).numeric).toBeUndefined();
    expect(profileOf('x', 'integer', [7, null]).numeric?.std).toBe(0);
  });
});

describe('semantic types', () => {
  it('keeps physical integers and floats', () => {
    expect(
      profileOf(
        'age',
        'integer',
        range(100, (i) => 20 + (i % 50)),
      ).semanticType,
    ).toBe(SemanticType.Integer);
    expect(
      profileOf(
        'income',
        'float',
        range(100, (i) => i * 1.5),
      ).semanticType,
    ).toBe(SemanticType.Float);
  });

  it('keeps a low-cardinality integer column integer, 0/1 included', () => {
    expect(
      profileOf(
        'children',
        'integer',
        range(100, (i) => i % 4),
      ).semanticType,
    ).toBe(SemanticType.Integer);
    expect(
      profileOf(
        'flag',
        'integer',
        range(100, (i) => i % 2),
      ).semanticType,
    ).toBe(SemanticType.Integer);
  });

  it('reads unique sequential integers, and unique integers named like keys, as identifiers', () => {
    expect(
      profileOf(
        'n',
        'integer',
        range(100, (i) => 1000 + i * 2),
      ).semanticType,
    ).toBe(SemanticType.Identifier);
    expect(profileOf('customerId', 'integer', [17, 3, 99, 4512]).semanticType).toBe(SemanticType.Identifier);
    // Unique but sparse, and not named like a key: a measurement.
    expect(
      profileOf(
        'amount',
        'integer',
        range(100, (i) => i * i * 37),
      ).semanticType,
    ).toBe(SemanticType.Integer);
    // Named like a key but repeating: a foreign key stays an integer.
    expect(
      profileOf(
        'customer_id',
        'integer',
        range(100, (i) => i % 10),
      ).semanticType,
    ).toBe(SemanticType.Integer);
  });

  it('reads physical booleans and two-valued true/false words as boolean', () => {
    expect(profileOf('b', 'boolean', [true, false, null, true]).semanticType).toBe(SemanticType.Boolean);
    for (const pair of [
      ['yes', 'no'],
      ['true', 'false'],
      ['1', '0'],
      ['Y', 'N'],
      ['TRUE', 'FALSE'],
    ] as const) {
      expect(
        profileOf(
          's',
          'string',
          range(30, (i) => pair[i % 2] as string),
        ).semanticType,
        pair.join('/'),
      ).toBe(SemanticType.Boolean);
    }
    expect(
      profileOf(
        's',
        'string',
        range(30, (i) => (i % 2 ? 'yes' : 'yes')),
      ).semanticType,
    ).toBe(SemanticType.Categorical);
    expect(
      profileOf(
        's',
        'string',
        range(30, (i) => (i % 2 ? 'yes' : 'maybe')),
      ).semanticType,
    ).toBe(SemanticType.Categorical);
  });

  it('gives a boolean column its counts as top categories', () => {
    const p = profileOf('b', 'boolean', [true, false, true, null, true]);
    expect(p.topCategories).toEqual([
      { value: 'true', count: 3 },
      { value: 'false', count: 1 },
    ]);
    expect(p.distinctCount).toBe(2);
  });

  it('reads unique patterned strings as identifiers and reports the pattern', () => {
    const p = profileOf(
      'customer_ref',
      'string',
      range(200, (i) => `CUST-${String(i).padStart(6, '0')}`),
    );
    expect(p.semanticType).toBe(SemanticType.Identifier);
    expect(p.pattern).toBe('CUST-999999');
    expect(p.unique).toBe(true);
  });

  it('reads UUIDs as identifiers', () => {
    const hex = (i: number, len: number) =>
      ((i * 2654435761) >>> 0).toString(16).padStart(8, '0').repeat(2).slice(0, len);
    const p = profileOf(
      'token',
      'string',
      range(
        100,
        (i) =>
          `${hex(i, 8)}-${hex(i + 1, 4)}-4${hex(i + 2, 3)}-a${hex(i + 3, 3)}-${hex(i, 8)}${hex(i + 5, 4)}`,
      ),
    );
    expect(p.semanticType).toBe(SemanticType.Identifier);
  });

  it('reads few distinct unique codes as categories, not keys', () => {
    expect(profileOf('country', 'string', ['US', 'DE', 'FR', 'GB', 'IT']).semanticType).toBe(
      SemanticType.Categorical,
    );
  });

  it('applies the categorical limit max(20, 5% of non-null values)', () => {
    expect(
      profileOf(
        'c',
        'string',
        range(100, (i) => `v${i % 20}`),
      ).semanticType,
    ).toBe(SemanticType.Categorical);
    expect(
      profileOf(
        'c',
        'string',
        range(100, (i) => `v${i % 21}`),
      ).semanticType,
    ).toBe(SemanticType.Text);
    expect(
      profileOf(
        'c',
        'string',
        range(1000, (i) => `v${i % 50}`),
      ).semanticType,
    ).toBe(SemanticType.Categorical);
    expect(
      profileOf(
        'c',
        'string',
        range(1000, (i) => `v${i % 51}`),
      ).semanticType,
    ).toBe(SemanticType.Text);
  });

  it('reads ISO dates and timestamps in string columns as datetimes', () => {
    const dates = profileOf(
      'signup',
      'string',
      range(
        60,
        (i) => `2023-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
      ),
    );
    expect(dates.semanticType).toBe(SemanticType.Datetime);
    expect(dates.datetime).toEqual({ min: '2023-01-01', max: '2023-12-24', format: 'date' });
    expect(dates.numeric?.min).toBe(Date.UTC(2023, 0, 1));
    const stamps = profileOf(
      'seen',
      'string',
      range(60, (i) => `2023-05-01T${String(i % 24).padStart(2, '0')}:30:00Z`),
    );
    expect(stamps.datetime).toEqual({
      min: '2023-05-01T00:30:00.000Z',
      max: '2023-05-01T23:30:00.000Z',
      format: 'timestamp',
    });
  });

  it('reads US and European numeric dates by the evidence in the values', () => {
    const us = profileOf('d', 'string', ['03/15/2023', '12/01/2023', '01/02/2023']);
    expect(us.semanticType).toBe(SemanticType.Datetime);
    expect(us.datetime?.min).toBe('2023-01-02');
    expect(us.datetime?.max).toBe('2023-12-01');
    const eu = profileOf('d', 'string', ['15/03/2023', '01/12/2023', '31.01.2023'.replace(/\./g, '/')]);
    expect(eu.datetime?.min).toBe('2023-01-31');
    expect(eu.datetime?.max).toBe('2023-12-01');
    expect(profileOf('d', 'string', ['Mar 7, 2024', '7 March 2024', '12-Jan-2024']).datetime?.min).toBe(
      '2024-01-12',
    );
  });

  it('does not read impossible calendar dates as dates', () => {
    expect(parseIsoDate('2023-02-29')).toBeUndefined();
    expect(parseIsoDate('2024-02-29')?.ms).toBe(Date.UTC(2024, 1, 29));
    expect(parseIsoDate('2023-13-01')).toBeUndefined();
    expect(parseIsoDate('2023-01-01T24:00')).toBeUndefined();
    expect(parseIsoDate('2023-01-01T10:00+02:00')?.ms).toBe(Date.UTC(2023, 0, 1, 8));
    expect(parseIsoDate('0099-01-01')?.ms).toBe(new Date('0099-01-01T00:00:00Z').getTime());
    expect(
      profileOf(
        'd',
        'string',
        range(30, (i) => `2023-02-${30 + (i % 2)}`),
      ).semanticType,
    ).not.toBe(SemanticType.Datetime);
  });

  it('profiles physical dates and timestamps as datetimes without text lengths', () => {
    const p = profileOf('dob', 'date', ['1990-05-01', null, '1985-12-31', '2001-01-01']);
    expect(p.semanticType).toBe(SemanticType.Datetime);
    expect(p.datetime).toEqual({ min: '1985-12-31', max: '2001-01-01', format: 'date' });
    expect(p.text).toBeUndefined();
    const t = profileOf('at', 'timestamp', ['2024-01-01T00:00:00.000Z', '2024-01-02T12:00:00.000Z']);
    expect(t.datetime?.format).toBe('timestamp');
    expect(t.numeric?.mean).toBe(Date.UTC(2024, 0, 1, 18));
  });

  it('reads free strings as text, with lengths and a few top values', () => {
    const p = profileOf(
      'comment',
      'string',
      range(200, (i) => `comment number ${i} ${'x'.repeat(i % 7)}`),
    );
    expect(p.semanticType).toBe(SemanticType.Text);
    expect(p.text?.minLength).toBe('comment number 0 '.length);
    expect(p.topCategories?.length).toBeLessThanOrEqual(5);
  });
});

describe('top categories', () => {
  it('sorts by count descending, then value ascending, and honours the limit', () => {
    const values = ['b', 'a', 'c', 'b', 'a', 'd', null, 'e'];
    const p = profileOf('c', 'string', values, 3);
    expect(p.topCategories).toEqual([
      { value: 'a', count: 2 },
      { value: 'b', count: 2 },
      { value: 'c', count: 1 },
    ]);
    expect(profileOf('c', 'string', values).topCategories?.map((c) => c.value)).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
    ]);
  });
});

describe('patterns', () => {
  it('maps letters to A and digits to 9, keeping other characters', () => {
    expect(shapeOf('AB-12 x')).toBe('AA-99 A');
    expect(shapeOf('Ünï-7')).toBe('AAA-9');
  });

  it('needs 95% of values to share a shape, and keeps constant letters', () => {
    const keys = range(
      100,
      (i) =>
        `${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + ((i * 7) % 26))}Q-${(i % 90) + 10}`,
    ) as string[];
    const ones = keys.map(() => 1);
    expect(detectPattern(keys, ones, 100)).toBe('AAQ-99');
    const mixed = keys.map((k, i) => (i < 6 ? `${k}0` : k));
    expect(detectPattern(mixed, ones, 100)).toBeUndefined();
    const five = keys.map((k, i) => (i < 5 ? `${k}0` : k));
    expect(detectPattern(five, ones, 100)).toBe('AAQ-99');
  });

  it('weighs distinct values by their counts', () => {
    expect(detectPattern(['AB-1', 'hello world'], [96, 4], 100)).toBe('AB-9');
    expect(detectPattern(['AB-1', 'hello world'], [94, 6], 100)).toBeUndefined();
  });
});

describe('date format detection', () => {
  it('prefers month-first when both readings work and switches when a day exceeds 12', () => {
    expect(detectDateFormat(['01/02/2023', '03/04/2023'], [1, 1], 2)).toBe(DateFormat.MonthDayYear);
    expect(detectDateFormat(['01/02/2023', '13/04/2023'], [1, 1], 2)).toBe(DateFormat.DayMonthYear);
    expect(detectDateFormat(['13/13/2023', '01/02/2023'], [1, 1], 2)).toBeUndefined();
    expect(detectDateFormat(['2023-01-02', 'soon'], [19, 1], 20)).toBe(DateFormat.Iso);
    expect(detectDateFormat(['2023-01-02', 'soon'], [18, 2], 20)).toBeUndefined();
  });
});

describe('column-name tokens', () => {
  it('normalises snake, camel, kebab, upper and spaced names', () => {
    expect(tokenizeColumnName('customerEmail')).toEqual(['customer', 'email']);
    expect(tokenizeColumnName('CUSTOMER_EMAIL')).toEqual(['customer', 'email']);
    expect(tokenizeColumnName('customer-email')).toEqual(['customer', 'email']);
    expect(tokenizeColumnName('Customer Email')).toEqual(['customer', 'email']);
    expect(tokenizeColumnName('IPAddress')).toEqual(['ip', 'address']);
    expect(tokenizeColumnName('address1')).toEqual(['address', '1']);
  });
});

describe('determinism', () => {
  it('gives the same JSON for the same table', () => {
    const table: Table = {
      rowCount: 300,
      columns: [
        { name: 'a', type: 'string', values: range(300, (i) => ['x', 'y', 'z'][(i * 7) % 3] as string) },
        { name: 'b', type: 'float', values: range(300, (i) => Math.sin(i) * 100) },
        {
          name: 'c',
          type: 'string',
          values: range(300, (i) => `2022-01-${String(1 + (i % 28)).padStart(2, '0')}`),
        },
      ],
    };
    const copy: Table = {
      rowCount: 300,
      columns: table.columns.map((c) => ({ ...c, values: [...c.values] })),
    };
    expect(JSON.stringify(profileTable(copy))).toBe(JSON.stringify(profileTable(table)));
  });
});

describe('high-cardinality columns', () => {
  it('counts distinct values and frequencies exactly past the switch to the open-addressing tally', () => {
    const n = 120_000;
    const values: CellValue[] = range(n, (i) => (i % 11 === 0 ? null : `k${(i * 7919) % 70_000}`));
    const p = profileOf('key', 'string', values);
    const naive = new Map<string, number>();
    for (const v of values) if (v !== null) naive.set(v as string, (naive.get(v as string) ?? 0) + 1);
    expect(p.distinctCount).toBe(naive.size);
    expect(p.nullCount).toBe(values.filter((v) => v === null).length);
    const expected = [...naive.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 5)
      .map(([value, count]) => ({ value, count }));
    expect(p.topCategories).toEqual(expected);
  });

  it('reports a 200,000-row unique key column as unique, with its pattern', () => {
    const p = profileOf(
      'order_ref',
      'string',
      range(200_000, (i) => `ORD-${String(i).padStart(8, '0')}`),
    );
    expect(p.unique).toBe(true);
    expect(p.distinctCount).toBe(200_000);
    expect(p.pattern).toBe('ORD-99999999');
  });
});

describe('ISO parsing', () => {
  const dates = fc.date({
    min: new Date('0000-01-01T00:00:00.000Z'),
    max: new Date('9999-12-31T23:59:59.999Z'),
    noInvalidDate: true,
  });

  it('agrees with Date on every ISO timestamp and date in years 0–9999', () => {
    fc.assert(
      fc.property(dates, (d) => {
        const iso = d.toISOString();
        expect(isoToEpochMs(iso)).toBe(d.getTime());
        expect(isoToEpochMs(iso.slice(0, 10))).toBe(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`));
        expect(isoToEpochMs(iso.replace('T', ' ').replace('Z', '+00:00'))).toBe(d.getTime());
      }),
    );
  });

  it('applies offsets and rejects near misses', () => {
    expect(isoToEpochMs('2023-01-01T10:00+0200')).toBe(Date.UTC(2023, 0, 1, 8));
    expect(isoToEpochMs('2023-01-01T10:00-05')).toBe(Date.UTC(2023, 0, 1, 15));
    expect(isoToEpochMs('2023-01-01T10:00:00.123456789Z')).toBe(Date.UTC(2023, 0, 1, 10, 0, 0, 123));
    for (const bad of [
      '2023-1-01',
      '2023-01-01T10',
      '2023-01-01T10:00:00.',
      '2023-01-01T10:00Zx',
      '2023-01-01T10:60',
      '2023-01-01X',
      '20230101',
    ]) {
      expect(isoToEpochMs(bad), bad).toBeNaN();
    }
  });
});
