import { describe, expect, it } from 'vitest';
import {
  buildSchemaPlan,
  parseSchemaConfigText,
  SchemaConfigError,
  validateSchemaConfig,
  type LoadedChoiceFile,
} from '../../core/schema-gen/index.js';

/** Problems of a YAML config as `path: message` lines. */
function problemsOf(yaml: string, choiceFiles?: Map<string, LoadedChoiceFile>): string[] {
  const parsed = parseSchemaConfigText(yaml);
  if (!parsed.ok) return parsed.problems.map((p) => p.message);
  return validateSchemaConfig(parsed.value, { choiceFiles }).problems.map((p) => `${p.path}: ${p.message}`);
}

/** A one-table config around the given column YAML (indented as a list item under columns). */
function oneColumn(column: string, rows = 10): string {
  return `tables:\n  - table_name: t\n    rows: ${rows}\n    columns:\n${column
    .trim()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n')}\n`;
}

describe('schema config validation', () => {
  it('accepts a valid syndata-style config and orders tables parents first', () => {
    const plan = buildSchemaPlan(
      parse(`
rows: 10
tables:
  - table_name: orders
    columns:
      - {name: id, constraints: [PK], rule: uuid}
      - {name: customer_id, constraints: [FK]}
    foreign_keys: [{parent_table: customers, parent_column: id, child_column: customer_id}]
  - table_name: customers
    columns:
      - {name: id, type: int, constraints: [PK], rule: {type: sequence}}
`),
    );
    expect(plan.tables.map((t) => t.name)).toEqual(['customers', 'orders']);
    const fkColumn = plan.tables[1]?.columns.find((c) => c.name === 'customer_id');
    expect(fkColumn?.type).toBe('integer');
    expect(fkColumn?.foreignKey).toEqual({ key: 0, parentTable: 'customers', parentColumn: 'id' });
  });

  it('reports every problem at once, each with its path, naming tables and columns', () => {
    const problems = problemsOf(`
locale: xx_YY
rows: 10
tables:
  - table_name: customers
    columns:
      - name: id
        constraints: [PK]
        rule: {type: range, min: 1, max: 5}
      - name: name
        rule: person.noSuchMethod
      - name: age
        type: int
        rule: {type: range, min: 80, max: 18}
      - name: tier
        rule: {type: choice, values: [a, b], weights: [1]}
      - name: code
        rule: {type: regex, pattern: "(?<=x)y"}
      - name: x
        nulrate: 0.3
        rule: {type: rnage, min: 1}
  - table_name: orders
    columns:
      - {name: id, rule: uuid}
      - {name: cust, constraints: [FK]}
      - {name: amount, type: int, rule: {type: range, min: 1.5, max: 3}}
    foreign_keys: [{parent_table: customerz, parent_column: id, child_column: cust}]
`);
    expect(problems).toEqual([
      'locale: is not a locale Faker knows (e.g. en_US, de_DE, fr)',
      'tables.customers.columns.id.rule: can give only 5 distinct values, but the column is unique and the table has 10 rows',
      'tables.customers.columns.name.rule.method: is not a Faker method (expected module.method, e.g. person.firstName)',
      'tables.customers.columns.age.rule.min: must not be greater than max',
      'tables.customers.columns.tier.rule.weights: has 1 weights for 2 values',
      'tables.customers.columns.code.rule.pattern: regular expression uses a lookbehind at position 1, which generation does not support',
      expect.stringMatching(
        /^tables\.customers\.columns\.x\.rule\.type: unknown rule type \(expected one of: range, choice/,
      ),
      'tables.customers.columns.x.nulrate: unknown field',
      'tables.orders.columns.amount.rule.min: must be a whole number for an integer column',
      'tables.orders.foreign_keys[0].parent_table: names no table of this config (customerz)',
    ]);
  });

  it.each([
    [
      'rows missing',
      'tables: [{table_name: t, columns: [{name: a, rule: uuid}]}]',
      'tables.t.rows: is required (set rows on the table or at the top level)',
    ],
    ['no tables', 'tables: []', 'tables: needs at least one table'],
    [
      'unknown top-level field',
      'rowz: 3\nrows: 1\ntables: [{table_name: t, columns: [{name: a, rule: uuid}]}]',
      'rowz: unknown field',
    ],
    [
      'negative rows',
      'tables: [{table_name: t, rows: -1, columns: [{name: a, rule: uuid}]}]',
      'tables.t.rows: expected number to be >=0',
    ],
    [
      'bad reference date',
      'reference_date: soon\nrows: 1\ntables: [{table_name: t, columns: [{name: a, rule: uuid}]}]',
      'reference_date: must be a date or an ISO datetime',
    ],
    [
      'bad seed',
      'seed: -4\nrows: 1\ntables: [{table_name: t, columns: [{name: a, rule: uuid}]}]',
      'seed: expected number to be >=0',
    ],
    [
      'bad output format',
      'output_format: xlsx\nrows: 1\ntables: [{table_name: t, columns: [{name: a, rule: uuid}]}]',
      'output_format: expected one of "csv"|"json"|"jsonl"|"parquet"',
    ],
    [
      'duplicate tables',
      'rows: 1\ntables: [{table_name: t, columns: [{name: a, rule: uuid}]}, {table_name: t, columns: [{name: a, rule: uuid}]}]',
      'tables[1].table_name: another table has the same name',
    ],
    [
      'table locale',
      'rows: 1\ntables: [{table_name: t, locale: qq, columns: [{name: a, rule: first_name}]}]',
      'tables.t.locale: is not a locale Faker knows (e.g. en_US, de_DE, fr)',
    ],
    [
      'primary_key list names no column',
      'rows: 1\ntables: [{table_name: t, primary_key: [b], columns: [{name: a, rule: uuid}]}]',
      'tables.t.primary_key[0]: names no column of this table',
    ],
  ])('top and table level: %s', (_name, yaml, expected) => {
    expect(problemsOf(yaml)).toContain(expected);
  });

  it.each([
    [
      'column needs a rule',
      '- {name: a}',
      'tables.t.columns.a: needs a rule (or a foreign_keys entry of its table)',
    ],
    [
      'duplicate column',
      '- {name: a, rule: uuid}\n- {name: a, rule: uuid}',
      'tables.t.columns[1].name: another column of this table has the same name',
    ],
    [
      'unknown column type',
      '- {name: a, type: money, rule: uuid}',
      expect.stringMatching(/^tables\.t\.columns\.a\.type: expected one of "int"/),
    ],
    [
      'rule gives the wrong type',
      '- {name: a, type: int, rule: uuid}',
      'tables.t.columns.a.rule: gives text values, but the column type is int',
    ],
    [
      'decimals on an int column',
      '- {name: a, type: int, rule: {type: range, min: 1, max: 3, decimals: 2}}',
      'tables.t.columns.a.rule.decimals: an integer column has no decimals',
    ],
    [
      'choice needs values',
      '- {name: a, rule: {type: choice, values: []}}',
      'tables.t.columns.a.rule.values: needs at least one value',
    ],
    [
      'negative weight',
      '- {name: a, rule: {type: choice, values: [x], weights: [-1]}}',
      'tables.t.columns.a.rule.weights[0]: weights must not be negative',
    ],
    [
      'zero weights',
      '- {name: a, rule: {type: choice, values: [x, y], weights: [0, 0]}}',
      'tables.t.columns.a.rule.weights: weights must not all be 0',
    ],
    [
      'choice value not fitting',
      '- {name: a, type: int, rule: {type: choice, values: [1, x]}}',
      'tables.t.columns.a.rule.values[1]: value does not fit the column type int',
    ],
    [
      'syndata spelling keeps its path',
      '- {name: a, type: int, rule: {type: choice, value: [1, x]}}',
      'tables.t.columns.a.rule.value[1]: value does not fit the column type int',
    ],
    [
      'invalid regex',
      '- {name: a, rule: {type: regex, regex: "[a-"}}',
      'tables.t.columns.a.rule.regex: is not a valid regular expression (JavaScript syntax)',
    ],
    [
      'backreference',
      '- {name: a, rule: {type: regex, pattern: "(a)\\\\1"}}',
      expect.stringMatching(/^tables\.t\.columns\.a\.rule\.pattern: regular expression uses a backreference/),
    ],
    [
      'faker args fail',
      '- {name: a, rule: {faker: number.int, args: [{min: 10, max: 1}]}}',
      'tables.t.columns.a.rule.args: Faker method fails with these arguments',
    ],
    [
      'faker returns structures',
      '- {name: a, rule: {faker: location.nearbyGPSCoordinate}}',
      'tables.t.columns.a.rule.faker: returns a list or an object, not a single value',
    ],
    [
      'faker locale',
      '- {name: a, rule: {faker: person.firstName, locale: zz}}',
      'tables.t.columns.a.rule.locale: is not a locale Faker knows (e.g. en_US, de_DE, fr)',
    ],
    [
      'column locale',
      '- {name: a, locale: zz, rule: first_name}',
      'tables.t.columns.a.locale: is not a locale Faker knows (e.g. en_US, de_DE, fr)',
    ],
    [
      'sequence format',
      '- {name: a, rule: {type: sequence, format: "C-"}}',
      'tables.t.columns.a.rule.format: needs a placeholder: {} for the number, or {000000} to pad it with zeros',
    ],
    [
      'sequence step 0',
      '- {name: a, rule: {type: sequence, step: 0}}',
      'tables.t.columns.a.rule.step: must not be 0',
    ],
    [
      'bad date',
      '- {name: a, rule: {type: date_range, start: 2024-02-30, end: 2024-03-01}}',
      'tables.t.columns.a.rule.start: must be a date (YYYY-MM-DD)',
    ],
    [
      'dates out of order',
      '- {name: a, rule: {type: date_range, start: 2024-03-01, end: 2024-01-01}}',
      'tables.t.columns.a.rule.start: must not be after end',
    ],
    [
      'bad strftime',
      '- {name: a, rule: {type: date_range, start: 2024-01-01, end: 2024-01-02, format: "%Q"}}',
      expect.stringMatching(/^tables\.t\.columns\.a\.rule\.format: unknown strftime directive %Q/),
    ],
    [
      'bad datetime',
      '- {name: a, rule: {type: datetime_range, start: "2024-01-01T25:00:00Z", end: 2024-01-02}}',
      'tables.t.columns.a.rule.end: must be a date or an ISO datetime (YYYY-MM-DDTHH:mm:ssZ)'.replace(
        'end',
        'start',
      ),
    ],
    [
      'probability',
      '- {name: a, rule: {type: boolean, probability: 2}}',
      'tables.t.columns.a.rule.probability: expected number to be <=1',
    ],
    [
      'null rate range',
      '- {name: a, null_rate: 1.5, rule: uuid}',
      'tables.t.columns.a.null_rate: expected number to be <=1',
    ],
    [
      'PK with nulls',
      '- {name: a, constraints: [PK], null_rate: 0.1, rule: uuid}',
      'tables.t.columns.a.null_rate: a primary key column cannot have nulls',
    ],
    [
      'PK nullable',
      '- {name: a, constraints: [PK], nullable: true, rule: uuid}',
      'tables.t.columns.a.nullable: a primary key column cannot be nullable',
    ],
    [
      'not-null with nulls',
      '- {name: a, constraints: [not_null], null_rate: 0.1, rule: uuid}',
      'tables.t.columns.a.null_rate: a not-null column cannot have nulls',
    ],
    [
      'unknown constraint',
      '- {name: a, constraints: [CHECK], rule: uuid}',
      expect.stringMatching(/^tables\.t\.columns\.a\.constraints\[0\]: expected one of/),
    ],
    [
      'FK without entry',
      '- {name: a, constraints: [FK], rule: uuid}',
      'tables.t.columns.a.constraints: is marked as a foreign key, but no foreign_keys entry of the table names this column',
    ],
    [
      'unique constant',
      '- {name: a, constraints: [unique], rule: {type: constant, value: 1}}',
      'tables.t.columns.a.rule: can give only 1 distinct values, but the column is unique and the table has 10 rows',
    ],
    [
      'unique dates',
      '- {name: a, constraints: [unique], rule: {type: date_range, start: 2024-01-01, end: 2024-01-05}}',
      'tables.t.columns.a.rule: can give only 5 distinct values, but the column is unique and the table has 10 rows',
    ],
    [
      'not-null without default rule',
      '- {name: a, rule: uuid}\n- {name: b, constraints: [not_null], conditional_rules: [{when: {column: a, op: eq, value: x}, rule: uuid}]}',
      'tables.t.columns.b.rule: is required for a not-null column: rows that match no conditional rule would be null',
    ],
    [
      'condition on a later column',
      '- {name: a, rule: uuid, conditional_rules: [{when: {column: b, op: eq, value: 1}, rule: uuid}]}\n- {name: b, rule: uuid}',
      'tables.t.columns.a.conditional_rules[0].when.column: must name an earlier column of this table',
    ],
    [
      'condition op',
      '- {name: a, rule: uuid}\n- {name: b, rule: uuid, conditional_rules: [{when: {column: a, op: like, value: 1}, rule: uuid}]}',
      expect.stringMatching(/^tables\.t\.columns\.b\.conditional_rules\[0\]\.when\.op: expected one of "eq"/),
    ],
    [
      'condition list for in',
      '- {name: a, rule: uuid}\n- {name: b, rule: uuid, conditional_rules: [{when: {column: a, op: in, value: 1}, rule: uuid}]}',
      'tables.t.columns.b.conditional_rules[0].when.value: must be a list for op in',
    ],
    [
      'condition scalar for gt',
      '- {name: a, rule: uuid}\n- {name: b, rule: uuid, conditional_rules: [{when: {column: a, op: gt, value: [1]}, rule: uuid}]}',
      'tables.t.columns.b.conditional_rules[0].when.value: must be a single value for op gt (use op in for a list)',
    ],
    [
      'syndata condition spelling',
      '- {name: a, rule: uuid}\n- {name: b, rule: uuid, conditional_rules: [{condition: {column: a, operator: "==", value: 1}, rule: {type: rnage}}]}',
      expect.stringMatching(/^tables\.t\.columns\.b\.conditional_rules\[0\]\.rule\.type: unknown rule type/),
    ],
  ])('column level: %s', (_name, column, expected) => {
    expect(problemsOf(oneColumn(column))).toContainEqual(expected);
  });

  it.each([
    [
      'cycle',
      `rows: 1
tables:
  - {table_name: a, columns: [{name: id, rule: uuid, constraints: [PK]}, {name: b_id}], foreign_keys: [{parent_table: b, parent_column: id, child_column: b_id}]}
  - {table_name: b, columns: [{name: id, rule: uuid, constraints: [PK]}, {name: a_id}], foreign_keys: [{parent_table: a, parent_column: id, child_column: a_id}]}`,
      'tables.a.foreign_keys: foreign keys form a cycle: a → b → a',
    ],
    [
      'self reference',
      `rows: 1
tables:
  - {table_name: emp, columns: [{name: id, rule: uuid, constraints: [PK]}, {name: boss}], foreign_keys: [{parent_table: emp, parent_column: id, child_column: boss}]}`,
      'tables.emp.foreign_keys: foreign keys form a cycle: emp → emp',
    ],
    [
      'unknown parent column',
      `rows: 1
tables:
  - {table_name: p, columns: [{name: id, rule: uuid, constraints: [PK]}]}
  - {table_name: c, columns: [{name: p_id}], foreign_keys: [{parent_table: p, parent_column: idd, child_column: p_id}]}`,
      'tables.c.foreign_keys[0].parent_column: names no column of table p',
    ],
    [
      'parent column not a key',
      `rows: 1
tables:
  - {table_name: p, columns: [{name: id, rule: uuid}]}
  - {table_name: c, columns: [{name: p_id}], foreign_keys: [{parent_table: p, parent_column: id, child_column: p_id}]}`,
      'tables.c.foreign_keys[0].parent_column: must be the primary key or a unique column of table p',
    ],
    [
      'unknown child column',
      `rows: 1
tables:
  - {table_name: p, columns: [{name: id, rule: uuid, constraints: [PK]}]}
  - {table_name: c, columns: [{name: x, rule: uuid}], foreign_keys: [{parent_table: p, parent_column: id, child_column: p_id}]}`,
      'tables.c.foreign_keys[0].child_column: names no column of this table',
    ],
    [
      'FK column with a rule',
      `rows: 1
tables:
  - {table_name: p, columns: [{name: id, rule: uuid, constraints: [PK]}]}
  - {table_name: c, columns: [{name: p_id, rule: uuid}], foreign_keys: [{parent_table: p, parent_column: id, child_column: p_id}]}`,
      'tables.c.columns.p_id.rule: takes its values from the foreign key; remove the rule',
    ],
    [
      'FK type mismatch',
      `rows: 1
tables:
  - {table_name: p, columns: [{name: id, rule: uuid, constraints: [PK]}]}
  - {table_name: c, columns: [{name: p_id, type: int}], foreign_keys: [{parent_table: p, parent_column: id, child_column: p_id}]}`,
      'tables.c.columns.p_id.type: does not fit the type of p.id (string)',
    ],
    [
      'one-to-one with too many children',
      `tables:
  - {table_name: p, rows: 2, columns: [{name: id, rule: uuid, constraints: [PK]}]}
  - {table_name: c, rows: 3, columns: [{name: p_id, constraints: [PK]}], foreign_keys: [{parent_table: p, parent_column: id, child_column: p_id}]}`,
      'tables.c.foreign_keys[0].child_column: are unique, so each p row is used at most once, but the table has more rows (3) than p (2)',
    ],
    [
      'empty parent',
      `tables:
  - {table_name: p, rows: 0, columns: [{name: id, rule: uuid, constraints: [PK]}]}
  - {table_name: c, rows: 3, columns: [{name: p_id}], foreign_keys: [{parent_table: p, parent_column: id, child_column: p_id}]}`,
      'tables.c.foreign_keys[0].parent_table: table p has no rows to refer to',
    ],
    [
      'composite key column count',
      `rows: 1
tables:
  - {table_name: p, columns: [{name: a, rule: uuid, constraints: [PK]}, {name: b, rule: uuid, constraints: [PK]}]}
  - {table_name: c, columns: [{name: x}], foreign_keys: [{parent_table: p, parent_columns: [a, b], child_columns: [x]}]}`,
      'tables.c.foreign_keys[0].child_columns: names 1 columns but parent_columns names 2',
    ],
  ])('cross-table: %s', (_name, yaml, expected) => {
    expect(problemsOf(yaml)).toContain(expected);
  });

  it('reports choice file problems at the rule and checks file values against the column type', () => {
    const yaml = oneColumn(
      '- {name: a, type: int, rule: {type: choice_file, file: list.csv}}\n- {name: b, rule: {type: choice_file, file: other.csv}}',
    );
    const files = new Map<string, LoadedChoiceFile>([
      ['tables/0/columns/0/rule', { values: ['1', '2', 'x'], weights: null }],
      [
        'tables/0/columns/1/rule',
        { error: 'other.csv, line 3, column weight: weight is not a non-negative number' },
      ],
    ]);
    expect(problemsOf(yaml, files)).toEqual([
      'tables.t.columns.a.rule.file: value 3 of the choice file does not fit the column type int',
      'tables.t.columns.b.rule.file: other.csv, line 3, column weight: weight is not a non-negative number',
    ]);
    expect(problemsOf(yaml)).toContain('tables.t.columns.a.rule.file: choice file was not loaded');
  });

  it('reports YAML syntax errors with line and column, and maps problem paths to lines', () => {
    const broken = parseSchemaConfigText('tables:\n  - table_name: t\n    rows: [1, 2\n');
    expect(broken.ok).toBe(false);
    if (!broken.ok)
      expect(broken.problems[0]?.message).toMatch(/^not valid YAML\/JSON at line \d+, column \d+/);
    const parsed = parseSchemaConfigText(
      'rows: 1\ntables:\n  - table_name: t\n    columns:\n      - name: a\n        rule: {type: range, min: 5, max: 1}\n',
    );
    if (!parsed.ok) throw new Error('expected valid YAML');
    const [problem] = validateSchemaConfig(parsed.value).problems;
    expect(problem?.path).toBe('tables.t.columns.a.rule.min');
    expect(parsed.lineOf(problem?.rawPath ?? [])).toBe(6);
  });

  it('reads JSON configs too, and buildSchemaPlan throws one error carrying all problems', () => {
    const json = JSON.stringify({
      rows: 1,
      tables: [{ table_name: 't', columns: [{ name: 'a' }, { name: 'b', rule: { type: 'nope' } }] }],
    });
    const parsed = parseSchemaConfigText(json);
    if (!parsed.ok) throw new Error('expected valid JSON');
    let error: unknown;
    try {
      buildSchemaPlan(parsed.value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchemaConfigError);
    expect((error as SchemaConfigError).problems.map((p) => p.path)).toEqual([
      'tables.t.columns.a',
      'tables.t.columns.b.rule.type',
    ]);
    expect((error as SchemaConfigError).field).toBe('tables.t.columns.a');
  });

  it('applies rows-scale and defaults nullable columns to a 10% null rate', () => {
    const plan = buildSchemaPlan(parse(oneColumn('- {name: a, nullable: true, rule: uuid}', 40)), {
      rowsScale: 2.5,
    });
    expect(plan.tables[0]?.rows).toBe(100);
    expect(plan.tables[0]?.columns[0]?.nullRate).toBe(0.1);
  });

  it('never puts choice values into messages', () => {
    const secret = 'Jane-Secret-Doe';
    const problems = problemsOf(
      oneColumn(`- {name: a, type: int, rule: {type: choice, values: [${secret}]}}`),
    );
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).not.toContain(secret);
  });
});

function parse(yaml: string): unknown {
  const parsed = parseSchemaConfigText(yaml);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  return parsed.value;
}
