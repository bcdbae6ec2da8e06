/** Rows per block: the unit of randomness (each block has its own seeded stream) and of the copula loop. */
export const BLOCK_ROWS = 1024;
