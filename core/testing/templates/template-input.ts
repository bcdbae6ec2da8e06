/** What every framework template receives: the test case and its steps, placeholders already replaced, grouped by scenario step. */
import type { DataFilter, DataReference, StepShape, TestCase } from '../types.js';

/** The shapes that came from one scenario step, with that step's label. */
export interface StepGroup {
  /** `Step 2: Click "Search"` or `Expected result 1: ...`. */
  label: string;
  /** Index into the test case's step sources. */
  source: number;
  steps: StepShape[];
}

/** A test case ready for a template. */
export interface TemplateInput {
  testCase: TestCase;
  groups: StepGroup[];
}

/** Groups consecutive shapes of the same scenario step (shapes and labels already substituted). */
export function groupSteps(testCase: TestCase, steps: readonly StepShape[]): StepGroup[] {
  const groups: StepGroup[] = [];
  steps.forEach((step, i) => {
    const source = testCase.stepSources[i] ?? -1;
    const last = groups[groups.length - 1];
    if (last && last.source === source) {
      last.steps.push(step);
      return;
    }
    const label = testCase.stepLabels?.[i] ?? (source >= 0 ? `Step ${source + 1}` : `Step`);
    groups.push({ label, source, steps: [step] });
  });
  return groups;
}

/** A one-line description of a data reference for a file header: alias, table, filters, chosen key. */
export function describeReference(reference: DataReference): string {
  const filters = reference.filters.map(describeFilter).join(' and ');
  return `${reference.alias}: a row of ${reference.table}${filters.length > 0 ? ` where ${filters}` : ''}`;
}

const OP_TEXT: Readonly<Record<DataFilter['op'], string>> = {
  eq: '=',
  ne: '!=',
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
  contains: 'contains',
  is_null: 'is empty',
  not_null: 'is not empty',
};

/** A filter as people read it: `segment = "enterprise"`. */
export function describeFilter(filter: DataFilter): string {
  const value = filter.value === undefined ? '' : ` ${JSON.stringify(filter.value)}`;
  return `${filter.column} ${OP_TEXT[filter.op]}${value}`;
}

/** True when any step of the groups has one of `kinds`. */
export function usesKind(groups: readonly StepGroup[], ...kinds: StepShape['kind'][]): boolean {
  return groups.some((g) => g.steps.some((s) => kinds.includes(s.kind)));
}
