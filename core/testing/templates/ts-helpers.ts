/** TypeScript helpers that more than one template writes into its generated tests. */

/** `valueAt(json, 'items.0.name')`: the value at a dotted path (`items[0].name` too) of a JSON value. */
export const VALUE_AT_HELPER: readonly string[] = [
  '/** The value at a dotted path (`items.0.name` or `items[0].name`) of a JSON value. */',
  'function valueAt(json: unknown, path: string): unknown {',
  '  let value = json;',
  "  for (const key of path.replace(/\\[(\\d+)\\]/g, '.$1').split('.')) {",
  "    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;",
  '  }',
  '  return value;',
  '}',
];
