/**
 * Validation of a JSON constraint list in full: its shape (zod) and, given the table's schema, the
 * columns it names and their types, so a config is rejected before any row is sampled.
 */
import { ConfigError } from '../errors.js';
import type { TableSchema } from '../table.js';
import { compileConstraints } from './compile.js';
import { checkConstraintList, type JsonConstraint } from './spec.js';

/**
 * The constraint list in normal form; throws a ConfigError at the first problem's path (e.g.
 * `constraints[2].column`), its message counting any further problems.
 * @param schema when given, columns and their types are checked too
 * @param root config path of the list. @default 'constraints'
 */
export function parseConstraints(
  input: unknown,
  schema?: TableSchema,
  root = 'constraints',
): JsonConstraint[] {
  const checked = checkConstraintList(input, root);
  if (!checked.ok) {
    const [first, ...rest] = checked.issues;
    const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})` : '';
    throw new ConfigError(`${first?.message ?? 'is invalid'}${more}`, first?.field ?? root);
  }
  if (schema !== undefined) compileConstraints(checked.constraints, schema, root);
  return checked.constraints;
}
