/**
 * The description grammar shared by the ADF and wiki parsers: which headings open which section,
 * how a line of Gherkin lands in the model, how a step's text carries its data and expectation,
 * and how a table's header names its columns. Parsers feed lines and items; the builder decides.
 */
import { createEmptyBody, normalizeScenarioText, type ScenarioBody, type ScenarioStep } from './scenario.js';

/** The sections a description can open. */
export const SectionKind = {
  none: 'none',
  preconditions: 'preconditions',
  steps: 'steps',
  expected: 'expected',
} as const;
/** One of {@link SectionKind}. */
export type SectionKind = (typeof SectionKind)[keyof typeof SectionKind];

const HEADING_PATTERNS: readonly [RegExp, SectionKind][] = [
  [/^(pre[- ]?conditions?|prerequisites?|set ?up|background|given)$/, SectionKind.preconditions],
  [/^((test )?steps?|steps to reproduce|test procedure|procedure|actions?|when)$/, SectionKind.steps],
  [
    /^(expected|expected results?|expected outcomes?|expected behaviou?rs?|results?|outcomes?|then|acceptance criteria)$/,
    SectionKind.expected,
  ],
];

/** Maps a heading's text to the section it opens, or undefined for any other heading. */
export function classifyHeading(text: string): SectionKind | undefined {
  const key = text
    .toLowerCase()
    .replace(/[*_{}+]/g, '')
    .replace(/^\s*\d+[.)]\s*/, '')
    .replace(/\s*:\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  for (const [pattern, kind] of HEADING_PATTERNS) if (pattern.test(key)) return kind;
  return undefined;
}

/**
 * Reads `Preconditions:` or `Expected result: the total is shown` as a heading written in a
 * paragraph (how most people structure a Jira description); the remainder after the colon, if any,
 * is the section's first item.
 */
export function matchInlineHeading(line: string): { kind: SectionKind; rest: string } | undefined {
  const colon = line.indexOf(':');
  if (colon <= 0 || colon > 40) return undefined;
  const kind = classifyHeading(line.slice(0, colon));
  if (kind === undefined) return undefined;
  // A paragraph that is only bold markers around the heading leaves them behind the colon.
  const rest = line
    .slice(colon + 1)
    .replace(/^[*_]+/, '')
    .trim();
  return { kind, rest };
}

/** Column positions of a steps table. */
export interface StepColumns {
  action: number;
  data?: number;
  expected?: number;
}

/** Recognises a steps table from its header cells (Step | Data | Expected and their usual synonyms). */
export function mapStepColumns(headers: readonly string[]): StepColumns | undefined {
  let action: number | undefined;
  let data: number | undefined;
  let expected: number | undefined;
  headers.forEach((raw, i) => {
    const h = raw.toLowerCase().replace(/[*_:]/g, '').replace(/\s+/g, ' ').trim();
    if (action === undefined && /^(test )?(steps?|actions?|step description|description|procedure)$/.test(h))
      action = i;
    else if (data === undefined && /^(test )?(data|input|inputs|test input)$/.test(h)) data = i;
    else if (expected === undefined && /^(expected( results?| outcomes?| behaviou?r)?|results?)$/.test(h))
      expected = i;
  });
  if (action === undefined) return undefined;
  return { action, ...(data === undefined ? {} : { data }), ...(expected === undefined ? {} : { expected }) };
}

/** Positional guess for a table in a steps section whose header names nothing we know. */
export function guessStepColumns(width: number): StepColumns {
  if (width >= 3) return { action: 0, data: 1, expected: 2 };
  if (width === 2) return { action: 0, expected: 1 };
  return { action: 0 };
}

/** Builds a step from table cells, or undefined when the row has no action. */
export function stepFromCells(cells: readonly string[], columns: StepColumns): ScenarioStep | undefined {
  const pick = (i: number | undefined): string =>
    i === undefined ? '' : normalizeScenarioText(cells[i] ?? '');
  const action = pick(columns.action);
  if (action.length === 0) return undefined;
  const data = pick(columns.data);
  const expected = pick(columns.expected);
  return { action, ...(data ? { data } : {}), ...(expected ? { expected } : {}) };
}

const DATA_MARKER = /^(?:test ?data|data|input)\s*:\s*/i;
const EXPECTED_MARKER = /^(?:expected(?: results?| outcomes?)?|results?|then)\s*:\s*/i;

/**
 * Reads one step written as text: lines starting `Data:` or `Expected:` carry the step's data and
 * expectation, every other line is part of the action.
 */
export function stepFromText(text: string): ScenarioStep | undefined {
  const action: string[] = [];
  const data: string[] = [];
  const expected: string[] = [];
  let target = action;
  for (const line of normalizeScenarioText(text).split('\n')) {
    if (line.length === 0) continue;
    const d = DATA_MARKER.exec(line);
    const e = EXPECTED_MARKER.exec(line);
    // Only once there is an action: "Result: ..." as a step's first line is the action itself.
    if (d && action.length > 0) {
      target = data;
      pushNonEmpty(target, line.slice(d[0].length));
    } else if (e && action.length > 0) {
      target = expected;
      pushNonEmpty(target, line.slice(e[0].length));
    } else {
      target.push(line);
    }
  }
  if (action.length === 0) return undefined;
  return {
    action: action.join('\n'),
    ...(data.length > 0 ? { data: data.join('\n') } : {}),
    ...(expected.length > 0 ? { expected: expected.join('\n') } : {}),
  };
}

function pushNonEmpty(list: string[], text: string): void {
  const t = text.trim();
  if (t.length > 0) list.push(t);
}

const GHERKIN = /^(given|when|then|and|but)\b[\s:]*(.*)$/i;
type GherkinKeyword = 'given' | 'when' | 'then';

/** Incremental builder of a {@link ScenarioBody} driven by a parser's walk over a description. */
export interface BodyBuilder {
  /** The section that items currently land in. */
  readonly section: SectionKind;
  /** Opens a section (any other heading opens {@link SectionKind.none}). */
  openSection(kind: SectionKind): void;
  /**
   * Adds one line of running text (a paragraph line): it may be an inline heading, a Gherkin line,
   * or an item of the current section; outside any section plain narrative is ignored.
   */
  addLine(line: string): void;
  /** Adds one list item (its lines joined by newlines) to the current section. */
  addItem(text: string): void;
  /** Adds an explicit step (from a table or a step field). */
  addStep(step: ScenarioStep): void;
  /** Attaches a block of data (a code block) to the last step, or adds it as an item. */
  addData(text: string): void;
  /** The body built so far. */
  finish(): ScenarioBody;
}

/** Creates a {@link BodyBuilder} starting outside any section. */
export function createBodyBuilder(): BodyBuilder {
  const body = createEmptyBody();
  let section: SectionKind = SectionKind.none;
  let gherkin: GherkinKeyword | undefined;

  const addToSection = (text: string, kind: SectionKind): void => {
    const t = normalizeScenarioText(text);
    if (t.length === 0) return;
    if (kind === SectionKind.preconditions) body.preconditions.push(t);
    else if (kind === SectionKind.expected) body.expectedResults.push(t);
    else if (kind === SectionKind.steps) {
      const step = stepFromText(t);
      if (step) body.steps.push(step);
    }
  };

  const addGherkin = (keyword: GherkinKeyword, text: string): void => {
    const t = normalizeScenarioText(text);
    if (t.length === 0) return;
    if (keyword === 'given') body.preconditions.push(t);
    else if (keyword === 'when') body.steps.push({ action: t });
    else {
      const last = body.steps[body.steps.length - 1];
      if (last && section !== SectionKind.expected)
        last.expected = last.expected ? `${last.expected}\n${t}` : t;
      else body.expectedResults.push(t);
    }
  };

  return {
    get section() {
      return section;
    },
    openSection(kind) {
      section = kind;
      gherkin = undefined;
    },
    addLine(raw) {
      const line = normalizeScenarioText(raw);
      if (line.length === 0) return;
      const heading = matchInlineHeading(line);
      if (heading) {
        section = heading.kind;
        gherkin = undefined;
        if (heading.rest.length > 0) addToSection(heading.rest, section);
        return;
      }
      const g = GHERKIN.exec(line);
      if (g) {
        const word = (g[1] ?? '').toLowerCase();
        const keyword: GherkinKeyword | undefined =
          word === 'and' || word === 'but' ? gherkin : (word as GherkinKeyword);
        if (keyword !== undefined) {
          gherkin = keyword;
          const rest = g[2] ?? '';
          // Inside an explicit preconditions or expected section the keyword only decorates the item.
          if (section === SectionKind.preconditions || section === SectionKind.expected)
            addToSection(rest, section);
          else addGherkin(keyword, rest);
          return;
        }
      }
      if (section === SectionKind.steps) {
        // A paragraph line in a steps section continues the previous step when it carries a marker.
        const last = body.steps[body.steps.length - 1];
        if (last && (DATA_MARKER.test(line) || EXPECTED_MARKER.test(line))) {
          const merged = stepFromText(`${renderStepText(last)}\n${line}`);
          if (merged) body.steps[body.steps.length - 1] = merged;
          return;
        }
      }
      addToSection(line, section);
    },
    addItem(text) {
      gherkin = undefined;
      addToSection(text, section);
    },
    addStep(step) {
      body.steps.push(step);
    },
    addData(text) {
      const t = normalizeScenarioText(text);
      if (t.length === 0) return;
      const last = body.steps[body.steps.length - 1];
      if (section === SectionKind.steps && last) last.data = last.data ? `${last.data}\n${t}` : t;
      else addToSection(t, section);
    },
    finish() {
      return body;
    },
  };
}

function renderStepText(step: ScenarioStep): string {
  const lines = [step.action];
  if (step.data) lines.push(`Data: ${step.data}`);
  if (step.expected) lines.push(`Expected: ${step.expected}`);
  return lines.join('\n');
}
