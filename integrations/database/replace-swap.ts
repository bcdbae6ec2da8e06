/**
 * The replace-by-swap strategy: a run loads into a staging table shaped like the target, and only
 * when every batch is in does one step put the staged rows in the target's place, so readers of the
 * target see the old rows or the new rows, never a half-loaded table.
 *
 * - PostgreSQL: staging is `CREATE TABLE … (LIKE target INCLUDING ALL)`; the swap renames the target
 *   away, renames staging to the target's name and drops the old table, in one transaction.
 * - MySQL/MariaDB: staging is `CREATE TABLE … LIKE target`; the swap is one atomic
 *   `RENAME TABLE target TO old, staging TO target`, then the old table is dropped.
 * - SQLite: staging is created from `SELECT * … WHERE 0`; the swap replaces the target's rows with the
 *   staged ones and drops staging, in one transaction (the target keeps its own definition).
 *
 * Renaming a table does not move the foreign keys that point at it (PostgreSQL keeps them on the old
 * table, InnoDB renames them along), and LIKE copies no foreign keys, so on PostgreSQL and MySQL a
 * table that has or is the target of foreign keys is refused for this strategy.
 */
import { createHash } from 'node:crypto';
import { ConfigError } from '../../core/errors.js';
import { describeIdentifier, IDENTIFIER_LIMITS, quoteIdentifier } from './identifiers.js';
import type { Dialect } from './port.js';
import type { RawSession } from './raw-session.js';

/** Name of the staging table of (run, table), or of the old table a MySQL swap leaves behind. */
export function swapTableName(
  dialect: Dialect,
  table: string,
  runId: string,
  role: 'staging' | 'old',
): string {
  const hash = createHash('sha256').update(`${runId}\u0000${table}`).digest('hex').slice(0, 10);
  const suffix = `__us${role === 'staging' ? 's' : 'o'}_${hash}`;
  const limit = IDENTIFIER_LIMITS[dialect];
  let prefix = table;
  const size = (s: string) => (limit.unit === 'bytes' ? Buffer.byteLength(s, 'utf8') : [...s].length);
  while (size(prefix + suffix) > limit.max) prefix = [...prefix].slice(0, -1).join('');
  return prefix + suffix;
}

/** Refuses tables with foreign keys in either direction on dialects whose swap would break them. */
export async function assertSwappable(session: RawSession, table: string): Promise<void> {
  let count = 0;
  if (session.dialect === 'postgres') {
    const rows = await session.rows(
      `SELECT count(*) AS n FROM pg_catalog.pg_constraint
        WHERE contype = 'f' AND (conrelid = to_regclass($1) OR confrelid = to_regclass($1))`,
      [quoteIdentifier(table, 'postgres')],
    );
    count = Number(rows[0]?.['n'] ?? 0);
  } else if (session.dialect === 'mysql') {
    const rows = await session.rows(
      `SELECT count(*) AS n FROM information_schema.KEY_COLUMN_USAGE
        WHERE REFERENCED_TABLE_NAME IS NOT NULL AND
              ((TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?) OR (REFERENCED_TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME = ?))`,
      [table, table],
    );
    count = Number(rows[0]?.['n'] ?? 0);
  }
  if (count > 0)
    throw new ConfigError(
      `table ${describeIdentifier(table)} has or is the target of foreign keys, which a table swap would break; use truncate_insert or upsert`,
      'strategy',
    );
}

/** Creates the empty staging table shaped like `table` (the caller checked it is absent). */
export async function createStagingTable(session: RawSession, table: string, staging: string): Promise<void> {
  const t = quoteIdentifier(table, session.dialect);
  const s = quoteIdentifier(staging, session.dialect);
  switch (session.dialect) {
    case 'postgres':
      await session.run(`CREATE TABLE ${s} (LIKE ${t} INCLUDING ALL)`);
      return;
    case 'mysql':
      await session.run(`CREATE TABLE ${s} LIKE ${t}`);
      return;
    case 'sqlite':
      await session.run(`CREATE TABLE ${s} AS SELECT * FROM ${t} WHERE 0`);
      return;
  }
}

/**
 * Puts the staged rows in the target's place (PostgreSQL and SQLite, inside the caller's transaction;
 * MySQL's RENAME TABLE commits on its own, so the caller records the swap right after).
 */
export async function swapIn(
  session: RawSession,
  table: string,
  staging: string,
  old: string,
): Promise<void> {
  const d = session.dialect;
  const t = quoteIdentifier(table, d);
  const s = quoteIdentifier(staging, d);
  const o = quoteIdentifier(old, d);
  switch (d) {
    case 'postgres':
      await session.run(`ALTER TABLE ${t} RENAME TO ${o}`);
      await session.run(`ALTER TABLE ${s} RENAME TO ${t}`);
      await session.run(`DROP TABLE ${o}`);
      return;
    case 'mysql':
      await session.run(`RENAME TABLE ${t} TO ${o}, ${s} TO ${t}`);
      return;
    case 'sqlite':
      await session.run(`DELETE FROM ${t}`);
      await session.run(`INSERT INTO ${t} SELECT * FROM ${s}`);
      await session.run(`DROP TABLE ${s}`);
      return;
  }
}
