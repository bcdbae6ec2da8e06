/**
 * Domain errors thrown by core and integrations. The activity layer maps each to a Temporal
 * ApplicationFailure once (see activities/failures.ts). Messages name the place at fault
 * (file, line, column, field) and never contain data values, which may be personal data.
 */

/** Where in an input a problem sits; every part optional because not every format has lines. */
export interface DataLocation {
  file?: string;
  line?: number;
  column?: number | string;
  row?: number;
}

/** Input data that can never succeed however often it is retried (malformed file, bad type). */
export class DataError extends Error {
  override readonly name = 'DataError';
  /** Where the problem is, for tools that show it. */
  readonly location: DataLocation;
  constructor(message: string, location: DataLocation = {}, options?: { cause?: unknown }) {
    super(formatWithLocation(message, location), options);
    this.location = location;
  }
}

/** A configuration that is wrong (invalid field, unknown target): fixing the config is the only cure. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Dotted path of the field at fault, e.g. `targets[0].url`. */
  readonly field: string | undefined;
  constructor(message: string, field?: string, options?: { cause?: unknown }) {
    super(field ? `${field}: ${message}` : message, options);
    this.field = field;
  }
}

/** A write refused because a newer attempt holds the lease (the old attempt is a zombie). */
export class FencedError extends Error {
  override readonly name = 'FencedError';
}

function formatWithLocation(message: string, loc: DataLocation): string {
  const parts: string[] = [];
  if (loc.file !== undefined) parts.push(loc.file);
  if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  if (loc.row !== undefined) parts.push(`row ${loc.row}`);
  if (loc.column !== undefined) parts.push(`column ${loc.column}`);
  return parts.length > 0 ? `${parts.join(', ')}: ${message}` : message;
}
