/**
 * Turns what a data dictionary says about a field ("PII", "Confidential — personal data",
 * "Email address of the customer", "Not sensitive") into a kind of personal data and a score.
 */
import { PiiKind } from '../../core/pii/types.js';

/** What the dictionary's words amount to. */
export interface DictionaryVerdict {
  kind: PiiKind;
  /** 0..1; for kind `none`, how strongly the page says the field is not sensitive. */
  score: number;
  /** Why, in words fit for the report (labels and matched phrases, no free description text). */
  because: string;
}

const KNOWN_KINDS = new Set<string>(Object.values(PiiKind));

/** A kind name when this build of core/pii knows it, so kinds added there flow through without edits here. */
function known(kind: string): PiiKind | undefined {
  return KNOWN_KINDS.has(kind) ? (kind as PiiKind) : undefined;
}

// Most specific first: "date of birth" before "date", "email address" before "address".
const KIND_PHRASES: readonly { kind: string; phrase: RegExp; label: string }[] = [
  {
    kind: 'date_of_birth',
    phrase: /\b(date of birth|birth ?date|birthday|d\.?o\.?b\.?)\b/,
    label: 'date of birth',
  },
  { kind: 'email', phrase: /\be-?mail\b/, label: 'email address' },
  { kind: 'phone', phrase: /\b(phone|mobile|telephone|cell ?number|fax)\b/, label: 'phone number' },
  {
    kind: 'credit_card',
    phrase: /\b(credit|debit|payment) card\b|\bcard number\b|\bpan\b/,
    label: 'card number',
  },
  { kind: 'iban', phrase: /\biban\b|\bbank account\b/, label: 'bank account' },
  {
    kind: 'ssn',
    phrase:
      /\b(social security|ssn|national insurance|nino|national id(entity)?( number)?|tax (id|number))\b/,
    label: 'national identifier',
  },
  { kind: 'ip_address', phrase: /\bip ?(v[46] )?address\b|\bipv[46]\b/, label: 'IP address' },
  { kind: 'first_name', phrase: /\b(first|given|fore) ?name\b/, label: 'first name' },
  { kind: 'last_name', phrase: /\b(last|family) ?name\b|\bsurname\b/, label: 'last name' },
  {
    kind: 'person_name',
    phrase:
      /\b(full name|person'?s name|(customer|employee|user|patient|contact)'?s? name|name of the (customer|person|employee|user|patient|contact))\b/,
    label: 'person name',
  },
  { kind: 'postal_code', phrase: /\b(post ?code|postal code|zip( code)?)\b/, label: 'postal code' },
  {
    kind: 'street_address',
    phrase:
      /\b(street|postal address|mailing address|home address|billing address|shipping address|address line)\b/,
    label: 'street address',
  },
  { kind: 'city', phrase: /\b(city|town)\b/, label: 'city' },
  {
    kind: 'free_text',
    phrase: /\b(free[- ]?text|notes|comments?|remarks|message body)\b/,
    label: 'free text',
  },
  {
    kind: 'identifier',
    phrase:
      /\b(passport|driver'?s licen[cs]e|licen[cs]e number|membership number|loyalty number|customer number|account number)\b/,
    label: 'personal identifier',
  },
];

// Negations first: "non-PII" and "not personal data" contain the positive words.
const NOT_SENSITIVE =
  /\b(not (sensitive|personal|pii|confidential)|non[- ]?(sensitive|personal|pii)|no pii|public|anonymi[sz]ed|aggregated)\b/;
const PERSONAL =
  /\b(pii|personal(ly identifiable)?( data| information)?|gdpr|special category|phi|health data|pci)\b/;
const SENSITIVE = /\b(sensitive|confidential|restricted|secret|private)\b/;
const INTERNAL = /\binternal\b/;

/**
 * The verdict for one dictionary entry, or undefined when its words say nothing either way.
 * Scores: a personal-data label with a recognised kind 0.9; a personal-data label alone 0.8;
 * a generic "confidential" label 0.6 (0.8 with a kind); a description naming a kind without
 * any label 0.7; "not sensitive"/"public" 0.8 and "internal" 0.5 towards `none`.
 */
export function judgeDictionaryText(
  classification: string | undefined,
  description: string | undefined,
): DictionaryVerdict | undefined {
  const label = normalise(classification ?? '');
  const about = normalise(description ?? '');
  const kindHit = findKind(`${label} ${about}`);
  const quoted = classification === undefined ? undefined : `classified "${shorten(classification)}"`;

  if (label.length > 0 && NOT_SENSITIVE.test(label)) {
    return { kind: PiiKind.None, score: 0.8, because: `${quoted} (not sensitive)` };
  }
  if (label.length > 0 && PERSONAL.test(label)) {
    if (kindHit !== undefined)
      return { kind: kindHit.kind, score: 0.9, because: `${quoted}, described as ${kindHit.label}` };
    return { kind: genericPersonalKind(), score: 0.8, because: `${quoted} (personal data; type not stated)` };
  }
  if (label.length > 0 && SENSITIVE.test(label)) {
    if (kindHit !== undefined)
      return { kind: kindHit.kind, score: 0.8, because: `${quoted}, described as ${kindHit.label}` };
    return { kind: genericPersonalKind(), score: 0.6, because: `${quoted} (sensitive; type not stated)` };
  }
  if (label.length > 0 && INTERNAL.test(label) && kindHit === undefined) {
    return { kind: PiiKind.None, score: 0.5, because: `${quoted} (internal, not personal)` };
  }
  if (kindHit !== undefined) {
    const prefix = quoted === undefined ? '' : `${quoted}, `;
    return { kind: kindHit.kind, score: 0.7, because: `${prefix}described as ${kindHit.label}` };
  }
  return undefined;
}

function findKind(text: string): { kind: PiiKind; label: string } | undefined {
  for (const rule of KIND_PHRASES) {
    const kind = known(rule.kind);
    if (kind !== undefined && rule.phrase.test(text)) return { kind, label: rule.label };
  }
  return undefined;
}

/** The kind for "personal data of an unstated type": a dedicated kind if core/pii has one, else identifier. */
function genericPersonalKind(): PiiKind {
  return known('personal_data') ?? known('other') ?? PiiKind.Identifier;
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/[—–_]/g, ' ').replace(/\s+/g, ' ').trim();
}

function shorten(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length <= 60 ? t : `${t.slice(0, 57)}...`;
}
