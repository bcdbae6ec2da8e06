/**
 * Checks one rule of a column and turns it into a {@link ValueRule}: bounds in order, weights that
 * fit the values, a regex the generator can honour, a Faker method that exists and returns scalars,
 * dates that parse, formats that compile. Also reports what kind of value the rule gives and how many
 * distinct values it can give, so the column type can be inferred and uniqueness checked up front.
 */
import { ConfigError } from '../errors.js';
import { createRng } from '../random/index.js';
import { createRegexSampler } from '../text/regex-sample.js';
import { PhysicalType } from '../table.js';
import type { RuleConfig } from './config-schema.js';
import { compileDateFormat, DAY_MS, parseDateTimeMs } from './date-format.js';
import { createSeededFaker, isFakerMethod, resolveFakerLocale } from './faker-provider.js';
import type { ProblemList } from './problems.js';
import type { ScalarValue, ValueRule } from './plan.js';
import { compileSequenceFormat } from './sequence-format.js';

/** Values read from a choice file: the values and, if the file has a weight column, their weights. */
export interface ChoiceList {
  values: ScalarValue[];
  weights: number[] | null;
}

/** A choice file as loaded by the caller, or why it could not be (file, line and column named; never values). */
export type LoadedChoiceFile = ChoiceList | { error: string };

/** The kind of value a rule gives, before conversion to the column type. */
export type ValueKind = PhysicalType | 'null';

/** A checked rule: what it gives, and how many distinct values (null when unbounded or unknown). */
export interface CompiledRule {
  rule: ValueRule;
  kind: ValueKind;
  /** Distinct values the rule can give; null if unbounded or unknown. */
  domainSize: number | null;
  /** Choice values came from a file as text, so numeric text may be converted to the column type. */
  textChoices: boolean;
}

/** What a rule needs to know about its column and document. */
export interface RuleContext {
  problems: ProblemList;
  /** Path of the rule in the raw document. */
  at: (string | number)[];
  /** Declared column type, if any. */
  declaredType: PhysicalType | undefined;
  /** Locale in effect for the column and where it was set (for the error path). */
  locale: { value: string; at: (string | number)[] };
  referenceDate: string;
  /** Loaded choice files by rule path key (see {@link choiceFileKey}). */
  choiceFiles: ReadonlyMap<string, LoadedChoiceFile> | undefined;
}

/** The key under which a choice file of the rule at `rawPath` is passed in (its path in the document). */
export function choiceFileKey(rawPath: readonly (string | number)[]): string {
  return rawPath.join('/');
}

/** A {@link CompiledRule}, or null after recording the rule's problems. */
export function compileRule(config: RuleConfig, ctx: RuleContext): CompiledRule | null {
  const { problems, at } = ctx;
  const fail = (key: string | null, message: string): null => {
    problems.add(key === null ? at : [...at, key], message);
    return null;
  };
  switch (config.type) {
    case 'range': {
      if (config.min > config.max) return fail('min', 'must not be greater than max');
      const integerBounds = Number.isInteger(config.min) && Number.isInteger(config.max);
      const integer =
        ctx.declaredType === PhysicalType.Integer ||
        (ctx.declaredType !== PhysicalType.Float && integerBounds && config.decimals === undefined);
      if (integer && !integerBounds)
        return fail(
          Number.isInteger(config.min) ? 'max' : 'min',
          'must be a whole number for an integer column',
        );
      if (integer && (config.decimals ?? 0) > 0) return fail('decimals', 'an integer column has no decimals');
      const decimals = integer ? null : (config.decimals ?? null);
      const domainSize = integer
        ? config.max - config.min + 1
        : decimals === null
          ? null
          : Math.floor(Math.round((config.max - config.min) * 10 ** decimals)) + 1;
      return {
        rule: { kind: 'range', min: config.min, max: config.max, decimals, integer },
        kind: integer ? PhysicalType.Integer : PhysicalType.Float,
        domainSize,
        textChoices: false,
      };
    }
    case 'choice':
      return compileChoice({ values: config.values, weights: config.weights ?? null }, ctx, false, 'weights');
    case 'choice_file': {
      const loaded = ctx.choiceFiles?.get(choiceFileKey(at));
      if (loaded === undefined) return fail('file', 'choice file was not loaded');
      if ('error' in loaded) return fail('file', loaded.error);
      if (loaded.values.length === 0) return fail('file', 'choice file has no values');
      return compileChoice(loaded, ctx, true, 'file');
    }
    case 'regex': {
      const maxRepeat = config.max_repeat ?? 8;
      try {
        createRegexSampler(config.pattern, { maxRepeat, field: '' });
      } catch (error) {
        if (error instanceof ConfigError) return fail('pattern', error.message);
        throw error;
      }
      return {
        rule: { kind: 'regex', pattern: config.pattern, maxRepeat },
        kind: PhysicalType.String,
        domainSize: null,
        textChoices: false,
      };
    }
    case 'faker':
      return compileFaker(config, ctx);
    case 'sequence': {
      const start = config.start ?? 1;
      const step = config.step ?? 1;
      if (config.format !== undefined) {
        const compiled = compileSequenceFormat(config.format);
        if ('error' in compiled) return fail('format', compiled.error);
      }
      return {
        rule: { kind: 'sequence', start, step, format: config.format ?? null },
        kind: config.format === undefined ? PhysicalType.Integer : PhysicalType.String,
        domainSize: null,
        textChoices: false,
      };
    }
    case 'date_range': {
      const startMs = parseDateTimeMs(config.start);
      const endMs = parseDateTimeMs(config.end);
      if (startMs === null) return fail('start', 'must be a date (YYYY-MM-DD)');
      if (endMs === null) return fail('end', 'must be a date (YYYY-MM-DD)');
      const startDay = Math.floor(startMs / DAY_MS);
      const endDay = Math.floor(endMs / DAY_MS);
      if (startDay > endDay) return fail('start', 'must not be after end');
      if (config.format !== undefined) {
        const f = compileDateFormat(config.format);
        if ('error' in f) return fail('format', f.error);
      }
      return {
        rule: { kind: 'date_range', startDay, endDay, format: config.format ?? null },
        kind: config.format === undefined ? PhysicalType.Date : PhysicalType.String,
        domainSize: endDay - startDay + 1,
        textChoices: false,
      };
    }
    case 'datetime_range': {
      const startMs = parseDateTimeMs(config.start);
      const endMs = parseDateTimeMs(config.end);
      if (startMs === null) return fail('start', 'must be a date or an ISO datetime (YYYY-MM-DDTHH:mm:ssZ)');
      if (endMs === null) return fail('end', 'must be a date or an ISO datetime (YYYY-MM-DDTHH:mm:ssZ)');
      if (startMs > endMs) return fail('start', 'must not be after end');
      if (config.format !== undefined) {
        const f = compileDateFormat(config.format);
        if ('error' in f) return fail('format', f.error);
      }
      return {
        rule: { kind: 'datetime_range', startMs, endMs, format: config.format ?? null },
        kind: config.format === undefined ? PhysicalType.Timestamp : PhysicalType.String,
        // Datetimes are drawn to the second.
        domainSize: Math.floor((endMs - startMs) / 1000) + 1,
        textChoices: false,
      };
    }
    case 'uuid':
      return { rule: { kind: 'uuid' }, kind: PhysicalType.String, domainSize: null, textChoices: false };
    case 'boolean':
      return {
        rule: { kind: 'boolean', probability: config.probability ?? 0.5 },
        kind: PhysicalType.Boolean,
        domainSize: 2,
        textChoices: false,
      };
    case 'constant':
      return {
        rule: { kind: 'constant', value: config.value },
        kind: kindOfScalar(config.value),
        domainSize: 1,
        textChoices: false,
      };
  }
}

function compileChoice(
  list: ChoiceList,
  ctx: RuleContext,
  fromFile: boolean,
  weightsKey: string,
): CompiledRule | null {
  const { problems, at } = ctx;
  const { values, weights } = list;
  if (weights !== null) {
    if (weights.length !== values.length) {
      problems.add([...at, weightsKey], `has ${weights.length} weights for ${values.length} values`);
      return null;
    }
    if (!(weights.reduce((a, b) => a + b, 0) > 0)) {
      problems.add([...at, weightsKey], 'weights must not all be 0');
      return null;
    }
  }
  const kinds = values.map((v) => (fromFile && typeof v === 'string' ? kindOfText(v) : kindOfScalar(v)));
  const kind = kinds.reduce<ValueKind>((a, b) => joinKinds(a, b), 'null');
  return {
    rule: { kind: 'choice', values, weights },
    kind,
    domainSize: new Set(values.map((v) => JSON.stringify(v))).size,
    textChoices: fromFile,
  };
}

function compileFaker(config: Extract<RuleConfig, { type: 'faker' }>, ctx: RuleContext): CompiledRule | null {
  const { problems, at } = ctx;
  if (!isFakerMethod(config.method)) {
    problems.add([...at, 'method'], 'is not a Faker method (expected module.method, e.g. person.firstName)');
    return null;
  }
  const locale = config.locale ?? ctx.locale.value;
  const localeAt = config.locale !== undefined ? [...at, 'locale'] : ctx.locale.at;
  if (resolveFakerLocale(locale) === null) {
    problems.add(localeAt, 'is not a locale Faker knows (e.g. en_US, de_DE, fr)');
    return null;
  }
  const faker = createSeededFaker(locale, ctx.referenceDate);
  const call = faker.method(config.method);
  if (call === null) return null;
  const args = config.args ?? [];
  // A few probe calls tell the value kind (and catch arguments the method rejects) before generation starts.
  let kind: ValueKind = 'null';
  try {
    faker.use(createRng(0x5eed));
    for (let i = 0; i < 8; i++) {
      const value = call(...args);
      const k = kindOfFakerValue(value);
      if (k === undefined) {
        problems.add([...at, 'method'], 'returns a list or an object, not a single value');
        return null;
      }
      kind = joinKinds(kind, k);
    }
  } catch {
    problems.add(
      [...at, config.args === undefined ? 'method' : 'args'],
      'Faker method fails with these arguments',
    );
    return null;
  }
  return {
    rule: { kind: 'faker', method: config.method, args, locale },
    kind,
    domainSize: null,
    textChoices: false,
  };
}

function kindOfFakerValue(value: unknown): ValueKind | undefined {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return PhysicalType.String;
  if (typeof value === 'boolean') return PhysicalType.Boolean;
  if (typeof value === 'number') return Number.isInteger(value) ? PhysicalType.Integer : PhysicalType.Float;
  if (typeof value === 'bigint') return PhysicalType.Integer;
  if (value instanceof Date) return PhysicalType.Timestamp;
  return undefined;
}

/** The kind of an inline config value. */
export function kindOfScalar(value: ScalarValue): ValueKind {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return PhysicalType.Boolean;
  if (typeof value === 'number') return Number.isInteger(value) ? PhysicalType.Integer : PhysicalType.Float;
  return PhysicalType.String;
}

const INTEGER_TEXT = /^[+-]?\d+$/;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The kind text from a file reads as: numbers and ISO dates are recognised, the rest is text. */
function kindOfText(text: string): ValueKind {
  if (INTEGER_TEXT.test(text) && Number.isSafeInteger(Number(text))) return PhysicalType.Integer;
  if (NUMBER_TEXT.test(text)) return PhysicalType.Float;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text) && parseDateTimeMs(text) !== null) return PhysicalType.Date;
  return PhysicalType.String;
}

/** The narrowest kind holding values of both kinds (integer+float → float, date+timestamp → timestamp, else text). */
export function joinKinds(a: ValueKind, b: ValueKind): ValueKind {
  if (a === b || b === 'null') return a;
  if (a === 'null') return b;
  const numeric = new Set<ValueKind>([PhysicalType.Integer, PhysicalType.Float]);
  if (numeric.has(a) && numeric.has(b)) return PhysicalType.Float;
  const temporal = new Set<ValueKind>([PhysicalType.Date, PhysicalType.Timestamp]);
  if (temporal.has(a) && temporal.has(b)) return PhysicalType.Timestamp;
  return PhysicalType.String;
}

/** True if values of `kind` can be stored in a column of `type` without losing meaning. */
export function fitsColumnType(kind: ValueKind, type: PhysicalType): boolean {
  if (kind === 'null' || kind === type || type === PhysicalType.String) return true;
  if (type === PhysicalType.Float) return kind === PhysicalType.Integer;
  if (type === PhysicalType.Timestamp) return kind === PhysicalType.Date;
  return false;
}

/**
 * A choice value converted to the column type, or undefined if it cannot be: text from files
 * becomes a number, boolean or date where the column asks for one.
 */
export function convertChoiceValue(value: ScalarValue, type: PhysicalType): ScalarValue | undefined {
  if (value === null) return null;
  switch (type) {
    case PhysicalType.String:
      return typeof value === 'string' ? value : String(value);
    case PhysicalType.Integer: {
      const n = typeof value === 'string' && INTEGER_TEXT.test(value.trim()) ? Number(value) : value;
      return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
    }
    case PhysicalType.Float: {
      const n = typeof value === 'string' && NUMBER_TEXT.test(value.trim()) ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
    }
    case PhysicalType.Boolean: {
      if (typeof value === 'boolean') return value;
      const t = String(value).trim().toLowerCase();
      return t === 'true' ? true : t === 'false' ? false : undefined;
    }
    case PhysicalType.Date: {
      if (typeof value !== 'string') return undefined;
      const ms = /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? parseDateTimeMs(value) : null;
      return ms === null ? undefined : value.trim();
    }
    case PhysicalType.Timestamp: {
      if (typeof value !== 'string') return undefined;
      const ms = parseDateTimeMs(value);
      return ms === null ? undefined : new Date(ms).toISOString();
    }
  }
}
