/**
 * Reading config text: YAML (a superset of JSON, so `.json` files read the same way), with syntax
 * errors reported by line and column. Problems carry the source line of their field where known.
 */
import { LineCounter, parseDocument } from 'yaml';
import type { SchemaProblem } from './problems.js';

/** A parsed config document, or its syntax problems; `lineOf` maps a problem's raw path to its 1-based line. */
export type ParsedConfigText =
  | { ok: true; value: unknown; lineOf: (rawPath: readonly (string | number)[]) => number | undefined }
  | { ok: false; problems: SchemaProblem[] };

/** Parses YAML or JSON config text. */
export function parseSchemaConfigText(text: string): ParsedConfigText {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        // The parser's message may quote the offending text; keep only its code and position.
        const where = pos ? `line ${pos.line}, column ${pos.col}` : 'unknown position';
        return {
          path: '',
          rawPath: [],
          message: `not valid YAML/JSON at ${where} (${e.code.toLowerCase().replaceAll('_', ' ')})`,
        };
      }),
    };
  }
  return {
    ok: true,
    value: doc.toJS({ maxAliasCount: 1000 }) as unknown,
    lineOf: (rawPath) => {
      for (let n = rawPath.length; n >= 0; n--) {
        const node = doc.getIn(rawPath.slice(0, n), true) as { range?: [number, number, number] } | undefined;
        const range = node && typeof node === 'object' ? node.range : undefined;
        if (range) return lineCounter.linePos(range[0]).line;
      }
      return undefined;
    },
  };
}
