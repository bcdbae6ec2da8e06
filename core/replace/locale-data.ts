/**
 * Word lists per locale, read from @faker-js/faker's locale packs (data only: values are composed
 * with our seeded generator, for speed and so that no global random state is involved). A locale
 * falls back along faker's own chain (`de_AT` → `de` → `en`) field by field.
 */
import { allLocales, type LocaleDefinition } from '@faker-js/faker';
import { ConfigError } from '../errors.js';

/** Prepared lists for one locale (built once per process and locale, read-only afterwards). */
export interface LocaleData {
  /** Faker's key for the locale (`de_AT`). */
  key: string;
  /** ISO 639 language (`de`). */
  language: string;
  firstNames: readonly string[];
  lastNames: readonly string[];
  streetNames: readonly string[];
  streetSuffixes: readonly string[];
  streetPrefixes: readonly string[];
  /** faker's street patterns reduced to the tokens we expand (names, street name/prefix/suffix). */
  streetPatterns: readonly string[];
}

/** The default locale of fakes. */
export const DEFAULT_LOCALE = 'en_US';

const cache = new Map<string, LocaleData>();
const locales = allLocales as Record<string, LocaleDefinition>;

/** Faker's key for a config locale (`en-US`, `de`, `de_at`), or null when faker has no such locale. */
export function resolveLocaleKey(locale: string): string | null {
  const [lang = '', region] = locale.replace('-', '_').split('_');
  const key = region === undefined ? lang.toLowerCase() : `${lang.toLowerCase()}_${region.toUpperCase()}`;
  if (locales[key] !== undefined) return key;
  return locales[lang.toLowerCase()] !== undefined ? lang.toLowerCase() : null;
}

/**
 * The word lists of a locale.
 * @throws ConfigError at `field` when faker has no such locale.
 */
export function getLocaleData(locale: string, field = 'locale'): LocaleData {
  const hit = cache.get(locale);
  if (hit !== undefined) return hit;
  const key = resolveLocaleKey(locale);
  if (key === null) throw new ConfigError('is not a locale that @faker-js/faker provides', field);
  const language = key.split('_')[0] as string;
  const chain = [locales[key], locales[language], locales.en].filter(
    (l): l is LocaleDefinition => l !== undefined,
  );
  const first = <T>(
    read: (l: LocaleDefinition) => T | null | undefined,
    accept: (v: T) => boolean,
  ): T | undefined => {
    for (const l of chain) {
      const v = read(l);
      if (v !== undefined && v !== null && accept(v)) return v;
    }
    return undefined;
  };
  const nonEmpty = (v: readonly string[]): boolean => v.length > 0;
  const nameList = (
    v: { generic?: string[] | null; female?: string[] | null; male?: string[] | null } | null | undefined,
  ): string[] =>
    v === undefined || v === null
      ? []
      : unique([...(v.generic ?? []), ...(v.female ?? []), ...(v.male ?? [])]);
  const data: LocaleData = {
    key,
    language,
    firstNames: first((l) => nameList(l.person?.first_name), nonEmpty) ?? ['Alex'],
    lastNames: first((l) => nameList(l.person?.last_name), nonEmpty) ?? ['Smith'],
    streetNames: first((l) => l.location?.street_name, nonEmpty) ?? [],
    streetSuffixes: first((l) => l.location?.street_suffix, nonEmpty) ?? [],
    streetPrefixes: first((l) => l.location?.street_prefix, nonEmpty) ?? [],
    streetPatterns: [],
  };
  const patterns = (first((l) => l.location?.street_pattern, nonEmpty) ?? []).filter((p) =>
    expandableStreetPattern(p, data),
  );
  data.streetPatterns = patterns.length > 0 ? patterns : ['{{person.lastName}} Street'];
  cache.set(locale, data);
  return data;
}

const STREET_TOKENS: Readonly<Record<string, (d: LocaleData) => readonly string[]>> = {
  'person.firstName': (d) => d.firstNames,
  'person.lastName': (d) => d.lastNames,
  'location.street_name': (d) => d.streetNames,
  'location.street_suffix': (d) => d.streetSuffixes,
  'location.street_prefix': (d) => d.streetPrefixes,
};

/** The word list a street-pattern token stands for (`person.lastName` → last names). */
export function streetTokenList(token: string, data: LocaleData): readonly string[] {
  return STREET_TOKENS[token]?.(data) ?? [];
}

function expandableStreetPattern(pattern: string, data: LocaleData): boolean {
  for (const m of pattern.matchAll(/\{\{([^}]+)\}\}/g)) {
    if (streetTokenList((m[1] as string).trim(), data).length === 0) return false;
  }
  return true;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** Lower-case ASCII letters only (`Jürgen` → `jurgen`), for email local parts. */
export function toAsciiLower(s: string): string {
  return s
    .normalize('NFKD')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z]/g, '');
}
