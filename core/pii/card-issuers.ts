/**
 * Payment-card issuer ranges (IIN prefixes and lengths of the major networks), so that a card
 * column is told apart from Luhn-passing order numbers: a random 16-digit number passes Luhn one
 * time in ten, but rarely also starts with an issued prefix of the right length.
 */
import { luhnCheck } from './patterns.js';

/** Card networks recognised by {@link cardIssuer}. */
export const CardIssuer = {
  Visa: 'visa',
  Mastercard: 'mastercard',
  Amex: 'amex',
  Discover: 'discover',
  Jcb: 'jcb',
  DinersClub: 'diners_club',
  UnionPay: 'unionpay',
  Maestro: 'maestro',
} as const;
/** One of {@link CardIssuer}. */
export type CardIssuer = (typeof CardIssuer)[keyof typeof CardIssuer];

interface Range {
  issuer: CardIssuer;
  /** Inclusive prefix range, compared on the first `digits` digits. */
  from: number;
  to: number;
  digits: number;
  lengths: readonly number[];
}

const SIXTEEN_TO_NINETEEN = [16, 17, 18, 19];

/** Most specific first: Discover's 622126–622925 sits inside UnionPay's 62. */
const RANGES: readonly Range[] = [
  { issuer: CardIssuer.Visa, from: 4, to: 4, digits: 1, lengths: [13, 16, 19] },
  { issuer: CardIssuer.Mastercard, from: 51, to: 55, digits: 2, lengths: [16] },
  { issuer: CardIssuer.Mastercard, from: 2221, to: 2720, digits: 4, lengths: [16] },
  { issuer: CardIssuer.Amex, from: 34, to: 34, digits: 2, lengths: [15] },
  { issuer: CardIssuer.Amex, from: 37, to: 37, digits: 2, lengths: [15] },
  { issuer: CardIssuer.Discover, from: 6011, to: 6011, digits: 4, lengths: SIXTEEN_TO_NINETEEN },
  { issuer: CardIssuer.Discover, from: 644, to: 649, digits: 3, lengths: SIXTEEN_TO_NINETEEN },
  { issuer: CardIssuer.Discover, from: 65, to: 65, digits: 2, lengths: SIXTEEN_TO_NINETEEN },
  { issuer: CardIssuer.Discover, from: 622126, to: 622925, digits: 6, lengths: SIXTEEN_TO_NINETEEN },
  { issuer: CardIssuer.Jcb, from: 3528, to: 3589, digits: 4, lengths: SIXTEEN_TO_NINETEEN },
  { issuer: CardIssuer.DinersClub, from: 300, to: 305, digits: 3, lengths: [14, 16, 17, 18, 19] },
  { issuer: CardIssuer.DinersClub, from: 36, to: 36, digits: 2, lengths: [14, 16, 17, 18, 19] },
  { issuer: CardIssuer.DinersClub, from: 38, to: 39, digits: 2, lengths: [16, 17, 18, 19] },
  { issuer: CardIssuer.UnionPay, from: 62, to: 62, digits: 2, lengths: SIXTEEN_TO_NINETEEN },
  { issuer: CardIssuer.Maestro, from: 50, to: 50, digits: 2, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
  { issuer: CardIssuer.Maestro, from: 56, to: 69, digits: 2, lengths: [12, 13, 14, 15, 16, 17, 18, 19] },
];

/** The network whose issuer range and length fit a string of digits, or undefined. */
export function cardIssuer(digits: string): CardIssuer | undefined {
  if (!/^\d{12,19}$/.test(digits)) return undefined;
  for (const r of RANGES) {
    if (!r.lengths.includes(digits.length)) continue;
    const prefix = Number(digits.slice(0, r.digits));
    if (prefix >= r.from && prefix <= r.to) return r.issuer;
  }
  return undefined;
}

const CARD_SHAPE = /^\d(?:[ -]?\d){11,18}$/;

/** A payment card number in an issued range and length, grouped by spaces or dashes or not, passing Luhn. */
export function isValidPaymentCard(value: string): boolean {
  if (!CARD_SHAPE.test(value)) return false;
  const digits = value.replace(/[ -]/g, '');
  return cardIssuer(digits) !== undefined && luhnCheck(digits);
}
