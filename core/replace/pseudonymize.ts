/**
 * Deterministic pseudonymization with a keyed HMAC-SHA256: the same input under the same key gives
 * the same output in every table and run, so joins between pseudonymized keys survive, while
 * without the key the mapping cannot be reproduced or inverted. The output keeps the input's
 * format where possible (digits stay digits, letters stay letters of the same case, emails stay
 * emails, card numbers stay Luhn-valid, IBANs keep their country and valid check digits).
 * Outputs are not guaranteed distinct: short values (a 4-digit code has 10^4 outputs) can collide.
 */
import { createHmac } from 'node:crypto';
import { luhnCheckDigit, ibanCheckDigits } from './format-preserving.js';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/** An endless byte stream from HMAC-SHA256(key, counter ‖ input), enough for inputs of any length. */
class KeyedStream {
  private block: Buffer = Buffer.alloc(0);
  private at = 0;
  private counter = 0;
  constructor(
    private readonly key: Uint8Array,
    private readonly input: string,
  ) {}
  /** Uniform integer in [0, n) for n ≤ 256 (rejection sampling keeps it unbiased). */
  nextInt(n: number): number {
    const limit = 256 - (256 % n);
    for (;;) {
      if (this.at >= this.block.length) this.refill();
      const b = this.block[this.at++] as number;
      if (b < limit) return b % n;
    }
  }
  private refill(): void {
    this.block = createHmac('sha256', this.key).update(`${this.counter++}\u0000${this.input}`).digest();
    this.at = 0;
  }
}

/** Letters and digits mapped within their class by the keyed stream; everything else kept. */
function mapClasses(text: string, stream: KeyedStream, firstDigitNonZero: boolean): string {
  let out = '';
  let seenDigit = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      out += !seenDigit && firstDigitNonZero ? String(1 + stream.nextInt(9)) : String(stream.nextInt(10));
      seenDigit = true;
    } else if (c >= 65 && c <= 90) out += UPPER[stream.nextInt(26)];
    else if (c >= 97 && c <= 122) out += LOWER[stream.nextInt(26)];
    else out += text[i];
  }
  return out;
}

/** The pseudonym of a string value under `key`, formatted by `kind` (`email`, `credit_card`, `iban`, or anything else). */
export function pseudonymizeString(value: string, key: Uint8Array, kind: string): string {
  // The kind is not hashed in: a value gives the same pseudonym whichever column it sits in.
  const stream = new KeyedStream(key, value);
  if (kind === 'email') {
    const at = value.lastIndexOf('@');
    if (at > 0) {
      const domain = value.slice(at + 1);
      const dot = domain.lastIndexOf('.');
      const head = dot > 0 ? domain.slice(0, dot) : domain;
      return `${mapClasses(value.slice(0, at), stream, false)}@${mapClasses(head, stream, false)}${dot > 0 ? domain.slice(dot) : ''}`;
    }
  }
  if (kind === 'credit_card') {
    const digits = value.replace(/\D/g, '');
    if (digits.length >= 12) {
      const mapped = mapClasses(digits.slice(0, -1), stream, true);
      const full = mapped + luhnCheckDigit(mapped);
      let k = 0;
      return value.replace(/\d/g, () => full[k++] ?? '0');
    }
  }
  if (kind === 'iban') {
    const compact = value.replace(/\s+/g, '').toUpperCase();
    if (/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(compact)) {
      const bban = mapClasses(compact.slice(4), stream, false);
      const fresh = `${compact.slice(0, 2)}${ibanCheckDigits(compact.slice(0, 2), bban)}${bban}`;
      let k = 0;
      let out = '';
      for (const c of value) out += /\s/.test(c) ? c : (fresh[k++] ?? '');
      return out;
    }
  }
  // Plain numbers without a leading zero keep it that way, matching pseudonymizeInteger for joins across types.
  return mapClasses(value, stream, /^[1-9]\d+$/.test(value));
}

/** The pseudonym of an integer: same sign and digit count, first digit non-zero unless the value is one digit. */
export function pseudonymizeInteger(value: number, key: Uint8Array): number {
  const text = String(Math.abs(value));
  if (!/^\d+$/.test(text)) return value;
  const mapped = Number(mapClasses(text, new KeyedStream(key, String(value)), text.length > 1));
  return value < 0 ? -mapped : mapped;
}
