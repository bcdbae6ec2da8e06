/**
 * Reads a scenario out of a Jira description in Atlassian Document Format (ADF). The input is
 * untrusted JSON: every node is checked before use, nothing throws, and whatever cannot be used is
 * reported by its node path (`description.content[2].content[0]`), never by its text.
 */
import type { ParsedScenarioBody, ScenarioProblem } from './scenario.js';
import {
  classifyHeading,
  createBodyBuilder,
  guessStepColumns,
  mapStepColumns,
  SectionKind,
  stepFromCells,
  type BodyBuilder,
} from './sections.js';

// Deeper nesting than any editor produces; past it the input is hostile or broken.
const MAX_DEPTH = 48;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Walk {
  problems: ScenarioProblem[];
}

/** Parses an ADF description into preconditions, steps and expected results. */
export function parseAdfDescription(doc: unknown, path = 'description'): ParsedScenarioBody {
  const walk: Walk = { problems: [] };
  const builder = createBodyBuilder();
  if (!isObject(doc)) {
    walk.problems.push({ path, message: 'not an ADF document (expected an object with type "doc")' });
    return { body: builder.finish(), problems: walk.problems };
  }
  if (doc.type !== 'doc') walk.problems.push({ path: `${path}.type`, message: 'expected "doc"' });
  walkBlocks(doc, path, builder, walk, 0);
  return { body: builder.finish(), problems: walk.problems };
}

/** Plain text of any ADF node (paragraphs and list items on their own lines); problems are collected. */
export function extractAdfText(node: unknown, path = 'doc', problems: ScenarioProblem[] = []): string {
  return blockText(node, path, { problems }, 0);
}

function childrenOf(node: Json, path: string, walk: Walk): { node: unknown; path: string }[] {
  if (node.content === undefined) return [];
  if (!Array.isArray(node.content)) {
    walk.problems.push({ path: `${path}.content`, message: 'content is not an array' });
    return [];
  }
  return node.content.map((child, i) => ({ node: child, path: `${path}.content[${i}]` }));
}

function checkNode(node: unknown, path: string, walk: Walk, depth: number): Json | undefined {
  if (depth > MAX_DEPTH) {
    walk.problems.push({ path, message: `nested deeper than ${MAX_DEPTH} levels; skipped` });
    return undefined;
  }
  if (!isObject(node)) {
    walk.problems.push({ path, message: 'node is not an object' });
    return undefined;
  }
  if (typeof node.type !== 'string') {
    walk.problems.push({ path: `${path}.type`, message: 'node has no type' });
    return undefined;
  }
  return node;
}

function walkBlocks(parent: Json, path: string, builder: BodyBuilder, walk: Walk, depth: number): void {
  for (const child of childrenOf(parent, path, walk))
    walkBlock(child.node, child.path, builder, walk, depth + 1);
}

function walkBlock(raw: unknown, path: string, builder: BodyBuilder, walk: Walk, depth: number): void {
  const node = checkNode(raw, path, walk, depth);
  if (!node) return;
  switch (node.type) {
    case 'heading': {
      const kind = classifyHeading(inlineText(node, path, walk, depth));
      builder.openSection(kind ?? SectionKind.none);
      return;
    }
    case 'paragraph':
      for (const line of inlineText(node, path, walk, depth).split('\n')) builder.addLine(line);
      return;
    case 'bulletList':
    case 'orderedList':
    case 'taskList':
      for (const item of childrenOf(node, path, walk)) {
        const itemNode = checkNode(item.node, item.path, walk, depth + 1);
        if (itemNode) builder.addItem(blockText(itemNode, item.path, walk, depth + 1));
      }
      return;
    case 'table':
      walkTable(node, path, builder, walk, depth);
      return;
    case 'codeBlock':
      builder.addData(inlineText(node, path, walk, depth));
      return;
    case 'rule':
    case 'mediaSingle':
    case 'mediaGroup':
    case 'media':
      return;
    default:
      // Panels, quotes, expands and layouts are containers: their blocks read as if inline.
      walkBlocks(node, path, builder, walk, depth);
  }
}

function walkTable(node: Json, path: string, builder: BodyBuilder, walk: Walk, depth: number): void {
  const rows: { cells: string[]; header: boolean; path: string }[] = [];
  for (const row of childrenOf(node, path, walk)) {
    const rowNode = checkNode(row.node, row.path, walk, depth + 1);
    if (!rowNode) continue;
    if (rowNode.type !== 'tableRow') {
      walk.problems.push({ path: `${row.path}.type`, message: 'expected "tableRow"' });
      continue;
    }
    const cells: string[] = [];
    let header = true;
    for (const cell of childrenOf(rowNode, row.path, walk)) {
      const cellNode = checkNode(cell.node, cell.path, walk, depth + 2);
      if (!cellNode) {
        cells.push('');
        continue;
      }
      if (cellNode.type !== 'tableHeader') header = false;
      cells.push(blockText(cellNode, cell.path, walk, depth + 2));
    }
    rows.push({ cells, header: header && cells.length > 0, path: row.path });
  }
  const first = rows[0];
  if (!first) return;
  const named = mapStepColumns(first.cells);
  const inSteps = builder.section === SectionKind.steps;
  if (!named && !inSteps) {
    // Not a steps table: its rows are items of whatever section holds it.
    for (const row of rows) builder.addItem(row.cells.filter((c) => c.trim().length > 0).join(' | '));
    return;
  }
  if (!named) {
    walk.problems.push({
      path,
      message: 'steps table header names no Step/Data/Expected column; columns read by position',
    });
  }
  const columns = named ?? guessStepColumns(first.cells.length);
  const body = named || first.header ? rows.slice(1) : rows;
  for (const row of body) {
    if (row.cells.length > first.cells.length) {
      walk.problems.push({
        path: row.path,
        message: 'row has more cells than the header; extra cells ignored',
      });
    }
    const step = stepFromCells(row.cells, columns);
    if (step) builder.addStep(step);
    else if (row.cells.some((c) => c.trim().length > 0)) {
      walk.problems.push({ path: row.path, message: 'row has no action; skipped' });
    }
  }
}

/** Text of a block container: each paragraph, list item and nested block on its own line(s). */
function blockText(raw: unknown, path: string, walk: Walk, depth: number): string {
  const node = checkNode(raw, path, walk, depth);
  if (!node) return '';
  if (node.type === 'text' || node.type === 'hardBreak' || isInlineLeaf(node.type as string)) {
    return inlineLeafText(node, path, walk, depth);
  }
  if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'codeBlock') {
    return inlineText(node, path, walk, depth);
  }
  const parts: string[] = [];
  // Inline children (a task item's text) run together on one line, blocks each start a new one.
  let inline = '';
  for (const child of childrenOf(node, path, walk)) {
    const c = child.node;
    if (
      isObject(c) &&
      typeof c.type === 'string' &&
      (c.type === 'text' || c.type === 'hardBreak' || isInlineLeaf(c.type))
    ) {
      inline += inlineLeafText(c, child.path, walk, depth + 1);
      continue;
    }
    if (inline.length > 0) parts.push(inline);
    inline = '';
    const text = blockText(c, child.path, walk, depth + 1);
    if (text.length > 0) parts.push(text);
  }
  if (inline.length > 0) parts.push(inline);
  return parts.join('\n');
}

function isInlineLeaf(type: string): boolean {
  return (
    type === 'mention' || type === 'emoji' || type === 'inlineCard' || type === 'date' || type === 'status'
  );
}

/** Text of an inline container (paragraph, heading, code block); hard breaks become newlines. */
function inlineText(node: Json, path: string, walk: Walk, depth: number): string {
  let out = '';
  for (const child of childrenOf(node, path, walk)) {
    const inline = checkNode(child.node, child.path, walk, depth + 1);
    if (!inline) continue;
    out += inlineLeafText(inline, child.path, walk, depth + 1);
  }
  return out;
}

function inlineLeafText(node: Json, path: string, walk: Walk, depth: number): string {
  const attrs = isObject(node.attrs) ? node.attrs : {};
  const attr = (name: string): string => {
    const v = attrs[name];
    return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
  };
  switch (node.type) {
    case 'text':
      if (typeof node.text !== 'string') {
        walk.problems.push({ path: `${path}.text`, message: 'text node has no text' });
        return '';
      }
      return node.text;
    case 'hardBreak':
      return '\n';
    case 'mention':
      return attr('text');
    case 'emoji':
      return attr('text') || attr('shortName');
    case 'inlineCard':
      return attr('url');
    case 'status':
      return attr('text');
    case 'date': {
      const ms = Number(attr('timestamp'));
      return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString().slice(0, 10) : '';
    }
    default:
      return inlineText(node, path, walk, depth);
  }
}
