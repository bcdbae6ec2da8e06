/**
 * Reads data-dictionary tables out of Confluence storage-format XHTML: tables whose header names
 * a field column and a classification or description column. The table an entry documents comes
 * from a `table.column` field name, a "Table" column, the nearest heading above, or the page title.
 */
import type { HTMLElement } from 'node-html-parser';
import { NodeType, parse, type Node } from 'node-html-parser';

/** One documented field. */
export interface DictionaryEntry {
  /** The field name as written (backticks, spaces trimmed). */
  field: string;
  /** The table named by a `table.column` field, a "Table" column or a bare-identifier heading (lower-cased). */
  table: string | undefined;
  /** The heading above the dictionary table, or the page title: often names the table it documents. */
  context: string;
  /** The classification cell's text (status-macro titles included), when the table has one. */
  classification: string | undefined;
  /** The description cell's text, when the table has one. */
  description: string | undefined;
}

const HEADER_ROLES = [
  { role: 'table', test: /^(table|entity|object|source table|table name)$/ },
  { role: 'classification', test: /classif|sensitiv|\bpii\b|privacy|confidential|gdpr|data class|security/ },
  { role: 'description', test: /descr|definition|meaning|comment|notes|business/ },
  { role: 'field', test: /field|column|attribute|element|^name$|^key$/ },
] as const;
type Role = (typeof HEADER_ROLES)[number]['role'];

/** Every data-dictionary entry on a page. */
export function parseDataDictionary(storageXhtml: string, pageTitle: string): DictionaryEntry[] {
  const root = parse(storageXhtml, { comment: false });
  const entries: DictionaryEntry[] = [];
  let heading: string | undefined;
  // Document order matters: a table belongs to the heading right above it.
  walk(root, (el) => {
    const tag = el.rawTagName?.toLowerCase();
    if (tag !== undefined && /^h[1-6]$/.test(tag)) {
      heading = cellText(el);
      return false;
    }
    if (tag === 'table') {
      entries.push(...readTable(el, heading ?? pageTitle));
      return false;
    }
    return true;
  });
  return entries;
}

function walk(node: Node, visit: (el: HTMLElement) => boolean): void {
  for (const child of node.childNodes) {
    if (child.nodeType !== NodeType.ELEMENT_NODE) continue;
    const el = child as HTMLElement;
    if (visit(el)) walk(el, visit);
  }
}

function readTable(table: HTMLElement, context: string): DictionaryEntry[] {
  const rows = directRows(table);
  const header = rows[0];
  if (header === undefined) return [];
  const roles = new Map<Role, number>();
  cellsOf(header).forEach((cell, i) => {
    const text = cellText(cell).toLowerCase();
    const match = HEADER_ROLES.find((r) => r.test.test(text) && !roles.has(r.role));
    if (match !== undefined) roles.set(match.role, i);
  });
  const fieldAt = roles.get('field');
  if (fieldAt === undefined || (!roles.has('classification') && !roles.has('description'))) return [];
  // A heading that is a bare identifier ("customers", "crm.customer_addresses") names the table outright.
  const identifierHeading = /^[A-Za-z_][\w.]*$/.test(context) ? context : undefined;
  const entries: DictionaryEntry[] = [];
  for (const row of rows.slice(1)) {
    const cells = cellsOf(row).map(cellText);
    const rawField = cells[fieldAt]?.replace(/[`'"]/g, '').trim();
    if (rawField === undefined || rawField.length === 0) continue;
    const dot = rawField.lastIndexOf('.');
    const field = dot > 0 ? rawField.slice(dot + 1) : rawField;
    const qualifier = dot > 0 ? rawField.slice(0, dot) : undefined;
    const tableCell = at(cells, roles.get('table'));
    entries.push({
      field,
      table: (qualifier ?? tableCell ?? identifierHeading)?.toLowerCase(),
      context,
      classification: at(cells, roles.get('classification')),
      description: at(cells, roles.get('description')),
    });
  }
  return entries;
}

function at(cells: readonly string[], i: number | undefined): string | undefined {
  if (i === undefined) return undefined;
  const text = cells[i];
  return text === undefined || text.length === 0 ? undefined : text;
}

/** Rows of this table only (not of tables nested in its cells). */
function directRows(table: HTMLElement): HTMLElement[] {
  const rows: HTMLElement[] = [];
  for (const child of table.children) {
    const tag = child.rawTagName.toLowerCase();
    if (tag === 'tr') rows.push(child);
    else if (tag === 'thead' || tag === 'tbody' || tag === 'tfoot') {
      rows.push(...child.children.filter((c) => c.rawTagName.toLowerCase() === 'tr'));
    }
  }
  return rows;
}

function cellsOf(row: HTMLElement): HTMLElement[] {
  return row.children.filter((c) => /^t[dh]$/i.test(c.rawTagName));
}

/**
 * Visible text of a cell, where a status macro (the coloured "PII" lozenge) counts as its title
 * and other macro parameters (colours, ids) are left out.
 */
export function cellText(el: HTMLElement): string {
  const parts: string[] = [];
  collectText(el, parts);
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}

function collectText(node: Node, parts: string[]): void {
  if (node.nodeType === NodeType.TEXT_NODE) {
    parts.push(node.text);
    return;
  }
  if (node.nodeType !== NodeType.ELEMENT_NODE) return;
  const el = node as HTMLElement;
  const tag = el.rawTagName?.toLowerCase();
  if (tag === 'ac:structured-macro' && el.getAttribute('ac:name') === 'status') {
    const title = el.childNodes.find(
      (c): c is HTMLElement =>
        c.nodeType === NodeType.ELEMENT_NODE &&
        (c as HTMLElement).rawTagName?.toLowerCase() === 'ac:parameter' &&
        (c as HTMLElement).getAttribute('ac:name') === 'title',
    );
    if (title !== undefined) parts.push(title.text);
    return;
  }
  if (tag === 'ac:parameter') return;
  for (const child of el.childNodes) collectText(child, parts);
}

/** How an entry's table relates to the field's table: named exactly, mentioned in the heading/title, or unknown. */
export type TableMatch = 'exact' | 'context' | 'unscoped' | 'other';

/** Whether `entry` documents a column of `table` (singular/plural and case ignored). */
export function matchTable(entry: DictionaryEntry, table: string): TableMatch {
  const wanted = tableVariants(table);
  if (entry.table !== undefined) {
    const named = entry.table.split('.').pop() ?? entry.table;
    return wanted.has(named.toLowerCase()) ? 'exact' : 'other';
  }
  const words = entry.context.toLowerCase().split(/[^\p{L}\p{N}_]+/u);
  return words.some((w) => wanted.has(w)) ? 'context' : 'unscoped';
}

function tableVariants(table: string): Set<string> {
  const base = (table.split('.').pop() ?? table).toLowerCase();
  const variants = new Set([base]);
  if (base.endsWith('ies')) variants.add(base.slice(0, -3) + 'y');
  else if (base.endsWith('s')) variants.add(base.slice(0, -1));
  else variants.add(base.endsWith('y') ? base.slice(0, -1) + 'ies' : base + 's');
  return variants;
}
