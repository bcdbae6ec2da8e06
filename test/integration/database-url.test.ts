/**
 * Database URLs, identifiers and cell encoding: the parts of the database target that need no
 * server (redaction, path confinement, identifier limits, COPY escaping).
 */
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import mysql from 'mysql2';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { parseDatabaseUrl } from '../../integrations/database/connection-url.js';
import {
  createDatabaseTarget,
  quoteIdentifier,
  redactUrl,
  validateIdentifier,
} from '../../integrations/database/index.js';
import {
  CellRejected,
  copyEncoder,
  mysqlEncoder,
  sqliteEncoder,
} from '../../integrations/database/value-encoding.js';

describe('redactUrl', () => {
  it('replaces the password and secret query parameters', () => {
    expect(redactUrl('postgres://loader:s3cr%40t@db.example:5432/app?sslmode=require&password=p2')).toBe(
      'postgres://loader:***@db.example:5432/app?sslmode=require&password=***',
    );
    expect(redactUrl('mysql://root@127.0.0.1:3306/test')).toBe('mysql://root@127.0.0.1:3306/test');
    expect(redactUrl('sqlite:data/out.db')).toBe('sqlite:data/out.db');
    expect(redactUrl('not a url at all')).toBe('<unparseable database URL>');
  });

  it('never returns the password, whatever it contains', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 4, maxLength: 20 }).filter((s) => /^[A-Za-z0-9]+$/.test(s)),
        (password) => {
          const url = `postgresql://user:${password}@host:5432/db`;
          expect(redactUrl(url)).not.toContain(password);
        },
      ),
    );
  });
});

describe('parseDatabaseUrl', () => {
  const base = path.join(os.tmpdir(), 'understudy-url-test');

  it('maps schemes to dialects', () => {
    expect(parseDatabaseUrl('sqlite:out/a.db', base).dialect).toBe('sqlite');
    expect(parseDatabaseUrl('file:a.db', base).dialect).toBe('sqlite');
    expect(parseDatabaseUrl('postgres://u:p@h/db').dialect).toBe('postgres');
    expect(parseDatabaseUrl('postgresql://u:p@h/db').dialect).toBe('postgres');
    expect(parseDatabaseUrl('mysql://u:p@h/db').dialect).toBe('mysql');
    expect(parseDatabaseUrl('mariadb://u:p@h/db').dialect).toBe('mysql');
  });

  it('resolves SQLite paths inside the base directory and refuses to leave it', () => {
    const filename = (url: string): string =>
      (parseDatabaseUrl(url, base).knexConfig.connection as { filename: string }).filename;
    expect(filename('sqlite:out/a.db')).toBe(path.join(base, 'out', 'a.db'));
    expect(filename('file:a.db')).toBe(path.join(base, 'a.db'));
    expect(filename(`sqlite://${path.join(base, 'abs.db')}`)).toBe(path.join(base, 'abs.db'));
    for (const url of ['sqlite:../escape.db', 'file:out/../../escape.db', 'sqlite://host/x.db']) {
      expect(() => parseDatabaseUrl(url, base), url).toThrow(ConfigError);
    }
  });

  it('rejects an unknown scheme with a ConfigError on field url that hides the password', () => {
    const err = (() => {
      try {
        createDatabaseTarget('oracle://scott:tiger-secret@db/orcl');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe('url');
    expect((err as Error).message).not.toContain('tiger-secret');
  });
});

describe('identifiers', () => {
  it('quotes by doubling the quote character', () => {
    expect(quoteIdentifier('a"b', 'postgres')).toBe('"a""b"');
    expect(quoteIdentifier('a`b', 'mysql')).toBe('`a``b`');
    expect(quoteIdentifier('a.b', 'sqlite')).toBe('"a.b"');
  });

  it('enforces each dialect limit and names the field', () => {
    expect(() => validateIdentifier('x'.repeat(63), 'postgres', 'table')).not.toThrow();
    expect(() => validateIdentifier('x'.repeat(64), 'postgres', 'table')).toThrow(
      /table: identifier .* 64 bytes/,
    );
    expect(() => validateIdentifier('ж'.repeat(32), 'postgres', 'table')).toThrow(ConfigError);
    expect(() => validateIdentifier('ж'.repeat(64), 'mysql', 'table')).not.toThrow();
    expect(() => validateIdentifier('x'.repeat(65), 'mysql', 'columns[2]')).toThrow(/columns\[2\]/);
    expect(() => validateIdentifier('😀', 'mysql', 'table')).toThrow(ConfigError);
    expect(() => validateIdentifier('😀', 'postgres', 'table')).not.toThrow();
  });
});

describe('cell encoding', () => {
  it('writes NULL as \\N and the empty string as an empty COPY field', () => {
    const enc = copyEncoder('string');
    expect(enc(null)).toBe('\\N');
    expect(enc('')).toBe('');
    expect(enc('\\N')).toBe('\\\\N');
    expect(enc('a\tb\nc\rd\\')).toBe('a\\tb\\nc\\rd\\\\');
  });

  it('COPY text escaping is reversible for any string without NUL', () => {
    const unescape = (s: string): string =>
      s.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r', '\\': '\\' })[c] ?? c);
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\u0000')),
        (s) => {
          const encoded = copyEncoder('string')(s);
          expect(encoded).not.toMatch(/[\t\n\r]/);
          expect(unescape(encoded)).toBe(s);
        },
      ),
    );
  });

  it('quotes MySQL strings exactly as mysql2 escapes them', () => {
    fc.assert(
      fc.property(
        fc
          .string({ unit: 'binary' })
          .filter((s) => (s as string & { isWellFormed(): boolean }).isWellFormed()),
        (s) => {
          expect(mysqlEncoder('string')(s)).toBe(mysql.escape(s));
        },
      ),
    );
    expect(mysqlEncoder('string')("a'b\u0000c\\")).toBe(mysql.escape("a'b\u0000c\\"));
  });

  it('rejects values that cannot be stored faithfully, without quoting them', () => {
    expect(() => copyEncoder('integer')('12a')).toThrow(CellRejected);
    expect(() => copyEncoder('integer')(1.5)).toThrow(CellRejected);
    expect(copyEncoder('integer')(1e21)).toBe('1000000000000000000000');
    expect(() => copyEncoder('string')('x\uD800')).toThrow(/unpaired/);
    expect(() => mysqlEncoder('float')(Number.NaN)).toThrow(CellRejected);
    expect(() => sqliteEncoder('float')(Number.NaN)).toThrow(CellRejected);
    expect(() => sqliteEncoder('integer')('99999999999999999999')).toThrow(/64-bit/);
    expect(() => copyEncoder('date')('29/02/2024')).toThrow(CellRejected);
    try {
      copyEncoder('timestamp')('SECRET-VALUE');
    } catch (e) {
      expect((e as Error).message).not.toContain('SECRET');
    }
    expect(mysqlEncoder('timestamp')('2024-06-30T23:59:59.999+02:00')).toBe("'2024-06-30 21:59:59.999'");
    expect(mysqlEncoder('string')("it's \\ ok")).toBe("'it\\'s \\\\ ok'");
  });

  it('refuses number text beyond a double and impossible calendar timestamps, as the databases do', () => {
    for (const encode of [copyEncoder('float'), mysqlEncoder('float'), sqliteEncoder('float')]) {
      expect(() => encode('1e400')).toThrow(/out of range/);
      expect(() => encode('-1e400')).toThrow(/out of range/);
      expect(() => encode('1e-400')).toThrow(/too small/);
      expect(encode('0e-400')).toBe(encode(0));
    }
    for (const encode of [copyEncoder('timestamp'), mysqlEncoder('timestamp'), sqliteEncoder('timestamp')]) {
      for (const bad of [
        '2024-02-30 10:00:00',
        '2023-02-29T00:00',
        '2024-04-31T12:00:00+02:00',
        '2024-01-01T24:00:00',
      ])
        expect(() => encode(bad)).toThrow(/not a valid timestamp/);
      expect(() => encode('2024-02-29T10:00:00Z')).not.toThrow();
    }
    // Canonical UTC text goes to PostgreSQL and MySQL as it is (their strict parsers refuse it); SQLite checks nothing.
    expect(() => sqliteEncoder('timestamp')('2024-04-31T12:00:00.000Z')).toThrow(/not a valid timestamp/);
    // An offset of hours only is ISO 8601 too.
    expect(mysqlEncoder('timestamp')('2024-01-01T10:00:00+05')).toBe("'2024-01-01 05:00:00.000'");
  });
});
