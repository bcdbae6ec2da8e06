/** CQL for finding data-dictionary pages that mention a set of column names. */

/** A CQL string literal: double-quoted, with backslashes and quotes escaped. */
export function quoteCql(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Pages of one space whose text mentions any of `terms`, e.g.
 * `space = "DATA" AND type = page AND (text ~ "email" OR text ~ "phone")`.
 */
export function buildDictionarySearchCql(spaceKey: string, terms: readonly string[]): string {
  const mentions = terms.map((t) => `text ~ ${quoteCql(t)}`).join(' OR ');
  return `space = ${quoteCql(spaceKey)} AND type = page AND (${mentions})`;
}
