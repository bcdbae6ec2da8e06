/**
 * Reduces Salesforce's per-record error (`sf__Error`, e.g. `REQUIRED_FIELD_MISSING:Required fields are
 * missing: [LastName]:LastName --`) to its status code and field names. The message between them is
 * dropped: Salesforce quotes the offending value there ("Foreign key external ID: ACME-17 not found").
 */

/** The parts of an `sf__Error` that carry no data value. */
export interface SanitizedRecordError {
  statusCode: string;
  fields: string[];
}

const STATUS_CODE = /^[A-Z][A-Z0-9_]*$/;

/**
 * Status code and field names of an `sf__Error`; field names are kept only when they are among `knownFields`
 * (the columns sent), so a value that looks like a field name cannot slip through.
 */
export function sanitizeRecordError(sfError: string, knownFields: readonly string[]): SanitizedRecordError {
  const colon = sfError.indexOf(':');
  const head = (colon < 0 ? sfError : sfError.slice(0, colon)).trim();
  const statusCode = STATUS_CODE.test(head) ? head : 'UNKNOWN_ERROR';
  const known = new Map(knownFields.map((f) => [f.toLowerCase(), f]));
  const fields: string[] = [];
  // The field list sits between the last colon and the closing "--".
  const tail = /:([^:]*?)\s*--\s*$/.exec(sfError)?.[1] ?? '';
  for (const token of tail.split(',')) {
    const name = known.get(token.trim().toLowerCase());
    if (name !== undefined && !fields.includes(name)) fields.push(name);
  }
  // A lookup that found no parent names the parent's external id field only in the message.
  const lookup = /for field ([A-Za-z0-9_]+) in entity ([A-Za-z0-9_]+)\s*:?\s*-*\s*$/.exec(sfError);
  if (lookup && fields.length === 0) {
    const suffix = `.${lookup[1] ?? ''}`.toLowerCase();
    const candidates = knownFields.filter((f) => f.toLowerCase().endsWith(suffix));
    if (candidates.length === 1 && candidates[0] !== undefined) fields.push(candidates[0]);
  }
  return { statusCode, fields };
}

/** A job-level error (`InvalidBatch : Field name not found : Foo__c`) reduced to its leading code. */
export function sanitizeJobError(errorMessage: string | undefined | null): string {
  const head = (errorMessage ?? '').split(':')[0]?.trim() ?? '';
  return /^[A-Za-z][A-Za-z0-9_]*$/.test(head) ? head : 'JobFailed';
}
