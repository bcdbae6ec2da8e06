/**
 * Realistic fakes that stay coherent within a row: every column of one row draws its person (first
 * and last name) from one shared stream and its place (city, state, postcode, country) from
 * another, so a row's email is built from its own names and its postcode lies in its city. The
 * streams are keyed by (seed, table, group, global row) and never by the chunk, so a row gets the
 * same fakes however the table is chunked.
 */
import type { CountryCode } from 'libphonenumber-js/max';
import type { Rng } from '../random/index.js';
import { hashName, type CellRngFactory } from './cell-random.js';
import { EXAMPLE_MAIL_DOMAINS, EXAMPLE_PARENT_DOMAINS } from './example-domains.js';
import { countryOfLocale, expandPostcode, type Country, type Place } from './gazetteer.js';
import { getLocaleData, streetTokenList, toAsciiLower, type LocaleData } from './locale-data.js';
import { fakePhoneNumber, isPhoneRegion } from './phone-numbers.js';

/** The synthetic person of one row. */
export interface RowPerson {
  first: string;
  last: string;
}

/** The synthetic place of one row. */
export interface RowPlace {
  country: Country;
  place: Place;
  postcode: string;
}

/** Names of a row as they stand in the output table (when the table has name columns). */
export interface RowNames {
  first?: string;
  last?: string;
}

/** Fakes of one locale for one table, keyed by global row. */
export interface RowFaker {
  readonly locale: LocaleData;
  person(row: number): RowPerson;
  place(row: number): RowPlace;
  /** A fake of `kind` for `row`; `current` is the synthetic value being replaced (its layout is followed where it matters). */
  fake(kind: string, row: number, current: string, names: RowNames, cell: Rng): string | null;
}

/** The fake kinds this module builds from locale data (others fall back to shape-preserving values). */
export const COHERENT_FAKE_KINDS = [
  'first_name',
  'last_name',
  'person_name',
  'email',
  'phone',
  'street_address',
  'city',
  'state',
  'postal_code',
  'country',
] as const;

/** A row faker for `locale` under the table's cell streams. */
export function createRowFaker(localeName: string, cells: CellRngFactory, field?: string): RowFaker {
  const locale = getLocaleData(localeName, field);
  const country = countryOfLocale(locale.key);
  const personStream = hashName(`person:${locale.key}`);
  const placeStream = hashName(`place:${country.code}`);
  const region = isPhoneRegion(country.code) ? (country.code as CountryCode) : ('US' as CountryCode);

  const person = (row: number): RowPerson => {
    const rng = cells(personStream, row);
    return { first: pick(locale.firstNames, rng), last: pick(locale.lastNames, rng) };
  };
  const place = (row: number): RowPlace => {
    const rng = cells(placeStream, row);
    const p = country.places[rng.nextInt(country.places.length)] as Place;
    const template = p.postcodes[rng.nextInt(p.postcodes.length)] as string;
    return { country, place: p, postcode: expandPostcode(template, (n) => rng.nextInt(n)) };
  };

  const fake: RowFaker['fake'] = (kind, row, current, names, cell) => {
    switch (kind) {
      case 'first_name':
        return person(row).first;
      case 'last_name':
        return person(row).last;
      case 'person_name': {
        const p = person(row);
        return `${p.first} ${p.last}`;
      }
      case 'email':
        return fakeEmail(names, person(row), locale, cell);
      case 'phone':
        return fakePhoneNumber(region, cell, current.trimStart().startsWith('+'));
      case 'street_address':
        return fakeStreetAddress(locale, country, cell);
      case 'city':
        return place(row).place.city;
      case 'state': {
        const p = place(row).place;
        // Follow the synthetic value: an abbreviation stays an abbreviation.
        return /^[A-Z]{2,3}$/.test(current.trim()) ? p.stateAbbr : p.state;
      }
      case 'postal_code':
        return place(row).postcode;
      case 'country':
        if (/^[A-Z]{2}$/.test(current.trim())) return country.code;
        return locale.language === 'en' ? country.name : country.localName;
      default:
        return null;
    }
  };
  return { locale, person, place, fake };
}

function pick(list: readonly string[], rng: Rng): string {
  return list[rng.nextInt(list.length)] as string;
}

function fakeEmail(names: RowNames, person: RowPerson, locale: LocaleData, rng: Rng): string {
  // The table's own name columns win, so the email belongs to the row's person.
  let f = toAsciiLower(names.first ?? person.first);
  let l = toAsciiLower(names.last ?? person.last);
  if (f === '') f = toAsciiLower(person.first) || 'user';
  if (l === '') l = toAsciiLower(person.last) || 'mail';
  let local: string;
  switch (rng.nextInt(5)) {
    case 0:
      local = `${f}.${l}`;
      break;
    case 1:
      local = `${f}_${l}`;
      break;
    case 2:
      local = `${f}${l}${rng.nextInt(100)}`;
      break;
    case 3:
      local = `${f}.${l}${rng.nextInt(1000)}`;
      break;
    default:
      local = `${f}${l}`;
  }
  // Most personal addresses look like free-mail ones, the rest like a company's; all are reserved example domains.
  const domain =
    rng.nextInt(10) < 6
      ? pick(EXAMPLE_MAIL_DOMAINS, rng)
      : `${toAsciiLower(pick(locale.lastNames, rng)) || 'company'}.${pick(EXAMPLE_PARENT_DOMAINS, rng)}`;
  return `${local}@${domain}`;
}

function fakeStreetAddress(locale: LocaleData, country: Country, rng: Rng): string {
  const pattern = pick(locale.streetPatterns, rng);
  const street = pattern.replace(/\{\{([^}]+)\}\}/g, (_, token: string) => {
    const list = streetTokenList(token.trim(), locale);
    return list.length > 0 ? pick(list, rng) : '';
  });
  const number = String(1 + rng.nextInt(rng.nextInt(4) === 0 ? 9999 : 199));
  return country.houseNumberFirst ? `${number} ${street}` : `${street} ${number}`;
}
