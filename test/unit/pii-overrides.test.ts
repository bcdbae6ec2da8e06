import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import {
  applyOverrides,
  classifyTable,
  PiiKind,
  sensitiveColumns,
  type SensitivityOverride,
  type SensitivityReport,
} from '../../core/pii/index.js';
import { profileTable } from '../../core/profile/index.js';
import type { Table } from '../../core/table.js';

const table: Table = {
  rowCount: 40,
  columns: [
    { name: 'email', type: 'string', values: Array.from({ length: 40 }, (_, i) => `person${i}@example.com`) },
    { name: 'age', type: 'integer', values: Array.from({ length: 40 }, (_, i) => 20 + (i % 30)) },
    { name: 'nickname', type: 'string', values: Array.from({ length: 40 }, (_, i) => `n${i % 7}`) },
  ],
};
const report = classifyTable(table, profileTable(table));
const audit = {
  by: 'dana@example.org',
  at: '2024-05-01T10:00:00.000Z',
  comment: 'nicknames are chosen by customers',
};

describe('applyOverrides', () => {
  it('starts from the classifier: email sensitive, the others not', () => {
    expect(sensitiveColumns(report).map((f) => f.column)).toEqual(['email']);
  });

  it('marks columns sensitive or not, records who and when, and keeps the classifier confidence', () => {
    const overrides: SensitivityOverride[] = [
      { column: 'nickname', sensitive: true, kind: PiiKind.PersonName },
      { column: 'email', sensitive: false },
    ];
    const approved = applyOverrides(report, overrides, audit);
    expect(sensitiveColumns(approved).map((f) => f.column)).toEqual(['nickname']);
    const nickname = approved.fields.find((f) => f.column === 'nickname');
    expect(nickname?.kind).toBe(PiiKind.PersonName);
    expect(nickname?.override).toEqual({ sensitive: true, kind: PiiKind.PersonName, ...audit });
    const email = approved.fields.find((f) => f.column === 'email');
    expect(email?.kind).toBe(PiiKind.Email);
    expect(email?.confidence).toBe(report.fields[0]?.confidence);
    expect(email?.override).toEqual({ sensitive: false, ...audit });
    expect(email?.reasons.at(-1)).toBe('reviewer override: not sensitive');
  });

  it('does not modify the input report', () => {
    const before = JSON.stringify(report);
    applyOverrides(report, [{ column: 'age', sensitive: true }], audit);
    expect(JSON.stringify(report)).toBe(before);
  });

  it('lets a later override of the same column win and does not stack override notes', () => {
    const approved = applyOverrides(
      report,
      [
        { column: 'age', sensitive: true },
        { column: 'age', sensitive: false },
      ],
      { by: 'x', at: 'y' },
    );
    const age = approved.fields.find((f) => f.column === 'age');
    expect(age?.sensitive).toBe(false);
    expect(age?.override).toEqual({ sensitive: false, by: 'x', at: 'y' });
    expect(age?.reasons.filter((r) => r.startsWith('reviewer override')).length).toBe(1);
  });

  it('throws a ConfigError naming the field for an unknown column, without echoing the name', () => {
    const run = () =>
      applyOverrides(
        report,
        [
          { column: 'email', sensitive: true },
          { column: 'ssn_secret', sensitive: true },
        ],
        audit,
      );
    expect(run).toThrow(ConfigError);
    try {
      run();
    } catch (e) {
      expect((e as ConfigError).field).toBe('overrides[1].column');
      expect((e as Error).message).not.toContain('ssn_secret');
    }
  });

  it('rejects malformed overrides that arrive as JSON', () => {
    const bad = [{ column: 'age', sensitive: true, kind: 'shoe_size' }] as unknown as SensitivityOverride[];
    expect(() => applyOverrides(report, bad, audit)).toThrow(
      expect.objectContaining({ field: 'overrides[0].kind' }),
    );
    const notBool = [{ column: 'age', sensitive: 'yes' }] as unknown as SensitivityOverride[];
    expect(() => applyOverrides(report, notBool, audit)).toThrow(
      expect.objectContaining({ field: 'overrides[0].sensitive' }),
    );
  });

  it('returns an equal report for no overrides', () => {
    const same: SensitivityReport = applyOverrides(report, [], audit);
    expect(same).toEqual(report);
  });
});
