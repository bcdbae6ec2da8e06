/** Sensitive-field classification: validators, column-name rules, the classifiers, their combination and reviewer overrides. */
export { ClassifierName, PiiKind, SENSITIVE_THRESHOLD } from './types.js';
export type {
  ClassifierContribution,
  ClassifyOptions,
  FieldOverride,
  FieldSensitivity,
  SensitivityOverride,
  SensitivityReport,
} from './types.js';
export {
  classifyColumn,
  classifyTable,
  localContributions,
  reclassifyField,
  shareConfidence,
} from './classify.js';
export { combineContributions, MAX_COMBINED_CONFIDENCE } from './combine.js';
export type { CombinedSensitivity } from './combine.js';
export type { ExternalClassifier, FieldContext } from './external.js';
export { applyOverrides, sensitiveColumns } from './overrides.js';
export { matchColumnName, NAME_RULES, tokenizeForRules } from './name-rules.js';
export type { NameMatch, NameRule } from './name-rules.js';
export { NAME_SYNONYMS } from './name-synonyms.js';
export type { NameSynonyms } from './name-synonyms.js';
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
export { CardIssuer, cardIssuer, isValidPaymentCard } from './card-issuers.js';
export {
  codiceFiscaleCheck,
  dniLetter,
  isValidBelgianNrn,
  isValidBsn,
  isValidCodiceFiscale,
  isValidCpf,
  isValidGermanRvnr,
  isValidNhsNumber,
  isValidPersonnummer,
  isValidPesel,
  isValidFrenchNir,
  isValidNationalId,
  isValidSpanishDni,
  isValidSpanishNie,
  isValidSteuerId,
  isValidUkNino,
  NationalIdScheme,
  nationalIdScheme,
  nirKey,
  steuerIdCheckDigit,
} from './national-ids.js';
export {
  isHighEntropyToken,
  isLikelySecret,
  KNOWN_SECRET_FORMATS,
  knownSecretFormat,
  shannonEntropy,
} from './secrets.js';
export { isUrlWithCredentials, isValidMacAddress } from './web-identifiers.js';
export { isGeoPair, isLatitude, isLongitude } from './geo.js';
export { isDistinctivePostcode, PostcodeLocale, postcodeLocales } from './postcodes.js';
export { hasHouseNumber, isStreetLine } from './addresses.js';
export { isFirstNameValue, isFullNameValue, isLastNameValue } from './person-names.js';
export { isPhoneValue } from './value-classifier.js';
export { findPiiSpans, scrubText } from './text-spans.js';
export type { PiiSpan } from './text-spans.js';
export { sampleEvenly } from './sample.js';
