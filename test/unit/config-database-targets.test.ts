/** The run config's database-target strategies (workflows/pipeline/config-schema.ts): upsert keys, swap, column mapping. */
import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../workflows/pipeline/config-schema.js';

const base = { source: { uri: 'examples/customers.csv' }, rows: 10 };
const db = { type: 'database', url: 'sqlite:out.db', table: 'customers' };

describe('pipeline config database targets', () => {
  it('accepts upsert with a key, replace_swap, a primary key and a column mapping', () => {
    const parsed = parsePipelineConfig({
      ...base,
      targets: [
        { ...db, strategy: 'upsert', key: ['customer_id'], columns: { email: 'mail', notes: null } },
        { ...db, table: 'snapshot', strategy: 'replace_swap', primaryKey: ['customer_id'] },
      ],
    });
    expect(parsed.ok).toBe(true);
  });

  it.each([
    [{ ...db, strategy: 'upsert' }, 'targets[0].key'],
    [{ ...db, strategy: 'append', key: ['customer_id'] }, 'targets[0].key'],
    [{ ...db, strategy: 'merge' }, 'targets[0].strategy'],
    [{ ...db, strategy: 'upsert', key: [] }, 'targets[0].key'],
    [{ ...db, columns: { email: 7 } }, 'targets[0].columns.email'],
  ])('rejects %j naming %s', (target, field) => {
    const parsed = parsePipelineConfig({ ...base, targets: [target] });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((i) => i.field)).toContain(field);
  });
});
