/**
 * Reads Robot Framework's output.xml (schema 5, Robot 7): per file one verdict, its duration, the first
 * failure message, the step that failed (a top-level GROUP's name, else the keyword with its arguments
 * as written) and the screenshot SeleniumLibrary captured on failure.
 */
import { XMLParser } from 'fast-xml-parser';
import type { TestOutcome } from '../../core/testing/types.js';

/** What output.xml says about the tests of one file. */
export interface RobotVerdict {
  outcome: TestOutcome;
  durationMs: number;
  message?: string;
  failedStep?: string;
  /** Screenshot file name as SeleniumLibrary linked it (relative to the output directory). */
  screenshot?: string;
  testCount: number;
}

type XmlNode = Record<string, unknown>;

/**
 * Failures that mean the test itself is broken (a keyword, library or variable that does not exist),
 * not that the system under test misbehaved: these are `error`, like a Playwright file that does not compile.
 */
const BROKEN_TEST = [
  /^No keyword with name '.*' found/,
  /^Importing (?:library|resource|variable file) '.*' failed/i,
  /^Variable '.*' not found/,
  /^Resource file '.*' does not exist/,
  /^Keyword '.*' expected \d+.* arguments?, got \d+/,
];

/** Body elements of a test that are steps (everything but metadata and messages). */
const STEP_TAGS = ['kw', 'group', 'for', 'while', 'if', 'try', 'var', 'return', 'break', 'continue', 'error'];

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
  // Every element as a list, so that one child and many read the same way.
  isArray: (_name, _jpath, _isLeaf, isAttribute) => !isAttribute,
});

/** Parses output.xml; throws when it is not Robot output. */
export function readRobotOutput(xml: string): RobotVerdict {
  const doc = parser.parse(xml) as XmlNode;
  const robot = first(doc.robot);
  if (!robot) throw new Error('not a Robot Framework output file');
  const tests = collectTests(list(robot.suite));
  if (tests.length === 0) {
    const errors = list(first(robot.errors)?.msg)
      .map(text)
      .filter((t) => t.length > 0);
    return {
      outcome: 'error',
      durationMs: 0,
      message: errors[0] ?? 'Robot Framework found no test in the file',
      testCount: 0,
    };
  }
  let durationMs = 0;
  let failed: XmlNode | undefined;
  let allSkipped = true;
  for (const test of tests) {
    const status = first(test.status);
    durationMs += elapsedMs(status);
    const verdict = attr(status, 'status');
    if (verdict !== 'SKIP' && verdict !== 'NOT RUN') allSkipped = false;
    if (verdict === 'FAIL' && !failed) failed = test;
  }
  durationMs = Math.round(durationMs);
  if (failed) {
    const message = text(first(failed.status));
    const step = failingStep(failed);
    const screenshot = findScreenshot(failed);
    return {
      outcome: BROKEN_TEST.some((re) => re.test(message)) ? 'error' : 'failed',
      durationMs,
      ...(message ? { message } : {}),
      ...(step ? { failedStep: step } : {}),
      ...(screenshot ? { screenshot } : {}),
      testCount: tests.length,
    };
  }
  if (allSkipped) {
    const message = text(first(tests[0]?.status));
    return {
      outcome: 'skipped',
      durationMs,
      message: message || 'every test was skipped',
      testCount: tests.length,
    };
  }
  return { outcome: 'passed', durationMs, testCount: tests.length };
}

function collectTests(suites: XmlNode[]): XmlNode[] {
  const out: XmlNode[] = [];
  for (const suite of suites) {
    out.push(...list(suite.test));
    out.push(...collectTests(list(suite.suite)));
  }
  return out;
}

/** The first failing top-level step in execution order; setup and teardown only when nothing else failed. */
function failingStep(test: XmlNode): string | undefined {
  const steps = STEP_TAGS.flatMap((tag) => list(test[tag]).map((node) => ({ tag, node })))
    .filter(({ node }) => attr(first(node.status), 'status') === 'FAIL')
    .sort((a, b) => startOf(a.node).localeCompare(startOf(b.node)));
  const body = steps.find(({ node }) => attr(node, 'type') === undefined);
  const chosen = body ?? steps[0];
  if (!chosen) return undefined;
  const name = attr(chosen.node, 'name');
  if (chosen.tag === 'group') return name;
  if (chosen.tag !== 'kw' || name === undefined) return name ?? chosen.tag.toUpperCase();
  const args = list(chosen.node.arg).map(text);
  return [name, ...args].join('    ');
}

/** The screenshot SeleniumLibrary linked from a failure message (`<img src="selenium-screenshot-1.png">`). */
function findScreenshot(node: XmlNode): string | undefined {
  for (const msg of list(node.msg)) {
    const m = /<img\s+src="([^"]+\.png)"/i.exec(text(msg));
    if (m?.[1] && !m[1].includes('/') && !m[1].startsWith('.')) return m[1];
  }
  for (const tag of STEP_TAGS)
    for (const child of list(node[tag])) {
      const found = findScreenshot(child);
      if (found) return found;
    }
  for (const tag of ['branch', 'iter'])
    for (const child of list(node[tag])) {
      const found = findScreenshot(child);
      if (found) return found;
    }
  return undefined;
}

function startOf(node: XmlNode): string {
  return attr(first(node.status), 'start') ?? '';
}

function elapsedMs(status: XmlNode | undefined): number {
  const elapsed = Number(attr(status, 'elapsed'));
  return Number.isFinite(elapsed) ? elapsed * 1000 : 0;
}

function list(value: unknown): XmlNode[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((v) =>
    typeof v === 'object' && v !== null ? (v as XmlNode) : { '#text': String(v) },
  );
}

function first(value: unknown): XmlNode | undefined {
  return list(value)[0];
}

function attr(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.[`@_${name}`];
  return value === undefined ? undefined : String(value);
}

function text(node: XmlNode | undefined): string {
  const value = node?.['#text'];
  return value === undefined ? '' : String(value).trim();
}
