/** Sensitive-field classification: validators, column-name rules, the classifier and reviewer overrides. */
export { ClassifierName, PiiKind, SENSITIVE_THRESHOLD } from './types.js';
export type {
  ClassifierContribution,
  ClassifyOptions,
  FieldOverride,
  FieldSensitivity,
  SensitivityOverride,
  SensitivityReport,
} from './types.js';
export { classifyColumn, classifyTable, shareConfidence } from './classify.js';
export type { ExternalClassifier, FieldContext } from './external.js';
export { applyOverrides, sensitiveColumns } from './overrides.js';
export { matchColumnName, NAME_RULES } from './name-rules.js';
export type { NameMatch, NameRule } from './name-rules.js';
export {
  containsContactDetails,
  IBAN_LENGTHS,
  isPostalCodeShape,
  isValidCreditCard,
  isValidEmail,
  isValidIban,
  isValidIpAddress,
  isValidIpv4,
  isValidIpv6,
  isValidPhone,
  isValidSsn,
  luhnCheck,
} from './patterns.js';
export { sampleEvenly } from './sample.js';
