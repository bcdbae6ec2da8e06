/** The `--where` grammar of `understudy generate` (cli/commands/where.ts). */
import { describe, expect, it } from 'vitest';
import { parseWhere, parseWhereOptions } from '../../cli/commands/where.js';
import { ConfigError } from '../../core/errors.js';

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseWhere', () => {
  it.each([
    ['country = DE', { column: 'country', equals: 'DE' }],
    ['country=DE', { column: 'country', equals: 'DE' }],
    ['  age   =  42 ', { column: 'age', equals: '42' }],
    ['segment in (A, B)', { column: 'segment', in: ['A', 'B'] }],
    ['segment IN (A,B,C)', { column: 'segment', in: ['A', 'B', 'C'] }],
    ['city = "New York"', { column: 'city', equals: 'New York' }],
    ["city in ('New York', 'Los Angeles')", { column: 'city', in: ['New York', 'Los Angeles'] }],
    ['"home city" = Paris', { column: 'home city', equals: 'Paris' }],
    ["name = 'O''Brien'", { column: 'name', equals: "O'Brien" }],
    ['note = "a, (b)"', { column: 'note', equals: 'a, (b)' }],
    ['income = null', { column: 'income', equals: null }],
    ["word = 'null'", { column: 'word', equals: 'null' }],
    ['segment in (A, null)', { column: 'segment', in: ['A', null] }],
    ['email = a.b@example.com', { column: 'email', equals: 'a.b@example.com' }],
  ])('reads %s', (text, expected) => {
    expect(parseWhere(text)).toEqual(expected);
  });

  it.each([
    ['', '--where'],
    ['= DE', '--where'],
    ["'country' = DE", '--where'],
    ['country', '--where (column country)'],
    ['country != Secretland', '--where'],
    ['country < Secretland', '--where'],
    ['country like Secretland', '--where (column country)'],
    ['country = Secret land', '--where (column country)'],
    ['country = "Secretland', '--where'],
    ['segment in Secret, B', '--where (column segment)'],
    ['segment in (Secret B)', '--where (column segment)'],
    ['segment in (Secret,)', '--where (column segment)'],
    ['segment in ()', '--where (column segment)'],
    ['segment in (Secret, ,B)', '--where (column segment)'],
  ])('rejects %j naming %s and never the value', (text, field) => {
    const error = errorOf(() => parseWhere(text));
    expect(error.field).toBe(field);
    expect(error.message).not.toContain('Secret');
  });
});

describe('parseWhereOptions', () => {
  it('keeps the order of the options and names the failing one by position', () => {
    expect(parseWhereOptions(['country = DE', 'segment in (A, B)'])).toEqual([
      { column: 'country', equals: 'DE' },
      { column: 'segment', in: ['A', 'B'] },
    ]);
    expect(errorOf(() => parseWhereOptions(['country = DE', 'segment in A'])).field).toBe(
      '--where[1] (column segment)',
    );
  });
});
