/**
 * Reads test steps from an Xray- or Zephyr-style custom field: an array (or `{steps: [...]}`, or
 * that as a JSON string) of objects carrying an action, data and an expected result under any of
 * the names those tools use (`action`/`step`/`description`, `data`/`testData`,
 * `result`/`expectedResult`), directly or nested under `fields` or `inline`; values may be plain
 * text or ADF.
 */
import { extractAdfText } from './adf-description.js';
import { normalizeScenarioText, type ScenarioProblem, type ScenarioStep } from './scenario.js';

const ACTION_KEYS = ['action', 'step', 'description', 'teststep', 'stepdescription'];
const DATA_KEYS = ['data', 'testdata', 'input'];
const EXPECTED_KEYS = ['result', 'expectedresult', 'expected', 'expectedresults', 'expectedoutcome'];
const ORDER_KEYS = ['index', 'order', 'orderid', 'ordinal', 'position'];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Steps read from a step field, with what was skipped. */
export interface StepFieldResult {
  steps: ScenarioStep[];
  problems: ScenarioProblem[];
}

/** Parses a step field's value, or returns undefined when the value is not a list of steps at all. */
export function parseStepField(value: unknown, path: string): StepFieldResult | undefined {
  const list = stepList(value);
  if (!list || list.length === 0) return undefined;
  if (!list.some((item) => isObject(item) && pick(flatten(item), ACTION_KEYS) !== undefined))
    return undefined;
  const problems: ScenarioProblem[] = [];
  const entries: { order: number; step: ScenarioStep }[] = [];
  list.forEach((item, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(item)) {
      problems.push({ path: at, message: 'step is not an object; skipped' });
      return;
    }
    const fields = flatten(item);
    const action = text(pick(fields, ACTION_KEYS), `${at}.action`, problems);
    if (action.length === 0) {
      problems.push({ path: at, message: 'step has no action; skipped' });
      return;
    }
    const data = text(pick(fields, DATA_KEYS), `${at}.data`, problems);
    const expected = text(pick(fields, EXPECTED_KEYS), `${at}.expected`, problems);
    const orderValue = pick(fields, ORDER_KEYS);
    const order = typeof orderValue === 'number' && Number.isFinite(orderValue) ? orderValue : i;
    entries.push({
      order,
      step: { action, ...(data ? { data } : {}), ...(expected ? { expected } : {}) },
    });
  });
  // Stable sort: tools that number their steps are honoured, ties keep the field's order.
  entries.sort((a, b) => a.order - b.order);
  return { steps: entries.map((e) => e.step), problems };
}

function stepList(value: unknown): unknown[] | undefined {
  let v = value;
  if (typeof v === 'string') {
    const t = v.trim();
    if (!t.startsWith('[') && !t.startsWith('{')) return undefined;
    try {
      v = JSON.parse(t) as unknown;
    } catch {
      return undefined;
    }
  }
  if (Array.isArray(v)) return v;
  if (isObject(v)) {
    const steps = v.steps ?? v.testSteps;
    if (Array.isArray(steps)) return steps;
  }
  return undefined;
}

/** The step's own keys plus those nested under `fields`/`inline`, by lowercase letters-only name. */
function flatten(item: Json): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const add = (obj: Json): void => {
    for (const [k, v] of Object.entries(obj)) {
      const key = k.toLowerCase().replace(/[^a-z]/g, '');
      if (!out.has(key)) out.set(key, v);
    }
  };
  for (const nested of [item.fields, item.inline]) if (isObject(nested)) add(nested);
  add(item);
  return out;
}

function pick(fields: Map<string, unknown>, keys: readonly string[]): unknown {
  for (const k of keys) {
    const v = fields.get(k);
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

function text(value: unknown, path: string, problems: ScenarioProblem[]): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return normalizeScenarioText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isObject(value) && typeof value.raw === 'string') return normalizeScenarioText(value.raw);
  if (isObject(value) && value.type === 'doc')
    return normalizeScenarioText(extractAdfText(value, path, problems));
  problems.push({ path, message: 'value is neither text nor an ADF document; ignored' });
  return '';
}
