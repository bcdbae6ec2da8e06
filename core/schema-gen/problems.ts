/**
 * Problems found in a schema config. Validation collects every problem before reporting, so a user
 * fixes a config in one pass instead of one error per run.
 */
import { ConfigError } from '../errors.js';

/** One problem: the dotted path of the field at fault (tables and columns by name) and what is wrong. */
export interface SchemaProblem {
  /** e.g. `tables.orders.columns.amount.rule.min`; empty for the document itself. */
  path: string;
  /** What is wrong, naming no data values. */
  message: string;
  /** Keys and indexes from the document root, for tools that map a problem back to a line. */
  rawPath: (string | number)[];
}

/** A config with one or more problems; `problems` lists them all, in document order where known. */
export class SchemaConfigError extends ConfigError {
  /** Every problem found. */
  readonly problems: readonly SchemaProblem[];
  constructor(problems: readonly SchemaProblem[]) {
    const first = problems[0];
    const more =
      problems.length > 1
        ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})`
        : '';
    super(`${first?.message ?? 'invalid schema config'}${more}`, first?.path || undefined);
    this.problems = problems;
  }
}

/** Collects problems while validating; paths render tables and columns by name where the document names them. */
export class ProblemList {
  readonly items: SchemaProblem[] = [];
  constructor(readonly root: unknown) {}

  /** The rendered path of `rawPath` (as a problem at it would show it). */
  pathOf(rawPath: readonly (string | number)[]): string {
    return formatConfigPath(this.root, resolveRawPath(this.root, rawPath));
  }

  /** Records a problem at `rawPath` (canonical keys are mapped back to the spelling the document used). */
  add(rawPath: readonly (string | number)[], message: string): void {
    const resolved = resolveRawPath(this.root, rawPath);
    this.items.push({ path: formatConfigPath(this.root, resolved), message, rawPath: resolved });
  }

  /** Throws a {@link SchemaConfigError} if any problem was recorded. */
  throwIfAny(): void {
    if (this.items.length > 0) throw new SchemaConfigError(this.items);
  }
}

/** Spellings the normaliser (config-schema.ts) accepts for each canonical key. */
const KEY_ALIASES: Readonly<Record<string, readonly string[]>> = {
  values: ['value', 'choices'],
  pattern: ['regex'],
  method: ['faker'],
  file: ['path', 'file_path'],
  column: ['value_column'],
  weights: ['probabilities'],
  when: ['condition', 'if'],
  rule: ['then'],
  op: ['operator'],
  table_name: ['name'],
  rows: ['row_count', 'count'],
  parent_table: ['references', 'table'],
  parent_columns: ['parent_column'],
  child_columns: ['child_column'],
};

/** `rawPath` with each canonical key replaced by the alias the document actually uses, if it uses one. */
function resolveRawPath(root: unknown, rawPath: readonly (string | number)[]): (string | number)[] {
  const out: (string | number)[] = [];
  let node: unknown = root;
  for (const key of rawPath) {
    let actual: string | number = key;
    if (typeof key === 'string' && isRecord(node) && !(key in node)) {
      actual = KEY_ALIASES[key]?.find((alias) => alias in (node as Record<string, unknown>)) ?? key;
    }
    // `parent_column: id` is a scalar where the canonical form has a list; the index then points at nothing.
    if (typeof actual === 'number' && !Array.isArray(node)) break;
    out.push(actual);
    node =
      isRecord(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[actual] : undefined;
  }
  return out;
}

/**
 * Renders a path into the raw document: list items that carry a name (`table_name`/`name`) are
 * shown by that name, so `['tables', 1, 'columns', 3, 'rule', 'min']` becomes
 * `tables.orders.columns.amount.rule.min`; unnamed items keep their index (`rules[0]`).
 */
export function formatConfigPath(root: unknown, rawPath: readonly (string | number)[]): string {
  let out = '';
  let node: unknown = root;
  for (const key of rawPath) {
    const child =
      isRecord(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      const name = itemName(child);
      // A name shared by two items would not say which one is meant.
      const shared = Array.isArray(node) && node.filter((item) => itemName(item) === name).length > 1;
      out += name !== undefined && isPlainName(name) && !shared ? `.${name}` : `[${key}]`;
    } else {
      out += out === '' ? key : `.${key}`;
    }
    node = child;
  }
  return out;
}

function itemName(item: unknown): string | undefined {
  if (!isRecord(item)) return undefined;
  const name = item.table_name ?? item.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

function isPlainName(name: string): boolean {
  // Names that would make the dotted path ambiguous fall back to the index.
  return /^[^.[\]\s]+$/.test(name);
}

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
