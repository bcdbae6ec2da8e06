/**
 * The classifier: combines value evidence (validators over a deterministic sample) with
 * column-name evidence into one kind and a confidence per column.
 *
 * How evidence combines:
 * - The share s of sampled values that validate dominates: s ≥ 0.8 gives 0.91–0.99, 0.3 ≤ s < 0.8
 *   gives 0.5–0.9, below that the confidence is s itself. A matching column name adds 0.2.
 * - Where values cannot be checked (first names, cities, addresses, dates of birth, or a
 *   validatable kind stored as numbers or all null), a name match alone gives 0.8 (0.75 for
 *   validatable kinds), raised to 0.9 by supporting shapes (common names, house numbers,
 *   postcode shapes, date values).
 * - Prose (long, varied, many words) is free_text at 0.6, 0.75 with a prose-like column name,
 *   0.85 when values embed email addresses or phone numbers.
 * - Keys (unique values with a fixed shape, or `*_id` names) are kind identifier at 0.3: a
 *   customer id is a key, not personal data by itself. Names of personal identifiers
 *   (passport, national id, account number, username) give 0.8.
 * - Boolean columns are never personal data: two values cannot single anyone out.
 */
import { SemanticType, type ColumnProfile, type DatasetProfile } from '../profile/index.js';
import { PhysicalType, type ColumnData, type Table } from '../table.js';
import { COMMON_FIRST_NAMES, COMMON_LAST_NAMES } from './common-names.js';
import { FREE_TEXT_RULE, KEY_RULE, matchColumnName, type NameMatch } from './name-rules.js';
import {
  containsContactDetails,
  isPostalCodeShape,
  isStreetAddressShape,
  isValidCreditCard,
  isValidEmail,
  isValidIban,
  isValidIpAddress,
  isValidPhone,
  isValidSsn,
} from './patterns.js';
import { sampleEvenly } from './sample.js';
import {
  PiiKind,
  SENSITIVE_THRESHOLD,
  type ClassifyOptions,
  type FieldSensitivity,
  type SensitivityReport,
} from './types.js';

const DEFAULT_SAMPLE_SIZE = 1000;
const NAME_BONUS = 0.2;
const MAX_CONFIDENCE = 0.99;
const NAME_ONLY = 0.8;
const NAME_ONLY_UNCHECKED = 0.75;
const NAME_SUPPORTED = 0.9;
const KEY_CONFIDENCE = 0.3;
const PROSE = 0.6;
const PROSE_NAMED = 0.75;
const PROSE_WITH_CONTACTS = 0.85;
const PROSE_NAME_ONLY = 0.4;
const NAME_LIST_ONLY = 0.75;

/** Validators by kind, with the words the reasons use for a value that passes. */
const VALIDATORS: readonly {
  kind: PiiKind;
  noun: string;
  test: (value: string, nameKind: PiiKind | undefined) => boolean;
}[] = [
  { kind: PiiKind.Email, noun: 'email addresses', test: (v) => isValidEmail(v) },
  { kind: PiiKind.CreditCard, noun: 'card numbers (Luhn-checked)', test: (v) => isValidCreditCard(v) },
  // Bare nine-digit numbers pass only beside an SSN column name: otherwise every nine-digit key would.
  {
    kind: PiiKind.Ssn,
    noun: 'US social security numbers',
    test: (v, nameKind) => isValidSsn(v, { allowUndashed: nameKind === PiiKind.Ssn }),
  },
  { kind: PiiKind.Iban, noun: 'IBANs (mod-97-checked)', test: (v) => isValidIban(v) },
  { kind: PiiKind.IpAddress, noun: 'IP addresses', test: (v) => isValidIpAddress(v) },
  { kind: PiiKind.Phone, noun: 'phone numbers', test: (v) => isValidPhone(v) },
];
const VALIDATED_KINDS: ReadonlySet<PiiKind> = new Set(VALIDATORS.map((v) => v.kind));

interface Candidate {
  kind: PiiKind;
  confidence: number;
  reasons: string[];
}

/** Classifies every column of a table; the profile supplies semantic types and text statistics. */
export function classifyTable(
  table: Table,
  profile: DatasetProfile,
  options: ClassifyOptions = {},
): SensitivityReport {
  const sampleSize = Math.max(1, Math.floor(options.sampleSize ?? DEFAULT_SAMPLE_SIZE));
  const profiles = new Map(profile.columns.map((c) => [c.name, c] as const));
  return {
    threshold: SENSITIVE_THRESHOLD,
    sampledValuesPerColumn: sampleSize,
    fields: table.columns.map((c) => classifyColumn(c, profiles.get(c.name), sampleSize)),
  };
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function round(confidence: number): number {
  return Math.round(confidence * 1000) / 1000;
}

/** Confidence from the share of sampled values that validate (see the module comment). */
export function shareConfidence(share: number): number {
  if (share >= 0.8) return 0.91 + (0.08 * (share - 0.8)) / 0.2;
  if (share >= 0.3) return 0.5 + (0.4 * (share - 0.3)) / 0.5;
  return share;
}

function shareOf(sample: readonly string[], test: (value: string) => boolean): number {
  if (sample.length === 0) return 0;
  let hits = 0;
  for (const v of sample) if (test(v)) hits++;
  return hits / sample.length;
}

function isNumericStorage(type: PhysicalType): boolean {
  return type === PhysicalType.Integer || type === PhysicalType.Float;
}

/** Classifies one column. */
export function classifyColumn(
  column: ColumnData,
  profile: ColumnProfile | undefined,
  sampleSize = DEFAULT_SAMPLE_SIZE,
): FieldSensitivity {
  const semantic = profile?.semanticType;
  if (column.type === PhysicalType.Boolean || semantic === SemanticType.Boolean) {
    return finish(column.name, [
      { kind: PiiKind.None, confidence: 0, reasons: ['two-valued flag: cannot identify a person'] },
    ]);
  }
  const name = matchColumnName(column.name);
  const sample = sampleEvenly(column.values, sampleSize).map((v) => v.trim());
  const n = sample.length;
  const stringStored = column.type === PhysicalType.String;
  const checkable = stringStored && n > 0 && semantic !== SemanticType.Datetime;
  const candidates: Candidate[] = [];

  if (checkable) candidates.push(...valueCandidates(sample, name));
  if (name?.personal === true) {
    const fromName = nameCandidate(name, column, semantic, sample, checkable);
    if (fromName !== undefined) candidates.push(fromName);
  }
  if (name === undefined && stringStored && n > 0) candidates.push(...nameListCandidates(sample));
  const prose =
    stringStored && semantic === SemanticType.Text && n > 0
      ? proseCandidate(sample, profile, name)
      : undefined;
  if (prose !== undefined) candidates.push(prose);
  else if (name?.rule === FREE_TEXT_RULE) {
    candidates.push({
      kind: PiiKind.FreeText,
      confidence: PROSE_NAME_ONLY,
      reasons: [`column name matches '${FREE_TEXT_RULE.label}'`, 'values are not varied prose'],
    });
  }
  if (name?.rule === KEY_RULE || semantic === SemanticType.Identifier) {
    const reasons: string[] = [];
    if (name?.rule === KEY_RULE) reasons.push(`column name matches '${KEY_RULE.label}'`);
    if (semantic === SemanticType.Identifier)
      reasons.push('values are unique keys with a fixed shape or sequence');
    reasons.push('a key is not personal data by itself');
    candidates.push({ kind: PiiKind.Identifier, confidence: KEY_CONFIDENCE, reasons });
  }
  if (candidates.length === 0) {
    const values =
      n === 0
        ? 'no non-null values'
        : checkable
          ? `none of ${n} sampled values validates as personal data`
          : 'values are numbers or dates, which no validator applies to';
    candidates.push({ kind: PiiKind.None, confidence: 0, reasons: [values, 'no column name rule matched'] });
  }
  return finish(column.name, candidates);
}

function finish(column: string, candidates: Candidate[]): FieldSensitivity {
  let best = candidates[0] as Candidate;
  for (const c of candidates) if (c.confidence > best.confidence) best = c;
  const confidence = round(best.confidence);
  return {
    column,
    kind: best.kind,
    confidence,
    sensitive: confidence > SENSITIVE_THRESHOLD,
    reasons: best.reasons,
  };
}

function valueCandidates(sample: readonly string[], name: NameMatch | undefined): Candidate[] {
  const nameKind = name?.personal === true ? name.rule.kind : undefined;
  const out: Candidate[] = [];
  for (const validator of VALIDATORS) {
    const named = nameKind === validator.kind;
    const share = shareOf(sample, (v) => validator.test(v, nameKind));
    if (share === 0 && !named) continue;
    let confidence = shareConfidence(share);
    const reasons = [`${percent(share)} of ${sample.length} sampled values are valid ${validator.noun}`];
    if (named) {
      confidence = Math.min(MAX_CONFIDENCE, confidence + NAME_BONUS);
      reasons.push(`column name matches '${name?.rule.label}'`);
    }
    out.push({ kind: validator.kind, confidence, reasons });
  }
  return out.sort((a, b) => b.confidence - a.confidence);
}

function nameCandidate(
  name: NameMatch,
  column: ColumnData,
  semantic: SemanticType | undefined,
  sample: readonly string[],
  checkable: boolean,
): Candidate | undefined {
  const kind = name.rule.kind;
  const matched = `column name matches '${name.rule.label}'`;
  if (VALIDATED_KINDS.has(kind)) {
    // Checked values already produced a candidate for this kind, with the name bonus.
    if (checkable) return undefined;
    const why =
      sample.length === 0 ? 'no non-null values to check' : 'values are not text that could be validated';
    return { kind, confidence: NAME_ONLY_UNCHECKED, reasons: [matched, why] };
  }
  if (kind === PiiKind.FreeText) return undefined;
  if (kind === PiiKind.Identifier || kind === PiiKind.DateOfBirth || kind === PiiKind.PostalCode) {
    const support = supportFor(kind, semantic, sample);
    return support === undefined
      ? { kind, confidence: NAME_ONLY, reasons: [matched] }
      : { kind, confidence: NAME_SUPPORTED, reasons: [matched, support] };
  }
  // Names, addresses and cities are text: a numeric column with such a name holds codes or counts.
  if (isNumericStorage(column.type)) return undefined;
  const support = supportFor(kind, semantic, sample);
  return support === undefined
    ? { kind, confidence: NAME_ONLY, reasons: [matched] }
    : { kind, confidence: NAME_SUPPORTED, reasons: [matched, support] };
}

/** A reason that the values fit the kind the name announced, or undefined. */
function supportFor(
  kind: PiiKind,
  semantic: SemanticType | undefined,
  sample: readonly string[],
): string | undefined {
  const n = sample.length;
  switch (kind) {
    case PiiKind.DateOfBirth:
      return semantic === SemanticType.Datetime ? 'values are dates' : undefined;
    case PiiKind.PostalCode: {
      const share = shareOf(sample, isPostalCodeShape);
      return share >= 0.8 ? `${percent(share)} of ${n} sampled values have a postcode shape` : undefined;
    }
    case PiiKind.StreetAddress: {
      const share = shareOf(sample, isStreetAddressShape);
      return share >= 0.5 ? `${percent(share)} of ${n} sampled values start with a house number` : undefined;
    }
    case PiiKind.FirstName:
    case PiiKind.LastName:
    case PiiKind.PersonName: {
      const share = shareOf(sample, (v) => isCommonName(v, kind));
      return share >= 0.1
        ? `${percent(share)} of ${n} sampled values are common ${nameNoun(kind)}`
        : undefined;
    }
    default:
      return undefined;
  }
}

function nameNoun(kind: PiiKind): string {
  return kind === PiiKind.FirstName
    ? 'first names'
    : kind === PiiKind.LastName
      ? 'last names'
      : 'personal names';
}

function isCommonName(value: string, kind: PiiKind): boolean {
  const words = value
    .toLowerCase()
    .split(/[\s,]+/)
    .filter((w) => w.length > 0);
  if (kind === PiiKind.FirstName) return words.length === 1 && COMMON_FIRST_NAMES.has(words[0] as string);
  if (kind === PiiKind.LastName) return words.length === 1 && COMMON_LAST_NAMES.has(words[0] as string);
  return words.some((w) => COMMON_FIRST_NAMES.has(w) || COMMON_LAST_NAMES.has(w)) && words.length <= 4;
}

/** Columns without a telling name that are mostly common first or last names. */
function nameListCandidates(sample: readonly string[]): Candidate[] {
  const out: Candidate[] = [];
  for (const kind of [PiiKind.FirstName, PiiKind.LastName] as const) {
    const share = shareOf(sample, (v) => isCommonName(v, kind));
    if (share >= 0.5) {
      out.push({
        kind,
        confidence: NAME_LIST_ONLY,
        reasons: [`${percent(share)} of ${sample.length} sampled values are common ${nameNoun(kind)}`],
      });
    }
  }
  return out;
}

const PROSE_MIN_MEAN_LENGTH = 20;
const PROSE_MIN_MEAN_WORDS = 3;
const PROSE_MIN_DISTINCT_SHARE = 0.5;
const CONTACTS_MIN_SHARE = 0.05;

function proseCandidate(
  sample: readonly string[],
  profile: ColumnProfile | undefined,
  name: NameMatch | undefined,
): Candidate | undefined {
  const n = sample.length;
  let words = 0;
  let chars = 0;
  for (const v of sample) {
    chars += v.length;
    words += v.split(/\s+/).filter((w) => w.length > 0).length;
  }
  const meanWords = words / n;
  const distinctShare =
    profile === undefined || profile.count === profile.nullCount
      ? 1
      : profile.distinctCount / (profile.count - profile.nullCount);
  if (
    chars / n < PROSE_MIN_MEAN_LENGTH ||
    meanWords < PROSE_MIN_MEAN_WORDS ||
    distinctShare < PROSE_MIN_DISTINCT_SHARE
  ) {
    return undefined;
  }
  const reasons = [`values are varied prose (${meanWords.toFixed(1)} words on average)`];
  let confidence = PROSE;
  if (name?.rule === FREE_TEXT_RULE) {
    confidence = PROSE_NAMED;
    reasons.push(`column name matches '${FREE_TEXT_RULE.label}'`);
  }
  const contacts = shareOf(sample, containsContactDetails);
  if (contacts >= CONTACTS_MIN_SHARE) {
    confidence = Math.max(confidence, PROSE_WITH_CONTACTS);
    reasons.push(`${percent(contacts)} of ${n} sampled values contain an email address or phone number`);
  }
  return { kind: PiiKind.FreeText, confidence, reasons };
}
