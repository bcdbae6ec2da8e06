/**
 * Preconditions to {@link DataReference}s: "a customer with segment "enterprise"" becomes alias
 * `customer` on table `customers` with filter `segment eq "enterprise"`, checked against the
 * loaded tables (columns, types, category values). Problems name the scenario, the precondition
 * and the table or column position, never the tester's text (it may quote data).
 */
import { deriveSeed } from '../random/index.js';
import { columnKeyOf, parseConditions, type WrittenCondition } from './conditions.js';
import { matchPhrase, normalizePhrase, readValue, toPhrase } from './phrase-text.js';
import { preconditionLocation, type TestGenerationProblem } from './problems.js';
import type { DataFilter, DataReference, RecordValue } from './types.js';

/** A column of a loaded table as test generation needs it. */
export interface TableColumnInfo {
  name: string;
  /** A core PhysicalType (`integer`, `float`, `boolean`, `string`, `date`, `timestamp`) or a SQL type name. */
  type: string;
  /** The values of a categorical column (from the profile), for adjectives like "an enterprise customer". */
  categories?: string[];
}

/** A loaded table: its name and columns (and key, used to order rows when a record is chosen). */
export interface TableInfo {
  name: string;
  columns: TableColumnInfo[];
  primaryKey?: string[];
}

/** References parsed from a scenario's preconditions, with what could not be used. */
export interface ParsedPreconditions {
  references: DataReference[];
  problems: TestGenerationProblem[];
}

// Adjectives that say nothing about which row to pick.
const FILLER_ADJECTIVES = new Set([
  'existing',
  'any',
  'some',
  'random',
  'valid',
  'loaded',
  'synthetic',
  'test',
  'known',
  'single',
  'one',
  'given',
  'sample',
  'registered',
]);

/**
 * Parses every precondition of a scenario into data references. Preconditions that do not look
 * like data ("The application is running") are ignored; those that do but name an unknown table,
 * column or adjective give a reference marked `unresolved` (so its test is skipped) and a problem.
 */
export function parsePreconditions(
  scenarioId: string,
  preconditions: readonly string[],
  tables: readonly TableInfo[],
): ParsedPreconditions {
  const out: ParsedPreconditions = { references: [], problems: [] };
  const aliases = new Set<string>();
  preconditions.forEach((text, index) => {
    const parsed = parsePrecondition(text, tables);
    const location = preconditionLocation(index);
    for (const message of parsed.problems) out.problems.push({ scenarioId, path: location, message });
    const reference = parsed.reference;
    if (!reference) return;
    if (aliases.has(reference.alias.toLowerCase())) {
      let n = 2;
      while (aliases.has(`${reference.alias}_${n}`.toLowerCase())) n++;
      out.problems.push({
        scenarioId,
        path: location,
        message: `alias ${reference.alias} is already used by an earlier precondition; this one is ${reference.alias}_${n} (rename it with "as <alias>")`,
      });
      reference.alias = `${reference.alias}_${n}`;
    }
    aliases.add(reference.alias.toLowerCase());
    out.references.push(reference);
  });
  return out;
}

interface ParsedPrecondition {
  reference?: DataReference;
  problems: string[];
}

/** Parses one precondition against the loaded tables (see {@link parsePreconditions}). */
export function parsePrecondition(text: string, tables: readonly TableInfo[]): ParsedPrecondition {
  const description = text.trim();
  let phrase = toPhrase(
    normalizePhrase(description).replace(
      /^(?:there\s+(?:is|are|exists?|should\s+be)|we\s+have|have|has|exists?|with)\s+/i,
      '',
    ),
  );
  if (phrase.text.length === 0) return { problems: [] };

  const explicit = matchPhrase(phrase, /^([A-Za-z_][\w-]*)\s*:\s*(\S+)(?:\s+(?:where|with)\s+(.+))?$/d);
  if (explicit?.[0] && explicit[1]) {
    const alias = explicit[0];
    const tableName = readValue(explicit[1]).value;
    const table = findTable(tableName, tables);
    if (!table) {
      return {
        reference: unresolvedReference(
          alias,
          tableName,
          description,
          'the table is not among the loaded tables',
        ),
        problems: [`alias ${alias} names a table that is not loaded`],
      };
    }
    return buildReference(alias, table, [], explicit[2], description);
  }

  let alias: string | undefined;
  const rename = /\s+as\s+([A-Za-z_][\w-]*)$/i.exec(phrase.masked);
  if (rename?.[1]) {
    alias = rename[1];
    phrase = toPhrase(phrase.text.slice(0, rename.index));
  }
  const m = matchPhrase(
    phrase,
    /^(?:(a|an|one|some|the|any)\s+)?(.+?)(?:\s+(?:with|whose|where|having|that\s+ha(?:s|ve)|who\s+ha(?:s|ve)|which\s+ha(?:s|ve))\s+(.+))?$/di,
  );
  if (!m?.[1]) return { problems: [] };
  const article = m[0];
  const words = m[1].split(/\s+/).filter((w) => w.length > 0);
  const conditions = m[2];
  const noun = findNoun(words, tables);
  if (!noun) {
    // Only a phrase shaped like a data reference is worth a problem; others are plain prose.
    const looksLikeData = article !== undefined && conditions !== undefined && words.length <= 3;
    if (!looksLikeData) return { problems: [] };
    const last = words[words.length - 1] ?? 'record';
    const name = (alias ?? last).replace(/[^\w-]/g, '') || 'record';
    return {
      reference: unresolvedReference(name, last, description, 'no loaded table matches the noun'),
      problems: [`the noun names no loaded table`],
    };
  }
  const adjectives = words.slice(0, words.length - noun.words);
  return buildReference(alias ?? noun.alias, noun.table, adjectives, conditions, description);
}

function unresolvedReference(
  alias: string,
  table: string,
  description: string,
  reason: string,
): DataReference {
  return { alias, table, filters: [], description, unresolved: reason };
}

function buildReference(
  alias: string,
  table: TableInfo,
  adjectives: readonly string[],
  conditionText: string | undefined,
  description: string,
): ParsedPrecondition {
  const problems: string[] = [];
  const filters: DataFilter[] = [];
  const adjectiveFilters = filtersFromAdjectives(adjectives, table);
  filters.push(...adjectiveFilters.filters);
  for (const position of adjectiveFilters.unknown) {
    problems.push(
      `adjective ${position + 1} matches no boolean column or category value of table ${table.name}`,
    );
  }
  if (conditionText !== undefined) {
    const parsed = parseConditions(conditionText);
    for (const position of parsed.unreadable) problems.push(`condition ${position + 1} could not be read`);
    parsed.conditions.forEach((condition, i) => {
      const resolved = resolveCondition(condition, table);
      if ('problem' in resolved) problems.push(`condition ${i + 1} ${resolved.problem}`);
      else filters.push(resolved.filter);
    });
  }
  const reference: DataReference = { alias, table: table.name, filters, description };
  if (problems.length > 0) reference.unresolved = `precondition not understood: ${problems.join('; ')}`;
  return { reference, problems };
}

/** The loaded table called `name` (exact, then case-insensitive), or undefined. */
export function findTable(name: string, tables: readonly TableInfo[]): TableInfo | undefined {
  return (
    tables.find((t) => t.name === name) ?? tables.find((t) => t.name.toLowerCase() === name.toLowerCase())
  );
}

/** The column of `table` a written name means (`Credit Score` → `credit_score`), or undefined. */
export function findColumn(written: string, table: TableInfo): TableColumnInfo | undefined {
  const exact = table.columns.find((c) => c.name === written);
  if (exact) return exact;
  const key = columnKeyOf(written);
  return table.columns.find((c) => columnKeyOf(c.name) === key);
}

/** The table a noun (`customer`, `order item`, `customers`) names, and how many trailing words it took. */
function findNoun(
  words: readonly string[],
  tables: readonly TableInfo[],
): { table: TableInfo; alias: string; words: number } | undefined {
  for (let n = Math.min(words.length, 4); n >= 1; n--) {
    const nounWords = words.slice(words.length - n).map((w) => w.toLowerCase().replace(/^["']|["']$/g, ''));
    const noun = nounWords.join('_').replace(/-/g, '_');
    const table = tableForNoun(noun, tables);
    if (table) return { table, alias: noun.replace(/[^\w-]/g, '_'), words: n };
  }
  return undefined;
}

/** The table whose name is `noun`, its plural, or whose singular is `noun` (case-insensitive). */
export function tableForNoun(noun: string, tables: readonly TableInfo[]): TableInfo | undefined {
  const n = noun.toLowerCase();
  const candidates = [n, `${n}s`, `${n}es`, n.endsWith('y') ? `${n.slice(0, -1)}ies` : undefined];
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    const table = tables.find((t) => t.name.toLowerCase() === candidate);
    if (table) return table;
  }
  return tables.find((t) => singularOf(t.name.toLowerCase()) === n);
}

function singularOf(name: string): string {
  if (name.endsWith('ies')) return `${name.slice(0, -3)}y`;
  if (/(?:ses|xes|zes|ches|shes)$/.test(name)) return name.slice(0, -2);
  if (name.endsWith('s') && !name.endsWith('ss')) return name.slice(0, -1);
  return name;
}

function filtersFromAdjectives(
  adjectives: readonly string[],
  table: TableInfo,
): { filters: DataFilter[]; unknown: number[] } {
  const filters: DataFilter[] = [];
  const unknown: number[] = [];
  let i = 0;
  while (i < adjectives.length) {
    const word = adjectives[i]!.replace(/^["']|["']$/g, '').toLowerCase();
    if (FILLER_ADJECTIVES.has(word)) {
      i++;
      continue;
    }
    if (word === 'not' || word === 'non') {
      const next = adjectives[i + 1]?.toLowerCase();
      const column = next === undefined ? undefined : booleanColumn(next, table);
      if (column) {
        filters.push({ column: column.name, op: 'eq', value: false });
        i += 2;
        continue;
      }
    }
    // The longest run of words that is a category value ("small business customer").
    let matched = false;
    for (let n = adjectives.length - i; n >= 1 && !matched; n--) {
      const phrase = adjectives
        .slice(i, i + n)
        .join(' ')
        .replace(/^["']|["']$/g, '');
      const category = categoryMatch(phrase, table);
      if (category) {
        filters.push({ column: category.column, op: 'eq', value: category.value });
        i += n;
        matched = true;
      }
    }
    if (matched) continue;
    const positive = booleanColumn(word, table);
    if (positive) {
      filters.push({ column: positive.name, op: 'eq', value: true });
    } else {
      const negated = /^(?:in|un|non-?|not-|dis)(.+)$/.exec(word);
      const column = negated?.[1] === undefined ? undefined : booleanColumn(negated[1], table);
      if (column) filters.push({ column: column.name, op: 'eq', value: false });
      else unknown.push(i);
    }
    i++;
  }
  return { filters, unknown };
}

function booleanColumn(word: string, table: TableInfo): TableColumnInfo | undefined {
  const key = columnKeyOf(word);
  for (const name of [key, `is_${key}`, `has_${key}`]) {
    const column = table.columns.find(
      (c) => columnKeyOf(c.name) === name && valueKindOf(c.type) === 'boolean',
    );
    if (column) return column;
  }
  return undefined;
}

function categoryMatch(phrase: string, table: TableInfo): { column: string; value: string } | undefined {
  const key = columnKeyOf(phrase);
  for (const column of table.columns) {
    const value = column.categories?.find((c) => columnKeyOf(c) === key);
    if (value !== undefined) return { column: column.name, value };
  }
  return undefined;
}

/** How a column type compares: as numbers, booleans or text. */
export type ValueKind = 'number' | 'boolean' | 'text';

/** The value kind of a column type (core PhysicalType or a SQL type name). */
export function valueKindOf(type: string): ValueKind {
  const t = type.toLowerCase();
  if (/^(?:bool|boolean|tinyint\(1\))$/.test(t)) return 'boolean';
  if (
    /^(?:integer|int|int\d|bigint|smallint|tinyint|mediumint|float|double|double precision|real|decimal|numeric|number)\b/.test(
      t,
    )
  )
    return 'number';
  return 'text';
}

function resolveCondition(
  condition: WrittenCondition,
  table: TableInfo,
): { filter: DataFilter } | { problem: string } {
  const column = findColumn(condition.column, table);
  if (!column) return { problem: `names no column of table ${table.name}` };
  if (condition.op === 'is_null' || condition.op === 'not_null') {
    return { filter: { column: column.name, op: condition.op } };
  }
  const coerced = coerceValue(condition.value ?? null, column, condition.op);
  if ('problem' in coerced) return { problem: `${coerced.problem} (column ${column.name})` };
  return { filter: { column: column.name, op: condition.op, value: coerced.value } };
}

/**
 * A written value as the column's kind wants it: numbers for number columns, booleans for boolean
 * columns, the category's own spelling for a category value written in another case; placeholders
 * (`{alias.column}`) are left for substitution.
 */
export function coerceValue(
  value: RecordValue,
  column: TableColumnInfo,
  op: DataFilter['op'],
): { value: RecordValue } | { problem: string } {
  if (value === null) return { value };
  if (typeof value === 'string' && /^\{[^{}]+\}$/.test(value.trim())) return { value };
  const kind = valueKindOf(column.type);
  if (op === 'contains') return { value: String(value) };
  if (kind === 'number') {
    const n = typeof value === 'number' ? value : Number(String(value).trim());
    if (typeof value === 'boolean' || String(value).trim() === '' || !Number.isFinite(n))
      return { problem: 'compares a number column with something that is not a number' };
    return { value: n };
  }
  if (kind === 'boolean') {
    if (typeof value === 'boolean') return { value };
    const t = String(value).trim().toLowerCase();
    if (['true', 'yes', 'y', '1'].includes(t)) return { value: true };
    if (['false', 'no', 'n', '0'].includes(t)) return { value: false };
    return { problem: 'compares a boolean column with something that is not true or false' };
  }
  const text = typeof value === 'string' ? value : String(value);
  const category =
    column.categories?.find((c) => c === text) ??
    column.categories?.find((c) => c.toLowerCase() === text.toLowerCase());
  return { value: category ?? text };
}

/**
 * The offset of the row to use among `count` matching rows, a pure function of (seed, scenario,
 * alias): the same run picks the same record on every retry and worker.
 */
export function recordOffset(seed: number, scenarioId: string, alias: string, count: number): number {
  if (count <= 0) return 0;
  return deriveSeed(seed, hashText(scenarioId), hashText(alias)) % count;
}

/** FNV-1a over the UTF-16 code units: a stable 32-bit number for a text. */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
