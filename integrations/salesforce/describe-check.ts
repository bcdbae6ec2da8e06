/**
 * Checks an object's CSV header against the org's describe result before any job is created, so a
 * misspelt field, a field the user may not write, a missing required field or a wrong lookup is one
 * clear ConfigError instead of a failed job or thousands of failed records.
 */
import { ConfigError } from '../../core/errors.js';
import type { ObjectColumn } from './object-columns.js';
import type { ObjectSpec } from './port.js';

/** The parts of a describe field this check reads. */
export interface DescribedField {
  name: string;
  type: string;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  defaultedOnCreate: boolean;
  externalId?: boolean;
  idLookup?: boolean;
  relationshipName?: string | null;
  referenceTo?: string[];
}

/** The parts of a describe result this check reads. */
export interface DescribedObject {
  name: string;
  fields: DescribedField[];
}

/**
 * Throws a ConfigError (path below `field`) unless every header names a writable field, the external id
 * field is one, lookups use a relationship to the named parent by one of its external ids, and every
 * required field is sent when records may be created.
 */
export function checkObjectAgainstDescribe(
  spec: ObjectSpec,
  columns: readonly ObjectColumn[],
  described: DescribedObject,
  parents: ReadonlyMap<string, DescribedObject>,
  field: string,
): void {
  const byName = new Map(described.fields.map((f) => [f.name.toLowerCase(), f]));
  const creates = spec.operation !== 'update';
  const updates = spec.operation !== 'insert';
  const lookupHeaders = new Set(
    spec.lookups.map((l) => `${l.relationship}.${l.externalIdField}`.toLowerCase()),
  );
  for (const c of columns) {
    if (lookupHeaders.has(c.header.toLowerCase())) continue;
    const f = byName.get(c.header.toLowerCase());
    const path = spec.fields === undefined ? `${field}.fields` : `${field}.fields.${c.column}`;
    if (f === undefined) throw new ConfigError(`${spec.object} has no field ${c.header}`, path);
    if (f.name === 'Id' && spec.operation === 'update') continue;
    if (creates && !f.createable && !(updates && f.updateable))
      throw new ConfigError(`${spec.object}.${f.name} cannot be written`, path);
    if (!creates && !f.updateable) throw new ConfigError(`${spec.object}.${f.name} cannot be updated`, path);
  }
  if (spec.operation === 'upsert' && spec.externalIdField !== undefined) {
    const ext = byName.get(spec.externalIdField.toLowerCase());
    if (ext === undefined || !(ext.externalId === true || ext.idLookup === true)) {
      throw new ConfigError(
        `${spec.object}.${spec.externalIdField} is not an external id field`,
        `${field}.externalIdField`,
      );
    }
  }
  spec.lookups.forEach((l, i) => {
    const rel = described.fields.find(
      (f) => f.relationshipName?.toLowerCase() === l.relationship.toLowerCase(),
    );
    if (rel === undefined)
      throw new ConfigError(
        `${spec.object} has no relationship ${l.relationship}`,
        `${field}.lookups[${i}].relationship`,
      );
    if (!(rel.referenceTo ?? []).some((r) => r.toLowerCase() === l.object.toLowerCase())) {
      throw new ConfigError(
        `${spec.object}.${l.relationship} does not refer to ${l.object}`,
        `${field}.lookups[${i}].object`,
      );
    }
    const parent = parents.get(l.object);
    const ext = parent?.fields.find((f) => f.name.toLowerCase() === l.externalIdField.toLowerCase());
    if (parent !== undefined && !(ext?.externalId === true || ext?.idLookup === true)) {
      throw new ConfigError(
        `${l.object}.${l.externalIdField} is not an external id field`,
        `${field}.lookups[${i}].externalIdField`,
      );
    }
  });
  if (creates) {
    const sent = new Set(columns.map((c) => c.header.toLowerCase()));
    for (const l of spec.lookups) {
      const rel = described.fields.find(
        (f) => f.relationshipName?.toLowerCase() === l.relationship.toLowerCase(),
      );
      if (rel !== undefined) sent.add(rel.name.toLowerCase());
    }
    const missing = described.fields.filter(
      (f) =>
        f.createable &&
        !f.nillable &&
        !f.defaultedOnCreate &&
        f.type !== 'boolean' &&
        !sent.has(f.name.toLowerCase()),
    );
    if (missing.length > 0) {
      throw new ConfigError(
        `${spec.object} requires ${missing.map((f) => f.name).join(', ')}, which no column is sent as`,
        `${field}.fields`,
      );
    }
  }
}
