/**
 * Relational runs, the pure parts: the `relational` config section and what it refuses by field, the
 * split of table-qualified sensitivity overrides, and the report's Tables section.
 */
import { describe, expect, it } from 'vitest';
import { renderHtml, renderMarkdown, type RunReport } from '../../core/report/run-report.js';
import { parsePipelineConfig } from '../../workflows/pipeline/config-schema.js';
import { overridesByTable } from '../../workflows/pipeline/relational-run.js';

const relational = {
  metadata: 'examples/relational/metadata.json',
  sources: {
    customers: { uri: 'examples/relational/customers.csv' },
    orders: { uri: 'examples/relational/orders.csv' },
  },
};

function fieldsOf(config: unknown): string[] {
  const parsed = parsePipelineConfig(config);
  return parsed.ok ? [] : parsed.issues.map((i) => `${i.field}: ${i.message}`);
}

describe('the relational config section', () => {
  it('accepts a metadata file, sources, sizes and targets that fit a set of tables', () => {
    const parsed = parsePipelineConfig({
      relational: { ...relational, scale: 0.5, rows: { customers: 100 }, orphans: 'drop' },
      targets: [
        { type: 'database', url: 'sqlite:out.db', strategy: 'upsert' },
        {
          type: 'database',
          url: 'sqlite:legacy.db',
          tables: { customers: { table: 'Client', columns: { customer_id: 'id', email: null } } },
        },
        { type: 'file', path: 'out/{table}.csv' },
        { type: 'rest', url: 'https://api.example.com/orders', table: 'orders' },
      ],
    });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.config.relational).toMatchObject({ scale: 0.5, orphans: 'drop' });
  });

  it('defaults to scale 1 and refusing orphans', () => {
    const parsed = parsePipelineConfig({ relational });
    expect(parsed.ok && parsed.config.relational).toMatchObject({ scale: 1, rows: {}, orphans: 'error' });
  });

  it.each([
    [{ relational, source: { uri: 'x.csv' } }, 'source: is not used in relational runs'],
    [{ relational, rows: 10 }, 'rows: is not used in relational runs'],
    [{ relational, constraints: [{ kind: 'range', column: 'a', min: 0 }] }, 'constraints: is not used'],
    [{ relational, replacements: { email: { strategy: 'mask' } } }, 'replacements: is not used'],
    [
      { relational, targets: [{ type: 'database', url: 'sqlite:x.db', table: 'c' }] },
      'targets[0].table: is not used in relational runs: name each table\'s target table and columns in "tables"',
    ],
    [
      { relational, targets: [{ type: 'database', url: 'sqlite:x.db', tables: { c: { tabel: 'x' } } }] },
      'targets[0].tables.c',
    ],
    [
      { relational, targets: [{ type: 'database', url: 'sqlite:x.db', key: ['id'], strategy: 'upsert' }] },
      'targets[0].key: is not used',
    ],
    [
      { relational, targets: [{ type: 'file', path: 'out/all.csv' }] },
      'targets[0].path: must contain "{table}"',
    ],
    [
      { relational, targets: [{ type: 'rest', url: 'https://api.example.com/x' }] },
      'targets[0].table: is required',
    ],
    [{ relational: { ...relational, sources: {} } }, 'relational.sources: must name at least one table'],
    [{ relational: { ...relational, scale: 0 } }, 'relational.scale'],
  ])('refuses %j naming the field', (config, expected) => {
    expect(fieldsOf(config).join('\n')).toContain(expected);
  });

  it('still requires source, rows and a database table in a single-table run, and refuses a REST table and database tables there', () => {
    const issues = fieldsOf({
      targets: [
        { type: 'database', url: 'sqlite:x.db', tables: { orders: { table: 'o' } } },
        { type: 'rest', url: 'https://api.example.com/x', table: 'orders' },
      ],
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        'source: is required',
        'rows: is required',
        'targets[0].table: is required',
        expect.stringMatching(/^targets\[0\]\.tables: only applies to relational runs/),
        expect.stringMatching(/^targets\[1\]\.table: only applies to relational runs/),
      ]),
    );
  });
});

describe('table-qualified sensitivity overrides', () => {
  it('splits overrides by the longest table name that prefixes the field', () => {
    const split = overridesByTable(
      [
        { column: 'customers.email', sensitive: false },
        { column: 'a.b.c', sensitive: true, kind: 'person_name' },
        { column: 'a.x', sensitive: true },
      ],
      ['customers', 'a', 'a.b'],
    );
    expect(Object.fromEntries(split)).toEqual({
      customers: [{ column: 'email', sensitive: false }],
      'a.b': [{ column: 'c', sensitive: true, kind: 'person_name' }],
      a: [{ column: 'x', sensitive: true }],
    });
  });

  it.each(['email', 'invoices.total', 'customers.', 'customers'])(
    'refuses %s naming the override',
    (column) => {
      expect(() => overridesByTable([{ column, sensitive: true }], ['customers'])).toThrow(
        /^overrides\[0\]\.column: a relational run names fields as "<table>\.<column>"/,
      );
    },
  );
});

describe('the report of a relational run', () => {
  const report: RunReport = {
    runKey: 'wf/run',
    source: 'relational metadata examples/relational/metadata.json',
    sampleRows: 300,
    syntheticRows: 250,
    seed: 1,
    timings: [],
    totalMs: 0,
    sensitivity: [],
    quality: { score: 0.9, exactCopies: 3, rowsChecked: 250, columns: [] },
    loads: [],
    approvals: [],
    continuedAsNew: 0,
    artifacts: {},
    relational: {
      tables: [
        {
          table: 'customers',
          sampleRows: 100,
          syntheticRows: 50,
          qualityScore: 0.91,
          exactCopies: 3,
          evaluationHtml: 'file:///a/c.html',
        },
        { table: 'orders', sampleRows: 200, syntheticRows: 0, exactCopies: 0 },
      ],
      referentialIntegrity: 1,
      duplicateKeys: 0,
      cardinalityScore: 0.875,
    },
  };

  it('lists every table with its rows, quality and copies, and the set-wide integrity', () => {
    const markdown = renderMarkdown(report);
    const section = markdown.slice(markdown.indexOf('## Tables'), markdown.indexOf('## Column quality'));
    expect(section).toContain(
      'referential integrity 100.0%; 0 repeated primary keys; children per parent 87.5%.',
    );
    expect(section).toContain('| customers | 100 | 50 | 91.0% | 3 | `file:///a/c.html` |');
    expect(section).toContain('| orders | 200 | 0 | n/a | 0 |  |');
    const page = renderHtml(report);
    expect(page).toContain('<h2>Tables</h2>');
    expect(page).toContain('<td>customers</td><td>100</td><td>50</td><td>91.0%</td>');
  });

  it('has no Tables section for a single-table run', () => {
    const { relational: _dropped, ...single } = report;
    expect(renderMarkdown(single)).not.toContain('## Tables');
    expect(renderHtml(single)).not.toContain('<h2>Tables</h2>');
  });
});
