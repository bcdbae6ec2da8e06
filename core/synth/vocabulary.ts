/**
 * Word lists for fake values, taken from @faker-js/faker's English locale data. Only the data is
 * used: values are composed with our own seeded PRNG, because faker's generator methods run at
 * 60k–300k values/s (emails ~85k/s, street addresses ~60k/s measured here) and would dominate
 * sampling time, and because its shared instance carries global random state.
 */
import { faker } from '@faker-js/faker/locale/en';
import { EXAMPLE_MAIL_DOMAINS, EXAMPLE_PARENT_DOMAINS } from '../replace/example-domains.js';
import { groupWords, type LoremWords } from './lorem.js';

/** Prepared word lists (built once per process, read-only afterwards). */
export interface Vocabulary {
  firstNames: readonly string[];
  lastNames: readonly string[];
  /** First/last names lower-cased and stripped to [a-z], for email local parts. */
  firstNamesAscii: readonly string[];
  lastNamesAscii: readonly string[];
  /** Reserved example domains for personal-looking addresses (never a real provider). */
  mailDomains: readonly string[];
  /** Reserved parents for company-looking addresses (`smith.example.com`). */
  companyMailParents: readonly string[];
  streetSuffixes: readonly string[];
  streetNames: readonly string[];
  cityNames: readonly string[];
  cityPrefixes: readonly string[];
  citySuffixes: readonly string[];
  loremWords: LoremWords;
}

let cached: Vocabulary | undefined;

/** The English vocabulary, built on first use. */
export function getVocabulary(): Vocabulary {
  if (cached !== undefined) return cached;
  const d = faker.definitions;
  const first = unique([
    ...(d.person.first_name?.generic ?? []),
    ...(d.person.first_name?.female ?? []),
    ...(d.person.first_name?.male ?? []),
  ]);
  const last = unique([...(d.person.last_name?.generic ?? [])]);
  cached = {
    firstNames: first,
    lastNames: last,
    firstNamesAscii: first.map(toAsciiLower).filter((s) => s.length > 0),
    lastNamesAscii: last.map(toAsciiLower).filter((s) => s.length > 0),
    // Fake addresses use reserved example domains only, never a real provider's (see replace/example-domains.ts).
    mailDomains: EXAMPLE_MAIL_DOMAINS,
    companyMailParents: EXAMPLE_PARENT_DOMAINS,
    streetSuffixes: nonEmpty(d.location.street_suffix, ['Street', 'Avenue', 'Road']),
    streetNames: nonEmpty(d.location.street_name, ['Main Street']),
    cityNames: nonEmpty(d.location.city_name, ['Springfield']),
    cityPrefixes: nonEmpty(d.location.city_prefix, ['North', 'South']),
    citySuffixes: nonEmpty(d.location.city_suffix, ['ville', 'town']),
    loremWords: groupWords(nonEmpty(d.lorem.word, ['lorem', 'ipsum', 'dolor', 'sit', 'amet'])),
  };
  return cached;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

function nonEmpty(values: readonly string[] | undefined, fallback: string[]): readonly string[] {
  return values !== undefined && values.length > 0 ? [...values] : fallback;
}

function toAsciiLower(s: string): string {
  return s
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}
