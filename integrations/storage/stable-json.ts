/**
 * Stable JSON: the same value always serialises to the same bytes whatever the key insertion
 * order, so artifact checksums are reproducible across runs and processes.
 */

/** Serialises a value with object keys sorted, two-space indentation and a trailing newline. */
export function stringifyStable(value: unknown): string {
  const text = JSON.stringify(sortKeysDeep(value), null, 2);
  // JSON.stringify returns undefined for a bare undefined/function; an artifact must still be valid JSON.
  return `${text ?? 'null'}\n`;
}

function sortKeysDeep(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return sortKeysDeep(withJson.toJSON());
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort())
    out[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
  return out;
}
