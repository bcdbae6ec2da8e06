/**
 * `{alias.column}` placeholders replaced by the chosen records' values. How a value is written
 * depends on where it goes: as is in text, percent-encoded in URLs, JSON-encoded in request
 * bodies (a string inside a JSON string is escaped, a bare placeholder becomes a JSON literal), and
 * with its own type where a step compares values (`Response field id equals {customer.id}`).
 */
import { columnKeyOf } from './conditions.js';
import { PLACEHOLDER_PATTERN } from './phrase-text.js';
import type { DataFilter, DataReference, RecordValue, StepShape } from './types.js';

/** How a substituted value is written. */
export type SubstitutionMode = 'text' | 'url' | 'json';

/** A placeholder that could not be replaced, by alias and column (names, never values). */
export interface PlaceholderProblem {
  alias: string;
  column: string;
  message: string;
}

/** The placeholders in a text, in order. */
export function findPlaceholders(text: string): { alias: string; column: string }[] {
  return [...text.matchAll(new RegExp(PLACEHOLDER_PATTERN.source, 'g'))].map((m) => ({
    alias: m[1] ?? '',
    column: (m[2] ?? '').trim(),
  }));
}

/** The value a placeholder stands for, or a problem saying why there is none. */
export function lookupPlaceholder(
  alias: string,
  column: string,
  references: readonly DataReference[],
): { value: RecordValue } | { problem: PlaceholderProblem } {
  const reference =
    references.find((r) => r.alias === alias) ??
    references.find((r) => r.alias.toLowerCase() === alias.toLowerCase());
  if (!reference) {
    return { problem: { alias, column, message: `{${alias}.${column}} names no data reference ${alias}` } };
  }
  if (reference.unresolved !== undefined || reference.record === undefined) {
    return {
      problem: {
        alias,
        column,
        message: `{${alias}.${column}} uses data reference ${alias}, which has no record`,
      },
    };
  }
  const record = reference.record;
  if (Object.hasOwn(record, column)) return { value: record[column] ?? null };
  const key = columnKeyOf(column);
  const found = Object.keys(record).find((k) => columnKeyOf(k) === key);
  if (found === undefined) {
    return {
      problem: {
        alias,
        column,
        message: `{${alias}.${column}} names no column of ${alias}'s record (table ${reference.table})`,
      },
    };
  }
  return { value: record[found] ?? null };
}

/** A record value as text: numbers and booleans as written by String, null as the empty string. */
export function valueText(value: RecordValue): string {
  return value === null ? '' : String(value);
}

/** Replaces every placeholder in `text`, writing values as `mode` wants; unknown ones are reported and left as written. */
export function substitutePlaceholders(
  text: string,
  references: readonly DataReference[],
  mode: SubstitutionMode = 'text',
): { text: string; problems: PlaceholderProblem[] } {
  const problems: PlaceholderProblem[] = [];
  const re = new RegExp(PLACEHOLDER_PATTERN.source, 'g');
  let out = '';
  let last = 0;
  for (const m of text.matchAll(re)) {
    const alias = m[1] ?? '';
    const column = (m[2] ?? '').trim();
    out += text.slice(last, m.index);
    last = m.index + m[0].length;
    const found = lookupPlaceholder(alias, column, references);
    if ('problem' in found) {
      problems.push(found.problem);
      out += m[0];
      continue;
    }
    if (mode === 'url') out += encodeURIComponent(replaceLoneSurrogates(valueText(found.value)));
    else if (mode === 'json')
      out += insideJsonString(text, m.index)
        ? JSON.stringify(valueText(found.value)).slice(1, -1)
        : JSON.stringify(found.value);
    else out += valueText(found.value);
  }
  out += text.slice(last);
  return { text: out, problems };
}

// encodeURIComponent throws on an unpaired surrogate; such a value is sent as U+FFFD instead.
function replaceLoneSurrogates(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** True when position `at` of a JSON(-like) text lies inside a string literal. */
function insideJsonString(text: string, at: number): boolean {
  let inside = false;
  for (let i = 0; i < at; i++) {
    const c = text[i];
    if (inside && c === '\\') {
      i++;
      continue;
    }
    if (c === '"') inside = !inside;
  }
  return inside;
}

/**
 * A compared value: a whole placeholder takes the record value with its type; a text with
 * placeholders inside gets them replaced as text; anything else is kept.
 */
export function substituteValue(
  value: RecordValue | undefined,
  references: readonly DataReference[],
): { value: RecordValue | undefined; problems: PlaceholderProblem[] } {
  if (typeof value !== 'string') return { value, problems: [] };
  const whole = new RegExp(`^\\s*${PLACEHOLDER_PATTERN.source}\\s*$`).exec(value);
  if (whole) {
    const found = lookupPlaceholder(whole[1] ?? '', (whole[2] ?? '').trim(), references);
    return 'problem' in found ? { value, problems: [found.problem] } : { value: found.value, problems: [] };
  }
  const replaced = substitutePlaceholders(value, references, 'text');
  return { value: replaced.text, problems: replaced.problems };
}

/** A step with every placeholder replaced (see {@link SubstitutionMode} for how each field is written). */
export function substituteStep(
  step: StepShape,
  references: readonly DataReference[],
): { step: StepShape; problems: PlaceholderProblem[] } {
  const problems: PlaceholderProblem[] = [];
  const text = (value: string, mode: SubstitutionMode = 'text'): string => {
    const r = substitutePlaceholders(value, references, mode);
    problems.push(...r.problems);
    return r.text;
  };
  const compared = (value: RecordValue | undefined): RecordValue | undefined => {
    const r = substituteValue(value, references);
    problems.push(...r.problems);
    return r.value;
  };
  switch (step.kind) {
    case 'open':
      return { step: { ...step, path: text(step.path, 'url') }, problems };
    case 'fill':
      return { step: { ...step, field: text(step.field), value: text(step.value) }, problems };
    case 'click':
      return { step: { ...step, target: text(step.target) }, problems };
    case 'expectText':
      return { step: { ...step, text: text(step.text) }, problems };
    case 'call': {
      const next: StepShape = { ...step, path: text(step.path, 'url') };
      if (step.body !== undefined) next.body = text(step.body, 'json');
      return { step: next, problems };
    }
    case 'expectBody':
      return { step: { ...step, contains: text(step.contains) }, problems };
    case 'expectJson':
      return { step: { ...step, path: text(step.path), equals: compared(step.equals) ?? null }, problems };
    case 'query': {
      const filters: DataFilter[] = step.filters.map((f) => {
        const value = compared(f.value);
        if (value === null && f.op === 'eq') return { column: f.column, op: 'is_null' };
        if (value === null && f.op === 'ne') return { column: f.column, op: 'not_null' };
        return value === undefined ? { column: f.column, op: f.op } : { column: f.column, op: f.op, value };
      });
      return { step: { ...step, table: text(step.table), filters }, problems };
    }
    default:
      return { step, problems };
  }
}

/** True when a step (before substitution) has a placeholder in any of its fields. */
export function stepHasPlaceholders(step: StepShape): boolean {
  return findPlaceholders(JSON.stringify(step)).length > 0;
}
