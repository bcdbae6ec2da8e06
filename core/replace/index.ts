/**
 * Replacement of sensitive columns in synthetic chunks: per-column strategies (coherent locale-aware
 * fakes, format-preserving values, keyed pseudonyms, masks, generalizations, nulls, scrubbed free
 * text), their config schema, defaults per kind of personal data, and the pure function that applies them.
 */
export {
  fakeStrategySchema,
  formatPreservingStrategySchema,
  generalizeStrategySchema,
  maskStrategySchema,
  nullStrategySchema,
  pseudonymizeStrategySchema,
  replacementPlanSchema,
  replacementStrategySchema,
  scrubTextStrategySchema,
  StrategyName,
  type ReplacementPlan,
  type ReplacementStrategy,
  type StrategyOf,
} from './strategy.js';
export {
  assertStrategyFits,
  defaultReplacementPlan,
  defaultStrategyFor,
  parseReplacementPlan,
  PLAN_ROOT,
  pseudonymKeyEnvName,
  requiredKeyNames,
  resolvePlan,
  strategyMisfit,
  type PlanOptions,
} from './plan.js';
export { applyReplacements, type ReplacementContext, type ReplacementResult } from './apply-replacements.js';
export {
  formatPreservingCard,
  formatPreservingIban,
  formatPreservingSsn,
  formatPreservingValue,
  ibanCheckDigits,
  issuerPrefixLength,
  luhnCheckDigit,
  shapePreserving,
} from './format-preserving.js';
export { pseudonymizeInteger, pseudonymizeString } from './pseudonymize.js';
export { maskValue, type MaskOptions } from './mask.js';
export { bandOf, prefixOf, roundDown, truncateDate } from './generalize.js';
export { findTextSpans, rewriteSpans, type TextSpan } from './text-spans.js';
export { countryOfLocale, GAZETTEER, type Country, type Place } from './gazetteer.js';
export { DEFAULT_LOCALE, resolveLocaleKey } from './locale-data.js';
export { EXAMPLE_MAIL_DOMAINS, EXAMPLE_PARENT_DOMAINS, isExampleDomain } from './example-domains.js';
