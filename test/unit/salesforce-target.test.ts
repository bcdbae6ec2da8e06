/**
 * Pure parts of the Salesforce target: lookup order, the Bulk CSV dialect, pending-row ranges, value-free
 * record errors, the target schema's field paths, credentials from the environment, the describe check.
 */
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../core/errors.js';
import {
  checkObjectAgainstDescribe,
  createChunkCursor,
  encodeBulkCell,
  orderObjectsByLookups,
  pendingRows,
  planObjectColumns,
  readSalesforceCredentials,
  sanitizeJobError,
  sanitizeRecordError,
  toBulkCsv,
  toRanges,
  type DescribedObject,
  type ObjectSpec,
} from '../../integrations/salesforce/index.js';
import { parseSalesforceTarget } from '../../workflows/pipeline/salesforce-target-schema.js';

const lookup = (object: string) => ({
  column: `${object}_ref`,
  relationship: object,
  object,
  externalIdField: 'Ext__c',
});

describe('orderObjectsByLookups', () => {
  it('puts Account before Contact whatever the configured order', () => {
    const order = orderObjectsByLookups([
      { object: 'Contact', lookups: [lookup('Account')] },
      { object: 'Account', lookups: [] },
    ]);
    expect(order.map((o) => o.object)).toEqual(['Account', 'Contact']);
  });

  it('keeps unrelated objects in the configured order and ignores self-lookups and outside parents', () => {
    const order = orderObjectsByLookups([
      { object: 'Lead', lookups: [lookup('User')] },
      { object: 'Account', lookups: [lookup('Account')] },
      { object: 'Case', lookups: [] },
    ]);
    expect(order.map((o) => o.object)).toEqual(['Lead', 'Account', 'Case']);
  });

  it('rejects a cycle with a ConfigError naming the objects on it', () => {
    expect(() =>
      orderObjectsByLookups([
        { object: 'A', lookups: [lookup('B')] },
        { object: 'B', lookups: [lookup('A')] },
        { object: 'C', lookups: [] },
      ]),
    ).toThrow(/cycle among A, B/);
  });

  it('every parent precedes its children (random acyclic lookups)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 40 }),
        fc.nat(),
        (n, edges, seed) => {
          // Edges go from a higher index to a lower one, so the graph is acyclic; the list is then shuffled.
          const objects = Array.from({ length: n }, (_, i) => ({
            object: `O${i}`,
            lookups: [] as ReturnType<typeof lookup>[],
          }));
          for (const [a, b] of edges) {
            const child = a % n;
            const parent = b % n;
            if (parent < child) objects[child]?.lookups.push(lookup(`O${parent}`));
          }
          const shuffled = [...objects].sort(
            (x, y) => ((x.object.length * 31 + seed) % 7) - ((y.object.length * 17 + seed) % 5),
          );
          const order = orderObjectsByLookups(shuffled).map((o) => o.object);
          for (const o of objects)
            for (const l of o.lookups) expect(order.indexOf(l.object)).toBeLessThan(order.indexOf(o.object));
        },
      ),
    );
  });
});

describe('Bulk CSV', () => {
  it('round-trips any cells through an RFC 4180 parser', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { minLength: 5, maxLength: 5 }), {
          maxLength: 20,
        }),
        (header, rawRows) => {
          const rows = rawRows.map((r) => r.slice(0, header.length));
          const parsed = parse(toBulkCsv(header, rows), { relax_column_count: false }) as string[][];
          expect(parsed).toEqual([header, ...rows]);
        },
      ),
    );
  });

  it('writes numbers without exponents, booleans as true/false and null per operation', () => {
    const where = { object: 'Account', column: 'x', row: 0 };
    expect(encodeBulkCell(1e21, '#N/A', where)).toBe('1000000000000000000000');
    expect(encodeBulkCell(1.5e-7, '#N/A', where)).toBe('0.00000015');
    expect(encodeBulkCell(-42.25, '#N/A', where)).toBe('-42.25');
    expect(encodeBulkCell(true, '#N/A', where)).toBe('true');
    expect(encodeBulkCell(null, '#N/A', where)).toBe('#N/A');
    expect(encodeBulkCell(null, '', where)).toBe('');
    expect(() => encodeBulkCell(Number.NaN, '', where)).toThrow(DataError);
  });
});

describe('pending-row ranges', () => {
  it('ranges hold exactly the rows given, sorted', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat({ max: 500 }), { maxLength: 200 }), (rows) => {
        const cursor = { ...createChunkCursor(), pendingRanges: toRanges(rows) };
        expect(pendingRows(cursor, 501)).toEqual([...rows].sort((a, b) => a - b));
      }),
    );
  });
});

describe('sanitizeRecordError', () => {
  const known = ['LastName', 'Email', 'Account.External_Id__c'];

  it('keeps the status code and field names, drops the message with its value', () => {
    expect(
      sanitizeRecordError('INVALID_EMAIL_ADDRESS:Email: invalid email address: jo@@x:Email --', known),
    ).toEqual({
      statusCode: 'INVALID_EMAIL_ADDRESS',
      fields: ['Email'],
    });
    expect(
      sanitizeRecordError(
        'INVALID_FIELD:Foreign key external ID: ACME-9 not found for field External_Id__c in entity Account:--',
        known,
      ),
    ).toEqual({ statusCode: 'INVALID_FIELD', fields: ['Account.External_Id__c'] });
    expect(sanitizeJobError('InvalidBatch : Field name not found : Nmae')).toBe('InvalidBatch');
    expect(sanitizeJobError('value 123 broke it')).toBe('JobFailed');
  });

  it('never returns anything but a code-shaped status and known field names', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        const out = sanitizeRecordError(text, known);
        expect(out.statusCode).toMatch(/^[A-Z][A-Z0-9_]*$/);
        for (const f of out.fields) expect(known).toContain(f);
      }),
    );
  });
});

describe('parseSalesforceTarget', () => {
  const base = {
    type: 'salesforce',
    objects: [{ object: 'Account', operation: 'upsert', externalIdField: 'External_Id__c' }],
  };

  it('applies defaults and turns durations into milliseconds', () => {
    const r = parseSalesforceTarget({ ...base, pollInterval: '250ms', pollTimeout: '2h' });
    expect(r.ok && r.target).toMatchObject({
      name: 'salesforce',
      apiVersion: '62.0',
      pollInterval: 250,
      pollTimeout: 7_200_000,
      recordsPerJob: 100_000,
    });
  });

  it('names the exact field of each problem', () => {
    const r = parseSalesforceTarget(
      {
        ...base,
        pollInterval: 'soon',
        objects: [
          { object: 'Contact', operation: 'upsert' },
          {
            object: 'Account',
            operation: 'insert',
            externalIdField: 'X__c',
            lookups: [{ column: 'a', relationship: 'Bad Name', object: 'Account', externalIdField: 'E' }],
          },
          { object: 'Contact', operation: 'update' },
        ],
      },
      'targets[2]',
    );
    expect(r.ok).toBe(false);
    const fields = r.ok ? [] : r.issues.map((i) => i.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'targets[2].pollInterval',
        'targets[2].objects[0].externalIdField',
        'targets[2].objects[1].externalIdField',
        'targets[2].objects[1].lookups[0].relationship',
        'targets[2].objects[2].object',
      ]),
    );
  });
});

describe('readSalesforceCredentials', () => {
  it('picks the flow from the variables set, per named connection', () => {
    expect(
      readSalesforceCredentials({
        UNDERSTUDY_SF_ACCESS_TOKEN: 't',
        UNDERSTUDY_SF_INSTANCE_URL: 'https://x.my.salesforce.com/',
      }),
    ).toEqual({
      kind: 'accessToken',
      accessToken: 't',
      instanceUrl: 'https://x.my.salesforce.com',
    });
    expect(
      readSalesforceCredentials(
        {
          UNDERSTUDY_SF_SANDBOX_USERNAME: 'u',
          UNDERSTUDY_SF_SANDBOX_PASSWORD: 'p',
          UNDERSTUDY_SF_SANDBOX_SECURITY_TOKEN: 's',
          UNDERSTUDY_SF_SANDBOX_LOGIN_URL: 'https://test.salesforce.com',
        },
        'sandbox',
      ),
    ).toEqual({ kind: 'password', loginUrl: 'https://test.salesforce.com', username: 'u', password: 'ps' });
    expect(
      readSalesforceCredentials({
        UNDERSTUDY_SF_CLIENT_ID: 'c',
        UNDERSTUDY_SF_CLIENT_SECRET: 's',
        UNDERSTUDY_SF_LOGIN_URL: 'https://acme.my.salesforce.com',
      }),
    ).toMatchObject({
      kind: 'clientCredentials',
      loginUrl: 'https://acme.my.salesforce.com',
    });
    expect(
      readSalesforceCredentials({
        UNDERSTUDY_SF_CLIENT_ID: 'c',
        UNDERSTUDY_SF_USERNAME: 'u',
        UNDERSTUDY_SF_PRIVATE_KEY: 'k\\nk',
      }),
    ).toMatchObject({
      kind: 'jwt',
      privateKey: 'k\nk',
      audience: 'https://login.salesforce.com',
    });
  });

  it('names the variables to set and never echoes a secret', () => {
    expect(() => readSalesforceCredentials({}, 'prod')).toThrow(/UNDERSTUDY_SF_PROD_ACCESS_TOKEN/);
    let message = '';
    try {
      readSalesforceCredentials({ UNDERSTUDY_SF_PASSWORD: 'hunter2-secret' });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toContain('UNDERSTUDY_SF_USERNAME');
    expect(message).not.toContain('hunter2');
  });
});

describe('planObjectColumns and the describe check', () => {
  const contact: ObjectSpec = {
    object: 'Contact',
    operation: 'upsert',
    externalIdField: 'External_Id__c',
    lookups: [
      { column: 'acct', relationship: 'Account', object: 'Account', externalIdField: 'External_Id__c' },
    ],
  };
  const field = (name: string, extra: Partial<DescribedObject['fields'][number]> = {}) => ({
    name,
    type: 'string',
    createable: true,
    updateable: true,
    nillable: true,
    defaultedOnCreate: false,
    ...extra,
  });
  const described: DescribedObject = {
    name: 'Contact',
    fields: [
      field('Id', { createable: false, updateable: false, nillable: false, defaultedOnCreate: true }),
      field('LastName', { nillable: false }),
      field('External_Id__c', { externalId: true }),
      field('AccountId', { type: 'reference', relationshipName: 'Account', referenceTo: ['Account'] }),
    ],
  };
  const account: DescribedObject = {
    name: 'Account',
    fields: [field('External_Id__c', { externalId: true })],
  };
  const parents = new Map([['Account', account]]);

  it('sends lookup columns as Relationship.ExternalIdField', () => {
    const cols = planObjectColumns(contact, ['External_Id__c', 'LastName', 'acct'], 't.objects[0]');
    expect(cols.map((c) => c.header)).toEqual(['External_Id__c', 'LastName', 'Account.External_Id__c']);
    expect(() => checkObjectAgainstDescribe(contact, cols, described, parents, 't.objects[0]')).not.toThrow();
  });

  it('rejects a missing required field, an unknown field and a wrong lookup with the field path', () => {
    const noLast = planObjectColumns(contact, ['External_Id__c', 'acct'], 't.objects[0]');
    expect(() => checkObjectAgainstDescribe(contact, noLast, described, parents, 't.objects[0]')).toThrow(
      /t\.objects\[0\]\.fields: Contact requires LastName/,
    );
    const typo = planObjectColumns(contact, ['External_Id__c', 'LastName', 'Emial', 'acct'], 't.objects[0]');
    expect(() => checkObjectAgainstDescribe(contact, typo, described, parents, 't.objects[0]')).toThrow(
      /has no field Emial/,
    );
    const wrong = { ...contact, lookups: [{ ...contact.lookups[0]!, object: 'Lead' }] };
    const cols = planObjectColumns(wrong, ['External_Id__c', 'LastName', 'acct'], 't.objects[0]');
    expect(() => checkObjectAgainstDescribe(wrong, cols, described, parents, 't.objects[0]')).toThrow(
      /t\.objects\[0\]\.lookups\[0\]\.object/,
    );
    expect(() => planObjectColumns(contact, ['LastName', 'acct'], 't.objects[0]')).toThrow(
      /t\.objects\[0\]\.externalIdField/,
    );
  });
});
