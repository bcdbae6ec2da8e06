/**
 * Vitest setup file: pins fast-check's seed when `FC_SEED` is set.
 *
 * `.ci/run` sets it, so a CI result can be repeated exactly on any machine (`FC_SEED=<n> npm test`).
 * Without it every run draws fresh seeds and explores new cases; a failure prints the seed and
 * path that reproduce it.
 */
import fc from 'fast-check';

const seed = process.env['FC_SEED'];
if (seed !== undefined && seed !== '') {
  if (!/^-?\d+$/.test(seed)) throw new Error('FC_SEED must be an integer');
  fc.configureGlobal({ seed: Number(seed) });
}
