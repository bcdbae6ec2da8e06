/** Seeded randomness for the synthesizer: a fast PRNG and stable seed derivation. */
export { Rng, createRng } from './rng.js';
export { deriveSeed, finalizeMix, MAX_SEED } from './derive-seed.js';
