/** Finished synthetic chunks: sampling plus copy resampling, constraints and edge cases. */
export { generateChunk, type GenerateChunkOptions, type GenerateChunkReport } from './generate-chunk.js';
