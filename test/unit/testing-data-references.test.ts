/** Preconditions to data references, placeholder substitution, and the deterministic record offset. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parsePreconditions,
  recordOffset,
  substitutePlaceholders,
  substituteStep,
  substituteValue,
  type DataReference,
  type TableInfo,
} from '../../core/testing/index.js';

const TABLES: TableInfo[] = [
  {
    name: 'customers',
    columns: [
      { name: 'customer_id', type: 'string' },
      { name: 'email', type: 'string' },
      { name: 'phone', type: 'string' },
      { name: 'segment', type: 'string', categories: ['enterprise', 'consumer', 'Small Business'] },
      { name: 'credit_score', type: 'integer' },
      { name: 'is_active', type: 'boolean' },
      { name: 'signup_date', type: 'date' },
    ],
  },
  {
    name: 'order_items',
    columns: [
      { name: 'order_id', type: 'integer' },
      { name: 'quantity', type: 'integer' },
    ],
  },
  { name: 'categories', columns: [{ name: 'name', type: 'string' }] },
];

function one(text: string): { reference: DataReference | undefined; problems: string[] } {
  const parsed = parsePreconditions('SHOP-1', [text], TABLES);
  return { reference: parsed.references[0], problems: parsed.problems.map((p) => `${p.path}: ${p.message}`) };
}

describe('parsePreconditions', () => {
  it('reads the documented forms', () => {
    expect(one('a customer with segment "enterprise"').reference).toEqual({
      alias: 'customer',
      table: 'customers',
      filters: [{ column: 'segment', op: 'eq', value: 'enterprise' }],
      description: 'a customer with segment "enterprise"',
    });
    expect(one('a customer with segment "enterprise" and credit_score above 700').reference?.filters).toEqual(
      [
        { column: 'segment', op: 'eq', value: 'enterprise' },
        { column: 'credit_score', op: 'gt', value: 700 },
      ],
    );
    expect(
      one('customer: customers where segment = "enterprise" and credit_score >= 700').reference,
    ).toMatchObject({
      alias: 'customer',
      table: 'customers',
      filters: [
        { column: 'segment', op: 'eq', value: 'enterprise' },
        { column: 'credit_score', op: 'ge', value: 700 },
      ],
    });
    expect(one('a customer with segment "enterprise" as buyer').reference?.alias).toBe('buyer');
    expect(one('a customer with no email').reference?.filters).toEqual([{ column: 'email', op: 'is_null' }]);
    expect(one('a customer whose phone is empty').reference?.filters).toEqual([
      { column: 'phone', op: 'is_null' },
    ]);
    expect(one('a customer with a phone').reference?.filters).toEqual([{ column: 'phone', op: 'not_null' }]);
    expect(one('a customer with email containing "@example"').reference?.filters).toEqual([
      { column: 'email', op: 'contains', value: '@example' },
    ]);
    expect(one('Given there is a customer').reference).toMatchObject({
      alias: 'customer',
      table: 'customers',
      filters: [],
    });
  });

  it('reads adjectives: booleans, their negations and category values (in the category own spelling)', () => {
    expect(one('an active customer').reference?.filters).toEqual([
      { column: 'is_active', op: 'eq', value: true },
    ]);
    expect(one('an inactive customer').reference?.filters).toEqual([
      { column: 'is_active', op: 'eq', value: false },
    ]);
    expect(one('an Enterprise customer').reference?.filters).toEqual([
      { column: 'segment', op: 'eq', value: 'enterprise' },
    ]);
    expect(one('an active small business customer').reference?.filters).toEqual([
      { column: 'is_active', op: 'eq', value: true },
      { column: 'segment', op: 'eq', value: 'Small Business' },
    ]);
    expect(one('an existing customer').reference?.filters).toEqual([]);
  });

  it('matches nouns to tables (plural, -ies, several words) and columns loosely', () => {
    expect(one('an order item with quantity at least 2').reference).toMatchObject({
      alias: 'order_item',
      table: 'order_items',
      filters: [{ column: 'quantity', op: 'ge', value: 2 }],
    });
    expect(one('a category with name "Books"').reference?.table).toBe('categories');
    expect(one('a customer with Credit Score below 500').reference?.filters).toEqual([
      { column: 'credit_score', op: 'lt', value: 500 },
    ]);
    expect(one('a customer with is_active yes').reference?.filters).toEqual([
      { column: 'is_active', op: 'eq', value: true },
    ]);
  });

  it('ignores preconditions that are not about data', () => {
    const parsed = parsePreconditions('S', ['The application is running', 'The user is logged in'], TABLES);
    expect(parsed).toEqual({ references: [], problems: [] });
  });

  it('reports unknown tables, columns and adjectives by scenario and precondition index, never by the text', () => {
    const secret = 'zq-secret-value';
    const parsed = parsePreconditions(
      'SHOP-7',
      [
        'a customer with segment "enterprise"',
        `a spaceship with colour "${secret}"`,
        `a customer with shoe_size "${secret}"`,
        `a glorious customer`,
        `a customer with credit_score above "${secret}"`,
        `ghost: phantoms where x = "${secret}"`,
      ],
      TABLES,
    );
    // Each bad precondition is reported (the repeated alias `customer` is reported too).
    expect([...new Set(parsed.problems.map((p) => `${p.scenarioId} ${p.path}`))]).toEqual([
      'SHOP-7 precondition 2',
      'SHOP-7 precondition 3',
      'SHOP-7 precondition 4',
      'SHOP-7 precondition 5',
      'SHOP-7 precondition 6',
    ]);
    for (const p of parsed.problems) {
      expect(p.message).not.toContain(secret);
      expect(p.message).not.toContain('glorious');
      expect(p.message).not.toContain('shoe_size');
      expect(p.message).not.toContain('spaceship');
    }
    // The references are kept, marked unresolved, so their tests are skipped with a reason.
    expect(parsed.references.map((r) => [r.alias, r.unresolved === undefined])).toEqual([
      ['customer', true],
      ['spaceship', false],
      ['customer_2', false],
      ['customer_3', false],
      ['customer_4', false],
      ['ghost', false],
    ]);
    for (const r of parsed.references) expect(r.unresolved ?? '').not.toContain(secret);
  });

  it('renames a repeated alias and says so', () => {
    const parsed = parsePreconditions('S', ['a customer', 'a customer with no email'], TABLES);
    expect(parsed.references.map((r) => r.alias)).toEqual(['customer', 'customer_2']);
    expect(parsed.problems).toHaveLength(1);
  });

  it('never throws on any text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 4 }), (texts) => {
        const parsed = parsePreconditions('S', texts, TABLES);
        for (const p of parsed.problems) expect(p.path).toMatch(/^precondition \d+$/);
      }),
      { numRuns: 300 },
    );
  });
});

const REFS: DataReference[] = [
  {
    alias: 'customer',
    table: 'customers',
    filters: [],
    description: 'a customer',
    record: { customer_id: 'C 1/2', email: 'a"b@x.io', credit_score: 720, is_active: true, phone: null },
  },
  { alias: 'ghost', table: 'customers', filters: [], description: 'x', unresolved: 'no row matches' },
];

describe('placeholders', () => {
  it('substitutes as text, URL component or JSON depending on the field', () => {
    expect(substitutePlaceholders('Hi {customer.email}!', REFS).text).toBe('Hi a"b@x.io!');
    expect(substitutePlaceholders('/customers/{customer.customer_id}', REFS, 'url').text).toBe(
      '/customers/C%201%2F2',
    );
    expect(
      substitutePlaceholders(
        '{"email": "<{customer.email}>", "score": {customer.credit_score}, "p": {customer.phone}}',
        REFS,
        'json',
      ).text,
    ).toBe('{"email": "<a\\"b@x.io>", "score": 720, "p": null}');
    expect(JSON.parse(substitutePlaceholders('{"e": "{customer.email}"}', REFS, 'json').text)).toEqual({
      e: 'a"b@x.io',
    });
    expect(substitutePlaceholders('{ Customer.Credit_Score }', REFS).text).toBe('720');
  });

  it('keeps the type of a whole-placeholder value', () => {
    expect(substituteValue('{customer.credit_score}', REFS).value).toBe(720);
    expect(substituteValue('{customer.is_active}', REFS).value).toBe(true);
    expect(substituteValue('score {customer.credit_score}', REFS).value).toBe('score 720');
    const step = substituteStep(
      {
        kind: 'query',
        table: 'customers',
        filters: [{ column: 'phone', op: 'eq', value: '{customer.phone}' }],
      },
      REFS,
    );
    expect(step.step).toEqual({
      kind: 'query',
      table: 'customers',
      filters: [{ column: 'phone', op: 'is_null' }],
    });
  });

  it('reports unknown aliases, unknown columns and unresolved references, by name', () => {
    const r = substitutePlaceholders('{buyer.email} {customer.shoe} {ghost.email}', REFS);
    expect(r.text).toBe('{buyer.email} {customer.shoe} {ghost.email}');
    expect(r.problems.map((p) => [p.alias, p.column])).toEqual([
      ['buyer', 'email'],
      ['customer', 'shoe'],
      ['ghost', 'email'],
    ]);
    expect(r.problems[1]?.message).toContain('names no column');
    expect(r.problems[2]?.message).toContain('has no record');
  });
});

describe('recordOffset', () => {
  it('is a pure function of seed, scenario and alias, within [0, count)', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.string(),
        fc.string(),
        fc.integer({ min: 1, max: 1_000_000 }),
        (seed, s, a, count) => {
          const k = recordOffset(seed, s, a, count);
          expect(k).toBeGreaterThanOrEqual(0);
          expect(k).toBeLessThan(count);
          expect(recordOffset(seed, s, a, count)).toBe(k);
        },
      ),
    );
  });

  it('spreads over the rows (different scenarios pick different rows)', () => {
    const picks = new Set(
      Array.from({ length: 200 }, (_, i) => recordOffset(42, `SHOP-${i}`, 'customer', 50)),
    );
    expect(picks.size).toBeGreaterThan(35);
    expect(recordOffset(1, 'S', 'customer', 1000)).not.toBe(recordOffset(2, 'S', 'customer', 1000));
  });
});
