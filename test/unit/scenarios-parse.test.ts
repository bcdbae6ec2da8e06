import { describe, expect, it } from 'vitest';
import {
  parseAdfDescription,
  parseScenariosFile,
  parseStepField,
  parseWikiDescription,
  scenarioFromJiraIssue,
  ScenariosFileError,
} from '../../core/scenarios/index.js';

const t = (text: string, marks?: unknown[]) => ({ type: 'text', text, ...(marks ? { marks } : {}) });
const p = (...content: unknown[]) => ({ type: 'paragraph', content });
const h = (level: number, text: string) => ({ type: 'heading', attrs: { level }, content: [t(text)] });
const li = (...content: unknown[]) => ({ type: 'listItem', content });
const ol = (...items: string[]) => ({
  type: 'orderedList',
  attrs: { order: 1 },
  content: items.map((i) => li(p(t(i)))),
});
const ul = (...items: string[]) => ({ type: 'bulletList', content: items.map((i) => li(p(t(i)))) });
const cell = (type: 'tableHeader' | 'tableCell', text: string) => ({
  type,
  attrs: {},
  content: text ? [p(t(text))] : [],
});
const row = (type: 'tableHeader' | 'tableCell', ...cells: string[]) => ({
  type: 'tableRow',
  content: cells.map((c) => cell(type, c)),
});
const doc = (...content: unknown[]) => ({ type: 'doc', version: 1, content });

describe('ADF descriptions', () => {
  it('reads headings in any case, ordered and bullet lists', () => {
    const { body, problems } = parseAdfDescription(
      doc(
        p(t('As a customer I want to pay an overdue invoice.')),
        h(3, 'PRECONDITIONS'),
        ul('A customer with an overdue invoice', 'The customer is logged in'),
        h(3, 'Steps:'),
        ol('Open the invoices page', 'Click "Pay now"'),
        h(2, 'Expected Results'),
        ul('The invoice is marked paid'),
      ),
    );
    expect(problems).toEqual([]);
    expect(body).toEqual({
      preconditions: ['A customer with an overdue invoice', 'The customer is logged in'],
      steps: [{ action: 'Open the invoices page' }, { action: 'Click "Pay now"' }],
      expectedResults: ['The invoice is marked paid'],
    });
  });

  it('reads a Step | Data | Expected table, whatever the column order and header synonyms', () => {
    const { body, problems } = parseAdfDescription(
      doc(h(3, 'Test steps'), {
        type: 'table',
        content: [
          row('tableHeader', '#', 'Expected result', 'Action', 'Test data'),
          row('tableCell', '1', 'Form shown', 'Open /signup', ''),
          row('tableCell', '2', 'Account created', 'Submit the form', 'email=ref:customers[0].email'),
        ],
      }),
    );
    expect(problems).toEqual([]);
    expect(body.steps).toEqual([
      { action: 'Open /signup', expected: 'Form shown' },
      { action: 'Submit the form', data: 'email=ref:customers[0].email', expected: 'Account created' },
    ]);
  });

  it('reads Given/When/Then paragraphs, hard breaks included', () => {
    const { body } = parseAdfDescription(
      doc(
        p(
          t('Given a customer with an overdue invoice'),
          { type: 'hardBreak' },
          t('And the customer is logged in'),
        ),
        p(t('When the customer pays the invoice')),
        p(t('Then the invoice is marked paid'), { type: 'hardBreak' }, t('And a receipt is emailed')),
        p(t('When the customer opens the invoice list')),
        p(t('Then no invoice is overdue')),
      ),
    );
    expect(body).toEqual({
      preconditions: ['a customer with an overdue invoice', 'the customer is logged in'],
      steps: [
        {
          action: 'the customer pays the invoice',
          expected: 'the invoice is marked paid\na receipt is emailed',
        },
        { action: 'the customer opens the invoice list', expected: 'no invoice is overdue' },
      ],
      expectedResults: [],
    });
  });

  it('reads bold paragraph headings with inline content and Data:/Expected: lines inside list items', () => {
    const { body } = parseAdfDescription(
      doc(
        p(t('Preconditions:', [{ type: 'strong' }]), t(' user exists')),
        p(t('Steps', [{ type: 'strong' }]), t(':')),
        {
          type: 'orderedList',
          content: [li(p(t('Log in')), p(t('Data: user A')), p(t('Expected: dashboard shown')))],
        },
        { type: 'codeBlock', attrs: { language: 'json' }, content: [t('{"amount": 10}')] },
      ),
    );
    expect(body.preconditions).toEqual(['user exists']);
    expect(body.steps).toEqual([
      { action: 'Log in', data: 'user A\n{"amount": 10}', expected: 'dashboard shown' },
    ]);
  });

  it('names the node path of malformed nodes and keeps what it can', () => {
    const { body, problems } = parseAdfDescription({
      type: 'doc',
      content: [
        h(3, 'Steps'),
        { type: 'orderedList', content: [li(p(t('ok step'))), 42, li(p({ type: 'text' }))] },
        'x',
      ],
    });
    expect(body.steps).toEqual([{ action: 'ok step' }]);
    expect(problems.map((q) => q.path)).toEqual([
      'description.content[1].content[1]',
      'description.content[1].content[2].content[0].content[0].text',
      'description.content[2]',
    ]);
  });

  it('does not put node text into problem messages', () => {
    const secret = 'alice@example.com';
    const { problems } = parseAdfDescription({
      type: 'doc',
      content: [
        h(3, 'Steps'),
        {
          type: 'table',
          content: [
            row('tableHeader', 'Who', 'What'),
            {
              type: 'tableRow',
              content: [cell('tableCell', secret), cell('tableCell', ''), cell('tableCell', secret)],
            },
          ],
        },
      ],
    });
    expect(problems.length).toBeGreaterThan(0);
    expect(JSON.stringify(problems)).not.toContain(secret);
  });
});

describe('wiki descriptions', () => {
  it('reads h3 headings, # lists and ||Step||Data||Expected|| tables', () => {
    const { body, problems } = parseWikiDescription(
      [
        'Story text with *bold* words.',
        '',
        'h3. Preconditions',
        '* A customer with an *overdue* invoice',
        '* Logged in as {{customer}}',
        '',
        'h3. Steps',
        '||Step||Data||Expected||',
        '|Open [invoices|https://shop.test/invoices]| |List shown|',
        '|Pay the invoice|amount\\|currency|Paid \\\\ receipt sent|',
        '',
        'h3. Expected result',
        '# Invoice paid',
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(body).toEqual({
      preconditions: ['A customer with an overdue invoice', 'Logged in as customer'],
      steps: [
        { action: 'Open invoices', expected: 'List shown' },
        { action: 'Pay the invoice', data: 'amount|currency', expected: 'Paid\nreceipt sent' },
      ],
      expectedResults: ['Invoice paid'],
    });
  });

  it('reads Gherkin lines and numbered steps with continuation lines', () => {
    const gherkin = parseWikiDescription(
      'Scenario: pay\nGiven a customer\nWhen she pays\nThen it is paid\nBut no mail is sent',
    );
    expect(gherkin.body).toEqual({
      preconditions: ['a customer'],
      steps: [{ action: 'she pays', expected: 'it is paid\nno mail is sent' }],
      expectedResults: [],
    });
    const steps = parseWikiDescription(
      '*Steps:*\n# Open page\n## sub step\nExpected: page shown\n# Click {code}save{code}',
    );
    expect(steps.body.steps).toEqual([
      { action: 'Open page\nsub step', expected: 'page shown' },
      { action: 'Click {code}save{code}' },
    ]);
  });

  it('names the line of an unclosed table row or code block', () => {
    const { problems } = parseWikiDescription('h3. Steps\n|a|b\n\n{code}\nx');
    expect(problems).toEqual([
      { path: 'description line 2', message: 'table row not closed with |' },
      {
        path: 'description line 2',
        message: 'steps table header names no Step/Data/Expected column; columns read by position',
      },
      { path: 'description line 4', message: 'code block not closed' },
    ]);
    const code = parseWikiDescription('h3. Steps\n# x\n{code}\nx');
    expect(code.problems.map((q) => q.path)).toEqual(['description line 3']);
    expect(code.body.steps).toEqual([{ action: 'x', data: 'x' }]);
  });

  it('keeps a lone backslash before an ordinary character', () => {
    expect(parseWikiDescription('h3. Preconditions\n* file C:\\temp exists').body.preconditions).toEqual([
      'file C:\\temp exists',
    ]);
  });
});

describe('Xray / Zephyr step fields', () => {
  it('reads Xray Cloud, Xray Server and Zephyr Scale shapes', () => {
    expect(parseStepField([{ action: 'Open', data: 'x', result: 'Shown' }], 'f')?.steps).toEqual([
      { action: 'Open', data: 'x', expected: 'Shown' },
    ]);
    expect(
      parseStepField(
        {
          steps: [
            { index: 2, fields: { Action: 'Second', Data: '', 'Expected Result': 'B' } },
            { index: 1, fields: { Action: 'First', Data: 'd', 'Expected Result': 'A' } },
          ],
        },
        'f',
      )?.steps,
    ).toEqual([
      { action: 'First', data: 'd', expected: 'A' },
      { action: 'Second', expected: 'B' },
    ]);
    expect(
      parseStepField(
        JSON.stringify([{ inline: { description: 'Do', testData: 't', expectedResult: 'Done' } }]),
        'f',
      )?.steps,
    ).toEqual([{ action: 'Do', data: 't', expected: 'Done' }]);
    expect(parseStepField([{ step: { type: 'doc', content: [p(t('ADF step'))] } }], 'f')?.steps).toEqual([
      { action: 'ADF step' },
    ]);
  });

  it('is undefined for values that are not step lists, and names skipped steps by index', () => {
    expect(parseStepField('plain text', 'f')).toBeUndefined();
    expect(parseStepField([{ value: 'option' }], 'f')).toBeUndefined();
    const r = parseStepField([{ action: 'a' }, 'x', { data: 'only data' }], 'customfield_1');
    expect(r?.problems.map((q) => q.path)).toEqual(['customfield_1[1]', 'customfield_1[2]']);
  });
});

describe('scenarioFromJiraIssue', () => {
  it('takes summary and labels from the issue and prefers a step field over description steps', () => {
    const s = scenarioFromJiraIssue(
      {
        id: '10001',
        key: 'SHOP-7',
        fields: {
          summary: ' Pay an overdue invoice ',
          labels: ['run-42', 'smoke'],
          description: doc(h(3, 'Preconditions'), ul('Customer exists'), h(3, 'Steps'), ol('prose step')),
          customfield_10040: [{ action: 'Structured step', result: 'ok' }],
          customfield_10001: 'not steps',
        },
      },
      { siteUrl: 'https://shop.atlassian.net/' },
    );
    expect(s).toMatchObject({
      id: 'SHOP-7',
      title: 'Pay an overdue invoice',
      labels: ['run-42', 'smoke'],
      preconditions: ['Customer exists'],
      steps: [{ action: 'Structured step', expected: 'ok' }],
      source: {
        kind: 'jira-step-field',
        location: 'SHOP-7',
        issueId: '10001',
        url: 'https://shop.atlassian.net/browse/SHOP-7',
      },
      problems: [],
    });
  });

  it('reads wiki text descriptions (REST v2, Data Center) and reports a scenario without steps', () => {
    const wiki = scenarioFromJiraIssue({
      key: 'A-1',
      fields: { summary: 'x', description: 'h3. Steps\n# one' },
    });
    expect(wiki.source.kind).toBe('jira-wiki');
    expect(wiki.steps).toEqual([{ action: 'one' }]);
    const empty = scenarioFromJiraIssue({ key: 'A-2', fields: { summary: 'x', description: null } });
    expect(empty.problems).toEqual([{ path: 'fields.description', message: 'no steps found' }]);
  });
});

describe('scenarios file', () => {
  const yaml = [
    'version: 1',
    'scenarios:',
    '  - id: PAY-1',
    '    title: Pay an overdue invoice',
    '    labels: [smoke]',
    '    preconditions: A customer with an overdue invoice',
    '    steps:',
    '      - Open the invoices page',
    '      - action: Pay',
    '        data: "ref: invoices.overdue"',
    '        expected: Paid',
    '    expectedResults: [Receipt sent]',
    '  - id: 2',
    '    title: From a description',
    '    description: |',
    '      h3. Steps',
    '      # Step from wiki',
  ].join('\n');

  it('reads YAML (and the same content as JSON) into scenarios', () => {
    const scenarios = parseScenariosFile(yaml, { file: 'scenarios.yaml' });
    expect(scenarios[0]).toMatchObject({
      id: 'PAY-1',
      labels: ['smoke'],
      preconditions: ['A customer with an overdue invoice'],
      steps: [
        { action: 'Open the invoices page' },
        { action: 'Pay', data: 'ref: invoices.overdue', expected: 'Paid' },
      ],
      expectedResults: ['Receipt sent'],
      source: { kind: 'file', location: 'scenarios.yaml', index: 0 },
    });
    expect(scenarios[1]?.steps).toEqual([{ action: 'Step from wiki' }]);
    const json = JSON.stringify({ scenarios: [{ id: 'J', title: 'T', steps: ['s'] }] });
    expect(parseScenariosFile(json, { file: 's.json' })[0]?.steps).toEqual([{ action: 's' }]);
  });

  it('names the path and line of every problem, never the value', () => {
    const bad = [
      'scenarios:',
      '  - id: A',
      '    title: ok',
      '    steps: [a]',
      '  - id: B',
      '    title: secret-title-value',
      '    steps:',
      '      - action: x',
      '        expected: 12345',
      '      - action: ""',
      '    extra: secret-extra-value',
      '  - id: A',
      '    title: dup',
      '    steps: [b]',
    ].join('\n');
    let error: unknown;
    try {
      parseScenariosFile(bad, { file: 'bad.yaml' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenariosFileError);
    const problems = (error as ScenariosFileError).problems;
    expect(problems.map((q) => [q.path, q.line])).toEqual([
      ['scenarios[1].steps[0].expected', 9],
      ['scenarios[1].steps[1].action', 10],
      ['scenarios[1]', 5],
    ]);
    expect((error as Error).message).toContain(
      'bad.yaml: line 9: scenarios[1].steps[0].expected: expected text',
    );
    expect((error as Error).message).toContain('unknown field "extra"');
    expect((error as Error).message).not.toMatch(/secret|12345/);
    // Duplicate ids are found once the structure is valid.
    expect(() =>
      parseScenariosFile(
        bad
          .split('\n')
          .filter((l, i) => i < 4 || i > 10)
          .join('\n'),
        { file: 'd.yaml' },
      ),
    ).toThrow('line 5: scenarios[1].id: same id as scenarios[0]');
  });

  it('reports YAML syntax errors by line without quoting the text', () => {
    expect(() => parseScenariosFile('scenarios:\n  - id: [unclosed secret', { file: 'x.yaml' })).toThrow(
      /x\.yaml: line \d+: not valid YAML/,
    );
    expect(() => parseScenariosFile('scenarios:\n  - id: [unclosed secret', { file: 'x.yaml' })).not.toThrow(
      /secret/,
    );
  });
});
