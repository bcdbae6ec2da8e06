import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binCode, predictorBinEdges } from '../../core/cart/column-encoding.js';
import { growTree, hexToMask, maskToHex, type TreePredictor } from '../../core/cart/grow-tree.js';
import { summarizeClassLeaf, summarizeValueLeaf } from '../../core/cart/leaf-summaries.js';
import { isSplit, type CartNode } from '../../core/cart/model.js';
import { createRng } from '../../core/random/index.js';

const limits = { minLeaf: 5, maxDepth: 10, complexity: 1e-6 };

function predictor(codes: number[], codeCount: number, ordered: boolean, column = 0): TreePredictor {
  return { codes: Uint8Array.from(codes), codeCount, ordered, column };
}

/** Leaf row sets of a tree grown with leaves that just keep their row indices. */
function leafRows(nodes: CartNode<number[]>[]): number[][] {
  return nodes.filter((n) => !isSplit(n)).map((n) => (n as { leaf: number[] }).leaf);
}

function depthOf(nodes: CartNode<unknown>[], i = 0): number {
  const node = nodes[i] as CartNode<unknown>;
  return isSplit(node) ? 1 + Math.max(depthOf(nodes, node.left), depthOf(nodes, node.right)) : 0;
}

describe('growTree', () => {
  it('learns an exclusive-or of two categorical predictors exactly (no single split helps; two levels do)', () => {
    const rng = createRng(3);
    const a: number[] = [];
    const b: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 400; i++) {
      const x1 = rng.nextInt(2);
      const x2 = rng.nextInt(2);
      a.push(x1);
      b.push(x2);
      y.push(x1 ^ x2);
    }
    const nodes = growTree(
      400,
      [predictor(a, 3, false, 0), predictor(b, 3, false, 1)],
      { kind: 'class', classes: Int32Array.from(y), classCount: 3 },
      { ...limits, complexity: 0 },
      (rows) => Array.from(rows),
    );
    const leaves = leafRows(nodes);
    expect(leaves.length).toBeGreaterThanOrEqual(4);
    for (const rows of leaves) expect(new Set(rows.map((r) => y[r])).size).toBe(1);
  });

  it('finds a threshold in an ordered predictor for a regression target', () => {
    const x = Array.from({ length: 300 }, (_, i) => i % 30);
    const ranks = Float64Array.from(x, (v) => (v < 17 ? 0.1 : 0.9));
    const nodes = growTree(
      300,
      [predictor(x, 32, true)],
      { kind: 'value', values: ranks, ranks },
      { ...limits, maxDepth: 1 },
      (rows) => Array.from(rows),
    );
    const root = nodes[0] as CartNode<number[]>;
    expect(isSplit(root)).toBe(true);
    if (!isSplit(root)) return;
    const left = hexToMask(root.leftCodes, 32);
    // Codes 0..16 go left, 17.. right; an unseen code below the threshold follows it.
    expect(Array.from(left.subarray(0, 17)).every((b) => b === 1)).toBe(true);
    expect(Array.from(left.subarray(17)).every((b) => b === 0)).toBe(true);
  });

  it('splits on missingness too: null ranks are predicted like a class', () => {
    const x = Array.from({ length: 200 }, (_, i) => i % 2);
    const values = Float64Array.from(x, (v, i) => (v === 1 ? Number.NaN : (i % 7) / 7));
    const nodes = growTree(
      200,
      [predictor(x, 3, false)],
      { kind: 'value', values, ranks: values },
      limits,
      (rows) => Array.from(rows),
    );
    const leaves = leafRows(nodes);
    expect(leaves.some((rows) => rows.every((r) => x[r] === 1))).toBe(true);
  });

  it('respects minLeaf and maxDepth, and every row lands in exactly one leaf', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 7 }), fc.nat({ max: 4 }), fc.nat({ max: 3 })), {
          minLength: 1,
          maxLength: 300,
        }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 6 }),
        (rows, minLeaf, maxDepth) => {
          const n = rows.length;
          const nodes = growTree(
            n,
            [
              predictor(
                rows.map((r) => r[0]),
                9,
                true,
                0,
              ),
              predictor(
                rows.map((r) => r[1]),
                6,
                false,
                1,
              ),
            ],
            { kind: 'class', classes: Int32Array.from(rows.map((r) => r[2])), classCount: 4 },
            { minLeaf, maxDepth, complexity: 0 },
            (leaf) => Array.from(leaf),
          );
          const leaves = leafRows(nodes);
          expect(leaves.flat().sort((p, q) => p - q)).toEqual(Array.from({ length: n }, (_, i) => i));
          if (leaves.length > 1)
            for (const leaf of leaves) expect(leaf.length).toBeGreaterThanOrEqual(minLeaf);
          expect(depthOf(nodes)).toBeLessThanOrEqual(maxDepth);
          // Children always come after their parent (what the model validator relies on).
          nodes.forEach((node, i) => {
            if (isSplit(node)) expect(Math.min(node.left, node.right)).toBeGreaterThan(i);
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('split masks', () => {
  it('round-trip through hex for any code set of up to 64 codes', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 64 }), (bits) => {
        const mask = Uint8Array.from(bits, (b) => (b ? 1 : 0));
        const hex = maskToHex(mask);
        expect(hex).toMatch(/^[0-9a-f]+$/);
        expect(hex.length).toBe(Math.ceil(bits.length / 4));
        expect(Array.from(hexToMask(hex, bits.length))).toEqual(Array.from(mask));
      }),
    );
  });
});

describe('predictor bins', () => {
  it('give each of few distinct values its own code, and keep codes monotone in the value', () => {
    expect(predictorBinEdges(Float64Array.from([1, 1, 2, 5, 5, 9]))).toEqual([1, 2, 5]);
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        (values) => {
          const sorted = Float64Array.from(values).sort();
          const edges = Float64Array.from(predictorBinEdges(sorted));
          expect(edges.length).toBeLessThanOrEqual(31);
          for (let i = 1; i < sorted.length; i++)
            expect(binCode(edges, sorted[i] as number)).toBeGreaterThanOrEqual(
              binCode(edges, sorted[i - 1] as number),
            );
          expect(binCode(edges, Number.NaN)).toBe(edges.length + 1);
        },
      ),
    );
  });
});

describe('leaf summaries', () => {
  it('keep class counts of the leaf rows only', () => {
    const classes = Int32Array.from([0, 1, 1, 2, 2, 2]);
    expect(summarizeClassLeaf(Uint32Array.from([1, 3, 4, 5]), classes, 3)).toEqual({
      classes: [1, 2],
      counts: [1, 3],
    });
  });

  it('turn frequent values into atoms and the rest into sorted knots, accounting for every row', () => {
    const values = Float64Array.from([
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      40,
      40,
      40,
      40,
      1.5,
      2.5,
      3.25,
      7,
      11,
      12,
      13,
      19,
      23,
      Number.NaN,
      Number.NaN,
    ]);
    const rows = Uint32Array.from(values.keys());
    const leaf = summarizeValueLeaf(rows, values);
    expect(leaf.nulls).toBe(2);
    expect(leaf.atoms).toEqual([0, 40]);
    expect(leaf.atomCounts).toEqual([8, 4]);
    expect(leaf.rest).toBe(9);
    expect(leaf.knots[0]).toBe(1.5);
    expect(leaf.knots[leaf.knots.length - 1]).toBe(23);
    expect([...leaf.knots].sort((a, b) => a - b)).toEqual(leaf.knots);
    expect(leaf.nulls + leaf.atomCounts.reduce((a, b) => a + b, 0) + leaf.rest).toBe(values.length);
  });
});
