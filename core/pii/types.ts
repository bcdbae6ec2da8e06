/**
 * The sensitivity report: per column, what kind of personal data it probably holds, how sure the
 * classifier is, and why. Reasons describe evidence (shares, rule names), never values, because
 * the report is shown to reviewers and stored with the run.
 */

/** Kinds of personal or sensitive data the classifier recognises. */
export const PiiKind = {
  Email: 'email',
  Phone: 'phone',
  CreditCard: 'credit_card',
  Ssn: 'ssn',
  Iban: 'iban',
  IpAddress: 'ip_address',
  PersonName: 'person_name',
  FirstName: 'first_name',
  LastName: 'last_name',
  StreetAddress: 'street_address',
  City: 'city',
  PostalCode: 'postal_code',
  DateOfBirth: 'date_of_birth',
  Identifier: 'identifier',
  FreeText: 'free_text',
  None: 'none',
  /** UK National Insurance number. */
  UkNino: 'uk_nino',
  /** A checked national identity or tax number (ES DNI/NIE, IT codice fiscale, NL BSN, FR NIR, DE Steuer-ID). */
  NationalId: 'national_id',
  MacAddress: 'mac_address',
  /** A URL carrying `user:password@` (connection strings, basic-auth links). */
  UrlWithCredentials: 'url_with_credentials',
  /** An API key, access token, private key or password. */
  Secret: 'secret',
  /** Latitude, longitude or a lat/long pair precise enough to locate a home. */
  GeoCoordinate: 'geo_coordinate',
} as const;
/** One of {@link PiiKind}. */
export type PiiKind = (typeof PiiKind)[keyof typeof PiiKind];

/** A column is sensitive when its confidence is strictly above this (unless a reviewer overrides it). */
export const SENSITIVE_THRESHOLD = 0.7;

/** The reviewer's decision recorded on a field, with who made it and when. */
export interface FieldOverride {
  sensitive: boolean;
  kind?: PiiKind;
  by: string;
  at: string;
  comment?: string;
}

/** The classifiers whose evidence can count towards a field's confidence. */
export const ClassifierName = {
  /** Validators over sampled values (email syntax, Luhn, mod-97, …). */
  Values: 'values',
  /** Column-name synonyms and abbreviations. */
  ColumnName: 'column_name',
  /** Uniqueness, length and character classes. */
  ContentStats: 'content_stats',
  /** PII spans found inside free text. */
  FreeText: 'free_text',
  /** A data-dictionary page found in Confluence. */
  Confluence: 'confluence',
  /** An LLM answer through Amazon Bedrock. */
  Bedrock: 'bedrock',
} as const;
/** One of {@link ClassifierName}. */
export type ClassifierName = (typeof ClassifierName)[keyof typeof ClassifierName];

/** One classifier's evidence about one column, kept in the report so reviewers see who said what. */
export interface ClassifierContribution {
  classifier: ClassifierName;
  kind: PiiKind;
  /**
   * How strongly this classifier alone supports `kind`, 0..1. A negative score (−1..0) is evidence
   * against `kind` (values that fail the validator a column name announced); a positive score for
   * kind `none` is evidence against every kind (a two-valued flag). See combineContributions.
   */
  score: number;
  /** Human-readable, without data values. */
  reason: string;
  /** The document the evidence comes from (a Confluence page), when there is one. */
  source?: { title: string; url: string };
}

/** The classification of one column. */
export interface FieldSensitivity {
  column: string;
  kind: PiiKind;
  /** 0..1: how sure the classifier is that the column holds data of `kind`. */
  confidence: number;
  /** confidence > {@link SENSITIVE_THRESHOLD}, or the override's decision. */
  sensitive: boolean;
  /** Human-readable evidence without data values, e.g. "92% of 1000 sampled values are valid email addresses". */
  reasons: string[];
  /**
   * Every classifier's evidence that went into `confidence`. classifyTable always fills it; it stays
   * optional so reports written before contributions existed (and hand-built test reports) still type-check.
   */
  contributions?: ClassifierContribution[];
  override?: FieldOverride;
}

/** The classification of a whole table. */
export interface SensitivityReport {
  threshold: number;
  sampledValuesPerColumn: number;
  fields: FieldSensitivity[];
}

/** A reviewer's correction for one column, as it arrives with an approval. */
export interface SensitivityOverride {
  column: string;
  sensitive: boolean;
  kind?: PiiKind;
}

/** Options of {@link classifyTable}. */
export interface ClassifyOptions {
  /**
   * How many non-null values per column are checked by the validators (evenly spaced rows).
   * @default 1000
   */
  sampleSize?: number;
  /**
   * A field is sensitive when its combined confidence is strictly above this.
   * @default 0.7 ({@link SENSITIVE_THRESHOLD})
   */
  threshold?: number;
  /**
   * The instant ages are measured from when checking that birth dates are plausible (0–120 years).
   * @default Date.now() at the call
   */
  asOfMs?: number;
}
