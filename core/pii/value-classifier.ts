/**
 * The value classifier: validators over the sampled values.
 *
 * - For each validator, the share s of sampled values that pass gives the score
 *   {@link shareConfidence}(s): s ≥ 0.8 gives 0.91–0.99, 0.3 ≤ s < 0.8 gives 0.5–0.9, below that s.
 * - Where the column name announced a validated kind and the values are checkable but fail
 *   (s < 0.3), the classifier speaks against that kind with up to −0.8: the name was wrong
 *   (`email` holding hashes).
 * - Where values cannot be validated but can support a name (first names from dictionaries,
 *   house numbers, postcode shapes, plausible birth dates, coordinates in range), support is
 *   0.5, and values that contradict the name (numbers in a city column, dates 150 years ago in a
 *   birth-date column) count against it.
 * - Without a name, columns of common personal names, street lines with street words, and
 *   distinctive postcodes (UK, CA, NL) are recognised from values alone at 0.75 and up.
 */
import { SemanticType } from '../profile/index.js';
import { PhysicalType } from '../table.js';
import { isStreetLine, hasHouseNumber } from './addresses.js';
import { isValidPaymentCard } from './card-issuers.js';
import { percent, shareOf, type ColumnContext } from './column-context.js';
import { decimalPlaces, isGeoPair, isLatitude, isLongitude } from './geo.js';
import { tokenizeForRules } from './name-rules.js';
import { isValidNationalId, isValidUkNino } from './national-ids.js';
import {
  isPostalCodeShape,
  isValidCreditCard,
  isValidEmail,
  isValidIban,
  isValidIpAddress,
  isValidPhone,
  isValidSsn,
} from './patterns.js';
import { VALIDATED_NAME_KINDS } from './name-classifier.js';
import { isFirstNameValue, isFullNameValue, isLastNameValue, isNameShaped } from './person-names.js';
import { isDistinctivePostcode } from './postcodes.js';
import { isLikelySecret, knownSecretFormat } from './secrets.js';
import { ClassifierName, PiiKind, type ClassifierContribution } from './types.js';
import { isUrlWithCredentials, isValidMacAddress } from './web-identifiers.js';

/** Confidence from the share of sampled values that validate (see the module comment). */
export function shareConfidence(share: number): number {
  if (share >= 0.8) return 0.91 + (0.08 * (share - 0.8)) / 0.2;
  if (share >= 0.3) return 0.5 + (0.4 * (share - 0.3)) / 0.5;
  return share;
}

const PHONE_REGIONS = ['US', 'GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'CA'] as const;
const PHONE_SHAPE = /^\+?[\d\s().\-/]{7,24}(?:\s*(?:x|ext\.?|#)\s*\d{1,6})?$/i;
/** Dotted quads and dashed SSNs fit the phone shape; rejecting them here spares libphonenumber eight futile parses each. */
const NOT_PHONE = /^(?:\d{1,3}(?:\.\d{1,3}){3}|\d{3}-\d{2}-\d{4})$/;

/**
 * A phone number: international form checked as such; national forms in the regions of the
 * locales we know. Bare digit runs (no `+`, no separators, no trunk `0`) count only beside a
 * phone column name, since any 10-digit key would otherwise pass somewhere.
 */
export function isPhoneValue(value: string, named: boolean): boolean {
  if (!PHONE_SHAPE.test(value) || NOT_PHONE.test(value)) return false;
  if (value.startsWith('+')) return isValidPhone(value);
  if (!named && /^[1-9]\d+$/.test(value)) return false;
  for (const region of PHONE_REGIONS) if (isValidPhone(value, region)) return true;
  return false;
}

interface Validator {
  kind: PiiKind;
  noun: string;
  test: (value: string, ctx: ColumnContext) => boolean;
  /** A looser shape: when a column named for this kind has almost none, the name was wrong. Absent: never doubt the name. */
  shape?: (value: string) => boolean;
  /** Highest score without a matching column name. @default 0.99 */
  unnamedCap?: number;
}

const VALIDATORS: readonly Validator[] = [
  { kind: PiiKind.Email, noun: 'email addresses', test: (v) => isValidEmail(v), shape: isValidEmail },
  {
    kind: PiiKind.UrlWithCredentials,
    noun: 'URLs carrying user:password',
    test: (v) => isUrlWithCredentials(v),
    shape: (v) => v.includes('://'),
  },
  {
    kind: PiiKind.CreditCard,
    noun: 'card numbers (issuer range and Luhn checked)',
    test: (v) => isValidPaymentCard(v),
    shape: isValidCreditCard,
  },
  // Bare nine-digit numbers pass only beside an SSN column name: otherwise every nine-digit key would.
  {
    kind: PiiKind.Ssn,
    noun: 'US social security numbers',
    test: (v, ctx) => isValidSsn(v, { allowUndashed: ctx.nameKind === PiiKind.Ssn }),
    shape: (v) => /^\d{3}[- ]?\d{2}[- ]?\d{4}$/.test(v),
  },
  { kind: PiiKind.Iban, noun: 'IBANs (mod-97 checked)', test: (v) => isValidIban(v), shape: isValidIban },
  {
    kind: PiiKind.UkNino,
    noun: 'UK National Insurance numbers',
    test: (v) => isValidUkNino(v),
    shape: isValidUkNino,
  },
  {
    kind: PiiKind.NationalId,
    noun: 'national ids (ES DNI/NIE, IT codice fiscale, NL BSN, FR NIR, DE Steuer-ID, check rules passed)',
    test: (v) => isValidNationalId(v),
  },
  {
    kind: PiiKind.MacAddress,
    noun: 'MAC addresses',
    test: (v) => isValidMacAddress(v),
    shape: isValidMacAddress,
  },
  {
    kind: PiiKind.IpAddress,
    noun: 'IP addresses',
    test: (v) => isValidIpAddress(v),
    shape: isValidIpAddress,
  },
  {
    kind: PiiKind.Phone,
    noun: 'phone numbers',
    test: (v, ctx) => isPhoneValue(v, ctx.nameKind === PiiKind.Phone),
    shape: (v) => {
      const digits = v.replace(/\D/g, '').length;
      return PHONE_SHAPE.test(v) && digits >= 7 && digits <= 15;
    },
  },
  { kind: PiiKind.Secret, noun: 'API keys or high-entropy tokens', test: (v) => isLikelySecret(v) },
  { kind: PiiKind.GeoCoordinate, noun: 'latitude/longitude pairs', test: (v) => isGeoPair(v) },
  {
    kind: PiiKind.PostalCode,
    noun: 'UK, Canadian or Dutch postcodes',
    test: (v) => isDistinctivePostcode(v),
    unnamedCap: 0.75,
  },
];

const AGAINST = -0.8;
/** Share of rows agreeing with an email column that confirms names (see email-agreement.ts). */
const EMAIL_AGREEMENT = 0.5;
const SUPPORT = 0.5;
const NAME_LIST_MIN_SHARE = 0.5;
const NAME_LIST_MIN_DISTINCT = 8;
const STREET_MIN_SHARE = 0.6;
const YEAR_MS = 365.2425 * 86_400_000;

/** The value classifier's contributions for one column. */
export function classifyByValues(ctx: ColumnContext): ClassifierContribution[] {
  const out: ClassifierContribution[] = [];
  const add = (kind: PiiKind, score: number, reason: string) =>
    out.push({ classifier: ClassifierName.Values, kind, score, reason });
  const n = ctx.sample.length;
  if (ctx.checkable) validatorEvidence(ctx, add);
  else if (ctx.column.type === PhysicalType.Integer && n > 0) integerEvidence(ctx, add);
  nameSupport(ctx, add);
  if (ctx.checkable && ctx.nameKind === undefined) unnamedTextEvidence(ctx, add);
  if (ctx.name === undefined) opaqueBirthDateEvidence(ctx, add);
  if (
    out.length === 0 &&
    !ctx.checkable &&
    ctx.nameKind !== undefined &&
    VALIDATED_NAME_KINDS.has(ctx.nameKind)
  ) {
    // Said beside the name's own evidence, so reviewers see why only the name counted.
    add(
      ctx.nameKind,
      0,
      n === 0 ? 'no non-null values to check' : 'values are not text that could be validated',
    );
  } else if (out.length === 0) {
    const why =
      n === 0
        ? 'no non-null values to check'
        : ctx.checkable
          ? `none of ${n} sampled values validates as personal data`
          : 'values are numbers or dates, which no validator applies to';
    add(PiiKind.None, 0, why);
  }
  return out;
}

type Add = (kind: PiiKind, score: number, reason: string) => void;

/** Values a validator sees first; one that none of them passes is not run on the rest (unless the name announced its kind). */
const PROBE_SIZE = 100;
/** libphonenumber takes ~50 µs a number and up to eight regions are tried: 300 values estimate a share within a few percent. */
const PHONE_SAMPLE_LIMIT = 300;

function stagedShare(
  sample: readonly string[],
  test: (value: string) => boolean,
  named: boolean,
  limit: number,
): { share: number; n: number } {
  const values =
    sample.length > limit ? sample.filter((_, i) => i % Math.ceil(sample.length / limit) === 0) : sample;
  if (!named && values.length > PROBE_SIZE) {
    const step = Math.floor(values.length / PROBE_SIZE);
    let any = false;
    for (let i = 0; i < values.length && !any; i += step) any = test(values[i] as string);
    if (!any) return { share: 0, n: values.length };
  }
  return { share: shareOf(values, test), n: values.length };
}

function validatorEvidence(ctx: ColumnContext, add: Add): void {
  const scored: { kind: PiiKind; score: number; reason: string }[] = [];
  for (const v of VALIDATORS) {
    const named = ctx.nameKind === v.kind;
    const limit = v.kind === PiiKind.Phone ? PHONE_SAMPLE_LIMIT : Number.POSITIVE_INFINITY;
    const { share, n } = stagedShare(ctx.sample, (x) => v.test(x, ctx), named, limit);
    if (share > 0) {
      let score = shareConfidence(share);
      if (!named && v.unnamedCap !== undefined) score = Math.min(score, v.unnamedCap);
      let reason = `${percent(share)} of ${n} sampled values are valid ${v.noun}`;
      if (v.kind === PiiKind.Secret) {
        const known = ctx.sample.find((x) => knownSecretFormat(x) !== undefined);
        if (known !== undefined) reason += ` (e.g. ${knownSecretFormat(known)} format)`;
      }
      scored.push({ kind: v.kind, score, reason });
    }
    if (named && share < 0.3 && v.shape !== undefined) {
      const shaped = shareOf(ctx.sample, v.shape);
      if (shaped < 0.3) {
        const score = AGAINST * (1 - Math.max(share, shaped) / 0.3);
        scored.push({
          kind: v.kind,
          score,
          reason: `${percent(share)} of ${n} sampled values are valid ${v.noun}`,
        });
      }
    }
  }
  discountPhone(ctx, scored);
  discountVersionNumbers(ctx, scored);
  scored.sort((a, b) => b.score - a.score);
  for (const s of scored) add(s.kind, s.score, s.reason);
}

/** Kinds whose validators carry a check digit, which a phone-shaped number passes only by chance. */
const CHECKSUM_KINDS: ReadonlySet<PiiKind> = new Set([PiiKind.NationalId, PiiKind.Iban, PiiKind.CreditCard]);
/** The most national-format phone evidence counts when something else explains the digits. */
const EXPLAINED_PHONE_CAP = 0.6;

/**
 * libphonenumber accepts most digit groups of a plausible length in one of eight regions, so a
 * national-format "phone" is weak evidence when the column name announces another kind (a `cep`,
 * an `nhs_number`) or the values pass a check-digit scheme. Numbers written with `+country` keep
 * their full weight: nothing else is written that way.
 */
function discountPhone(ctx: ColumnContext, scored: { kind: PiiKind; score: number; reason: string }[]): void {
  const phone = scored.find((s) => s.kind === PiiKind.Phone && s.score > EXPLAINED_PHONE_CAP);
  if (phone === undefined || ctx.nameKind === PiiKind.Phone) return;
  if (shareOf(ctx.sample, (v) => v.startsWith('+')) >= 0.5) return;
  const otherName = ctx.nameKind !== undefined;
  const checksum = scored.some((s) => CHECKSUM_KINDS.has(s.kind) && s.score >= 0.91);
  if (!otherName && !checksum) return;
  phone.score = EXPLAINED_PHONE_CAP;
  phone.reason += otherName
    ? ' (national forms only, and the column name announces another kind)'
    : ' (national forms only, and the values pass a check-digit scheme)';
}

const VERSION_NAME_WORDS = new Set([
  'version',
  'ver',
  'vers',
  'fw',
  'firmware',
  'build',
  'release',
  'rev',
  'revision',
  'sw',
  'software',
  'os',
  'bios',
]);
const VERSION_SHAPED = /^[1-9]\.(?:[12]?\d|3[01])\.\d{1,3}\.\d{1,3}$/;
const VERSION_MIN_SHARE = 0.6;
const VERSION_IP_CAP = 0.3;

/**
 * Four-part version numbers (`4.12.0.7`) are valid dotted quads. Two things tell them apart: a
 * name that says version or firmware, or values whose first two parts are small (1–9, then 0–31)
 * — IPv4 addresses below 10.0.0.0 are about 3.5% of the space, none of the private ranges, and
 * with a second octet under 32 one in three hundred random addresses.
 */
function discountVersionNumbers(
  ctx: ColumnContext,
  scored: { kind: PiiKind; score: number; reason: string }[],
): void {
  const ip = scored.find((s) => s.kind === PiiKind.IpAddress && s.score > VERSION_IP_CAP);
  if (ip === undefined || ctx.nameKind === PiiKind.IpAddress) return;
  const versionName = tokenizeForRules(ctx.column.name).some((t) => VERSION_NAME_WORDS.has(t));
  const versionShare = shareOf(ctx.sample, (v) => VERSION_SHAPED.test(v));
  if (!versionName && versionShare < VERSION_MIN_SHARE) return;
  ip.score = VERSION_IP_CAP;
  ip.reason += versionName
    ? ' (but the column name says version or firmware)'
    : ` (but ${percent(versionShare)} start like version numbers: a single-digit first part and a second part under 32)`;
}

/** Validators that apply to digits alone, for numbers a reader stored as integers (a Steuer-ID, a BSN). */
const DIGIT_KINDS: ReadonlySet<PiiKind> = new Set([
  PiiKind.NationalId,
  PiiKind.CreditCard,
  PiiKind.Phone,
  PiiKind.Ssn,
]);

/** Fewer digits than this cannot be a phone, card, SSN or national id even after losing a leading zero or `+`. */
const MIN_ID_DIGITS = 6;

/**
 * Positive evidence only from validators: integer storage has lost leading zeros and `+`, so a
 * failing value proves nothing. But a name-announced digit kind whose values are mostly short
 * numbers (`phone_calls_made`, `card_count`) is a count, not that kind.
 */
function integerEvidence(ctx: ColumnContext, add: Add): void {
  const n = ctx.sample.length;
  if (ctx.nameKind !== undefined && DIGIT_KINDS.has(ctx.nameKind)) {
    const long = shareOf(ctx.sample, (x) => x.replace(/^-/, '').length >= MIN_ID_DIGITS);
    if (long < 0.3)
      add(
        ctx.nameKind,
        AGAINST,
        `${percent(1 - long)} of ${n} sampled values have fewer than ${MIN_ID_DIGITS} digits, too short for the kind the name announces`,
      );
  }
  for (const v of VALIDATORS) {
    if (!DIGIT_KINDS.has(v.kind)) continue;
    const share = shareOf(ctx.sample, (x) => v.test(x, ctx));
    if (share > 0)
      add(
        v.kind,
        shareConfidence(share),
        `${percent(share)} of ${n} sampled values (stored as integers) are valid ${v.noun}`,
      );
  }
}

/** Values that confirm or contradict what the column name announced, for kinds without a validator. */
function nameSupport(ctx: ColumnContext, add: Add): void {
  const kind = ctx.nameKind;
  if (kind === undefined) return;
  const n = ctx.sample.length;
  const sample = ctx.sample;
  switch (kind) {
    case PiiKind.FirstName:
    case PiiKind.LastName:
    case PiiKind.PersonName: {
      if (ctx.numericStored) {
        add(kind, -1, 'values are numbers, which names never are');
        return;
      }
      if (!ctx.checkable) return;
      const test =
        kind === PiiKind.FirstName
          ? isFirstNameValue
          : kind === PiiKind.LastName
            ? isLastNameValue
            : isAnyName;
      const share = shareOf(sample, test);
      if (ctx.emailAgreement >= EMAIL_AGREEMENT) {
        add(
          kind,
          SUPPORT,
          `${percent(ctx.emailAgreement)} of compared rows have a word of the value in the same row's email address`,
        );
      } else if (share >= 0.1)
        add(kind, SUPPORT, `${percent(share)} of ${n} sampled values are common ${nameNoun(kind)}`);
      else if (kind === PiiKind.PersonName && n >= 20 && share < 0.05) {
        // A name qualified as a person's (`manager_name`) with values written like names holds names
        // the dictionaries lack (other cultures); a bare `name` may be a product's, so it stays doubted.
        const shaped = isQualifiedPersonName(ctx.column.name) ? shareOf(sample, isNameShaped) : 0;
        if (shaped >= 0.8)
          add(
            kind,
            0,
            `${percent(share)} of ${n} sampled values contain a common first or last name, but ${percent(shaped)} are written like personal names`,
          );
        else add(kind, -0.6, `${percent(share)} of ${n} sampled values contain a common first or last name`);
      }
      return;
    }
    case PiiKind.City:
      if (ctx.numericStored) add(kind, -1, 'values are numbers, which place names never are');
      return;
    case PiiKind.StreetAddress: {
      if (ctx.numericStored) {
        add(kind, -1, 'values are numbers, which street addresses never are');
        return;
      }
      if (!ctx.checkable) return;
      const share = shareOf(sample, hasHouseNumber);
      if (share >= 0.5) add(kind, SUPPORT, `${percent(share)} of ${n} sampled values have a house number`);
      return;
    }
    case PiiKind.PostalCode: {
      if (ctx.numericStored) {
        // ZIP codes read as integers lose their leading zero: 501–99999.
        const share = shareOf(sample, (v) => /^\d{3,5}$/.test(v) && Number(v) >= 501);
        if (share >= 0.9)
          add(
            kind,
            SUPPORT,
            `${percent(share)} of ${n} sampled values are 3–5 digit numbers, like ZIP codes without leading zeros`,
          );
        else if (n > 0 && share < 0.3)
          add(kind, AGAINST, `${percent(share)} of ${n} sampled values could be postcodes`);
        return;
      }
      if (!ctx.checkable) return;
      const share = shareOf(sample, isPostalCodeShape);
      if (share >= 0.8) add(kind, SUPPORT, `${percent(share)} of ${n} sampled values have a postcode shape`);
      return;
    }
    case PiiKind.DateOfBirth: {
      if (n === 0) return;
      const dates = sample.map(parseDateMs);
      const parsed = dates.filter((d): d is number => d !== undefined);
      if (parsed.length < 0.8 * n) {
        if (ctx.semantic !== SemanticType.Datetime)
          add(kind, -0.5, `${percent(1 - parsed.length / n)} of ${n} sampled values are not dates`);
        return;
      }
      const oldest = ctx.asOfMs - 120 * YEAR_MS;
      const plausible = parsed.filter((d) => d >= oldest && d <= ctx.asOfMs).length / parsed.length;
      if (plausible >= 0.95)
        add(
          kind,
          SUPPORT,
          `values are dates giving ages of 0–120 years (${percent(plausible)} of ${parsed.length})`,
        );
      else if (plausible < 0.5)
        add(
          kind,
          AGAINST,
          `${percent(1 - plausible)} of ${parsed.length} sampled dates give ages outside 0–120 years`,
        );
      return;
    }
    case PiiKind.GeoCoordinate: {
      if (n === 0) return;
      const numbers = sample.map((v) => ({ text: v, x: Number(v) }));
      const numeric = numbers.filter((v) => v.text !== '' && Number.isFinite(v.x));
      if (numeric.length < 0.8 * n) return;
      const inRange = numeric.filter((v) => isLongitude(v.x)).length / numeric.length;
      const latRange = numeric.filter((v) => isLatitude(v.x)).length / numeric.length;
      const precise = numeric.filter((v) => decimalPlaces(v.text) >= 2).length / numeric.length;
      if (inRange >= 0.99 && precise >= 0.5) {
        add(
          kind,
          SUPPORT,
          `values are degrees within ${latRange >= 0.99 ? '±90' : '±180'} with 2 or more decimals (${percent(precise)})`,
        );
      } else if (inRange < 0.9)
        add(kind, -1, `${percent(1 - inRange)} of ${n} sampled values are outside ±180 degrees`);
      else if (precise < 0.2)
        add(
          kind,
          -0.6,
          `${percent(1 - precise)} of ${n} sampled values are whole or one-decimal numbers, too coarse for a location`,
        );
      return;
    }
    default:
      return;
  }
}

/** Name tokens that say nothing about the contents (`c6`, `field_11`, `col_3`, `value2`). */
const GENERIC_NAME_TOKENS = new Set([
  'c',
  'col',
  'column',
  'field',
  'fld',
  'f',
  'v',
  'var',
  'val',
  'value',
  'attr',
  'attribute',
  'item',
  'data',
  'unnamed',
  'untitled',
  'ext',
  'x',
]);

/** A column name that carries no meaning: generic words, single letters and numbers only. */
export function isOpaqueName(name: string): boolean {
  const tokens = tokenizeForRules(name);
  return (
    tokens.length > 0 && tokens.every((t) => /^\d+$/.test(t) || t.length === 1 || GENERIC_NAME_TOKENS.has(t))
  );
}

const ADULT_MIN_YEARS = 16;
const ADULT_MAX_YEARS = 100;
const BIRTH_SPREAD_YEARS = 15;

/**
 * Birth dates in a column whose name says nothing: nearly every date gives an adult age and the
 * dates spread over decades, as a population's birth dates do. Business dates (signups, orders,
 * hires) are mostly recent, so they fail the first test. Only for opaque names: a named column of
 * old dates (`founded_on`) has told us what it is.
 */
function opaqueBirthDateEvidence(ctx: ColumnContext, add: Add): void {
  const n = ctx.sample.length;
  if (n < 20 || !isOpaqueName(ctx.column.name)) return;
  const dates = ctx.sample.map(parseDateMs).filter((d): d is number => d !== undefined);
  if (dates.length < 0.9 * n) return;
  const ages = dates.map((d) => (ctx.asOfMs - d) / YEAR_MS).sort((a, b) => a - b);
  const adult = ages.filter((a) => a >= ADULT_MIN_YEARS && a <= ADULT_MAX_YEARS).length / ages.length;
  const spread =
    (ages[Math.floor(ages.length * 0.9)] as number) - (ages[Math.floor(ages.length * 0.1)] as number);
  if (adult >= 0.95 && spread >= BIRTH_SPREAD_YEARS) {
    add(
      PiiKind.DateOfBirth,
      0.75,
      `${percent(adult)} of ${dates.length} sampled dates give adult ages (${ADULT_MIN_YEARS}–${ADULT_MAX_YEARS} years), spread over ${Math.round(spread)} years, in a column whose name says nothing`,
    );
  }
}

/** Personal names and addresses recognised without a telling column name. */
function unnamedTextEvidence(ctx: ColumnContext, add: Add): void {
  const n = ctx.sample.length;
  const distinct = new Set(ctx.sample).size;
  if (distinct < NAME_LIST_MIN_DISTINCT) return;
  if (ctx.emailAgreement >= EMAIL_AGREEMENT) {
    const shaped = shareOf(ctx.sample, isNameShaped);
    if (shaped >= 0.8) {
      add(
        PiiKind.PersonName,
        0.75 + (0.2 * (ctx.emailAgreement - EMAIL_AGREEMENT)) / (1 - EMAIL_AGREEMENT),
        `${percent(shaped)} of ${n} sampled values are written like personal names and ${percent(ctx.emailAgreement)} of compared rows have a word of the value in the same row's email address`,
      );
    }
  }
  // Full names first: a first name and a surname also pass the two-word surname test (`García López`).
  const candidates: [PiiKind, (v: string) => boolean][] = [
    [PiiKind.PersonName, isFullNameValue],
    [PiiKind.FirstName, isFirstNameValue],
    [PiiKind.LastName, isLastNameValue],
  ];
  for (const [kind, test] of candidates) {
    const share = shareOf(ctx.sample, test);
    if (share >= NAME_LIST_MIN_SHARE) {
      add(
        kind,
        0.75 + (0.2 * (share - NAME_LIST_MIN_SHARE)) / (1 - NAME_LIST_MIN_SHARE),
        `${percent(share)} of ${n} sampled values are common ${nameNoun(kind)}`,
      );
      break;
    }
  }
  const street = shareOf(ctx.sample, isStreetLine);
  if (street >= STREET_MIN_SHARE) {
    add(
      PiiKind.StreetAddress,
      0.8 + (0.15 * (street - STREET_MIN_SHARE)) / (1 - STREET_MIN_SHARE),
      `${percent(street)} of ${n} sampled values are street lines (house number and street word)`,
    );
  }
}

/** Bare words for "name" that product, file and place columns use as much as person columns. */
const BARE_NAME_WORDS = new Set(['name', 'naam', 'namn', 'nom', 'nome', 'nombre', 'names']);

function isQualifiedPersonName(columnName: string): boolean {
  const tokens = tokenizeForRules(columnName);
  return !(tokens.length === 1 && BARE_NAME_WORDS.has(tokens[0] as string));
}

function isAnyName(v: string): boolean {
  return isFullNameValue(v) || isFirstNameValue(v) || isLastNameValue(v);
}

function nameNoun(kind: PiiKind): string {
  return kind === PiiKind.FirstName
    ? 'first names'
    : kind === PiiKind.LastName
      ? 'last names'
      : 'personal names';
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/;
const DMY = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/;
const YMD_SLASH = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/;

/** Epoch ms of a date written ISO, `d.m.yyyy`, `d/m/yyyy` (or `m/d/yyyy`: only the year matters here) or `yyyy/m/d`. */
export function parseDateMs(value: string): number | undefined {
  let m = ISO_DATE.exec(value) ?? YMD_SLASH.exec(value);
  if (m !== null) return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  m = DMY.exec(value);
  if (m !== null) return Date.UTC(Number(m[3]), 0, 1);
  return undefined;
}
