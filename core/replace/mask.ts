/** Masking: characters replaced by a mask character, all of them or all but the last few. */

/** Options of {@link maskValue}. */
export interface MaskOptions {
  /** @default 'partial' */
  mode?: 'full' | 'partial';
  /** @default '*' */
  char?: string;
  /** Characters kept at the end in partial mode. @default 4 */
  keep?: number;
  /** Leave separators (space, `-`, `.`, `/`, `(`, `)`, `@`, `+`) unmasked. @default false */
  keepSeparators?: boolean;
}

const SEPARATORS = new Set([' ', '-', '.', '/', '(', ')', '@', '+']);

/**
 * The masked form of a value: `full` replaces every character (`****`), `partial` keeps the last
 * `keep` non-separator characters (`************1234`); a value no longer than `keep` is masked
 * entirely, since keeping all of it would mask nothing.
 */
export function maskValue(value: string, options: MaskOptions = {}): string {
  const char = options.char ?? '*';
  const keep = options.mode === 'full' ? 0 : (options.keep ?? 4);
  const chars = [...value];
  const maskable = chars.filter((c) => !(options.keepSeparators === true && SEPARATORS.has(c))).length;
  const keepFrom = maskable > keep ? maskable - keep : maskable;
  let seen = 0;
  let out = '';
  for (const c of chars) {
    if (options.keepSeparators === true && SEPARATORS.has(c)) {
      out += c;
      continue;
    }
    out += seen >= keepFrom ? c : char;
    seen++;
  }
  return out;
}
