/** The run config's `conditions` field (workflows/pipeline/config-schema.ts): shapes accepted, errors naming the field. */
import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../workflows/pipeline/config-schema.js';

const base = { source: { uri: 'examples/customers.csv' }, rows: 10 };

describe('pipeline config conditions', () => {
  it('accepts equals and in, including null and numbers, and defaults to none', () => {
    const parsed = parsePipelineConfig({
      ...base,
      conditions: [
        { column: 'state', equals: 'CA' },
        { column: 'segment', in: ['consumer', null] },
        { column: 'age', equals: 40 },
      ],
    });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.config.conditions).toHaveLength(3);
    const none = parsePipelineConfig(base);
    expect(none.ok && none.config.conditions).toEqual([]);
  });

  it.each([
    [[{ equals: 'CA' }], 'conditions[0].column'],
    [
      [
        { column: 'state', equals: 'CA' },
        { column: '', equals: 'CA' },
      ],
      'conditions[1].column',
    ],
    [[{ column: 'state' }], 'conditions[0].equals'],
    [[{ column: 'state', equals: 'CA', in: ['CA'] }], 'conditions[0].equals'],
    [[{ column: 'state', in: [] }], 'conditions[0].in'],
    [[{ column: 'state', in: [{ nested: 'Secret' }] }], 'conditions[0].in[0]'],
    [[{ column: 'state', is: 'Secret' }], 'conditions[0]'],
    [{ column: 'state', equals: 'Secret' }, 'conditions'],
  ])('rejects %j naming %s', (conditions, field) => {
    const parsed = parsePipelineConfig({ ...base, conditions });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues.map((i) => i.field)).toContain(field);
    for (const issue of parsed.issues) expect(issue.message).not.toContain('Secret');
  });
});
