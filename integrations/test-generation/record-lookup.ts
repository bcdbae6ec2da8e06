/**
 * Choosing the record each data reference uses, from the loaded database (SQLite, PostgreSQL or
 * MySQL/MariaDB): the filters become a WHERE clause (identifiers quoted, values bound), the
 * matching rows are counted, and row `hash(seed, scenario, alias) mod count` in key order is taken,
 * so the same run always picks the same record. Values come back normalised to RecordValue (dates
 * as ISO strings, booleans as booleans, safe integers as numbers).
 */
import knexFactory, { type Knex } from 'knex';
import { recordOffset, valueKindOf, type TableInfo } from '../../core/testing/data-references.js';
import { substituteValue } from '../../core/testing/placeholders.js';
import type { DataFilter, DataReference, RecordValue, TestCase } from '../../core/testing/types.js';
import { parseDatabaseUrl } from '../database/connection-url.js';
import { columnKey, quoteIdentifier } from '../database/identifiers.js';
import type { Dialect } from '../database/port.js';
import { createRawSession, placeholder, type RawSession } from '../database/raw-session.js';
import { readLiveTable, readUniqueKeys, type LiveColumn } from '../database/table-ddl.js';

/** Options of {@link chooseRecords}. */
export interface ChooseRecordsOptions {
  /** Database URL of the loaded target (`sqlite:`, `postgres://`, `mysql://`). */
  url: string;
  /** Directory relative SQLite paths resolve in. @default process.cwd() */
  baseDir?: string;
  /** The run's seed: the same seed picks the same records. */
  seed: number;
  /** The loaded tables' column types, to read SQLite's 0/1 booleans back as booleans. */
  tables?: readonly TableInfo[];
}

/** Options of {@link chooseRecordsWith}. */
export interface ChooseRecordsWithOptions {
  seed: number;
  tables?: readonly TableInfo[];
}

/** Opens the database at `url`, chooses the records of every test case's data references, and closes it. */
export async function chooseRecords(
  cases: readonly TestCase[],
  options: ChooseRecordsOptions,
): Promise<TestCase[]> {
  const { knexConfig } = parseDatabaseUrl(options.url, options.baseDir);
  const db = knexFactory(knexConfig);
  try {
    return await chooseRecordsWith(db, cases, {
      seed: options.seed,
      ...(options.tables ? { tables: options.tables } : {}),
    });
  } finally {
    await db.destroy();
  }
}

/**
 * Chooses records with an open knex instance. Test cases of one scenario (one per framework) share
 * the records; a reference may use an earlier one's values in its filters (`customer_id = {customer.id}`).
 */
export async function chooseRecordsWith(
  db: Knex,
  cases: readonly TestCase[],
  options: ChooseRecordsWithOptions,
): Promise<TestCase[]> {
  const dialect = dialectOf(db);
  const chosen = new Map<string, DataReference[]>();
  const client = db.client as {
    acquireConnection(): Promise<unknown>;
    releaseConnection(c: unknown): Promise<unknown>;
  };
  const connection = await client.acquireConnection();
  try {
    const session = createRawSession(dialect, connection);
    const tables = new Map<string, TableFacts | undefined>();
    const out: TestCase[] = [];
    for (const testCase of cases) {
      let references = chosen.get(testCase.scenarioId);
      if (!references) {
        references = [];
        for (const reference of testCase.dataReferences) {
          references.push(
            await resolveReference(session, tables, reference, references, {
              seed: options.seed,
              scenarioId: testCase.scenarioId,
              tables: options.tables ?? [],
            }),
          );
        }
        chosen.set(testCase.scenarioId, references);
      }
      out.push({ ...testCase, dataReferences: references.map((r) => ({ ...r })) });
    }
    return out;
  } finally {
    await client.releaseConnection(connection);
  }
}

/** The dialect of a knex instance, from its client name. */
export function dialectOf(db: Knex): Dialect {
  const config = db.client as { config?: { client?: unknown } };
  const name = String(config.config?.client ?? '').toLowerCase();
  if (name === 'pg' || name.startsWith('postgres') || name === 'pgnative') return 'postgres';
  if (name.startsWith('mysql') || name === 'mariadb') return 'mysql';
  if (name.includes('sqlite')) return 'sqlite';
  throw new Error(
    `record lookup supports SQLite, PostgreSQL and MySQL, not knex client ${JSON.stringify(name)}`,
  );
}

interface TableFacts {
  columns: LiveColumn[];
  orderBy: string[];
}

async function tableFacts(
  session: RawSession,
  cache: Map<string, TableFacts | undefined>,
  table: string,
): Promise<TableFacts | undefined> {
  if (cache.has(table)) return cache.get(table);
  const live = await readLiveTable(session, table);
  let facts: TableFacts | undefined;
  if (live && live.details.length > 0) {
    const keys = (await readUniqueKeys(session, table)).filter((k) => k.length > 0);
    // Any unique key orders rows totally; the shortest (then first by name) is a stable choice.
    keys.sort((a, b) => a.length - b.length || a.join('\u0000').localeCompare(b.join('\u0000')));
    facts = { columns: live.details, orderBy: keys[0] ?? live.details.map((c) => c.name) };
  }
  cache.set(table, facts);
  return facts;
}

async function resolveReference(
  session: RawSession,
  cache: Map<string, TableFacts | undefined>,
  reference: DataReference,
  earlier: readonly DataReference[],
  context: { seed: number; scenarioId: string; tables: readonly TableInfo[] },
): Promise<DataReference> {
  if (reference.unresolved !== undefined) return { ...reference };
  const unresolved = (reason: string): DataReference => {
    const { record: _record, ...rest } = reference;
    return { ...rest, unresolved: reason };
  };
  const facts = await tableFacts(session, cache, reference.table);
  if (!facts) return unresolved(`table ${reference.table} is not in the loaded database`);
  const dialect = session.dialect;
  const where: string[] = [];
  const params: unknown[] = [];
  for (const filter of reference.filters) {
    const column =
      facts.columns.find((c) => c.name === filter.column) ??
      facts.columns.find((c) => columnKey(c.name, 'mysql') === columnKey(filter.column, 'mysql'));
    if (!column) return unresolved(`table ${reference.table} has no column ${filter.column}`);
    const substituted = substituteValue(filter.value, earlier);
    if (substituted.problems.length > 0) {
      return unresolved(
        `a filter on ${reference.table}.${column.name} uses a value of another data reference that has none`,
      );
    }
    const clause = whereClause(
      dialect,
      quoteIdentifier(column.name, dialect),
      filter.op,
      substituted.value,
      params,
    );
    where.push(clause);
  }
  const table = quoteIdentifier(reference.table, dialect);
  const whereSql = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
  const query = async (sql: string): Promise<Record<string, unknown>[] | string> => {
    try {
      return await session.rows(sql, params);
    } catch (err) {
      // Driver messages can quote the compared value (`invalid input syntax for type uuid: "…"`): keep only the code.
      const code = String((err as { code?: unknown }).code ?? 'error');
      // A value the column cannot hold (SQLSTATE class 22, SQLite/MySQL type errors) means no row can match.
      if (/^22/.test(code) || /^(ER_TRUNCATED|ER_WRONG_VALUE|SQLITE_MISMATCH)/.test(code))
        return `the filters on ${reference.table} compare a column with a value of another type (${code})`;
      throw new Error(`looking up a record of ${reference.table} failed (${code})`);
    }
  };
  const countRows = await query(`SELECT COUNT(*) AS n FROM ${table}${whereSql}`);
  if (typeof countRows === 'string') return unresolved(countRows);
  const count = Number(countRows[0]?.['n'] ?? 0);
  if (count === 0) {
    const columns = [...new Set(reference.filters.map((f) => f.column))];
    return unresolved(
      columns.length > 0
        ? `no row of ${reference.table} matches the filters on ${columns.join(', ')}`
        : `table ${reference.table} is empty`,
    );
  }
  const offset = recordOffset(context.seed, context.scenarioId, reference.alias, count);
  const orderBy = facts.orderBy.map((c) => quoteIdentifier(c, dialect)).join(', ');
  const rows = await query(`SELECT * FROM ${table}${whereSql} ORDER BY ${orderBy} LIMIT 1 OFFSET ${offset}`);
  if (typeof rows === 'string') return unresolved(rows);
  const row = rows[0];
  if (!row) return unresolved(`the chosen row of ${reference.table} disappeared while it was read`);
  const booleanColumns = booleanColumnsOf(reference, context.tables);
  const record: Record<string, RecordValue> = {};
  for (const column of facts.columns) {
    record[column.name] = normaliseValue(row[column.name], column.type, booleanColumns.has(column.name));
  }
  const { unresolved: _gone, ...rest } = reference;
  return { ...rest, record };
}

function whereClause(
  dialect: Dialect,
  column: string,
  op: DataFilter['op'],
  value: RecordValue | undefined,
  params: unknown[],
): string {
  const bind = (v: unknown): string => {
    params.push(dialect === 'sqlite' && typeof v === 'boolean' ? (v ? 1 : 0) : v);
    return placeholder(dialect, params.length);
  };
  switch (op) {
    case 'is_null':
      return `${column} IS NULL`;
    case 'not_null':
      return `${column} IS NOT NULL`;
    case 'eq':
      return value === null || value === undefined ? `${column} IS NULL` : `${column} = ${bind(value)}`;
    case 'ne':
      return value === null || value === undefined ? `${column} IS NOT NULL` : `${column} <> ${bind(value)}`;
    case 'lt':
      return `${column} < ${bind(value)}`;
    case 'le':
      return `${column} <= ${bind(value)}`;
    case 'gt':
      return `${column} > ${bind(value)}`;
    case 'ge':
      return `${column} >= ${bind(value)}`;
    case 'contains': {
      // Case-insensitive everywhere; % and _ in the text are literal.
      const pattern = `%${String(value ?? '')
        .toLowerCase()
        .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const text =
        dialect === 'postgres'
          ? `${column}::text`
          : dialect === 'mysql'
            ? `CAST(${column} AS CHAR)`
            : `CAST(${column} AS TEXT)`;
      return `LOWER(${text}) LIKE ${bind(pattern)} ESCAPE ${bind('\\')}`;
    }
  }
}

function booleanColumnsOf(reference: DataReference, tables: readonly TableInfo[]): Set<string> {
  const out = new Set<string>();
  for (const f of reference.filters) if (typeof f.value === 'boolean') out.add(f.column);
  const table = tables.find((t) => t.name === reference.table);
  for (const c of table?.columns ?? []) if (valueKindOf(c.type) === 'boolean') out.add(c.name);
  return out;
}

const MYSQL_DATETIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/;

/**
 * A database value as a RecordValue: Date → ISO (date columns as `YYYY-MM-DD`), MySQL's
 * `YYYY-MM-DD hh:mm:ss` → ISO UTC, 0/1 in boolean columns → booleans, integers sent as text
 * (PostgreSQL int8, MySQL big numbers) → numbers when exact, bigint → number or text, bytes → base64.
 */
export function normaliseValue(value: unknown, type: string, isBoolean = false): RecordValue {
  if (value === null || value === undefined) return null;
  const t = type.toLowerCase();
  const booleanType = isBoolean || valueKindOf(t) === 'boolean';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    if (/^date$/.test(t)) return localDate(value);
    return value.toISOString();
  }
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'number') {
    if (booleanType && (value === 0 || value === 1)) return value === 1;
    return Number.isFinite(value) ? value : String(value);
  }
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'string') {
    if (booleanType && (value === '0' || value === '1')) return value === '1';
    if (/int/.test(t) && /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value))) return Number(value);
    const datetime = MYSQL_DATETIME.exec(value);
    if (datetime && /datetime|timestamp/.test(t)) return `${datetime[1]}T${datetime[2]}Z`;
    return value;
  }
  return JSON.stringify(value);
}

function localDate(d: Date): string {
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
