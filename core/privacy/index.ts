/** Privacy metrics of synthetic data: distance to closest record under Gower distance. */
export { computeDcr, type DcrOptions, type DcrReport, type DistanceQuantiles } from './dcr.js';
export {
  createGowerLayout,
  encodeGowerRows,
  gowerDistance,
  type GowerLayout,
  type GowerRows,
} from './gower-encoding.js';
export {
  buildNeighbourIndex,
  findNearest,
  type NearestDistances,
  type NeighbourIndex,
  type NeighbourIndexOptions,
} from './nearest-neighbours.js';
export {
  createLeakIndex,
  identifyingSampleValues,
  normalizeForLeaks,
  parseLeakIndex,
  QUASI_IDENTIFIER_KINDS,
  scanForLeaks,
  type Leak,
  type LeakIndex,
  type LeakIndexColumn,
  type LeakIndexOptions,
  type LeakScanOptions,
  type LeakScanResult,
} from './leak-check.js';
