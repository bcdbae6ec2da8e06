/**
 * Keeps the credentials of the system under test out of results and logs: passwords and tokens of
 * the test environment (database connection, URLs) are replaced wherever a runner's output repeats them.
 */
import type { TestEnvironment } from '../../core/testing/types.js';

/** Replaces secrets in a text. */
export type Redactor = (text: string) => string;

const MASK = '***';
const SECRET_KEY = /pass(word)?|pwd|secret|token|api[-_]?key|credential|auth|private[-_]?key|sig(nature)?$/i;
/** Shorter values are too likely to occur by chance to be worth masking (and say little). */
const MIN_SECRET_LENGTH = 3;
/** `scheme://user:password@` in any text. */
const URL_USERINFO = /([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*):([^\s/@]+)@/gi;

/** Builds the redactor for an environment: every secret it holds, raw and URL-encoded, becomes `***`. */
export function createRedactor(environment: TestEnvironment): Redactor {
  const secrets = new Set<string>();
  const addUrl = (text: string | undefined): void => {
    if (!text) return;
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return;
    }
    if (url.password) {
      secrets.add(url.password);
      secrets.add(safeDecode(url.password));
    }
    for (const [key, value] of url.searchParams) if (SECRET_KEY.test(key)) secrets.add(value);
  };
  const walk = (value: unknown, key: string | undefined, depth: number): void => {
    if (depth > 8 || value === null || value === undefined) return;
    if (typeof value === 'string') {
      if (key !== undefined && SECRET_KEY.test(key)) secrets.add(value);
      addUrl(value);
      return;
    }
    if (typeof value === 'number' && key !== undefined && SECRET_KEY.test(key)) {
      secrets.add(String(value));
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) walk(item, key, depth + 1);
      return;
    }
    if (typeof value === 'object')
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, k, depth + 1);
  };
  addUrl(environment.baseUrl);
  addUrl(environment.apiUrl);
  walk(environment.database?.connection, undefined, 0);

  const needles = [...secrets]
    .filter((s) => s.length >= MIN_SECRET_LENGTH)
    .flatMap((s) => [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1)])
    // Longest first, so that a secret containing another is masked whole.
    .sort((a, b) => b.length - a.length);
  const unique = [...new Set(needles)];
  return (text) => {
    let out = text.replace(URL_USERINFO, `$1:${MASK}@`);
    for (const needle of unique) out = out.split(needle).join(MASK);
    return out;
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
