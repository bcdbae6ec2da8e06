/**
 * Secrets: API keys, access tokens and private keys. Known formats (AWS, GitHub, Stripe, Slack,
 * Google, GitLab, npm, JWTs, PEM private keys) are recognised by prefix; anything else must be a
 * long token that mixes upper case, lower case and digits with high Shannon entropy.
 *
 * Decided exclusions: plain hexadecimal strings (MD5/SHA digests, git commit ids, checksums) and
 * UUIDs are not secrets. A digest names content, it does not grant access, and treating every
 * checksum column as a credential would drown the report in false alarms.
 */

/** Token formats with a published prefix, as [label, pattern]. */
export const KNOWN_SECRET_FORMATS: readonly (readonly [string, RegExp])[] = [
  ['AWS access key id', /^(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}$/],
  ['GitHub token', /^(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}$/],
  ['GitHub fine-grained token', /^github_pat_[A-Za-z0-9_]{60,100}$/],
  ['Stripe secret key', /^(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,99}$/],
  ['Slack token', /^xox[abposr]-[0-9A-Za-z-]{10,100}$/],
  ['Google API key', /^AIza[0-9A-Za-z_-]{35}$/],
  ['GitLab token', /^glpat-[0-9A-Za-z_-]{20,}$/],
  ['npm token', /^npm_[A-Za-z0-9]{36}$/],
  ['SendGrid key', /^SG\.[0-9A-Za-z_-]{16,32}\.[0-9A-Za-z_-]{16,64}$/],
  ['OpenAI-style key', /^sk-(?:proj-)?[A-Za-z0-9_-]{32,}$/],
  ['Hugging Face token', /^hf_[A-Za-z0-9]{30,}$/],
  ['JSON web token', /^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}$/],
  ['PEM private key', /^-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/],
];

/** The label of the known secret format a value has, or undefined. */
export function knownSecretFormat(value: string): string | undefined {
  for (const [label, pattern] of KNOWN_SECRET_FORMATS) if (pattern.test(value)) return label;
  return undefined;
}

/** Shannon entropy of a string's characters, in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  const n = [...value].length;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

const TOKEN = /^[A-Za-z0-9+/=_\-.~]{20,512}$/;
const HEX = /^(?:0x)?[0-9a-fA-F]+$/;
const VERSIONED_WORD = /[A-Za-z]{2,}\/\d+(?:\.\d+)+/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Entropy a token of random base62 reaches at 20 characters (≈4.1 bits); below it, text repeats itself. */
const MIN_ENTROPY = 3.7;

/**
 * A generic high-entropy token: 20–512 characters from the base64/URL-safe alphabet, upper case,
 * lower case and digits all present, at least 3.7 bits of entropy per character (adjusted for
 * short tokens), not hex and not a UUID.
 */
export function isHighEntropyToken(value: string): boolean {
  if (!TOKEN.test(value) || HEX.test(value) || UUID.test(value)) return false;
  let upper = 0;
  let lower = 0;
  let digit = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
    else if (c >= 48 && c <= 57) digit++;
  }
  if (upper === 0 || lower === 0 || digit === 0) return false;
  // Words joined by separators (`customer-onboarding-flow-v2`) have letters but few capitals.
  if (upper < 2 || digit < 2) return false;
  // Product/version pairs (`AppleWebKit/537.36`) in user agents and paths mix the same classes.
  if (VERSIONED_WORD.test(value)) return false;
  const entropy = shannonEntropy(value);
  // A random string of n characters cannot show more than log2(n) bits; ask for 80% of what it can.
  return entropy >= Math.min(MIN_ENTROPY, 0.8 * Math.log2(value.length));
}

/** A secret: a known token format, or a generic high-entropy token. */
export function isLikelySecret(value: string): boolean {
  return knownSecretFormat(value) !== undefined || isHighEntropyToken(value);
}
