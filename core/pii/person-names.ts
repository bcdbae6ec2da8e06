/**
 * Personal-name dictionaries: the first and last names of @faker-js/faker's English, German,
 * French, Spanish, Italian, Dutch and British locales (lists compiled from census and registry
 * data) plus the census/SSA lists in common-names.ts. Words that are also everyday words
 * (colours, months, `Will`, `Long`) are left out, so a column of colours is not a column of surnames.
 */
import { faker as fakerDe } from '@faker-js/faker/locale/de';
import { faker as fakerEn } from '@faker-js/faker/locale/en';
import { faker as fakerEnGb } from '@faker-js/faker/locale/en_GB';
import { faker as fakerEs } from '@faker-js/faker/locale/es';
import { faker as fakerFr } from '@faker-js/faker/locale/fr';
import { faker as fakerIt } from '@faker-js/faker/locale/it';
import { faker as fakerNl } from '@faker-js/faker/locale/nl';
import { COMMON_FIRST_NAMES, COMMON_LAST_NAMES } from './common-names.js';

/** Everyday words that some name lists contain; they prove nothing about a column. */
const EVERYDAY_WORDS = new Set(
  (
    'black white brown green gray grey red blue gold silver pink rose orange violet ivory amber olive ' +
    'january february march april may june july august september october november december ' +
    'monday tuesday wednesday thursday friday saturday sunday will hope joy grace faith long little ' +
    'young king price rich bill mark page case chase hall hill wood stone street lane park cross ' +
    'summer winter spring autumn rain storm star sky ocean river lake forest sale new old best free ' +
    'mobile home office cash card credit bank baker cook major minor noble'
  ).split(' '),
);

interface Dictionaries {
  first: ReadonlySet<string>;
  last: ReadonlySet<string>;
}

let cached: Dictionaries | undefined;

/** Lower case with accents folded, so `José` and `jose` are the same entry. */
export function foldName(word: string): string {
  return word
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

function collect(into: Set<string>, lists: readonly (readonly string[] | undefined)[]): void {
  for (const list of lists) {
    for (const entry of list ?? []) {
      for (const part of entry.split(/[\s-]+/)) {
        const w = foldName(part);
        if (w.length >= 2 && !EVERYDAY_WORDS.has(w) && /^[a-z']+$/.test(w)) into.add(w);
      }
    }
  }
}

function dictionaries(): Dictionaries {
  if (cached !== undefined) return cached;
  const first = new Set<string>(COMMON_FIRST_NAMES);
  const last = new Set<string>(COMMON_LAST_NAMES);
  for (const f of [fakerEn, fakerEnGb, fakerDe, fakerFr, fakerEs, fakerIt, fakerNl]) {
    const p = f.rawDefinitions.person;
    collect(first, [p?.first_name?.generic, p?.first_name?.female, p?.first_name?.male]);
    collect(last, [p?.last_name?.generic, p?.last_name?.female, p?.last_name?.male]);
  }
  for (const w of EVERYDAY_WORDS) {
    first.delete(w);
    last.delete(w);
  }
  cached = { first, last };
  return cached;
}

/** Whether a word is a known first name (any case, accents folded). */
export function isKnownFirstName(word: string): boolean {
  return dictionaries().first.has(foldName(word));
}

/** Whether a word is a known last name (any case, accents folded). */
export function isKnownLastName(word: string): boolean {
  return dictionaries().last.has(foldName(word));
}

/** Name particles that sit inside surnames (`van der Berg`, `de la Cruz`). */
const PARTICLES = new Set([
  'van',
  'der',
  'den',
  'de',
  'la',
  'le',
  'del',
  'della',
  'di',
  'da',
  'von',
  'zu',
  'y',
  'ten',
  'ter',
  'du',
  'dos',
  'das',
]);
const TITLES = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'dr',
  'prof',
  'herr',
  'frau',
  'm',
  'mme',
  'mlle',
  'sr',
  'sra',
  'srta',
  'sig',
  'sigra',
  'dhr',
  'mevr',
]);

/**
 * Legal-form words (dots removed) that make a value a company (`Müller GmbH`, `Rossi S.p.A.`,
 * `Jansen B.V.`): company names are built from surnames, so without this they read as people.
 */
const LEGAL_FORMS = new Set(
  (
    'gmbh mbh ag kg kgaa ohg ug gbr ev eg ltd llc llp lp inc corp corporation plc pllc sarl sas sasu eurl sa sca ' +
    'snc spa srl srls sapa bv nv vof cv ab oy oyj aps sl slu sro group gruppe holding holdings sons sohne cie'
  ).split(' '),
);

/** Whether a value names a company by its legal form. */
export function hasLegalForm(value: string): boolean {
  for (const w of value.split(/[\s,&]+/)) if (LEGAL_FORMS.has(foldName(w).replace(/\./g, ''))) return true;
  return false;
}

function wordsOf(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((w) => w.replace(/\.$/, ''))
    .filter((w) => w.length > 0 && !TITLES.has(foldName(w)));
}

/** A single word (or hyphenated pair) that is a known first name. */
export function isFirstNameValue(value: string): boolean {
  if (hasLegalForm(value)) return false;
  const words = wordsOf(value);
  return words.length === 1 && (words[0] as string).split('-').every((w) => isKnownFirstName(w));
}

/** A surname: known last-name words, possibly with particles or a second surname. */
export function isLastNameValue(value: string): boolean {
  if (hasLegalForm(value)) return false;
  const words = wordsOf(value).flatMap((w) => w.split('-'));
  if (words.length === 0 || words.length > 4) return false;
  const core = words.filter((w) => !PARTICLES.has(foldName(w)));
  return core.length > 0 && core.length <= 2 && core.some((w) => isKnownLastName(w));
}

const NAME_WORD = /^\p{Lu}[\p{Ll}'’]*(?:-\p{Lu}[\p{Ll}'’]*)*\.?$/u;

/**
 * A value written the way personal names are, whatever the culture: two to five words, each a
 * capitalised run of letters (`Rageshwari Bhat`, `Dietrich, Selina`, `Dr. Ana de la Cruz`) or a
 * particle; no digits, no legal form. Product and place names pass too, so it only confirms a
 * column name that already says person.
 */
export function isNameShaped(value: string): boolean {
  if (hasLegalForm(value)) return false;
  const words = value.split(/[\s,]+/).filter((w) => w.length > 0);
  if (words.length < 2 || words.length > 5) return false;
  let capitalised = 0;
  for (const w of words) {
    if (PARTICLES.has(w)) continue;
    if (!NAME_WORD.test(w)) return false;
    capitalised++;
  }
  return capitalised >= 2;
}

/** A full name: two to five words, among them a known first name and a known last name (either order). */
export function isFullNameValue(value: string): boolean {
  if (hasLegalForm(value)) return false;
  const words = wordsOf(value).flatMap((w) => w.split('-'));
  if (words.length < 2 || words.length > 5) return false;
  let first = false;
  let last = false;
  for (const w of words) {
    if (PARTICLES.has(foldName(w))) continue;
    if (!first && isKnownFirstName(w)) first = true;
    else if (isKnownLastName(w)) last = true;
  }
  return first && last;
}
