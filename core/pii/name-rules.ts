/**
 * Column-name rules built from the synonym table (name-synonyms.ts). Names are folded to ASCII
 * and tokenised (snake, camel, kebab, digits, spaces: `customerEmail`, `customer-email`,
 * `CUSTOMER_EMAIL` and `Customer E-Mail` all give `customer email`) and matched as whole words,
 * so `zip` never matches inside `unzipped` and `tel` never inside `hotel`.
 */
import { isIdentifierName, tokenizeColumnName } from '../profile/index.js';
import {
  FREE_TEXT_SYNONYMS,
  META_WORDS,
  NAME_SYNONYMS,
  PERSON_NAME_QUALIFIERS,
  PERSON_NAME_WHOLE,
  PERSONAL_IDENTIFIER_SYNONYMS,
} from './name-synonyms.js';
import { PiiKind } from './types.js';

/** A rule that recognises one kind of personal data from a column name. */
export interface NameRule {
  kind: PiiKind;
  /** What the report says matched, e.g. "first_name"; a rule name, never the column name. */
  label: string;
  /** Word sequences that must occur, contiguously, in the tokenised name. */
  phrases: readonly (readonly string[])[];
  /** Whole names written without separators (`firstname`), compared with the tokens joined. */
  compact?: readonly string[];
}

const words = (phrases: readonly string[]): string[][] => phrases.map((s) => s.split(' '));

/** The personal-data rules in priority order (see {@link NAME_SYNONYMS}). */
export const NAME_RULES: readonly NameRule[] = NAME_SYNONYMS.map((s) => ({
  kind: s.kind,
  label: s.label,
  phrases: words(s.phrases),
  compact: s.whole ?? [],
}));

/** Names that identify a person even though they look like keys (passport, licence, account, login). */
export const SENSITIVE_IDENTIFIER_RULE: NameRule = {
  kind: PiiKind.Identifier,
  label: 'personal identifier',
  phrases: words(PERSONAL_IDENTIFIER_SYNONYMS),
  compact: ['passportnumber', 'driverslicense', 'accountnumber', 'username', 'loginname', 'benutzername'],
};

/** Names of prose columns, which may carry anything a person typed. */
export const FREE_TEXT_RULE: NameRule = {
  kind: PiiKind.FreeText,
  label: 'free text',
  phrases: words(FREE_TEXT_SYNONYMS),
  compact: ['freetext'],
};

/** The rule reported for key-like names (`id`, `*_id`, `*_uuid`, `*_key`). */
export const KEY_RULE: NameRule = { kind: PiiKind.Identifier, label: 'key (*_id)', phrases: [] };

const ID_LIKE_KINDS: ReadonlySet<PiiKind> = new Set([
  PiiKind.NationalId,
  PiiKind.UkNino,
  PiiKind.Ssn,
  PiiKind.Secret,
]);
/** Connection strings are usually named `*_url`, which the meta words would otherwise discard. */
const CONNECTION_RULES = NAME_RULES.filter((r) => r.kind === PiiKind.UrlWithCredentials);
const ID_LIKE_RULES = NAME_RULES.filter((r) => ID_LIKE_KINDS.has(r.kind));

const personNameRule: NameRule = { kind: PiiKind.PersonName, label: 'name', phrases: [] };
const META = words(META_WORDS);
const QUALIFIERS = words(PERSON_NAME_QUALIFIERS);
const PERSON_WHOLE = new Set(PERSON_NAME_WHOLE);
/** Words in front of a free-text name that make it catalogue or system text, not something a person typed. */
const NON_PERSONAL_TEXT = new Set([
  'product',
  'item',
  'article',
  'sku',
  'catalog',
  'catalogue',
  'job',
  'error',
  'log',
  'event',
  'category',
  'plan',
  'package',
  'produkt',
  'artikel',
  'produit',
  'producto',
  'prodotto',
  'product omschrijving',
  'commit',
  'release',
  'build',
  'task',
]);

/** Lower-case ASCII word tokens of a column name, accents folded (`Prénom` → `prenom`, `Straße` → `strasse`). */
export function tokenizeForRules(name: string): string[] {
  const folded = name
    .replace(/ß/g, 'ss')
    .replace(/[Ææ]/g, 'ae')
    .replace(/[Œœ]/g, 'oe')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
  return tokenizeColumnName(folded);
}

function containsPhrase(tokens: readonly string[], phrase: readonly string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= tokens.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (tokens[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

/** Whether a rule matches a tokenised name. */
export function ruleMatches(rule: NameRule, tokens: readonly string[]): boolean {
  const joined = tokens.join('');
  if (rule.compact?.includes(joined)) return true;
  return rule.phrases.some((phrase) => containsPhrase(tokens, phrase));
}

function endsWithPhrase(tokens: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length > tokens.length) return false;
  const offset = tokens.length - phrase.length;
  return phrase.every((w, j) => tokens[offset + j] === w);
}

function isPersonName(tokens: readonly string[]): boolean {
  if (PERSON_WHOLE.has(tokens.join(''))) return true;
  if (tokens[tokens.length - 1] !== 'name') return false;
  const before = tokens.slice(0, -1);
  return QUALIFIERS.some((q) => endsWithPhrase(before, q));
}

const DATE_WORDS = new Set(['date', 'data', 'fecha', 'datum', 'dt', 'dat', 'fec']);
const BIRTH_WORDS = [
  'naissance',
  'nacimiento',
  'nascita',
  'nascimento',
  'geburt',
  'geboorte',
  'urodzenia',
  'birth',
  'fodelse',
  'fodsel',
];

/** A token that abbreviates a birth word to three letters or more (`naiss`, `nac`, `nasc`, `geb`). */
function isBirthAbbreviation(token: string): boolean {
  return token.length >= 3 && BIRTH_WORDS.some((w) => w.startsWith(token));
}

/** `date_naiss`, `fecha_nac`, `data_nasc`, `dt_nascimento`, `geb_dat`: a date word beside an abbreviated birth word. */
function isAbbreviatedBirthDate(tokens: readonly string[]): boolean {
  for (let i = 0; i + 1 < tokens.length; i++) {
    const a = tokens[i] as string;
    const b = tokens[i + 1] as string;
    if ((DATE_WORDS.has(a) && isBirthAbbreviation(b)) || (DATE_WORDS.has(b) && isBirthAbbreviation(a)))
      return true;
  }
  return false;
}

/** What a column name says about its contents. */
export interface NameMatch {
  rule: NameRule;
  /** True for rules that name personal data; false for plain keys (`customer_id`). */
  personal: boolean;
}

/**
 * The name rule a column name matches, if any: sensitive identifiers first (they often end in
 * `id`), then plain keys (which no other rule may claim: `city_id` is a key, not a city), then the
 * personal-data rules in priority order, then person names, then free text. Names with a meta word
 * (`email_verified`, `phone_model`) match nothing.
 */
export function matchColumnName(name: string): NameMatch | undefined {
  const tokens = tokenizeForRules(name);
  if (tokens.length === 0) return undefined;
  for (const rule of CONNECTION_RULES) if (ruleMatches(rule, tokens)) return { rule, personal: true };
  if (META.some((m) => containsPhrase(tokens, m))) return undefined;
  if (ruleMatches(SENSITIVE_IDENTIFIER_RULE, tokens))
    return { rule: SENSITIVE_IDENTIFIER_RULE, personal: true };
  // Government numbers and secrets are often named like keys (`national_id`, `api_key`): they win over the key rule.
  for (const rule of ID_LIKE_RULES) if (ruleMatches(rule, tokens)) return { rule, personal: true };
  if (isIdentifierName(name)) return { rule: KEY_RULE, personal: false };
  for (const rule of NAME_RULES) {
    if (ruleMatches(rule, tokens)) return { rule, personal: true };
    if (rule.kind === PiiKind.DateOfBirth && isAbbreviatedBirthDate(tokens)) return { rule, personal: true };
  }
  if (isPersonName(tokens)) return { rule: personNameRule, personal: true };
  if (ruleMatches(FREE_TEXT_RULE, tokens) && !tokens.some((t) => NON_PERSONAL_TEXT.has(t))) {
    return { rule: FREE_TEXT_RULE, personal: true };
  }
  return undefined;
}
