/**
 * Row-to-body templates: a JSON value in which a string that is exactly `{{column}}` becomes the cell
 * with its type (numbers stay numbers, booleans booleans, null null), and `{{column}}` inside longer
 * text is interpolated as text (null as the empty string). Compiled once against the schema, so an
 * unknown column is a ConfigError naming the template path before any request is sent.
 */
import { ConfigError } from '../../core/errors.js';
import type { CellValue, Table, TableSchema } from '../../core/table.js';

/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Renders row `r` of a table into a JSON value. */
export type RowRenderer = (table: Table, r: number) => JsonValue;

const PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}/g;
const WHOLE = /^\{\{\s*([^{}]+?)\s*\}\}$/;

/** Compiles a template; without one every row becomes an object of all its columns. */
export function compileRowTemplate(
  template: JsonValue | undefined,
  schema: TableSchema,
  field = 'template',
): RowRenderer {
  const index = new Map(schema.columns.map((c, j) => [c.name, j]));
  const columnOf = (name: string, at: string): number => {
    const j = index.get(name);
    if (j === undefined) throw new ConfigError(`placeholder {{${name}}} names no column of the data`, at);
    return j;
  };
  if (template === undefined) {
    const names = schema.columns.map((c) => c.name);
    return (table, r) => {
      const out: Record<string, JsonValue> = {};
      names.forEach((name, j) => (out[name] = cellOf(table, j, r)));
      return out;
    };
  }
  const compile = (node: JsonValue, at: string): RowRenderer => {
    if (typeof node === 'string') {
      const whole = WHOLE.exec(node);
      if (whole) {
        const j = columnOf(whole[1] as string, at);
        return (table, r) => cellOf(table, j, r);
      }
      const pieces: (string | number)[] = [];
      let last = 0;
      for (const m of node.matchAll(PLACEHOLDER)) {
        pieces.push(node.slice(last, m.index), columnOf(m[1] as string, at));
        last = m.index + m[0].length;
      }
      if (pieces.length === 0) return () => node;
      pieces.push(node.slice(last));
      return (table, r) =>
        pieces.map((p) => (typeof p === 'string' ? p : String(cellOf(table, p, r) ?? ''))).join('');
    }
    if (Array.isArray(node)) {
      const items = node.map((item, i) => compile(item, `${at}[${i}]`));
      return (table, r) => items.map((item) => item(table, r));
    }
    if (node !== null && typeof node === 'object') {
      const entries = Object.entries(node).map(([k, v]) => [k, compile(v, `${at}.${k}`)] as const);
      return (table, r) => Object.fromEntries(entries.map(([k, render]) => [k, render(table, r)]));
    }
    return () => node;
  };
  return compile(template, field);
}

function cellOf(table: Table, j: number, r: number): JsonValue {
  const value: CellValue = table.columns[j]?.values[r] ?? null;
  // JSON has no NaN or Infinity; sending null is what JSON.stringify would do silently, so make it explicit.
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
