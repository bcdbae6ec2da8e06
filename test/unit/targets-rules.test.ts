/**
 * The pure rules behind the file and REST targets: address classes of the host guard, Retry-After and
 * backoff, typed body templates, SQL identifier quoting and literal escaping (property-checked), the
 * formula guard, and the target schemas' field paths.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../core/errors.js';
import type { Table } from '../../core/table.js';
import {
  looksLikeFormula,
  neutralizeFormula,
  quoteIdentifier,
  sqlLiteral,
} from '../../integrations/files/index.js';
import {
  backoffDelay,
  classifyAddress,
  compileRowTemplate,
  isRetryableStatus,
  parseRetryAfter,
} from '../../integrations/rest/index.js';
import { parseTargetSpec } from '../../workflows/pipeline/target-schemas.js';

describe('host guard address classes', () => {
  it.each([
    ['169.254.169.254', 'metadata'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['10.1.2.3', 'public-or-private'],
    ['93.184.216.34', 'public-or-private'],
    ['2001:db8::1', 'public-or-private'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

describe('retry policy', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('backs off with full jitter below a growing, capped ceiling', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (attempt, r) => {
          const d = backoffDelay(attempt, 500, 30_000, () => r);
          return d >= 0 && d < Math.min(30_000, 500 * 2 ** attempt);
        },
      ),
    );
    expect([429, 408, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 404, 409, 422, 501, 505].some(isRetryableStatus)).toBe(false);
  });
});

describe('row templates', () => {
  const table: Table = {
    rowCount: 2,
    columns: [
      { name: 'id', type: 'integer', values: [7, 8] },
      { name: 'full name', type: 'string', values: ['Ada', null] },
      { name: 'vip', type: 'boolean', values: [true, false] },
    ],
  };
  const schema = { columns: table.columns.map((c) => ({ name: c.name, type: c.type })) };

  it('keeps types for whole placeholders and interpolates text', () => {
    const render = compileRowTemplate(
      {
        id: '{{id}}',
        who: { name: '{{ full name }}', hello: 'Hi {{full name}} #{{id}}' },
        flags: ['{{vip}}', 1, null],
        fixed: 'x',
      },
      schema,
    );
    expect(render(table, 0)).toEqual({
      id: 7,
      who: { name: 'Ada', hello: 'Hi Ada #7' },
      flags: [true, 1, null],
      fixed: 'x',
    });
    expect(render(table, 1)).toEqual({
      id: 8,
      who: { name: null, hello: 'Hi  #8' },
      flags: [false, 1, null],
      fixed: 'x',
    });
    expect(compileRowTemplate(undefined, schema)(table, 0)).toEqual({ id: 7, 'full name': 'Ada', vip: true });
  });

  it('names the template path of an unknown column', () => {
    expect(() => compileRowTemplate({ a: [{ b: '{{nope}}' }] }, schema, 'targets[1].template')).toThrow(
      /targets\[1\]\.template\.a\[0\]\.b/,
    );
  });
});

describe('SQL dialects', () => {
  it('quotes identifiers by each dialect and refuses what a dialect cannot hold', () => {
    expect(quoteIdentifier('postgres', 'a"b', 'f')).toBe('"a""b"');
    expect(quoteIdentifier('sqlite', 'select', 'f')).toBe('"select"');
    expect(quoteIdentifier('mysql', 'a`b', 'f')).toBe('`a``b`');
    expect(() => quoteIdentifier('postgres', 'x'.repeat(64), 'targets[0].sql.table')).toThrow(
      /targets\[0\]\.sql\.table/,
    );
    expect(() => quoteIdentifier('mysql', 'trailing ', 'f')).toThrow(ConfigError);
    expect(() => quoteIdentifier('sqlite', '', 'f')).toThrow(ConfigError);
  });

  it('escapes any string so that the literal, unquoted, is the string again (property)', () => {
    const place = { file: 'f', column: 'c', row: 0 };
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\0')),
        (s) => {
          const pg = sqlLiteral('postgres', s, 'string', place);
          const decodedPg = pg.startsWith("E'")
            ? pg.slice(2, -1).replaceAll("''", "'").replaceAll('\\\\', '\\')
            : pg.slice(1, -1).replaceAll("''", "'");
          const my = sqlLiteral('mysql', s, 'string', place);
          const decodedMy = my.startsWith('_utf8mb4')
            ? Buffer.from(my.slice(10, -1), 'hex').toString('utf8')
            : my.slice(1, -1).replaceAll("''", "'");
          const lite = sqlLiteral('sqlite', s, 'string', place);
          return decodedPg === s && decodedMy === s && lite.slice(1, -1).replaceAll("''", "'") === s;
        },
      ),
    );
  });

  it('writes typed literals and refuses values a dialect cannot store, naming the place only', () => {
    const place = { file: 'out.sql', column: 'secret', row: 4 };
    expect(sqlLiteral('postgres', true, 'boolean', place)).toBe('TRUE');
    expect(sqlLiteral('mysql', true, 'boolean', place)).toBe('1');
    expect(sqlLiteral('postgres', Number.NaN, 'float', place)).toBe("'NaN'::double precision");
    expect(sqlLiteral('sqlite', -0, 'float', place)).toBe('0');
    expect(sqlLiteral('mysql', '2024-05-06T07:08:09.123Z', 'timestamp', place)).toBe(
      "'2024-05-06 07:08:09.123'",
    );
    const error = (() => {
      try {
        sqlLiteral('postgres', 'SSN\u0000123', 'string', place);
      } catch (e) {
        return e as DataError;
      }
    })();
    expect(error).toBeInstanceOf(DataError);
    expect(error?.message).toBe('out.sql, row 4, column secret: PostgreSQL text cannot hold a NUL character');
  });
});

describe('formula guard', () => {
  it('prefixes formula triggers and leaves plain numbers and other text alone', () => {
    for (const s of ['=1+1', '+cmd', '-x', '@SUM(A1)', '\tx', '\rx', '-1+2'])
      expect(neutralizeFormula(s)).toBe(`'${s}`);
    for (const s of ['-12', '+3.5e2', '.5', 'plain', '', "'already"]) expect(neutralizeFormula(s)).toBe(s);
    fc.assert(fc.property(fc.string(), (s) => !looksLikeFormula(neutralizeFormula(s))));
  });
});

describe('target schemas', () => {
  it('applies defaults and accepts file, S3 and REST targets', () => {
    const file = parseTargetSpec({ type: 'file', path: 'out/a.sql', sql: { dialect: 'mysql', table: 't' } });
    expect(file).toMatchObject({
      ok: true,
      target: { layout: 'single', neutralizeFormulas: true, sql: { batchRows: 500, createTable: true } },
    });
    expect(parseTargetSpec({ type: 'file', uri: 's3://bucket-1/x/y.csv.gz' }).ok).toBe(true);
    const rest = parseTargetSpec({
      type: 'rest',
      url: 'https://api.example.com/x',
      template: { a: '{{id}}' },
    });
    expect(rest).toMatchObject({
      ok: true,
      target: { method: 'POST', body: 'array', batchSize: 100, concurrency: 4 },
    });
  });

  it('names the exact field of every problem', () => {
    const fields = (value: unknown) => {
      const r = parseTargetSpec(value, 'targets[3]');
      return r.ok ? [] : r.issues.map((i) => i.field);
    };
    expect(fields({ type: 'file', path: 'a.csv', uri: 's3://bucket/x' })).toEqual(['targets[3].path']);
    expect(fields({ type: 'file', path: 'a.sql' })).toEqual(['targets[3].sql']);
    expect(fields({ type: 'file', path: 'a.xlsx', gzip: true })).toEqual(['targets[3].gzip']);
    expect(fields({ type: 'file', path: 'a.sql', sql: { dialect: 'oracle', table: 't' } })).toEqual([
      'targets[3].sql.dialect',
    ]);
    expect(fields({ type: 'file', uri: 's3://Bad_Bucket/x' })).toEqual(['targets[3].uri']);
    expect(fields({ type: 'rest', url: 'ftp://x' })).toEqual(['targets[3].url']);
    expect(fields({ type: 'rest', url: 'https://x', body: 'single' })).toEqual(['targets[3].batchSize']);
    expect(fields({ type: 'rest', url: 'https://x', headers: { Authorization: 'Bearer leak' } })).toEqual([
      'targets[3].headers.Authorization',
    ]);
    expect(fields({ type: 'rest', url: 'https://x', concurrency: 0, extra: 1 })).toEqual(
      expect.arrayContaining(['targets[3].concurrency']),
    );
  });
});
