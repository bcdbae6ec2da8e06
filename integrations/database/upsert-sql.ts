/**
 * The clauses that turn a multi-row INSERT into an upsert on a key, per dialect. Identifiers are
 * quoted; no value ever enters these strings.
 */
import { quoteIdentifier } from './identifiers.js';

/** `ON CONFLICT (key) DO UPDATE SET` every non-key column to the proposed row's value (PostgreSQL and SQLite). */
export function onConflict(
  columns: readonly { name: string }[],
  key: readonly string[],
  dialect: 'postgres' | 'sqlite',
): string {
  const keys = new Set(key);
  const quoted = (name: string) => quoteIdentifier(name, dialect);
  const updates = columns
    .filter((c) => !keys.has(c.name))
    .map((c) => `${quoted(c.name)} = excluded.${quoted(c.name)}`);
  const target = key.map(quoted).join(', ');
  return ` ON CONFLICT (${target}) ${updates.length > 0 ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING'}`;
}

/** `ON DUPLICATE KEY UPDATE` of every non-key column (a no-op assignment when every column is key). */
export function onDuplicateKeyUpdate(columns: readonly { name: string }[], key: readonly string[]): string {
  const keys = new Set(key.map((k) => k.toLowerCase()));
  const quoted = (name: string) => quoteIdentifier(name, 'mysql');
  const updates = columns
    .filter((c) => !keys.has(c.name.toLowerCase()))
    .map((c) => `${quoted(c.name)} = VALUES(${quoted(c.name)})`);
  const first = key[0] as string;
  return ` ON DUPLICATE KEY UPDATE ${updates.length > 0 ? updates.join(', ') : `${quoted(first)} = ${quoted(first)}`}`;
}
