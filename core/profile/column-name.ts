/**
 * Column-name tokenising shared by type inference and PII name rules: `customerEmail`,
 * `customer-email`, `CUSTOMER_EMAIL` and `Customer Email` all become `["customer", "email"]`.
 */

/** Lower-case word tokens of a column name, split at case changes, digits and separators. */
export function tokenizeColumnName(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])(\d)/g, '$1 $2')
    .replace(/(\d)([A-Za-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}

const KEY_TOKENS = new Set(['id', 'uuid', 'guid', 'key', 'pk', 'fk']);

/** Whether the name reads like a key: `id`, `*_id`, `customerId`, `order_uuid`, `row_key`. */
export function isIdentifierName(name: string): boolean {
  const tokens = tokenizeColumnName(name);
  const last = tokens[tokens.length - 1];
  return last !== undefined && KEY_TOKENS.has(last);
}
