/**
 * Reads a scenario out of a Jira description in wiki markup (what Jira Data Center and the v2 API
 * return, and what people paste): `h3.` headings, `#`/`*`/`-` lists, `||Step||Data||Expected||`
 * tables, `{code}` blocks and Gherkin lines. {@link renderWikiDescription} writes the same form
 * back, escaping every markup character, so parsing a rendered body gives the body again.
 */
import {
  normalizeScenarioText,
  type ParsedScenarioBody,
  type ScenarioBody,
  type ScenarioProblem,
} from './scenario.js';
import {
  classifyHeading,
  createBodyBuilder,
  guessStepColumns,
  mapStepColumns,
  SectionKind,
  stepFromCells,
  type BodyBuilder,
} from './sections.js';

// Characters Jira wiki gives a meaning to; a backslash before any of them makes it literal.
const SPECIAL = new Set([...'|*_{}[]!^~+?#-']);
const PLACEHOLDER_OPEN = '\uE000';
const PLACEHOLDER_CLOSE = '\uE001';

/** Parses a wiki-markup description into preconditions, steps and expected results. */
export function parseWikiDescription(text: string, path = 'description'): ParsedScenarioBody {
  const problems: ScenarioProblem[] = [];
  const builder = createBodyBuilder();
  const lines = text.split(/\r\n|\r|\n/);
  let item: string | undefined;
  let table: { cells: string[]; header: boolean; line: number }[] = [];
  let openRow: { text: string; line: number } | undefined;
  let block: { text: string[]; line: number } | undefined;

  const flushItem = (): void => {
    if (item !== undefined) builder.addItem(item);
    item = undefined;
  };
  const flushTable = (): void => {
    if (openRow) {
      problems.push({ path: `${path} line ${openRow.line}`, message: 'table row not closed with |' });
      table.push({ ...splitRow(openRow.text), line: openRow.line });
      openRow = undefined;
    }
    if (table.length > 0) addTable(table, builder, problems, path);
    table = [];
  };

  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (block) {
      if (/^\{(code|noformat)\}$/.test(line) || /\{(code|noformat)\}$/.test(line)) {
        const tail = line.replace(/\{(code|noformat)\}$/, '');
        if (tail.length > 0) block.text.push(tail);
        builder.addData(block.text.join('\n'));
        block = undefined;
      } else block.text.push(raw);
      return;
    }
    if (openRow && line.length === 0) {
      // A blank line ends a table in Jira, closed or not.
      flushTable();
      return;
    }
    if (openRow) {
      openRow.text += `\n${line}`;
      if (endsRow(openRow.text)) {
        table.push({ ...splitRow(openRow.text), line: openRow.line });
        openRow = undefined;
      }
      return;
    }
    if (line.startsWith('|')) {
      flushItem();
      if (endsRow(line)) table.push({ ...splitRow(line), line: lineNo });
      else openRow = { text: line, line: lineNo };
      return;
    }
    flushTable();
    const code = /^\{(code|noformat)(:[^}]*)?\}(.*)$/.exec(line);
    if (code) {
      flushItem();
      const rest = code[3] ?? '';
      const close = /\{(code|noformat)\}$/.exec(rest);
      if (close) builder.addData(rest.slice(0, close.index));
      else block = { text: rest.length > 0 ? [rest] : [], line: lineNo };
      return;
    }
    if (
      line.length === 0 ||
      /^-{4,}$/.test(line) ||
      /^\{(panel|quote|color|section|column)(:[^}]*)?\}$/.test(line)
    ) {
      flushItem();
      return;
    }
    const heading = /^h[1-6]\.\s*(.*)$/.exec(line);
    if (heading) {
      flushItem();
      builder.openSection(classifyHeading(decodeWikiInline(heading[1] ?? '')) ?? SectionKind.none);
      return;
    }
    const listItem = /^([#*-]+)\s+(.*)$/.exec(line);
    const markers = listItem?.[1] ?? '';
    // `-` alone is a bullet; `--` or `---` followed by text is prose (a dash or a signature).
    if (listItem && (markers === '-' || !markers.includes('-'))) {
      const depth = markers.length;
      const content = decodeWikiInline(listItem[2] ?? '');
      if (depth > 1 && item !== undefined) item += `\n${content}`;
      else {
        flushItem();
        item = content;
      }
      return;
    }
    if (item !== undefined) {
      // A line right under a list item (no blank line between) continues that item.
      item += `\n${decodeWikiInline(line)}`;
      return;
    }
    const quoted = line.replace(/^bq\.\s*/, '');
    for (const l of decodeWikiInline(quoted).split('\n')) builder.addLine(l);
  });
  if (block) {
    problems.push({ path: `${path} line ${block.line}`, message: 'code block not closed' });
    builder.addData(block.text.join('\n'));
  }
  flushItem();
  flushTable();
  return { body: builder.finish(), problems };
}

function addTable(
  rows: readonly { cells: string[]; header: boolean; line: number }[],
  builder: BodyBuilder,
  problems: ScenarioProblem[],
  path: string,
): void {
  const first = rows[0];
  if (!first) return;
  const headerCells = first.cells.map(decodeWikiInline);
  const named = mapStepColumns(headerCells);
  if (!named && builder.section !== SectionKind.steps) {
    for (const row of rows) {
      builder.addItem(
        row.cells
          .map(decodeWikiInline)
          .filter((c) => c.trim().length > 0)
          .join(' | '),
      );
    }
    return;
  }
  if (!named) {
    problems.push({
      path: `${path} line ${first.line}`,
      message: 'steps table header names no Step/Data/Expected column; columns read by position',
    });
  }
  const columns = named ?? guessStepColumns(first.cells.length);
  for (const row of named || first.header ? rows.slice(1) : rows) {
    if (row.cells.length > first.cells.length) {
      problems.push({
        path: `${path} line ${row.line}`,
        message: 'row has more cells than the header; extra cells ignored',
      });
    }
    const step = stepFromCells(row.cells.map(decodeWikiInline), columns);
    if (step) builder.addStep(step);
    else if (row.cells.some((c) => c.trim().length > 0)) {
      problems.push({ path: `${path} line ${row.line}`, message: 'row has no action; skipped' });
    }
  }
}

/** True when a table row's text ends with an unescaped `|`. */
function endsRow(text: string): boolean {
  let escaped = false;
  let last = '';
  for (const ch of text) {
    if (escaped) {
      escaped = false;
      last = '';
      continue;
    }
    if (ch === '\\') {
      escaped = true;
      last = '';
      continue;
    }
    if (ch !== ' ' && ch !== '\t') last = ch;
  }
  return last === '|' && text.length > 1;
}

/** Splits `||a||b||` or `|a|b|` into raw cells (escapes kept for the inline decoder). */
function splitRow(text: string): { cells: string[]; header: boolean } {
  const header = text.startsWith('||');
  const cells: string[] = [];
  let cell = '';
  let depth = 0;
  let i = 0;
  while (i < text.length && text[i] === '|') i++;
  for (; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch === '\\' && i + 1 < text.length) {
      cell += ch + (text[i + 1] ?? '');
      i++;
      continue;
    }
    // A link's `[text|url]` sits inside one cell.
    if (ch === '[') depth++;
    else if (ch === ']' && depth > 0) depth--;
    if (ch === '|' && depth === 0) {
      cells.push(cell);
      cell = '';
      if (text[i + 1] === '|') i++;
      continue;
    }
    cell += ch;
  }
  if (cell.trim().length > 0) cells.push(cell);
  return { cells, header };
}

const INLINE_MARKS: readonly [RegExp, string][] = [
  [/\{\{(.+?)\}\}/g, '$1'],
  [/\{color(?::[^}]*)?\}/g, ''],
  [/\[([^|\]]*)\|[^\]]*\]/g, '$1'],
  [/\[([^\]]+)\]/g, '$1'],
  [/(^|[^\p{L}\p{N}])!([^\s!|]+)(?:\|[^!]*)?!(?=$|[^\p{L}\p{N}])/gu, '$1'],
  [/(^|[^\p{L}\p{N}])\*(?=\S)([^*\n]*?\S)\*(?=$|[^\p{L}\p{N}])/gu, '$1$2'],
  [/(^|[^\p{L}\p{N}])_(?=\S)([^_\n]*?\S)_(?=$|[^\p{L}\p{N}])/gu, '$1$2'],
  [/(^|[^\p{L}\p{N}])\+(?=\S)([^+\n]*?\S)\+(?=$|[^\p{L}\p{N}])/gu, '$1$2'],
  [/(^|[^\p{L}\p{N}])\^(?=\S)([^^\n]*?\S)\^(?=$|[^\p{L}\p{N}])/gu, '$1$2'],
  [/(^|[^\p{L}\p{N}])~(?=\S)([^~\n]*?\S)~(?=$|[^\p{L}\p{N}])/gu, '$1$2'],
  [/\?\?(?=\S)(.*?\S)\?\?/g, '$1'],
];

/**
 * Turns inline wiki text into plain text: `\\` is a line break, a backslash makes the next markup
 * character literal, and the common marks (bold, italic, monospace, links, images, colour) are
 * dropped, keeping their text.
 */
export function decodeWikiInline(text: string): string {
  const literals: string[] = [];
  let plain = '';
  // Private-use characters would collide with the placeholders below; they carry no text.
  const source = text.replace(/[\uE000\uE001]/g, '');
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] ?? '';
    const next = source[i + 1];
    if (ch === '\\' && next === '\\') {
      plain += '\n';
      i++;
    } else if (ch === '\\' && next !== undefined && SPECIAL.has(next)) {
      plain += `${PLACEHOLDER_OPEN}${literals.length}${PLACEHOLDER_CLOSE}`;
      literals.push(next);
      i++;
    } else plain += ch;
  }
  for (const [pattern, replacement] of INLINE_MARKS) plain = plain.replace(pattern, replacement);
  return plain.replace(/\uE000(\d+)\uE001/g, (_, n: string) => literals[Number(n)] ?? '');
}

/** Escapes text for wiki markup: markup characters get a backslash and line breaks become `\\`. */
export function encodeWikiInline(text: string): string {
  let out = '';
  for (const ch of text) {
    if (ch === '\n') out += '\\\\';
    else if (SPECIAL.has(ch)) out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

/**
 * Renders a scenario body as a wiki description: Preconditions and Expected results as bullet
 * lists, Steps as a `||Step||Data||Expected||` table. A backslash right before a markup character,
 * another backslash or a line end has no wiki form (`\\` is a line break) and does not survive.
 */
export function renderWikiDescription(body: ScenarioBody): string {
  const out: string[] = [];
  const list = (items: readonly string[]): void => {
    for (const item of items) out.push(`* ${encodeWikiInline(normalizeScenarioText(item))}`);
  };
  if (body.preconditions.length > 0) {
    out.push('h3. Preconditions');
    list(body.preconditions);
    out.push('');
  }
  if (body.steps.length > 0) {
    out.push('h3. Steps');
    out.push('||Step||Data||Expected||');
    const cell = (text: string | undefined): string => {
      const t = text === undefined ? '' : encodeWikiInline(normalizeScenarioText(text));
      return t.length > 0 ? t : ' ';
    };
    for (const step of body.steps)
      out.push(`|${cell(step.action)}|${cell(step.data)}|${cell(step.expected)}|`);
    out.push('');
  }
  if (body.expectedResults.length > 0) {
    out.push('h3. Expected results');
    list(body.expectedResults);
    out.push('');
  }
  return out.join('\n');
}
