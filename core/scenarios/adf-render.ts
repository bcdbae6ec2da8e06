/**
 * Writes a scenario body as an ADF description (the inverse of parseAdfDescription): headed
 * sections, bullet lists, and a Step | Data | Expected table. Line breaks inside an item become
 * hard breaks; empty text nodes are never emitted because Jira rejects them.
 */
import { normalizeScenarioText, type ScenarioBody } from './scenario.js';

/** An ADF node as plain JSON. */
export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  text?: string;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
}

/** An ADF document. */
export interface AdfDocument {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

/** Inline nodes for text: one text node per line, hard breaks between, nothing for empty text. */
export function adfInline(text: string, marks?: AdfNode['marks']): AdfNode[] {
  const out: AdfNode[] = [];
  text.split('\n').forEach((line, i) => {
    if (i > 0) out.push({ type: 'hardBreak' });
    if (line.length > 0) out.push({ type: 'text', text: line, ...(marks ? { marks } : {}) });
  });
  return out;
}

/** A paragraph holding `text` (an empty paragraph when the text is empty, which ADF allows). */
export function adfParagraph(text: string): AdfNode {
  return { type: 'paragraph', content: adfInline(text) };
}

/** Renders a scenario body as an ADF document. */
export function renderAdfDescription(body: ScenarioBody): AdfDocument {
  const content: AdfNode[] = [];
  const heading = (text: string): AdfNode => ({
    type: 'heading',
    attrs: { level: 3 },
    content: adfInline(text),
  });
  const list = (items: readonly string[]): AdfNode => ({
    type: 'bulletList',
    content: items.map((item) => ({
      type: 'listItem',
      content: [adfParagraph(normalizeScenarioText(item))],
    })),
  });
  const cell = (type: 'tableHeader' | 'tableCell', text: string | undefined): AdfNode => ({
    type,
    attrs: {},
    content: [adfParagraph(text === undefined ? '' : normalizeScenarioText(text))],
  });
  if (body.preconditions.length > 0) content.push(heading('Preconditions'), list(body.preconditions));
  if (body.steps.length > 0) {
    content.push(heading('Steps'), {
      type: 'table',
      attrs: { isNumberColumnEnabled: false, layout: 'default' },
      content: [
        { type: 'tableRow', content: ['Step', 'Data', 'Expected'].map((h) => cell('tableHeader', h)) },
        ...body.steps.map((s) => ({
          type: 'tableRow',
          content: [cell('tableCell', s.action), cell('tableCell', s.data), cell('tableCell', s.expected)],
        })),
      ],
    });
  }
  if (body.expectedResults.length > 0) content.push(heading('Expected results'), list(body.expectedResults));
  return { type: 'doc', version: 1, content };
}
