import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderRunPage, runPageTitle, type RunPageInput } from '../../core/testing/run-page.js';
import type { TestResult } from '../../core/testing/types.js';
import { SEED_PAGES } from '../servers/confluence-seed.js';
import { validateStorageXhtml } from '../servers/confluence-server.js';

function result(
  partial: Partial<TestResult> & Pick<TestResult, 'scenarioId' | 'framework' | 'outcome'>,
): TestResult {
  return { testId: `${partial.scenarioId}--${partial.framework}`, durationMs: 1200, ...partial };
}

const BASE: RunPageInput = {
  runId: 'run-42',
  runName: 'Release 7',
  links: [
    { title: 'Run report', url: 'https://artifacts.example/run-42/report.html' },
    { title: 'Temporal UI', url: 'http://localhost:8233/namespaces/default/workflows/run-42' },
  ],
  quality: { score: 0.9234, exactCopies: 0, rowsChecked: 5000 },
  privacy: { exactCopyRate: 0.0012, leaks: 0, leakRowsScanned: 5000, gate: { passed: true, failures: [] } },
  loads: [
    { target: 'postgres', rows: 5000, loaded: 4990, skipped: 10, failed: 0, durationMs: 2300 },
    { target: 'crm', rows: 0, error: 'HTTP 503 from the target' },
  ],
  scenarios: [
    { id: 'SHOP-1', title: 'Pay an overdue invoice', url: 'https://jira.example/browse/SHOP-1' },
    { id: 'SHOP-2', title: 'Search customers', url: 'https://jira.example/browse/SHOP-2' },
    { id: 'file-3', title: 'Export orders' },
  ],
  results: [
    result({ scenarioId: 'SHOP-2', framework: 'api', outcome: 'passed', durationMs: 300 }),
    result({
      scenarioId: 'SHOP-1',
      framework: 'playwright',
      outcome: 'failed',
      durationMs: 65_400,
      failedStep: 'Click "Pay"',
    }),
    result({ scenarioId: 'SHOP-1', framework: 'robot', outcome: 'error', durationMs: 50 }),
    result({ scenarioId: 'file-3', framework: 'api', outcome: 'skipped', durationMs: 0 }),
  ],
  bugs: [{ testId: 'SHOP-1--playwright', key: 'SHOP-99', url: 'https://jira.example/browse/SHOP-99' }],
};

/** Text of the table rows (tags dropped), for order and content checks. */
function rows(storage: string): string[] {
  return [...storage.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) =>
    (m[1] ?? '')
      .replace(/<ac:parameter ac:name="colour">[^<]*<\/ac:parameter>/g, '')
      .replace(/<\/t[dh]>/g, ' | ')
      .replace(/<[^>]+>/g, '')
      .trim(),
  );
}

describe('renderRunPage', () => {
  it('renders summary, loads and the results table as well-formed storage XHTML', () => {
    const page = renderRunPage(BASE);
    expect(validateStorageXhtml(page)).toBeUndefined();
    expect(page).toContain('<strong>Run</strong> Release 7 (<code>run-42</code>)');
    expect(page).toContain('<a href="https://artifacts.example/run-42/report.html">Run report</a>');
    const all = rows(page);
    expect(all).toContain('Quality score | 92.3% |');
    expect(all).toContain('Exact copies of sample rows | 0 of 5000 |');
    expect(all).toContain('Privacy gate | PASSED |');
    expect(all).toContain('NewRowSynthesis match rate | 0.12% |');
    expect(all).toContain('Sensitive-value leaks | 0 in 5000 rows scanned |');
    expect(all).toContain('postgres | 4990 | 10 | 0 | 2.3 s | LOADED |');
    expect(all).toContain('crm | 0 |  |  |  | FAILED HTTP 503 from the target |');
    // Results follow the scenarios' order, each scenario's tests in the order they came.
    const results = all.slice(
      all.indexOf('Scenario | Framework | Outcome | Duration | Failed step | Bug |') + 1,
    );
    expect(results).toEqual([
      'SHOP-1: Pay an overdue invoice | playwright | FAILED | 1 min 5 s | Click &quot;Pay&quot; | SHOP-99 |',
      'SHOP-1: Pay an overdue invoice | robot | ERROR | 50 ms |  |  |',
      'SHOP-2: Search customers | api | PASSED | 300 ms |  |  |',
      'file-3: Export orders | api | SKIPPED | 0 ms |  |  |',
    ]);
    expect(page).toContain('<a href="https://jira.example/browse/SHOP-1">SHOP-1: Pay an overdue invoice</a>');
    expect(page).toContain('<a href="https://jira.example/browse/SHOP-99">SHOP-99</a>');
    expect(page).toContain(
      'Totals:</strong> 4 test(s) over 3 scenario(s): 1 passed, 1 failed, 1 error, 1 skipped; 1 min 6 s of test time.',
    );
  });

  it('shows outcomes as status macros with their colours', () => {
    const page = renderRunPage(BASE);
    const macros = [
      ...page.matchAll(/"colour">(\w+)<\/ac:parameter><ac:parameter ac:name="title">(\w+)</g),
    ].map((m) => `${m[2]}:${m[1]}`);
    expect(macros).toEqual([
      'PASSED:Green',
      'LOADED:Green',
      'FAILED:Red',
      'FAILED:Red',
      'ERROR:Yellow',
      'PASSED:Green',
      'SKIPPED:Grey',
    ]);
  });

  it('names a blocked privacy gate with its failed thresholds', () => {
    const page = renderRunPage({
      ...BASE,
      privacy: { gate: { passed: false, failures: [{ metric: 'maxLeaks', value: 2, threshold: 0 }] } },
    });
    expect(rows(page)).toContain('Privacy gate | BLOCKED maxLeaks: measured 2, threshold 0 |');
  });

  it('says so when nothing ran and no figures were given', () => {
    const page = renderRunPage({ runId: 'r', scenarios: [], results: [] });
    expect(validateStorageXhtml(page)).toBeUndefined();
    expect(page).toContain('No quality or privacy figures for this run.');
    expect(page).toContain('No tests ran in this run.');
    expect(page).not.toContain('Data loads');
  });

  it('escapes hostile titles, steps, names and links', () => {
    const hostile = `<script>alert('x')</script> & ]]> "q" <ac:structured-macro ac:name="html">\u0001\uD800`;
    const page = renderRunPage({
      ...BASE,
      runId: hostile,
      runName: hostile,
      links: [
        { title: hostile, url: 'javascript:alert(1)' },
        { title: 'ok', url: `https://x.example/?q="><script>` },
      ],
      loads: [{ target: hostile, rows: 1, error: hostile }],
      scenarios: [{ id: 'SHOP-1', title: hostile, url: 'javascript:alert(1)' }],
      results: [result({ scenarioId: 'SHOP-1', framework: 'api', outcome: 'failed', failedStep: hostile })],
      bugs: [{ testId: 'SHOP-1--api', key: hostile, url: 'data:text/html,x' }],
    });
    expect(validateStorageXhtml(page)).toBeUndefined();
    expect(page).not.toContain('<script');
    expect(page).not.toContain('javascript:');
    expect(page).not.toContain('data:text');
    expect(page).not.toContain('ac:name="html"');
    expect(page).toContain('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; ]]&gt; &quot;q&quot;');
    // The one safe URL is kept, its quote and angle brackets escaped by URL encoding.
    expect(page).toContain('<a href="https://x.example/?q=%22%3E%3Cscript%3E">ok</a>');
  });

  it('is well-formed whatever text it is given (property)', () => {
    const anyText = fc.string({ unit: 'binary', maxLength: 40 });
    fc.assert(
      fc.property(anyText, anyText, anyText, anyText, fc.webUrl(), (title, step, name, target, url) => {
        const page = renderRunPage({
          runId: name,
          runName: title,
          links: [{ title, url }],
          loads: [{ target, rows: 3, loaded: 3, durationMs: 10, ...(step ? { error: step } : {}) }],
          scenarios: [{ id: 'S-1', title, url }],
          results: [result({ scenarioId: 'S-1', framework: 'robot', outcome: 'failed', failedStep: step })],
          bugs: [{ testId: 'S-1--robot', key: name, url }],
        });
        expect(validateStorageXhtml(page)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('is the same for the same input (a retried publish sees no change)', () => {
    expect(renderRunPage(structuredClone(BASE))).toBe(renderRunPage(BASE));
  });
});

describe('runPageTitle', () => {
  it('names the run and keeps its id, within 255 characters', () => {
    expect(runPageTitle({ runId: 'run-42', runName: 'Release 7' })).toBe('Understudy run Release 7 (run-42)');
    expect(runPageTitle({ runId: 'run-42' })).toBe('Understudy run run-42');
    const long = runPageTitle({ runId: 'run-43', runName: 'x'.repeat(400) });
    expect(long).toHaveLength(255);
    expect(long.endsWith(' (run-43)')).toBe(true);
    expect(runPageTitle({ runId: 'a\u0000b', runName: ' two\n lines ' })).toBe(
      'Understudy run two lines (ab)',
    );
  });
});

describe('validateStorageXhtml (the local Confluence check the page must pass)', () => {
  it('accepts the seed pages as Confluence stores them', () => {
    for (const page of SEED_PAGES) expect(validateStorageXhtml(page.storage), page.title).toBeUndefined();
  });

  it.each([
    ['<p><b>x</p></b>', 'Unexpected close tag </p>; expected </b> at offset 7'],
    ['<p>a & b</p>', "Unescaped '&' at offset 5"],
    ['<p>a &foo; b</p>', "Undeclared entity 'foo' at offset 5"],
    ['<p class=x>a</p>', "Attribute 'class' in <p> is not quoted at offset 9"],
    ['<p>a<br></p>', 'Unexpected close tag </p>; expected </br> at offset 8'],
    ['<p>open', 'Unclosed tag <p> at the end of the body'],
    ['<p>1 < 2</p>', "Unescaped '<' at offset 6"],
    [
      '<ac:structured-macro><ac:parameter>x</ac:parameter></ac:structured-macro>',
      '<ac:structured-macro> needs an ac:name attribute at offset 21',
    ],
    ['<p a="1" a="2">x</p>', "Duplicate attribute 'a' in <p> at offset 9"],
    ['<p>&#1;</p>', 'Character reference to an invalid character at offset 3'],
  ])('refuses %s', (storage, reason) => {
    expect(validateStorageXhtml(storage)).toBe(reason);
  });

  it('accepts entities, CDATA, comments and self-closed tags', () => {
    expect(
      validateStorageXhtml(
        '<p>a&nbsp;&amp;&#233;&#x1F600;<br/><br /></p><!-- note --><ac:plain-text-body><![CDATA[x < y & z]]></ac:plain-text-body>',
      ),
    ).toBeUndefined();
  });
});
