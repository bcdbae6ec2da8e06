/**
 * Faker providers by name (`person.firstName`, `location.city`), per locale, driven by our PRNG so
 * output is a pure function of the seed. Faker's own generator is replaced through its `randomizer`
 * option; its reference date is fixed so relative methods (`date.past`) do not move with the clock.
 */
import { allLocales, Faker, type LocaleDefinition, type Randomizer } from '@faker-js/faker';
import type { Rng } from '../random/index.js';

/** syndata-style rule names and the Faker method each stands for. */
export const FAKER_ALIASES: Readonly<Record<string, string>> = {
  first_name: 'person.firstName',
  last_name: 'person.lastName',
  name: 'person.fullName',
  full_name: 'person.fullName',
  job_title: 'person.jobTitle',
  // exampleEmail: reserved example domains only, never a real provider's.
  email: 'internet.exampleEmail',
  username: 'internet.username',
  user_name: 'internet.username',
  url: 'internet.url',
  domain: 'internet.domainName',
  ipv4: 'internet.ipv4',
  ip_address: 'internet.ipv4',
  ipv6: 'internet.ipv6',
  phone: 'phone.number',
  phone_number: 'phone.number',
  address: 'location.streetAddress',
  street_address: 'location.streetAddress',
  city: 'location.city',
  state: 'location.state',
  country: 'location.country',
  country_code: 'location.countryCode',
  zipcode: 'location.zipCode',
  zip_code: 'location.zipCode',
  postcode: 'location.zipCode',
  postal_code: 'location.zipCode',
  latitude: 'location.latitude',
  longitude: 'location.longitude',
  company: 'company.name',
  company_name: 'company.name',
  iban: 'finance.iban',
  credit_card: 'finance.creditCardNumber',
  credit_card_number: 'finance.creditCardNumber',
  currency_code: 'finance.currencyCode',
  product_name: 'commerce.productName',
  department: 'commerce.department',
  color: 'color.human',
  word: 'lorem.word',
  sentence: 'lorem.sentence',
  paragraph: 'lorem.paragraph',
  text: 'lorem.paragraph',
  date_of_birth: 'date.birthdate',
  birthdate: 'date.birthdate',
};

/** Faker's locale key for a config locale (`en_US`, `de-DE`, `de`), falling back to the language; null if Faker has none. */
export function resolveFakerLocale(locale: string): string | null {
  const normalized = locale.replace('-', '_');
  const locales = allLocales as Record<string, LocaleDefinition>;
  if (locales[normalized]) return normalized;
  const language = normalized.split('_')[0] ?? '';
  return locales[language] ? language : null;
}

/** A value-producing Faker method: the function at `method` of a Faker instance. */
export type FakerCall = (...args: unknown[]) => unknown;

/** A Faker instance whose randomness is the Rng currently set, so each block can bring its own stream. */
export interface SeededFaker {
  /** Uses `rng` for every following call. */
  use(rng: Rng): void;
  /** The method at the dotted path, or null if there is no such method. */
  method(path: string): FakerCall | null;
}

let probe: Faker | null = null;

/** A Faker for `locale` (resolved with {@link resolveFakerLocale}, English as fallback) reading randomness from the Rng set with `use`. */
export function createSeededFaker(locale: string, referenceDate: string): SeededFaker {
  let current: Rng | null = null;
  const randomizer: Randomizer = {
    next: () => {
      if (current === null) throw new Error('createSeededFaker: use(rng) must be called before generating');
      // nextDouble is in (0, 1); Faker expects [0, 1).
      return current.nextDouble();
    },
    seed: () => {
      // Seeding goes through our Rng, never Faker's own.
    },
  };
  const key = resolveFakerLocale(locale) ?? 'en';
  const locales = allLocales as Record<string, LocaleDefinition>;
  const chain = [locales[key], locales.en, locales.base].filter(
    (l): l is LocaleDefinition => l !== undefined,
  );
  const faker = new Faker({ locale: chain, randomizer });
  faker.setDefaultRefDate(referenceDate);
  return {
    use(rng) {
      current = rng;
    },
    method(path) {
      return lookupMethod(faker, path);
    },
  };
}

/** True if `path` names a Faker method (checked on an English instance). */
export function isFakerMethod(path: string): boolean {
  probe ??= new Faker({ locale: [allLocales.en, allLocales.base] });
  return lookupMethod(probe, path) !== null;
}

function lookupMethod(faker: Faker, path: string): FakerCall | null {
  const parts = path.split('.');
  // Inherited Object members (`constructor`, `toString`) are never providers.
  if (parts.length < 2 || parts.some((p) => p === '' || p.startsWith('_') || p in Object.prototype))
    return null;
  let owner: unknown = faker;
  let target: unknown = faker;
  for (const part of parts) {
    if (typeof target !== 'object' || target === null || !(part in target)) return null;
    owner = target;
    target = (target as Record<string, unknown>)[part];
  }
  // Modules are objects; only functions on a module are providers (not `faker.seed` or `faker.rawDefinitions`).
  if (typeof target !== 'function' || owner === faker) return null;
  const fn = target as FakerCall;
  return (...args) => fn.apply(owner, args);
}
