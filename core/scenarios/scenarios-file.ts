/**
 * The offline scenario source: a YAML or JSON file listing scenarios in the model's own shape.
 * Every problem is reported by its path in the file (`scenarios[2].steps[0].expected`) and line,
 * never by the value found there.
 */
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { DataError } from '../errors.js';
import { parseWikiDescription } from './wiki-description.js';
import { normalizeScenarioText, ScenarioSourceKind, type Scenario, type ScenarioStep } from './scenario.js';

const text = z.string().trim().min(1);
const textList = z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(text));

const stepSchema = z.preprocess(
  (v) => (typeof v === 'string' ? { action: v } : v),
  z.strictObject({
    action: text,
    data: z.string().optional(),
    expected: z.string().optional(),
  }),
);

const scenarioSchema = z.strictObject({
  id: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), text),
  title: text,
  labels: z.array(text).optional(),
  preconditions: textList.optional(),
  steps: z.array(stepSchema).optional(),
  expectedResults: textList.optional(),
  /** Wiki text read like a Jira description when `steps` is absent. */
  description: z.string().optional(),
});

const fileSchema = z.strictObject({
  version: z.literal(1).optional(),
  scenarios: z.array(scenarioSchema).min(1),
});

/** One problem of a scenarios file. */
export interface ScenariosFileProblem {
  /** Path in the file, e.g. `scenarios[2].steps[0].expected`. */
  path: string;
  /** 1-based line, when the file's structure locates it. */
  line?: number;
  message: string;
}

/** A scenarios file that cannot be used; `problems` lists every fault found. */
export class ScenariosFileError extends DataError {
  /** Every problem, in file order. */
  readonly problems: readonly ScenariosFileProblem[];
  constructor(file: string, problems: readonly ScenariosFileProblem[]) {
    const first = problems[0];
    const describe = (p: ScenariosFileProblem): string =>
      `${p.line !== undefined ? `line ${p.line}: ` : ''}${p.path ? `${p.path}: ` : ''}${p.message}`;
    const more = problems.length > 1 ? `; ${problems.slice(1).map(describe).join('; ')}` : '';
    super(`${first ? describe(first) : 'invalid scenarios file'}${more}`, { file });
    this.problems = problems;
  }
}

/** Options of {@link parseScenariosFile}. */
export interface ScenariosFileOptions {
  /** Name used in errors and in each scenario's source. */
  file: string;
}

/** Parses a YAML or JSON scenarios file into scenarios, throwing {@link ScenariosFileError} when invalid. */
export function parseScenariosFile(content: string, options: ScenariosFileOptions): Scenario[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(content, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ScenariosFileError(
      options.file,
      doc.errors.map((e) => ({
        path: '',
        ...(e.linePos?.[0] ? { line: e.linePos[0].line } : {}),
        // The parser's own message may quote the text; its code says enough.
        message: `not valid YAML/JSON (${e.code.toLowerCase().replaceAll('_', ' ')})`,
      })),
    );
  }
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    const keys = path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    for (let n = keys.length; n >= 0; n--) {
      const node = doc.getIn(keys.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  // The input is reported only to tell a missing field from a wrong one; messages never show it.
  const result = fileSchema.safeParse(doc.toJS({ maxAliasCount: 1000 }), { reportInput: true });
  if (!result.success) {
    throw new ScenariosFileError(
      options.file,
      result.error.issues.map((issue) => {
        const line = lineOf(issue.path);
        return {
          path: formatPath(issue.path),
          ...(line !== undefined ? { line } : {}),
          message: describeIssue(issue),
        };
      }),
    );
  }

  const problems: ScenariosFileProblem[] = [];
  const seen = new Map<string, number>();
  const scenarios = result.data.scenarios.map((s, index): Scenario => {
    const at = `scenarios[${index}]`;
    const previous = seen.get(s.id);
    if (previous !== undefined) {
      const line = lineOf(['scenarios', index, 'id']);
      problems.push({
        path: `${at}.id`,
        ...(line !== undefined ? { line } : {}),
        message: `same id as scenarios[${previous}]`,
      });
    }
    seen.set(s.id, index);
    const fromDescription =
      s.description !== undefined ? parseWikiDescription(s.description, `${at}.description`) : undefined;
    const steps: ScenarioStep[] =
      s.steps?.map((step) => {
        const data = step.data === undefined ? '' : normalizeScenarioText(step.data);
        const expected = step.expected === undefined ? '' : normalizeScenarioText(step.expected);
        return {
          action: normalizeScenarioText(step.action),
          ...(data ? { data } : {}),
          ...(expected ? { expected } : {}),
        };
      }) ??
      fromDescription?.body.steps ??
      [];
    if (steps.length === 0) {
      const line = lineOf(['scenarios', index]);
      problems.push({
        path: `${at}.steps`,
        ...(line !== undefined ? { line } : {}),
        message: 'no steps (give steps, or a description with steps)',
      });
    }
    const list = (items: string[] | undefined, fallback: string[] | undefined): string[] =>
      items?.map(normalizeScenarioText) ?? fallback ?? [];
    return {
      id: s.id,
      title: s.title,
      labels: s.labels ?? [],
      preconditions: list(s.preconditions, fromDescription?.body.preconditions),
      steps,
      expectedResults: list(s.expectedResults, fromDescription?.body.expectedResults),
      source: { kind: ScenarioSourceKind.file, location: options.file, index },
      problems: fromDescription?.problems ?? [],
    };
  });
  if (problems.length > 0) throw new ScenariosFileError(options.file, problems);
  return scenarios;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out.length === 0 ? String(part) : `.${String(part)}`;
  }
  return out;
}

// Our own wording: zod's messages are value-free today, but nothing promises they stay so.
function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return 'input' in issue && issue.input === undefined
        ? 'required'
        : `expected ${issue.expected === 'string' ? 'text' : issue.expected}`;
    case 'too_small':
      return issue.origin === 'string'
        ? 'must not be empty'
        : `needs at least ${String(issue.minimum)} item(s)`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_value':
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
    default:
      return 'invalid value';
  }
}
