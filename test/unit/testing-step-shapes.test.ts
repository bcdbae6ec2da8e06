/** The scenario step grammar: every documented phrase, the forgiving variants, and totality. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseCondition,
  parseConditions,
  parseExpectation,
  parseStep,
  type StepShape,
} from '../../core/testing/index.js';

const GRAMMAR: [string, StepShape][] = [
  ['Open /customers/{customer.customer_id}', { kind: 'open', path: '/customers/{customer.customer_id}' }],
  ['Go to /', { kind: 'open', path: '/' }],
  ['Navigate to /search', { kind: 'open', path: '/search' }],
  ['Fill "Email" with {customer.email}', { kind: 'fill', field: 'Email', value: '{customer.email}' }],
  ['Enter {customer.email} in "Search"', { kind: 'fill', field: 'Search', value: '{customer.email}' }],
  ['Type "x" into "Name"', { kind: 'fill', field: 'Name', value: 'x' }],
  ['Click "Search"', { kind: 'click', target: 'Search' }],
  ['Press the "Pay" button', { kind: 'click', target: 'Pay' }],
  ['Expect text "Enterprise"', { kind: 'expectText', text: 'Enterprise' }],
  ['The page shows {customer.last_name}', { kind: 'expectText', text: '{customer.last_name}' }],
  ['Should see "x"', { kind: 'expectText', text: 'x' }],
  ['Should not see "x"', { kind: 'expectText', text: 'x', negate: true }],
  [
    'GET /api/customers/{customer.customer_id}',
    { kind: 'call', method: 'GET', path: '/api/customers/{customer.customer_id}' },
  ],
  [
    'Call POST /api/notes with {"text":"hi"}',
    { kind: 'call', method: 'POST', path: '/api/notes', body: '{"text":"hi"}' },
  ],
  ['Expect status 200', { kind: 'expectStatus', status: 200 }],
  ['The response status is 404', { kind: 'expectStatus', status: 404 }],
  ['The response contains {customer.email}', { kind: 'expectBody', contains: '{customer.email}' }],
  [
    'Response field segment equals "enterprise"',
    { kind: 'expectJson', path: 'segment', equals: 'enterprise' },
  ],
  [
    'Query customers where customer_id = {customer.customer_id}',
    {
      kind: 'query',
      table: 'customers',
      filters: [{ column: 'customer_id', op: 'eq', value: '{customer.customer_id}' }],
    },
  ],
  ['Expect 1 row', { kind: 'expectRows', count: 1 }],
  ['Expect at least 1 row', { kind: 'expectRows', min: 1 }],
  ['Expect no rows', { kind: 'expectRows', count: 0 }],
];

describe('parseStep: the grammar of docs/test-generation.md', () => {
  it.each(GRAMMAR)('%s', (phrase, shape) => {
    expect(parseStep(phrase)).toEqual(shape);
  });

  it('is forgiving: case, Gherkin words, subjects, bullets, smart quotes, trailing periods, optional quotes', () => {
    expect(parseStep('When I click on the Search button.')).toEqual({ kind: 'click', target: 'Search' });
    expect(parseStep('1. CLICK “Search”')).toEqual({ kind: 'click', target: 'Search' });
    expect(parseStep('- the user clicks Sign in')).toEqual({ kind: 'click', target: 'Sign in' });
    expect(parseStep('Then I should see Welcome back.')).toEqual({
      kind: 'expectText',
      text: 'Welcome back',
    });
    expect(parseStep('Fill in the email field with bob@example.com')).toEqual({
      kind: 'fill',
      field: 'email',
      value: 'bob@example.com',
    });
    expect(parseStep('get /api/x')).toEqual({ kind: 'call', method: 'GET', path: '/api/x' });
    expect(parseStep('The user sees "Saved".')).toEqual({ kind: 'expectText', text: 'Saved' });
    expect(parseStep('Step 3: Go to /orders page')).toEqual({ kind: 'open', path: '/orders' });
  });

  it('keeps keywords and punctuation that are inside quotes', () => {
    expect(parseStep('Fill "Ship with care" with "Fragile. Handle with care."')).toEqual({
      kind: 'fill',
      field: 'Ship with care',
      value: 'Fragile. Handle with care.',
    });
    expect(parseStep('Should see "Done."')).toEqual({ kind: 'expectText', text: 'Done.' });
    expect(parseStep("Should see 'O'Neil'")).toEqual({ kind: 'expectText', text: "O'Neil" });
  });

  it('takes a missing value or body from the step data', () => {
    expect(parseStep('Fill "Email"', '{customer.email}')).toEqual({
      kind: 'fill',
      field: 'Email',
      value: '{customer.email}',
    });
    expect(parseStep('POST /api/notes', '{"text": "hi"}')).toEqual({
      kind: 'call',
      method: 'POST',
      path: '/api/notes',
      body: '{"text": "hi"}',
    });
    expect(parseStep('Fill "Email"')).toEqual({ kind: 'unsupported', text: 'Fill "Email"' });
  });

  it('reads the other comparison and count forms', () => {
    expect(parseStep('Expect at most 3 rows')).toEqual({ kind: 'expectRows', max: 3 });
    expect(parseStep('Expect more than 2 records')).toEqual({ kind: 'expectRows', min: 3 });
    expect(parseStep('The query returns two rows')).toEqual({ kind: 'expectRows', count: 2 });
    expect(parseStep('Query orders')).toEqual({ kind: 'query', table: 'orders', filters: [] });
    expect(parseStep('Response field items[0].id is 3')).toEqual({
      kind: 'expectJson',
      path: 'items[0].id',
      equals: 3,
    });
    expect(parseStep('Response field active equals true')).toEqual({
      kind: 'expectJson',
      path: 'active',
      equals: true,
    });
    expect(parseStep('The API returns 201 Created')).toEqual({ kind: 'expectStatus', status: 201 });
    expect(parseStep('The page does not show "Error"')).toEqual({
      kind: 'expectText',
      text: 'Error',
      negate: true,
    });
  });

  it('leaves what it cannot read as unsupported, with the text', () => {
    for (const phrase of [
      'Do a dance',
      'Open the customer page',
      'Error message is shown',
      'Expect status 999',
    ]) {
      expect(parseStep(phrase)).toEqual({ kind: 'unsupported', text: phrase });
    }
  });

  it('never throws and always returns a shape (any text, any data)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.option(fc.string({ unit: 'binary' })), (text, data) => {
        const shape = parseStep(text, data ?? undefined);
        expect(typeof shape.kind).toBe('string');
        const shapes = parseExpectation(text);
        expect(Array.isArray(shapes)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseExpectation', () => {
  it('accepts the bare forms of an Expected column and splits clauses', () => {
    expect(parseExpectation('200 OK')).toEqual([{ kind: 'expectStatus', status: 200 }]);
    expect(parseExpectation('Shows "Welcome"')).toEqual([{ kind: 'expectText', text: 'Welcome' }]);
    expect(parseExpectation('"Saved" is displayed')).toEqual([{ kind: 'expectText', text: 'Saved' }]);
    expect(parseExpectation('Status 200 and the response contains "ok"\n1 row')).toEqual([
      { kind: 'expectStatus', status: 200 },
      { kind: 'expectBody', contains: 'ok' },
      { kind: 'expectRows', count: 1 },
    ]);
    expect(parseExpectation('Should see "Tom and Jerry"')).toEqual([
      { kind: 'expectText', text: 'Tom and Jerry' },
    ]);
    expect(parseExpectation('  ')).toEqual([]);
    expect(parseExpectation('The customer is happy')).toEqual([
      { kind: 'unsupported', text: 'The customer is happy' },
    ]);
  });
});

describe('conditions', () => {
  it('reads every comparison', () => {
    const cases: [string, ReturnType<typeof parseCondition>][] = [
      ['credit_score above 700', { column: 'credit_score', op: 'gt', value: 700 }],
      ['credit_score over 700', { column: 'credit_score', op: 'gt', value: 700 }],
      ['credit score greater than 700', { column: 'credit score', op: 'gt', value: 700 }],
      ['age below 30', { column: 'age', op: 'lt', value: 30 }],
      ['age under 30', { column: 'age', op: 'lt', value: 30 }],
      ['age less than 30', { column: 'age', op: 'lt', value: 30 }],
      ['age at least 18', { column: 'age', op: 'ge', value: 18 }],
      ['age >= 18', { column: 'age', op: 'ge', value: 18 }],
      ['age at most 65', { column: 'age', op: 'le', value: 65 }],
      ['segment is "enterprise"', { column: 'segment', op: 'eq', value: 'enterprise', quoted: true }],
      ['segment = enterprise', { column: 'segment', op: 'eq', value: 'enterprise' }],
      ['segment equal to "x"', { column: 'segment', op: 'eq', value: 'x', quoted: true }],
      ['segment is not "consumer"', { column: 'segment', op: 'ne', value: 'consumer', quoted: true }],
      ['segment != consumer', { column: 'segment', op: 'ne', value: 'consumer' }],
      ['notes containing "urgent"', { column: 'notes', op: 'contains', value: 'urgent', quoted: true }],
      ['no email', { column: 'email', op: 'is_null' }],
      ['email is empty', { column: 'email', op: 'is_null' }],
      ['email is not empty', { column: 'email', op: 'not_null' }],
      ['a phone', { column: 'phone', op: 'not_null' }],
      ['segment "enterprise"', { column: 'segment', op: 'eq', value: 'enterprise', quoted: true }],
      ['the credit_score of 700', { column: 'credit_score', op: 'eq', value: 700 }],
    ];
    for (const [text, expected] of cases) expect(parseCondition(text), text).toEqual(expected);
  });

  it('splits on and and commas outside quotes', () => {
    const parsed = parseConditions('segment "enterprise and more", credit_score above 700 and no email');
    expect(parsed.unreadable).toEqual([]);
    expect(parsed.conditions.map((c) => c.op)).toEqual(['eq', 'gt', 'is_null']);
    expect(parsed.conditions[0]?.value).toBe('enterprise and more');
  });
});
