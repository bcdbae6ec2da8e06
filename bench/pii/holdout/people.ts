/**
 * Synthetic people for the holdout corpus: names from faker in a chosen locale, and everything
 * derived from them (email, username, birth date) coherent within the row.
 */
import type { Faker } from '@faker-js/faker';
import { makeBirthDate } from './contact.js';
import { pickOne, randInt, type Rand } from './ids.js';

/** One synthetic person. */
export interface Person {
  first: string;
  last: string;
  female: boolean;
  birth: Date;
}

/** Free-mail and ISP domains by market, the way real customer tables mix them. */
export const MAIL_DOMAINS = {
  US: ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com', 'aol.com', 'comcast.net', 'hotmail.com'],
  GB: ['gmail.com', 'btinternet.com', 'hotmail.co.uk', 'sky.com', 'outlook.com', 'yahoo.co.uk'],
  DE: ['gmx.de', 'web.de', 't-online.de', 'gmail.com', 'posteo.de', 'freenet.de', 'outlook.de'],
  FR: ['orange.fr', 'free.fr', 'laposte.net', 'gmail.com', 'sfr.fr', 'hotmail.fr', 'wanadoo.fr'],
  ES: ['gmail.com', 'hotmail.es', 'yahoo.es', 'telefonica.net', 'outlook.es'],
  IT: ['libero.it', 'virgilio.it', 'gmail.com', 'alice.it', 'tiscali.it', 'hotmail.it'],
  NL: ['ziggo.nl', 'kpnmail.nl', 'gmail.com', 'hotmail.nl', 'planet.nl', 'xs4all.nl'],
  PL: ['wp.pl', 'onet.pl', 'o2.pl', 'gmail.com', 'interia.pl'],
  SE: ['telia.com', 'gmail.com', 'hotmail.se', 'bredband.net', 'live.se'],
  BR: ['uol.com.br', 'bol.com.br', 'gmail.com', 'hotmail.com', 'terra.com.br'],
  IN: ['gmail.com', 'yahoo.co.in', 'rediffmail.com', 'outlook.com'],
  BE: ['skynet.be', 'telenet.be', 'gmail.com', 'proximus.be'],
} as const;

/** Company domains for work addresses. */
export const WORK_DOMAINS = [
  'northwind-traders.com',
  'globex.io',
  'initech.net',
  'hooli.co',
  'umbrella-corp.eu',
  'stark-industries.de',
  'wayne-ent.co.uk',
  'acme-logistik.de',
  'tyrell.fr',
  'soylent.it',
  'cyberdyne.nl',
] as const;

/** Strips accents and anything an email local part would not carry. */
export function toAsciiWord(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .replace(/ø/g, 'o')
    .replace(/[^A-Za-z0-9]/g, '');
}

/** A person drawn from the faker instance's locale, aged between the bounds on 2025-01-01. */
export function makePerson(f: Faker, rand: Rand, minAge = 18, maxAge = 90): Person {
  const female = rand() < 0.5;
  const sex = female ? 'female' : 'male';
  return {
    first: f.person.firstName(sex),
    last: f.person.lastName(sex),
    female,
    birth: makeBirthDate(rand, minAge, maxAge),
  };
}

/** An email address built from the person's own names, in one of the common local-part shapes. */
export function makeEmailFor(rand: Rand, p: Person, domains: readonly string[]): string {
  const f = toAsciiWord(p.first).toLowerCase();
  const l = toAsciiWord(p.last).toLowerCase();
  const n = String(randInt(rand, 1, 99));
  const local = pickOne(rand, [
    `${f}.${l}`,
    `${f}${l}`,
    `${f.charAt(0)}.${l}`,
    `${f.charAt(0)}${l}${n}`,
    `${l}.${f}`,
    `${f}_${l}`,
    `${f}${n}`,
    `${f}.${l}+shop`,
  ]);
  return `${local}@${pickOne(rand, domains)}`;
}

/** A login handle derived from the person's names. */
export function makeUsername(rand: Rand, p: Person): string {
  const f = toAsciiWord(p.first).toLowerCase();
  const l = toAsciiWord(p.last).toLowerCase();
  return pickOne(rand, [
    `${f.charAt(0)}${l}`,
    `${f}.${l}`,
    `${f}${randInt(rand, 1, 999)}`,
    `${l}_${f.charAt(0)}`,
    `${f}${l.charAt(0)}${randInt(rand, 70, 99)}`,
  ]);
}
