/**
 * Column-name rules. Names are tokenised (snake, camel, kebab, spaces: `customerEmail`,
 * `customer-email` and `CUSTOMER_EMAIL` are all `customer email`) and matched as whole words,
 * so `zip` never matches inside `unzipped` and `tel` never inside `hotel`.
 */
import { isIdentifierName, tokenizeColumnName } from '../profile/index.js';
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

const p = (...phrases: string[]): string[][] => phrases.map((s) => s.split(' '));

/**
 * The rules in priority order: the first that matches wins, so the specific (`email address`,
 * `ip address`) come before the general (`address`).
 */
export const NAME_RULES: readonly NameRule[] = [
  {
    kind: PiiKind.Email,
    label: 'email',
    phrases: p('email', 'e mail', 'mail'),
    compact: ['emailaddress', 'mailaddress'],
  },
  {
    kind: PiiKind.IpAddress,
    label: 'ip_address',
    phrases: p('ip', 'ipv 4', 'ipv 6', 'ip address', 'ip addr'),
    compact: ['ipaddress', 'ipaddr', 'remoteaddr', 'clientip'],
  },
  {
    kind: PiiKind.CreditCard,
    label: 'credit_card',
    phrases: p('credit card', 'card number', 'card num', 'card no', 'cc', 'pan number'),
    compact: ['creditcard', 'cardnumber', 'ccnumber', 'ccnum', 'cardno'],
  },
  { kind: PiiKind.Iban, label: 'iban', phrases: p('iban') },
  {
    kind: PiiKind.Ssn,
    label: 'ssn',
    phrases: p('ssn', 'social security', 'social sec'),
    compact: ['socialsecurity', 'socialsecuritynumber'],
  },
  {
    kind: PiiKind.Phone,
    label: 'phone',
    phrases: p('phone', 'mobile', 'tel', 'telephone', 'cell phone', 'cell number', 'fax', 'msisdn'),
    compact: ['phonenumber', 'mobilenumber', 'cellphone', 'telephone', 'telno'],
  },
  {
    kind: PiiKind.DateOfBirth,
    label: 'date_of_birth',
    phrases: p(
      'dob',
      'date of birth',
      'birth date',
      'birth day',
      'birthday',
      'birthdate',
      'birth dt',
      'born on',
    ),
    compact: ['dateofbirth', 'birthdate', 'birthday'],
  },
  {
    kind: PiiKind.FirstName,
    label: 'first_name',
    phrases: p('first name', 'given name', 'fname', 'forename', 'first nm', 'middle name'),
    compact: ['firstname', 'givenname', 'middlename'],
  },
  {
    kind: PiiKind.LastName,
    label: 'last_name',
    phrases: p('last name', 'surname', 'family name', 'lname', 'maiden name', 'last nm'),
    compact: ['lastname', 'familyname', 'maidenname'],
  },
  // person_name is matched by personNameRule below: "name" alone is too broad (company_name, file_name).
  {
    kind: PiiKind.StreetAddress,
    label: 'address',
    phrases: p('address', 'street', 'addr', 'address line', 'street address', 'house number'),
    compact: ['streetaddress', 'addressline'],
  },
  { kind: PiiKind.City, label: 'city', phrases: p('city', 'town', 'municipality'), compact: ['cityname'] },
  {
    kind: PiiKind.PostalCode,
    label: 'postal_code',
    phrases: p('zip', 'zip code', 'zipcode', 'postal code', 'postcode', 'post code', 'postal'),
    compact: ['zipcode', 'postalcode', 'postcode'],
  },
];

/** Names that identify a person even though they look like keys (government, bank and login identifiers). */
export const SENSITIVE_IDENTIFIER_RULE: NameRule = {
  kind: PiiKind.Identifier,
  label: 'personal identifier',
  phrases: p(
    'passport',
    'driver license',
    'drivers license',
    'driving licence',
    'driving license',
    'license number',
    'licence number',
    'national id',
    'tax id',
    'tin',
    'itin',
    'nino',
    'nhs number',
    'account number',
    'acct number',
    'acct no',
    'bank account',
    'medical record number',
    'mrn',
    'health insurance number',
    'username',
    'user name',
    'login name',
    'login id',
    'screen name',
  ),
  compact: [
    'passportnumber',
    'driverslicense',
    'nationalid',
    'taxid',
    'accountnumber',
    'username',
    'loginname',
  ],
};

/** Names of prose columns, which may carry anything a person typed. */
export const FREE_TEXT_RULE: NameRule = {
  kind: PiiKind.FreeText,
  label: 'free text',
  phrases: p(
    'note',
    'notes',
    'comment',
    'comments',
    'description',
    'remark',
    'remarks',
    'message',
    'feedback',
    'bio',
    'body',
    'free text',
    'memo',
    'narrative',
    'review',
    'complaint',
  ),
  compact: ['freetext'],
};

/** Words before `name` that make it a person's name rather than a product's or a file's. */
const PERSON_QUALIFIERS = new Set([
  'full',
  'customer',
  'client',
  'contact',
  'person',
  'employee',
  'patient',
  'user',
  'member',
  'owner',
  'holder',
  'cardholder',
  'recipient',
  'sender',
  'beneficiary',
  'applicant',
  'student',
  'guardian',
  'spouse',
  'driver',
  'passenger',
  'guest',
  'buyer',
  'manager',
  'agent',
  'display',
  'legal',
  'account',
]);

/**
 * Words that turn a personal-data name into a name about that data (`email_verified`,
 * `phone_type`, `has_address`, `email_count`): such columns hold flags, counts or categories.
 */
const META_TOKENS = new Set([
  'is',
  'has',
  'count',
  'cnt',
  'total',
  'flag',
  'verified',
  'valid',
  'validated',
  'status',
  'type',
  'kind',
  'source',
  'domain',
  'provider',
  'format',
  'length',
  'len',
  'opt',
  'optin',
  'consent',
  'bounced',
  'updated',
  'changed',
  'sent',
  'enabled',
  'allowed',
  'hash',
  'hashed',
  'masked',
  'country',
  'region',
  'state',
  'verification',
  'preference',
  'frequency',
  'mac',
  'web',
  'url',
  'server',
]);

function containsPhrase(tokens: readonly string[], phrase: readonly string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= tokens.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (tokens[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

/** Whether a rule matches tokenised name. */
export function ruleMatches(rule: NameRule, tokens: readonly string[]): boolean {
  const joined = tokens.join('');
  if (rule.compact?.includes(joined)) return true;
  if (tokens.length === 1 && rule.compact?.includes(tokens[0] as string)) return true;
  return rule.phrases.some((phrase) => containsPhrase(tokens, phrase));
}

/** The rule reported for key-like names (`id`, `*_id`, `*_uuid`, `*_key`). */
export const KEY_RULE: NameRule = { kind: PiiKind.Identifier, label: 'key (*_id)', phrases: [] };

const personNameRule: NameRule = { kind: PiiKind.PersonName, label: 'name', phrases: [] };

function isPersonName(tokens: readonly string[]): boolean {
  if (tokens[tokens.length - 1] !== 'name' && tokens.join('') !== 'fullname') return false;
  if (tokens.length === 1) return true;
  const qualifier = tokens[tokens.length - 2] as string;
  return PERSON_QUALIFIERS.has(qualifier) || tokens.join('') === 'fullname';
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
 * personal-data rules in priority order, then free text. Names with a meta word (`email_verified`)
 * match nothing.
 */
export function matchColumnName(name: string): NameMatch | undefined {
  const tokens = tokenizeColumnName(name);
  if (tokens.length === 0) return undefined;
  if (tokens.some((t) => META_TOKENS.has(t))) return undefined;
  if (ruleMatches(SENSITIVE_IDENTIFIER_RULE, tokens))
    return { rule: SENSITIVE_IDENTIFIER_RULE, personal: true };
  if (isIdentifierName(name)) return { rule: KEY_RULE, personal: false };
  for (const rule of NAME_RULES) {
    if (ruleMatches(rule, tokens)) return { rule, personal: true };
  }
  if (isPersonName(tokens)) return { rule: personNameRule, personal: true };
  if (ruleMatches(FREE_TEXT_RULE, tokens)) return { rule: FREE_TEXT_RULE, personal: true };
  return undefined;
}
