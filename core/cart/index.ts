/** The sequential-CART synthesizer: per-column decision trees over the columns before it, sampled leaf by leaf. */
export { fitCartModel, defaultMinLeaf, DEFAULT_CART_OPTIONS, type CartFitOptions } from './fit-cart.js';
export { assertCartModel } from './assert-model.js';
export { sampleCartChunk } from './sample-cart.js';
export { VisitOrder } from './visit-order.js';
export {
  CART_LIMITS,
  CART_MODEL_VERSION,
  isModelledColumn,
  type CartCategoricalColumn,
  type CartClassLeaf,
  type CartColumn,
  type CartDatetimeColumn,
  type CartIndependentColumn,
  type CartModel,
  type CartModelledColumn,
  type CartNode,
  type CartNumericColumn,
  type CartSplitNode,
  type CartValueLeaf,
} from './model.js';
