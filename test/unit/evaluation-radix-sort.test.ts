import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { radixSortFloat64 } from '../../core/evaluation/radix-sort.js';

/** Same bits, same order: Object.is tells −0 from +0. */
function expectSameOrder(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      throw new Error(`differs at ${i}: ${actual[i]} vs ${expected[i]}`);
    }
  }
}

describe('radixSortFloat64', () => {
  it('orders any doubles exactly like Float64Array.prototype.sort, signed zeros and infinities included', () => {
    const special = [
      0,
      -0,
      Infinity,
      -Infinity,
      Number.MIN_VALUE,
      -Number.MIN_VALUE,
      Number.MAX_VALUE,
      -1,
      1,
    ];
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(...special), fc.integer()), {
          minLength: 500,
          maxLength: 3000,
        }),
        (xs) => {
          const expected = Float64Array.from(xs).sort();
          expectSameOrder(radixSortFloat64(Float64Array.from(xs)), expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('sorts a subarray in place without touching the rest of the buffer', () => {
    const all = Float64Array.from({ length: 2000 }, (_, i) => Math.sin(i) * 1000);
    const head = all.subarray(0, 1500);
    const tail = Array.from(all.subarray(1500));
    const expected = Float64Array.from(head).sort();
    expect(radixSortFloat64(head)).toBe(head);
    expectSameOrder(head, expected);
    expect(Array.from(all.subarray(1500))).toEqual(tail);
  });

  it('keeps columns whose values share high digits (dates as milliseconds, small integers)', () => {
    const dates = Float64Array.from({ length: 5000 }, (_, i) => 1.6e12 + ((i * 7919) % 5000) * 86_400_000);
    expectSameOrder(radixSortFloat64(Float64Array.from(dates)), Float64Array.from(dates).sort());
    const small = Float64Array.from({ length: 5000 }, (_, i) => (i * 31) % 7);
    expectSameOrder(radixSortFloat64(Float64Array.from(small)), Float64Array.from(small).sort());
  });
});
