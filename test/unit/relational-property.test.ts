import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from '../../core/random/index.js';
import {
  defaultTableSynthesizer,
  evaluateRelational,
  fitRelationalModel,
  sampleRelational,
  type TableSynthesizer,
} from '../../core/relational/index.js';
import type { CellValue, PhysicalType, Table } from '../../core/table.js';

/** Resamples whole sample rows: cheap, so the properties exercise the relational layer on many schemas. */
const bootstrap: TableSynthesizer<Table> = {
  name: 'bootstrap',
  fit: (sample) => sample,
  sample: (model, req) => {
    const rng = createRng(deriveSeed(req.seed, req.chunkIndex));
    const rows = Array.from({ length: req.rowCount }, () => rng.nextInt(model.rowCount));
    return {
      rowCount: req.rowCount,
      columns: model.columns.map((c) => ({ ...c, values: rows.map((r) => c.values[r] ?? null) })),
    };
  },
};

interface Shape {
  rootRows: number;
  stringRootKey: boolean;
  compositeChildKey: boolean;
  childCounts: number[];
  grandchildCounts: number[];
  secondaryRows: number;
  withSecondary: boolean;
  withLink: boolean;
  requestedRows: number;
  scale: number;
  seed: number;
}

const shapes: fc.Arbitrary<Shape> = fc.record({
  rootRows: fc.integer({ min: 1, max: 30 }),
  stringRootKey: fc.boolean(),
  compositeChildKey: fc.boolean(),
  childCounts: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 30, maxLength: 30 }),
  grandchildCounts: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 120, maxLength: 120 }),
  secondaryRows: fc.integer({ min: 1, max: 6 }),
  withSecondary: fc.boolean(),
  withLink: fc.boolean(),
  requestedRows: fc.integer({ min: 0, max: 300 }),
  // Hundredths rather than fc.double, whose values crowd near 0: small scales that round tables to 0 or 1 row matter.
  scale: fc.integer({ min: 0, max: 500 }).map((x) => x / 100),
  seed: fc.integer({ min: 0, max: 0xffffffff }),
});

function table(columns: Record<string, [PhysicalType, CellValue[]]>): Table {
  const entries = Object.entries(columns);
  return {
    rowCount: entries[0]?.[1][1].length ?? 0,
    columns: entries.map(([name, [type, values]]) => ({ name, type, values })),
  };
}

/**
 * root ← child ← grandchild (by the child's key, composite when the child's key is (root_id, seq)),
 * plus optionally a second root referenced by the child (nullable) and a link table keyed by both roots.
 */
function build(shape: Shape): { metadata: unknown; tables: Record<string, Table> } {
  const rootKeys = Array.from({ length: shape.rootRows }, (_, i) =>
    shape.stringRootKey ? `R-${String(i * 3 + 7).padStart(4, '0')}` : i * 3 + 7,
  );
  const secondaryKeys = Array.from({ length: shape.secondaryRows }, (_, i) => 1000 + i);
  const child: { rootKey: CellValue; seq: number; id: number; secondary: CellValue }[] = [];
  rootKeys.forEach((rootKey, i) => {
    for (let k = 0; k < (shape.childCounts[i] ?? 0); k++) {
      const id = child.length + 1;
      child.push({
        rootKey,
        seq: k + 1,
        id,
        secondary: id % 5 === 0 ? null : (secondaryKeys[id % shape.secondaryRows] ?? null),
      });
    }
  });
  const grandchild: { parent: (typeof child)[number]; n: number }[] = [];
  child.forEach((parent, i) => {
    for (let k = 0; k < (shape.grandchildCounts[i % 120] ?? 0); k++)
      grandchild.push({ parent, n: grandchild.length });
  });
  const tables: Record<string, Table> = {
    root: table({
      key: [shape.stringRootKey ? 'string' : 'integer', rootKeys],
      kind: ['string', rootKeys.map((_, i) => (i % 3 === 0 ? 'x' : 'y'))],
      size: ['float', rootKeys.map((_, i) => i * 1.5)],
    }),
    child: table({
      ...(shape.compositeChildKey
        ? {}
        : { child_id: ['integer', child.map((c) => c.id)] as [PhysicalType, CellValue[]] }),
      root_key: [shape.stringRootKey ? 'string' : 'integer', child.map((c) => c.rootKey)],
      seq: ['integer', child.map((c) => c.seq)],
      ...(shape.withSecondary
        ? { other_id: ['integer', child.map((c) => c.secondary)] as [PhysicalType, CellValue[]] }
        : {}),
      amount: ['float', child.map((c) => c.id * 2.25)],
    }),
    grandchild: table({
      g_id: ['integer', grandchild.map((g) => g.n + 1)],
      ...(shape.compositeChildKey
        ? {
            c_root: [shape.stringRootKey ? 'string' : 'integer', grandchild.map((g) => g.parent.rootKey)] as [
              PhysicalType,
              CellValue[],
            ],
            c_seq: ['integer', grandchild.map((g) => g.parent.seq)] as [PhysicalType, CellValue[]],
          }
        : { c_id: ['integer', grandchild.map((g) => g.parent.id)] as [PhysicalType, CellValue[]] }),
      flag: ['boolean', grandchild.map((g) => g.n % 2 === 0)],
    }),
  };
  const metadata: { tables: Record<string, unknown> } = {
    tables: {
      root: { primaryKey: 'key' },
      child: {
        primaryKey: shape.compositeChildKey ? ['root_key', 'seq'] : 'child_id',
        foreignKeys: [
          { columns: 'root_key', references: { table: 'root' } },
          ...(shape.withSecondary ? [{ columns: 'other_id', references: { table: 'other' } }] : []),
        ],
      },
      grandchild: {
        primaryKey: 'g_id',
        foreignKeys: [
          shape.compositeChildKey
            ? { columns: ['c_seq', 'c_root'], references: { table: 'child', columns: ['seq', 'root_key'] } }
            : { columns: 'c_id', references: { table: 'child' } },
        ],
      },
    },
  };
  if (shape.withSecondary || shape.withLink) {
    tables.other = table({
      id: ['integer', secondaryKeys],
      label: ['string', secondaryKeys.map((k) => `L${k % 2}`)],
    });
    metadata.tables.other = { primaryKey: 'id' };
  }
  if (shape.withLink) {
    const pairs = rootKeys.flatMap((r, i) =>
      secondaryKeys.slice(0, 1 + (i % shape.secondaryRows)).map((s) => [r, s]),
    );
    tables.link = table({
      root_key: [shape.stringRootKey ? 'string' : 'integer', pairs.map((p) => p[0] ?? null)],
      other_id: ['integer', pairs.map((p) => p[1] ?? null)],
      weight: ['integer', pairs.map((_, i) => i % 7)],
    });
    metadata.tables.link = {
      primaryKey: ['root_key', 'other_id'],
      foreignKeys: [
        { columns: 'root_key', references: { table: 'root' } },
        { columns: 'other_id', references: { table: 'other' } },
      ],
    };
  }
  return { metadata, tables };
}

function checkDatabase(shape: Shape, synthesizer: TableSynthesizer): void {
  const { metadata, tables } = build(shape);
  const model = fitRelationalModel(metadata, tables, { synthesizer });
  const options = { seed: shape.seed, rows: { root: shape.requestedRows }, synthesizer };
  const sample = sampleRelational(model, options);
  expect(sample.rowCounts.root).toBe(shape.requestedRows);
  expect(sample.tables.root?.rowCount).toBe(shape.requestedRows);
  if (shape.withSecondary || shape.withLink) {
    expect(sample.rowCounts.other).toBe(Math.round(shape.secondaryRows * 1));
  }
  const evaluation = evaluateRelational(metadata, tables, sample.tables);
  expect(evaluation.referentialIntegrity).toBe(1);
  for (const duplicates of Object.values(evaluation.duplicateKeys)) expect(duplicates).toBe(0);
  // Every child row references its primary parent (a null reference would not count as an orphan).
  for (const fk of evaluation.foreignKeys) {
    if (fk.parent !== 'other')
      expect(fk.references, `${fk.child} → ${fk.parent}`).toBe(sample.rowCounts[fk.child]);
  }
  for (const [name, t] of Object.entries(sample.tables)) {
    expect(t.rowCount, name).toBe(sample.rowCounts[name]);
    for (const c of t.columns) expect(c.values.length, `${name}.${c.name}`).toBe(t.rowCount);
  }
  expect(sampleRelational(model, options).tables).toEqual(sample.tables);
  const scaled = sampleRelational(model, { seed: shape.seed, scale: shape.scale, synthesizer });
  const expectedRoot = shape.scale > 0 ? Math.max(1, Math.round(shape.rootRows * shape.scale)) : 0;
  expect(scaled.rowCounts.root).toBe(expectedRoot);
  expect(evaluateRelational(metadata, tables, scaled.tables).referentialIntegrity).toBe(1);
}

describe('relational synthesis properties', () => {
  it('exact root rows, unique keys (composite too), 100% referential integrity and determinism on random schemas', () => {
    fc.assert(
      fc.property(shapes, (shape) => checkDatabase(shape, bootstrap)),
      { numRuns: 60 },
    );
  });

  it('the same with the default per-table synthesizer (the facade fitting the Gaussian copula)', () => {
    fc.assert(
      fc.property(shapes, (shape) => checkDatabase(shape, defaultTableSynthesizer)),
      { numRuns: 10 },
    );
  });
});
